"""What a village QR poster says: the village and commune (and province) names, and the deep link
`https://t.me/<bot>?start=v<village code>` that opens the bot with the village already chosen
(intake/flow reads `v<code>` as the resident flow's first answer). The PDF itself is drawn by
console/_posters.py.

Who may print which: the villages whose queue the reader may see (the policy's `view_queue`):
an officer every village of the commune, an admin those of the commune they picked, a chief
their own village.
"""

from __future__ import annotations

from dataclasses import dataclass

from intake.console._access import ConsoleUser
from intake.console._scope import OutOfScope, Scope, Transaction
from intake.staff._policy import Action, Subject, decide
from storage.repositories import places

__all__ = ["ConsolePosters", "Poster", "PosterSet", "PostersUnavailable", "deep_link"]


class PostersUnavailable(Exception):
    """The bot's @username is not known (a console served without the bot): no link to print."""


def deep_link(bot_username: str, village_code: str) -> str:
    return f"https://t.me/{bot_username}?start=v{village_code}"


@dataclass(frozen=True, slots=True)
class Poster:
    village_id: int
    village_name: str
    village_code: str
    commune_name: str
    province_name: str
    link: str


@dataclass(frozen=True)
class PosterSet:
    """The posters the reader may print for one commune (all its villages, or one)."""

    commune_id: int
    commune_name: str
    commune_code: str
    communes: list[tuple[int, str]]  # an admin's choice of commune; empty for the others
    posters: list[Poster]


class ConsolePosters:
    """The posters page's use case (module docstring)."""

    def __init__(self, bot_username: str, *, transaction: Transaction, scope: Scope) -> None:
        self.bot_username = bot_username
        self.transaction = transaction
        self.scope = scope

    async def posters(
        self, user: ConsoleUser, commune_id: int | None, village_id: int | None = None
    ) -> PosterSet:
        """The posters of the villages the reader may see (one, when `village_id` is given);
        NotFound for a village that is not theirs, PostersUnavailable without a bot name."""
        if not self.bot_username:
            raise PostersUnavailable
        async with self.transaction(user) as session:
            chosen, name, communes = await self.scope(session, user, commune_id)
            commune = await places.commune(session, chosen)
            province = await places.province(session, commune.province_id) if commune else None
            villages = await places.villages_of_commune(session, chosen)
            actor = user.actor
            shown = [
                v
                for v in villages
                if (village_id is None or v.id == village_id)
                and decide(
                    actor, Action.VIEW_QUEUE, Subject(actor.province_id, chosen, v.id)
                ).allowed
            ]
            if village_id is not None and not shown:
                subject = Subject(actor.province_id, chosen, village_id)
                raise OutOfScope(Action.VIEW_QUEUE, subject, poster=village_id)
        return PosterSet(
            commune_id=chosen,
            commune_name=name,
            commune_code=commune.code if commune else "",
            communes=communes,
            posters=[
                Poster(
                    village_id=v.id,
                    village_name=v.name,
                    village_code=v.code,
                    commune_name=name,
                    province_name=province.name if province else "",
                    link=deep_link(self.bot_username, v.code),
                )
                for v in shown
            ],
        )
