"""The languages hoso speaks: Vietnamese first, English by the user's choice."""

from __future__ import annotations

from enum import StrEnum

__all__ = ["Language", "language_of"]


class Language(StrEnum):
    VI = "vi"
    EN = "en"


def language_of(code: str | None) -> Language:
    """The catalog language for a Telegram `language_code` (Vietnamese unless English)."""
    return Language.EN if code and code.lower().startswith("en") else Language.VI
