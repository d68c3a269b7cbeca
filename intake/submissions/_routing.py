"""Where a submission goes, its receipt code, and what staff should see at a glance (pure).

Routing (DESIGN.md, first answer wins): the village the resident chose (or the poster's deep
link gave); the village the commune's parcel list gives for (map sheet, parcel); the village of
a matching household in the target list (by CCCD blind index); otherwise the commune's triage
queue. The land's commune decides, not the resident's residence.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import Any

from intake.flow import slots_for
from storage.states import CertificateStatus, Route

__all__ = [
    "LOW_RESOLUTION_PX",
    "RECEIPT_ALPHABET",
    "new_receipt_code",
    "quality_flags",
    "route_submission",
]

# No 0/O, 1/I/L: a receipt code is read aloud and copied by hand.
RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
_RECEIPT_LENGTH = 5
LOW_RESOLUTION_PX = 800  # a photo whose short side is smaller is hard to read


def route_submission(
    chosen: int | None, by_parcel: int | None, by_target: int | None
) -> tuple[int | None, Route]:
    """The village a submission goes to and the rule that decided it."""
    for village, route in (
        (chosen, Route.CHOSEN),
        (by_parcel, Route.PARCEL),
        (by_target, Route.TARGET),
    ):
        if village is not None:
            return village, route
    return None, Route.TRIAGE


def new_receipt_code(prefix: str) -> str:
    body = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(_RECEIPT_LENGTH))
    return f"{prefix}-{body}"


def quality_flags(
    status: CertificateStatus | None,
    has_phone: bool,
    documents: Sequence[tuple[str, dict[str, Any]]],
    *,
    has_serial: bool = True,
    checked: Sequence[str] = (),
) -> dict[str, Any]:
    """What staff should know at a glance: the required slots missing, and warnings (a photo
    too small to read, no phone to call back, a held certificate whose serial the resident did
    not know, and `checked`: a typed number that a QR code disagreed with)."""
    stored = {slot for slot, _ in documents}
    missing = [
        r.slot.value
        for r in slots_for(status or CertificateStatus.HELD)
        if r.required and r.slot.value not in stored
    ]
    flags = []
    if any(
        min(metrics.get("width") or 10**6, metrics.get("height") or 10**6) < LOW_RESOLUTION_PX
        for _, metrics in documents
    ):
        flags.append("low_resolution")
    if not has_phone:
        flags.append("no_phone")
    if status is CertificateStatus.HELD and not has_serial:
        flags.append("no_serial")
    flags += [flag for flag in checked if flag not in flags]  # what the resident's flow found
    return {"missing": missing, "flags": flags}
