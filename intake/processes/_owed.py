"""Replies a step committed are owed until they are confirmed sent.

Every resident step (and every verdict) writes its draft with `reply_owed` = the version it
wrote and `reply_owed_by` = this process, in the step's own transaction. Once the adapter has
sent the replies, and the chat's in-place edits (the checklist) have gone out too, the debt is
confirmed here, in batches: one statement per second at most for all the chats served, not a
transaction per message. A process that dies with debts unconfirmed is reaped by a live one,
which sends those chats their current question again (intake/processes.py): a resident never
waits for a reply that was committed and then lost with the process. A later step of the same
chat owes its own version, so confirming an older one clears nothing.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable

from storage.deps import Deps
from storage.repositories import residents

__all__ = ["OwedReplies"]

log = logging.getLogger("hoso.owed")


class OwedReplies:
    """The debts this process has paid and not yet confirmed, confirmed in batches."""

    def __init__(self, deps: Deps, *, editing: Callable[[int], bool] | None = None) -> None:
        self._deps = deps
        # whether a chat still has an in-place edit on its way (the checklist): its debt is
        # confirmed once that is out
        self._editing = editing
        self._paid: dict[uuid.UUID, tuple[int, int]] = {}  # draft → (chat, version)

    def paid(self, chat_id: int, owed: tuple[uuid.UUID, int]) -> None:
        """The replies of `owed` (draft, version) were sent to `chat_id`."""
        draft_id, version = owed
        known = self._paid.get(draft_id)
        if known is None or known[1] < version:
            self._paid[draft_id] = (chat_id, version)

    async def confirm(self, *, everything: bool = False) -> int:
        """Confirm the paid debts whose chats have no edit on its way (all with
        `everything`); returns how many."""
        ready = {
            draft: version
            for draft, (chat, version) in self._paid.items()
            if everything or self._editing is None or not self._editing(chat)
        }
        if not ready:
            return 0
        for draft in ready:
            del self._paid[draft]
        async with self._deps.database.sessions.begin() as session:
            await residents.confirm_owed(session, list(ready.items()))
        return len(ready)

    async def run(self, stop: asyncio.Event, *, every: float = 1.0) -> None:
        """Confirm every `every` seconds; at a clean stop the runtime confirms the rest after
        the last edits have gone out."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)
            try:
                await self.confirm()
            except Exception:  # unconfirmed debts cost a repeated question after a crash
                log.exception("owed replies not confirmed")
