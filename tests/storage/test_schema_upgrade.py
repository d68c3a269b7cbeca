"""The schema at start: a database that a newer hoso migrated further is refused in one
sentence; processes starting together on PostgreSQL migrate it once (the second waits, then
finds it at its head)."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest
from sqlalchemy import text

from storage.db import Database, SchemaAhead
from tests.conftest import PG_URL

_SET_VERSION = text("UPDATE alembic_version SET version_num = :v")


async def test_a_database_migrated_further_is_refused(database: Database) -> None:
    current, head = await database.schema_revision()
    assert current == head
    async with database.sessions.begin() as session:
        await session.execute(_SET_VERSION, {"v": "9999"})  # a newer hoso's migration
    with pytest.raises(SchemaAhead) as refused:
        await database.upgrade()
    assert str(refused.value) == (
        f"the database's schema (revision 9999) is newer than this hoso (which knows up to "
        f"{head}): upgrade hoso on this machine"
    )
    assert await database.schema_revision() == ("9999", head)  # nothing was touched
    async with database.sessions.begin() as session:
        await session.execute(_SET_VERSION, {"v": current})
    await database.upgrade()  # its own schema again: nothing to do


@asynccontextmanager
async def empty_schema(url: str) -> AsyncIterator[str]:
    schema = f"u_{secrets.token_hex(6)}"
    admin = Database.connect(url)
    async with admin.engine.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield schema
    finally:
        async with admin.engine.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.close()


@pytest.mark.skipif(not PG_URL, reason="HOSO_TEST_DATABASE_URL is not set (PostgreSQL only)")
async def test_processes_starting_together_migrate_once() -> None:
    assert PG_URL is not None
    async with empty_schema(PG_URL) as schema:
        processes = [Database.connect(PG_URL, schema=schema) for _ in range(3)]
        try:
            await asyncio.gather(*(p.upgrade() for p in processes))  # none fails
            for process in processes:
                current, head = await process.schema_revision()
                assert current == head
        finally:
            for process in processes:
                await process.close()
