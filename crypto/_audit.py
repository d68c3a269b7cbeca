"""The audit chain's key: HMAC-SHA256 under a key of its own (never a field or blind-index key).

Each audit event's link is a MAC over the previous link and the event, and the chain's head is
sealed with one too, so someone holding the database alone can neither rebuild the chain after
an edit nor rewind its head after removing the newest events.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from crypto._errors import KeyMaterialError

__all__ = ["AuditKey"]

_KEY_SIZE = 32


class AuditKey:
    """Computes the audit chain's MACs; one instance per key."""

    __slots__ = ("_key",)

    def __init__(self, key: bytes) -> None:
        if len(key) != _KEY_SIZE:
            raise KeyMaterialError("the audit key must be 32 bytes")
        self._key = key

    def __repr__(self) -> str:
        return "AuditKey(key=***)"

    __str__ = __repr__

    @classmethod
    def generate_key(cls) -> bytes:
        return os.urandom(_KEY_SIZE)

    def mac(self, purpose: str, message: bytes) -> bytes:
        """The 32-byte MAC of `message` for one purpose (an event's link, the head's seal)."""
        return hmac.new(self._key, purpose.encode() + b"\x00" + message, hashlib.sha256).digest()
