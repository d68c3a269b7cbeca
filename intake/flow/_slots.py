"""Document slots: which photos a submission needs, depending on the certificate's status.

The certificate (GCN) pages: the cover page with the serial, the owner and parcel pages, the
changes page. A certificate held by a bank as collateral needs no certificate photos but may take
the bank's receipt; a lost or never-issued one may take any other land paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from intake.photos import SlotKind
from storage.states import CertificateStatus

__all__ = ["Slot", "SlotRule", "slot_kind", "slots_for"]


class Slot(StrEnum):
    CCCD_FRONT = "cccd_front"
    CCCD_BACK = "cccd_back"
    CERT_COVER = "cert_cover"
    CERT_OWNER = "cert_owner"
    CERT_CHANGES = "cert_changes"
    BANK_RECEIPT = "bank_receipt"
    OTHER_PAPER = "other_paper"


@dataclass(frozen=True, slots=True)
class SlotRule:
    slot: Slot
    required: bool


_KINDS = {
    Slot.CCCD_FRONT: SlotKind.ID_CARD,
    Slot.CCCD_BACK: SlotKind.ID_CARD,
    Slot.CERT_COVER: SlotKind.CERTIFICATE,
    Slot.CERT_OWNER: SlotKind.CERTIFICATE,
    Slot.CERT_CHANGES: SlotKind.CERTIFICATE,
}


def slot_kind(slot: str) -> SlotKind:
    """The kind of paper a slot holds, as the photo checks know it (which decides, there,
    whether its QR code is read); a slot name no longer known is "other"."""
    try:
        return _KINDS.get(Slot(slot), SlotKind.OTHER)
    except ValueError:
        return SlotKind.OTHER


_ID = (SlotRule(Slot.CCCD_FRONT, True), SlotRule(Slot.CCCD_BACK, True))
_RULES: dict[CertificateStatus, tuple[SlotRule, ...]] = {
    CertificateStatus.HELD: (
        *_ID,
        SlotRule(Slot.CERT_COVER, True),
        SlotRule(Slot.CERT_OWNER, True),
        SlotRule(Slot.CERT_CHANGES, False),
    ),
    CertificateStatus.AT_BANK: (*_ID, SlotRule(Slot.BANK_RECEIPT, False)),
    CertificateStatus.LOST: (*_ID, SlotRule(Slot.OTHER_PAPER, False)),
    CertificateStatus.NEVER_ISSUED: (*_ID, SlotRule(Slot.OTHER_PAPER, False)),
}


def slots_for(status: CertificateStatus) -> tuple[SlotRule, ...]:
    """The slots, in the order they are asked for."""
    return _RULES[status]
