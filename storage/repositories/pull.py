"""What an export reads: the submissions a queue's query selects (the console's filter, or the
pull's commune, village and first day), each with its village and its documents and their
blobs, in the query's order; and which keys a commune has ever had (an identity that is none
of them is refused before anything is written)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Blob, CommuneKey, Document, Submission, Village
from storage.repositories.queue import QueueQuery

__all__ = ["commune_key_recipients", "submissions_in_scope", "village_of_commune"]


async def village_of_commune(session: AsyncSession, code: str, commune_id: int) -> Village | None:
    return await session.scalar(
        select(Village).where(Village.code == code, Village.commune_id == commune_id)
    )


async def submissions_in_scope(
    session: AsyncSession, query: QueueQuery
) -> tuple[
    list[tuple[Submission, Village | None]], dict[uuid.UUID, list[tuple[Document, Blob | None]]]
]:
    """The submissions the query selects (with their village), in its order, and each one's
    documents (with their blobs) in the order they came."""
    scope = query.where()
    submissions: list[tuple[Submission, Village | None]] = [
        (submission, village)
        for submission, village in await session.execute(
            select(Submission, Village)
            .outerjoin(Village, Submission.village_id == Village.id)
            .where(*scope)
            .order_by(*_order(query))
        )
    ]
    documents: dict[uuid.UUID, list[tuple[Document, Blob | None]]] = {}
    for document, blob in await session.execute(
        select(Document, Blob)
        .join(Submission, Document.submission_id == Submission.id)
        .outerjoin(Blob, Document.blob_id == Blob.id)
        .where(*scope)
        .order_by(Document.created_at, Document.message_id, Document.id)
    ):
        if document.submission_id is not None:
            documents.setdefault(document.submission_id, []).append((document, blob))
    return submissions, documents


def _order(query: QueueQuery) -> tuple[Any, ...]:
    """The query's order, ties by receipt code (an export is the same each time it is made)."""
    if query.newest_first:
        return (Submission.submitted_at.desc(), Submission.receipt_code.desc())
    return (Submission.submitted_at.asc(), Submission.receipt_code.asc())


async def commune_key_recipients(session: AsyncSession, commune_id: int) -> set[str]:
    """Every key the commune has had, retired ones too."""
    rows = await session.scalars(
        select(CommuneKey.recipient).where(CommuneKey.commune_id == commune_id)
    )
    return set(rows)
