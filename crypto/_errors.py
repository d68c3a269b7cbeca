"""The crypto package's errors: one for every failed open, one for unusable key material."""

from __future__ import annotations

__all__ = ["CryptoError", "KeyMaterialError"]


class CryptoError(Exception):
    """Opening failed: wrong key, wrong passphrase, tampered or truncated data.

    Deliberately one type with a fixed message, so that callers cannot tell (and cannot leak)
    which of those it was.
    """

    def __init__(self, what: str = "data") -> None:
        super().__init__(f"could not open the {what}: wrong key or damaged data")


class KeyMaterialError(Exception):
    """Key material is missing, malformed or unsafely stored; the message says what to do."""
