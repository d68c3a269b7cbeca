"""The bands of stored documents' fingerprints, and the look-ups that find possible duplicates:
another submission's document with the same Telegram file, or whose fingerprint shares a band
(the caller compares the whole fingerprints)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, delete, insert, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Document, FingerprintBand, Submission
from storage.states import DocumentStatus, SubmissionState

__all__ = ["BANDS", "Candidate", "bands_of", "near", "record", "same_files"]

BANDS = 16  # of 16 bits each: fingerprints within 15 bits of each other share one
_BAND_BITS = 16
_MASK = (1 << _BAND_BITS) - 1


def bands_of(fingerprint: str) -> list[int]:
    value = int(fingerprint, 16)
    return [(value >> (_BAND_BITS * band)) & _MASK for band in range(BANDS)]


@dataclass(frozen=True)
class Candidate:
    submission_id: uuid.UUID
    receipt_code: str
    cccd_index: bytes
    metrics: dict[str, Any]


async def record(
    session: AsyncSession, document_id: uuid.UUID, commune_id: int, fingerprint: str
) -> None:
    """The document's bands (again, if it had some)."""
    await session.execute(
        delete(FingerprintBand).where(FingerprintBand.document_id == document_id)
    )
    await session.execute(
        insert(FingerprintBand),
        [
            {"document_id": document_id, "band": band, "commune_id": commune_id, "value": value}
            for band, value in enumerate(bands_of(fingerprint))
        ],
    )


_LIVE = (
    Document.status == DocumentStatus.STORED,
    Submission.state != SubmissionState.WITHDRAWN,
)


async def near(
    session: AsyncSession, commune_id: int, fingerprint: str, *, besides: uuid.UUID
) -> list[Candidate]:
    """Stored documents of the commune's other submissions sharing a band with `fingerprint`."""
    shares = or_(
        *(
            and_(FingerprintBand.band == band, FingerprintBand.value == value)
            for band, value in enumerate(bands_of(fingerprint))
        )
    )
    rows = await session.execute(
        select(
            Document.submission_id,
            Submission.receipt_code,
            Submission.cccd_index,
            Document.metrics,
        )
        .join(FingerprintBand, FingerprintBand.document_id == Document.id)
        .join(Submission, Submission.id == Document.submission_id)
        .where(FingerprintBand.commune_id == commune_id, shares, Submission.id != besides, *_LIVE)
    )  # a document sharing several bands comes once per band (JSON has no DISTINCT)
    return [Candidate(s, r, c, dict(m or {})) for s, r, c, m in rows]


async def same_files(
    session: AsyncSession, commune_id: int, file_unique_ids: Sequence[str], *, besides: uuid.UUID
) -> list[tuple[uuid.UUID, str, bytes | None]]:
    """(submission id, receipt, CCCD blind index: None once erased) of the commune's other
    submissions holding one of the same Telegram files."""
    if not file_unique_ids:
        return []
    rows = await session.execute(
        select(Submission.id, Submission.receipt_code, Submission.cccd_index)
        .join(Document, Document.submission_id == Submission.id)
        .where(
            Document.commune_id == commune_id,
            Document.file_unique_id.in_(file_unique_ids),
            Submission.id != besides,
            *_LIVE,
        )
        .distinct()
    )
    return [(s, r, c) for s, r, c in rows]
