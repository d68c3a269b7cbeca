"""Review of submissions by commune officers: the states of DESIGN.md and the queue.

`submitted → in_review → needs_info ⇄ resubmitted → accepted | rejected`, plus `withdrawn` (the
resident's). Opening a submission that waits (submitted or resubmitted) puts it in review. An
officer may accept, ask for information or reject a submission that is submitted, in review or
resubmitted (rejecting also while it waits for the resident); assigning a village is possible
until the submission is closed. Every change is an event with actor, time and note, and the
resident is told of every change that concerns them (review started, needs info with upload
buttons, accepted, rejected with the reason, assigned to a village).

The functions here take a session and never commit; the staff desk owns the transaction and has
already asked the policy.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.deps import Deps
from intake.flow.slots import slots_for
from intake.notify import notify_new_submission, notify_resident, parcel_text, upload_buttons
from intake.text import VIETNAM
from storage.models import Document, Staff, Submission, Village, utcnow
from storage.repositories import append_event
from storage.states import ActorKind, DocumentStatus, Route, SubmissionState

__all__ = [
    "CLOSED",
    "REJECT_REASONS",
    "Card",
    "QueueItem",
    "ReviewError",
    "accept",
    "ask_for_info",
    "assign",
    "card_of",
    "queue",
    "reject",
    "required_slots",
    "start_review",
    "submission_by_receipt",
]

CLOSED = frozenset({SubmissionState.ACCEPTED, SubmissionState.REJECTED, SubmissionState.WITHDRAWN})
_REVIEWABLE = frozenset(
    {SubmissionState.SUBMITTED, SubmissionState.IN_REVIEW, SubmissionState.RESUBMITTED}
)
_WAITING = frozenset({SubmissionState.SUBMITTED, SubmissionState.RESUBMITTED})
REJECT_REASONS = ("duplicate", "not_land_document", "not_this_commune", "unreadable")
MAX_NOTE = 500


class ReviewError(Exception):
    """The change is not possible in the submission's state; `key` is the message to show."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def required_slots(submission: Submission) -> list[str]:
    return [r.slot.value for r in slots_for(submission.certificate_status) if r.required]


def all_slots(submission: Submission) -> list[str]:
    return [r.slot.value for r in slots_for(submission.certificate_status)]


async def submission_by_receipt(session: AsyncSession, receipt: str) -> Submission | None:
    if not receipt or len(receipt) > 16:
        return None
    return await session.scalar(select(Submission).where(Submission.receipt_code == receipt))


async def _event(
    session: AsyncSession,
    submission: Submission,
    staff: Staff,
    action: str,
    note: str = "",
    **data: object,
) -> None:
    await append_event(
        session,
        actor_kind=ActorKind.STAFF,
        actor_id=str(staff.id),
        action=action,
        commune_id=submission.commune_id,
        submission_id=submission.id,
        note=note[:MAX_NOTE],
        data={"from": submission.state.value, **data},
    )


def _set_state(submission: Submission, state: SubmissionState) -> None:
    submission.state = state
    submission.updated_at = utcnow()


async def start_review(
    session: AsyncSession, deps: Deps, submission: Submission, staff: Staff
) -> bool:
    """Opening a waiting submission puts it in review (the resident is told); True if so."""
    if submission.state not in _WAITING:
        return False
    await _event(session, submission, staff, "review_started")
    _set_state(submission, SubmissionState.IN_REVIEW)
    await notify_resident(session, deps, submission, "resident.in_review")
    return True


async def accept(
    session: AsyncSession, deps: Deps, submission: Submission, staff: Staff, note: str = ""
) -> None:
    if submission.state not in _REVIEWABLE | {SubmissionState.NEEDS_INFO}:
        raise ReviewError("review.not_now")
    await _event(session, submission, staff, "accepted", note)
    _set_state(submission, SubmissionState.ACCEPTED)
    submission.requested_slots = []
    await notify_resident(session, deps, submission, "resident.accepted")


async def reject(
    session: AsyncSession,
    deps: Deps,
    submission: Submission,
    staff: Staff,
    *,
    reason: str,
    note: str = "",
) -> None:
    if reason not in REJECT_REASONS and reason != "other":
        raise ReviewError("button.expired")
    if submission.state not in _REVIEWABLE | {SubmissionState.NEEDS_INFO}:
        raise ReviewError("review.not_now")
    await _event(session, submission, staff, "rejected", note, reason=reason)
    _set_state(submission, SubmissionState.REJECTED)
    submission.requested_slots = []
    await notify_resident(
        session,
        deps,
        submission,
        "resident.rejected",
        {"reason_key": f"reject.{reason}", "note": note or "—"},
    )


async def ask_for_info(
    session: AsyncSession,
    deps: Deps,
    submission: Submission,
    staff: Staff,
    *,
    slots: Sequence[str],
    note: str = "",
) -> None:
    known = all_slots(submission)
    chosen = [s for s in known if s in set(slots)]
    if not chosen:
        raise ReviewError("review.choose_slots")
    if submission.state not in _REVIEWABLE:
        raise ReviewError("review.not_now")
    await _event(session, submission, staff, "needs_info", note, slots=chosen)
    _set_state(submission, SubmissionState.NEEDS_INFO)
    submission.requested_slots = chosen
    keyboard = upload_buttons(submission.receipt_code, chosen)
    await notify_resident(
        session,
        deps,
        submission,
        "resident.needs_info",
        {"slots_keys": [f"slot.{s}" for s in chosen], "note": note or "—"},
        keyboard=keyboard,
    )


async def assign(
    session: AsyncSession, deps: Deps, submission: Submission, staff: Staff, village: Village
) -> None:
    """Put the submission in a village's queue (triage) or move it to another (re-route)."""
    if submission.state in CLOSED:
        raise ReviewError("review.not_now")
    if village.commune_id != submission.commune_id:
        raise ReviewError("button.expired")
    if submission.village_id == village.id:
        raise ReviewError("review.same_village")
    await _event(
        session,
        submission,
        staff,
        "assigned",
        village_id=village.id,
        previous=submission.village_id,
    )
    submission.village_id = village.id
    submission.route = Route.STAFF
    submission.updated_at = utcnow()
    await notify_new_submission(session, deps, submission, village.name)
    await notify_resident(
        session, deps, submission, "resident.assigned", {"village": village.name}
    )


@dataclass(frozen=True)
class Card:
    """A submission as staff see it; ID numbers only for those the policy lets see them."""

    receipt: str
    state: SubmissionState
    village: str | None
    route: Route
    holder_name: str
    cccd: str | None
    phone: str | None
    certificate_status: str
    parcel: str
    documents: tuple[tuple[str, str], ...]  # (slot, document status or "missing")
    flags: tuple[str, ...]
    requested: tuple[str, ...]
    assisted: bool
    submitted_at: datetime

    def params(self) -> dict[str, object]:
        lines = [
            ("card.document", {"slot_key": f"slot.{slot}", "status_key": f"doc.{status}"})
            for slot, status in self.documents
        ]
        return {
            "receipt": self.receipt,
            "state_key": f"state.{self.state.value}",
            "village": self.village or "—",
            "route_key": f"route.{self.route.value}",
            "name": self.holder_name,
            "cccd": self.cccd or "•••",
            "phone": self.phone or "—",
            "cert_key": f"certstaff.{self.certificate_status}",
            "parcel": self.parcel,
            "documents_lines": lines,
            "flags_keys": [f"flag.{f}" for f in self.flags] or ["staff.none"],
            "assisted_key": "card.assisted" if self.assisted else "card.self_sent",
            "date": f"{self.submitted_at:%d/%m/%Y}",
        }


async def card_of(
    session: AsyncSession, deps: Deps, submission: Submission, *, show_ids: bool
) -> Card:
    def field(column: str) -> str | None:
        value = getattr(submission, column)
        if value is None:
            return None
        text: str = deps.fields.decrypt(
            value, table="submission", column=column, row=submission.id
        )
        return text

    stored = set(
        await session.scalars(
            select(Document.slot).where(
                Document.submission_id == submission.id,
                Document.status == DocumentStatus.STORED,
            )
        )
    )
    rows = tuple(
        (slot, "stored" if slot in stored else "missing") for slot in all_slots(submission)
    )
    village = await session.get(Village, submission.village_id) if submission.village_id else None
    return Card(
        receipt=submission.receipt_code,
        state=submission.state,
        village=village.name if village else None,
        route=submission.route,
        holder_name=field("holder_name_enc") or "",
        cccd=field("cccd_enc") if show_ids else None,
        phone=field("phone_enc") if show_ids else None,
        certificate_status=submission.certificate_status.value,
        parcel=parcel_text(submission.map_sheet, submission.parcel_no),
        documents=rows,
        flags=tuple((submission.quality_flags or {}).get("flags", ())),
        requested=tuple(submission.requested_slots or ()),
        assisted=submission.assisted_by_staff_id is not None,
        submitted_at=submission.submitted_at.astimezone(VIETNAM),
    )


@dataclass(frozen=True)
class QueueItem:
    receipt: str
    state: SubmissionState
    holder_name: str
    village: str | None
    parcel: str


QUEUE_PAGE = 8


async def queue(
    session: AsyncSession,
    deps: Deps,
    *,
    commune_id: int,
    village_id: int | None,
    triage: bool,
    state: SubmissionState | None,
    page: int,
) -> tuple[list[QueueItem], int, dict[str, int]]:
    """One page of a queue (oldest first, closed ones only when asked for), the total, and the
    counts by state for the same place."""
    where = [Submission.commune_id == commune_id]
    if triage:
        where.append(Submission.village_id.is_(None))
    elif village_id is not None:
        where.append(Submission.village_id == village_id)
    counts = {
        s.value: n
        for s, n in await session.execute(
            select(Submission.state, func.count()).where(*where).group_by(Submission.state)
        )
    }
    if state is not None:
        where.append(Submission.state == state)
    else:
        where.append(Submission.state.not_in(CLOSED))
    total = await session.scalar(select(func.count()).select_from(Submission).where(*where)) or 0
    rows = await session.execute(
        select(Submission, Village.name)
        .outerjoin(Village, Village.id == Submission.village_id)
        .where(*where)
        .order_by(Submission.submitted_at, Submission.id)
        .offset(page * QUEUE_PAGE)
        .limit(QUEUE_PAGE)
    )
    items = [
        QueueItem(
            s.receipt_code,
            s.state,
            deps.fields.decrypt(
                s.holder_name_enc, table="submission", column="holder_name_enc", row=s.id
            ),
            village,
            parcel_text(s.map_sheet, s.parcel_no),
        )
        for s, village in rows
    ]
    return items, total, counts
