"""Unlocked commune identities, held in this process's memory for one console session.

To see documents an officer unlocks their commune's key with its passphrase. Unlocking is
age's scrypt (seconds of CPU), so it runs in a worker thread, one at a time for the whole
process (a queue of officers waits rather than starving the event loop's thread pool). Wrong
passphrases are counted from the audit log (`console_unlock_failed` events), so the limit holds
across restarts and processes: after `MAX_FAILURES` wrong attempts within `FAILURE_WINDOW` a
staff member must wait until the oldest of them leaves the window.

The identity never leaves memory: it is kept here under the session's id, never pickled,
logged, written or sent; it is dropped at sign-out, when the session times out (idle: the
vault's own clock, checked at every use and every minute by `run`), 12 hours after the unlock
(the session's own limit), and when the session is found ended.
The passphrase is not kept at all.

A commune with several active keys (after a key rotation) is unlocked with its newest: the
documents sealed since then open with it; older documents need the older key's passphrase,
which the same form accepts (every active key that the passphrase opens is kept).
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from crypto import CryptoError, Identity, unlock_identity
from intake.console._access import ABSOLUTE_TIMEOUT, IDLE_TIMEOUT, ConsoleUser
from storage.deps import Deps
from storage.models import utcnow
from storage.repositories import console as rows
from storage.repositories.audit import append_event
from storage.states import ActorKind

__all__ = ["FAILURE_WINDOW", "MAX_FAILURES", "KeyVault", "Unlock", "UnlockResult"]

MAX_FAILURES = 5
FAILURE_WINDOW = timedelta(minutes=15)
_MAX_PASSPHRASE = 1024
_SWEEP_SECONDS = 60.0


class Unlock(StrEnum):
    UNLOCKED = "unlocked"
    WRONG = "wrong"  # wrong passphrase; `attempts_left` says how many remain
    LIMITED = "limited"  # too many wrong attempts: wait
    NO_KEY = "no_key"  # the commune has no passphrase-locked key in the database
    BUSY = "busy"  # this staff member's previous attempt is still running


@dataclass(frozen=True, slots=True)
class UnlockResult:
    outcome: Unlock
    attempts_left: int = 0


class KeyVault:
    """session id → (commune id → identities), with the time of last use."""

    def __init__(
        self,
        deps: Deps,
        *,
        idle: timedelta = IDLE_TIMEOUT,
        absolute: timedelta = ABSOLUTE_TIMEOUT,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._deps = deps
        self._idle = idle.total_seconds()
        self._absolute = absolute.total_seconds()
        self._clock = clock
        self._unlocked_at: dict[int, float] = {}
        self._waiting: set[int] = set()  # staff members whose unlock is queued or running
        self._held: dict[int, dict[int, list[Identity]]] = {}
        self._used: dict[int, float] = {}
        self._unlocking = asyncio.Lock()

    def __repr__(self) -> str:
        return f"KeyVault(sessions={len(self._held)})"

    @property
    def sessions_held(self) -> int:
        """How many sessions hold an unlocked key now."""
        self.drop_idle()
        return len(self._held)

    def identities(self, user: ConsoleUser, commune_id: int) -> list[Identity]:
        """The session's unlocked identities for a commune (empty if none or expired)."""
        self.drop_idle()
        held = self._held.get(user.session_id, {}).get(commune_id, [])
        if held:
            self._used[user.session_id] = self._clock()
        return list(held)

    def unlocked(self, user: ConsoleUser, commune_id: int) -> bool:
        return bool(self.identities(user, commune_id))

    def forget(self, session_id: int) -> None:
        self._held.pop(session_id, None)
        self._used.pop(session_id, None)
        self._unlocked_at.pop(session_id, None)

    def drop_idle(self) -> None:
        """Forget the keys of sessions idle for the idle timeout, or unlocked longer ago than
        a session may last (the console's janitor calls this every minute)."""
        now = self._clock()
        for session_id in list(self._used):
            idle = now - self._used[session_id] >= self._idle
            old = now - self._unlocked_at.get(session_id, now) >= self._absolute
            if idle or old:
                self.forget(session_id)

    async def run(self, stop: asyncio.Event) -> None:
        """The janitor: unused keys leave memory even when no one uses the console."""
        while not stop.is_set():
            self.drop_idle()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=_SWEEP_SECONDS)
        self._held.clear()
        self._used.clear()

    async def unlock(self, user: ConsoleUser, commune_id: int, passphrase: str) -> UnlockResult:
        """Try the passphrase on the commune's locked keys, off the event loop and one at a
        time: the wrong attempts are counted inside the same turn, so a burst of guesses sent
        at once is counted one by one."""
        if user.staff_id in self._waiting:
            return UnlockResult(Unlock.BUSY)  # one attempt at a time per staff member
        self._waiting.add(user.staff_id)
        try:
            async with self._unlocking:
                return await self._unlock(user, commune_id, passphrase)
        finally:
            self._waiting.discard(user.staff_id)

    async def _unlock(self, user: ConsoleUser, commune_id: int, passphrase: str) -> UnlockResult:
        async with self._deps.database.sessions() as session:
            locked = await rows.locked_identities(session, commune_id)
            failures = await rows.unlock_failures(
                session, user.staff_id, since=utcnow() - FAILURE_WINDOW
            )
        if not locked:
            return UnlockResult(Unlock.NO_KEY)
        if failures >= MAX_FAILURES:
            return UnlockResult(Unlock.LIMITED)
        opened: list[Identity] = []
        if passphrase and len(passphrase) <= _MAX_PASSPHRASE:
            opened = await asyncio.to_thread(_open_all, locked, passphrase)
        async with self._deps.database.sessions.begin() as session:
            await append_event(
                session,
                actor_kind=ActorKind.STAFF,
                actor_id=str(user.staff_id),
                action="console_unlocked" if opened else "console_unlock_failed",
                commune_id=commune_id,
                data={"session": user.session_id, "keys": len(opened)},
            )
        if not opened:
            left = max(0, MAX_FAILURES - failures - 1)
            return UnlockResult(Unlock.WRONG if left else Unlock.LIMITED, left)
        now = self._clock()
        self._held.setdefault(user.session_id, {})[commune_id] = opened
        self._used[user.session_id] = now
        self._unlocked_at.setdefault(user.session_id, now)
        return UnlockResult(Unlock.UNLOCKED)


def _open_all(locked: list[bytes], passphrase: str) -> list[Identity]:
    """Every key the passphrase opens (newest first); scrypt, so seconds each."""
    opened = []
    for data in locked:
        try:
            opened.append(unlock_identity(data, passphrase))
        except CryptoError:
            continue
    return opened
