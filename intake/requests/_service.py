"""A data-subject request's changes, each in the caller's transaction: load (repository) →
the lifecycle decides (pure) → save, with its audit event and what people are told, through
the outbox:

- **opened** (by the resident, in Telegram): the request with its code and clocks; the
  resident's receipt with both due days; the commune's officers told, with a button to open it;
- **acknowledged** (an officer or admin, in Telegram or the console): the resident told that
  the commune is on it and by when it will be done;
- **completed**: the resident told, with the officer's note.

The audit events carry ids, the kind and the days, never the resident's words or the note
(they may hold personal data: they are encrypted on the request's row). Who may act is the
caller's question (the policy's `data_requests`).
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import Button, Keyboard, KeyboardKind
from intake.language import VIETNAM, nfc
from intake.notify import OutboxMessage, enqueue, notify_officers
from intake.requests._callbacks import OpenRequest, staff_data
from intake.requests._clocks import Clocks, clock_state, clocks_for
from intake.requests._lifecycle import (
    MAX_DETAILS,
    MAX_NOTE,
    RequestAction,
    RequestRefusal,
    transition,
)
from intake.requests._screens import RequestView
from intake.submissions import new_receipt_code
from storage.deps import Deps
from storage.models import DataRequest, Staff
from storage.repositories import data_requests as rows
from storage.repositories import residents
from storage.repositories.audit import append_event
from storage.states import ActorKind, DataRequestKind, DataRequestState

__all__ = [
    "CODE_PREFIX",
    "RequestError",
    "acknowledge",
    "clocks_of",
    "complete",
    "day_text",
    "open_button",
    "open_request",
    "request_view",
]

CODE_PREFIX = "YC"  # "yêu cầu": a request's code, as a receipt's, e.g. YC-7Q3K9


class RequestError(Exception):
    """The change is not possible; `key` is the message to show."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def day_text(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def clocks_of(request: DataRequest) -> Clocks:
    return Clocks(
        received_on=request.received_at.astimezone(VIETNAM).date(),
        acknowledge_by=request.acknowledge_by,
        complete_by=request.complete_by,
    )


def open_button(code: str) -> Keyboard:
    """The officers' button that opens the request at the staff desk."""
    return Keyboard(
        KeyboardKind.INLINE,
        (
            (
                Button(
                    "requests.open_button",
                    data=staff_data(OpenRequest(code)),
                    params={"code": code},
                ),
            ),
        ),
    )


def _kind_key(kind: DataRequestKind) -> str:
    return f"request.kind_{kind.value}"


def _event_data(request: DataRequest) -> dict[str, object]:
    return {
        "code": request.code,
        "kind": request.kind.value,
        "acknowledge_by": request.acknowledge_by.isoformat(),
        "complete_by": request.complete_by.isoformat(),
    }


async def _tell_resident(
    session: AsyncSession,
    deps: Deps,
    request: DataRequest,
    key: str,
    params: dict[str, object],
) -> None:
    citizen = await residents.citizen(session, request.citizen_id)
    await enqueue(
        session,
        deps,
        chat_id=citizen.telegram_user_id,  # a private chat's id is the user's id
        kind="data_request",
        message=OutboxMessage(
            key,
            citizen.language,
            {"code": request.code, "kind_key": _kind_key(request.kind), **params},
        ),
    )


async def open_request(
    session: AsyncSession,
    deps: Deps,
    *,
    citizen_id: uuid.UUID,
    commune: tuple[int, str],
    kind: DataRequestKind,
    details: str | None,
    now: datetime,
) -> DataRequest:
    """Record the resident's request, send their receipt and tell the commune's officers."""
    if details is not None and not 0 < len(details) <= MAX_DETAILS:
        raise ValueError("a correction's words are 1 to MAX_DETAILS characters")
    commune_id, commune_name = commune
    clocks = clocks_for(now)
    code = new_receipt_code(CODE_PREFIX)
    while await rows.code_taken(session, code):
        code = new_receipt_code(CODE_PREFIX)
    request = await rows.add_request(
        session,
        deps.fields,
        {
            "code": code,
            "citizen_id": citizen_id,
            "commune_id": commune_id,
            "kind": kind,
            "state": DataRequestState.RECEIVED,
            "received_at": now,
            "acknowledge_by": clocks.acknowledge_by,
            "complete_by": clocks.complete_by,
            "reminders_sent": 0,
        },
        details,
    )
    await append_event(
        session,
        actor_kind=ActorKind.RESIDENT,
        actor_id=str(citizen_id),
        action="data_request_received",
        commune_id=commune_id,
        data=_event_data(request),
    )
    days: dict[str, object] = {
        "commune": commune_name,
        "received": f"{now.astimezone(VIETNAM):%H:%M %d/%m/%Y}",
        "acknowledge_by": day_text(clocks.acknowledge_by),
        "complete_by": day_text(clocks.complete_by),
    }
    await _tell_resident(session, deps, request, "request.receipt", days)
    await notify_officers(
        session,
        deps,
        commune_id,
        "requests.new",
        {"code": code, "kind_key": _kind_key(kind), **days},
        keyboard=open_button(code),
        kind="data_request",
    )
    return request


def _step(request: DataRequest, action: RequestAction) -> DataRequestState:
    decided = transition(request.state, action)
    if isinstance(decided, RequestRefusal):
        raise RequestError(decided.value)
    return decided


async def acknowledge(
    session: AsyncSession, deps: Deps, request: DataRequest, staff: Staff, now: datetime
) -> None:
    """The commune confirms it has the request (policy checked by the caller)."""
    request.state = _step(request, RequestAction.ACKNOWLEDGE)
    request.acknowledged_at = now
    request.acknowledged_by_staff_id = staff.id
    await append_event(
        session,
        actor_kind=ActorKind.STAFF,
        actor_id=str(staff.id),
        action="data_request_acknowledged",
        commune_id=request.commune_id,
        data={**_event_data(request), "late": _late(request.acknowledge_by, now)},
    )
    await _tell_resident(
        session,
        deps,
        request,
        "request.acknowledged",
        {"complete_by": day_text(request.complete_by)},
    )


async def complete(
    session: AsyncSession,
    deps: Deps,
    request: DataRequest,
    staff: Staff,
    *,
    note: str,
    now: datetime,
) -> None:
    """The commune has done what was asked; `note` tells the resident how (policy checked by
    the caller). A request not yet acknowledged is acknowledged by the same answer."""
    note = nfc(note).strip()
    if not note:
        raise RequestError("requests.note_needed")
    if len(note) > MAX_NOTE:
        raise RequestError("requests.note_too_long")
    request.state = _step(request, RequestAction.COMPLETE)
    if request.acknowledged_at is None:
        request.acknowledged_at = now
        request.acknowledged_by_staff_id = staff.id
    request.completed_at = now
    request.completed_by_staff_id = staff.id
    rows.set_note(deps.fields, request, note)
    await append_event(
        session,
        actor_kind=ActorKind.STAFF,
        actor_id=str(staff.id),
        action="data_request_completed",
        commune_id=request.commune_id,
        data={**_event_data(request), "late": _late(request.complete_by, now)},
    )
    await _tell_resident(session, deps, request, "request.completed", {"note": note})


def _late(due: date, now: datetime) -> bool:
    return now.astimezone(VIETNAM).date() > due


async def request_view(
    session: AsyncSession, deps: Deps, request: DataRequest, commune: str, now: datetime
) -> RequestView:
    receipts = await rows.receipts_in_commune(session, request.citizen_id, request.commune_id)
    clocks = clocks_of(request)
    return RequestView(
        code=request.code,
        kind=request.kind,
        state=request.state,
        commune_id=request.commune_id,
        commune=commune,
        received_at=request.received_at.astimezone(VIETNAM),
        clocks=clocks,
        acknowledge=clock_state(clocks.acknowledge_by, request.acknowledged_at, now),
        complete=clock_state(clocks.complete_by, request.completed_at, now),
        acknowledged_at=_local(request.acknowledged_at),
        completed_at=_local(request.completed_at),
        details=rows.details_of(deps.fields, request),
        note=rows.note_of(deps.fields, request),
        receipts=tuple(receipts),
    )


def _local(moment: datetime | None) -> datetime | None:
    return moment.astimezone(VIETNAM) if moment is not None else None
