"""The resident desk: handles one event from a resident's private chat in one transaction.

The transaction records the update id (a redelivered update is ignored), loads or creates the
citizen, decides the replies, and saves what changed; the adapter sends the replies after the
commit. Greeting, help and language choice live here; the submission flow plugs into `respond`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.deps import Deps
from intake.events import (
    Button,
    Command,
    Event,
    Keyboard,
    KeyboardKind,
    Pressed,
    Reply,
)
from intake.messages import Language, language_of
from storage.models import Citizen
from storage.repositories import claim_update

__all__ = ["Outcome", "ResidentDesk", "respond"]

LANGUAGE_KEYBOARD = Keyboard(
    KeyboardKind.INLINE,
    (
        (
            Button("language.button.vi", data="lang:vi"),
            Button("language.button.en", data="lang:en"),
        ),
    ),
)


@dataclass(frozen=True)
class Outcome:
    """What the adapter must do after the commit."""

    language: Language
    replies: list[Reply] = field(default_factory=list)
    duplicate: bool = False


@dataclass(frozen=True)
class Decision:
    replies: list[Reply]
    language: Language


def respond(language: Language, event: Event) -> Decision:
    """Pure: the replies to an event, and the citizen's language afterwards."""
    match event:
        case Command(name="start"):
            return Decision(
                [Reply("start.welcome"), Reply("language.choose", keyboard=LANGUAGE_KEYBOARD)],
                language,
            )
        case Command(name="help"):
            return Decision([Reply("help.resident")], language)
        case Command(name="language"):
            return Decision([Reply("language.choose", keyboard=LANGUAGE_KEYBOARD)], language)
        case Command():
            return Decision([Reply("unknown.command")], language)
        case Pressed(data="lang:vi" | "lang:en" as data):
            chosen = Language(data.removeprefix("lang:"))
            return Decision([Reply("language.set"), Reply("help.resident")], chosen)
        case Pressed():
            return Decision([Reply("button.expired")], language)
        case _:
            return Decision([Reply("help.resident")], language)


async def _citizen(session: AsyncSession, event: Event) -> Citizen:
    citizen = await session.scalar(
        select(Citizen).where(Citizen.telegram_user_id == event.actor.user_id)
    )
    if citizen is None:
        citizen = Citizen(
            telegram_user_id=event.actor.user_id,
            language=language_of(event.actor.language_code).value,
        )
        session.add(citizen)
    return citizen


class ResidentDesk:
    """Entry point of the domain for resident chats."""

    def __init__(self, deps: Deps, *, bot_id: int) -> None:
        self._deps = deps
        self._bot_id = bot_id

    async def handle(self, event: Event) -> Outcome:
        async with self._deps.database.sessions.begin() as session:
            if event.update_id is not None and not await claim_update(
                session, self._bot_id, event.update_id
            ):
                return Outcome(language_of(event.actor.language_code), duplicate=True)
            citizen = await _citizen(session, event)
            decision = respond(Language(citizen.language), event)
            citizen.language = decision.language.value
            return Outcome(decision.language, decision.replies)
