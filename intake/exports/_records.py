"""The submissions an export takes, read once for every kind of export: the officer's pull to a
folder, the console's XLSX and ZIP.

`read_records` reads the submissions a queue's query selects (the console's filter, or the
pull's commune, village and first day) with their fields decrypted, in one short read
transaction; `open_documents` then reads one submission's sealed files and opens them with the
commune identity (or leaves them sealed).

A submission's `documents` are its current ones, one per slot: the newest stored (or, while
none is stored yet, the newest still being checked). Every other document of the submission (a
page replaced at an officer's request, a photo refused by the checks) is in its `history`,
without its bytes: the person entering data sees each page once.
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from crypto import CryptoError, Identity, open_document
from storage.blobs import BlobPathError, BlobStore, BlobStoreUnavailable
from storage.deps import Deps
from storage.models import Blob, Commune, Document, Submission, Village
from storage.repositories import places, pull, reports
from storage.repositories.queue import QueueQuery
from storage.repositories.submissions import fields_of
from storage.states import DocumentStatus

__all__ = [
    "DocumentEntry",
    "DocumentProblem",
    "IdentityMismatch",
    "PulledDocument",
    "PulledSubmission",
    "SubmissionRecord",
    "open_document_entry",
    "open_documents",
    "read_records",
]


class IdentityMismatch(Exception):
    """The identity does not open the commune's documents (another commune's key, or none)."""

    def __init__(self, commune_code: str, commune_name: str) -> None:
        super().__init__(
            f"this identity does not open commune {commune_code}'s documents ({commune_name}):"
            " use that commune's key file"
        )


class DocumentProblem(StrEnum):
    MISSING = "missing"  # the blob file is gone from the store
    DAMAGED = "damaged"  # the blob's bytes no longer match the hash recorded when it was sealed
    WRONG_KEY = "wrong_key"  # none of the given identities opens it (a ZIP notes it and goes on)
    UNAVAILABLE = "unavailable"  # the object store cannot be reached now: export again later


@dataclass(frozen=True, slots=True)
class DocumentEntry:
    """One document of a submission as the database describes it."""

    slot: str
    status: DocumentStatus
    received_at: datetime
    content_type: str | None
    issues: dict[str, Any]
    metrics: dict[str, Any]
    blob_name: str | None
    blob_sha256: bytes | None


@dataclass(frozen=True, slots=True)
class SubmissionRecord:
    """A submission with its fields decrypted, without its documents' bytes."""

    receipt_code: str
    state: str
    commune_code: str
    commune_name: str
    village_code: str | None
    village_name: str | None
    route: str
    whose: str
    certificate_status: str
    certificate_serial: str | None
    map_sheet: str | None
    parcel_no: str | None
    holder_name: str
    cccd: str
    phone: str | None
    submitted_at: datetime
    updated_at: datetime  # the latest change of the submission or any of its documents
    flags: tuple[str, ...]  # what the checks want the officer to look at (`flag.*` texts)
    missing: tuple[str, ...]  # required slots without a document
    duplicates: tuple[str, ...]  # receipts of submissions holding the same document
    parcel_group: int | None  # the target list's group of its parcel (1, 2, 3), if it has one
    documents: tuple[DocumentEntry, ...]  # the current document of each slot
    history: tuple[DocumentEntry, ...]  # the replaced, refused and failed ones


@dataclass(frozen=True, slots=True)
class PulledDocument:
    entry: DocumentEntry
    data: bytes | None  # the opened document, or the sealed age file; None if not pulled
    sha256: str | None = None  # of the opened document's bytes
    problem: DocumentProblem | None = None


@dataclass(frozen=True, slots=True)
class PulledSubmission:
    record: SubmissionRecord
    documents: tuple[PulledDocument, ...]
    sealed: bool


async def read_records(deps: Deps, query: QueueQuery) -> tuple[SubmissionRecord, ...]:
    """The submissions `query` selects, in its order, with their fields decrypted: read in one
    short transaction, decrypted in a worker thread (thousands of fields: the event loop, which
    the bot shares, is not held)."""
    async with deps.database.sessions() as session:
        commune = await places.commune(session, query.commune_id)
        if commune is None:
            return ()
        submissions, documents = await pull.submissions_in_scope(session, query)
        by_parcel, by_cccd = await reports.target_groups(session, query.commune_id)
    return await asyncio.to_thread(
        lambda: tuple(
            _record(
                deps,
                row,
                village,
                commune,
                documents.get(row.id, []),
                parcel_group=_group_of(row, by_parcel, by_cccd),
            )
            for row, village in submissions
        )
    )


def _group_of(
    row: Submission, by_parcel: dict[tuple[str, str], int], by_cccd: dict[bytes, int]
) -> int | None:
    """The target list's group of the submission's parcel; by the owner's CCCD only when the
    submission names no parcel (an owner may hold parcels of several groups)."""
    if row.map_sheet and row.parcel_no:
        return by_parcel.get((row.map_sheet, row.parcel_no))
    return by_cccd.get(row.cccd_index) if row.cccd_index else None


def _record(
    deps: Deps,
    row: Submission,
    village: Village | None,
    commune: Commune,
    documents: Sequence[tuple[Document, Blob | None]],
    *,
    parcel_group: int | None,
) -> SubmissionRecord:
    opened = fields_of(deps.fields, row)
    quality = row.quality_flags or {}
    current, history = _current_and_history(_entries(documents))
    changes = [row.updated_at]
    for document, _ in documents:
        changes += [t for t in (document.created_at, document.stored_at, document.deleted_at) if t]
    return SubmissionRecord(
        receipt_code=row.receipt_code,
        state=str(row.state),
        commune_code=commune.code,
        commune_name=commune.name,
        village_code=village.code if village else None,
        village_name=village.name if village else None,
        route=str(row.route),
        whose=row.whose,
        certificate_status=str(row.certificate_status),
        certificate_serial=opened.serial,
        map_sheet=row.map_sheet,
        parcel_no=row.parcel_no,
        holder_name=opened.holder_name,
        cccd=opened.cccd,
        phone=opened.phone,
        submitted_at=row.submitted_at,
        updated_at=max(changes),
        flags=tuple(quality.get("flags", ())),
        missing=tuple(quality.get("missing", ())),
        duplicates=tuple(quality.get("duplicates", ())),
        parcel_group=parcel_group,
        documents=current,
        history=history,
    )


def _entries(documents: Sequence[tuple[Document, Blob | None]]) -> tuple[DocumentEntry, ...]:
    entries = []
    for document, blob in documents:
        live = blob if blob is not None and blob.deleted_at is None else None
        entries.append(
            DocumentEntry(
                slot=document.slot,
                status=document.status,
                received_at=document.created_at,
                content_type=document.content_type,
                issues=dict(document.issues or {}),
                metrics=dict(document.metrics or {}),
                blob_name=live.name if live else None,
                blob_sha256=live.sha256 if live else None,
            )
        )
    return tuple(entries)


def _current_and_history(
    entries: Sequence[DocumentEntry],
) -> tuple[tuple[DocumentEntry, ...], tuple[DocumentEntry, ...]]:
    """Each slot's current document (in the order the slots were first filled) and the rest;
    `entries` come oldest first."""
    current: dict[str, DocumentEntry] = {}
    for status in (DocumentStatus.PENDING, DocumentStatus.STORED):  # a stored one wins
        for entry in entries:
            if entry.status is status:
                current[entry.slot] = entry
    order = {slot: min(i for i, e in enumerate(entries) if e.slot == slot) for slot in current}
    chosen = sorted(current.values(), key=lambda entry: order[entry.slot])
    kept = {id(entry) for entry in chosen}
    return tuple(chosen), tuple(entry for entry in entries if id(entry) not in kept)


async def open_documents(
    deps: Deps, record: SubmissionRecord, identity: Identity | None
) -> PulledSubmission:
    """The submission's stored documents, opened with `identity`, or sealed if it is None.

    A missing or damaged blob is reported on its document; an identity that does not open a
    sound blob raises IdentityMismatch.
    """
    pulled = []
    for entry in record.documents:
        if entry.status is not DocumentStatus.STORED:
            pulled.append(PulledDocument(entry, None))
            continue
        keys = (identity,) if identity is not None else ()
        document = await asyncio.to_thread(open_document_entry, deps.blobs, entry, keys)
        if document is None:
            raise IdentityMismatch(record.commune_code, record.commune_name)
        pulled.append(document)
    return PulledSubmission(record, tuple(pulled), sealed=identity is None)


def open_document_entry(
    blobs: BlobStore, entry: DocumentEntry, identities: Sequence[Identity]
) -> PulledDocument | None:
    """The document's bytes opened with the first of `identities` that opens them, or sealed
    as stored when there are none; or its problem; None when no identity opens it."""
    if entry.blob_name is None:
        return PulledDocument(entry, None, problem=DocumentProblem.MISSING)
    try:
        data = blobs.read(entry.blob_name)
    except FileNotFoundError:
        return PulledDocument(entry, None, problem=DocumentProblem.MISSING)
    except BlobPathError:
        return PulledDocument(entry, None, problem=DocumentProblem.DAMAGED)
    except BlobStoreUnavailable:
        return PulledDocument(entry, None, problem=DocumentProblem.UNAVAILABLE)
    # Checked first so that a damaged file is not mistaken for a wrong identity.
    if entry.blob_sha256 is not None and hashlib.sha256(data).digest() != entry.blob_sha256:
        return PulledDocument(entry, None, problem=DocumentProblem.DAMAGED)
    if not identities:
        return PulledDocument(entry, data)
    for identity in identities:
        try:
            opened = open_document(data, identity)
        except CryptoError:
            continue
        return PulledDocument(entry, opened, hashlib.sha256(opened).hexdigest())
    return None
