"""Data-subject requests at the staff desk: `/requests` lists the open ones with their clocks
(an officer's commune; an admin's province), a button opens one (its clocks, the resident's
words and receipts), **Acknowledge** tells the resident the commune is on it, **Done** asks
for the note the resident reads (the next text, as the needs-info note is), and completes it.
Every screen and every step asks the policy (`data_requests`: officers and admins of the
request's commune; never chiefs); the request's changes are intake/requests'."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from intake.requests import (
    MAX_NOTE,
    ListRequests,
    OpenRequest,
    RequestAcknowledge,
    RequestDone,
    RequestError,
    StaffRequestPress,
    acknowledge,
    ask_note,
    complete,
    request_card,
    request_view,
    requests_list,
)
from intake.staff._policy import Action, Subject
from storage.deps import Deps
from storage.models import DataRequest, utcnow
from storage.repositories import data_requests as rows
from storage.repositories import places
from storage.states import StaffRole

if TYPE_CHECKING:
    from intake.staff._desk import _Turn

__all__ = ["NOTE_KIND", "StaffRequests"]

NOTE_KIND = "request_done"  # the staff row awaits the note of a request being completed
Allowed = Callable[["_Turn", Action, Subject], Awaitable[bool]]


class StaffRequests:
    """The requests' part of the staff desk; `allowed` is the desk's policy check (a refusal
    is answered and recorded there)."""

    def __init__(self, deps: Deps, allowed: Allowed) -> None:
        self._deps = deps
        self._allowed = allowed

    async def command(self, turn: _Turn) -> None:
        """/requests: the open requests the reader answers, oldest first."""
        staff = turn.staff
        if staff.role is StaffRole.ADMIN:
            subject = Subject(turn.province.id)
            communes = await places.communes_of_province(
                turn.session, turn.province.id, offset=0, limit=10_000
            )
            commune_ids = [c.id for c in communes]
        else:
            subject = Subject(turn.province.id, staff.commune_id, staff.village_id)
            commune_ids = [staff.commune_id] if staff.commune_id is not None else []
        if not await self._allowed(turn, Action.DATA_REQUESTS, subject):
            return
        now = utcnow()
        found = await rows.requests_of(turn.session, commune_ids=commune_ids)
        views = [
            await request_view(turn.session, self._deps, request, commune, now)
            for request, commune in found
        ]
        turn.show(requests_list(views))

    async def press(self, turn: _Turn, press: StaffRequestPress) -> None:
        try:
            match press:
                case ListRequests():
                    await self.command(turn)
                case OpenRequest(code=code):
                    await self._open(turn, code)
                case RequestAcknowledge(code=code):
                    request = await self._request(turn, code, lock=True)
                    if request is not None:
                        await acknowledge(turn.session, self._deps, request, turn.staff, utcnow())
                        turn.outcome.new_outbox = True
                        turn.say("requests.acknowledged_done", {"code": code})
                        await self._open(turn, code)
                case RequestDone(code=code):
                    request = await self._request(turn, code)
                    if request is not None:
                        if request.completed_at is not None:
                            turn.say("requests.already_completed")
                            return
                        turn.staff.awaiting = {"kind": NOTE_KIND, "code": code}
                        turn.show(ask_note(code))
        except RequestError as exc:
            turn.say(exc.key)

    async def note(self, turn: _Turn, awaiting: dict[str, object], note: str) -> None:
        """The note typed after **Done**: the request is completed with it."""
        code = str(awaiting.get("code", ""))
        if not note.strip():
            turn.staff.awaiting = awaiting
            turn.show(ask_note(code))
            return
        request = await self._request(turn, code, lock=True)
        if request is None:
            return
        try:
            await complete(turn.session, self._deps, request, turn.staff, note=note, now=utcnow())
        except RequestError as exc:
            if exc.key != "requests.already_completed":
                turn.staff.awaiting = awaiting  # a note too long: typed again
            turn.say(exc.key, {"max": MAX_NOTE})
            return
        turn.outcome.new_outbox = True
        turn.say("requests.completed_done", {"code": code})

    async def _open(self, turn: _Turn, code: str) -> None:
        request = await self._request(turn, code)
        if request is None:
            return
        commune = await places.commune(turn.session, request.commune_id)
        view = await request_view(
            turn.session, self._deps, request, commune.name if commune else "—", utcnow()
        )
        turn.show(request_card(view, may_answer=True))

    async def _request(self, turn: _Turn, code: str, *, lock: bool = False) -> DataRequest | None:
        """The request a button names, if the reader may answer it (the policy asked)."""
        request = await rows.request_by_code(turn.session, code, for_update=lock)
        if request is None:
            turn.say("requests.not_found")
            return None
        commune = await places.commune(turn.session, request.commune_id)
        subject = Subject(commune.province_id if commune else -1, request.commune_id)
        if not await self._allowed(turn, Action.DATA_REQUESTS, subject):
            return None
        return request
