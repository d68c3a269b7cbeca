"""The audit chain: events chained at commit, gone with a rollback, refused in a savepoint, and
tampering found."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.db import Database
from storage.models import Event, Province
from storage.repositories.audit import ChainFault, append_event, verify_event_chain
from storage.states import ActorKind
from tests.storage.test_db import a_commune


async def note(session: AsyncSession, text: str) -> None:
    await append_event(
        session, actor_kind=ActorKind.SYSTEM, actor_id=None, action="test", note=text
    )


async def note_then_fail(database: Database) -> None:
    async with database.sessions.begin() as session:
        await note(session, "rolled back")
        raise RuntimeError("the step failed")


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
        assert (await verify_event_chain(session)).intact
    async with database.sessions.begin() as session:
        third = (await session.scalars(select(Event).order_by(Event.id))).all()[2]
        await session.execute(update(Event).where(Event.id == third.id).values(note="rewritten"))
    async with database.sessions() as session:
        broken = await verify_event_chain(session)
        assert (broken.fault, broken.broken_at) == (ChainFault.EDITED, third.id)


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
        assert (await verify_event_chain(session)).intact
        assert await session.scalar(select(Event.action).where(Event.commune_id == 98001))


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
        assert (await verify_event_chain(session)).intact
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
        assert (await verify_event_chain(session)).intact
