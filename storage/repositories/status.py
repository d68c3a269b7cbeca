"""The counts `hoso status` shows: provinces with their communes and keys, rows of each kind,
submissions, documents and outbox rows by state, the blob store's size (the processes and their
leases: processes.py); and the backlog `/metrics` reads (bot/metrics.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import (
    Base,
    Blob,
    Commune,
    CommuneKey,
    Document,
    Outbox,
    Province,
    Submission,
)
from storage.states import DocumentStatus, OutboxStatus

__all__ = [
    "BacklogRow",
    "backlog",
    "blob_bytes",
    "count_rows",
    "documents_by_status",
    "outbox_by_status",
    "provinces_with_keys",
    "submissions_by_state",
]


async def count_rows(session: AsyncSession, model: type[Base]) -> int:
    return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def provinces_with_keys(session: AsyncSession) -> list[tuple[Province, int, int]]:
    """Each province with its communes and how many of them have an active key."""
    found = []
    for province in await session.scalars(select(Province).order_by(Province.code)):
        communes = await session.scalar(
            select(func.count()).where(Commune.province_id == province.id)
        )
        keyed = await session.scalar(
            select(func.count(func.distinct(CommuneKey.commune_id)))
            .join(Commune, Commune.id == CommuneKey.commune_id)
            .where(Commune.province_id == province.id, CommuneKey.retired_at.is_(None))
        )
        found.append((province, int(communes or 0), int(keyed or 0)))
    return found


async def _grouped(session: AsyncSession, column: Any) -> dict[str, int]:
    rows = await session.execute(select(column, func.count()).group_by(column))
    return {str(key): int(value) for key, value in rows}


async def submissions_by_state(session: AsyncSession) -> dict[str, int]:
    return await _grouped(session, Submission.state)


async def documents_by_status(session: AsyncSession) -> dict[str, int]:
    return await _grouped(session, Document.status)


async def outbox_by_status(session: AsyncSession) -> dict[str, int]:
    return await _grouped(session, Outbox.status)


async def blob_bytes(session: AsyncSession) -> int:
    """The size of the blobs not deleted."""
    total = await session.scalar(
        select(func.coalesce(func.sum(Blob.size), 0)).where(Blob.deleted_at.is_(None))
    )
    return int(total or 0)


@dataclass(frozen=True)
class BacklogRow:
    documents_pending: int
    outbox_pending: int
    outbox_oldest: datetime | None  # the oldest unsent row's creation


async def backlog(session: AsyncSession) -> BacklogRow:
    """Documents not yet checked, and outbox rows not yet sent with the oldest one's age."""
    documents = await session.scalar(
        select(func.count()).where(Document.status == DocumentStatus.PENDING)
    )
    outbox = (
        await session.execute(
            select(func.count(), func.min(Outbox.created_at)).where(
                Outbox.status == OutboxStatus.PENDING
            )
        )
    ).one()
    return BacklogRow(int(documents or 0), int(outbox[0] or 0), outbox[1])
