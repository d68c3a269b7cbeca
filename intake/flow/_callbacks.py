"""The resident's buttons: one codec for their callback data (pure).

A button names an action and, where it needs one, an id, a page, a slot or a receipt code —
never a trusted fact: the flow checks every press against the draft, and the resident desk a
receipt against the resident's own submissions. `parse` returns None for anything it does not
know (a forged press, a button of an older version), which is answered as an expired button.
Telegram allows 64 bytes of callback data; every encoding here is far below.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "Agree",
    "ChooseLanguage",
    "ConfirmDelete",
    "ConfirmWithdraw",
    "Edit",
    "KeepData",
    "KeepSubmission",
    "OtherCommune",
    "PickCommune",
    "PickVillage",
    "QrCorrect",
    "QrKeep",
    "ReplaceSlot",
    "ResidentPress",
    "Restart",
    "SkipSlot",
    "Submit",
    "UploadFor",
    "VillagePage",
    "VillageUnknown",
    "Withdraw",
    "data_of",
    "parse",
]

_NUMBER = re.compile(r"[0-9]{1,9}")
_WORD = re.compile(r"[a-z_]{1,24}")
_RECEIPT = re.compile(r"[A-Z0-9]{1,4}-[A-Z0-9]{1,10}")
_NONCE = re.compile(r"[a-z0-9]{8}")
_LANGUAGES = ("vi", "en")
_SECTIONS = ("person", "cert", "location", "photos")


@dataclass(frozen=True, slots=True)
class Agree:
    """The privacy notice: agreed (or, for an assisted submission, agreed in person) or not."""

    yes: bool


@dataclass(frozen=True, slots=True)
class ChooseLanguage:
    language: str  # "vi" or "en"


@dataclass(frozen=True, slots=True)
class PickCommune:
    commune_id: int


@dataclass(frozen=True, slots=True)
class OtherCommune:
    """At the village question: the land is in another commune."""


@dataclass(frozen=True, slots=True)
class PickVillage:
    village_id: int


@dataclass(frozen=True, slots=True)
class VillageUnknown:
    """The resident does not know the village: the commune's triage queue."""


@dataclass(frozen=True, slots=True)
class VillagePage:
    page: int


@dataclass(frozen=True, slots=True)
class QrKeep:
    """Which number to keep where a document's QR code read another than the typed one (or
    one where none was typed): `use_read` the one read."""

    field: str  # "cccd" | "serial"
    use_read: bool


@dataclass(frozen=True, slots=True)
class QrCorrect:
    """What the ID card's QR code said is right (or not)."""

    yes: bool


@dataclass(frozen=True, slots=True)
class SkipSlot:
    slot: str


@dataclass(frozen=True, slots=True)
class ReplaceSlot:
    """At the summary: take this page again."""

    slot: str


@dataclass(frozen=True, slots=True)
class Submit:
    pass


@dataclass(frozen=True, slots=True)
class Edit:
    section: str  # person, cert or location


@dataclass(frozen=True, slots=True)
class Restart:
    """After /start in the middle of a draft: begin again (`over`) or continue."""

    over: bool


@dataclass(frozen=True, slots=True)
class Withdraw:
    receipt: str


@dataclass(frozen=True, slots=True)
class ConfirmWithdraw:
    receipt: str


@dataclass(frozen=True, slots=True)
class KeepSubmission:
    """Not withdrawn after all."""


@dataclass(frozen=True, slots=True)
class ConfirmDelete:
    """/delete's first (`stage` 1) or second, final (2) confirmation; `nonce` names the
    confirmation shown, so that only its own button counts (intake/flow/_erasure.py)."""

    stage: int
    nonce: str


@dataclass(frozen=True, slots=True)
class KeepData:
    """/delete: keep everything after all."""


@dataclass(frozen=True, slots=True)
class UploadFor:
    """The page an officer asked for ("needs info"), to be sent next."""

    receipt: str
    slot: str


ResidentPress = (
    Agree
    | ChooseLanguage
    | PickCommune
    | OtherCommune
    | PickVillage
    | VillageUnknown
    | VillagePage
    | QrCorrect
    | QrKeep
    | SkipSlot
    | ReplaceSlot
    | Submit
    | Edit
    | Restart
    | Withdraw
    | ConfirmWithdraw
    | KeepSubmission
    | ConfirmDelete
    | KeepData
    | UploadFor
)

_FIXED: dict[str, ResidentPress] = {
    "consent:yes": Agree(yes=True),
    "consent:no": Agree(yes=False),
    "c:change": OtherCommune(),
    "v:unknown": VillageUnknown(),
    "qr:yes": QrCorrect(yes=True),
    "qr:no": QrCorrect(yes=False),
    "qk:cccd:read": QrKeep("cccd", use_read=True),
    "qk:cccd:typed": QrKeep("cccd", use_read=False),
    "qk:serial:read": QrKeep("serial", use_read=True),
    "qk:serial:typed": QrKeep("serial", use_read=False),
    "submit": Submit(),
    "restart:continue": Restart(over=False),
    "restart:over": Restart(over=True),
    "wdno": KeepSubmission(),
    "delno": KeepData(),
}
_FIXED_DATA = {press: data for data, press in _FIXED.items()}


def parse(data: str) -> ResidentPress | None:
    """The press a button's data names; None for data no resident button carries."""
    fixed = _FIXED.get(data)
    if fixed is not None:
        return fixed
    head, _, rest = data.partition(":")
    match head:
        case "lang" if rest in _LANGUAGES:
            return ChooseLanguage(rest)
        case "c" if _NUMBER.fullmatch(rest):
            return PickCommune(int(rest))
        case "v" if _NUMBER.fullmatch(rest):
            return PickVillage(int(rest))
        case "vp" if _NUMBER.fullmatch(rest):
            return VillagePage(int(rest))
        case "skip" if _WORD.fullmatch(rest):
            return SkipSlot(rest)
        case "rp" if _WORD.fullmatch(rest):
            return ReplaceSlot(rest)
        case "edit" if rest in _SECTIONS:
            return Edit(rest)
        case "wd" if _RECEIPT.fullmatch(rest):
            return Withdraw(rest)
        case "wdok" if _RECEIPT.fullmatch(rest):
            return ConfirmWithdraw(rest)
        case "del":
            stage, _, nonce = rest.partition(":")
            if stage in ("1", "2") and _NONCE.fullmatch(nonce):
                return ConfirmDelete(int(stage), nonce)
        case "up":
            receipt, _, slot = rest.partition(":")
            if _RECEIPT.fullmatch(receipt) and _WORD.fullmatch(slot):
                return UploadFor(receipt, slot)
    return None


def data_of(press: ResidentPress) -> str:
    """The callback data of a button for `press`."""
    fixed = _FIXED_DATA.get(press)
    if fixed is not None:
        return fixed
    match press:
        case ChooseLanguage(language=language):
            return f"lang:{language}"
        case PickCommune(commune_id=commune_id):
            return f"c:{commune_id}"
        case PickVillage(village_id=village_id):
            return f"v:{village_id}"
        case VillagePage(page=page):
            return f"vp:{page}"
        case SkipSlot(slot=slot):
            return f"skip:{slot}"
        case ReplaceSlot(slot=slot):
            return f"rp:{slot}"
        case Edit(section=section):
            return f"edit:{section}"
        case Withdraw(receipt=receipt):
            return f"wd:{receipt}"
        case ConfirmWithdraw(receipt=receipt):
            return f"wdok:{receipt}"
        case UploadFor(receipt=receipt, slot=slot):
            return f"up:{receipt}:{slot}"
        case ConfirmDelete(stage=stage, nonce=nonce) if stage in (1, 2) and _NONCE.fullmatch(
            nonce
        ):
            return f"del:{stage}:{nonce}"
    raise ValueError(f"no callback data for {press!r}")
