"""The restore's target (storage/restore.py): only an empty one is taken; pg_restore older than
the dump, and a target database that has the backup's schema already, are said in one
sentence and change nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from storage.backup import DatabaseCopyError, snapshot
from storage.db import Database, sqlite_url
from storage.repositories.backup import relations_in, schema_exists
from storage.restore import TargetNotEmpty, known_revisions, open_restore_target
from tests.conftest import PG_URL
from tests.fixtures.databases import fresh_database
from tests.fixtures.scratch_databases import scratch_database, stand_in_tools

postgresql_only = pytest.mark.skipif(not PG_URL, reason="HOSO_TEST_DATABASE_URL is not set")


def test_the_migrations_revisions_are_known() -> None:
    assert {"0001", "0008"} <= known_revisions()


async def test_an_existing_sqlite_file_is_not_an_empty_target(tmp_path: Path) -> None:
    (tmp_path / "hoso.db-wal").write_bytes(b"")
    target = open_restore_target(sqlite_url(tmp_path / "hoso.db"))
    with pytest.raises(TargetNotEmpty, match=r"the database file .*hoso\.db-wal exists"):
        await target.check_empty()


@postgresql_only
async def test_pg_restore_older_than_the_dump_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert PG_URL is not None
    async with scratch_database(PG_URL) as url:
        target = open_restore_target(url)
        try:
            monkeypatch.setenv("PATH", stand_in_tools(tmp_path / "old", pg_restore="14.2"))
            with pytest.raises(DatabaseCopyError) as refused:
                await target.load(tmp_path / "hoso.pgdump", {"schema": "x", "pg_dump_major": 17})
            assert str(refused.value) == (
                "pg_restore 14 cannot read a dump made by pg_dump 17: install the PostgreSQL 17 "
                "client tools"
            )
        finally:
            await target.close()


@postgresql_only
async def test_a_target_that_has_the_backups_schema_already_is_refused(tmp_path: Path) -> None:
    assert PG_URL is not None
    async with fresh_database(PG_URL, tmp_path) as source, scratch_database(PG_URL) as url:
        (tmp_path / "copy").mkdir()
        async with snapshot(source, tmp_path / "copy") as copy:
            schema = str(copy.details["schema"])
        assert schema.startswith("t_")
        other = Database.connect(url)
        try:
            async with other.engine.begin() as connection:
                await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
                await connection.execute(text(f'CREATE TABLE "{schema}".mine (id int)'))
            target = open_restore_target(url)
            try:
                with pytest.raises(TargetNotEmpty, match=f"has a schema {schema} already"):
                    await target.load(copy.file, copy.details)
            finally:
                await target.close()
            async with other.engine.connect() as connection:
                assert await relations_in(connection, schema) == ["mine"]
                assert await relations_in(connection, "public") == []
                assert await schema_exists(connection, schema)
        finally:
            await other.close()


@postgresql_only
async def test_a_schema_with_tables_is_not_an_empty_target() -> None:
    assert PG_URL is not None
    async with scratch_database(PG_URL) as url:
        other = Database.connect(url)
        try:
            async with other.engine.begin() as connection:
                await connection.execute(text("CREATE TABLE public.mine (id int)"))
        finally:
            await other.close()
        target = open_restore_target(url)
        try:
            with pytest.raises(TargetNotEmpty, match=r"schema public .* is not empty"):
                await target.check_empty()
        finally:
            await target.close()
