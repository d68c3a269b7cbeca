"""Possible duplicates: the same document in two submissions of a commune — the same Telegram
file, or a picture whose fingerprint (`intake.photos`: a 256-bit difference hash of the
document) is within `MAX_DISTANCE` bits of the other's (a photo forwarded, recompressed or
resized again; different cards of one layout differ in 60 bits or more). Both submissions are
flagged `duplicate`, each naming the other's receipt under `duplicates`, for the officer to
look at: nothing is refused, since two households may rightly share a certificate page. A
match with a submission of the same person (the same CCCD, by its blind index: one owner's
several parcels, sent with the same ID card photo) is no duplicate."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Document, Submission, utcnow
from storage.repositories import fingerprints
from storage.states import DocumentStatus

__all__ = ["MAX_DISTANCE", "flag_duplicates"]

MAX_DISTANCE = 15  # bits of 256; within it two fingerprints always share one of 16 bands
_HEX_DIGITS = 64


def _distance(a: str, b: str) -> int:
    return (int(a, 16) ^ int(b, 16)).bit_count()


async def flag_duplicates(
    session: AsyncSession, submission: Submission, documents: Sequence[Document]
) -> list[str]:
    """Find and flag the submissions that hold one of `documents` (stored documents of
    `submission`); returns their receipts."""
    stored = [d for d in documents if d.status is DocumentStatus.STORED]
    found = {
        other_id: receipt
        for other_id, receipt, cccd_index in await fingerprints.same_files(
            session,
            submission.commune_id,
            [d.file_unique_id for d in stored],
            besides=submission.id,
        )
        if cccd_index != submission.cccd_index
    }
    for document in stored:
        mark = (document.metrics or {}).get("fingerprint")
        if not isinstance(mark, str) or len(mark) != _HEX_DIGITS:
            continue
        await fingerprints.record(session, document.id, submission.commune_id, mark)
        for candidate in await fingerprints.near(
            session, submission.commune_id, mark, besides=submission.id
        ):
            other = candidate.metrics.get("fingerprint")
            if candidate.cccd_index == submission.cccd_index:
                continue  # the same person's other submission
            if isinstance(other, str) and _distance(mark, other) <= MAX_DISTANCE:
                found[candidate.submission_id] = candidate.receipt_code
    if not found:
        return []
    _mark(submission, found.values())
    # locked (a follow-up page's verdict may be changing its flags meanwhile). Two submissions
    # A and B flagged at once can still deadlock on PostgreSQL (each transaction already holds
    # its own submission and waits for the other's); the sorted order only makes deadlocks
    # among the others rarer. A deadlock is a conflict: the callers' transaction runs again
    # (`run_again_on_conflict`) and finds the other already flagged.
    for other_id in sorted(found):
        other = await session.get(Submission, other_id, with_for_update=True)
        if other is not None:
            _mark(other, [submission.receipt_code])
            other.updated_at = utcnow()  # a pull writes its folder again
    return sorted(found.values())


def _mark(submission: Submission, receipts: Iterable[str]) -> None:
    flags = dict(submission.quality_flags or {})
    named = set(flags.get("duplicates", ())) | set(receipts)
    flags["duplicates"] = sorted(named)
    flags["flags"] = [*(f for f in flags.get("flags", ()) if f != "duplicate"), "duplicate"]
    submission.quality_flags = flags
