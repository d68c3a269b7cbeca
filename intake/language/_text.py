"""Vietnamese text helpers used everywhere: NFC normalisation, accent-insensitive search keys,
valid Unicode, and Vietnam's time zone for the dates people read."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta, timezone

__all__ = ["VIETNAM", "nfc", "search_key", "valid_text"]

VIETNAM = timezone(timedelta(hours=7), "ICT")  # dates shown to people are in Vietnam's time

_SPACES = re.compile(r"\s+")


def valid_text(text: str) -> str:
    """`text` with every lone UTF-16 surrogate (which JSON can carry as `\\udcff`, and which no
    encoding accepts) replaced by U+FFFD; a valid text is returned as it is."""
    if text.isascii():
        return text
    return "".join("\ufffd" if 0xD800 <= ord(c) <= 0xDFFF else c for c in text)


def nfc(text: str) -> str:
    """Return `text` in Unicode NFC with surrounding and repeated whitespace collapsed."""
    return _SPACES.sub(" ", unicodedata.normalize("NFC", text)).strip()


def search_key(text: str) -> str:
    """Accent-insensitive, case-insensitive key: `Hòa Phú`, `Hoà Phú` and `hoa phu` all match.

    Tone marks and vowel marks are removed, `đ` becomes `d`, punctuation becomes a space.
    """
    decomposed = unicodedata.normalize("NFD", text.replace("Đ", "D").replace("đ", "d"))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    cleaned = "".join(ch if ch.isalnum() else " " for ch in stripped.casefold())
    return _SPACES.sub(" ", cleaned).strip()
