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

from sqlalchemy import delete, select

from intake.deps import Deps
from intake.outbox import OutboxMessage, enqueue
from intake.submissions import delete_documents
from storage.models import Citizen, Document, Draft, ProcessedUpdate, utcnow

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
            stale = (
                select(Draft, Citizen.language)
                .join(Citizen, Citizen.id == Draft.citizen_id)
                .where(Draft.updated_at < now - self._expire_after)
                .limit(self._batch)
            )
            expired = 0
            for draft, language in (await session.execute(stale)).all():
                documents = list(
                    await session.scalars(
                        select(Document).where(
                            Document.draft_id == draft.id, Document.submission_id.is_(None)
                        )
                    )
                )
                blobs += await delete_documents(session, documents)
                await enqueue(
                    session,
                    self._deps,
                    chat_id=draft.chat_id,
                    kind="draft_expired",
                    message=OutboxMessage("draft.expired", language),
                )
                await session.delete(draft)
                expired += 1
            idle = (
                select(Draft, Citizen.language)
                .join(Citizen, Citizen.id == Draft.citizen_id)
                .where(
                    Draft.updated_at < now - self._remind_after,
                    Draft.updated_at >= now - self._expire_after,
                    Draft.reminded_at.is_(None),
                )
                .limit(self._batch)
            )
            reminded = 0
            for draft, language in (await session.execute(idle)).all():
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
            await session.execute(
                delete(ProcessedUpdate).where(
                    ProcessedUpdate.processed_at < now - self._keep_update_ids
                )
            )
        for name in blobs:
            self._deps.blobs.delete(name)
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
