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
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from intake.deps import Deps
from intake.flow import Draft
from intake.flow.slots import slots_for
from intake.notify import notify_new_submission, submission_digest
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


# Every submission runs these: built once (building one cost more than running it) and run as
# plain statements; the submission itself stays an ORM entity (its callers use it).
_PARCELS = cast(Table, Parcel.__table__)
_TARGETS = cast(Table, Target.__table__)
_DOCUMENTS = cast(Table, Document.__table__)
_SUBMISSIONS = cast(Table, Submission.__table__)
_COMMUNES = cast(Table, Commune.__table__)
_VILLAGES = cast(Table, Village.__table__)
_COMMUNE = select(_COMMUNES.c.name, _COMMUNES.c.receipt_prefix).where(
    _COMMUNES.c.id == bindparam("commune_id")
)
_VILLAGE_NAME = select(_VILLAGES.c.name).where(_VILLAGES.c.id == bindparam("village_id"))
_PARCEL_VILLAGE = select(_PARCELS.c.village_id).where(
    _PARCELS.c.commune_id == bindparam("commune_id"),
    _PARCELS.c.map_sheet == bindparam("map_sheet"),
    _PARCELS.c.parcel_no == bindparam("parcel_no"),
)
_TARGET_VILLAGE = (
    select(_TARGETS.c.village_id)
    .where(
        _TARGETS.c.commune_id == bindparam("commune_id"),
        _TARGETS.c.cccd_index == bindparam("cccd_index"),
        _TARGETS.c.village_id.is_not(None),
    )
    .limit(1)
)
_RECEIPT_TAKEN = select(_SUBMISSIONS.c.id).where(_SUBMISSIONS.c.receipt_code == bindparam("code"))
# the draft's stored documents, sealed for this commune's keys (never another's)
_OF_DRAFT = (
    (_DOCUMENTS.c.draft_id == bindparam("of_draft"))
    & (_DOCUMENTS.c.status == DocumentStatus.STORED)
    & (_DOCUMENTS.c.commune_id == bindparam("of_commune"))
)
_DRAFT_DOCUMENTS = (
    select(_DOCUMENTS.c.slot, _DOCUMENTS.c.metrics)
    .where(_OF_DRAFT)
    .order_by(_DOCUMENTS.c.created_at)
)
_ATTACH = update(_DOCUMENTS).where(_OF_DRAFT).values(submission_id=bindparam("new_submission"))


async def _route(
    connection: AsyncConnection, deps: Deps, commune_id: int, draft: Draft
) -> tuple[int | None, Route]:
    by_parcel = None
    if draft.map_sheet and draft.parcel_no:
        by_parcel = await connection.scalar(
            _PARCEL_VILLAGE,
            {"commune_id": commune_id, "map_sheet": draft.map_sheet, "parcel_no": draft.parcel_no},
        )
    assert draft.cccd is not None  # noqa: S101 — checked by the caller
    by_target = await connection.scalar(
        _TARGET_VILLAGE, {"commune_id": commune_id, "cccd_index": deps.blind.cccd(draft.cccd)}
    )
    return route_submission(draft.village.id if draft.village else None, by_parcel, by_target)


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
    connection = await session.connection()
    commune = (await connection.execute(_COMMUNE, {"commune_id": draft.commune.id})).first()
    if commune is None:
        raise ValueError("the draft's commune no longer exists")
    commune_id = draft.commune.id
    village_id, route = await _route(connection, deps, commune_id, draft)
    code = new_receipt_code(commune.receipt_prefix)
    while await connection.scalar(_RECEIPT_TAKEN, {"code": code}):
        code = new_receipt_code(commune.receipt_prefix)
    sid = uuid.uuid4()
    # Read before they are attached, for the flags that go in with the submission's row. A
    # verdict committed in between (on PostgreSQL, another connection) would be attached
    # without being counted; but every verdict writes the draft, so this step's
    # version-checked delete of the draft then fails, and the step runs again.
    of_draft = {"of_draft": draft_id, "of_commune": commune_id}
    documents = (await connection.execute(_DRAFT_DOCUMENTS, of_draft)).all()

    def seal(column: str, value: str | None) -> bytes | None:
        if not value:
            return None
        return deps.fields.encrypt(value, table="submission", column=column, row=sid)

    now = utcnow()
    flags = quality_flags(draft, [(slot, metrics) for slot, metrics in documents])
    submission = Submission(
        id=sid,
        receipt_code=code,
        citizen_id=citizen.id,
        commune_id=commune_id,
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
        quality_flags=flags,
        complete=not flags["missing"],
    )
    session.add(submission)
    await session.flush()  # its row first: the documents refer to it
    await connection.execute(_ATTACH, {**of_draft, "new_submission": sid})
    await append_event(
        session,
        actor_kind=ActorKind.RESIDENT,
        actor_id=str(citizen.id),
        action="submitted",
        commune_id=commune_id,
        submission_id=sid,
        data={
            "route": route.value,
            "village_id": village_id,
            "assisted_by": draft.assisted_by,
        },
    )
    village = (
        await connection.scalar(_VILLAGE_NAME, {"village_id": village_id}) if village_id else None
    )
    digest = submission_digest(submission, draft.holder_name, (slot for slot, _ in documents))
    await notify_new_submission(session, deps, submission, village, digest)
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
                "place": f"{village}, {commune.name}" if village else commune.name,
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
