"""Durable time-based jobs: one reminder for a draft idle a day, expiry after 30 days, and the
pruning of old processed update ids.

Both are decided from timestamps in the database (`draft.updated_at`, `draft.reminded_at`), so
they survive restarts and run the same on every process; the reminder goes through the outbox.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from intake.notify import OutboxMessage, enqueue
from storage.deps import Deps
from storage.models import utcnow
from storage.repositories.documents import delete_documents, documents_of_draft
from storage.repositories.residents import bring_back, drafts_idle_between
from storage.repositories.updates import forget_processed_before

__all__ = ["DraftJanitor", "JanitorPass"]

log = logging.getLogger("hoso.janitor")


@dataclass(frozen=True)
class JanitorPass:
    reminded: int
    expired: int


class DraftJanitor:
    def __init__(
        self,
        deps: Deps,
        *,
        remind_after: timedelta = timedelta(hours=24),
        expire_after: timedelta = timedelta(days=30),
        batch: int = 200,
        keep_update_ids: timedelta = timedelta(days=7),
    ) -> None:
        self._deps = deps
        self._remind_after = remind_after
        self._expire_after = expire_after
        self._batch = batch
        self._keep_update_ids = keep_update_ids

    async def run_once(self, now: datetime | None = None) -> JanitorPass:
        now = now or utcnow()
        blobs: list[str] = []
        async with self._deps.database.sessions.begin() as session:
            expired = 0
            for draft, language in await drafts_idle_between(
                session,
                since=None,
                before=now - self._expire_after,
                reminded=None,
                limit=self._batch,
            ):
                documents = await documents_of_draft(session, draft.id, unsubmitted=True)
                blobs += await delete_documents(session, documents)
                await enqueue(
                    session,
                    self._deps,
                    chat_id=draft.chat_id,
                    kind="draft_expired",
                    message=OutboxMessage("draft.expired", language),
                )
                await session.delete(draft)
                if not draft.aside:  # a staff member's own, set aside for it, is theirs again
                    await session.flush()
                    await bring_back(session, draft.chat_id)
                expired += 1
            reminded = 0
            for draft, language in await drafts_idle_between(
                session,
                since=now - self._expire_after,
                before=now - self._remind_after,
                reminded=False,
                limit=self._batch,
            ):
                await enqueue(
                    session,
                    self._deps,
                    chat_id=draft.chat_id,
                    kind="draft_reminder",
                    message=OutboxMessage("draft.reminder", language),
                )
                draft.reminded_at = now
                reminded += 1
            # Telegram redelivers an update for a day at most; a week of ids is plenty
            await forget_processed_before(session, now - self._keep_update_ids)
        if await asyncio.to_thread(self._deps.blobs.delete_each, blobs):  # off the loop
            log.warning("sealed files not removed: the start-up sweep removes them")
        return JanitorPass(reminded, expired)

    async def run(self, stop: asyncio.Event, *, every: float = 300.0) -> None:
        while not stop.is_set():
            try:
                done = await self.run_once()
                if done.reminded or done.expired:
                    log.info(
                        "drafts tended", extra={"reminded": done.reminded, "expired": done.expired}
                    )
            except Exception:
                log.exception("janitor pass failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)
