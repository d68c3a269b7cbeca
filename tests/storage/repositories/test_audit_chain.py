"""The keyed audit chain against someone who holds the database but not the audit key: the
newest events deleted (with and without the head moved back), a middle one edited or
deleted, two swapped, the whole chain rebuilt without the key, the chain made unkeyed again:
each detected and located. And an old unkeyed chain keyed once."""

from __future__ import annotations

import hashlib
import json

import pytest
from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crypto import AuditKey
from storage.db import Database
from storage.models import AuditHead, Event
from storage.repositories.audit import (
    ChainFault,
    ChainState,
    append_event,
    key_event_chain,
    verify_event_chain,
)
from storage.states import ActorKind

EVENTS = 6


async def write_events(database: Database, count: int = EVENTS) -> list[int]:
    """`count` events in three transactions; their ids in the chain's order."""
    for start in range(0, count, 2):
        async with database.sessions.begin() as session:
            for number in range(start, min(start + 2, count)):
                await append_event(
                    session,
                    actor_kind=ActorKind.SYSTEM,
                    actor_id=None,
                    action="test",
                    note=f"event {number}",
                    data={"n": number},
                )
    async with database.sessions() as session:
        return list(await session.scalars(select(Event.id).order_by(Event.id)))


async def verified(database: Database) -> ChainState:
    async with database.sessions() as session:
        return await verify_event_chain(session)


async def tamper(database: Database, *statements: object) -> None:
    """Change rows directly, as someone with the database would (no audit code runs)."""
    async with database.sessions.begin() as session:
        for statement in statements:
            await session.execute(statement)  # type: ignore[call-overload]


async def test_an_untouched_keyed_chain_is_intact_and_sealed(database: Database) -> None:
    assert (await verified(database)).intact  # a new database: keyed, nothing written
    ids = await write_events(database)
    state = await verified(database)
    assert state.intact
    assert (state.events, state.head_event_id) == (EVENTS, ids[-1])
    assert state.keyed_at is not None
    assert state.head_seal is not None
    assert len(state.head_seal) == 32


async def test_deleting_the_newest_event_is_found_after_the_one_before(
    database: Database,
) -> None:
    ids = await write_events(database)
    await tamper(database, delete(Event).where(Event.id == ids[-1]))
    state = await verified(database)
    assert (state.fault, state.broken_at, state.head_event_id) == (
        ChainFault.TRUNCATED,
        ids[-2],
        ids[-1],
    )


async def test_deleting_the_newest_events_and_moving_the_head_back_breaks_its_seal(
    database: Database,
) -> None:
    """The head's link and id can be copied from the surviving event; its seal cannot."""
    ids = await write_events(database)
    async with database.sessions() as session:
        survivor = await session.get_one(Event, ids[-3])
    await tamper(
        database,
        delete(Event).where(Event.id > survivor.id),
        update(AuditHead).values(hash=survivor.hash, last_event_id=survivor.id),
    )
    state = await verified(database)
    assert (state.fault, state.broken_at) == (ChainFault.HEAD, ids[-3])


async def test_moving_the_head_back_over_events_still_there_is_found(database: Database) -> None:
    ids = await write_events(database)
    async with database.sessions() as session:
        earlier = await session.get_one(Event, ids[2])
    await tamper(database, update(AuditHead).values(hash=earlier.hash, last_event_id=earlier.id))
    state = await verified(database)
    assert (state.fault, state.broken_at) == (ChainFault.HEAD, ids[2])


async def test_editing_a_middle_event_is_found_at_that_event(database: Database) -> None:
    ids = await write_events(database)
    middle = ids[EVENTS // 2]
    await tamper(database, update(Event).where(Event.id == middle).values(data={"n": 99}))
    state = await verified(database)
    assert (state.fault, state.broken_at) == (ChainFault.EDITED, middle)


async def test_deleting_a_middle_event_is_found_at_the_next(database: Database) -> None:
    ids = await write_events(database)
    await tamper(database, delete(Event).where(Event.id == ids[2]))
    state = await verified(database)
    assert (state.fault, state.broken_at) == (ChainFault.LINK, ids[3])


async def test_swapping_two_events_is_found_at_the_first_of_them(database: Database) -> None:
    """Every column but the id exchanged: each row is a genuine event in the wrong place."""
    ids = await write_events(database)
    first, second = ids[1], ids[4]
    columns = [c for c in Event.__table__.columns if c.name != "id"]
    async with database.sessions() as session:
        rows = {
            row.id: row
            for row in await session.execute(
                select(Event.id, *columns).where(Event.id.in_((first, second)))
            )
        }

    def values_of(event_id: int) -> dict[str, object]:
        return {c.key: getattr(rows[event_id], c.key) for c in columns}

    await tamper(
        database,
        update(Event).where(Event.id == first).values(note="placeholder", hash=b"\x01" * 32),
        update(Event).where(Event.id == second).values(**values_of(first)),
        update(Event).where(Event.id == first).values(**values_of(second)),
    )
    state = await verified(database)
    assert (state.fault, state.broken_at) == (ChainFault.LINK, first)


async def rebuild(session: AsyncSession, link: object) -> None:
    """Re-link every event from the genesis with `link(prev, event)` and move the head, as
    someone who edited an event and wanted the chain to agree would."""
    prev = b"\x00" * 32
    last = 0
    for event in list(await session.scalars(select(Event).order_by(Event.id))):
        event.prev_hash = prev
        event.hash = prev = link(prev, event)  # type: ignore[operator]
        last = event.id
    await session.execute(update(AuditHead).values(hash=prev, last_event_id=last))


def body_of(event: Event) -> bytes:
    """The event's content as the chain links it (storage/repositories/audit.py): the format
    is no secret, and someone rebuilding the chain would copy it."""
    return json.dumps(
        {
            "at": event.at.isoformat(),
            "actor_kind": str(event.actor_kind),
            "actor_id": event.actor_id,
            "action": event.action,
            "commune_id": event.commune_id,
            "submission_id": str(event.submission_id) if event.submission_id else None,
            "note": event.note,
            "data": event.data,
        },
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    ).encode()


@pytest.mark.parametrize("how", ["sha256", "another key"])
async def test_a_chain_rebuilt_without_the_key_is_found_at_its_first_event(
    database: Database, how: str
) -> None:
    ids = await write_events(database)
    guess = AuditKey(AuditKey.generate_key())
    async with database.sessions.begin() as session:
        await session.execute(update(Event).where(Event.id == ids[3]).values(note="rewritten"))
        if how == "sha256":
            await rebuild(session, lambda prev, e: hashlib.sha256(prev + body_of(e)).digest())
        else:
            await rebuild(session, lambda prev, e: guess.mac("audit event", prev + body_of(e)))
    state = await verified(database)
    assert (state.fault, state.broken_at) == (ChainFault.EDITED, ids[0])


async def test_an_emptied_chain_with_its_head_reset_is_found(database: Database) -> None:
    """Every event deleted and the head put back as a new database's: its seal is gone (a new
    chain's empty head is sealed at the first start), or it says unkeyed."""
    await write_events(database)
    zeros = b"\x00" * 32
    await tamper(
        database,
        delete(Event),
        update(AuditHead).values(hash=zeros, last_event_id=0, seal=None),
    )
    state = await verified(database)
    assert (state.fault, state.broken_at, state.events) == (ChainFault.HEAD, 0, 0)
    await tamper(database, update(AuditHead).values(keyed_at=None))
    assert (await verified(database)).fault is ChainFault.UNKEYED


async def test_a_chain_made_unkeyed_again_is_reported_not_trusted(database: Database) -> None:
    """Clearing `keyed_at` and rebuilding with plain SHA-256 gives a consistent unkeyed chain:
    it is reported as such, and `key_event_chain` is never run by then (the key exists)."""
    ids = await write_events(database)
    async with database.sessions.begin() as session:
        await session.execute(update(Event).where(Event.id == ids[3]).values(note="rewritten"))
        await rebuild(session, lambda prev, e: hashlib.sha256(prev + body_of(e)).digest())
        await session.execute(update(AuditHead).values(keyed_at=None, seal=None))
    state = await verified(database)
    assert (state.fault, state.events) == (ChainFault.UNKEYED, EVENTS)


async def unkeyed_database(database: Database) -> None:
    """Make the fresh database's head as an old one's: events are then linked unkeyed."""
    await tamper(database, update(AuditHead).values(keyed_at=None, seal=None))


async def test_an_old_unkeyed_chain_is_keyed_once(database: Database) -> None:
    await unkeyed_database(database)
    ids = await write_events(database)
    assert (await verified(database)).fault is ChainFault.UNKEYED
    async with database.sessions.begin() as session:
        keyed = await key_event_chain(session)
    assert keyed is not None
    assert (keyed.events, keyed.earlier_fault) == (EVENTS, None)
    state = await verified(database)
    assert state.intact
    assert state.keyed_at is not None
    await write_events(database, 2)  # new events continue the keyed chain
    assert (await verified(database)).intact
    async with database.sessions.begin() as session:
        assert await key_event_chain(session) is None  # keyed already: nothing done
    await tamper(database, update(Event).where(Event.id == ids[1]).values(note="x"))
    assert (await verified(database)).broken_at == ids[1]


async def test_keying_a_broken_unkeyed_chain_says_where_it_was_broken(
    database: Database,
) -> None:
    await unkeyed_database(database)
    ids = await write_events(database)
    await tamper(database, update(Event).where(Event.id == ids[2]).values(note="x"))
    async with database.sessions.begin() as session:
        keyed = await key_event_chain(session)
    assert keyed is not None
    assert (keyed.earlier_fault, keyed.earlier_broken_at) == (ChainFault.EDITED, ids[2])


async def test_a_database_opened_with_another_key_finds_the_chain_broken(
    database: Database,
) -> None:
    ids = await write_events(database)
    other = Database.connect(
        str(database.engine.url.render_as_string(hide_password=False)),
        audit_key=AuditKey(AuditKey.generate_key()),
        schema=database.engine.dialect.default_schema_name
        if database.backend == "postgresql"
        else None,
    )
    try:
        async with other.sessions() as session:
            state = await verify_event_chain(session)
    finally:
        await other.close()
    assert (state.fault, state.broken_at) == (ChainFault.EDITED, ids[0])


async def test_without_the_key_no_event_is_written(database: Database) -> None:
    keyless = Database(database.engine, type(database.sessions)(database.engine))
    with pytest.raises(RuntimeError, match="audit chain's key"):
        async with keyless.sessions.begin() as session:
            await append_event(session, actor_kind=ActorKind.SYSTEM, actor_id=None, action="x")
    assert (await verified(database)).events == 0
