"""The audit log: append-only events, each linked to the previous one by a MAC, chained at
commit, and a sealed head.

Every change of review state, every consent, every refusal and every export is an event with its
actor, time and note. `append_event` queues the event on the session; `_chain_on_commit` chains
the transaction's events to the head just before the commit (see `append_event` for why).

The chain is keyed: each event's link is an HMAC (crypto.AuditKey, a server key of its own)
over the previous link and the event, and the head row is sealed by one more MAC over the newest
event's id and link. Someone holding the database alone can therefore neither rebuild the chain
after editing, removing or reordering events, nor rewind the head after removing the newest
ones; `verify_event_chain` finds and locates each (`ChainFault`). What the key cannot show is a
head replayed from an older copy of the database: that needs the head's value kept elsewhere
(`hoso audit verify` prints it).

Chains written before the key existed were plain SHA-256 links. `key_event_chain` re-keys such
a chain once, in one transaction, recording what it found in an `audit_chain_keyed` event;
`hoso init` runs it until a marker beside the keys says it was done (bot/wiring.py), never after,
so a chain unkeyed again by someone with the database alone is reported, not re-keyed. A new
database's chain is keyed by its migration and its empty head sealed at the first start with the
key (`seal_new_chain`), so emptying a chain and resetting its head is found as well.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Table, bindparam, func, insert, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from crypto import AuditKey
from storage.db import AUDIT_KEY
from storage.models import AuditHead, Event, Staff, Submission, utcnow
from storage.states import ActorKind, StaffRole

__all__ = [
    "AuditQuery",
    "ChainFault",
    "ChainState",
    "KeyedChain",
    "append_event",
    "count_events",
    "event_time",
    "events_in_chain",
    "key_event_chain",
    "seal_new_chain",
    "search_events",
    "staff_actors",
    "staff_names",
    "verify_event_chain",
]

_GENESIS = b"\x00" * 32


def _event_body(event: Event | sa.Row[Any]) -> bytes:
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
    ).encode("utf-8", "surrogatepass")  # any string hashes; a valid one as it always did


def _link(key: AuditKey | None, prev: bytes, event: Event | sa.Row[Any]) -> bytes:
    """An event's link: its MAC under the audit key, or the unkeyed SHA-256 of a chain that
    predates the key (`key` None)."""
    if key is None:
        return hashlib.sha256(prev + _event_body(event)).digest()
    return key.mac("audit event", prev + _event_body(event))


def _seal(key: AuditKey, last_event_id: int, link: bytes) -> bytes:
    """The head's seal: whoever rewinds the head to an older event cannot make its seal."""
    return key.mac("audit head", last_event_id.to_bytes(8, "big") + link)


def _key_of(session: Session) -> AuditKey:
    key = session.info.get(AUDIT_KEY)
    if key is None:
        raise RuntimeError("the audit chain's key is not configured on this database")
    return cast(AuditKey, key)


def _storable(value: Any) -> Any:
    """A note's or data's strings with lone surrogates (which no database accepts) replaced
    by U+FFFD. The adapter makes Telegram's text valid already; the audit takes no chances."""
    if isinstance(value, str):
        return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    if isinstance(value, dict):
        return {_storable(k): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    return value


async def append_event(
    session: AsyncSession,
    *,
    actor_kind: ActorKind,
    actor_id: str | None,
    action: str,
    commune_id: int | None = None,
    submission_id: Any = None,
    note: str = "",
    data: dict[str, Any] | None = None,
) -> None:
    """Append an audit event, chained to the previous one by hash, when the transaction commits.

    The chain has one head row, and two transactions appending at once must not fork it: the
    head is locked (`FOR UPDATE` on PostgreSQL; SQLite serialises writers anyway). Taken where
    the event is appended, the lock was held for the rest of the transaction, and on PostgreSQL
    every submission and every consent queued behind the one before it (200 submissions in two
    seconds: 2.4 s to a receipt, bench/README.md). So the event waits in the session and is
    chained just before the commit (`_chain_on_commit`), which holds the lock for a few
    statements only. Events of a transaction that rolls back are dropped with it. Savepoints
    are refused: their rollback would have to drop some queued events and keep others.
    """
    if session.in_nested_transaction():
        raise RuntimeError("audit events are not appended inside a savepoint")
    event = Event(
        at=utcnow(),
        actor_kind=actor_kind,
        actor_id=actor_id,
        action=action,
        commune_id=commune_id,
        submission_id=submission_id,
        note=_storable(note),
        data=_storable(data or {}),
    )
    session.sync_session.info.setdefault(_UNCHAINED, []).append(event)


_UNCHAINED = "hoso.unchained_events"


# The chain's statements, built once and run as plain statements (every consent and every
# submission commits through here).
_EVENTS = cast(Table, Event.__table__)
_HEADS = cast(Table, AuditHead.__table__)
_LOCK_HEAD = select(_HEADS.c.hash, _HEADS.c.keyed_at).where(_HEADS.c.id == 1).with_for_update()
_ADD_EVENT = insert(_EVENTS).returning(_EVENTS.c.id)
_MOVE_HEAD = (
    update(_HEADS)
    .where(_HEADS.c.id == 1)
    .values(
        hash=bindparam("new_hash"), last_event_id=bindparam("event_id"), seal=bindparam("seal")
    )
)
_EVENT_COLUMNS = tuple(column.name for column in _EVENTS.columns if column.name != "id")


@sa_event.listens_for(Session, "before_commit")
def _chain_on_commit(session: Session) -> None:
    """Chain the transaction's events to the head, under its lock (see `append_event`). Runs
    inside SQLAlchemy's asyncio bridge, where the synchronous session API may emit SQL. The
    events are written as rows, not added to the session: nothing reads them back here."""
    if session.in_nested_transaction():  # a savepoint's release: the real commit comes later
        return
    events: list[Event] = session.info.pop(_UNCHAINED, [])
    if not events:
        return
    # The transaction's pending changes first, as the commit would: the head's lock is then
    # held for these few statements only, and taken after the rows the events refer to.
    key = _key_of(session)
    session.flush()
    connection = session.connection()
    head_row = connection.execute(_LOCK_HEAD).one_or_none()
    if head_row is None:  # the first migration creates it; its absence means a damaged database
        raise RuntimeError("the audit chain head is missing")
    head, keyed_at = head_row
    link_key = key if keyed_at is not None else None  # an old chain stays unkeyed until init
    event_id = 0
    for event in events:
        event.prev_hash = head
        event.hash = head = _link(link_key, head, event)
        row = {column: getattr(event, column) for column in _EVENT_COLUMNS}
        event_id = connection.execute(_ADD_EVENT, row).scalar_one()
    seal = _seal(key, event_id, head) if link_key is not None else None
    connection.execute(_MOVE_HEAD, {"new_hash": head, "event_id": event_id, "seal": seal})


@sa_event.listens_for(Session, "after_rollback")
def _drop_unchained(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_UNCHAINED, None)


class ChainFault(StrEnum):
    """How a chain is broken, and so what its `broken_at` event id means."""

    EDITED = "edited"  # this event's content no longer matches its link
    LINK = "link"  # this event does not follow the one before it: one was removed or moved
    TRUNCATED = "truncated"  # the head names events after this one that are gone
    HEAD = "head"  # the head's seal does not match: it was rewound or rewritten after this one
    UNKEYED = "unkeyed"  # the chain has events but was never keyed (`hoso init` keys it)


@dataclass(frozen=True, slots=True)
class ChainState:
    """What a verification found: the events checked, and the first fault with the id of the
    event where it is (`broken_at`; for TRUNCATED and HEAD the last event still in order)."""

    events: int
    keyed_at: datetime | None
    head_event_id: int
    head_seal: bytes | None
    fault: ChainFault | None = None
    broken_at: int | None = None

    @property
    def intact(self) -> bool:
        return self.fault is None


_VERIFIED_COLUMNS = (
    Event.id,
    Event.at,
    Event.actor_kind,
    Event.actor_id,
    Event.action,
    Event.commune_id,
    Event.submission_id,
    Event.note,
    Event.data,
    Event.prev_hash,
    Event.hash,
)


async def verify_event_chain(session: AsyncSession) -> ChainState:
    """Check every event's link in the chain's order, then the head: the first fault found."""
    head = await session.get_one(AuditHead, 1, populate_existing=True)
    keyed = head.keyed_at is not None
    key = _key_of(session.sync_session) if keyed else None
    prev, count, last_id = _GENESIS, 0, 0

    def state(fault: ChainFault | None = None, at: int | None = None) -> ChainState:
        return ChainState(count, head.keyed_at, head.last_event_id, head.seal, fault, at)

    for event in await session.execute(select(*_VERIFIED_COLUMNS).order_by(Event.id)):
        if event.id > head.last_event_id:  # the head was moved back over events still here
            return state(ChainFault.HEAD, last_id)
        if event.prev_hash != prev:
            return state(ChainFault.LINK, event.id)
        if _link(key, prev, event) != event.hash:
            return state(ChainFault.EDITED, event.id)
        prev, count, last_id = event.hash, count + 1, event.id
    if head.last_event_id > last_id:
        return state(ChainFault.TRUNCATED, last_id)
    if head.last_event_id != last_id or head.hash != prev:
        return state(ChainFault.HEAD, last_id)
    if key is None:  # a new database is keyed by its migration: this one was unkeyed since
        return state(ChainFault.UNKEYED)
    if head.seal != _seal(key, last_id, prev):
        return state(ChainFault.HEAD, last_id)
    return state()


async def seal_new_chain(session: AsyncSession) -> None:
    """Seal the head of a chain keyed by its migration with no event yet (the migration has no
    key), so that an emptied chain is not taken for a new one."""
    key = _key_of(session.sync_session)
    await session.execute(
        update(_HEADS)
        .where(
            _HEADS.c.id == 1,
            _HEADS.c.keyed_at.is_not(None),
            _HEADS.c.seal.is_(None),
            _HEADS.c.last_event_id == 0,
        )
        .values(seal=_seal(key, 0, _GENESIS))
    )


@dataclass(frozen=True, slots=True)
class KeyedChain:
    """What keying an unkeyed chain did: the events re-linked, and where the unkeyed chain was
    broken before (the `audit_chain_keyed` event records it; re-keying cannot mend it)."""

    events: int
    earlier_fault: ChainFault | None
    earlier_broken_at: int | None


async def key_event_chain(session: AsyncSession) -> KeyedChain | None:
    """Re-link every event of an unkeyed chain under the audit key and seal its head, in the
    caller's transaction (the head locked); None when the chain is keyed already. Only for a
    chain that was never keyed (bot/wiring.py keeps that promise)."""
    key = _key_of(session.sync_session)
    locked = await session.execute(
        select(_HEADS.c.keyed_at).where(_HEADS.c.id == 1).with_for_update()
    )
    if locked.scalar_one() is not None:
        return None
    before = await verify_event_chain(session)
    prev, last_id, events = _GENESIS, 0, 0
    relink = (
        update(_EVENTS)
        .where(_EVENTS.c.id == bindparam("event_id"))
        .values(prev_hash=bindparam("new_prev"), hash=bindparam("new_link"))
    )
    links: list[dict[str, Any]] = []
    for event in await session.execute(select(*_VERIFIED_COLUMNS).order_by(Event.id)):
        link = _link(key, prev, event)
        links.append({"event_id": event.id, "new_prev": prev, "new_link": link})
        prev, last_id, events = link, event.id, events + 1
    for start in range(0, len(links), 1000):
        await session.execute(relink, links[start : start + 1000])
    await session.execute(
        update(_HEADS)
        .where(_HEADS.c.id == 1)
        .values(
            hash=prev, last_event_id=last_id, keyed_at=utcnow(), seal=_seal(key, last_id, prev)
        )
    )
    earlier = before.fault if before.fault is not ChainFault.UNKEYED else None
    return KeyedChain(events, earlier, before.broken_at if earlier else None)


# --- reading the log (the console's audit page and its CSV) ----------------------------------


@dataclass(frozen=True, slots=True)
class AuditQuery:
    """The events of one commune, narrowed: by actor (a kind, and for staff an id), action,
    submission (its receipt code), and time (`since` included, `before` not)."""

    commune_id: int
    actor_kind: ActorKind | None = None
    actor_id: str | None = None
    action: str | None = None
    receipt: str | None = None
    since: datetime | None = None
    before: datetime | None = None

    def where(self) -> list[ColumnElement[bool]]:
        where = [Event.commune_id == self.commune_id]
        if self.actor_kind is not None:
            where.append(Event.actor_kind == self.actor_kind)
        if self.actor_id is not None:
            where.append(Event.actor_id == self.actor_id)
        if self.action is not None:
            where.append(Event.action == self.action)
        if self.receipt is not None:
            submission = select(Submission.id).where(Submission.receipt_code == self.receipt)
            where.append(Event.submission_id.in_(submission))
        if self.since is not None:
            where.append(Event.at >= self.since)
        if self.before is not None:
            where.append(Event.at < self.before)
        return where


async def count_events(session: AsyncSession, query: AuditQuery) -> int:
    return await session.scalar(select(func.count(Event.id)).where(*query.where())) or 0


async def search_events(
    session: AsyncSession,
    query: AuditQuery,
    *,
    limit: int,
    offset: int = 0,
    below: int | None = None,
) -> list[tuple[Event, str | None]]:
    """The events newest first (in the chain's order), each with its submission's receipt code;
    `below`: only those before that event id (a CSV read in batches)."""
    statement = (
        select(Event, Submission.receipt_code)
        .outerjoin(Submission, Submission.id == Event.submission_id)
        .where(*query.where())
        .order_by(Event.id.desc())
        .offset(offset)
        .limit(limit)
    )
    if below is not None:
        statement = statement.where(Event.id < below)
    return [(event, receipt) for event, receipt in await session.execute(statement)]


async def staff_actors(session: AsyncSession, commune_id: int) -> list[tuple[int, str, StaffRole]]:
    """The staff members who appear as actors in a commune's events (id, name, role), whether
    or not they still serve, from anywhere (another commune's officer refused here shows)."""
    acted = (
        select(Event.actor_id)
        .where(Event.commune_id == commune_id, Event.actor_kind == ActorKind.STAFF)
        .distinct()
    )
    found = await session.execute(
        select(Staff.id, Staff.display_name, Staff.role).where(
            sa.cast(Staff.id, sa.String(64)).in_(acted)
        )
    )
    return [(staff_id, name, role) for staff_id, name, role in found]


async def staff_names(session: AsyncSession, staff_ids: set[int]) -> dict[int, str]:
    if not staff_ids:
        return {}
    found = await session.execute(
        select(Staff.id, Staff.display_name).where(Staff.id.in_(staff_ids))
    )
    return {row.id: row.display_name for row in found}


async def events_in_chain(session: AsyncSession) -> int:
    """How many events the chain holds, every commune's and none."""
    return await session.scalar(select(func.count(Event.id))) or 0


async def event_time(session: AsyncSession, event_id: int) -> datetime | None:
    return await session.scalar(select(Event.at).where(Event.id == event_id))
