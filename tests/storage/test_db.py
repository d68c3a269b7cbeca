"""Database set-up on both backends: migrations, SQLite tuning, conflicts run again."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm.exc import StaleDataError

from storage.db import Database, DatabaseUrlError, is_conflict
from storage.models import Commune, Province


def a_commune(**columns: object) -> Commune:
    values: dict[str, object] = {
        "name": "Xã Thử",
        "short_name": "Thử",
        "kind": "Xã",
        "search_key": "thu",
        "receipt_prefix": "TH",
    }
    return Commune(**{**values, **columns})


async def test_upgrade_is_idempotent_and_at_head(database: Database) -> None:
    await database.upgrade()
    current, head = await database.schema_revision()
    assert current == head is not None


async def test_sqlite_is_tuned(database: Database) -> None:
    if database.backend != "sqlite":
        pytest.skip("SQLite only")
    async with database.engine.connect() as connection:
        assert (await connection.exec_driver_sql("PRAGMA journal_mode")).scalar() == "wal"
        assert (await connection.exec_driver_sql("PRAGMA synchronous")).scalar() == 1
        assert (await connection.exec_driver_sql("PRAGMA foreign_keys")).scalar() == 1


async def test_foreign_keys_enforced(database: Database) -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(IntegrityError):
        async with database.sessions.begin() as session:
            session.add(a_commune(province_id=999, code="1"))


async def test_repositories_never_commit(database: Database) -> None:
    async with database.sessions() as session:
        session.add(Province(code="99", name="T", short_name="T", search_key="t"))
        await session.flush()
        await session.rollback()
    async with database.sessions() as session:
        assert (await session.scalar(select(Province).where(Province.code == "99"))) is None
        assert (await session.execute(text("SELECT 1"))).scalar() == 1


@pytest.mark.parametrize("url", ["mysql://x/y", "not a url at all", "oracle+cx://a/b"])
def test_unsupported_urls(url: str) -> None:
    with pytest.raises(DatabaseUrlError):
        Database.connect(url)


class _DriverError(Exception):
    def __init__(self, sqlstate: str) -> None:
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    ("error", "conflict"),
    [
        (StaleDataError("the draft changed meanwhile"), True),
        (DBAPIError("UPDATE draft", None, _DriverError("40P01")), True),  # deadlock detected
        (DBAPIError("UPDATE draft", None, _DriverError("40001")), True),  # serialization
        (DBAPIError("INSERT INTO blob", None, _DriverError("23505")), False),  # unique key
        (RuntimeError("the step failed"), False),
    ],
)
def test_only_a_lost_race_is_run_again(error: BaseException, conflict: bool) -> None:
    assert is_conflict(error) is conflict
