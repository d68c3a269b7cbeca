"""Document slots: which photos a submission needs, depending on the certificate's status.

The certificate (GCN) pages: the cover page with the serial, the owner and parcel pages, the
changes page. A certificate held by a bank as collateral needs no certificate photos but may take
the bank's receipt; a lost or never-issued one may take any other land paper.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from storage.states import CertificateStatus

__all__ = ["QR_SLOTS", "Slot", "SlotRule", "slots_for"]


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


# Slots whose photo is scanned for a QR code (the chip CCCD, the 2024 certificate).
QR_SLOTS = frozenset({Slot.CCCD_FRONT, Slot.CCCD_BACK, Slot.CERT_COVER, Slot.CERT_OWNER})

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
