"""Updates taken by long polling are kept until they are handled.

Telegram forgets an update once the next `getUpdates` asks for a higher offset. PTB's own
polling asks for it as soon as the updates are queued in memory, before they are handled, so a
bot killed with a queue (an album's photos waiting for their chat's turn, a burst) lost those
updates for good: a resident's photo or "send" press silently vanished. Here each batch is
written to the database first (encrypted: it holds what residents typed), Telegram is told to
forget it only then, and a handled update is crossed off (in batches, once a second). At start,
what a crash left is handled first, in order; an update that was handled but not yet crossed off
is recognised by its id as always (`processed_update`) and ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence

from storage.deps import Deps
from storage.repositories.updates import keep_updates, kept_updates, remove_kept

__all__ = ["UpdateInbox"]

log = logging.getLogger("hoso.inbox")


class UpdateInbox:
    """One bot's kept updates: `keep` before confirming to Telegram, `handled` after."""

    def __init__(self, deps: Deps, bot_id: int) -> None:
        self._deps = deps
        self._bot_id = bot_id
        self._handled: list[int] = []

    async def keep(self, batch: Sequence[tuple[int, str]]) -> None:
        """Keep (update id, the update's JSON) pairs; one already kept is left as it is."""
        if not batch:
            return
        async with self._deps.database.sessions.begin() as session:
            await keep_updates(session, self._deps.fields, self._bot_id, batch)

    def handled(self, update_id: int) -> None:
        """The update was handled (or failed and was logged): cross it off at the next flush."""
        self._handled.append(update_id)

    async def flush(self) -> int:
        done, self._handled = self._handled, []
        if done:
            async with self._deps.database.sessions.begin() as session:
                await remove_kept(session, self._bot_id, done)
        return len(done)

    async def left(self) -> list[tuple[int, str]]:
        """What a previous run kept and did not cross off, oldest first. A row that cannot be
        read (a key that was removed) is logged and dropped."""
        async with self._deps.database.sessions() as session:
            kept = await kept_updates(session, self._deps.fields, self._bot_id)
        readable = []
        for update_id, text in kept:
            if text is None:
                log.error("a kept update cannot be read", extra={"update_id": update_id})
                self._handled.append(update_id)
            else:
                readable.append((update_id, text))
        return readable

    async def run(self, stop: asyncio.Event, *, every: float = 1.0) -> None:
        """Cross off what was handled, every `every` seconds and once more at the stop."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)
            try:
                await self.flush()
            except Exception:  # not crossed off: ignored by id when handled again
                log.exception("handled updates not crossed off")
