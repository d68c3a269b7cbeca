"""The folder an officer pulls into: one sub-folder per submission and a `submissions.csv`.

Each sub-folder is named by receipt code and household name (`HP-7Q3K9 – Nguyễn Thị Hoà`, the
name reduced to what every file system accepts) and holds the submission's current documents
named by slot, with the extension of their sniffed type (`cccd_front.jpg`, or
`cccd_front.jpg.age` when sealed), and a `submission.json` (its fields, flags, current documents,
and the history of replaced or refused pages); names and contents are those of every export
(intake/exports). It is written under a hidden temporary name and renamed when complete, so a
folder that exists is whole. A folder is current, and is not pulled again, when its name is
right and its `submission.json` shows the same `updated_at` stamp, the same documents and the
same mode (sealed or opened) and it lacks no file; an interrupted pull run again therefore
finishes the rest. A folder of the same receipt under an older name (the name was corrected) is
replaced.

`pull_into_folder` runs a whole pull; the CLI only adds the progress bar.
`submissions.csv` is rebuilt after every pull from all `submission.json` files in the folder:
the exports' table (intake/exports), UTF-8 with a byte-order mark (so Vietnamese shows right
in Excel).
"""

from __future__ import annotations

import contextlib
import csv
import json
import os
import secrets
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from crypto import Identity
from intake.admin._pull import PullPlan, check_identity, record_pull
from intake.exports import (
    PulledSubmission,
    SubmissionRecord,
    csv_header,
    csv_row,
    document_file_names,
    folder_name,
    open_documents,
    safe_name,
    submission_fields,
    vietnam_time,
)
from intake.language import Language
from storage.deps import Deps

__all__ = [
    "CSV_FILE",
    "SUBMISSION_FILE",
    "PullFolder",
    "PullResult",
    "pull_into_folder",
]

SUBMISSION_FILE = "submission.json"
CSV_FILE = "submissions.csv"
_PARTIAL = ".partial-"
_OLD = ".old-"


def _is_folder_of(name: str, receipt_code: str) -> bool:
    receipt = safe_name(receipt_code)
    return name == receipt or name.startswith(f"{receipt} – ")


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
                saved["updated_at"] == vietnam_time(record.updated_at)
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
            text = json.dumps(submission_fields(pulled), ensure_ascii=False, indent=2)
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
                writer.writerows(csv_row(submission, self.language) for submission in saved)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
        return len(saved)


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
                pulled = await open_documents(deps, record, identity)
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
