"""The data-subject requests page ("Yêu cầu dữ liệu"): a commune's open requests, oldest first,
with their clocks (overdue ones shown red), and those completed in the last `RECENT` days; and
the two answers, acknowledge and complete with a note, through the same code as Telegram's
/requests (intake/requests), so the resident is told the same words.

Who may: the policy's `data_requests` — the commune's officers, and the province's admins for
any of its communes (a picker); a chief is refused with a page saying so (a request may hold ID
data). A request of another commune, named in an address, is answered like one that does not
exist (404). Every refusal changes nothing and is a `staff_refused` audit event.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from intake.console._access import ConsoleUser
from intake.console._scope import NotFound, Scope, record_refusal
from intake.language import VIETNAM
from intake.requests import (
    MAX_NOTE,
    RequestError,
    RequestView,
    acknowledge,
    complete,
    request_view,
)
from intake.staff._policy import Action, Decision, Subject, decide
from storage.deps import Deps
from storage.models import utcnow
from storage.repositories import data_requests as rows
from storage.repositories import places
from storage.repositories import staff as staff_rows

__all__ = ["RECENT", "ConsoleRequests", "RequestAnswered", "RequestsPage", "RequestsRefused"]

RECENT = timedelta(days=30)  # completed requests still listed


class RequestsRefused(Exception):
    """Nothing was done or shown: the message (`key`, `params`) and the status."""

    def __init__(self, key: str, status: int, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.status = status
        self.params = params


class _PolicyRefused(Exception):
    def __init__(self, decision: Decision, subject: Subject, **data: object) -> None:
        super().__init__(decision.value)
        self.decision = decision
        self.subject = subject
        self.data = data


@dataclass(frozen=True)
class RequestsPage:
    commune_id: int
    commune_name: str
    communes: list[tuple[int, str]]  # an admin's choice of commune; empty for the others
    open: list[RequestView]  # oldest first
    recent: list[RequestView]  # completed in the last RECENT days, newest first
    today: date  # Vietnam day
    max_note: int


@dataclass(frozen=True)
class RequestAnswered:
    key: str  # the message to show once
    code: str
    commune_id: int | None  # an admin's: the commune whose page to come back to


class ConsoleRequests:
    """The page's use cases (module docstring), each in one transaction."""

    def __init__(self, deps: Deps, *, scope: Scope, on_changed: Callable[[], None]) -> None:
        self.deps = deps
        self.scope = scope
        self.on_changed = on_changed  # wakes the outbox sender after an answer

    @asynccontextmanager
    async def _transaction(self, user: ConsoleUser) -> AsyncIterator[AsyncSession]:
        """One transaction; a refusal is rolled back, recorded in a transaction of its own and
        answered: the reader's role with a page saying so, another commune's request as a
        request that does not exist."""
        try:
            async with self.deps.database.sessions.begin() as session:
                yield session
        except _PolicyRefused as refused:
            await record_refusal(
                self.deps,
                user,
                action=Action.DATA_REQUESTS,
                decision=refused.decision.value,
                commune_id=refused.subject.commune_id,
                **refused.data,
            )
            if refused.decision is Decision.OUT_OF_SCOPE:
                raise NotFound from None
            raise RequestsRefused("console.requests_not_allowed", 403) from None

    def _check(self, user: ConsoleUser, subject: Subject, **data: object) -> None:
        decision = decide(user.actor, Action.DATA_REQUESTS, subject)
        if not decision.allowed:
            raise _PolicyRefused(decision, subject, **data)

    async def page(self, user: ConsoleUser, commune_id: int | None) -> RequestsPage:
        now = utcnow()
        async with self._transaction(user) as session:
            chosen, name, communes = await self.scope(session, user, commune_id)
            self._check(user, Subject(user.actor.province_id, chosen), page="requests")
            found = await rows.requests_of(
                session, commune_ids=[chosen], closed_since=now - RECENT
            )
            views = [
                await request_view(session, self.deps, request, commune, now)
                for request, commune in found
            ]
        return RequestsPage(
            commune_id=chosen,
            commune_name=name,
            communes=communes,
            open=[view for view in views if view.open],
            recent=[view for view in views if not view.open],
            today=now.astimezone(VIETNAM).date(),
            max_note=MAX_NOTE,
        )

    async def answer(
        self, user: ConsoleUser, code: str, *, action: str, note: str
    ) -> RequestAnswered:
        """Acknowledge or complete (with `note`) the request; RequestsRefused says why not."""
        if action not in ("acknowledge", "complete"):
            raise RequestsRefused("console.bad_request", 400)
        if action == "complete":
            note = note.strip()
            if not note:
                raise RequestsRefused("requests.note_needed", 400)
            if len(note) > MAX_NOTE:
                raise RequestsRefused("requests.note_too_long", 400, max=MAX_NOTE)
        now = utcnow()
        async with self._transaction(user) as session:
            request = await rows.request_by_code(session, code.upper(), for_update=True)
            if request is None:
                raise NotFound
            commune = await places.commune(session, request.commune_id)
            subject = Subject(commune.province_id if commune else -1, request.commune_id)
            self._check(user, subject, request=request.code, answer=action)
            staff = await staff_rows.staff_by_id(session, user.staff_id)
            if staff is None:
                raise NotFound
            try:
                if action == "acknowledge":
                    await acknowledge(session, self.deps, request, staff, now)
                else:
                    await complete(session, self.deps, request, staff, note=note, now=now)
            except RequestError as exc:
                raise RequestsRefused(exc.key, 409, max=MAX_NOTE) from None
        self.on_changed()
        admin = user.actor.commune_id is None
        return RequestAnswered(
            key=f"console.requests_{action}d",
            code=request.code,
            commune_id=request.commune_id if admin else None,
        )
