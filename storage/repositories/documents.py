"""Documents (a photo or file in one slot of a draft or a submission) and their sealed blobs:
pending rows and their leases, verdicts, deletions, and the questions other services ask
(which slots a submission has, which files rows own).

A document's attempt number is its fencing token: a claim starts a new attempt, and a verdict
settles the document only while its attempt is the latest (`settle`, `retry_later`). The
attempts that found the blob store unavailable are counted apart (`store_waits`), so that an
outage does not use up the document's tries.

Speed (bench/README.md, third round): every photo inserts its pending row and settles its
verdict, so those statements are built once and run as plain statements rather than through
the ORM's unit of work (which cost about twice as much). The settle is conditional on the row
still being pending at this attempt: on PostgreSQL the UPDATE locks the row and re-checks the
condition after a concurrent settle, so a document is settled exactly once without a separate
locking read.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Blob, DatabaseIdentity, Document, FingerprintBand, utcnow
from storage.states import DocumentStatus

__all__ = [
    "Settled",
    "add_blob",
    "add_pending",
    "claim_due",
    "database_id",
    "delete_documents",
    "documents_of_draft",
    "documents_of_submission",
    "erase_documents",
    "live_blob_names",
    "pending_attempts",
    "retry_later",
    "settle",
    "slots_of_submission",
    "stored_in_slot",
]

_DOCUMENTS = cast(Table, Document.__table__)
_ADD_DOCUMENT = insert(_DOCUMENTS)
_ADD_BLOB = insert(cast(Table, Blob.__table__))
_THIS_ATTEMPT = (
    (_DOCUMENTS.c.id == bindparam("document_id"))
    & (_DOCUMENTS.c.status == DocumentStatus.PENDING)
    & (_DOCUMENTS.c.attempts == bindparam("attempt"))
)
_RETRY = (
    update(_DOCUMENTS)
    .where(_THIS_ATTEMPT)
    .values(not_before=bindparam("until"), last_error=bindparam("error"), leased_by=None)
)
_WAIT_FOR_STORE = _RETRY.values(store_waits=_DOCUMENTS.c.store_waits + 1)
_SETTLE = (
    update(_DOCUMENTS)
    .where(_THIS_ATTEMPT)
    .values(
        status=bindparam("status"),
        blob_id=bindparam("blob_id"),
        stored_at=bindparam("stored_at"),
        content_type=bindparam("content_type"),
        metrics=bindparam("metrics"),
        issues=bindparam("issues"),
        last_error=bindparam("last_error"),
    )
    .returning(_DOCUMENTS.c.draft_id, _DOCUMENTS.c.submission_id)
)

Settled = Row[tuple[uuid.UUID | None, uuid.UUID | None]]  # the draft and submission it is of


async def add_pending(session: AsyncSession, values: dict[str, Any]) -> None:
    """Insert a pending document's row (its draft's or submission's row must be flushed)."""
    await (await session.connection()).execute(_ADD_DOCUMENT, values)


async def claim_due(
    session: AsyncSession,
    *,
    now: datetime,
    lease_until: datetime,
    holder: uuid.UUID | None,
    limit: int,
    skip_locked: bool,
) -> list[Document]:
    """Lease the pending documents that are due (a lease or a retry's wait ran out), oldest
    first; each claim is a new attempt."""
    query = (
        select(Document)
        .where(
            Document.status == DocumentStatus.PENDING,
            or_(Document.not_before.is_(None), Document.not_before <= now),
        )
        .order_by(Document.created_at)
        .limit(limit)
    )
    if skip_locked:
        query = query.with_for_update(skip_locked=True)
    rows = list(await session.scalars(query))
    for row in rows:
        row.not_before = lease_until
        row.leased_by = holder
        row.attempts += 1
    return rows


async def database_id(session: AsyncSession) -> uuid.UUID:
    """This database's id, which the blob store's owner marker holds (migration 0011)."""
    found: uuid.UUID | None = await session.scalar(select(DatabaseIdentity.database_id))
    if found is None:
        raise LookupError("the database has no identity row: run its migrations")
    return found


async def retry_later(
    session: AsyncSession,
    document_id: uuid.UUID,
    attempt: int,
    *,
    until: datetime,
    error: str,
    store_unavailable: bool = False,
) -> None:
    """Try the document again at `until` (unless a newer attempt has taken it meanwhile);
    `store_unavailable`: this attempt is not counted toward giving the document up."""
    await (await session.connection()).execute(
        _WAIT_FOR_STORE if store_unavailable else _RETRY,
        {"document_id": document_id, "attempt": attempt, "until": until, "error": error[:200]},
    )


async def add_blob(session: AsyncSession, values: dict[str, Any]) -> None:
    """Record a sealed file (before the document row that refers to it)."""
    await (await session.connection()).execute(_ADD_BLOB, values)


async def settle(
    session: AsyncSession, document_id: uuid.UUID, attempt: int, values: dict[str, Any]
) -> Settled | None:
    """Settle the document with its verdict's values; None when it was no longer pending at
    this attempt (settled elsewhere, discarded, or a newer attempt took it)."""
    connection = await session.connection()
    fence = {"document_id": document_id, "attempt": attempt}
    return (await connection.execute(_SETTLE, {**fence, **values})).first()


async def documents_of_draft(
    session: AsyncSession,
    draft_id: uuid.UUID,
    *,
    file_unique_id: str | None = None,
    unsubmitted: bool = False,
) -> list[Document]:
    query = select(Document).where(Document.draft_id == draft_id)
    if file_unique_id is not None:
        query = query.where(Document.file_unique_id == file_unique_id)
    if unsubmitted:
        query = query.where(Document.submission_id.is_(None))
    return list(await session.scalars(query))


async def documents_of_submission(
    session: AsyncSession, submission_id: uuid.UUID
) -> list[Document]:
    return list(
        await session.scalars(select(Document).where(Document.submission_id == submission_id))
    )


async def stored_in_slot(
    session: AsyncSession, submission_id: uuid.UUID, slot: str, *, besides: uuid.UUID
) -> list[Document]:
    """A submission's stored documents in `slot`, other than `besides` (the ones it replaces)."""
    return list(
        await session.scalars(
            select(Document).where(
                Document.submission_id == submission_id,
                Document.slot == slot,
                Document.id != besides,
                Document.status == DocumentStatus.STORED,
            )
        )
    )


async def slots_of_submission(
    session: AsyncSession,
    submission_id: uuid.UUID,
    statuses: Sequence[DocumentStatus] = (DocumentStatus.STORED,),
) -> list[str]:
    """The slots of a submission's documents in these states, in the order they came."""
    rows = await session.scalars(
        select(Document.slot)
        .where(Document.submission_id == submission_id, Document.status.in_(statuses))
        .order_by(Document.created_at)
    )
    return list(rows)


async def delete_documents(session: AsyncSession, documents: Sequence[Document]) -> list[str]:
    """Destroy documents however they go (a retake, a withdrawal, an expired draft, retention,
    `/delete`): rows and their blobs marked deleted, and the means to have the picture again
    forgotten — the Telegram file id (with which the bot could fetch it from Telegram) and the
    fingerprint (and its bands); the row keeps its slot, type, sizes, quality figures and
    dates. Returns the blob names whose files are to be removed once the transaction has
    committed."""
    names = []
    now = utcnow()
    for document in documents:
        if document.status is DocumentStatus.DELETED:
            continue
        if document.blob_id is not None:
            blob = await session.get(Blob, document.blob_id)
            if blob is not None and blob.deleted_at is None:
                blob.deleted_at = now
                names.append(blob.name)
        document.status = DocumentStatus.DELETED
        document.deleted_at = now
        document.telegram_file_id = ""
        if "fingerprint" in (document.metrics or {}):
            document.metrics = {k: v for k, v in document.metrics.items() if k != "fingerprint"}
    if documents:
        await session.execute(
            delete(FingerprintBand).where(
                FingerprintBand.document_id.in_([document.id for document in documents])
            )
        )
    return names


async def erase_documents(
    session: AsyncSession,
    *,
    submission_ids: Sequence[uuid.UUID] = (),
    draft_ids: Sequence[uuid.UUID] = (),
) -> tuple[int, list[str]]:
    """Delete the rows of these submissions' and drafts' documents, whatever their status
    (their fingerprints go with them); their blobs are marked deleted. Returns how many rows
    were deleted and the blob names whose files are to be removed once committed."""
    if not submission_ids and not draft_ids:
        return 0, []
    found = list(
        await session.scalars(
            select(Document).where(
                or_(
                    Document.submission_id.in_(submission_ids),
                    Document.draft_id.in_(draft_ids),
                )
            )
        )
    )
    names = await delete_documents(session, found)
    for document in found:
        await session.delete(document)
    await session.flush()
    return len(found), names


async def pending_attempts(session: AsyncSession) -> list[tuple[uuid.UUID, int]]:
    """Every pending document's id and current attempt."""
    rows = await session.execute(
        select(Document.id, Document.attempts).where(Document.status == DocumentStatus.PENDING)
    )
    return [(document_id, attempt) for document_id, attempt in rows]


async def live_blob_names(session: AsyncSession, names: Sequence[str]) -> set[str]:
    """Which of these names belong to a blob row that is not deleted."""
    owned: set[str] = set()
    for start in range(0, len(names), 500):  # names per IN (…) query
        chunk = names[start : start + 500]
        owned.update(
            await session.scalars(
                select(Blob.name).where(Blob.name.in_(chunk), Blob.deleted_at.is_(None))
            )
        )
    return owned
