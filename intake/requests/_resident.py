"""The resident's side of a data-subject request, in the resident desk's transaction.

`/request` (and the buttons under `/mydata`'s answer) offer a copy of their documents and data
or a correction. A request goes to one commune: the commune of the resident's submissions, or,
with submissions in several, the one they choose (one request per commune; nothing is sent to
a commune that holds nothing of theirs). A copy is recorded at once; a correction asks for the
resident's words first (what is wrong and what it should be), and the next text is taken as
them while the question waits (`Citizen.request_pending`, for `WORDS_WAIT`; /cancel or "not
now" drops it). The resident's receipt, with both due days, comes through the outbox.

Decisions: a second copy request to a commune while one is open is answered with the open
one; corrections may be several (each its own words), up to `MAX_OPEN` open requests at once;
the words are asked only when no submission of their own is in progress (its questions take
the resident's texts), otherwise the resident is asked to finish or cancel it first; someone
with no submission (or whose fields were erased) is told kindly that nothing is held to copy
or correct.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import Command, Event, Pressed, Reply, Text
from intake.language import nfc
from intake.requests._callbacks import RESIDENT_PREFIX, AskRequest, DropAsk, parse_resident
from intake.requests._lifecycle import MAX_DETAILS
from intake.requests._screens import ask_words, choose_commune, request_buttons
from intake.requests._service import day_text, open_request
from storage.deps import Deps
from storage.models import utcnow
from storage.repositories import data_requests as rows
from storage.states import DataRequestKind

__all__ = ["MAX_OPEN", "WORDS_WAIT", "RequestAnswer", "resident_request"]

MAX_OPEN = 5  # open requests of one resident at once
WORDS_WAIT = timedelta(hours=1)  # how long the question for a correction's words waits


@dataclass
class RequestAnswer:
    replies: list[Reply] = field(default_factory=list)
    new_outbox: bool = False  # a receipt (and the officers' alert) to send


@dataclass(frozen=True)
class _Pending:
    kind: DataRequestKind
    commune_id: int
    until: datetime

    def text(self) -> str:
        return f"{self.kind.value}:{self.commune_id}:{int(self.until.timestamp())}"

    @classmethod
    def read(cls, text: str | None) -> _Pending | None:
        try:
            kind, commune, until = (text or "").split(":")
            return cls(
                DataRequestKind(kind), int(commune), datetime.fromtimestamp(int(until), UTC)
            )
        except ValueError:
            return None


async def resident_request(
    session: AsyncSession,
    deps: Deps,
    citizen_id: uuid.UUID,
    event: Event,
    *,
    drafting: bool,
    now: datetime | None = None,
) -> RequestAnswer | None:
    """The answer to a request command, button or the words a correction waits for; None:
    not one (the event is the flow's). `drafting`: a submission of their own is in progress."""
    now = now or utcnow()
    match event:
        case Command(name="request"):
            return RequestAnswer(await _offer(session, citizen_id))
        case Pressed(data=data) if data.startswith(RESIDENT_PREFIX):
            match parse_resident(data):
                case AskRequest() as press:
                    return await _ask(session, deps, citizen_id, press, drafting=drafting, now=now)
                case DropAsk():
                    await rows.set_pending(session, citizen_id, None)
                    return RequestAnswer([Reply("request.dropped")])
            return RequestAnswer([Reply("button.expired")])
        case Text(text=text) if not drafting:
            pending = await _waiting(session, citizen_id, now)
            if pending is None:
                return None
            return await _words(session, deps, citizen_id, pending, text=text, now=now)
        case Command(name="cancel") if not drafting:
            if await _waiting(session, citizen_id, now) is None:
                return None
            await rows.set_pending(session, citizen_id, None)
            return RequestAnswer([Reply("request.dropped")])
        case Command(name="start"):
            if await rows.pending_of(session, citizen_id) is not None:
                await rows.set_pending(session, citizen_id, None)  # a new submission instead
    return None


async def _offer(session: AsyncSession, citizen_id: uuid.UUID) -> list[Reply]:
    communes = await rows.communes_of_citizen(session, citizen_id)
    if not communes:
        return [Reply("request.nothing")]
    names = ", ".join(name for _, name in communes)
    return [Reply("request.offer", {"communes": names}, keyboard=request_buttons())]


async def _waiting(session: AsyncSession, citizen_id: uuid.UUID, now: datetime) -> _Pending | None:
    """The correction waiting for the resident's words; an expired one is dropped."""
    text = await rows.pending_of(session, citizen_id)
    if text is None:
        return None
    pending = _Pending.read(text)
    if pending is None or pending.until < now:
        await rows.set_pending(session, citizen_id, None)
        return None
    return pending


async def _ask(
    session: AsyncSession,
    deps: Deps,
    citizen_id: uuid.UUID,
    press: AskRequest,
    *,
    drafting: bool,
    now: datetime,
) -> RequestAnswer:
    communes = await rows.communes_of_citizen(session, citizen_id)
    if not communes:
        return RequestAnswer([Reply("request.nothing")])
    if press.commune_id is None and len(communes) > 1:
        return RequestAnswer([choose_commune(press.kind, communes)])
    commune_id = press.commune_id if press.commune_id is not None else communes[0][0]
    commune = next(((i, name) for i, name in communes if i == commune_id), None)
    if commune is None:  # forged, or no longer theirs
        return RequestAnswer([Reply("button.expired")])
    if press.kind is DataRequestKind.COPY:
        already = await rows.open_request(session, citizen_id, commune_id, press.kind)
        if already is not None:
            return RequestAnswer(
                [
                    Reply(
                        "request.already",
                        {"code": already.code, "complete_by": day_text(already.complete_by)},
                    )
                ]
            )
    if await rows.open_count(session, citizen_id) >= MAX_OPEN:
        return RequestAnswer([Reply("request.too_many", {"count": MAX_OPEN})])
    if press.kind is DataRequestKind.COPY:
        await open_request(
            session,
            deps,
            citizen_id=citizen_id,
            commune=commune,
            kind=press.kind,
            details=None,
            now=now,
        )
        return RequestAnswer(new_outbox=True)
    if drafting:
        return RequestAnswer([Reply("request.finish_draft")])
    pending = _Pending(press.kind, commune_id, now + WORDS_WAIT)
    await rows.set_pending(session, citizen_id, pending.text())
    return RequestAnswer([ask_words(commune[1], MAX_DETAILS)])


async def _words(
    session: AsyncSession,
    deps: Deps,
    citizen_id: uuid.UUID,
    pending: _Pending,
    *,
    text: str,
    now: datetime,
) -> RequestAnswer:
    words = nfc(text).strip()
    if len(words) > MAX_DETAILS:
        return RequestAnswer([Reply("request.words_too_long", {"max": MAX_DETAILS})])
    communes = await rows.communes_of_citizen(session, citizen_id)
    commune = next(((i, name) for i, name in communes if i == pending.commune_id), None)
    await rows.set_pending(session, citizen_id, None)
    if commune is None:
        return RequestAnswer([Reply("request.nothing")])
    if not words:
        return RequestAnswer([Reply("request.dropped")])
    if await rows.open_count(session, citizen_id) >= MAX_OPEN:
        return RequestAnswer([Reply("request.too_many", {"count": MAX_OPEN})])
    await open_request(
        session,
        deps,
        citizen_id=citizen_id,
        commune=commune,
        kind=pending.kind,
        details=words,
        now=now,
    )
    return RequestAnswer(new_outbox=True)
