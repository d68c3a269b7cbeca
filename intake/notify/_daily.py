"""Once a day, in Vietnam's time: the chiefs' digests and the officers' report.

- At `digest_hour`, every chief who chose the daily digest gets one message listing the
  village's submissions since their previous digest (none: no message, the day still counts).
- At `report_hour`, every officer gets the commune's report: a text with per-village figures
  and a chart image (two outbox rows, sent in order).

A staff row records the last digest time / report date, updated in the same transaction as the
outbox rows, so a restart or a second process never sends one twice (PostgreSQL: the rows are
claimed with `FOR UPDATE SKIP LOCKED`). The report and its chart are computed before that write
transaction, so SQLite's single writer is not held while matplotlib draws.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import Reply
from intake.language import VIETNAM, Language
from intake.notify._outbox import OutboxMessage, enqueue
from intake.notify._tell import digest_of
from intake.processes import idle
from intake.reports import report_replies
from storage.deps import Deps
from storage.models import Staff
from storage.repositories import places, staff, submissions

__all__ = ["DailyJobs"]

log = logging.getLogger("hoso.daily")
DIGEST_LINES = 20


def _message(reply: Reply, language: str) -> OutboxMessage:
    return OutboxMessage(reply.key, language, dict(reply.params), reply.keyboard, reply.photo)


class DailyJobs:
    def __init__(
        self,
        deps: Deps,
        *,
        report_hour: int = 17,
        digest_hour: int = 18,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_enqueued: Callable[[], None] | None = None,
    ) -> None:
        self._deps = deps
        self._report_hour = report_hour
        self._digest_hour = digest_hour
        self._now = now
        self._on_enqueued = on_enqueued

    async def run(self, stop: asyncio.Event, *, poll: float = 60.0) -> None:
        wake = asyncio.Event()
        while not stop.is_set():
            try:
                if await self.run_due() and self._on_enqueued is not None:
                    self._on_enqueued()
            except Exception:
                log.exception("daily jobs failed")
            await idle(wake, stop, poll)

    async def run_due(self) -> int:
        """Enqueue what is due now; returns how many messages were written."""
        local = self._now().astimezone(VIETNAM)
        written = 0
        if local.hour >= self._digest_hour:
            written += await self.send_digests(local)
        if local.hour >= self._report_hour:
            written += await self.send_reports(local)
        return written

    @property
    def _lock(self) -> bool:
        """PostgreSQL: the due members' rows are locked, skipping another process's."""
        return self._deps.database.backend == "postgresql"

    async def send_digests(self, local: datetime) -> int:
        midnight = datetime.combine(local.date(), time(0), VIETNAM).astimezone(UTC)
        written = 0
        async with self._deps.database.sessions.begin() as session:
            chiefs = await staff.chiefs_due_a_digest(session, since=midnight, lock=self._lock)
            for chief in chiefs:
                since = chief.digest_sent_at or (local - timedelta(days=1))
                written += await self._digest(session, chief, since, local)
                chief.digest_sent_at = local.astimezone(UTC)
        return written

    async def _digest(
        self, session: AsyncSession, chief: Staff, since: datetime, local: datetime
    ) -> int:
        since_then = await submissions.submissions_of_village_since(
            session, chief.village_id, since
        )
        if not since_then:
            return 0
        village = await places.village(session, chief.village_id) if chief.village_id else None
        items = []
        for submission in since_then[:DIGEST_LINES]:
            digest = await digest_of(session, self._deps, submission)
            items.append(("notify.digest_item", digest.params()))
        if len(since_then) > DIGEST_LINES:
            items.append(("notify.digest_more", {"count": len(since_then) - DIGEST_LINES}))
        await enqueue(
            session,
            self._deps,
            chat_id=chief.telegram_user_id,
            kind="chief_digest",
            message=OutboxMessage(
                "notify.digest",
                chief.language,
                {
                    "date": f"{local:%d/%m/%Y}",
                    "village": village.name if village else "—",
                    "count": len(since_then),
                    "items_lines": items,
                },
            ),
        )
        return 1

    async def send_reports(self, local: datetime) -> int:
        today = local.date().isoformat()
        async with self._deps.database.sessions() as session:
            officers = await staff.officers_due_a_report(session, day=today, lock=False)
            wanted = {(o.commune_id, o.language) for o in officers if o.commune_id is not None}
            reports: dict[tuple[int, str], list[Reply]] = {}
            for commune_id, language in wanted:
                reports[(commune_id, language)] = await report_replies(
                    session, commune_id, Language(language), local
                )
        written = 0
        async with self._deps.database.sessions.begin() as session:
            for officer in await staff.officers_due_a_report(session, day=today, lock=self._lock):
                replies = reports.get((officer.commune_id or -1, officer.language))
                if replies is None:
                    continue  # joined meanwhile: the next pass has it
                for reply in replies:
                    await enqueue(
                        session,
                        self._deps,
                        chat_id=officer.telegram_user_id,
                        kind="daily_report",
                        message=_message(reply, officer.language),
                    )
                    written += 1
                officer.report_sent_on = today
        return written
