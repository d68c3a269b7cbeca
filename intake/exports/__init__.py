"""Exports of submissions, one code path for all of them: the records a selection takes (the
console's queue filter, or the pull's commune, village and first day) with their fields
decrypted (`_records`); one submission as every export writes it, the table's columns and the
folder and file names (`_table`); the console's XLSX (`_xlsx`) and streamed ZIP of the documents,
opened or sealed as stored (`_archive`). `hoso pull`'s folder is intake/admin's."""

from intake.exports._archive import CSV_NAME, ArchiveWriter
from intake.exports._records import (
    DocumentEntry,
    DocumentProblem,
    IdentityMismatch,
    PulledDocument,
    PulledSubmission,
    SubmissionRecord,
    open_document_entry,
    open_documents,
    read_records,
)
from intake.exports._table import (
    COLUMNS,
    Column,
    csv_cell,
    csv_header,
    csv_row,
    document_file_names,
    file_names,
    folder_name,
    label,
    safe_name,
    submission_fields,
    vietnam_time,
)
from intake.exports._xlsx import DOCUMENT_COLUMNS, write_xlsx

__all__ = [
    "COLUMNS",
    "CSV_NAME",
    "DOCUMENT_COLUMNS",
    "ArchiveWriter",
    "Column",
    "DocumentEntry",
    "DocumentProblem",
    "IdentityMismatch",
    "PulledDocument",
    "PulledSubmission",
    "SubmissionRecord",
    "csv_cell",
    "csv_header",
    "csv_row",
    "document_file_names",
    "file_names",
    "folder_name",
    "label",
    "open_document_entry",
    "open_documents",
    "read_records",
    "safe_name",
    "submission_fields",
    "vietnam_time",
    "write_xlsx",
]
