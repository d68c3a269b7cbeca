"""A finished draft becomes a routed submission with its documents and a receipt, in the
resident's step's transaction: load what routing needs → route (pure) → save."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from intake.flow import Draft, worded
from intake.notify import OutboxMessage, enqueue, notify_new_submission, submission_digest
from intake.submissions._duplicates import flag_duplicates
from intake.submissions._lifecycle import FIRST_STATE
from intake.submissions._routing import new_receipt_code, quality_flags, route_submission
from storage.deps import Deps
from storage.models import Citizen, Submission, utcnow
from storage.repositories import documents as document_rows
from storage.repositories import submissions as rows
from storage.repositories.audit import append_event
from storage.repositories.submissions import SubmissionFields
from storage.states import ActorKind, Route

__all__ = ["create_submission"]


async def _route(
    session: AsyncSession, deps: Deps, commune_id: int, draft: Draft, cccd: str
) -> tuple[int | None, Route]:
    by_parcel = None
    if draft.map_sheet and draft.parcel_no:
        by_parcel = await rows.parcel_village(
            session, commune_id, draft.map_sheet, draft.parcel_no
        )
    by_target = await rows.target_village(session, commune_id, deps.blind.cccd(cccd))
    return route_submission(draft.village.id if draft.village else None, by_parcel, by_target)


async def create_submission(
    session: AsyncSession,
    deps: Deps,
    *,
    citizen: Citizen,
    chat_id: int,
    draft_id: uuid.UUID,
    draft: Draft,
) -> Submission:
    """Turn a finished draft into a routed submission with its documents and a receipt."""
    if draft.commune is None or draft.holder_name is None or draft.cccd is None:
        raise ValueError("an incomplete draft cannot be submitted")
    commune_id = draft.commune.id
    commune = await rows.commune_for_receipt(session, commune_id)
    if commune is None:
        raise ValueError("the draft's commune no longer exists")
    commune_name, prefix = commune
    village_id, route = await _route(session, deps, commune_id, draft, draft.cccd)
    code = new_receipt_code(prefix)
    while await rows.receipt_taken(session, code):
        code = new_receipt_code(prefix)
    # Read before they are attached, for the flags that go in with the submission's row. A
    # verdict committed in between (on PostgreSQL, another connection) would be attached
    # without being counted; but every verdict writes the draft, so this step's
    # version-checked delete of the draft then fails, and the step runs again.
    documents = await rows.draft_documents(session, draft_id, commune_id)
    flags = quality_flags(
        draft.certificate_status,
        bool(draft.phone),
        documents,
        has_serial=bool(draft.serial),
        checked=draft.flags,
    )
    now = utcnow()
    submission = await rows.add_submission(
        session,
        deps.fields,
        {
            "receipt_code": code,
            "citizen_id": citizen.id,
            "commune_id": commune_id,
            "village_id": village_id,
            "route": route,
            "state": FIRST_STATE,
            "whose": draft.whose.value if draft.whose else "self",
            "certificate_status": draft.certificate_status,
            "map_sheet": draft.map_sheet or None,
            "parcel_no": draft.parcel_no or None,
            "assisted_by_staff_id": draft.assisted_by,
            "submitted_at": now,
            "updated_at": now,
            "quality_flags": flags,
            "complete": not flags["missing"],
        },
        SubmissionFields(draft.holder_name, draft.cccd, draft.phone, draft.serial),
        deps.blind.cccd(draft.cccd),
    )
    await rows.attach_draft_documents(session, draft_id, commune_id, submission.id)
    await flag_duplicates(
        session, submission, await document_rows.documents_of_submission(session, submission.id)
    )
    await append_event(
        session,
        actor_kind=ActorKind.RESIDENT,
        actor_id=str(citizen.id),
        action="submitted",
        commune_id=commune_id,
        submission_id=submission.id,
        data={"route": route.value, "village_id": village_id, "assisted_by": draft.assisted_by},
    )
    village = await rows.village_name(session, village_id)
    digest = submission_digest(submission, draft.holder_name, (slot for slot, _ in documents))
    await notify_new_submission(session, deps, submission, village, digest)
    await enqueue(
        session,
        deps,
        chat_id=chat_id,
        kind="receipt",
        message=OutboxMessage(
            worded("submit.receipt", draft),
            citizen.language,
            {"receipt": code, "place": f"{village}, {commune_name}" if village else commune_name},
        ),
    )
    return submission
