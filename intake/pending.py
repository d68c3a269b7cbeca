"""A document waiting for the pipeline, as the pipeline needs it (no database row attached),
and the one place an upload becomes such a pending document row.

Each attempt at a document writes its sealed file under a name derived from the document's id
and the attempt's number (`blob_name`), both recorded with the lease before the file exists:
a file that a crash left behind is recognised as no committed row's, and removed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from intake.events import Upload
from storage.blobs import BlobStore
from storage.models import Document, utcnow
from storage.states import DocumentStatus

__all__ = ["PendingDocument", "add_pending_document", "blob_name"]

_ADD_DOCUMENT = insert(cast(Table, Document.__table__))  # built once


@dataclass(frozen=True)
class PendingDocument:
    id: uuid.UUID
    slot: str
    file_id: str
    file_unique_id: str
    commune_id: int | None
    chat_id: int
    message_id: int
    attempts: int  # this attempt's number: its verdict commits only while it is the latest

    @property
    def blob_name(self) -> str:
        """Where this attempt writes the sealed file."""
        return blob_name(self.id, self.attempts)


def blob_name(document_id: uuid.UUID, attempt: int) -> str:
    return BlobStore.derived_name(document_id.bytes + attempt.to_bytes(4, "big"))


async def add_pending_document(
    session: AsyncSession,
    upload: Upload,
    *,
    slot: str,
    commune_id: int | None,
    lease: timedelta,
    leased_by: uuid.UUID | None = None,
    draft_id: uuid.UUID | None = None,
    submission_id: uuid.UUID | None = None,
) -> PendingDocument:
    """Add the pending row of an upload (of a draft, or of a submission for "needs info").

    The calling process takes it at once (the lease is its claim); after a crash, another
    process takes it when the lease ends. Its draft or submission row must be flushed already:
    the row is inserted at once, as a plain statement (every photo runs it).
    """
    pending = PendingDocument(
        id=uuid.uuid4(),
        slot=slot,
        file_id=upload.file_id,
        file_unique_id=upload.file_unique_id,
        commune_id=commune_id,
        chat_id=upload.actor.chat_id,
        message_id=upload.message_id,
        attempts=1,
    )
    now = utcnow()
    connection = await session.connection()
    await connection.execute(
        _ADD_DOCUMENT,
        {
            "id": pending.id,
            "draft_id": draft_id,
            "submission_id": submission_id,
            "commune_id": commune_id,
            "slot": slot,
            "status": DocumentStatus.PENDING,
            "as_file": upload.kind.value == "file",
            "telegram_file_id": upload.file_id,
            "file_unique_id": upload.file_unique_id,
            "file_size": upload.file_size,
            "media_group_id": upload.media_group_id,
            "chat_id": upload.actor.chat_id,
            "message_id": upload.message_id,
            "attempts": 1,
            "not_before": now + lease,
            "leased_by": leased_by,
            "created_at": now,
        },
    )
    return pending
