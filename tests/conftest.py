"""Shared fixtures: a migrated database on SQLite and, when HOSO_TEST_DATABASE_URL is set, on
PostgreSQL (each test in its own schema), plus the services built on it."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from crypto import BlindIndex, FieldCipher, Keyring
from storage.blobs import LocalBlobStore
from storage.db import Database
from storage.deps import Deps
from tests.fixtures.databases import fresh_database

pytest_plugins = ["tests.fixtures.s3"]  # one S3 server per session, for the tests that ask

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
    url = PG_URL if request.param == "postgresql" else None
    async with fresh_database(url, tmp_path) as db:
        yield db


@pytest.fixture
def keyring() -> Keyring:
    return Keyring.generate()


@pytest.fixture
def deps(database: Database, keyring: Keyring, tmp_path: Path) -> Deps:
    return Deps(
        database=database,
        fields=FieldCipher(keyring),
        blind=BlindIndex(BlindIndex.generate_key()),
        blobs=LocalBlobStore(tmp_path / "blobs"),
    )
