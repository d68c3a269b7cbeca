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

A clean stop hands the process's leases back itself, in the transaction that marks it stopped,
after its workers have finished what they took (bot/runtime.py): another process claims them
within seconds, without waiting for a lease to run out or for a reaper. The heartbeat goes on
beating until that last step (its own stop event), however long the stop takes: a process that
is finishing its work is alive, and is not reaped while it still sends.

Telegram gives a bot's updates one way at a time: long polling (one process) or a webhook (any
number of processes behind a load balancer). So a process registers only if the live ones
agree with its mode (`updates_refusal`, pure): a poller beside no other live process, a
webhook process beside no live poller; otherwise it is refused (`StartRefused`) with one
sentence naming the other process. On PostgreSQL the check and the registration are one
transaction under an advisory lock, so two processes starting together cannot both pass it (on
SQLite the transaction's `BEGIN IMMEDIATE` serialises them).

A process taken for dead (its event loop stood still longer than the timeout) has been reaped:
its heartbeat registers it again under a new name, with the same check; when refused (a poller
started meanwhile) it still registers, so that what it holds stays covered, and it stops
(`beat` returns why; bot/runtime.py stops the process with that sentence in its log).

Every heartbeat also compares the database's schema with this code's (`schema_problem`): when
another process, a newer hoso, has migrated it further, this process stops (the sentence in its
log, `/healthz` 503 from then on): it claims no new work with old code (documents, outbox rows,
daily jobs, the janitor, retention), finishes what it took, hands its leases back, and is
refused at start-up until upgraded. The heartbeat checks only while the process runs, not while
it stops.
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
from storage.repositories.locks import lock_process_start
from storage.repositories.processes import ProcessRow
from storage.states import ProcessMode

__all__ = [
    "LeaseHolder",
    "ProcessRegistry",
    "Reaped",
    "StartRefused",
    "is_dead",
    "pid_alive",
    "this_host",
    "updates_refusal",
]

log = logging.getLogger("hoso.processes")


class LeaseHolder(Protocol):
    """The process that holds the leases a service takes (a `ProcessRegistry`)."""

    @property
    def id(self) -> uuid.UUID: ...


def this_host() -> str:
    """The host name a process row records (its column's length)."""
    return socket.gethostname()[:255]


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


class StartRefused(Exception):
    """Another live process takes this database's updates in a way this one cannot join."""


def updates_refusal(mode: ProcessMode, live: Sequence[ProcessRow]) -> str | None:
    """Why a process in `mode` must not start beside the `live` processes (None: it may)."""
    pollers = [p for p in live if p.mode is ProcessMode.POLLING]
    if pollers:
        other = pollers[0]
        where = f"(host {other.host}, pid {other.pid})"
        if mode is ProcessMode.POLLING:
            return (
                f"another hoso process {where} already takes this bot's updates by long polling "
                "on this database: stop it first (one that died no longer counts after "
                "HOSO_PROCESS_TIMEOUT seconds), or run every process in webhook mode "
                "(HOSO_WEBHOOK_URL) behind a load balancer"
            )
        return (
            f"a hoso process {where} takes this bot's updates by long polling on this "
            "database: stop it before starting processes in webhook mode"
        )
    if mode is ProcessMode.POLLING and live:
        other = live[0]
        return (
            f"hoso processes in webhook mode (host {other.host}, pid {other.pid}, and "
            f"{len(live) - 1} more) serve this database, and long polling would switch their "
            "webhook off: set HOSO_WEBHOOK_URL to run this one beside them, or stop them first"
        )
    return None


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
        mode: ProcessMode,
        timeout: float,
        host: str | None = None,
        pid: int | None = None,
    ) -> None:
        self._deps = deps
        self.id = uuid.uuid4()
        self.mode = mode
        self.timeout = timedelta(seconds=timeout)
        self.host = host if host is not None else this_host()
        self.pid = pid if pid is not None else os.getpid()
        self._registered = False
        # why this process must not carry on as it is (the schema moved on), or None
        self.schema_problem: str | None = None

    @property
    def beat_interval(self) -> float:
        return self.timeout.total_seconds() / 5

    async def register(self, *, check: bool = True) -> None:
        """Add this process's row; `check`: refuse (`StartRefused`) when the live processes
        take updates in a way this one cannot join (module docstring)."""
        async with self._deps.database.sessions.begin() as session:
            now = utcnow()
            if check:
                await lock_process_start(session)
                live = [
                    p
                    for p in await rows.unreaped_processes(session, self.id)
                    if not is_dead(p, now=now, timeout=self.timeout, host=self.host)
                ]
                refusal = updates_refusal(self.mode, live)
                if refusal is not None:
                    raise StartRefused(refusal)
            await rows.add_process(
                session, self.id, host=self.host, pid=self.pid, mode=self.mode, now=now
            )
        self._registered = True
        log.info("process registered", extra={"process_id": str(self.id), "mode": self.mode})

    async def beat(self) -> str | None:
        """Move the heartbeat; returns why this process must stop (None: it runs on)."""
        async with self._deps.database.sessions.begin() as session:
            beaten = await rows.beat(session, self.id, utcnow())
        if beaten:
            return None
        # Taken for dead (the event loop stood still longer than the timeout): another process
        # has taken over what this one held. Carry on under a new name, so that what it leases
        # from now on is reaped if it dies; checked like a start, since a poller may have
        # started meanwhile.
        log.warning("this process was taken for dead; registering again")
        self.id = uuid.uuid4()
        try:
            await self.register()
        except StartRefused as refused:
            # registered all the same, so that what it holds while it stops stays covered
            await self.register(check=False)
            return f"this process was taken for dead and may not carry on: {refused}"
        return None

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
        """A clean stop, once the workers have finished: the documents and outbox rows this
        process still holds are handed back at once; the others reap it at their next pass
        (its owed replies)."""
        if not self._registered:
            return
        now = utcnow()
        async with self._deps.database.sessions.begin() as session:
            documents, outbox = await rows.release_leases(session, [self.id], now)
            await rows.mark_stopped(session, self.id, now)
        if documents or outbox:
            log.info("leases handed back", extra={"documents": documents, "outbox": outbox})

    async def check_schema(self) -> str | None:
        """Compare the database's schema with this code's (`schema_problem`); said once in
        the log when it changes."""
        problem = await self._deps.database.schema_problem()
        if problem != self.schema_problem:
            if problem is not None:
                log.error(
                    "the database's schema changed under this process", extra={"problem": problem}
                )
            else:
                log.info("the database's schema is this process's again")
            self.schema_problem = problem
        return problem

    async def run(
        self,
        stop: asyncio.Event,
        *,
        stopping: asyncio.Event,
        on_reaped: Callable[[Reaped], Awaitable[None]],
        on_must_stop: Callable[[str], None],
    ) -> None:
        """Beat until `stop` (set just before `stopped`); while the process runs (`stopping`
        not set), also check the schema and reap: `on_reaped` (quick: the next beat waits for
        it) has the owed chats asked their question, `on_must_stop` hears why this process
        must stop (module docstring)."""
        while not stop.is_set():
            try:
                must_stop = await self.beat()
                if not stopping.is_set():
                    must_stop = must_stop or await self.check_schema()
                if must_stop is not None and not stopping.is_set():
                    on_must_stop(must_stop)
                if not stopping.is_set():
                    reaped = await self.reap()
                    if reaped.processes:
                        await on_reaped(reaped)
            except Exception:
                log.exception("heartbeat failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=self.beat_interval)
