"""One submission as every export writes it: its fields as a dict (a pull folder's
`submission.json`, read back to build `submissions.csv`), the table's columns (the CSV of the
pull and the console's XLSX share them: the same headers, words and order), the names of the
folders and files (`HP-7Q3K9 – Nguyễn Thị Hoà/cccd_front.jpg`, in a pull folder and in a ZIP).

The table is meant for the person entering the records into the land system: Vietnamese
headers and values, with the code beside the state and the certificate's status. In a CSV a
cell that would start a formula gets a leading `'`, and numbers that are identifiers (CCCD,
phone, serial, map sheet, parcel) are written as `="…"` so that Excel keeps their leading zeros
and all their digits; the XLSX writes them as text. Every time is Vietnam time with its offset.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from intake.exports._records import DocumentEntry, PulledSubmission, SubmissionRecord
from intake.language import CATALOG, VIETNAM, Language, nfc, render
from storage.states import DocumentStatus

__all__ = [
    "COLUMNS",
    "Column",
    "csv_cell",
    "csv_header",
    "csv_row",
    "document_file_names",
    "file_names",
    "folder_name",
    "label",
    "safe_name",
    "submission_fields",
    "vietnam_time",
]


@dataclass(frozen=True, slots=True)
class Column:
    name: str  # its header is the catalog's `pull.column.<name>`
    value: Callable[[dict[str, Any], Language], object]
    identifier: bool = False  # digits Excel must keep as text
    moment: bool = False  # a time (ISO 8601 with its offset)
    width: int = 14  # in an XLSX, in characters


def label(language: Language, prefix: str, code: object) -> str:
    """The catalog's words for a saved code (`state`, `in_review` → "đang xem xét"), or the code
    itself when the catalog has none (a code from a newer version)."""
    key = f"{prefix}.{code}"
    return render(language, key) if key in CATALOG else str(code)


def _field(field: str) -> Callable[[dict[str, Any], Language], object]:
    return lambda saved, _: saved.get(field)


def _label(prefix: str, field: str) -> Callable[[dict[str, Any], Language], object]:
    return lambda saved, language: (
        label(language, prefix, saved[field]) if saved.get(field) else ""
    )


def _labels(prefix: str, field: str) -> Callable[[dict[str, Any], Language], object]:
    return lambda saved, language: "; ".join(
        label(language, prefix, code) for code in saved.get(field) or []
    )


def _documents(saved: dict[str, Any], _: Language) -> object:
    return sum(1 for d in saved.get("documents") or [] if d.get("status") == "stored")


def _problems(saved: dict[str, Any], language: Language) -> object:
    return "; ".join(
        label(language, "slot", d.get("slot"))
        + ": "
        + label(language, "pull.problem", d["problem"])
        for d in saved.get("documents") or []
        if d.get("problem")
    )


COLUMNS = (
    Column("receipt", _field("receipt_code"), width=11),
    Column("holder", _field("holder_name"), width=24),
    Column("cccd", _field("cccd"), identifier=True, width=15),
    Column("phone", _field("phone"), identifier=True, width=13),
    Column("state", _label("state", "state")),
    Column("state_code", _field("state")),
    Column("commune_code", _field("commune_code")),
    Column("commune", _field("commune_name"), width=18),
    Column("village_code", _field("village_code")),
    Column("village", _field("village_name"), width=18),
    Column("route", _label("route", "route")),
    Column("whose", _label("whosestaff", "whose")),
    Column("certificate", _label("certstaff", "certificate_status")),
    Column("certificate_code", _field("certificate_status")),
    Column("serial", _field("certificate_serial"), identifier=True),
    Column("map_sheet", _field("map_sheet"), identifier=True),
    Column("parcel", _field("parcel_no"), identifier=True),
    Column("group", _field("parcel_group"), width=7),
    Column("submitted_at", _field("submitted_at"), moment=True, width=17),
    Column("updated_at", _field("updated_at"), moment=True, width=17),
    Column("documents", _documents),
    Column("missing", _labels("slot", "missing"), width=24),
    Column("flags", _labels("flag", "flags"), width=24),
    Column("duplicates", lambda saved, _: "; ".join(saved.get("duplicates") or [])),
    Column("problems", _problems),
    Column("folder", _field("folder"), width=32),
)
_NUMBER = re.compile(r"\+?[0-9]+")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
# what no file system (Windows included) takes in a name
_UNSAFE_IN_NAMES = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]+')
_NAME_LENGTH = 60
# Document.content_type holds the sniffed kind; HEIF photos from phones are HEVC, i.e. `.heic`.
_EXTENSIONS = {
    "jpeg": "jpg",
    "png": "png",
    "webp": "webp",
    "heic": "heic",
    "heif": "heic",
    "pdf": "pdf",
}


def safe_name(text: str) -> str:
    """`text` reduced to letters, digits, `-` and `_`: safe as a file or folder name anywhere."""
    return _UNSAFE.sub("_", text).strip("_")[:64] or "_"


def folder_name(record: SubmissionRecord) -> str:
    """`HP-7Q3K9 – Nguyễn Thị Hoà`: the receipt code, then the household's name as far as every
    file system takes it (Vietnamese letters kept)."""
    holder = " ".join(_UNSAFE_IN_NAMES.sub(" ", nfc(record.holder_name)).split())
    holder = holder[:_NAME_LENGTH].strip(" .")
    receipt = safe_name(record.receipt_code)
    return f"{receipt} – {holder}" if holder else receipt


def csv_header(language: Language = Language.VI) -> list[str]:
    return [render(language, f"pull.column.{column.name}") for column in COLUMNS]


def file_names(entries: Sequence[DocumentEntry], *, sealed: bool) -> list[str | None]:
    """The file name of each stored document (`cccd_front.jpg`, or `cccd_front.jpg.age` when
    sealed; None for the others), unique within the submission's folder."""
    names: list[str | None] = []
    for entry in entries:
        if entry.status is not DocumentStatus.STORED:
            names.append(None)
            continue
        stem = safe_name(entry.slot)
        extension = _EXTENSIONS.get((entry.content_type or "").lower(), "bin")
        suffix = f".{extension}.age" if sealed else f".{extension}"
        name, number = stem + suffix, 1
        while name in names:  # two current documents in one slot cannot be, but keep both
            number += 1
            name = f"{stem}-{number}{suffix}"
        names.append(name)
    return names


def document_file_names(pulled: PulledSubmission) -> list[str | None]:
    """The file name of each pulled document (None for those without bytes)."""
    names = file_names([document.entry for document in pulled.documents], sealed=pulled.sealed)
    return [
        name if document.data is not None else None
        for document, name in zip(pulled.documents, names, strict=True)
    ]


def vietnam_time(moment: datetime) -> str:
    """A time as every export writes it: Vietnam time, ISO 8601, with its offset."""
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


def _past(entry: DocumentEntry) -> dict[str, Any]:
    return {
        "slot": entry.slot,
        "status": str(entry.status),
        "received_at": vietnam_time(entry.received_at),
        "quality_issues": entry.issues,
    }


def submission_fields(pulled: PulledSubmission) -> dict[str, Any]:
    """What a folder's `submission.json` says about one pulled submission; a row of the table
    is read from it (`csv_row`, the XLSX)."""
    record = pulled.record
    names = document_file_names(pulled)
    return {
        "receipt_code": record.receipt_code,
        "folder": folder_name(record),
        "state": record.state,
        "commune_code": record.commune_code,
        "commune_name": record.commune_name,
        "village_code": record.village_code,
        "village_name": record.village_name,
        "route": record.route,
        "whose": record.whose,
        "certificate_status": record.certificate_status,
        "certificate_serial": record.certificate_serial,
        "map_sheet": record.map_sheet,
        "parcel_no": record.parcel_no,
        "parcel_group": record.parcel_group,
        "holder_name": record.holder_name,
        "cccd": record.cccd,
        "phone": record.phone,
        "submitted_at": vietnam_time(record.submitted_at),
        "updated_at": vietnam_time(record.updated_at),
        "flags": list(record.flags),
        "missing": list(record.missing),
        "duplicates": list(record.duplicates),
        "sealed": pulled.sealed,
        "documents": [
            {
                "slot": document.entry.slot,
                "status": str(document.entry.status),
                "received_at": vietnam_time(document.entry.received_at),
                "file": name,
                "content_type": document.entry.content_type,
                "quality_issues": document.entry.issues,
                "metrics": document.entry.metrics,
                "sha256": document.sha256,
                "sealed_sha256": (
                    document.entry.blob_sha256.hex() if document.entry.blob_sha256 else None
                ),
                "problem": str(document.problem) if document.problem else None,
            }
            for document, name in zip(pulled.documents, names, strict=True)
        ],
        "history": [_past(entry) for entry in record.history],
    }


def csv_row(saved: dict[str, Any], language: Language) -> list[str]:
    """One row of `submissions.csv`, from a submission's fields (`submission_fields`)."""
    return [
        csv_cell(column.value(saved, language), identifier=column.identifier) for column in COLUMNS
    ]


def csv_cell(value: object, *, identifier: bool = False) -> str:
    text = "" if value is None else str(value)
    if identifier and _NUMBER.fullmatch(text):
        return f'="{text}"'
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text
