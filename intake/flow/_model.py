"""The draft of a submission as plain data, and what the flow needs to know around it.

A `Draft` is what one conversation has gathered so far; it is stored encrypted as one JSON
payload (`draft.payload_enc`) and changed only by `flow.step`.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from intake.language import Language, search_key
from storage.states import CertificateStatus

__all__ = [
    "CONSENT_VERSION",
    "Context",
    "Directory",
    "Draft",
    "Place",
    "SlotState",
    "SlotStatus",
    "Step",
    "Whose",
]

CONSENT_VERSION = "2026-11"  # bump when the privacy notice changes: residents consent again


class Step(StrEnum):
    CONSENT = "consent"
    COMMUNE = "commune"
    VILLAGE = "village"
    WHOSE = "whose"
    NAME = "name"
    CCCD = "cccd"
    QR_CONFIRM = "qr_confirm"
    QR_CHECK = "qr_check"  # a QR code read on a document disagrees with (or fills) an answer
    PHONE = "phone"
    CERT_STATUS = "cert_status"
    SERIAL = "serial"
    MAP_SHEET = "map_sheet"
    PARCEL_NO = "parcel_no"
    DOCUMENTS = "documents"
    REVIEW = "review"
    RESTART_CONFIRM = "restart_confirm"


class Whose(StrEnum):
    SELF = "self"
    FAMILY = "family"


class SlotStatus(StrEnum):
    EMPTY = "empty"
    CHECKING = "checking"
    OK = "ok"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class SlotState:
    status: SlotStatus = SlotStatus.EMPTY
    file_unique_id: str | None = None
    issues: tuple[str, ...] = ()  # why the last photo in this slot was refused


@dataclass(frozen=True, slots=True)
class Place:
    id: int
    name: str
    code: str = ""


@dataclass(frozen=True)
class Directory:
    """The province's communes and villages: a read-only snapshot the flow searches. `closed`
    are the communes that exist but cannot receive documents yet (no commune key): a resident
    who names one is told so, never offered it."""

    province_name: str
    communes: tuple[Place, ...]
    villages: Mapping[int, tuple[Place, ...]]  # by commune id
    closed: tuple[Place, ...] = ()
    _keys: dict[int, str] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for commune in (*self.communes, *self.closed):
            self._keys[commune.id] = _commune_key(commune.name)

    def commune(self, commune_id: int) -> Place | None:
        return next((c for c in self.communes if c.id == commune_id), None)

    def village(self, commune_id: int, village_id: int) -> Place | None:
        return next((v for v in self.villages.get(commune_id, ()) if v.id == village_id), None)

    def search_villages(self, commune_id: int, query: str) -> list[Place]:
        """A commune's villages whose name matches a typed answer, accent-insensitively."""
        wanted = search_key(query)
        villages = self.villages.get(commune_id, ())
        exact = [v for v in villages if search_key(v.name) == wanted]
        return exact or [v for v in villages if wanted and wanted in search_key(v.name)]

    def village_by_code(self, code: str) -> tuple[Place, Place] | None:
        for commune_id, villages in self.villages.items():
            for village in villages:
                if village.code == code:
                    commune = self.commune(commune_id)
                    return (commune, village) if commune else None
        return None

    def search_communes(self, query: str) -> list[Place]:
        """Communes that can receive whose name matches, accent-insensitively; exact first."""
        return self._search(self.communes, query)

    def search_closed(self, query: str) -> list[Place]:
        """Communes that cannot receive yet whose name matches (to say so)."""
        return self._search(self.closed, query)

    def _search(self, communes: tuple[Place, ...], query: str) -> list[Place]:
        wanted = _commune_key(query)
        if not wanted:
            return []
        exact = [c for c in communes if self._keys[c.id] == wanted]
        if exact:
            return exact
        return [
            c
            for c in communes
            if self._keys[c.id].startswith(wanted) or f" {wanted}" in f" {self._keys[c.id]}"
        ]


def _commune_key(name: str) -> str:
    """A commune's name as searched: accent-free, without "xã", "phường"… in front."""
    key = search_key(name)
    for prefix in ("xa ", "phuong ", "dac khu ", "thi tran "):
        key = key.removeprefix(prefix)
    return key


@dataclass(frozen=True)
class Context:
    """What the flow may read besides the draft and the event."""

    directory: Directory
    language: Language
    consented: bool  # to the current notice version
    has_submissions: bool = False


@dataclass(frozen=True)
class Draft:
    step: Step
    commune: Place | None = None
    village: Place | None = None
    triage: bool = False  # the resident does not know the village
    village_page: int = 0
    candidates: tuple[Place, ...] = ()  # communes offered as buttons
    whose: Whose | None = None
    holder_name: str | None = None
    cccd: str | None = None
    qr_name: str | None = None  # read from the ID card's QR, waiting for confirmation
    qr_cccd: str | None = None
    phone: str | None = None
    certificate_status: CertificateStatus | None = None
    serial: str | None = None
    map_sheet: str | None = None
    parcel_no: str | None = None
    slots: Mapping[str, SlotState] = field(default_factory=dict)
    checklist_message_id: int | None = None
    resume_step: Step | None = None  # where RESTART_CONFIRM returns to
    sealed_for: int | None = None  # the commune the uploaded documents are sealed for
    spare_group: str | None = None  # an album with more photos than slots: told once
    assisted_by: int | None = None  # the staff member submitting for a household in person
    # numbers read from a document's QR code that differ from the typed answer ("cccd",
    # "serial"), or fill one not known: asked about before the summary
    read: Mapping[str, str] = field(default_factory=dict)
    flags: tuple[str, ...] = ()  # for the officer: a typed number the QR code disagreed with

    def to_json(self) -> dict[str, Any]:
        # field by field: `dataclasses.asdict` copies everything deeply first, which made
        # writing a draft cost four times reading one (every step and verdict writes it)
        return {name: _plain(getattr(self, name)) for name in _DRAFT_FIELDS}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Draft:
        def place(value: Mapping[str, Any] | None) -> Place | None:
            return Place(**value) if value else None

        return cls(
            step=Step(data["step"]),
            commune=place(data.get("commune")),
            village=place(data.get("village")),
            triage=bool(data.get("triage")),
            village_page=int(data.get("village_page", 0)),
            candidates=tuple(Place(**c) for c in data.get("candidates", ())),
            whose=Whose(data["whose"]) if data.get("whose") else None,
            holder_name=data.get("holder_name"),
            cccd=data.get("cccd"),
            qr_name=data.get("qr_name"),
            qr_cccd=data.get("qr_cccd"),
            phone=data.get("phone"),
            certificate_status=(
                CertificateStatus(data["certificate_status"])
                if data.get("certificate_status")
                else None
            ),
            serial=data.get("serial"),
            map_sheet=data.get("map_sheet"),
            parcel_no=data.get("parcel_no"),
            slots={
                name: SlotState(
                    SlotStatus(s["status"]), s.get("file_unique_id"), tuple(s.get("issues", ()))
                )
                for name, s in data.get("slots", {}).items()
            },
            checklist_message_id=data.get("checklist_message_id"),
            resume_step=Step(data["resume_step"]) if data.get("resume_step") else None,
            sealed_for=data.get("sealed_for"),
            spare_group=data.get("spare_group"),
            assisted_by=data.get("assisted_by"),
            read={str(k): str(v) for k, v in (data.get("read") or {}).items()},
            flags=tuple(data.get("flags") or ()),
        )


_DRAFT_FIELDS = tuple(f.name for f in dataclasses.fields(Draft))


def _plain(value: Any) -> Any:
    """A draft's value as JSON types, shaped as `dataclasses.asdict` would give it."""
    if isinstance(value, StrEnum):
        return value.value
    if value is None or isinstance(value, str | int | float):
        return value
    if isinstance(value, Place):
        return {"id": value.id, "name": value.name, "code": value.code}
    if isinstance(value, SlotState):
        return {
            "status": value.status.value,
            "file_unique_id": value.file_unique_id,
            "issues": list(value.issues),
        }
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
