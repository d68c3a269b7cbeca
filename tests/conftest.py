"""Shared fixtures: a migrated database on SQLite and, when HOSO_TEST_DATABASE_URL is set, on
PostgreSQL (each test in its own schema), plus the services built on it."""

from __future__ import annotations

import os
import secrets
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from crypto import BlindIndex, FieldCipher, Keyring
from storage.blobs import BlobStore
from storage.db import Database, sqlite_url
from storage.deps import Deps

PG_URL = os.environ.get("HOSO_TEST_DATABASE_URL")
BACKENDS = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=pytest.mark.skipif(not PG_URL, reason="HOSO_TEST_DATABASE_URL is not set"),
    ),
]


def pytest_report_header() -> str:
    return f"database backends: sqlite{', postgresql' if PG_URL else ' (postgresql skipped)'}"


@pytest.fixture(params=BACKENDS)
async def database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Database]:
    if request.param == "sqlite":
        db = Database.connect(sqlite_url(tmp_path / "hoso.db"))
        await db.upgrade()
        yield db
        await db.close()
        return
    assert PG_URL is not None
    schema = f"t_{secrets.token_hex(6)}"
    admin = Database.connect(PG_URL)
    async with admin.engine.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    db = Database.connect(PG_URL, schema=schema)
    try:
        await db.upgrade()
        yield db
    finally:
        await db.close()
        async with admin.engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.close()


@pytest.fixture
def keyring() -> Keyring:
    return Keyring.generate()


@pytest.fixture
def deps(database: Database, keyring: Keyring, tmp_path: Path) -> Deps:
    return Deps(
        database=database,
        fields=FieldCipher(keyring),
        blind=BlindIndex(BlindIndex.generate_key()),
        blobs=BlobStore(tmp_path / "blobs"),
    )
