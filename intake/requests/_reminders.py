"""The officers' reminders of the data-subject requests' clocks (`_clocks.py` says when): a
durable job that each pass claims the open requests, asks the pure plan what is due and, in
the same transaction, writes the reminders to the commune's officers through the outbox and
records them on the request (`reminders_sent`), so a restart or a second process never sends
one twice (PostgreSQL: the rows are claimed with `FOR UPDATE SKIP LOCKED`, as the daily jobs
claim theirs). Each reminder written is an audit event (`data_request_reminded`)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from intake.language import VIETNAM
from intake.notify import notify_officers
from intake.processes import idle
from intake.requests._clocks import Reminder, covers, plan_reminders
from intake.requests._service import clocks_of, day_text, open_button
from storage.deps import Deps
from storage.repositories import data_requests as rows
from storage.repositories import places
from storage.repositories.audit import append_event
from storage.states import ActorKind

__all__ = ["RequestReminders"]

log = logging.getLogger("hoso.requests")


class RequestReminders:
    def __init__(
        self,
        deps: Deps,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
        on_enqueued: Callable[[], None] | None = None,
    ) -> None:
        self._deps = deps
        self._now = now
        self._on_enqueued = on_enqueued
        self._warned: set[int] = set()  # the years the holiday table does not cover, said once

    async def run(self, stop: asyncio.Event, *, poll: float = 60.0) -> None:
        wake = asyncio.Event()
        while not stop.is_set():
            try:
                if await self.run_due() and self._on_enqueued is not None:
                    self._on_enqueued()
            except Exception:
                log.exception("data request reminders failed")
            await idle(wake, stop, poll)

    async def run_due(self) -> int:
        """Write the reminders due now; returns how many messages were written."""
        now = self._now()
        year = now.astimezone(VIETNAM).year
        if not covers(year) and year not in self._warned:
            self._warned.add(year)
            log.warning(
                "the holiday table does not cover this year: extend intake/requests/_clocks.py",
                extra={"year": year},
            )
        written = 0
        async with self._deps.database.sessions.begin() as session:
            skip_locked = self._deps.database.backend == "postgresql"
            for request in await rows.claim_open(session, skip_locked=skip_locked):
                plan = plan_reminders(
                    clocks_of(request), request.state, Reminder(request.reminders_sent), now
                )
                if not plan.done:
                    continue
                commune = await places.commune(session, request.commune_id)
                for reminder in plan.send:
                    name = (reminder.name or "").lower()
                    told = await notify_officers(
                        session,
                        self._deps,
                        request.commune_id,
                        f"requests.reminder_{name}",
                        {
                            "code": request.code,
                            "kind_key": f"request.kind_{request.kind.value}",
                            "commune": commune.name if commune else "—",
                            "acknowledge_by": day_text(request.acknowledge_by),
                            "complete_by": day_text(request.complete_by),
                        },
                        keyboard=open_button(request.code),
                        kind="data_request_reminder",
                    )
                    await append_event(
                        session,
                        actor_kind=ActorKind.SYSTEM,
                        actor_id=None,
                        action="data_request_reminded",
                        commune_id=request.commune_id,
                        data={"code": request.code, "reminder": name, "officers": told},
                    )
                    written += told
                request.reminders_sent = int(Reminder(request.reminders_sent) | plan.done)
        return written
