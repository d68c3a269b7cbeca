"""The console's rows: one-time sign-in links, signed-in sessions, a submission's documents with
their blobs, and its event history. (The queue's query is `storage.repositories.queue`.)"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Blob,
    CommuneKey,
    ConsoleLink,
    ConsoleSession,
    Document,
    Event,
    Staff,
    Submission,
)
from storage.states import ActorKind

__all__ = [
    "add_link",
    "add_session",
    "document_with_blob",
    "documents_with_blobs",
    "end_session",
    "events_of_submission",
    "link_by_hash",
    "locked_identities",
    "session_for_update",
    "unlock_failures",
    "use_link",
]


async def add_link(session: AsyncSession, link: ConsoleLink) -> None:
    session.add(link)


async def link_by_hash(session: AsyncSession, token_hash: bytes) -> ConsoleLink | None:
    return await session.scalar(select(ConsoleLink).where(ConsoleLink.token_hash == token_hash))


async def use_link(session: AsyncSession, link: ConsoleLink, at: datetime) -> bool:
    """Mark the link used, if no one has (one conditional update: two openings at once cannot
    both succeed); True if this call used it."""
    result = await session.execute(
        update(ConsoleLink)
        .where(ConsoleLink.id == link.id, ConsoleLink.used_at.is_(None))
        .values(used_at=at)
        .execution_options(synchronize_session=False)
    )
    return bool(getattr(result, "rowcount", 0))


async def add_session(session: AsyncSession, row: ConsoleSession) -> None:
    session.add(row)


async def session_for_update(
    session: AsyncSession, key_hash: bytes
) -> tuple[ConsoleSession, Staff] | None:
    """A session that has not ended, with its staff member."""
    found = (
        await session.execute(
            select(ConsoleSession, Staff)
            .join(Staff, Staff.id == ConsoleSession.staff_id)
            .where(ConsoleSession.key_hash == key_hash, ConsoleSession.ended_at.is_(None))
            .with_for_update(of=ConsoleSession)
        )
    ).first()
    return (found[0], found[1]) if found else None


async def end_session(
    session: AsyncSession, row: ConsoleSession, at: datetime, reason: str
) -> None:
    await session.execute(
        update(ConsoleSession)
        .where(ConsoleSession.id == row.id, ConsoleSession.ended_at.is_(None))
        .values(ended_at=at, ended_reason=reason)
    )


async def documents_with_blobs(
    session: AsyncSession, submission_id: uuid.UUID
) -> list[tuple[Document, Blob | None]]:
    """The submission's documents that are not deleted, oldest first, with their blobs."""
    rows = await session.execute(
        select(Document, Blob)
        .outerjoin(Blob, Blob.id == Document.blob_id)
        .where(Document.submission_id == submission_id, Document.deleted_at.is_(None))
        .order_by(Document.created_at, Document.id)
    )
    return [(document, blob) for document, blob in rows]


async def document_with_blob(
    session: AsyncSession, document_id: uuid.UUID
) -> tuple[Document, Blob | None, Submission] | None:
    row = (
        await session.execute(
            select(Document, Blob, Submission)
            .join(Submission, Submission.id == Document.submission_id)
            .outerjoin(Blob, Blob.id == Document.blob_id)
            .where(Document.id == document_id, Document.deleted_at.is_(None))
        )
    ).first()
    return (row[0], row[1], row[2]) if row else None


async def events_of_submission(session: AsyncSession, submission_id: uuid.UUID) -> list[Event]:
    """The submission's history, oldest first."""
    return list(
        await session.scalars(
            select(Event).where(Event.submission_id == submission_id).order_by(Event.id)
        )
    )


async def locked_identities(session: AsyncSession, commune_id: int) -> list[bytes]:
    """The passphrase-locked identities of the commune's active keys, newest first."""
    return list(
        await session.scalars(
            select(CommuneKey.identity_locked)
            .where(
                CommuneKey.commune_id == commune_id,
                CommuneKey.retired_at.is_(None),
                CommuneKey.identity_locked.is_not(None),
            )
            .order_by(CommuneKey.id.desc())
        )
    )


async def unlock_failures(session: AsyncSession, staff_id: int, *, since: datetime) -> int:
    """The staff member's wrong passphrases since `since` and after their last unlock."""
    mine = (
        Event.actor_kind == ActorKind.STAFF,
        Event.actor_id == str(staff_id),
        Event.at >= since,
    )
    last_success = await session.scalar(
        select(func.max(Event.id)).where(*mine, Event.action == "console_unlocked")
    )
    query = select(func.count()).where(*mine, Event.action == "console_unlock_failed")
    if last_success is not None:
        query = query.where(Event.id > last_success)
    return await session.scalar(query) or 0
