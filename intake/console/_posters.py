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

__all__ = ["Poster", "PosterSet", "PostersUnavailable", "deep_link"]


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
