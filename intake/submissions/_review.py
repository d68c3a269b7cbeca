"""Review changes: each is the lifecycle's decision (pure) applied — the new state, an audit
event with actor, time and note, and the resident told of what concerns them (review started,
needs info with one upload button per page asked for, accepted, rejected with the reason,
assigned to a village). The functions take a session and never commit; the caller (the staff
desk, the console, the resident desk) owns the transaction and has asked the policy who may."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from intake.notify import notify_new_submission, notify_resident, upload_buttons
from intake.submissions._lifecycle import (
    Party,
    Refusal,
    ReviewAction,
    Transition,
    all_slots,
    transition,
)
from storage.deps import Deps
from storage.models import Citizen, Staff, Submission, Village, utcnow
from storage.repositories.audit import append_event
from storage.repositories.documents import delete_documents, documents_of_submission
from storage.repositories.submissions import submission_by_receipt
from storage.states import ActorKind, Route

__all__ = [
    "MAX_NOTE",
    "REJECT_REASONS",
    "ReviewError",
    "Withdrawal",
    "accept",
    "ask_for_info",
    "assign",
    "reject",
    "resubmit",
    "start_review",
    "withdraw",
]

REJECT_REASONS = ("duplicate", "not_land_document", "not_this_commune", "unreadable")
MAX_NOTE = 500
_REFUSAL_KEYS = {Refusal.NOT_YOURS: "staff.refused", Refusal.NOT_NOW: "review.not_now"}


class ReviewError(Exception):
    """The change is not possible; `key` is the message to show."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _decide(submission: Submission, action: ReviewAction, party: Party) -> Transition:
    decision = transition(submission.state, action, party)
    if isinstance(decision, Refusal):
        raise ReviewError(_REFUSAL_KEYS.get(decision, "review.not_now"))
    return decision


async def _change(
    session: AsyncSession,
    submission: Submission,
    change: Transition,
    *,
    actor: tuple[ActorKind, str],
    action: str,
    note: str = "",
    **data: object,
) -> None:
    """The audit event (with the state it came from), then the new state."""
    await append_event(
        session,
        actor_kind=actor[0],
        actor_id=actor[1],
        action=action,
        commune_id=submission.commune_id,
        submission_id=submission.id,
        note=note[:MAX_NOTE],
        data={"from": submission.state.value, **data},
    )
    submission.state = change.to
    submission.updated_at = utcnow()


def _staff(staff: Staff) -> tuple[ActorKind, str]:
    return ActorKind.STAFF, str(staff.id)


async def start_review(
    session: AsyncSession, deps: Deps, submission: Submission, staff: Staff
) -> bool:
    """Opening a waiting submission puts it in review (the resident is told); True if so."""
    decision = transition(submission.state, ReviewAction.OPEN, Party.REVIEWER)
    if isinstance(decision, Refusal):
        return False  # not waiting: opening it only shows it
    await _change(session, submission, decision, actor=_staff(staff), action="review_started")
    await notify_resident(session, deps, submission, "resident.in_review")
    return True


async def accept(
    session: AsyncSession, deps: Deps, submission: Submission, staff: Staff, note: str = ""
) -> None:
    change = _decide(submission, ReviewAction.ACCEPT, Party.REVIEWER)
    await _change(session, submission, change, actor=_staff(staff), action="accepted", note=note)
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
    """Reject with a preset reason, or "other" with a typed note (which the resident reads)."""
    if reason not in REJECT_REASONS and reason != "other":
        raise ReviewError("button.expired")
    change = _decide(submission, ReviewAction.REJECT, Party.REVIEWER)
    await _change(
        session,
        submission,
        change,
        actor=_staff(staff),
        action="rejected",
        note=note,
        reason=reason,
    )
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
    """Ask the resident for these pages (missing or unreadable): they get one upload button
    per page."""
    chosen = [s for s in all_slots(submission.certificate_status) if s in set(slots)]
    if not chosen:
        raise ReviewError("review.choose_slots")
    change = _decide(submission, ReviewAction.ASK_INFO, Party.REVIEWER)
    await _change(
        session,
        submission,
        change,
        actor=_staff(staff),
        action="needs_info",
        note=note,
        slots=chosen,
    )
    submission.requested_slots = chosen
    await notify_resident(
        session,
        deps,
        submission,
        "resident.needs_info",
        {"slots_keys": [f"slot.{s}" for s in chosen], "note": note or "—"},
        keyboard=upload_buttons(submission.receipt_code, chosen),
    )


async def assign(
    session: AsyncSession, deps: Deps, submission: Submission, staff: Staff, village: Village
) -> None:
    """Put the submission in a village's queue (triage) or move it to another (re-route): the
    village's staff and the resident are told."""
    if village.commune_id != submission.commune_id:
        raise ReviewError("button.expired")
    if submission.village_id == village.id:
        raise ReviewError("review.same_village")
    change = _decide(submission, ReviewAction.ASSIGN, Party.REVIEWER)
    await _change(
        session,
        submission,
        change,
        actor=_staff(staff),
        action="assigned",
        village_id=village.id,
        previous=submission.village_id,
    )
    submission.village_id = village.id
    submission.route = Route.STAFF
    await notify_new_submission(
        session, deps, submission, village.name, besides=staff.telegram_user_id
    )
    await notify_resident(
        session, deps, submission, "resident.assigned", {"village": village.name}
    )


async def resubmit(session: AsyncSession, submission: Submission) -> bool:
    """Every page asked for is in: back to review, if it still needs information; True if so
    (the caller tells the officers)."""
    decision = transition(submission.state, ReviewAction.RESUBMIT, Party.RESIDENT)
    if isinstance(decision, Refusal):
        return False
    resident = (ActorKind.RESIDENT, str(submission.citizen_id))
    await _change(session, submission, decision, actor=resident, action="resubmitted")
    return True


@dataclass(frozen=True)
class Withdrawal:
    receipt_code: str
    withdrawn: bool  # False: already accepted into the land system, documents kept
    deleted_documents: int
    blob_names: list[str]


async def withdraw(
    session: AsyncSession, citizen: Citizen, receipt_code: str
) -> Withdrawal | None:
    """Withdraw the citizen's own submission, deleting its documents; None if it is not theirs
    or closed already."""
    submission = await submission_by_receipt(session, receipt_code, citizen_id=citizen.id)
    if submission is None:
        return None
    decision = transition(submission.state, ReviewAction.WITHDRAW, Party.RESIDENT)
    resident = (ActorKind.RESIDENT, str(citizen.id))
    if decision is Refusal.ACCEPTED_KEPT:
        await append_event(
            session,
            actor_kind=resident[0],
            actor_id=resident[1],
            action="withdraw_refused_accepted",
            commune_id=submission.commune_id,
            submission_id=submission.id,
        )
        return Withdrawal(receipt_code, withdrawn=False, deleted_documents=0, blob_names=[])
    if isinstance(decision, Refusal):
        return None
    documents = await documents_of_submission(session, submission.id)
    names = await delete_documents(session, documents)
    deleted = sum(1 for d in documents if d.deleted_at is not None)
    await _change(
        session,
        submission,
        decision,
        actor=resident,
        action="withdrawn",
        documents_deleted=deleted,
    )
    return Withdrawal(receipt_code, withdrawn=True, deleted_documents=deleted, blob_names=names)
