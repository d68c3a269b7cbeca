"""Field encryption: AES-256-GCM under a keyring, bound to its table, column and row.

Ciphertext layout (all integers big-endian)::

    version (1 byte, = 1) | key id (4 bytes) | nonce (12 bytes, random) | ciphertext + GCM tag

The header is part of the associated data, together with the table, column and row the value
belongs to, so a ciphertext copied to another row or column, or with its key id altered, fails to
open. Nonces are random per encryption (96 bits; safe for far more than 2**32 messages per key is
NOT assumed — rotate keys long before that, which `hoso keys rotate-fields` does).
"""

from __future__ import annotations

import base64
import binascii
import os
import struct
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from crypto._errors import CryptoError, KeyMaterialError

__all__ = ["FieldCipher", "FieldKey", "Keyring"]

_VERSION = 1
_HEADER = struct.Struct(">BI")
_NONCE_SIZE = 12
_TAG_SIZE = 16
_KEY_SIZE = 32
_MAX_KEY_ID = 2**32 - 1


@dataclass(frozen=True, slots=True)
class FieldKey:
    """One AES-256 key with its id; the key bytes never appear in repr or str."""

    key_id: int
    secret: bytes = field(repr=False)

    def __post_init__(self) -> None:
        if not 0 < self.key_id <= _MAX_KEY_ID:
            raise KeyMaterialError("a field key id must be a positive 32-bit number")
        if len(self.secret) != _KEY_SIZE:
            raise KeyMaterialError("a field key must be 32 bytes")

    @classmethod
    def generate(cls, key_id: int) -> FieldKey:
        """A new random key with the given id."""
        return cls(key_id, os.urandom(_KEY_SIZE))


class Keyring:
    """The primary key (used to encrypt) and older keys (still used to decrypt).

    Text form, as kept in the key file or `HOSO_FIELD_KEYS`: one `id:base64` entry per line (or
    comma-separated), the primary key first.
    """

    __slots__ = ("_aeads", "_keys", "_primary")

    def __init__(self, keys: Iterable[FieldKey], primary_id: int) -> None:
        self._keys = {key.key_id: key for key in keys}
        if primary_id not in self._keys:
            raise KeyMaterialError("the primary field key is not in the keyring")
        self._primary = primary_id
        self._aeads = {key_id: AESGCM(key.secret) for key_id, key in self._keys.items()}

    def __repr__(self) -> str:
        return f"Keyring(primary={self._primary}, key_ids={sorted(self._keys)})"

    __str__ = __repr__

    @property
    def primary_id(self) -> int:
        return self._primary

    @property
    def key_ids(self) -> list[int]:
        return sorted(self._keys)

    def rotated(self) -> Keyring:
        """A keyring with a new primary key; all current keys stay for decryption."""
        new = FieldKey.generate(max(self._keys) + 1)
        return Keyring([*self._keys.values(), new], new.key_id)

    def aead(self, key_id: int) -> AESGCM | None:
        return self._aeads.get(key_id)

    def primary_aead(self) -> AESGCM:
        return self._aeads[self._primary]

    def to_text(self) -> str:
        ordered = [self._keys[self._primary]] + [
            key for key_id, key in sorted(self._keys.items()) if key_id != self._primary
        ]
        return "".join(
            f"{key.key_id}:{base64.urlsafe_b64encode(key.secret).decode()}\n" for key in ordered
        )

    @classmethod
    def from_text(cls, text: str) -> Keyring:
        entries = [part.strip() for part in text.replace(",", "\n").splitlines()]
        entries = [entry for entry in entries if entry and not entry.startswith("#")]
        if not entries:
            raise KeyMaterialError("the field keyring is empty")
        keys: list[FieldKey] = []
        for entry in entries:
            key_id, _, encoded = entry.partition(":")
            try:
                keys.append(FieldKey(int(key_id), base64.urlsafe_b64decode(encoded)))
            except (ValueError, binascii.Error, KeyMaterialError):
                raise KeyMaterialError(
                    "the field keyring is malformed or truncated (each entry must be"
                    " 'id:base64' of a 32-byte key): restore it from the backup"
                ) from None
        return cls(keys, keys[0].key_id)

    @classmethod
    def generate(cls) -> Keyring:
        first = FieldKey.generate(1)
        return cls([first], first.key_id)


def _associated_data(header: bytes, table: str, column: str, row: str | UUID | int) -> bytes:
    parts = [table, column, str(row)]
    if not all(parts) or any("\x00" in part for part in parts):
        raise ValueError("table, column and row must be non-empty and free of NUL")
    return header + b"hoso-field\x00" + "\x00".join(parts).encode()


class FieldCipher:
    """Encrypts and decrypts one database field value at a time.

    `reload`, when given, is asked for the keyring again when a ciphertext names a key id this
    process does not know yet (another process rotated the keys meanwhile).
    """

    __slots__ = ("_keyring", "_reload")

    def __init__(self, keyring: Keyring, *, reload: Callable[[], Keyring] | None = None) -> None:
        self._keyring = keyring
        self._reload = reload

    def __repr__(self) -> str:
        return f"FieldCipher({self._keyring!r})"

    @property
    def keyring(self) -> Keyring:
        return self._keyring

    def encrypt(self, plaintext: str, *, table: str, column: str, row: str | UUID | int) -> bytes:
        key_id = self._keyring.primary_id
        header = _HEADER.pack(_VERSION, key_id)
        aead = self._keyring.primary_aead()
        nonce = os.urandom(_NONCE_SIZE)
        data = aead.encrypt(
            nonce, plaintext.encode(), _associated_data(header, table, column, row)
        )
        return header + nonce + data

    def decrypt(self, ciphertext: bytes, *, table: str, column: str, row: str | UUID | int) -> str:
        key_id = self.key_id_of(ciphertext)
        aead = self._keyring.aead(key_id)
        if aead is None and self._reload is not None:
            fresh = self._reload()
            if fresh.aead(key_id) is not None:
                self._keyring = fresh  # new writes go under the new primary key too
                aead = fresh.aead(key_id)
        if aead is None:
            raise CryptoError("field")
        header = ciphertext[: _HEADER.size]
        nonce = ciphertext[_HEADER.size : _HEADER.size + _NONCE_SIZE]
        try:
            plain = aead.decrypt(
                nonce,
                ciphertext[_HEADER.size + _NONCE_SIZE :],
                _associated_data(header, table, column, row),
            )
            return plain.decode()
        except (InvalidTag, UnicodeDecodeError):
            raise CryptoError("field") from None

    def key_id_of(self, ciphertext: bytes) -> int:
        """The key id in a ciphertext's header; CryptoError if it is not a field ciphertext."""
        if len(ciphertext) < _HEADER.size + _NONCE_SIZE + _TAG_SIZE:
            raise CryptoError("field")
        version, key_id = _HEADER.unpack_from(ciphertext)
        if version != _VERSION:
            raise CryptoError("field")
        return int(key_id)

    def needs_rotation(self, ciphertext: bytes) -> bool:
        return self.key_id_of(ciphertext) != self._keyring.primary_id

    def reencrypt(
        self, ciphertext: bytes, *, table: str, column: str, row: str | UUID | int
    ) -> bytes:
        """The same value under the primary key (unchanged bytes if already under it)."""
        if not self.needs_rotation(ciphertext):
            return ciphertext
        plain = self.decrypt(ciphertext, table=table, column=column, row=row)
        return self.encrypt(plain, table=table, column=column, row=row)
