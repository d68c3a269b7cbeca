"""The database's copy (storage/backup.py): SQLite's is one self-contained file; pg_dump
missing or older than the server is said in one sentence."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from storage.backup import DATABASE_FILES, DatabaseCopyError, snapshot
from storage.repositories.backup import server_major_version
from tests.conftest import PG_URL
from tests.fixtures.databases import fresh_database
from tests.fixtures.scratch_databases import stand_in_tools

postgresql_only = pytest.mark.skipif(not PG_URL, reason="HOSO_TEST_DATABASE_URL is not set")


async def test_the_sqlite_copy_is_one_self_contained_file(tmp_path: Path) -> None:
    async with fresh_database(None, tmp_path) as database:
        (tmp_path / "copy").mkdir()
        async with snapshot(database, tmp_path / "copy") as copy:
            current, _ = await copy.database.schema_revision()
            assert current is not None
        assert sorted(p.name for p in (tmp_path / "copy").iterdir()) == [DATABASE_FILES["sqlite"]]
        connection = sqlite3.connect(copy.file)
        try:
            assert connection.execute("PRAGMA journal_mode").fetchone() == ("delete",)
            assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        finally:
            connection.close()


@postgresql_only
async def test_pg_dump_missing_or_older_than_the_server_is_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert PG_URL is not None
    async with fresh_database(PG_URL, tmp_path) as database:
        async with database.engine.connect() as connection:
            server = await server_major_version(connection)
        (tmp_path / "copy").mkdir()

        monkeypatch.setenv("PATH", stand_in_tools(tmp_path / "none"))
        with pytest.raises(DatabaseCopyError, match=r"^pg_dump is not installed: install the"):
            async with snapshot(database, tmp_path / "copy"):
                pass

        monkeypatch.setenv("PATH", stand_in_tools(tmp_path / "old", pg_dump=f"{server - 1}.9"))
        with pytest.raises(DatabaseCopyError) as refused:
            async with snapshot(database, tmp_path / "copy"):
                pass
        assert str(refused.value) == (
            f"pg_dump {server - 1} cannot dump this PostgreSQL {server} server (pg_dump must be "
            f"at least the server's version): install the PostgreSQL {server} client tools, "
            f"e.g. postgresql-client-{server}"
        )
        assert list((tmp_path / "copy").iterdir()) == []
