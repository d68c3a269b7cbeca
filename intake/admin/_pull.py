"""The officer's pull: a commune's submissions with their fields decrypted and their documents
opened with the commune identity (or left sealed), one submission at a time.

`plan_pull` reads everything in scope in one short read transaction; `pull_submission` then reads
and opens one submission's blobs; `intake.pull_writer` puts them on disk. A day given by the
officer (`since`) is a Vietnam calendar day (UTC+7; Vietnam has no daylight saving time).

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
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from crypto import CryptoError, Identity, open_document
from intake.admin._keys import UnknownCommune
from intake.language import VIETNAM
from storage.blobs import BlobPathError, BlobStore
from storage.deps import Deps
from storage.models import Blob, Commune, Document, Submission, Village
from storage.repositories import places, pull
from storage.repositories.audit import append_event
from storage.repositories.places import commune_by_code
from storage.repositories.submissions import fields_of
from storage.states import ActorKind, DocumentStatus

__all__ = [
    "DocumentEntry",
    "DocumentProblem",
    "IdentityMismatch",
    "PullPlan",
    "PulledDocument",
    "PulledSubmission",
    "SubmissionRecord",
    "UnknownVillage",
    "check_identity",
    "plan_pull",
    "pull_submission",
    "record_pull",
]


class UnknownVillage(LookupError):
    def __init__(self, code: str, commune_code: str) -> None:
        super().__init__(f"there is no village {code!r} in commune {commune_code}")


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
    documents: tuple[DocumentEntry, ...]  # the current document of each slot
    history: tuple[DocumentEntry, ...]  # the replaced, refused and failed ones


@dataclass(frozen=True)
class PullPlan:
    commune_id: int
    commune_code: str
    village_code: str | None
    since: date | None
    submissions: tuple[SubmissionRecord, ...]


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


async def plan_pull(
    deps: Deps, commune_code: str, *, village_code: str | None = None, since: date | None = None
) -> PullPlan:
    """Every submission of the commune (and village) submitted on or after `since`."""
    async with deps.database.sessions() as session:
        commune = await commune_by_code(session, commune_code)
        if commune is None:
            raise UnknownCommune(commune_code)
        village_id = None
        if village_code is not None:
            village = await pull.village_of_commune(session, village_code, commune.id)
            if village is None:
                raise UnknownVillage(village_code, commune.code)
            village_id = village.id
        start = datetime.combine(since, time.min, VIETNAM) if since is not None else None
        submissions, documents = await pull.submissions_in_scope(
            session, commune.id, village_id, start
        )
    records = tuple(
        _record(deps, row, village, commune, documents.get(row.id, []))
        for row, village in submissions
    )
    return PullPlan(commune.id, commune.code, village_code, since, records)


def _record(
    deps: Deps,
    row: Submission,
    village: Village | None,
    commune: Commune,
    documents: Sequence[tuple[Document, Blob | None]],
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


async def pull_submission(
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
        document = await asyncio.to_thread(_pull_document, deps.blobs, entry, identity)
        if document is None:
            raise IdentityMismatch(record.commune_code, record.commune_name)
        pulled.append(document)
    return PulledSubmission(record, tuple(pulled), sealed=identity is None)


def _pull_document(
    blobs: BlobStore, entry: DocumentEntry, identity: Identity | None
) -> PulledDocument | None:
    """The document's bytes, or its problem; None when the identity does not open it."""
    if entry.blob_name is None:
        return PulledDocument(entry, None, problem=DocumentProblem.MISSING)
    try:
        data = blobs.read(entry.blob_name)
    except FileNotFoundError:
        return PulledDocument(entry, None, problem=DocumentProblem.MISSING)
    except BlobPathError:
        return PulledDocument(entry, None, problem=DocumentProblem.DAMAGED)
    # Checked first so that a damaged file is not mistaken for a wrong identity.
    if entry.blob_sha256 is not None and hashlib.sha256(data).digest() != entry.blob_sha256:
        return PulledDocument(entry, None, problem=DocumentProblem.DAMAGED)
    if identity is None:
        return PulledDocument(entry, data)
    try:
        opened = open_document(data, identity)
    except CryptoError:
        return None
    return PulledDocument(entry, opened, hashlib.sha256(opened).hexdigest())


async def check_identity(deps: Deps, plan: PullPlan, identity: Identity) -> None:
    """Refuse, before anything is written, an identity that is none of the commune's keys."""
    async with deps.database.sessions() as session:
        known = await pull.commune_key_recipients(session, plan.commune_id)
        commune = await places.commune(session, plan.commune_id)
    if identity.recipient not in known:
        raise IdentityMismatch(plan.commune_code, commune.name if commune else "")


async def record_pull(
    deps: Deps,
    plan: PullPlan,
    *,
    receipts: Sequence[str],
    skipped: int,
    sealed: bool,
    recipient: str | None,
    complete: bool,
) -> None:
    """The audit event of one pull: which submissions left the server, how and with which key."""
    async with deps.database.sessions.begin() as session:
        await append_event(
            session,
            actor_kind=ActorKind.ADMIN_CLI,
            actor_id=None,
            action="pull",
            commune_id=plan.commune_id,
            data={
                "count": len(receipts),
                "skipped": skipped,
                "sealed": sealed,
                "village": plan.village_code,
                "since": plan.since.isoformat() if plan.since else None,
                "recipient": recipient,
                "complete": complete,
                "receipts": list(receipts),
            },
        )
