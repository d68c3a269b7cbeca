"""What the console's use cases share: the language a reader's pages are in, the function that
says which commune a reader's page shows (`Scope`: their own, or the one an admin picked), a
request the policy refused (`OutOfScope`, answered like one for something that does not exist:
`NotFound`), and the record of a refusal (`staff_refused`, via the console), written in a
transaction of its own once the refused one is rolled back, so that it stays."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager

from sqlalchemy.ext.asyncio import AsyncSession

from intake.console._access import ConsoleUser
from intake.language import Language
from intake.staff._policy import Action, Subject
from storage.deps import Deps
from storage.repositories.audit import append_event
from storage.states import ActorKind

__all__ = [
    "NotFound",
    "OutOfScope",
    "Scope",
    "Transaction",
    "reader_language",
    "record_refusal",
]

# the commune a reader's page shows, its name and (for an admin) the choice of communes
Scope = Callable[
    [AsyncSession, ConsoleUser, int | None], Awaitable[tuple[int, str, list[tuple[int, str]]]]
]
# one transaction of a use case, in which an OutOfScope is recorded and answered as NotFound
Transaction = Callable[[ConsoleUser], AbstractAsyncContextManager[AsyncSession]]


class NotFound(LookupError):
    """No such submission or document, or not the reader's: the same answer for both."""


class OutOfScope(Exception):
    """The policy refused: recorded, then answered like a submission that does not exist."""

    def __init__(self, action: Action, subject: Subject, **data: object) -> None:
        super().__init__(action.value)
        self.action = action
        self.subject = subject
        self.data = data


def reader_language(user: ConsoleUser) -> Language:
    return Language(user.language) if user.language in ("vi", "en") else Language.VI


async def record_refusal(
    deps: Deps,
    user: ConsoleUser,
    *,
    action: Action,
    decision: str,
    commune_id: int | None,
    **data: object,
) -> None:
    async with deps.database.sessions.begin() as session:
        await append_event(
            session,
            actor_kind=ActorKind.STAFF,
            actor_id=str(user.staff_id),
            action="staff_refused",
            commune_id=commune_id,
            data={"decision": decision, "what": action.value, "via": "console", **data},
        )
