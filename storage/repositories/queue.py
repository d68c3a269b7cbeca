"""The staff queue as the database answers it: a place (commune, village or triage queue), the
states shown, the order, and a search (receipt, CCCD blind index, parcel, or the ids whose
decrypted names matched); a page with village names and counts by state, and the submission that
follows another in the same order."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Submission
from storage.models import Village as VillageRow
from storage.states import SubmissionState

__all__ = [
    "Position",
    "QueueQuery",
    "count_queue",
    "names_in_scope",
    "next_in_queue",
    "search_queue",
]


@dataclass(frozen=True)
class QueueQuery:
    """The part of a queue's filter the database answers (the console's and Telegram's).
    `village_id` None with `triage` False: every village; `since`/`until`: submitted at or
    after, and before (either may be None); `ids`: the submissions whose (decrypted) name
    matched, or None."""

    commune_id: int
    village_id: int | None
    triage: bool
    states: Sequence[SubmissionState] | None
    excluded: Sequence[SubmissionState]
    newest_first: bool
    receipt: str | None = None
    cccd_index: bytes | None = None
    map_sheet: str | None = None
    parcel_no: str | None = None
    ids: frozenset[uuid.UUID] | None = None
    searched: bool = False  # a search was asked for: with nothing to match, nothing matches
    since: datetime | None = None
    until: datetime | None = None

    def place(self) -> list[ColumnElement[bool]]:
        where = [Submission.commune_id == self.commune_id]
        if self.triage:
            where.append(Submission.village_id.is_(None))
        elif self.village_id is not None:
            where.append(Submission.village_id == self.village_id)
        return where

    def dated(self) -> list[ColumnElement[bool]]:
        """The place and the dates."""
        where = self.place()
        if self.since is not None:
            where.append(Submission.submitted_at >= self.since)
        if self.until is not None:
            where.append(Submission.submitted_at < self.until)
        return where

    def listed(self) -> list[ColumnElement[bool]]:
        """The place, the dates and the states, without the search."""
        where = self.dated()
        if self.states is not None:
            where.append(Submission.state.in_(self.states))
        else:
            where.append(Submission.state.not_in(self.excluded))
        return where

    def where(self) -> list[ColumnElement[bool]]:
        where = self.listed()
        matches: list[ColumnElement[bool]] = []
        if self.receipt is not None:
            matches.append(Submission.receipt_code == self.receipt)
        if self.cccd_index is not None:
            matches.append(Submission.cccd_index == self.cccd_index)
        if self.map_sheet is not None and self.parcel_no is not None:
            matches.append(
                (Submission.map_sheet == self.map_sheet) & (Submission.parcel_no == self.parcel_no)
            )
        elif self.parcel_no is not None:
            matches.append(
                or_(Submission.map_sheet == self.parcel_no, Submission.parcel_no == self.parcel_no)
            )
        if self.ids is not None:
            matches.append(Submission.id.in_(self.ids) if self.ids else Submission.id.is_(None))
        if matches:
            where.append(or_(*matches))
        elif self.searched:
            where.append(false())
        return where

    def order(self) -> tuple[Any, ...]:
        if self.newest_first:
            return (Submission.submitted_at.desc(), Submission.id.desc())
        return (Submission.submitted_at.asc(), Submission.id.asc())


async def count_queue(session: AsyncSession, query: QueueQuery) -> int:
    """How many submissions the filtered queue holds."""
    return (
        await session.scalar(select(func.count()).select_from(Submission).where(*query.where()))
        or 0
    )


async def names_in_scope(
    session: AsyncSession, query: QueueQuery
) -> list[tuple[uuid.UUID, bytes]]:
    """(id, encrypted holder name) of every submission in the query's place and states: the
    name search opens them (a name is encrypted, so the database cannot compare it); an
    erased one has none."""
    rows = await session.execute(
        select(Submission.id, Submission.holder_name_enc).where(
            *query.listed(), Submission.holder_name_enc.is_not(None)
        )
    )
    return [(row[0], row[1]) for row in rows if row[1] is not None]


async def search_queue(
    session: AsyncSession, query: QueueQuery, *, offset: int, limit: int
) -> tuple[list[tuple[Submission, str | None]], int, dict[str, int]]:
    """A page of the filtered queue with village names, the total, and counts by state for
    the same place and dates (no search, no state filter)."""
    counts = {
        state.value: n
        for state, n in await session.execute(
            select(Submission.state, func.count()).where(*query.dated()).group_by(Submission.state)
        )
    }
    where = query.where()
    total = await session.scalar(select(func.count()).select_from(Submission).where(*where)) or 0
    rows = await session.execute(
        select(Submission, VillageRow.name)
        .outerjoin(VillageRow, VillageRow.id == Submission.village_id)
        .where(*where)
        .order_by(*query.order())
        .offset(offset)
        .limit(limit)
    )
    return [(s, village) for s, village in rows], total, counts


@dataclass(frozen=True)
class Position:
    """Where a submission stands in a queue's order (read while its row is loaded)."""

    commune_id: int
    submitted_at: datetime
    id: uuid.UUID

    @classmethod
    def of(cls, submission: Submission) -> Position:
        return cls(submission.commune_id, submission.submitted_at, submission.id)


async def next_in_queue(session: AsyncSession, query: QueueQuery, after: Position) -> str | None:
    """The receipt of the submission that follows `after` in the filtered queue's order."""
    if query.newest_first:
        later = or_(
            Submission.submitted_at < after.submitted_at,
            (Submission.submitted_at == after.submitted_at) & (Submission.id < after.id),
        )
    else:
        later = or_(
            Submission.submitted_at > after.submitted_at,
            (Submission.submitted_at == after.submitted_at) & (Submission.id > after.id),
        )
    return await session.scalar(
        select(Submission.receipt_code)
        .where(*query.where(), later)
        .order_by(*query.order())
        .limit(1)
    )
