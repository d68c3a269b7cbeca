"""The console's rows: one-time sign-in links, signed-in sessions, the queue as the console
filters it (village, state, order, search), a submission's documents with their blobs, and its
event history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, false, func, or_, select, update
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
from storage.models import Village as VillageRow
from storage.states import ActorKind, SubmissionState

__all__ = [
    "ConsoleQuery",
    "Position",
    "add_link",
    "add_session",
    "document_with_blob",
    "documents_with_blobs",
    "end_session",
    "events_of_submission",
    "link_by_hash",
    "locked_identities",
    "names_in_scope",
    "next_in_queue",
    "search_queue",
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


@dataclass(frozen=True)
class ConsoleQuery:
    """The part of a console filter the database answers. `village_id` None with `triage`
    False: every village; `ids`: the submissions whose (decrypted) name matched, or None."""

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

    def place(self) -> list[ColumnElement[bool]]:
        where = [Submission.commune_id == self.commune_id]
        if self.triage:
            where.append(Submission.village_id.is_(None))
        elif self.village_id is not None:
            where.append(Submission.village_id == self.village_id)
        return where

    def listed(self) -> list[ColumnElement[bool]]:
        """The place and the states, without the search."""
        where = self.place()
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


async def names_in_scope(
    session: AsyncSession, query: ConsoleQuery
) -> list[tuple[uuid.UUID, bytes]]:
    """(id, encrypted holder name) of every submission in the query's place and states: the
    name search opens them (a name is encrypted, so the database cannot compare it)."""
    rows = await session.execute(
        select(Submission.id, Submission.holder_name_enc).where(*query.listed())
    )
    return [(row[0], row[1]) for row in rows]


async def search_queue(
    session: AsyncSession, query: ConsoleQuery, *, offset: int, limit: int
) -> tuple[list[tuple[Submission, str | None]], int, dict[str, int]]:
    """A page of the filtered queue with village names, the total, and counts by state for
    the same place (no search, no state filter)."""
    counts = {
        state.value: n
        for state, n in await session.execute(
            select(Submission.state, func.count()).where(*query.place()).group_by(Submission.state)
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


async def next_in_queue(session: AsyncSession, query: ConsoleQuery, after: Position) -> str | None:
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
