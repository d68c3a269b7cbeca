"""Which bot processes are alive, and what happens to the work of one that is not.

Every running bot registers a `process` row and beats (moves its `heartbeat_at`) every few
seconds. Leases name the process that holds them: a document being checked, an outbox row being
sent, a draft whose replies were committed and not yet confirmed sent. A process that stopped,
or has not beaten for `timeout` seconds, or (on this host) whose pid no longer exists, is dead;
the first live process to notice reaps it, in one transaction:

- its documents' and outbox rows' leases are released at once (instead of after the lease's
  length: five minutes for an outbox row), so they are claimed again within seconds;
- the replies it owed become this process's, which sends each such chat its current question
  again (`Reaped.owed_chats`): a resident never waits for a message that died with a process;
- its row is marked reaped.

On PostgreSQL the rows of dead processes are locked with SKIP LOCKED, so two live processes never
reap the same one. A restarted bot finds its previous incarnation by pid at once.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol, cast

from sqlalchemy import BindParameter, Table, bindparam, select, update

from intake.deps import Deps
from storage.models import Document, Draft, Outbox, ProcessRecord, utcnow
from storage.states import DocumentStatus, OutboxStatus

__all__ = ["LeaseHolder", "ProcessRegistry", "Reaped", "pid_alive"]

log = logging.getLogger("hoso.processes")

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
_CANDIDATES = select(
    _PROCESSES.c.id,
    _PROCESSES.c.host,
    _PROCESSES.c.pid,
    _PROCESSES.c.heartbeat_at,
    _PROCESSES.c.stopped_at,
).where(_PROCESSES.c.reaped_at.is_(None), _PROCESSES.c.id != bindparam("me"))
# PostgreSQL: the dead ones locked, skipping those another process is reaping
_LOCK_DEAD = (
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


class LeaseHolder(Protocol):
    """The process that holds the leases a service takes (a `ProcessRegistry`)."""

    @property
    def id(self) -> uuid.UUID: ...


def pid_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this host (another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class Reaped:
    """What one reaping pass took over."""

    processes: int = 0
    documents: int = 0
    outbox: int = 0
    owed_chats: Sequence[int] = field(default_factory=tuple)


@dataclass(frozen=True)
class _Candidate:
    id: uuid.UUID
    host: str
    pid: int
    heartbeat_at: datetime
    stopped_at: datetime | None


class ProcessRegistry:
    """This process's row, its heartbeat, and the reaping of dead processes."""

    def __init__(
        self,
        deps: Deps,
        *,
        mode: str,
        timeout: float = 15.0,
        host: str | None = None,
        pid: int | None = None,
    ) -> None:
        self._deps = deps
        self.id = uuid.uuid4()
        self.mode = mode
        self.timeout = timedelta(seconds=timeout)
        self.host = host if host is not None else socket.gethostname()[:255]
        self.pid = pid if pid is not None else os.getpid()
        self._registered = False

    @property
    def beat_interval(self) -> float:
        return self.timeout.total_seconds() / 5

    async def register(self) -> None:
        now = utcnow()
        async with self._deps.database.sessions.begin() as session:
            session.add(
                ProcessRecord(
                    id=self.id,
                    host=self.host,
                    pid=self.pid,
                    mode=self.mode,
                    started_at=now,
                    heartbeat_at=now,
                )
            )
        self._registered = True
        log.info("process registered", extra={"process_id": str(self.id), "mode": self.mode})

    async def beat(self) -> None:
        async with self._deps.database.sessions.begin() as session:
            connection = await session.connection()
            beaten = await connection.execute(_BEAT, {"me": self.id, "now": utcnow()})
        if beaten.rowcount == 0:
            # Taken for dead (the event loop stood still longer than the timeout): another
            # process has taken over what this one held. Carry on under a new name, so that
            # what it leases from now on is reaped if it dies.
            log.warning("this process was taken for dead; registering again")
            self.id = uuid.uuid4()
            await self.register()

    def _dead(self, candidate: _Candidate, now: datetime) -> bool:
        if candidate.stopped_at is not None:
            return True
        if candidate.heartbeat_at < now - self.timeout:
            return True
        return candidate.host == self.host and not pid_alive(candidate.pid)

    async def reap(self) -> Reaped:
        """Take over the leases and owed replies of every dead process (one transaction)."""
        now = utcnow()
        async with self._deps.database.sessions.begin() as session:
            connection = await session.connection()
            rows = (await connection.execute(_CANDIDATES, {"me": self.id})).all()
            dead = [row.id for row in rows if self._dead(_Candidate(*row), now)]
            if dead and self._deps.database.backend == "postgresql":
                dead = list((await connection.execute(_LOCK_DEAD, {"dead": dead})).scalars())
            if not dead:
                return Reaped()
            values = {"dead": dead, "now": now, "me": self.id}
            documents = (await connection.execute(_RELEASE_DOCUMENTS, values)).rowcount
            outbox = (await connection.execute(_RELEASE_OUTBOX, values)).rowcount
            owed = list((await connection.execute(_OWED_CHATS, values)).scalars())
            await connection.execute(_TAKE_OWED, values)
            await connection.execute(_MARK_REAPED, values)
        reaped = Reaped(len(dead), documents, outbox, tuple(owed))
        log.info(
            "dead processes reaped",
            extra={
                "processes": reaped.processes,
                "documents": documents,
                "outbox": outbox,
                "owed_replies": len(owed),
            },
        )
        return reaped

    async def stopped(self) -> None:
        """A clean stop: the others reap this process at their next pass (its owed replies)."""
        if not self._registered:
            return
        now = utcnow()
        async with self._deps.database.sessions.begin() as session:
            await (await session.connection()).execute(_MARK_STOPPED, {"me": self.id, "now": now})

    async def run(
        self,
        stop: asyncio.Event,
        on_reaped: Callable[[Reaped], Awaitable[None]],
    ) -> None:
        """Beat and reap until stopped; `on_reaped` sends the owed chats their question."""
        while not stop.is_set():
            try:
                await self.beat()
                reaped = await self.reap()
                if reaped.processes:
                    await on_reaped(reaped)
            except Exception:
                log.exception("heartbeat failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.beat_interval)
