"""The data-subject requests' buttons: one codec for their callback data (pure).

A button names an action, a kind of request, a commune id or a request's code — never a
trusted fact: the resident's commune is checked against their own submissions, a staff press
against the policy and the request's commune. `parse_*` return None for anything else (forged,
or from an older version), which is answered as an expired button.

Resident (`dr:`; the flow's codec uses no such head)::

    dr:c · dr:f                  ask for a copy · a correction (the commune chosen next)
    dr:c:<commune> · dr:f:<commune>   … of that commune
    dr:x                         not now (the correction's words are not wanted any more)

Staff (`s:dr:`, under the staff desk's prefix)::

    s:dr:l                       the open requests
    s:dr:o:<code> · s:dr:a:<code> · s:dr:d:<code>   open · acknowledge · done (a note next)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from storage.states import DataRequestKind

__all__ = [
    "AskRequest",
    "DropAsk",
    "ListRequests",
    "OpenRequest",
    "RequestAcknowledge",
    "RequestDone",
    "ResidentRequestPress",
    "StaffRequestPress",
    "parse_resident",
    "parse_staff",
    "resident_data",
    "staff_data",
]

RESIDENT_PREFIX = "dr:"
STAFF_PREFIX = "s:dr:"
_NUMBER = re.compile(r"[1-9][0-9]{0,8}")
_CODE = re.compile(r"[A-Z0-9]{1,4}-[A-Z0-9]{1,10}")  # looked up, never trusted
_KINDS = {"c": DataRequestKind.COPY, "f": DataRequestKind.CORRECTION}
_LETTERS = {kind: letter for letter, kind in _KINDS.items()}


@dataclass(frozen=True, slots=True)
class AskRequest:
    """A resident asks their commune for a copy or a correction (`commune_id` None: to be
    chosen, or their only one)."""

    kind: DataRequestKind
    commune_id: int | None = None


@dataclass(frozen=True, slots=True)
class DropAsk:
    """The resident does not write the correction after all."""


ResidentRequestPress = AskRequest | DropAsk


@dataclass(frozen=True, slots=True)
class ListRequests:
    pass


@dataclass(frozen=True, slots=True)
class OpenRequest:
    code: str


@dataclass(frozen=True, slots=True)
class RequestAcknowledge:
    code: str


@dataclass(frozen=True, slots=True)
class RequestDone:
    code: str


StaffRequestPress = ListRequests | OpenRequest | RequestAcknowledge | RequestDone
_BY_CODE: dict[str, type[OpenRequest | RequestAcknowledge | RequestDone]] = {
    "o": OpenRequest,
    "a": RequestAcknowledge,
    "d": RequestDone,
}
_CODE_LETTERS = {kind: letter for letter, kind in _BY_CODE.items()}


def parse_resident(data: str) -> ResidentRequestPress | None:
    """The press a resident's request button names; None for anything else."""
    if not data.startswith(RESIDENT_PREFIX):
        return None
    match data[len(RESIDENT_PREFIX) :].split(":"):
        case ["x"]:
            return DropAsk()
        case [letter] if letter in _KINDS:
            return AskRequest(_KINDS[letter])
        case [letter, commune] if letter in _KINDS and _NUMBER.fullmatch(commune):
            return AskRequest(_KINDS[letter], int(commune))
    return None


def resident_data(press: ResidentRequestPress) -> str:
    match press:
        case DropAsk():
            return RESIDENT_PREFIX + "x"
        case AskRequest(kind=kind, commune_id=None):
            return RESIDENT_PREFIX + _LETTERS[kind]
        case AskRequest(kind=kind, commune_id=commune_id):
            return f"{RESIDENT_PREFIX}{_LETTERS[kind]}:{commune_id}"
    raise ValueError(f"no callback data for {press!r}")


def parse_staff(data: str) -> StaffRequestPress | None:
    """The press a staff request button names; None for anything else."""
    if not data.startswith(STAFF_PREFIX):
        return None
    match data[len(STAFF_PREFIX) :].split(":"):
        case ["l"]:
            return ListRequests()
        case [letter, code] if letter in _BY_CODE and _CODE.fullmatch(code):
            return _BY_CODE[letter](code)
    return None


def staff_data(press: StaffRequestPress) -> str:
    match press:
        case ListRequests():
            return STAFF_PREFIX + "l"
        case OpenRequest(code=code) | RequestAcknowledge(code=code) | RequestDone(code=code):
            return f"{STAFF_PREFIX}{_CODE_LETTERS[type(press)]}:{code}"
    raise ValueError(f"no callback data for {press!r}")
