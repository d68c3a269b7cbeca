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
reap the same one. A restarted bot finds its previous incarnation by pid at once. Whether a
process is dead is decided here (`is_dead`, pure); the statements are in
storage/repositories/processes.py.
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
from typing import Protocol

from storage.deps import Deps
from storage.models import utcnow
from storage.repositories import processes as rows
from storage.repositories.processes import ProcessRow

__all__ = ["LeaseHolder", "ProcessRegistry", "Reaped", "is_dead", "pid_alive"]

log = logging.getLogger("hoso.processes")


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


def is_dead(
    process: ProcessRow,
    *,
    now: datetime,
    timeout: timedelta,
    host: str,
    alive: Callable[[int], bool] = pid_alive,
) -> bool:
    """Stopped, silent longer than `timeout`, or on this host with its pid gone."""
    if process.stopped_at is not None:
        return True
    if process.heartbeat_at < now - timeout:
        return True
    return process.host == host and not alive(process.pid)


@dataclass(frozen=True)
class Reaped:
    """What one reaping pass took over."""

    processes: int = 0
    documents: int = 0
    outbox: int = 0
    owed_chats: Sequence[int] = field(default_factory=tuple)


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
        async with self._deps.database.sessions.begin() as session:
            await rows.add_process(
                session, self.id, host=self.host, pid=self.pid, mode=self.mode, now=utcnow()
            )
        self._registered = True
        log.info("process registered", extra={"process_id": str(self.id), "mode": self.mode})

    async def beat(self) -> None:
        async with self._deps.database.sessions.begin() as session:
            beaten = await rows.beat(session, self.id, utcnow())
        if not beaten:
            # Taken for dead (the event loop stood still longer than the timeout): another
            # process has taken over what this one held. Carry on under a new name, so that
            # what it leases from now on is reaped if it dies.
            log.warning("this process was taken for dead; registering again")
            self.id = uuid.uuid4()
            await self.register()

    async def reap(self) -> Reaped:
        """Take over the leases and owed replies of every dead process (one transaction)."""
        now = utcnow()
        async with self._deps.database.sessions.begin() as session:
            candidates = await rows.unreaped_processes(session, self.id)
            dead = [
                p.id
                for p in candidates
                if is_dead(p, now=now, timeout=self.timeout, host=self.host)
            ]
            if dead and self._deps.database.backend == "postgresql":
                dead = await rows.lock_unreaped(session, dead)
            if not dead:
                return Reaped()
            documents, outbox = await rows.release_leases(session, dead, now)
            owed = await rows.take_owed_replies(session, dead, self.id)
            await rows.mark_reaped(session, dead, now)
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
        async with self._deps.database.sessions.begin() as session:
            await rows.mark_stopped(session, self.id, utcnow())

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
