"""A document waiting for the pipeline, as the pipeline needs it (no database row attached),
and the one place an upload becomes such a pending document row."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.ext.asyncio import AsyncSession

from intake.events import Upload
from storage.models import Document, utcnow
from storage.states import DocumentStatus

__all__ = ["PendingDocument", "add_pending_document"]

_ADD_DOCUMENT = insert(cast(Table, Document.__table__))  # built once


@dataclass(frozen=True)
class PendingDocument:
    id: Any
    slot: str
    file_id: str
    file_unique_id: str
    commune_id: int | None
    chat_id: int
    message_id: int
    attempts: int


async def add_pending_document(
    session: AsyncSession,
    upload: Upload,
    *,
    slot: str,
    commune_id: int | None,
    lease: timedelta,
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
            "created_at": now,
        },
    )
    return pending
