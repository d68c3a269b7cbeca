"""Who is told what, written to the outbox in the transaction of the event that causes it.

- A new submission: the village's chiefs who chose instant alerts get one message (household
  name, parcel, documents in and missing, quality flags — never an ID number). Chiefs who chose
  the daily digest get nothing now. A submission in the triage queue, or in a village without
  an active chief, goes to the commune's officers instead (DESIGN.md: their notifications go to
  the commune officers).
- A resubmission (the resident sent what "needs info" asked for): the commune's officers.
- Every review change that concerns the resident: the resident (or, for an assisted
  submission, the chief who submitted it, whose chat it came from).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Table, bindparam, select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.deps import Deps
from intake.events import Button, Keyboard, KeyboardKind
from intake.outbox import OutboxMessage, enqueue
from storage.models import Citizen, Document, Staff, Submission
from storage.states import DocumentStatus, StaffRole

__all__ = [
    "SubmissionDigest",
    "digest_of",
    "notify_new_submission",
    "notify_officers",
    "notify_resident",
    "open_button",
    "parcel_text",
    "submission_digest",
    "upload_buttons",
]


def upload_buttons(receipt: str, slots: Sequence[str]) -> Keyboard:
    """The resident's buttons: each opens the upload for exactly one requested slot."""
    return Keyboard(
        KeyboardKind.INLINE,
        tuple(
            (
                Button(
                    "resident.upload_button",
                    data=f"up:{receipt}:{slot}",
                    params={"slot_key": f"slot.{slot}"},
                ),
            )
            for slot in slots
        ),
    )


def open_button(receipt: str) -> Keyboard:
    return Keyboard(KeyboardKind.INLINE, ((Button("staff.open", data=f"s:o:{receipt}"),),))


@dataclass(frozen=True)
class SubmissionDigest:
    """What a staff notification says about a submission (no ID numbers)."""

    receipt: str
    holder_name: str
    parcel: str
    documents_in: tuple[str, ...]  # slot names
    documents_missing: tuple[str, ...]
    flags: tuple[str, ...]

    def params(self) -> dict[str, object]:
        return {
            "receipt": self.receipt,
            "name": self.holder_name,
            "parcel": self.parcel,
            "docs_in_keys": [f"slot.{s}" for s in self.documents_in] or ["staff.none"],
            "docs_missing_keys": [f"slot.{s}" for s in self.documents_missing] or ["staff.none"],
            "flags_keys": [f"flag.{f}" for f in self.flags] or ["staff.none"],
        }


def parcel_text(map_sheet: str | None, parcel_no: str | None) -> str:
    if map_sheet and parcel_no:
        return f"{map_sheet}/{parcel_no}"
    return "—"


def submission_digest(
    submission: Submission, holder_name: str, stored_slots: Iterable[str]
) -> SubmissionDigest:
    """The digest of a submission whose holder's name and stored slots (in the order they
    came) the caller has at hand."""
    flags = submission.quality_flags or {}
    return SubmissionDigest(
        receipt=submission.receipt_code,
        holder_name=holder_name,
        parcel=parcel_text(submission.map_sheet, submission.parcel_no),
        documents_in=tuple(dict.fromkeys(stored_slots)),
        documents_missing=tuple(flags.get("missing", ())),
        flags=tuple(flags.get("flags", ())),
    )


async def digest_of(session: AsyncSession, deps: Deps, submission: Submission) -> SubmissionDigest:
    stored = await session.scalars(
        select(Document.slot)
        .where(Document.submission_id == submission.id, Document.status == DocumentStatus.STORED)
        .order_by(Document.created_at)
    )
    holder_name = deps.fields.decrypt(
        submission.holder_name_enc, table="submission", column="holder_name_enc", row=submission.id
    )
    return submission_digest(submission, holder_name, stored)


@dataclass(frozen=True)
class _Recipient:
    telegram_user_id: int
    language: str
    daily_digest: bool


_STAFF = cast(Table, Staff.__table__)
_OF_ROLE = (
    select(_STAFF.c.telegram_user_id, _STAFF.c.language, _STAFF.c.daily_digest)
    .where(
        _STAFF.c.active.is_(True),
        _STAFF.c.role == bindparam("role"),
        _STAFF.c.commune_id == bindparam("commune_id"),
    )
    .order_by(_STAFF.c.id)
)
_OF_VILLAGE = _OF_ROLE.where(_STAFF.c.village_id == bindparam("village_id"))


async def _staff(
    session: AsyncSession,
    *,
    commune_id: int,
    role: StaffRole,
    village_id: int | None = None,
) -> list[_Recipient]:
    """The active staff of a role in a commune (or in one of its villages), as plain values:
    every submission asks (statements built once)."""
    values: dict[str, object] = {"role": role, "commune_id": commune_id}
    if village_id is not None:
        values["village_id"] = village_id
    query = _OF_ROLE if village_id is None else _OF_VILLAGE
    rows = await (await session.connection()).execute(query, values)
    return [_Recipient(*row) for row in rows]


async def notify_officers(
    session: AsyncSession,
    deps: Deps,
    commune_id: int,
    key: str,
    params: dict[str, object],
    *,
    keyboard: Keyboard | None = None,
    kind: str = "staff",
) -> int:
    officers = await _staff(session, commune_id=commune_id, role=StaffRole.OFFICER)
    for officer in officers:
        await enqueue(
            session,
            deps,
            chat_id=officer.telegram_user_id,
            kind=kind,
            message=OutboxMessage(key, officer.language, params, keyboard),
        )
    return len(officers)


async def notify_new_submission(
    session: AsyncSession,
    deps: Deps,
    submission: Submission,
    village_name: str | None,
    digest: SubmissionDigest | None = None,
) -> None:
    """Tell the village's chiefs (instant ones now; digest ones later), or the officers.
    `digest`: the submission's, when the caller has it at hand (read here otherwise)."""
    digest = digest or await digest_of(session, deps, submission)
    params = {**digest.params(), "village": village_name or "—"}
    chiefs: Sequence[_Recipient] = ()
    if submission.village_id is not None:
        chiefs = await _staff(
            session,
            commune_id=submission.commune_id,
            role=StaffRole.CHIEF,
            village_id=submission.village_id,
        )
    for chief in chiefs:
        if chief.daily_digest:
            continue
        await enqueue(
            session,
            deps,
            chat_id=chief.telegram_user_id,
            kind="chief_new",
            message=OutboxMessage(
                "notify.chief_new", chief.language, params, open_button(digest.receipt)
            ),
        )
    if not chiefs:
        key = "notify.officer_triage" if submission.village_id is None else "notify.officer_new"
        await notify_officers(
            session,
            deps,
            submission.commune_id,
            key,
            params,
            keyboard=open_button(digest.receipt),
            kind="officer_new",
        )


async def notify_resident(
    session: AsyncSession,
    deps: Deps,
    submission: Submission,
    key: str,
    params: dict[str, object] | None = None,
    *,
    keyboard: Keyboard | None = None,
) -> None:
    citizen = await session.get(Citizen, submission.citizen_id)
    if citizen is None:
        return
    await enqueue(
        session,
        deps,
        chat_id=citizen.telegram_user_id,  # a private chat's id is the user's id
        kind="resident_review",
        message=OutboxMessage(
            key, citizen.language, {"receipt": submission.receipt_code, **(params or {})}, keyboard
        ),
    )
