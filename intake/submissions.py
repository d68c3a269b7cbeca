"""Submissions: routing a finished draft, the receipt code, the resident's list and withdrawal.

Routing (DESIGN.md, first answer wins): the village the resident chose (or the deep link's);
the village the commune's parcel list gives for (map sheet, parcel); the village of a matching
household in the target list (by CCCD blind index); otherwise the commune triage queue.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from intake.deps import Deps
from intake.flow import Draft
from intake.flow.slots import slots_for
from intake.notify import notify_new_submission
from intake.outbox import OutboxMessage, enqueue
from intake.text import VIETNAM
from storage.models import (
    Blob,
    Citizen,
    Commune,
    Document,
    Parcel,
    Submission,
    Target,
    Village,
    utcnow,
)
from storage.repositories import append_event
from storage.states import ActorKind, CertificateStatus, DocumentStatus, Route, SubmissionState

__all__ = [
    "RECEIPT_ALPHABET",
    "VIETNAM",
    "SubmissionView",
    "Withdrawal",
    "create_submission",
    "delete_documents",
    "list_submissions",
    "route_submission",
    "withdraw_submission",
]

# No 0/O, 1/I/L: a receipt code is read aloud and copied by hand.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_RECEIPT_LENGTH = 5
_CLOSED = (SubmissionState.WITHDRAWN, SubmissionState.REJECTED)


def route_submission(
    chosen: int | None, by_parcel: int | None, by_target: int | None
) -> tuple[int | None, Route]:
    """The village a submission goes to and the rule that decided it (pure)."""
    for village, route in (
        (chosen, Route.CHOSEN),
        (by_parcel, Route.PARCEL),
        (by_target, Route.TARGET),
    ):
        if village is not None:
            return village, route
    return None, Route.TRIAGE


def new_receipt_code(prefix: str) -> str:
    body = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(_RECEIPT_LENGTH))
    return f"{prefix}-{body}"


async def _parcel_village(session: AsyncSession, commune_id: int, draft: Draft) -> int | None:
    if not draft.map_sheet or not draft.parcel_no:
        return None
    return await session.scalar(
        select(Parcel.village_id).where(
            Parcel.commune_id == commune_id,
            Parcel.map_sheet == draft.map_sheet,
            Parcel.parcel_no == draft.parcel_no,
        )
    )


async def _target_village(
    session: AsyncSession, deps: Deps, commune_id: int, cccd: str
) -> int | None:
    return await session.scalar(
        select(Target.village_id)
        .where(
            Target.commune_id == commune_id,
            Target.cccd_index == deps.blind.cccd(cccd),
            Target.village_id.is_not(None),
        )
        .limit(1)
    )


LOW_RESOLUTION_PX = 800  # a photo whose short side is smaller is hard to read


def quality_flags(draft: Draft, documents: Sequence[tuple[str, dict[str, Any]]]) -> dict[str, Any]:
    """What staff should know at a glance: required slots missing, and warnings."""
    stored = {slot for slot, _ in documents}
    status = draft.certificate_status or CertificateStatus.HELD
    missing = [
        r.slot.value for r in slots_for(status) if r.required and r.slot.value not in stored
    ]
    flags = []
    if any(
        min(metrics.get("width") or 10**6, metrics.get("height") or 10**6) < LOW_RESOLUTION_PX
        for _, metrics in documents
    ):
        flags.append("low_resolution")
    if not draft.phone:
        flags.append("no_phone")
    return {"missing": missing, "flags": flags}


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
    commune = await session.get(Commune, draft.commune.id)
    if commune is None:
        raise ValueError("the draft's commune no longer exists")
    village_id, route = route_submission(
        draft.village.id if draft.village else None,
        await _parcel_village(session, commune.id, draft),
        await _target_village(session, deps, commune.id, draft.cccd),
    )
    code = new_receipt_code(commune.receipt_prefix)
    while await session.scalar(select(Submission.id).where(Submission.receipt_code == code)):
        code = new_receipt_code(commune.receipt_prefix)
    sid = uuid.uuid4()

    def seal(column: str, value: str | None) -> bytes | None:
        if not value:
            return None
        return deps.fields.encrypt(value, table="submission", column=column, row=sid)

    now = utcnow()
    submission = Submission(
        id=sid,
        receipt_code=code,
        citizen_id=citizen.id,
        commune_id=commune.id,
        village_id=village_id,
        route=route,
        state=SubmissionState.SUBMITTED,
        whose=draft.whose.value if draft.whose else "self",
        holder_name_enc=seal("holder_name_enc", draft.holder_name),
        cccd_enc=seal("cccd_enc", draft.cccd),
        cccd_index=deps.blind.cccd(draft.cccd),
        phone_enc=seal("phone_enc", draft.phone),
        certificate_status=draft.certificate_status,
        certificate_serial_enc=seal("certificate_serial_enc", draft.serial),
        map_sheet=draft.map_sheet or None,
        parcel_no=draft.parcel_no or None,
        assisted_by_staff_id=draft.assisted_by,
        submitted_at=now,
        updated_at=now,
    )
    session.add(submission)
    await session.flush()
    await session.execute(
        update(Document)
        .where(
            Document.draft_id == draft_id,
            Document.status == DocumentStatus.STORED,
            Document.commune_id == commune.id,  # sealed for this commune's keys, never another's
        )
        .values(submission_id=sid)
    )
    documents = (
        await session.execute(
            select(Document.slot, Document.metrics).where(
                Document.submission_id == sid, Document.status == DocumentStatus.STORED
            )
        )
    ).all()
    submission.quality_flags = quality_flags(draft, documents)
    submission.complete = not submission.quality_flags["missing"]
    await append_event(
        session,
        actor_kind=ActorKind.RESIDENT,
        actor_id=str(citizen.id),
        action="submitted",
        commune_id=commune.id,
        submission_id=sid,
        data={
            "route": route.value,
            "village_id": village_id,
            "assisted_by": draft.assisted_by,
        },
    )
    village = await session.get(Village, village_id) if village_id else None
    await notify_new_submission(session, deps, submission, village.name if village else None)
    await enqueue(
        session,
        deps,
        chat_id=chat_id,
        kind="receipt",
        message=OutboxMessage(
            "submit.receipt",
            citizen.language,
            {
                "receipt": code,
                "place": f"{village.name}, {commune.name}" if village else commune.name,
            },
        ),
    )
    return submission


@dataclass(frozen=True)
class SubmissionView:
    receipt_code: str
    state: SubmissionState
    submitted_at: datetime
    place: str

    @property
    def local_date(self) -> datetime:
        """When it was submitted, in Vietnam's time (for people to read)."""
        return self.submitted_at.astimezone(VIETNAM)


async def list_submissions(session: AsyncSession, citizen_id: uuid.UUID) -> list[SubmissionView]:
    rows = await session.execute(
        select(
            Submission.receipt_code,
            Submission.state,
            Submission.submitted_at,
            Commune.name,
            Village.name,
        )
        .join(Commune, Commune.id == Submission.commune_id)
        .outerjoin(Village, Village.id == Submission.village_id)
        .where(Submission.citizen_id == citizen_id)
        .order_by(Submission.submitted_at.desc())
    )
    return [
        SubmissionView(code, state, at, village or commune)
        for code, state, at, commune, village in rows
    ]


async def delete_documents(session: AsyncSession, documents: list[Document]) -> list[str]:
    """Mark documents deleted; returns the blob names to remove once the transaction commits."""
    names = []
    now = utcnow()
    for document in documents:
        if document.status is DocumentStatus.DELETED:
            continue
        if document.blob_id is not None:
            blob = await session.get(Blob, document.blob_id)
            if blob is not None and blob.deleted_at is None:
                blob.deleted_at = now
                names.append(blob.name)
        document.status = DocumentStatus.DELETED
        document.deleted_at = now
    return names


@dataclass(frozen=True)
class Withdrawal:
    receipt_code: str
    withdrawn: bool  # False: already accepted into the land system, documents kept
    deleted_documents: int
    blob_names: list[str]


async def withdraw_submission(
    session: AsyncSession, citizen: Citizen, receipt_code: str
) -> Withdrawal | None:
    """Withdraw the citizen's own submission; None if it is not theirs or already closed."""
    submission = await session.scalar(
        select(Submission).where(
            Submission.receipt_code == receipt_code,
            Submission.citizen_id == citizen.id,
            Submission.state.not_in(_CLOSED),
        )
    )
    if submission is None:
        return None
    if submission.state is SubmissionState.ACCEPTED:
        await append_event(
            session,
            actor_kind=ActorKind.RESIDENT,
            actor_id=str(citizen.id),
            action="withdraw_refused_accepted",
            commune_id=submission.commune_id,
            submission_id=submission.id,
        )
        return Withdrawal(receipt_code, withdrawn=False, deleted_documents=0, blob_names=[])
    documents = list(
        await session.scalars(select(Document).where(Document.submission_id == submission.id))
    )
    names = await delete_documents(session, documents)
    deleted = sum(1 for d in documents if d.deleted_at is not None)
    submission.state = SubmissionState.WITHDRAWN
    submission.updated_at = utcnow()
    await append_event(
        session,
        actor_kind=ActorKind.RESIDENT,
        actor_id=str(citizen.id),
        action="withdrawn",
        commune_id=submission.commune_id,
        submission_id=submission.id,
        data={"documents_deleted": deleted},
    )
    return Withdrawal(receipt_code, withdrawn=True, deleted_documents=deleted, blob_names=names)


async def open_submissions(session: AsyncSession, citizen_id: uuid.UUID) -> list[str]:
    rows = await session.scalars(
        select(Submission.receipt_code)
        .where(Submission.citizen_id == citizen_id, Submission.state.not_in(_CLOSED))
        .order_by(Submission.submitted_at.desc())
        .limit(10)
    )
    return list(rows)
