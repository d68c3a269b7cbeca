"""Process heartbeats, and what the reaping of a dead process changes: its document and outbox
leases released, the replies it owed handed to the reaper, its row marked reaped; and the
processes `hoso status` lists with the leases each holds."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import BindParameter, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Document, Draft, Outbox, ProcessRecord
from storage.states import DocumentStatus, OutboxStatus, ProcessMode

__all__ = [
    "ProcessLeases",
    "ProcessRow",
    "add_process",
    "beat",
    "lock_unreaped",
    "mark_reaped",
    "mark_stopped",
    "processes_with_leases",
    "release_leases",
    "take_owed_replies",
    "unreaped_processes",
]

_DEAD: BindParameter[list[uuid.UUID]] = bindparam("dead", expanding=True)
_BEAT = (
    update(ProcessRecord)
    .where(ProcessRecord.id == bindparam("me"), ProcessRecord.reaped_at.is_(None))
    .values(heartbeat_at=bindparam("now"))
)
# a process row's columns, in `ProcessRow`'s order
_ROW = (
    ProcessRecord.id,
    ProcessRecord.host,
    ProcessRecord.pid,
    ProcessRecord.mode,
    ProcessRecord.started_at,
    ProcessRecord.heartbeat_at,
    ProcessRecord.stopped_at,
)
_UNREAPED = select(*_ROW).where(
    ProcessRecord.reaped_at.is_(None), ProcessRecord.id != bindparam("me")
)
# PostgreSQL: the dead ones locked, skipping those another process is reaping
_LOCK_UNREAPED = (
    select(ProcessRecord.id)
    .where(ProcessRecord.id.in_(_DEAD), ProcessRecord.reaped_at.is_(None))
    .with_for_update(skip_locked=True)
)
_RELEASE_DOCUMENTS = (
    update(Document)
    .where(Document.leased_by.in_(_DEAD), Document.status == DocumentStatus.PENDING)
    .values(not_before=bindparam("now"), leased_by=None)
)
_RELEASE_OUTBOX = (
    update(Outbox)
    .where(Outbox.leased_by.in_(_DEAD), Outbox.status == OutboxStatus.PENDING)
    .values(not_before=bindparam("now"), leased_by=None)
)
_OWED_CHATS = select(Draft.chat_id).where(Draft.reply_owed_by.in_(_DEAD))
_TAKE_OWED = (
    update(Draft).where(Draft.reply_owed_by.in_(_DEAD)).values(reply_owed_by=bindparam("me"))
)
_MARK_REAPED = (
    update(ProcessRecord).where(ProcessRecord.id.in_(_DEAD)).values(reaped_at=bindparam("now"))
)
_MARK_STOPPED = (
    update(ProcessRecord)
    .where(ProcessRecord.id == bindparam("me"))
    .values(stopped_at=bindparam("now"), heartbeat_at=bindparam("now"))
)


_LEASED_DOCUMENTS = (
    select(func.count())
    .where(Document.leased_by == ProcessRecord.id, Document.status == DocumentStatus.PENDING)
    .correlate(ProcessRecord)
    .scalar_subquery()
)
_LEASED_OUTBOX = (
    select(func.count())
    .where(Outbox.leased_by == ProcessRecord.id, Outbox.status == OutboxStatus.PENDING)
    .correlate(ProcessRecord)
    .scalar_subquery()
)
_WITH_LEASES = (
    select(*_ROW, _LEASED_DOCUMENTS, _LEASED_OUTBOX)
    .where(ProcessRecord.reaped_at.is_(None))
    .order_by(ProcessRecord.started_at, ProcessRecord.id)
)


@dataclass(frozen=True)
class ProcessRow:
    """A bot process's row (storage.models.ProcessRecord), as the registry judges it."""

    id: uuid.UUID
    host: str
    pid: int
    mode: ProcessMode
    started_at: datetime
    heartbeat_at: datetime
    stopped_at: datetime | None


@dataclass(frozen=True)
class ProcessLeases:
    """A bot process not yet reaped, and the pending documents and outbox rows it leases."""

    process: ProcessRow
    documents: int
    outbox: int


async def add_process(
    session: AsyncSession,
    process_id: uuid.UUID,
    *,
    host: str,
    pid: int,
    mode: ProcessMode,
    now: datetime,
) -> None:
    await (await session.connection()).execute(
        insert(ProcessRecord),
        {
            "id": process_id,
            "host": host,
            "pid": pid,
            "mode": mode,
            "started_at": now,
            "heartbeat_at": now,
        },
    )


async def beat(session: AsyncSession, process_id: uuid.UUID, now: datetime) -> bool:
    """Move the heartbeat; False when the process was reaped (taken for dead)."""
    result = await (await session.connection()).execute(_BEAT, {"me": process_id, "now": now})
    return bool(result.rowcount)


async def unreaped_processes(session: AsyncSession, me: uuid.UUID) -> list[ProcessRow]:
    rows = await (await session.connection()).execute(_UNREAPED, {"me": me})
    return [ProcessRow(*row) for row in rows]


async def processes_with_leases(session: AsyncSession) -> list[ProcessLeases]:
    """Every process not reaped (alive, or dead and not yet noticed), oldest first."""
    rows = await (await session.connection()).execute(_WITH_LEASES)
    return [ProcessLeases(ProcessRow(*row[:-2]), row[-2], row[-1]) for row in rows]


async def lock_unreaped(session: AsyncSession, dead: Sequence[uuid.UUID]) -> list[uuid.UUID]:
    """PostgreSQL: lock the dead processes' rows, skipping those another process is reaping."""
    connection = await session.connection()
    return list((await connection.execute(_LOCK_UNREAPED, {"dead": list(dead)})).scalars())


async def release_leases(
    session: AsyncSession, dead: Sequence[uuid.UUID], now: datetime
) -> tuple[int, int]:
    """Make the dead processes' pending documents and outbox rows claimable now; returns how
    many of each."""
    connection = await session.connection()
    values = {"dead": list(dead), "now": now}
    documents = (await connection.execute(_RELEASE_DOCUMENTS, values)).rowcount
    outbox = (await connection.execute(_RELEASE_OUTBOX, values)).rowcount
    return documents, outbox


async def take_owed_replies(
    session: AsyncSession, dead: Sequence[uuid.UUID], me: uuid.UUID
) -> list[int]:
    """The chats whose replies the dead processes owed, owed by `me` from now on."""
    connection = await session.connection()
    values = {"dead": list(dead), "me": me}
    chats = list((await connection.execute(_OWED_CHATS, values)).scalars())
    await connection.execute(_TAKE_OWED, values)
    return chats


async def mark_reaped(session: AsyncSession, dead: Sequence[uuid.UUID], now: datetime) -> None:
    await (await session.connection()).execute(_MARK_REAPED, {"dead": list(dead), "now": now})


async def mark_stopped(session: AsyncSession, process_id: uuid.UUID, now: datetime) -> None:
    await (await session.connection()).execute(_MARK_STOPPED, {"me": process_id, "now": now})
