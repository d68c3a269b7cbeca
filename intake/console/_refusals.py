"""What the console's use cases share about a reader: the language their pages are in, and the
record of a request the policy refused (`staff_refused`, via the console), written in a
transaction of its own once the refused one is rolled back, so that it stays."""

from __future__ import annotations

from intake.console._access import ConsoleUser
from intake.language import Language
from intake.staff._policy import Action
from storage.deps import Deps
from storage.repositories.audit import append_event
from storage.states import ActorKind

__all__ = ["reader_language", "record_refusal"]


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
