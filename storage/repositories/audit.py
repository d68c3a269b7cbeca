"""The audit log: append-only events, each hashing the previous one, chained at commit.

Every change of review state, every consent, every refusal and every export is an event with its
actor, time and note. `append_event` queues the event on the session; `_chain_on_commit` chains
the transaction's events to the head just before the commit (see `append_event` for why);
`verify_event_chain` finds the first event whose hash does not match.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

import sqlalchemy as sa
from sqlalchemy import ColumnElement, Table, bindparam, func, insert, select, update
from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from storage.models import AuditHead, Event, Staff, Submission, utcnow
from storage.states import ActorKind, StaffRole

__all__ = [
    "AuditQuery",
    "append_event",
    "count_events",
    "event_time",
    "events_in_chain",
    "search_events",
    "staff_actors",
    "staff_names",
    "verify_event_chain",
]

_GENESIS = b"\x00" * 32


def _event_hash(prev: bytes, event: Event) -> bytes:
    body = json.dumps(
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
    return hashlib.sha256(prev + body).digest()


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
_LOCK_HEAD = select(_HEADS.c.hash).where(_HEADS.c.id == 1).with_for_update()
_ADD_EVENT = insert(_EVENTS).returning(_EVENTS.c.id)
_MOVE_HEAD = (
    update(_HEADS)
    .where(_HEADS.c.id == 1)
    .values(hash=bindparam("new_hash"), last_event_id=bindparam("event_id"))
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
    session.flush()
    connection = session.connection()
    head = connection.scalar(_LOCK_HEAD)
    if head is None:  # the first migration creates it; its absence means a damaged database
        raise RuntimeError("the audit chain head is missing")
    event_id = 0
    for event in events:
        event.prev_hash = head
        event.hash = head = _event_hash(head, event)
        row = {column: getattr(event, column) for column in _EVENT_COLUMNS}
        event_id = connection.execute(_ADD_EVENT, row).scalar_one()
    connection.execute(_MOVE_HEAD, {"new_hash": head, "event_id": event_id})


@sa_event.listens_for(Session, "after_rollback")
def _drop_unchained(session: Session) -> None:
    if not session.in_nested_transaction():
        session.info.pop(_UNCHAINED, None)


async def verify_event_chain(session: AsyncSession) -> int | None:
    """The id of the first event whose hash does not match, or None if the chain is intact."""
    prev = _GENESIS
    for event in await session.scalars(select(Event).order_by(Event.id)):
        if event.prev_hash != prev or _event_hash(prev, event) != event.hash:
            return event.id
        prev = event.hash
    return None


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
