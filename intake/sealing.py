"""Checking and sealing one upload: the CPU-bound part of the document pipeline.

A pure function of bytes, so that it can run in worker processes (bot/photo_processes.py) and
decode, measure and encrypt without holding the event loop's GIL. Imports only the photo checks
and the crypto, which keeps each worker small.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from crypto import CommuneRecipients, seal_document
from intake.photos import FileKind, PhotoCheck, SlotKind, prepare_document

__all__ = ["SealedDocument", "check_and_seal", "slot_kind"]


def slot_kind(slot: str) -> SlotKind:
    if slot.startswith("cccd"):
        return SlotKind.ID_CARD
    if slot.startswith("cert"):
        return SlotKind.CERTIFICATE
    return SlotKind.OTHER


@dataclass(frozen=True)
class SealedDocument:
    """What comes back from a worker: the check and the sealed bytes, never the plaintext."""

    check: PhotoCheck
    kind: FileKind  # of the sealed document: a HEIF photo is stored as JPEG
    sealed: bytes = field(repr=False)


def check_and_seal(
    data: bytes, slot: str, recipients: CommuneRecipients
) -> SealedDocument | PhotoCheck:
    """The stripped document sealed for the commune; or, when the photo must be retaken, what
    the check found. Raises DocumentRefused for a file that is not a readable photo or scan."""
    prepared = prepare_document(data, slot_kind(slot))
    if not prepared.check.accepted:
        return prepared.check
    return SealedDocument(prepared.check, prepared.kind, seal_document(prepared.data, recipients))
