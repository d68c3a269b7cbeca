"""Process heartbeats, and what the reaping of a dead process changes: its document and outbox
leases released, the replies it owed handed to the reaper, its row marked reaped."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import BindParameter, Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Document, Draft, Outbox, ProcessRecord
from storage.states import DocumentStatus, OutboxStatus

__all__ = [
    "ProcessRow",
    "add_process",
    "beat",
    "lock_unreaped",
    "mark_reaped",
    "mark_stopped",
    "release_leases",
    "take_owed_replies",
    "unreaped_processes",
]

_PROCESSES = cast(Table, ProcessRecord.__table__)
_DOCUMENTS = cast(Table, Document.__table__)
_OUTBOX = cast(Table, Outbox.__table__)
_DRAFTS = cast(Table, Draft.__table__)
_DEAD: BindParameter[list[uuid.UUID]] = bindparam("dead", expanding=True)
_BEAT = (
    update(_PROCESSES)
    .where(_PROCESSES.c.id == bindparam("me"), _PROCESSES.c.reaped_at.is_(None))
    .values(heartbeat_at=bindparam("now"))
)
_UNREAPED = select(
    _PROCESSES.c.id,
    _PROCESSES.c.host,
    _PROCESSES.c.pid,
    _PROCESSES.c.heartbeat_at,
    _PROCESSES.c.stopped_at,
).where(_PROCESSES.c.reaped_at.is_(None), _PROCESSES.c.id != bindparam("me"))
# PostgreSQL: the dead ones locked, skipping those another process is reaping
_LOCK_UNREAPED = (
    select(_PROCESSES.c.id)
    .where(_PROCESSES.c.id.in_(_DEAD), _PROCESSES.c.reaped_at.is_(None))
    .with_for_update(skip_locked=True)
)
_RELEASE_DOCUMENTS = (
    update(_DOCUMENTS)
    .where(_DOCUMENTS.c.leased_by.in_(_DEAD), _DOCUMENTS.c.status == DocumentStatus.PENDING)
    .values(not_before=bindparam("now"), leased_by=None)
)
_RELEASE_OUTBOX = (
    update(_OUTBOX)
    .where(_OUTBOX.c.leased_by.in_(_DEAD), _OUTBOX.c.status == OutboxStatus.PENDING)
    .values(not_before=bindparam("now"), leased_by=None)
)
_OWED_CHATS = select(_DRAFTS.c.chat_id).where(_DRAFTS.c.reply_owed_by.in_(_DEAD))
_TAKE_OWED = (
    update(_DRAFTS).where(_DRAFTS.c.reply_owed_by.in_(_DEAD)).values(reply_owed_by=bindparam("me"))
)
_MARK_REAPED = (
    update(_PROCESSES).where(_PROCESSES.c.id.in_(_DEAD)).values(reaped_at=bindparam("now"))
)
_MARK_STOPPED = (
    update(_PROCESSES)
    .where(_PROCESSES.c.id == bindparam("me"))
    .values(stopped_at=bindparam("now"), heartbeat_at=bindparam("now"))
)


@dataclass(frozen=True)
class ProcessRow:
    id: uuid.UUID
    host: str
    pid: int
    heartbeat_at: datetime
    stopped_at: datetime | None


async def add_process(
    session: AsyncSession, process_id: uuid.UUID, *, host: str, pid: int, mode: str, now: datetime
) -> None:
    await (await session.connection()).execute(
        insert(_PROCESSES),
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
