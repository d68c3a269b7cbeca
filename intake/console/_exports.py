"""The console's exports: exactly the submissions the queue's filter shows (place, state,
dates, search; every page of it, in its order) as an XLSX of the fields, or as a ZIP of the
documents, opened with the session's unlocked commune key or sealed as stored. The files are
those of every export (intake/exports), so they read like `hoso pull`'s folder.

Who may: the policy's `export` (officers of the commune, the province's admins; a village chief
may not). A filter with nothing in it is refused with a clear page (no empty file), as is one
over `MAX_EXPORT` submissions (one request's records are held in memory while the file is
written: filter by village or dates and export in parts), and an opened ZIP without an unlocked
key. The same filter refused by the queue (another commune's, another village's) is refused
here the same way, recorded and answered like a page that does not exist.

Each export is an audit event (`export`), written when the download ends, with its kind, its
filter (a search text is recorded as given or not, never as typed: it may be a name or a CCCD),
the receipts it held, the counts written, and whether it completed: a client that went away
mid-download leaves `complete: false`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from crypto import Identity
from intake.console._filters import QueueFilter
from intake.exports import SubmissionRecord, safe_name

__all__ = ["MAX_EXPORT", "Export", "ExportKind", "ExportRefused"]

MAX_EXPORT = 20_000  # submissions in one export (a commune's campaign is a few thousand)


class ExportKind(StrEnum):
    XLSX = "xlsx"  # the fields
    ZIP = "zip"  # the documents, opened
    SEALED = "sealed"  # the documents as stored (`.age`)

    @property
    def extension(self) -> str:
        return "xlsx" if self is ExportKind.XLSX else "zip"


class ExportRefused(Exception):
    """Nothing to export, too much, no key unlocked, or not the reader's to export; `key` is the
    message to show."""

    def __init__(self, key: str, status: int, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.status = status
        self.params = params


@dataclass(frozen=True)
class Export:
    """An export the reader may make: what the filter selected, read once."""

    kind: ExportKind
    commune_id: int
    commune_code: str
    filter: QueueFilter
    records: tuple[SubmissionRecord, ...]
    identities: tuple[Identity, ...]  # for an opened ZIP; empty otherwise

    def filename(self, stamp: str) -> str:
        """`hoso-24175-20261204-0930.xlsx`; `…-sealed.zip` for the sealed files."""
        sealed = "-sealed" if self.kind is ExportKind.SEALED else ""
        return f"hoso-{safe_name(self.commune_code)}-{stamp}{sealed}.{self.kind.extension}"
