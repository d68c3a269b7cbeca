"""The folder an officer pulls into: one sub-folder per submission and a `submissions.csv`.

Each sub-folder is named by receipt code and household name (`HP-7Q3K9 – Nguyễn Thị Hoà`, the
name reduced to what every file system accepts) and holds the submission's current documents
named by slot, with the extension of their sniffed type (`cccd_front.jpg`, or
`cccd_front.jpg.age` when sealed), and a `submission.json` (its fields, flags, current documents,
and the history of replaced or refused pages). Every time in it is Vietnam time with its offset.
It is written under a hidden temporary name and renamed when complete, so a folder that exists
is whole. A folder is current, and is not pulled again, when its name is right and its
`submission.json` shows the same `updated_at` stamp, the same documents and the same mode (sealed
or opened) and it lacks no file; an interrupted pull run again therefore finishes the rest. A
folder of the same receipt under an older name (the name was corrected) is replaced.

`pull_into_folder` runs a whole pull; the CLI only adds the progress bar.
`submissions.csv` is rebuilt after every pull from all `submission.json` files in the folder. It is
meant for the person entering the records into the land system, in Excel: Vietnamese headers and
values (with the code beside the state and the certificate's status), UTF-8 with a byte-order
mark (so Vietnamese shows right), a cell that would start a formula gets a leading `'`, and
numbers that are identifiers (CCCD, phone, serial, map sheet, parcel) are written as `="…"` so
that Excel keeps their leading zeros and all their digits.
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import re
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from crypto import Identity
from intake.admin._pull import (
    DocumentEntry,
    PulledSubmission,
    PullPlan,
    SubmissionRecord,
    check_identity,
    pull_submission,
    record_pull,
)
from intake.language import CATALOG, VIETNAM, Language, nfc, render
from storage.deps import Deps

__all__ = [
    "CSV_COLUMNS",
    "CSV_FILE",
    "SUBMISSION_FILE",
    "PullFolder",
    "PullResult",
    "csv_header",
    "document_file_names",
    "folder_name",
    "pull_into_folder",
    "safe_name",
    "submission_json",
]

SUBMISSION_FILE = "submission.json"
CSV_FILE = "submissions.csv"


@dataclass(frozen=True, slots=True)
class _Column:
    name: str  # its header is the catalog's `pull.column.<name>`
    value: Callable[[dict[str, Any], Language], object]
    identifier: bool = False  # digits Excel must keep as text


def _text(language: Language, prefix: str, code: object) -> str:
    """The catalog's words for a saved code (`state`, `in_review` → "đang xem xét"), or the code
    itself when the catalog has none (a code from a newer version)."""
    key = f"{prefix}.{code}"
    return render(language, key) if key in CATALOG else str(code)


def _field(field: str) -> Callable[[dict[str, Any], Language], object]:
    return lambda saved, _: saved.get(field)


def _label(prefix: str, field: str) -> Callable[[dict[str, Any], Language], object]:
    return lambda saved, language: (
        _text(language, prefix, saved[field]) if saved.get(field) else ""
    )


def _labels(prefix: str, field: str) -> Callable[[dict[str, Any], Language], object]:
    return lambda saved, language: "; ".join(
        _text(language, prefix, code) for code in saved.get(field) or []
    )


def _documents(saved: dict[str, Any], _: Language) -> object:
    return sum(1 for d in saved.get("documents") or [] if d.get("file"))


def _problems(saved: dict[str, Any], language: Language) -> object:
    return "; ".join(
        _text(language, "slot", d.get("slot"))
        + ": "
        + _text(language, "pull.problem", d["problem"])
        for d in saved.get("documents") or []
        if d.get("problem")
    )


CSV_COLUMNS = (
    _Column("receipt", _field("receipt_code")),
    _Column("holder", _field("holder_name")),
    _Column("cccd", _field("cccd"), identifier=True),
    _Column("phone", _field("phone"), identifier=True),
    _Column("state", _label("state", "state")),
    _Column("state_code", _field("state")),
    _Column("commune_code", _field("commune_code")),
    _Column("commune", _field("commune_name")),
    _Column("village_code", _field("village_code")),
    _Column("village", _field("village_name")),
    _Column("route", _label("route", "route")),
    _Column("whose", _label("whosestaff", "whose")),
    _Column("certificate", _label("certstaff", "certificate_status")),
    _Column("certificate_code", _field("certificate_status")),
    _Column("serial", _field("certificate_serial"), identifier=True),
    _Column("map_sheet", _field("map_sheet"), identifier=True),
    _Column("parcel", _field("parcel_no"), identifier=True),
    _Column("submitted_at", _field("submitted_at")),
    _Column("updated_at", _field("updated_at")),
    _Column("documents", _documents),
    _Column("missing", _labels("slot", "missing")),
    _Column("flags", _labels("flag", "flags")),
    _Column("duplicates", lambda saved, _: "; ".join(saved.get("duplicates") or [])),
    _Column("problems", _problems),
    _Column("folder", _field("folder")),
)
_NUMBER = re.compile(r"\+?[0-9]+")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PARTIAL = ".partial-"
_OLD = ".old-"
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


def _is_folder_of(name: str, receipt_code: str) -> bool:
    receipt = safe_name(receipt_code)
    return name == receipt or name.startswith(f"{receipt} – ")


def csv_header(language: Language = Language.VI) -> list[str]:
    return [render(language, f"pull.column.{column.name}") for column in CSV_COLUMNS]


def document_file_names(pulled: PulledSubmission) -> list[str | None]:
    """The file name of each pulled document (None for those without bytes), unique per folder."""
    names: list[str | None] = []
    for document in pulled.documents:
        if document.data is None:
            names.append(None)
            continue
        stem = safe_name(document.entry.slot)
        extension = _EXTENSIONS.get((document.entry.content_type or "").lower(), "bin")
        suffix = f".{extension}.age" if pulled.sealed else f".{extension}"
        name, number = stem + suffix, 1
        while name in names:  # two current documents in one slot cannot be, but keep both
            number += 1
            name = f"{stem}-{number}{suffix}"
        names.append(name)
    return names


def _vietnam(moment: datetime) -> str:
    return moment.astimezone(VIETNAM).isoformat(timespec="seconds")


def _stamp(record: SubmissionRecord) -> str:
    return _vietnam(record.updated_at)


def _past(entry: DocumentEntry) -> dict[str, Any]:
    return {
        "slot": entry.slot,
        "status": str(entry.status),
        "received_at": _vietnam(entry.received_at),
        "quality_issues": entry.issues,
    }


def submission_json(pulled: PulledSubmission) -> dict[str, Any]:
    """What `submission.json` says about one pulled submission."""
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
        "holder_name": record.holder_name,
        "cccd": record.cccd,
        "phone": record.phone,
        "submitted_at": _vietnam(record.submitted_at),
        "updated_at": _stamp(record),
        "flags": list(record.flags),
        "missing": list(record.missing),
        "duplicates": list(record.duplicates),
        "sealed": pulled.sealed,
        "documents": [
            {
                "slot": document.entry.slot,
                "status": str(document.entry.status),
                "received_at": _vietnam(document.entry.received_at),
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


class PullFolder:
    """The officer's output directory; `language` is that of the CSV's headers and words."""

    def __init__(self, root: Path, language: Language = Language.VI) -> None:
        self.root = root
        self.language = language
        self._folders: dict[str, set[str]] | None = None  # receipt → its folders' names

    def _index(self) -> dict[str, set[str]]:
        """The receipts' folders, listed once per pull (not once per submission)."""
        if self._folders is None:
            self._folders = {}
            for path in self.root.iterdir():
                if path.is_dir() and not path.name.startswith("."):
                    receipt = path.name.split(" – ", 1)[0]
                    self._folders.setdefault(receipt, set()).add(path.name)
        return self._folders

    def prepare(self) -> int:
        """Create the folder, prove it writable, and remove what an interrupted pull left."""
        self.root.mkdir(parents=True, exist_ok=True)
        probe = self.root / f".{_PARTIAL}probe-{secrets.token_hex(4)}"
        probe.write_bytes(b"")
        probe.unlink()
        leftovers = [
            path
            for path in self.root.iterdir()
            if path.name.startswith(".") and (_PARTIAL in path.name or _OLD in path.name)
        ]
        for path in leftovers:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        return len(leftovers)

    def _folders_of(self, record: SubmissionRecord) -> list[Path]:
        """The folders the receipt already has here (under its current or an older name)."""
        names = self._index().get(safe_name(record.receipt_code), set())
        return [
            self.root / name
            for name in sorted(names)
            if _is_folder_of(name, record.receipt_code) and (self.root / name).is_dir()
        ]

    def is_current(self, record: SubmissionRecord, *, sealed: bool) -> bool:
        """Whether the submission's folder is complete, rightly named and shows its latest
        state."""
        folder = self.root / folder_name(record)
        if self._folders_of(record) != [folder]:
            return False
        try:
            saved = json.loads((folder / SUBMISSION_FILE).read_text(encoding="utf-8"))
            documents = saved["documents"]
            return (
                saved["updated_at"] == _stamp(record)
                and saved["sealed"] is sealed
                and [(d["slot"], d["status"]) for d in documents]
                == [(e.slot, str(e.status)) for e in record.documents]
                and all(d["problem"] is None for d in documents)
                and all(d["file"] is None or (folder / d["file"]).is_file() for d in documents)
            )
        except (OSError, ValueError, KeyError, TypeError):
            return False

    def write(self, pulled: PulledSubmission) -> Path:
        """Write the submission's folder whole, replacing an older one."""
        final = self.root / folder_name(pulled.record)
        partial = self.root / f".{final.name}{_PARTIAL}{secrets.token_hex(4)}"
        partial.mkdir()
        try:
            for document, name in zip(pulled.documents, document_file_names(pulled), strict=True):
                if document.data is not None and name is not None:
                    (partial / name).write_bytes(document.data)
            text = json.dumps(submission_json(pulled), ensure_ascii=False, indent=2)
            (partial / SUBMISSION_FILE).write_text(text + "\n", encoding="utf-8")
            earlier = []
            for folder in self._folders_of(pulled.record):
                old = self.root / f".{final.name}{_OLD}{secrets.token_hex(4)}"
                folder.rename(old)
                earlier.append(old)
            partial.rename(final)
            self._index()[safe_name(pulled.record.receipt_code)] = {final.name}
            for old in earlier:
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(partial, ignore_errors=True)
            raise
        return final

    def write_csv(self) -> int:
        """Rebuild `submissions.csv` from every pulled submission; returns the number of rows."""
        saved = []
        for path in sorted(self.root.glob(f"[!.]*/{SUBMISSION_FILE}")):
            with contextlib.suppress(OSError, ValueError):
                data = json.loads(path.read_text(encoding="utf-8"))
                if isinstance(data, dict):
                    saved.append(data)
        saved.sort(key=lambda s: (str(s.get("submitted_at")), str(s.get("receipt_code"))))
        target = self.root / CSV_FILE
        partial = self.root / f".{CSV_FILE}{_PARTIAL}{secrets.token_hex(4)}"
        try:
            with partial.open("w", encoding="utf-8-sig", newline="") as handle:
                writer = csv.writer(handle)
                writer.writerow(csv_header(self.language))
                writer.writerows(_csv_row(submission, self.language) for submission in saved)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return len(saved)


def _csv_row(saved: dict[str, Any], language: Language) -> list[str]:
    return [
        _excel_cell(column.value(saved, language), identifier=column.identifier)
        for column in CSV_COLUMNS
    ]


def _excel_cell(value: object, *, identifier: bool = False) -> str:
    text = "" if value is None else str(value)
    if identifier and _NUMBER.fullmatch(text):
        return f'="{text}"'
    if text.startswith(_FORMULA_START):
        return "'" + text
    return text


@dataclass(frozen=True)
class PullResult:
    pulled: int
    skipped: int  # already current in the folder
    problems: int  # documents missing or damaged in the store
    csv_rows: int


async def pull_into_folder(
    deps: Deps,
    plan: PullPlan,
    folder: PullFolder,
    identity: Identity | None,
    *,
    progress: Callable[[SubmissionRecord], None] | None = None,
) -> PullResult:
    """Pull every planned submission not yet current in the prepared `folder`, opened with
    `identity` or sealed if it is None; the audit event records what left, even if interrupted."""
    sealed = identity is None
    if identity is not None:
        await check_identity(deps, plan, identity)
    receipts: list[str] = []
    skipped = problems = 0
    complete = False
    try:
        for record in plan.submissions:
            if folder.is_current(record, sealed=sealed):
                skipped += 1
            else:
                pulled = await pull_submission(deps, record, identity)
                folder.write(pulled)
                receipts.append(record.receipt_code)
                problems += sum(1 for d in pulled.documents if d.problem is not None)
            if progress is not None:
                progress(record)
        rows = folder.write_csv()
        complete = True
    finally:
        await record_pull(
            deps,
            plan,
            receipts=receipts,
            skipped=skipped,
            sealed=sealed,
            recipient=identity.recipient if identity else None,
            complete=complete,
        )
    return PullResult(len(receipts), skipped, problems, rows)
