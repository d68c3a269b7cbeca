"""Who is told what, written to the outbox in the transaction of the event that causes it, and
the buttons those messages carry.

- A new submission: the village's chiefs who chose instant alerts get one message (household
  name, parcel, documents in and missing, quality flags — never an ID number). Chiefs who chose
  the daily digest get nothing now. A submission in the triage queue, or in a village without
  an active chief, goes to the commune's officers instead (DESIGN.md: their notifications go to
  the commune officers). An officer's alerts are gathered: the first comes at once; those that
  follow within `OFFICER_ALERT_WINDOW` of an alert go together in one message sent when the
  window ends (receipt, name and village per line, a button for each), so thirty submissions
  in a minute are two messages, not thirty.
- A resubmission (the resident sent what "needs info" asked for): the commune's officers.
- Every review change that concerns the resident: the resident (or, for an assisted
  submission, the chief who submitted it, whose chat it came from).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import Button, Keyboard, KeyboardKind
from intake.flow import UploadFor, data_of
from intake.notify._outbox import OutboxMessage, enqueue, notify_officers
from storage.deps import Deps
from storage.models import Submission, utcnow
from storage.repositories import documents, residents, staff
from storage.repositories import outbox as outbox_rows
from storage.repositories.staff import Recipient
from storage.repositories.submissions import field
from storage.states import StaffRole

__all__ = [
    "OFFICER_ALERT_WINDOW",
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


OFFICER_ALERT_WINDOW = timedelta(minutes=3)
_OFFICER_ALERT = "officer_new"
_OFFICER_ALERTS = "officer_batch"  # the gathered ones
_MAX_BATCH_LINES = 10  # more arrived: the message says how many, and /queue lists them all


def upload_buttons(receipt: str, slots: Sequence[str]) -> Keyboard:
    """The resident's buttons: each opens the upload for exactly one requested slot."""
    return Keyboard(
        KeyboardKind.INLINE,
        tuple(
            (
                Button(
                    "resident.upload_button",
                    data=data_of(UploadFor(receipt, slot)),
                    params={"slot_key": f"slot.{slot}"},
                ),
            )
            for slot in slots
        ),
    )


def open_data(receipt: str) -> str:
    """The staff desk's "open this submission" button data (its codec's `s:o:`)."""
    return f"s:o:{receipt}"


def open_button(receipt: str) -> Keyboard:
    return Keyboard(KeyboardKind.INLINE, ((Button("staff.open", data=open_data(receipt)),),))


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
    stored = await documents.slots_of_submission(session, submission.id)
    holder_name = field(deps.fields, submission, "holder_name") or ""
    return submission_digest(submission, holder_name, stored)


async def notify_new_submission(
    session: AsyncSession,
    deps: Deps,
    submission: Submission,
    village_name: str | None,
    digest: SubmissionDigest | None = None,
    *,
    besides: int | None = None,
) -> None:
    """Tell the village's chiefs (instant ones now; digest ones later), or the officers.
    `digest`: the submission's, when the caller has it at hand (read here otherwise);
    `besides`: the Telegram account of the staff member who caused it (a re-routing officer),
    who is not told of their own action."""
    digest = digest or await digest_of(session, deps, submission)
    params = {**digest.params(), "village": village_name or "—"}
    chiefs: Sequence[Recipient] = ()
    if submission.village_id is not None:
        chiefs = await staff.recipients(
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
        for officer in await staff.recipients(
            session, commune_id=submission.commune_id, role=StaffRole.OFFICER
        ):
            if officer.telegram_user_id != besides:
                await _alert_officer(session, deps, officer, key, params, village=village_name)


async def _alert_officer(
    session: AsyncSession,
    deps: Deps,
    officer: Recipient,
    key: str,
    params: dict[str, object],
    *,
    village: str | None,
) -> None:
    """The officer's alert of a new submission: at once, or gathered with others (module
    docstring)."""
    now, chat_id = utcnow(), officer.telegram_user_id
    line = {"receipt": params["receipt"], "name": params["name"], "village": village}
    batch = await outbox_rows.open_batch(
        session, deps.fields, chat_id=chat_id, kind=_OFFICER_ALERTS, now=now
    )
    if batch is not None:
        gathered = OutboxMessage.from_json(batch.payload)
        message = _gathered(gathered.language, gathered.params, line)
        await outbox_rows.rewrite_payload(session, deps.fields, batch.id, message.to_json())
    elif await outbox_rows.written_since(
        session,
        chat_id=chat_id,
        kinds=(_OFFICER_ALERT, _OFFICER_ALERTS),
        since=now - OFFICER_ALERT_WINDOW,
    ):
        await outbox_rows.add_message_at(
            session,
            deps.fields,
            chat_id=chat_id,
            kind=_OFFICER_ALERTS,
            payload=_gathered(officer.language, {}, line).to_json(),
            not_before=now + OFFICER_ALERT_WINDOW,
        )
    else:
        await enqueue(
            session,
            deps,
            chat_id=chat_id,
            kind=_OFFICER_ALERT,
            message=OutboxMessage(
                key, officer.language, params, open_button(str(params["receipt"]))
            ),
        )


def _gathered(language: str, before: dict[str, Any], line: dict[str, object]) -> OutboxMessage:
    """The message gathering the window's alerts, with one more: a line and a button for each
    of the first `_MAX_BATCH_LINES`, then how many more there are (a message stays far under
    Telegram's 4,096 characters however many arrive)."""
    shown = [*before.get("items_lines", [])]
    count = int(before.get("count", 0)) + 1
    if len(shown) < _MAX_BATCH_LINES:
        key = "notify.officer_batch_item" if line["village"] else "notify.officer_batch_triage"
        shown.append((key, line))
    more = count - len(shown)
    params: dict[str, object] = {
        "count": count,
        "items_lines": shown,
        "more_lines": [("notify.officer_batch_more", {"more": more})] if more else [],
    }
    keyboard = Keyboard(
        KeyboardKind.INLINE,
        tuple(
            (
                Button(
                    "notify.open_receipt",
                    data=open_data(str(item["receipt"])),
                    params={"receipt": item["receipt"]},
                ),
            )
            for _, item in shown
        ),
    )
    return OutboxMessage("notify.officer_batch", language, params, keyboard)


async def notify_resident(
    session: AsyncSession,
    deps: Deps,
    submission: Submission,
    key: str,
    params: dict[str, object] | None = None,
    *,
    keyboard: Keyboard | None = None,
) -> None:
    try:
        citizen = await residents.citizen(session, submission.citizen_id)
    except LookupError:
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
