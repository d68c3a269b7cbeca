"""Blind index: equality lookups on encrypted values without decrypting them.

HMAC-SHA256 under its own key (never a field key) over a purpose label and the normalised value,
truncated to 16 bytes — enough to make accidental collisions negligible for a country's
population while revealing nothing without the key.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from crypto._errors import KeyMaterialError

__all__ = ["BlindIndex"]

_KEY_SIZE = 32


class BlindIndex:
    """Computes blind-index values; one instance per key."""

    SIZE = 16
    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        if len(key) != _KEY_SIZE:
            raise KeyMaterialError("the blind-index key must be 32 bytes")
        self._key = key

    def __repr__(self) -> str:
        return "BlindIndex(key=***)"

    __str__ = __repr__

    @classmethod
    def generate_key(cls) -> bytes:
        return os.urandom(_KEY_SIZE)

    def of(self, purpose: str, normalised_value: str) -> bytes:
        """Index of an already-normalised value for one purpose (e.g. `cccd`)."""
        message = purpose.encode() + b"\x00" + normalised_value.encode()
        return hmac.new(self._key, message, hashlib.sha256).digest()[: self.SIZE]

    def cccd(self, number: str) -> bytes:
        """Index of a CCCD number: only its digits count, so `001 090.123456` matches."""
        return self.of("cccd", "".join(ch for ch in number if ch.isascii() and ch.isdigit()))
