"""Database set-up on both backends: migrations, SQLite tuning, the audit chain."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from storage.db import Database, DatabaseUrlError, is_conflict
from storage.models import Commune, Event, Province
from storage.repositories import append_event, verify_event_chain
from storage.states import ActorKind


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


async def test_audit_chain_detects_tampering(database: Database) -> None:
    async with database.sessions.begin() as session:
        for number in range(5):
            await append_event(
                session,
                actor_kind=ActorKind.SYSTEM,
                actor_id=None,
                action="test",
                note=f"event {number}",
                data={"n": number},
            )
    async with database.sessions() as session:
        assert await verify_event_chain(session) is None
    async with database.sessions.begin() as session:
        third = (await session.scalars(select(Event).order_by(Event.id))).all()[2]
        await session.execute(update(Event).where(Event.id == third.id).values(note="rewritten"))
    async with database.sessions() as session:
        assert await verify_event_chain(session) == third.id


async def test_an_event_may_refer_to_a_row_of_its_own_transaction(database: Database) -> None:
    """The transaction's pending rows are written before its events are chained: an event
    about a commune added in the same transaction, not yet flushed, commits with it."""
    async with database.sessions.begin() as session:
        province = Province(code="98", name="P", short_name="P", search_key="p")
        session.add(province)
        await session.flush()
        session.add(a_commune(id=98001, province_id=province.id, code="98001"))
        await append_event(
            session, actor_kind=ActorKind.SYSTEM, actor_id=None, action="test", commune_id=98001
        )
    async with database.sessions() as session:
        assert await verify_event_chain(session) is None
        assert await session.scalar(select(Event.action).where(Event.commune_id == 98001))


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


async def note(session: AsyncSession, text: str) -> None:
    await append_event(
        session, actor_kind=ActorKind.SYSTEM, actor_id=None, action="test", note=text
    )


async def note_then_fail(database: Database) -> None:
    async with database.sessions.begin() as session:
        await note(session, "rolled back")
        raise RuntimeError("the step failed")


async def test_events_are_chained_at_commit_and_vanish_with_a_rollback(
    database: Database,
) -> None:
    """Appending does not take the chain's lock: two transactions append at once (on
    PostgreSQL, the first used to block the second until it committed), and the chain is
    in commit order."""
    with pytest.raises(RuntimeError):
        await note_then_fail(database)
    if database.backend == "postgresql":
        first, second = database.sessions(), database.sessions()
        async with first, second, first.begin():
            await note(first, "appended first")
            async with second.begin():
                await asyncio.wait_for(note(second, "appended second"), 5)
                await second.flush()
                # `second` committed here, `first` right after
    else:  # one writer at a time: the same, one after the other
        for text in ("appended second", "appended first"):
            async with database.sessions.begin() as session:
                await note(session, text)
    async with database.sessions() as session:
        assert await verify_event_chain(session) is None
        notes = list(await session.scalars(select(Event.note).order_by(Event.id)))
    assert notes == ["appended second", "appended first"]


async def test_audit_events_are_refused_inside_a_savepoint(database: Database) -> None:
    async with database.sessions.begin() as session:
        async with session.begin_nested():
            with pytest.raises(RuntimeError, match="savepoint"):
                await note(session, "inside")
        await note(session, "outside")
    async with database.sessions() as session:
        assert list(await session.scalars(select(Event.note))) == ["outside"]
        assert await verify_event_chain(session) is None


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
