"""The retention job: load (repository) → decide (`_rules`, pure) → destroy and erase in one
transaction → one audit event per commune → the sealed files removed once committed.

Destroyed, for each due submission's documents: the sealed file (removed from the blob store),
the row's and the blob's status (deleted), the Telegram file id and the picture's fingerprint;
kept: the row's slot, type, sizes, quality figures and dates. Erased, for each resident with
nothing left to keep, on their submissions: the identity fields — holder's name, CCCD number
and its blind index, phone, certificate serial (`erased_at` set), and the same values where
the outbox repeated them about those receipts (`forget_in_outbox`, as `/delete` does). Kept on
purpose: the
submission's receipt, state, place, map sheet and parcel (land, not a person: the campaign's
progress still counts the household by them), dates and audit trail; the citizen row (the
Telegram account the bot answers if they write again, their language, and the consent given,
which is its evidence).

Held, whatever their age: while a resident has a data-subject request open (received or
acknowledged) to a commune, their own submissions in that commune keep their documents and
fields, which the copy or the correction may need (`HOLDING_REQUESTS`); once it is completed
they are due again and the next run takes them.

Every bot process runs it (`Retention.run`) once a Vietnam day from `RETENTION_HOUR`; nothing
it decides lives in memory but the day it last ran: what is due is read from the database each
time, so a process that was down at that hour catches up when it starts, and a second process
(or `hoso retention`, or a restart the same day) finds nothing more to do. On PostgreSQL the due
submissions are claimed with `FOR UPDATE SKIP LOCKED`; on SQLite the writers queue.

A run's transaction takes at most `batch` submissions to purge and `batch` residents to erase;
`purge` runs transactions until nothing is left, each one writing its own events. A run that
finds nothing writes no event. A file whose removal fails after the commit (its row already
says deleted) is logged and removed by the start-up sweep of files no row owns
(intake/documents/orphans.py).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable, Hashable, Sequence
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from intake.notify import forget_in_outbox
from intake.processes import idle
from intake.retention._report import Erased, Purged, RetentionReport, tally
from intake.retention._rules import (
    FINAL_STATES,
    HOLDING_REQUESTS,
    MAX_DAYS,
    PURGED_STATES,
    RETENTION_HOUR,
    Held,
    cutoff,
    done_with,
    due,
    erasable,
    purgeable,
)
from storage.blobs import BlobPathError
from storage.db import run_again_on_conflict
from storage.deps import Deps
from storage.models import utcnow
from storage.repositories import places, submissions
from storage.repositories import retention as rows
from storage.repositories.audit import append_event
from storage.states import ActorKind

__all__ = ["DECISION_ACTIONS", "Retention"]

log = logging.getLogger("hoso.retention")

# The review lifecycle names the audit event of a submission entering a state by that state
# (intake/submissions/_review.py: "accepted", "rejected"): its time is the decision's.
DECISION_ACTIONS = tuple(sorted(state.value for state in PURGED_STATES))


class Retention:
    """Destroys the documents of decided submissions after `days` days and erases the fields
    of residents with nothing left to keep (intake/retention/_rules.py)."""

    def __init__(
        self,
        deps: Deps,
        *,
        days: int,
        hour: int = RETENTION_HOUR,
        batch: int = 500,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if not 1 <= days <= MAX_DAYS:
            raise ValueError(f"retention must be 1 to {MAX_DAYS} days, not {days}")
        self._deps = deps
        self._days = days
        self._hour = hour
        self._batch = batch
        self._now = now
        self._done_on: date | None = None

    @property
    def days(self) -> int:
        return self._days

    @property
    def _lock(self) -> bool:
        return self._deps.database.backend == "postgresql"

    async def plan(self, now: datetime | None = None) -> RetentionReport:
        """What a run at `now` would destroy and erase, all of it; nothing is changed."""
        before = cutoff(now or self._now(), self._days)
        async with self._deps.database.sessions() as session:
            purging = await self._due(session, before, limit=None, lock=False)
            erasing, _ = await self._erasable(session, before, limit=None)
            documents = await rows.live_documents(session, [s.id for s in purging])
            counts: dict[uuid.UUID, list[int]] = {s.id: [0, 0, 0] for s in purging}
            for document in documents:
                count = counts[document.submission_id]
                count[0] += 1
                if document.file_bytes is not None:
                    count[1] += 1
                    count[2] += document.file_bytes
            purged = [Purged(s.commune_id, s.receipt_code, *counts[s.id]) for s in purging]
            erased = [_erased(held) for held in erasing]
            return await self._report(session, before, purged, erased)

    async def run_once(self, now: datetime | None = None) -> RetentionReport:
        """One transaction's worth (at most `batch` submissions and `batch` residents)."""
        report, _ = await self._run_batch(now or self._now())
        return report

    async def purge(self, now: datetime | None = None) -> RetentionReport:
        """Everything due at `now`, in as many transactions as it takes."""
        at = now or self._now()
        whole = RetentionReport(self._days, cutoff(at, self._days))
        while True:
            report, more = await self._run_batch(at)
            whole = whole.merged(report)
            if not more:
                return whole

    async def run(self, stop: asyncio.Event, *, poll: float = 300.0) -> None:
        """The worker: each Vietnam day from `hour`, one purge."""
        wake = asyncio.Event()
        while not stop.is_set():
            at = self._now()
            day = due(at, self._hour, self._done_on)
            if day is not None:
                try:
                    report = await self.purge(at)
                    self._done_on = day
                    if not report.empty:
                        total = report.total()
                        log.info(
                            "retention purged",
                            extra={
                                "submissions": total.submissions,
                                "documents": total.documents,
                                "files": total.files,
                                "bytes": total.file_bytes,
                                "residents_erased": total.residents,
                            },
                        )
                except Exception:
                    log.exception("retention run failed")
            await idle(wake, stop, poll)

    async def _run_batch(self, now: datetime) -> tuple[RetentionReport, bool]:
        before = cutoff(now, self._days)

        async def transaction() -> tuple[RetentionReport, list[str], bool]:
            async with self._deps.database.sessions.begin() as session:
                purging = await self._due(session, before, limit=self._batch, lock=self._lock)
                erasing, more = await self._erasable(session, before, limit=self._batch)
                destroyed = await rows.destroy_documents(
                    session, [s.id for s in purging], lock=self._lock
                )
                said = await rows.identities(session, self._deps.fields, [h.id for h in erasing])
                erased_ids = set(
                    await submissions.erase_fields(
                        session, [h.id for h in erasing], utcnow(), keep_parcel=True
                    )
                )
                await _forget_in_messages(
                    session, self._deps, [i for i in said if i.id in erased_ids]
                )
                by_submission: dict[uuid.UUID, list[int]] = {}
                for item in destroyed:
                    count = by_submission.setdefault(item.submission_id, [0, 0, 0])
                    count[0] += 1
                    if item.blob_name is not None:
                        count[1] += 1
                        count[2] += item.file_bytes
                purged = [
                    Purged(s.commune_id, s.receipt_code, *by_submission[s.id])
                    for s in purging
                    if s.id in by_submission
                ]
                erased = [_erased(h) for h in erasing if h.id in erased_ids]
                report = await self._report(session, before, purged, erased)
                for commune in report.communes:
                    await append_event(
                        session,
                        actor_kind=ActorKind.SYSTEM,
                        actor_id=None,
                        action="retention_purged",
                        commune_id=commune.commune_id,
                        data=commune.audit_data(self._days, before),
                    )
                names = [item.blob_name for item in destroyed if item.blob_name is not None]
                return report, names, more or len(purging) >= self._batch

        report, names, more = await run_again_on_conflict(transaction)
        if names:
            await asyncio.to_thread(self._remove_files, names)
        return report, more and not report.empty

    async def _due(
        self, session: AsyncSession, before: datetime, *, limit: int | None, lock: bool
    ) -> list[rows.DueSubmission]:
        found = await rows.submissions_due(
            session,
            states=PURGED_STATES,
            decision_actions=DECISION_ACTIONS,
            before=before,
            holding=HOLDING_REQUESTS,
            limit=limit,
            lock=lock,
        )
        # the query asked for nothing else; a row in another state is never touched
        wrong = [s for s in found if not purgeable(s.state)]
        if wrong:
            log.error("retention was offered submissions it never purges", extra={"n": len(wrong)})
        return [s for s in found if purgeable(s.state)]

    async def _erasable(
        self, session: AsyncSession, before: datetime, *, limit: int | None
    ) -> tuple[list[rows.FieldsHeld], bool]:
        """The submissions whose identity fields go now (at most `limit` residents' and
        `limit` households'), and whether more are left. The query has left out residents with
        a draft or an own submission not closed (so `erasable` sees no draft) and the
        submissions an open data-subject request holds."""
        held = await rows.fields_held(
            session,
            closed=FINAL_STATES,
            decision_actions=DECISION_ACTIONS,
            holding=HOLDING_REQUESTS,
        )
        own: dict[uuid.UUID, list[rows.FieldsHeld]] = {}
        households: list[rows.FieldsHeld] = []
        for item in held:
            if item.assisted:
                if done_with(_held(item), before):
                    households.append(item)
            else:
                own.setdefault(item.citizen_id, []).append(item)
        residents = [
            submissions
            for submissions in own.values()
            if erasable((_held(s) for s in submissions), has_draft=False, before=before)
        ]
        if limit is None:
            return [s for group in residents for s in group] + households, False
        chosen = [s for group in residents[:limit] for s in group] + households[:limit]
        return chosen, len(residents) > limit or len(households) > limit

    async def _report(
        self,
        session: AsyncSession,
        before: datetime,
        purged: Sequence[Purged],
        erased: Sequence[Erased],
    ) -> RetentionReport:
        names: dict[int, tuple[str, str]] = {}
        for commune_id in {p.commune_id for p in purged} | {e.commune_id for e in erased}:
            commune = await places.commune(session, commune_id)
            names[commune_id] = (commune.code, commune.name) if commune else ("?", "?")
        return RetentionReport(self._days, before, tally(purged, erased, names))

    def _remove_files(self, names: Sequence[str]) -> None:
        failed = 0
        for name in names:
            try:
                self._deps.blobs.delete(name)
            except (OSError, BlobPathError):
                failed += 1
        if failed:
            log.warning(
                "sealed files not removed: the start-up sweep removes them",
                extra={"count": failed},
            )


async def _forget_in_messages(
    session: AsyncSession, deps: Deps, erased: Sequence[rows.Identity]
) -> None:
    """The erased values become "—" where the outbox repeated them about those receipts (staff
    alerts and digests, the submitter's own messages), as `/delete` does."""
    if erased:
        await forget_in_outbox(
            session,
            deps,
            {identity.receipt_code: identity.values for identity in erased},
            chat_ids=sorted({identity.chat_id for identity in erased}),
            commune_ids=sorted({identity.commune_id for identity in erased}),
            since=min(identity.created_at for identity in erased),
        )


def _held(item: rows.FieldsHeld) -> Held:
    return Held(item.state, item.decided_at)


def _erased(item: rows.FieldsHeld) -> Erased:
    person: Hashable = item.id if item.assisted else item.citizen_id
    return Erased(item.commune_id, item.receipt_code, person)
