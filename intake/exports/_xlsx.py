"""The console's XLSX of the fields: one row per submission on the first sheet (the exports'
table, as in `submissions.csv`), and the documents of every submission on the second (the
current ones, with the file name they have in the ZIP, then the replaced and refused ones).

Written by XlsxWriter in `constant_memory` mode: each row goes to a temporary file as soon as
the next starts, so 10,000 submissions take a few megabytes whatever the size (the figures are
in bench/README.md). Identifiers (CCCD, phone, serial, map sheet, parcel) are written as text
(their leading zeros stay), a time as an Excel date in Vietnam time, and nothing is ever a
formula: a text starting with `=` stays text.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Any

import xlsxwriter

from intake.exports._records import (
    DocumentEntry,
    PulledDocument,
    PulledSubmission,
    SubmissionRecord,
)
from intake.exports._table import (
    COLUMNS,
    csv_header,
    file_names,
    label,
    submission_fields,
    vietnam_time,
)
from intake.language import VIETNAM, Language, render

__all__ = ["DOCUMENT_COLUMNS", "write_xlsx"]

DOCUMENT_COLUMNS = (
    ("receipt", 11),
    ("holder", 24),
    ("slot", 26),
    ("current", 10),
    ("status", 14),
    ("received_at", 17),
    ("file", 22),
    ("content_type", 8),
    ("issues", 30),
    ("sealed_sha256", 66),
)
_DATE_FORMAT = "dd/mm/yyyy hh:mm"


def _saved(record: SubmissionRecord) -> dict[str, Any]:
    """A record's fields as every export writes them (without its documents' bytes)."""
    unopened = tuple(PulledDocument(entry, None) for entry in record.documents)
    return submission_fields(PulledSubmission(record, unopened, sealed=False))


def write_xlsx(
    path: Path, records: Iterable[SubmissionRecord], language: Language = Language.VI
) -> int:
    """Write the workbook to `path` (its temporary files beside it); the number of rows."""
    workbook = xlsxwriter.Workbook(
        str(path), {"constant_memory": True, "tmpdir": str(path.parent), "in_memory": False}
    )
    try:
        header = workbook.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        moment = workbook.add_format({"num_format": _DATE_FORMAT})
        submissions = workbook.add_worksheet(render(language, "export.sheet_submissions"))
        documents = workbook.add_worksheet(render(language, "export.sheet_documents"))
        for number, column in enumerate(COLUMNS):
            submissions.set_column(number, number, column.width)
        submissions.write_row(0, 0, csv_header(language), header)
        submissions.freeze_panes(1, 0)
        for number, (_, width) in enumerate(DOCUMENT_COLUMNS):
            documents.set_column(number, number, width)
        documents.write_row(
            0,
            0,
            [render(language, f"export.column.{name}") for name, _ in DOCUMENT_COLUMNS],
            header,
        )
        documents.freeze_panes(1, 0)
        rows = pages = 0
        for record in records:
            rows += 1
            saved = _saved(record)
            for number, column in enumerate(COLUMNS):
                value = column.value(saved, language)
                if value is None or value == "":
                    continue
                if column.moment:
                    submissions.write_datetime(rows, number, _excel_time(str(value)), moment)
                elif isinstance(value, int):
                    submissions.write_number(rows, number, value)
                else:
                    submissions.write_string(rows, number, str(value))
            for cells in _document_rows(record, language):
                pages += 1
                for number, value in enumerate(cells):
                    if isinstance(value, datetime):
                        documents.write_datetime(pages, number, value, moment)
                    elif value:
                        documents.write_string(pages, number, value)
        submissions.autofilter(0, 0, max(rows, 1), len(COLUMNS) - 1)
        documents.autofilter(0, 0, max(pages, 1), len(DOCUMENT_COLUMNS) - 1)
    finally:
        workbook.close()
    return rows


def _document_rows(record: SubmissionRecord, language: Language) -> Iterable[list[str | datetime]]:
    names = file_names(record.documents, sealed=False)
    for entries, current in ((record.documents, True), (record.history, False)):
        for number, entry in enumerate(entries):
            yield _document_row(
                record, entry, names[number] if current else None, current, language
            )


def _document_row(
    record: SubmissionRecord,
    entry: DocumentEntry,
    file: str | None,
    current: bool,
    language: Language,
) -> list[str | datetime]:
    issues = entry.issues.get("issues", ()) if isinstance(entry.issues, dict) else ()
    return [
        record.receipt_code,
        record.holder_name,
        label(language, "slot", entry.slot),
        render(language, "export.current_yes" if current else "export.current_no"),
        label(language, "export.status", entry.status),
        _excel_time(vietnam_time(entry.received_at)),
        file or "",
        entry.content_type or "",
        "; ".join(label(language, "issue", issue) for issue in issues),
        entry.blob_sha256.hex() if entry.blob_sha256 else "",
    ]


def _excel_time(text: str) -> datetime:
    """An export's time (ISO 8601 with its offset) as Excel keeps it: Vietnam's wall clock."""
    return datetime.fromisoformat(text).astimezone(VIETNAM).replace(tzinfo=None)
