"""Submissions as people read them: the resident's list, the staff queue's rows and a card
(the fields, the document checklist, the flags). Plain data, for the Telegram screens and the
console alike; ID numbers only where the policy lets the reader see them."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from intake.language import VIETNAM
from intake.notify import parcel_text
from intake.submissions._lifecycle import CLOSED, all_slots
from storage.deps import Deps
from storage.models import Submission
from storage.repositories import documents, places
from storage.repositories import submissions as rows
from storage.states import Route, SubmissionState

__all__ = [
    "QUEUE_PAGE",
    "Card",
    "QueueItem",
    "QueuePage",
    "SubmissionView",
    "card_of",
    "list_submissions",
    "open_receipts",
    "queue",
    "queue_item",
]

# Ten short rows (sign, receipt, name, village) and the filter buttons fit a phone's screen.
QUEUE_PAGE = 10
_WITHDRAWABLE_LIMIT = 10
# what a resident may still withdraw: all but the closed ones (an accepted one is offered, and
# then refused with its reason)
_NOT_WITHDRAWABLE = (SubmissionState.WITHDRAWN, SubmissionState.REJECTED)


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
    """The resident's submissions, newest first."""
    return [
        SubmissionView(code, state, at, village or commune)
        for code, state, at, commune, village in await rows.submissions_of_citizen(
            session, citizen_id
        )
    ]


async def open_receipts(session: AsyncSession, citizen_id: uuid.UUID) -> list[str]:
    """The receipts of the resident's submissions that /withdraw offers, newest first."""
    return await rows.open_receipts(
        session, citizen_id, _NOT_WITHDRAWABLE, limit=_WITHDRAWABLE_LIMIT
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
    serial: str | None  # the certificate's serial, by which the land system finds the record
    parcel: str
    documents: tuple[tuple[str, str], ...]  # (slot, document status or "missing")
    flags: tuple[str, ...]
    requested: tuple[str, ...]
    assisted: bool
    duplicates: tuple[str, ...]  # receipts of submissions holding the same document
    submitted_at: datetime

    def params(self) -> dict[str, object]:
        lines = [
            ("card.document", {"slot_key": f"slot.{slot}", "status_key": f"doc.{status}"})
            for slot, status in self.documents
        ]
        return {
            "receipt": self.receipt,
            "state_key": f"state.{self.state.value}",
            "where_lines": [
                ("card.where", {"village": self.village, "route_key": f"route.{self.route.value}"})
                if self.village
                else ("card.where_unknown", {})
            ],
            "name": self.holder_name,
            "cccd": self.cccd or "•••",
            "phone": self.phone or "—",
            "cert_key": f"certstaff.{self.certificate_status}",
            "serial": self.serial or "—",
            "parcel": self.parcel,
            "documents_lines": lines,
            "flags_keys": [f"flag.{f}" for f in self.flags] or ["staff.none"],
            "duplicates_lines": (
                [("card.duplicates", {"receipts": ", ".join(self.duplicates)})]
                if self.duplicates
                else []
            ),
            "assisted_key": "card.assisted" if self.assisted else "card.self_sent",
            "date": f"{self.submitted_at:%d/%m/%Y}",
        }


async def card_of(
    session: AsyncSession, deps: Deps, submission: Submission, *, show_ids: bool
) -> Card:
    fields = rows.fields_of(deps.fields, submission)
    stored = set(await documents.slots_of_submission(session, submission.id))
    checklist = tuple(
        (slot, "stored" if slot in stored else "missing")
        for slot in all_slots(submission.certificate_status)
    )
    village = (
        await places.village(session, submission.village_id) if submission.village_id else None
    )
    return Card(
        receipt=submission.receipt_code,
        state=submission.state,
        village=village.name if village else None,
        route=submission.route,
        holder_name=fields.holder_name,
        cccd=fields.cccd if show_ids else None,
        phone=fields.phone if show_ids else None,
        certificate_status=submission.certificate_status.value,
        serial=fields.serial if show_ids else None,
        parcel=parcel_text(submission.map_sheet, submission.parcel_no),
        documents=checklist,
        flags=tuple((submission.quality_flags or {}).get("flags", ())),
        requested=tuple(submission.requested_slots or ()),
        assisted=submission.assisted_by_staff_id is not None,
        duplicates=tuple((submission.quality_flags or {}).get("duplicates", ())),
        submitted_at=submission.submitted_at.astimezone(VIETNAM),
    )


@dataclass(frozen=True)
class QueueItem:
    receipt: str
    state: SubmissionState
    holder_name: str
    village: str | None
    parcel: str


@dataclass(frozen=True)
class QueuePage:
    items: list[QueueItem]
    total: int
    counts: dict[str, int]  # by state, for the same place


async def queue(
    session: AsyncSession,
    deps: Deps,
    *,
    commune_id: int,
    village_id: int | None,
    triage: bool,
    state: SubmissionState | None,
    page: int,
    page_size: int = QUEUE_PAGE,
) -> QueuePage:
    """One page of a queue, oldest first (closed ones only when asked for by state)."""
    found, total, counts = await rows.queue_page(
        session,
        commune_id=commune_id,
        village_id=village_id,
        triage=triage,
        states=None if state is None else (state,),
        excluded=tuple(CLOSED),
        offset=page * page_size,
        limit=page_size,
    )
    items = [queue_item(deps, row.submission, row.village) for row in found]
    return QueuePage(items, total, counts)


def queue_item(deps: Deps, submission: Submission, village: str | None) -> QueueItem:
    """A queue's row: its holder's name opened, no ID number."""
    return QueueItem(
        submission.receipt_code,
        submission.state,
        rows.field(deps.fields, submission, "holder_name") or "",
        village,
        parcel_text(submission.map_sheet, submission.parcel_no),
    )
