"""The staff desk's buttons: one codec for their callback data (pure).

Every staff button's data starts with `s:` and names an action with ids or a receipt code —
never a trusted fact: the desk loads what it names and asks the policy for every press.
`parse` returns None for anything it does not know (forged, or from an older version), which
is answered as an expired button.

    s:o:<receipt>                          open a submission (its card)
    s:q:<commune>:<village|t|*>:<state|*>:<page>   a queue page (t: the triage queue, *: all)
    s:qv:<commune> · s:qc:<page>           choose a village (officers) · a commune (admins)
    s:ok:<receipt> · s:oky:<receipt>       accept · accept, confirmed
    s:ni:<receipt>:<mask> · s:nd:<receipt>:<mask>   needs info: the slots chosen · done
    s:rj:<receipt> · s:rr:<receipt>:<reason>         reject · with a reason
    s:as:<receipt> · s:av:<receipt>:<village>        assign · to a village
    s:pg:<village>                         a village's progress
    s:set:<choice>                         a setting (instant, digest, vi, en)
    s:iv:<village> · s:io                  invite a chief · an officer
    s:ap:<village>                         submit for a household of a village (assisted)
    s:ah:<target id, hex> · s:ao:<village>  …for this target household · for one off the list
    s:skip                                 no note
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Accept",
    "AcceptConfirmed",
    "AllVillages",
    "Assign",
    "AssignTo",
    "AssistHousehold",
    "AssistOther",
    "AssistVillage",
    "ChooseCommune",
    "ChooseVillage",
    "InviteChief",
    "InviteOfficer",
    "NeedsInfoDone",
    "NeedsInfoSlots",
    "Open",
    "Queue",
    "QueuePlace",
    "Reject",
    "RejectFor",
    "Setting",
    "SkipNote",
    "StaffPress",
    "Triage",
    "VillageProgress",
    "data_of",
    "parse",
]

PREFIX = "s:"
_NUMBER = re.compile(r"[0-9]{1,9}")
_RECEIPT = re.compile(r"[A-Za-z0-9-]{1,16}")  # looked up, never trusted
_WORD = re.compile(r"[a-z_]{1,16}")


class AllVillages(StrEnum):
    """A queue of the whole commune: every village (and the triage queue)."""

    ALL = "*"


class Triage(StrEnum):
    """The commune's triage queue: submissions with no village yet."""

    TRIAGE = "t"


QueuePlace = int | AllVillages | Triage


@dataclass(frozen=True, slots=True)
class Open:
    receipt: str


@dataclass(frozen=True, slots=True)
class Queue:
    commune_id: int
    place: QueuePlace
    state: str | None  # a review state's value; None: every open state
    page: int


@dataclass(frozen=True, slots=True)
class ChooseVillage:
    commune_id: int


@dataclass(frozen=True, slots=True)
class ChooseCommune:
    page: int


@dataclass(frozen=True, slots=True)
class Accept:
    receipt: str


@dataclass(frozen=True, slots=True)
class AcceptConfirmed:
    receipt: str


@dataclass(frozen=True, slots=True)
class NeedsInfoSlots:
    receipt: str
    mask: int  # bit i: the submission's i-th slot is chosen


@dataclass(frozen=True, slots=True)
class NeedsInfoDone:
    receipt: str
    mask: int


@dataclass(frozen=True, slots=True)
class Reject:
    receipt: str


@dataclass(frozen=True, slots=True)
class RejectFor:
    receipt: str
    reason: str  # a preset reason's first 12 letters, or "other"


@dataclass(frozen=True, slots=True)
class Assign:
    receipt: str


@dataclass(frozen=True, slots=True)
class AssignTo:
    receipt: str
    village_id: int


@dataclass(frozen=True, slots=True)
class VillageProgress:
    village_id: int


@dataclass(frozen=True, slots=True)
class Setting:
    choice: str


@dataclass(frozen=True, slots=True)
class InviteChief:
    village_id: int


@dataclass(frozen=True, slots=True)
class InviteOfficer:
    pass


@dataclass(frozen=True, slots=True)
class AssistVillage:
    village_id: int


@dataclass(frozen=True, slots=True)
class AssistHousehold:
    """Submit for this household of the target list (it has not submitted yet)."""

    target_id: uuid.UUID


@dataclass(frozen=True, slots=True)
class AssistOther:
    """Submit for a household of the village that is not on the target list."""

    village_id: int


@dataclass(frozen=True, slots=True)
class SkipNote:
    pass


StaffPress = (
    Open
    | Queue
    | ChooseVillage
    | ChooseCommune
    | Accept
    | AcceptConfirmed
    | NeedsInfoSlots
    | NeedsInfoDone
    | Reject
    | RejectFor
    | Assign
    | AssignTo
    | VillageProgress
    | Setting
    | InviteChief
    | InviteOfficer
    | AssistVillage
    | AssistHousehold
    | AssistOther
    | SkipNote
)


def _number(text: str) -> int | None:
    return int(text) if _NUMBER.fullmatch(text) else None


def _receipt(text: str) -> str | None:
    return text if _RECEIPT.fullmatch(text) else None


def _place(text: str) -> QueuePlace | None:
    if text == AllVillages.ALL.value:
        return AllVillages.ALL
    if text == Triage.TRIAGE.value:
        return Triage.TRIAGE
    village = _number(text)
    return village if village else None


_BY_RECEIPT: dict[str, type[Open | Accept | AcceptConfirmed | Reject | Assign]] = {
    "o": Open,
    "ok": Accept,
    "oky": AcceptConfirmed,
    "rj": Reject,
    "as": Assign,
}
_BY_ID: dict[
    str,
    type[
        ChooseVillage | ChooseCommune | VillageProgress | InviteChief | AssistVillage | AssistOther
    ],
] = {
    "qv": ChooseVillage,
    "qc": ChooseCommune,
    "pg": VillageProgress,
    "iv": InviteChief,
    "ap": AssistVillage,
    "ao": AssistOther,
}
_NO_ZERO = frozenset({"pg", "iv", "ap", "ao"})  # a village's id is never 0
_HEX_ID = re.compile(r"[0-9a-f]{32}")


def parse(data: str) -> StaffPress | None:
    """The press a staff button's data names; None for anything else."""
    if not data.startswith(PREFIX):
        return None
    head, *args = data[len(PREFIX) :].split(":")
    match args:
        case [] if head == "io":
            return InviteOfficer()
        case [] if head == "skip":
            return SkipNote()
        case [hex_id] if head == "ah" and _HEX_ID.fullmatch(hex_id):
            return AssistHousehold(uuid.UUID(hex=hex_id))
        case [choice] if head == "set":
            return Setting(choice) if _WORD.fullmatch(choice) else None
        case [receipt] if head in _BY_RECEIPT and _receipt(receipt):
            return _BY_RECEIPT[head](receipt)
        case [text] if head in _BY_ID and (found := _number(text)) is not None:
            if head in _NO_ZERO and not found:
                return None
            return _BY_ID[head](found)
        case [receipt, mask] if head in ("ni", "nd") and _receipt(receipt):
            bits = _number(mask)
            if bits is None:
                return None
            return NeedsInfoSlots(receipt, bits) if head == "ni" else NeedsInfoDone(receipt, bits)
        case [receipt, reason] if head == "rr" and _receipt(receipt) and _WORD.fullmatch(reason):
            return RejectFor(receipt, reason)
        case [receipt, village] if head == "av" and _receipt(receipt):
            village_id = _number(village)
            return AssignTo(receipt, village_id) if village_id else None
        case [commune, place, state, page] if head == "q":
            commune_id, where, page_number = _number(commune), _place(place), _number(page)
            if commune_id is None or where is None or page_number is None:
                return None
            if state != "*" and not _WORD.fullmatch(state):
                return None
            return Queue(commune_id, where, None if state == "*" else state, page_number)
    return None


def data_of(press: StaffPress) -> str:
    """The callback data of a button for `press`."""
    match press:
        case Open(receipt=r):
            body = f"o:{r}"
        case Queue(commune_id=c, place=p, state=s, page=n):
            where = p.value if isinstance(p, AllVillages | Triage) else str(p)
            body = f"q:{c}:{where}:{s or '*'}:{n}"
        case ChooseVillage(commune_id=c):
            body = f"qv:{c}"
        case ChooseCommune(page=n):
            body = f"qc:{n}"
        case Accept(receipt=r):
            body = f"ok:{r}"
        case AcceptConfirmed(receipt=r):
            body = f"oky:{r}"
        case NeedsInfoSlots(receipt=r, mask=m):
            body = f"ni:{r}:{m}"
        case NeedsInfoDone(receipt=r, mask=m):
            body = f"nd:{r}:{m}"
        case Reject(receipt=r):
            body = f"rj:{r}"
        case RejectFor(receipt=r, reason=reason):
            body = f"rr:{r}:{reason[:12]}"
        case Assign(receipt=r):
            body = f"as:{r}"
        case AssignTo(receipt=r, village_id=v):
            body = f"av:{r}:{v}"
        case VillageProgress(village_id=v):
            body = f"pg:{v}"
        case Setting(choice=choice):
            body = f"set:{choice}"
        case AssistHousehold(target_id=t):
            body = f"ah:{t.hex}"
        case AssistOther(village_id=v):
            body = f"ao:{v}"
        case InviteChief(village_id=v):
            body = f"iv:{v}"
        case InviteOfficer():
            body = "io"
        case AssistVillage(village_id=v):
            body = f"ap:{v}"
        case SkipNote():
            body = "skip"
    return PREFIX + body
