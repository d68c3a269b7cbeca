"""What the retention job reads and changes: the decided submissions whose documents are due,
their live documents (destroyed: rows marked deleted, blobs marked for removal, the means to
fetch the photo again forgotten), the submissions whose identity fields may go, and their
erasure. The rules (which states, which cutoff, who has nothing left to keep, which requests
hold a submission) are the caller's (intake/retention); nothing here chooses them.

A submission a data-subject request may need — its resident's own, in the commune an open
request of theirs went to — is left out of both the due and the erasable ones, in the query
itself, so that a held row never takes a place in a batch.

A submission's decision time is the time of the audit event the review lifecycle wrote when
it entered accepted or rejected (the event's action is the state's name); a row without one
(none is made so today) falls back to its last change (`updated_at`), so that it is purged
late rather than never.

PostgreSQL: the due submissions are claimed `FOR UPDATE SKIP LOCKED` (two bot processes
running the job at once share the work instead of doing it twice) and their documents locked
(a verdict settling meanwhile waits, then finds its document no longer pending); every change
is conditional on what it changes not being done already, so a second run changes nothing.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, Table, and_, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from crypto import FieldCipher
from storage.models import (
    Blob,
    Citizen,
    DataRequest,
    Document,
    Draft,
    Event,
    Submission,
)
from storage.repositories.documents import delete_documents
from storage.repositories.submissions import fields_of
from storage.states import DataRequestState, DocumentStatus, SubmissionState

__all__ = [
    "Destroyed",
    "DueSubmission",
    "FieldsHeld",
    "Identity",
    "LiveDocument",
    "destroy_documents",
    "fields_held",
    "identities",
    "live_documents",
    "submissions_due",
]

_CHUNK = 500  # ids per IN (…)
_SUBMISSIONS = cast(Table, Submission.__table__)


@dataclass(frozen=True, slots=True)
class DueSubmission:
    """A decided submission whose documents are due to be destroyed."""

    id: uuid.UUID
    commune_id: int
    receipt_code: str
    state: SubmissionState


@dataclass(frozen=True, slots=True)
class LiveDocument:
    """A document not yet deleted, with the size of its sealed file (None: it has none)."""

    submission_id: uuid.UUID
    document_id: uuid.UUID
    file_bytes: int | None


@dataclass(frozen=True, slots=True)
class Destroyed:
    """A document destroyed in this transaction: its sealed file's name and size, if it had
    one (the file is removed once the transaction has committed)."""

    submission_id: uuid.UUID
    blob_name: str | None
    file_bytes: int


@dataclass(frozen=True, slots=True)
class FieldsHeld:
    """A closed submission whose identity fields are not erased yet."""

    id: uuid.UUID
    citizen_id: uuid.UUID
    commune_id: int
    receipt_code: str
    state: SubmissionState
    decided_at: datetime  # its decision time (module docstring): says something only once
    # it is accepted or rejected
    assisted: bool  # made by a chief for a household (/assist): the household's


def _chunks(ids: Sequence[uuid.UUID]) -> Iterable[Sequence[uuid.UUID]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def _decided_at(decision_actions: Sequence[str]) -> ColumnElement[Any]:
    """The submission's decision time (module docstring), as a correlated expression."""
    decided = (
        select(func.max(Event.at))
        .where(Event.submission_id == Submission.id, Event.action.in_(decision_actions))
        .correlate(Submission)
        .scalar_subquery()
    )
    return func.coalesce(decided, Submission.updated_at)


_LIVE = Document.status != DocumentStatus.DELETED


def _held_for_request(holding: Iterable[DataRequestState]) -> ColumnElement[bool]:
    """Whether a request in a `holding` state may need the submission: its resident's own
    (not a household's, /assist: requests mean those) in the commune the request went to."""
    return and_(
        Submission.assisted_by_staff_id.is_(None),
        exists().where(
            DataRequest.citizen_id == Submission.citizen_id,
            DataRequest.commune_id == Submission.commune_id,
            DataRequest.state.in_(list(holding)),
        ),
    )


async def submissions_due(
    session: AsyncSession,
    *,
    states: Iterable[SubmissionState],
    decision_actions: Sequence[str],
    before: datetime,
    holding: Iterable[DataRequestState],
    limit: int | None,
    lock: bool,
) -> list[DueSubmission]:
    """The submissions in `states` decided before `before` that still have a document not
    deleted and that no request in a `holding` state may need, oldest first; claimed (`lock`,
    PostgreSQL) skipping those another transaction holds."""
    query = (
        select(Submission.id, Submission.commune_id, Submission.receipt_code, Submission.state)
        .where(
            Submission.state.in_(list(states)),
            exists().where(Document.submission_id == Submission.id, _LIVE),
            _decided_at(decision_actions) < before,
            ~_held_for_request(holding),
        )
        .order_by(Submission.submitted_at, Submission.id)
    )
    if limit is not None:
        query = query.limit(limit)
    if lock:
        query = query.with_for_update(of=Submission, skip_locked=True)
    return [DueSubmission(*row) for row in await session.execute(query)]


async def live_documents(
    session: AsyncSession, submission_ids: Sequence[uuid.UUID]
) -> list[LiveDocument]:
    """The documents of these submissions not yet deleted, each with its live file's size."""
    found: list[LiveDocument] = []
    for chunk in _chunks(submission_ids):
        rows = await session.execute(
            select(Document.submission_id, Document.id, Blob.size)
            .outerjoin(Blob, and_(Blob.id == Document.blob_id, Blob.deleted_at.is_(None)))
            .where(Document.submission_id.in_(chunk), _LIVE)
        )
        found += [LiveDocument(cast(uuid.UUID, s), d, size) for s, d, size in rows]
    return found


async def destroy_documents(
    session: AsyncSession, submission_ids: Sequence[uuid.UUID], *, lock: bool
) -> list[Destroyed]:
    """Destroy the live documents of these submissions as every deletion does
    (`documents.delete_documents`: rows and blobs marked deleted, the Telegram file id and the
    fingerprint forgotten, the metadata kept), saying what each held. The files are the
    caller's to remove once committed (`Destroyed.blob_name`)."""
    destroyed: list[Destroyed] = []
    for chunk in _chunks(submission_ids):
        query = select(Document).where(Document.submission_id.in_(chunk), _LIVE)
        if lock:
            query = query.with_for_update(of=Document)
        documents = list(await session.scalars(query.order_by(Document.created_at)))
        blob_ids = [d.blob_id for d in documents if d.blob_id is not None]
        blobs = {
            blob.id: blob
            for blob in await session.scalars(select(Blob).where(Blob.id.in_(blob_ids)))
        }
        removed = set(await delete_documents(session, documents))
        for document in documents:
            blob = blobs.get(document.blob_id) if document.blob_id is not None else None
            if blob is None or blob.name not in removed:  # no file, or gone already
                blob = None
            destroyed.append(
                Destroyed(
                    cast(uuid.UUID, document.submission_id),
                    blob.name if blob else None,
                    blob.size if blob else 0,
                )
            )
    return destroyed


async def fields_held(
    session: AsyncSession,
    *,
    closed: Iterable[SubmissionState],
    decision_actions: Sequence[str],
    holding: Iterable[DataRequestState],
) -> list[FieldsHeld]:
    """The submissions in a `closed` state whose identity fields are not erased, that could
    be erased now: a household's made by a chief (/assist), or a resident's own when the
    resident has no draft in progress and no own submission that is not closed, and no
    request in a `holding` state may need it."""
    closed = list(closed)
    other = aliased(Submission)
    open_own = exists().where(
        other.citizen_id == Submission.citizen_id,
        other.assisted_by_staff_id.is_(None),
        other.state.not_in(closed),
    )
    drafting = exists().where(Draft.citizen_id == Submission.citizen_id)
    rows = await session.execute(
        select(
            Submission.id,
            Submission.citizen_id,
            Submission.commune_id,
            Submission.receipt_code,
            Submission.state,
            _decided_at(decision_actions),
            Submission.assisted_by_staff_id.is_not(None),
        )
        .where(
            Submission.state.in_(closed),
            Submission.erased_at.is_(None),
            or_(Submission.assisted_by_staff_id.is_not(None), ~open_own & ~drafting),
            ~_held_for_request(holding),
        )
        .order_by(Submission.submitted_at, Submission.id)
    )
    return [
        FieldsHeld(sid, citizen, commune, receipt, state, decided, bool(assisted))
        for sid, citizen, commune, receipt, state, decided, assisted in rows
    ]


@dataclass(frozen=True, slots=True)
class Identity:
    """What a submission says about a person, opened (to forget it where it was repeated:
    the messages written about the submission), with where and since when it was said."""

    id: uuid.UUID
    receipt_code: str
    commune_id: int
    chat_id: int  # the private chat of the account that submitted it (the user's id)
    created_at: datetime
    values: frozenset[str]


async def identities(
    session: AsyncSession, cipher: FieldCipher, submission_ids: Sequence[uuid.UUID]
) -> list[Identity]:
    """The identity fields of these submissions, opened (those not erased yet)."""
    found: list[Identity] = []
    for chunk in _chunks(submission_ids):
        rows = await session.execute(
            select(Submission, Citizen.telegram_user_id)
            .join(Citizen, Citizen.id == Submission.citizen_id)
            .where(Submission.id.in_(chunk), Submission.erased_at.is_(None))
        )
        for submission, chat_id in rows:
            opened = fields_of(cipher, submission)
            values = {opened.holder_name, opened.cccd, opened.phone, opened.serial}
            found.append(
                Identity(
                    submission.id,
                    submission.receipt_code,
                    submission.commune_id,
                    chat_id,
                    submission.created_at,
                    frozenset(v for v in values if v),
                )
            )
    return found
