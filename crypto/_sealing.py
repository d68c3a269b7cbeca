"""Sealing documents: age encryption to a commune's recipients plus the province escrow.

The server holds only public keys, so a stolen server or backup reveals no document. Callers
never pick recipients: they obtain a `CommuneRecipients` (built from the commune's registered
keys and the escrow key) and call `seal_document`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyrage

from crypto._errors import CryptoError, KeyMaterialError
from crypto._identity import Identity, parse_recipient

__all__ = ["CommuneRecipients", "open_document", "seal_document"]


@dataclass(frozen=True, slots=True)
class CommuneRecipients:
    """Everyone who may open a commune's documents: its key(s) and the province escrow."""

    commune_code: str
    commune: tuple[str, ...]
    escrow: str

    def __post_init__(self) -> None:
        if not self.commune:
            raise KeyMaterialError(
                f"commune {self.commune_code} has no key: run `hoso keys create-commune`"
            )
        for recipient in (*self.commune, self.escrow):
            parse_recipient(recipient)

    def age_recipients(self) -> list[pyrage.x25519.Recipient]:
        return [pyrage.x25519.Recipient.from_str(r) for r in (*self.commune, self.escrow)]


def seal_document(data: bytes, recipients: CommuneRecipients) -> bytes:
    """The document as an age file that only the commune and the escrow key can open."""
    return bytes(pyrage.encrypt(data, recipients.age_recipients()))


def open_document(sealed: bytes, identity: Identity) -> bytes:
    """Open a sealed document; anything wrong (key, bytes) raises CryptoError."""
    try:
        return bytes(pyrage.decrypt(sealed, [identity.age_identity()]))
    except (pyrage.DecryptError, ValueError, TypeError):
        raise CryptoError("document") from None
