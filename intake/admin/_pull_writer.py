"""The folder an officer pulls into: one sub-folder per submission and a `submissions.csv`.

Each sub-folder (named by receipt code) holds the documents named by slot, with the extension of
their sniffed type (`cccd_front.jpg`, or `cccd_front.jpg.age` when sealed), and a
`submission.json`. It is written under a hidden temporary name and renamed when complete, so a
folder that exists is whole. A folder is current, and is not pulled again, when its
`submission.json` shows the same `updated_at` stamp, the same documents and the same mode (sealed
or opened) and it lacks no file; an interrupted pull run again therefore finishes the rest.

`pull_into_folder` runs a whole pull; the CLI only adds the progress bar.
`submissions.csv` is rebuilt after every pull from all `submission.json` files in the folder. It is
meant for Excel: UTF-8 with a byte-order mark (so Vietnamese shows right), a cell that would start
a formula gets a leading `'`, and numbers that are identifiers (CCCD, phone, serial, map sheet,
parcel) are written as `="…"` so that Excel keeps their leading zeros and all their digits.
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
from pathlib import Path
from typing import Any

from crypto import Identity
from intake.admin._pull import (
    PulledSubmission,
    PullPlan,
    SubmissionRecord,
    check_identity,
    pull_submission,
    record_pull,
)
from intake.language import VIETNAM
from storage.deps import Deps

__all__ = [
    "CSV_COLUMNS",
    "CSV_FILE",
    "SUBMISSION_FILE",
    "PullFolder",
    "PullResult",
    "document_file_names",
    "folder_name",
    "pull_into_folder",
    "safe_name",
    "submission_json",
]

SUBMISSION_FILE = "submission.json"
CSV_FILE = "submissions.csv"
CSV_COLUMNS = (
    "receipt_code",
    "state",
    "commune_code",
    "village_code",
    "village_name",
    "route",
    "whose",
    "certificate_status",
    "certificate_serial",
    "map_sheet",
    "parcel_no",
    "holder_name",
    "cccd",
    "phone",
    "submitted_at",
    "documents",
    "problems",
)
_IDENTIFIERS = frozenset({"certificate_serial", "map_sheet", "parcel_no", "cccd", "phone"})
_NUMBER = re.compile(r"\+?[0-9]+")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PARTIAL = ".partial-"
_OLD = ".old-"
_UNSAFE = re.compile(r"[^A-Za-z0-9_-]+")
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
    return safe_name(record.receipt_code)


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
        while name in names:  # two stored documents in one slot: keep both
            number += 1
            name = f"{stem}-{number}{suffix}"
        names.append(name)
    return names


def _stamp(record: SubmissionRecord) -> str:
    return record.updated_at.isoformat()


def submission_json(pulled: PulledSubmission) -> dict[str, Any]:
    """What `submission.json` says about one pulled submission."""
    record = pulled.record
    names = document_file_names(pulled)
    return {
        "receipt_code": record.receipt_code,
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
        "submitted_at": record.submitted_at.astimezone(VIETNAM).isoformat(timespec="seconds"),
        "updated_at": _stamp(record),
        "sealed": pulled.sealed,
        "documents": [
            {
                "slot": document.entry.slot,
                "status": str(document.entry.status),
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
    }


class PullFolder:
    """The officer's output directory."""

    def __init__(self, root: Path) -> None:
        self.root = root

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

    def is_current(self, record: SubmissionRecord, *, sealed: bool) -> bool:
        """Whether the submission's folder is complete and shows its latest state."""
        folder = self.root / folder_name(record)
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
            if final.exists():
                old = self.root / f".{final.name}{_OLD}{secrets.token_hex(4)}"
                final.rename(old)
                partial.rename(final)
                shutil.rmtree(old, ignore_errors=True)
            else:
                partial.rename(final)
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
                writer.writerow(CSV_COLUMNS)
                writer.writerows(_csv_row(submission) for submission in saved)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return len(saved)


def _csv_row(saved: dict[str, Any]) -> list[str]:
    documents = saved.get("documents") or []
    files = sum(1 for d in documents if d.get("file"))
    problems = "; ".join(f"{d.get('slot')}: {d['problem']}" for d in documents if d.get("problem"))
    values = {**saved, "documents": str(files), "problems": problems}
    return [_excel_cell(column, values.get(column)) for column in CSV_COLUMNS]


def _excel_cell(column: str, value: object) -> str:
    text = "" if value is None else str(value)
    if column in _IDENTIFIERS and _NUMBER.fullmatch(text):
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
