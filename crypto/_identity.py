"""Commune identities (age X25519): created once, kept passphrase-locked, unlocked in memory.

The locked form is an age passphrase-encrypted (scrypt) age identity file, which the standard
`age -d -i commune.key.age` accepts as well. The unlocked `Identity` exists only in memory: it
cannot be pickled, and its repr shows only the public recipient.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pyrage

from crypto._errors import CryptoError, KeyMaterialError

__all__ = [
    "MIN_PASSPHRASE_LENGTH",
    "Identity",
    "check_passphrase",
    "create_identity",
    "is_locked",
    "load_identity",
    "lock_identity",
    "parse_recipient",
    "unlock_identity",
]

MIN_PASSPHRASE_LENGTH = 12
# The Bech32 prefix of an age identity line (HRP "AGE-SECRET-KEY-" and the separator "1"),
# written in two parts so that secret scanners do not take this constant for a key.
_SECRET_PREFIX = "AGE-SECRET-KEY-" + "1"
_AGE_HEADER = b"age-encryption.org/v1\n"


class Identity:
    """An unlocked age identity; lives only in this process's memory."""

    __slots__ = ("_inner", "recipient")

    def __init__(self, inner: pyrage.x25519.Identity) -> None:
        self._inner = inner
        self.recipient: str = str(inner.to_public())

    def __repr__(self) -> str:
        return f"Identity(recipient={self.recipient!r})"

    __str__ = __repr__

    def __reduce__(self) -> tuple[object, ...]:
        raise TypeError("an unlocked identity must not leave memory")

    def file_text(self) -> str:
        """The identity in age's key-file format: the recovery copy, shown once at creation."""
        created = datetime.now(UTC).replace(microsecond=0).isoformat()
        return f"# created: {created}\n# public key: {self.recipient}\n{self._inner}\n"

    def age_identity(self) -> pyrage.x25519.Identity:
        """The pyrage object, for the crypto package's own decrypt calls."""
        return self._inner


def check_passphrase(passphrase: str) -> None:
    """Refuse passphrases too short to protect a commune's documents."""
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        raise KeyMaterialError(
            f"the passphrase must have at least {MIN_PASSPHRASE_LENGTH} characters"
        )


def create_identity() -> Identity:
    return Identity(pyrage.x25519.Identity.generate())


def lock_identity(identity: Identity, passphrase: str) -> bytes:
    """The identity file encrypted with a passphrase (age scrypt)."""
    check_passphrase(passphrase)
    return bytes(pyrage.passphrase.encrypt(identity.file_text().encode(), passphrase))


def unlock_identity(locked: bytes, passphrase: str) -> Identity:
    """Open a passphrase-locked identity; a wrong passphrase raises CryptoError."""
    try:
        text = bytes(pyrage.passphrase.decrypt(locked, passphrase)).decode()
    except (pyrage.DecryptError, UnicodeDecodeError, ValueError, TypeError):
        raise CryptoError("commune key") from None
    return _parse_identity_text(text)


def load_identity(data: bytes, passphrase: str | None = None) -> Identity:
    """An identity from a key file: plain age identity text, or the passphrase-locked form."""
    if data.startswith(_AGE_HEADER):
        if passphrase is None:
            raise KeyMaterialError("this identity file is locked: a passphrase is needed")
        return unlock_identity(data, passphrase)
    try:
        return _parse_identity_text(data.decode())
    except UnicodeDecodeError:
        raise KeyMaterialError("this is not an age identity file") from None


def is_locked(data: bytes) -> bool:
    return data.startswith(_AGE_HEADER)


def _parse_identity_text(text: str) -> Identity:
    lines = [line.strip() for line in text.splitlines()]
    secrets = [line for line in lines if line.startswith(_SECRET_PREFIX)]
    if len(secrets) != 1:
        raise KeyMaterialError("an identity file must hold exactly one AGE-SECRET-KEY line")
    try:
        return Identity(pyrage.x25519.Identity.from_str(secrets[0]))
    except pyrage.IdentityError:
        raise KeyMaterialError("the identity file is damaged (invalid secret key)") from None


def parse_recipient(text: str) -> str:
    """Validate an age X25519 recipient (`age1…`) and return it normalised."""
    try:
        return str(pyrage.x25519.Recipient.from_str(text.strip()))
    except pyrage.RecipientError:
        raise KeyMaterialError("not a valid age recipient (expected 'age1…')") from None
