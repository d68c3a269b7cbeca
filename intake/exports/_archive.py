"""The console's ZIP of the documents, streamed: never built in memory or on disk.

One folder per submission, named as in a pull folder (`HP-7Q3K9 – Nguyễn Thị Hoà/`), holding its
current documents (`cccd_front.jpg`, opened with the session's unlocked commune key; or
`cccd_front.jpg.age`, the sealed file exactly as stored, which the standard `age` tool opens
with the commune identity) and its `submission.json`; at the end `submissions.csv`, the table of
every submission in the archive (UTF-8 with a byte-order mark, as `hoso pull` writes it).

`ArchiveWriter.chunks` is a plain generator: each document is read, checked against the hash
recorded when it was sealed, opened, and handed to zipstream-ng (stored, not recompressed: the
photos are JPEGs already) one at a time, so memory holds one document and the chunk being sent.
It does blocking work: the console runs it in a worker thread, a batch of chunks per step. A
document missing, damaged, not opened by the key or unavailable (the object store cannot be
reached: export again later) leaves its file out; its `submission.json` and the table's "File
problems" column say which and why.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Generator, Sequence
from dataclasses import dataclass, field
from typing import Any

from zipstream import ZipStream

from crypto import Identity
from intake.exports._records import (
    DocumentEntry,
    DocumentProblem,
    PulledDocument,
    PulledSubmission,
    SubmissionRecord,
    open_document_entry,
)
from intake.exports._table import (
    csv_header,
    csv_row,
    document_file_names,
    folder_name,
    submission_fields,
)
from intake.language import Language
from storage.blobs import BlobStore
from storage.states import DocumentStatus

__all__ = ["CSV_NAME", "ArchiveWriter"]

CSV_NAME = "submissions.csv"


@dataclass
class ArchiveWriter:
    """One ZIP of `records`' documents: opened with `identities`, or sealed when there are
    none. Its counts are kept as it goes (the audit event of an interrupted download says how
    far it got)."""

    blobs: BlobStore
    records: Sequence[SubmissionRecord]
    identities: Sequence[Identity]
    language: Language = Language.VI
    submissions: int = 0  # written whole so far
    files: int = 0
    size: int = 0  # bytes of the archive streamed
    problems: int = 0
    complete: bool = False
    _table: list[dict[str, Any]] = field(default_factory=list)

    @property
    def sealed(self) -> bool:
        return not self.identities

    def chunks(self) -> Generator[bytes, None, None]:
        stream = ZipStream(sized=False)
        for record in self.records:
            self._add(stream, record)
            for chunk in stream.all_files():
                self.size += len(chunk)
                yield chunk
            self.submissions += 1
        stream.add(self._csv(), CSV_NAME)
        for chunk in stream.finalize():
            self.size += len(chunk)
            yield chunk
        self.complete = True

    def _add(self, stream: ZipStream, record: SubmissionRecord) -> None:
        folder = folder_name(record)
        documents = tuple(self._open(entry) for entry in record.documents)
        pulled = PulledSubmission(record, documents, sealed=self.sealed)
        for document, name in zip(documents, document_file_names(pulled), strict=True):
            if document.data is not None and name is not None:
                stream.add(document.data, f"{folder}/{name}")
                self.files += 1
        saved = submission_fields(pulled)
        text = json.dumps(saved, ensure_ascii=False, indent=2) + "\n"
        stream.add(text.encode(), f"{folder}/submission.json")
        self.problems += sum(1 for document in documents if document.problem is not None)
        self._table.append(saved)

    def _open(self, entry: DocumentEntry) -> PulledDocument:
        if entry.status is not DocumentStatus.STORED:
            return PulledDocument(entry, None)
        opened = open_document_entry(self.blobs, entry, self.identities)
        if opened is None:
            return PulledDocument(entry, None, problem=DocumentProblem.WRONG_KEY)
        return opened

    def _csv(self) -> bytes:
        text = io.StringIO()
        writer = csv.writer(text)
        writer.writerow(csv_header(self.language))
        writer.writerows(csv_row(saved, self.language) for saved in self._table)
        return text.getvalue().encode("utf-8-sig")
