"""The resident's answer to "needs info": an upload for exactly the slot the officer asked for.

The officer's request reaches the resident with one button per requested slot (`UploadFor`).
Pressing it re-checks everything (the submission is the resident's, it still needs information,
the slot is still requested) and remembers on the citizen row which slot the next photo is for.
That photo becomes a pending document of the submission itself (not of a draft), goes through
the same pipeline (checked, stripped, sealed for the submission's commune), and its verdict
comes back here: a refused photo is explained and the upload stays open; an accepted one
replaces the slot's earlier document and, once every requested slot is in, the submission goes
back to review as `resubmitted` (the lifecycle's RESUBMIT) and the commune's officers are told.

The resident desk takes these before the flow does (an upload while a request is open, a press
of an upload button); everything else goes on to the conversation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import DocumentChecked, Reply, Upload
from intake.documents import PendingDocument
from intake.documents.pipeline import add_pending_document
from intake.flow import UploadFor
from intake.notify import notify_officers, open_button, upload_buttons
from intake.photos import MAX_UPLOAD_BYTES
from intake.submissions import flag_duplicates, is_complete, resubmit
from storage.deps import Deps
from storage.models import Citizen, Document, Submission, utcnow
from storage.repositories import documents, residents
from storage.repositories.audit import append_event
from storage.repositories.submissions import open_requests_of_citizen, submission_by_receipt
from storage.states import ActorKind, DocumentStatus, SubmissionState

__all__ = ["FollowupResult", "followup_verdict", "open_followup", "take_followup_upload"]


@dataclass
class FollowupResult:
    replies: list[Reply] = field(default_factory=list)
    document: PendingDocument | None = None
    blobs_to_delete: list[str] = field(default_factory=list)
    new_outbox: bool = False


async def _open_request(
    session: AsyncSession, citizen: Citizen, submission_id: uuid.UUID | None
) -> Submission | None:
    if submission_id is None:
        return None
    submission = await session.get(Submission, submission_id)
    if (
        submission is None
        or submission.citizen_id != citizen.id
        or submission.state is not SubmissionState.NEEDS_INFO
    ):
        return None
    return submission


async def open_followup(session: AsyncSession, citizen: Citizen, press: UploadFor) -> list[Reply]:
    """The resident pressed an upload button of an officer's request."""
    submission = await submission_by_receipt(session, press.receipt, citizen_id=citizen.id)
    submission = await _open_request(session, citizen, submission.id if submission else None)
    if submission is None or press.slot not in (submission.requested_slots or []):
        return [Reply("button.expired")]
    citizen.followup_submission_id, citizen.followup_slot = submission.id, press.slot
    return [Reply("followup.send", {"slot_key": f"slot.{press.slot}", "receipt": press.receipt})]


async def take_followup_upload(
    session: AsyncSession,
    citizen: Citizen,
    event: Upload,
    *,
    lease: timedelta,
    leased_by: uuid.UUID | None = None,
) -> FollowupResult | None:
    """The photo for an open follow-up; None when none is open (the flow takes the upload)."""
    submission = await _open_request(session, citizen, citizen.followup_submission_id)
    slot = citizen.followup_slot
    if submission is None or slot not in (submission.requested_slots or []):
        citizen.followup_submission_id = citizen.followup_slot = None
        return None
    if event.file_size is not None and event.file_size > MAX_UPLOAD_BYTES:
        return FollowupResult([Reply("photo.too_big")])
    pending = await add_pending_document(
        session,
        event,
        slot=slot,
        commune_id=submission.commune_id,
        lease=lease,
        leased_by=leased_by,
        submission_id=submission.id,
    )
    return FollowupResult([Reply("followup.checking", {"slot_key": f"slot.{slot}"})], pending)


async def loose_upload(
    session: AsyncSession,
    citizen: Citizen,
    event: Upload,
    *,
    lease: timedelta,
    leased_by: uuid.UUID | None = None,
) -> FollowupResult | None:
    """A photo sent without pressing an upload button, while an officer's request is open
    (and no new submission is being made): it goes to the only page asked for; when several
    are asked, the resident is asked which page it is. None when nothing is asked."""
    asked = [
        (submission, slot)
        for submission in await open_requests_of_citizen(session, citizen.id)
        for slot in submission.requested_slots
    ]
    if not asked:
        return None
    if len(asked) == 1:
        submission, slot = asked[0]
        citizen.followup_submission_id, citizen.followup_slot = submission.id, slot
        return await take_followup_upload(
            session, citizen, event, lease=lease, leased_by=leased_by
        )
    return FollowupResult(await request_reminders(session, citizen.id, "followup.which_page"))


async def request_reminders(
    session: AsyncSession, citizen_id: uuid.UUID, key: str = "followup.open_request"
) -> list[Reply]:
    """One message per open request, with one upload button per page asked for."""
    return [
        Reply(
            key,
            {
                "receipt": submission.receipt_code,
                "slots_keys": [f"slot.{slot}" for slot in submission.requested_slots],
            },
            keyboard=upload_buttons(submission.receipt_code, submission.requested_slots),
        )
        for submission in await open_requests_of_citizen(session, citizen_id)
    ]


async def followup_verdict(
    session: AsyncSession,
    deps: Deps,
    document_id: uuid.UUID,
    submission_id: uuid.UUID,
    verdict: DocumentChecked,
) -> FollowupResult:
    """The pipeline's verdict on a follow-up document (inside the pipeline's transaction)."""
    result = FollowupResult()
    submission = await session.get(Submission, submission_id)
    if submission is None:
        return result
    slot = verdict.slot
    if not verdict.accepted:
        result.replies.append(
            Reply(
                "followup.retake",
                {
                    "slot_key": f"slot.{slot}",
                    "issues_keys": [f"issue.{i}" for i in verdict.issues],
                },
            )
        )
        return result
    older = await documents.stored_in_slot(session, submission.id, slot, besides=document_id)
    result.blobs_to_delete += await documents.delete_documents(session, older)
    requested = [s for s in (submission.requested_slots or []) if s != slot]
    submission.requested_slots = requested
    flags = dict(submission.quality_flags or {})
    flags["missing"] = [s for s in flags.get("missing", []) if s != slot]
    submission.quality_flags = flags
    added = await session.get(Document, document_id)
    if added is not None:
        await flag_duplicates(session, submission, [added])
    slots_in = await documents.slots_of_submission(
        session, submission.id, (DocumentStatus.STORED, DocumentStatus.PENDING)
    )
    submission.complete = is_complete(submission.certificate_status, slots_in)
    submission.updated_at = utcnow()
    citizen = await residents.citizen(session, submission.citizen_id)
    if citizen.followup_submission_id == submission.id and (
        citizen.followup_slot == slot or not requested
    ):
        citizen.followup_submission_id = citizen.followup_slot = None
    await append_event(
        session,
        actor_kind=ActorKind.RESIDENT,
        actor_id=str(submission.citizen_id),
        action="document_added",
        commune_id=submission.commune_id,
        submission_id=submission.id,
        data={"slot": slot, "replaced": len(older)},
    )
    if requested:
        result.replies.append(
            Reply(
                "followup.received_more",
                {"slot_key": f"slot.{slot}", "slots_keys": [f"slot.{s}" for s in requested]},
                keyboard=upload_buttons(submission.receipt_code, requested),
            )
        )
        return result
    if await resubmit(session, submission):
        await notify_officers(
            session,
            deps,
            submission.commune_id,
            "notify.officer_resubmitted",
            {"receipt": submission.receipt_code},
            keyboard=open_button(submission.receipt_code),
            kind="officer_resubmitted",
        )
        result.new_outbox = True
    result.replies.append(Reply("followup.all_done", {"receipt": submission.receipt_code}))
    return result
