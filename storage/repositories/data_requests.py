"""Data-subject requests (intake/requests): their rows and encrypted words, the communes and
receipts of a resident they may concern, the request waiting for a resident's words, the
requests of a commune or a province, and the open ones the reminder job claims.

The resident's words (`details`) and the officer's answer (`note`) are encrypted here, each
bound to its table, column and row, like a submission's fields.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crypto import FieldCipher
from storage.models import Citizen, Commune, DataRequest, Submission
from storage.repositories.submissions import owned_by
from storage.states import DataRequestKind, DataRequestState

__all__ = [
    "add_request",
    "claim_open",
    "code_taken",
    "communes_of_citizen",
    "details_of",
    "erase_words_of",
    "note_of",
    "open_count",
    "open_request",
    "pending_of",
    "receipts_in_commune",
    "request_by_code",
    "requests_of",
    "set_note",
    "set_pending",
]

_TABLE = "data_request"
_OPEN = (DataRequestState.RECEIVED, DataRequestState.ACKNOWLEDGED)


def _seal(cipher: FieldCipher, request_id: uuid.UUID, column: str, value: str | None) -> bytes:
    return cipher.encrypt(value or "", table=_TABLE, column=column, row=request_id)


def _open(cipher: FieldCipher, request: DataRequest, column: str) -> str | None:
    value = getattr(request, column)
    if value is None:
        return None
    text: str = cipher.decrypt(value, table=_TABLE, column=column, row=request.id)
    return text


def details_of(cipher: FieldCipher, request: DataRequest) -> str | None:
    """The resident's words (a correction's), opened; None for a copy."""
    return _open(cipher, request, "details_enc")


def note_of(cipher: FieldCipher, request: DataRequest) -> str | None:
    """The officer's answer, opened; None until completed."""
    return _open(cipher, request, "note_enc")


def set_note(cipher: FieldCipher, request: DataRequest, note: str) -> None:
    request.note_enc = _seal(cipher, request.id, "note_enc", note)


async def code_taken(session: AsyncSession, code: str) -> bool:
    found = await session.scalar(select(DataRequest.id).where(DataRequest.code == code))
    return found is not None


async def add_request(
    session: AsyncSession, cipher: FieldCipher, values: dict[str, Any], details: str | None
) -> DataRequest:
    """Insert a request (its words encrypted to its row) and flush it."""
    request_id = values.setdefault("id", uuid.uuid4())
    request = DataRequest(
        **values,
        details_enc=_seal(cipher, request_id, "details_enc", details) if details else None,
    )
    session.add(request)
    await session.flush()
    return request


async def request_by_code(
    session: AsyncSession, code: str, *, for_update: bool = False
) -> DataRequest | None:
    """The request with this code, its row locked until the transaction ends when
    `for_update` (two officers acting at once: the second sees what the first did)."""
    if not code or len(code) > 16:
        return None
    query = select(DataRequest).where(DataRequest.code == code)
    if for_update:
        query = query.with_for_update()
    return await session.scalar(query)


async def open_request(
    session: AsyncSession, citizen_id: uuid.UUID, commune_id: int, kind: DataRequestKind
) -> DataRequest | None:
    """The citizen's open request of this kind to this commune, the newest, if any."""
    return await session.scalar(
        select(DataRequest)
        .where(
            DataRequest.citizen_id == citizen_id,
            DataRequest.commune_id == commune_id,
            DataRequest.kind == kind,
            DataRequest.state.in_(_OPEN),
        )
        .order_by(DataRequest.received_at.desc())
        .limit(1)
    )


async def open_count(session: AsyncSession, citizen_id: uuid.UUID) -> int:
    """How many of the citizen's requests are open."""
    found = await session.scalar(
        select(func.count())
        .select_from(DataRequest)
        .where(DataRequest.citizen_id == citizen_id, DataRequest.state.in_(_OPEN))
    )
    return int(found or 0)


async def communes_of_citizen(
    session: AsyncSession, citizen_id: uuid.UUID
) -> list[tuple[int, str]]:
    """The communes where the citizen has a submission whose fields are held (not erased),
    by name."""
    rows = await session.execute(
        select(Commune.id, Commune.name)
        .join(Submission, Submission.commune_id == Commune.id)
        .where(owned_by(citizen_id), Submission.erased_at.is_(None))
        .group_by(Commune.id, Commune.name)
        .order_by(Commune.name)
    )
    return [(commune_id, name) for commune_id, name in rows]


async def receipts_in_commune(
    session: AsyncSession, citizen_id: uuid.UUID, commune_id: int
) -> list[str]:
    """The receipt codes of the citizen's submissions to the commune, newest first."""
    rows = await session.scalars(
        select(Submission.receipt_code)
        .where(owned_by(citizen_id), Submission.commune_id == commune_id)
        .order_by(Submission.submitted_at.desc())
    )
    return list(rows)


async def pending_of(session: AsyncSession, citizen_id: uuid.UUID) -> str | None:
    """The request waiting for the citizen's words (`Citizen.request_pending`)."""
    found: str | None = await session.scalar(
        select(Citizen.request_pending).where(Citizen.id == citizen_id)
    )
    return found


async def set_pending(session: AsyncSession, citizen_id: uuid.UUID, pending: str | None) -> None:
    await session.execute(
        update(Citizen).where(Citizen.id == citizen_id).values(request_pending=pending)
    )


async def erase_words_of(session: AsyncSession, citizen_id: uuid.UUID) -> int:
    """Erase the words of the citizen's requests, theirs (`details_enc`) and the officers'
    answers to them (`note_enc`, which may repeat what they asked to correct), and the request
    waiting for their words, at their `/delete`; the requests, their kinds, clocks and audit
    trail stay as the commune's record of a legal duty. Returns how many requests held words."""
    erased = await session.execute(
        update(DataRequest)
        .where(
            DataRequest.citizen_id == citizen_id,
            or_(DataRequest.details_enc.is_not(None), DataRequest.note_enc.is_not(None)),
        )
        .values(details_enc=None, note_enc=None)
        .returning(DataRequest.id)
    )
    await set_pending(session, citizen_id, None)
    return len(erased.all())


async def requests_of(
    session: AsyncSession,
    *,
    commune_ids: Sequence[int],
    closed_since: datetime | None = None,
    limit: int = 200,
) -> list[tuple[DataRequest, str]]:
    """The communes' open requests, oldest first, then (with `closed_since`) those completed
    since then, newest first; each with its commune's name."""
    if not commune_ids:
        return []
    query = (
        select(DataRequest, Commune.name)
        .join(Commune, Commune.id == DataRequest.commune_id)
        .where(DataRequest.commune_id.in_(commune_ids))
        .limit(limit)
    )
    rows = list(
        await session.execute(
            query.where(DataRequest.state.in_(_OPEN)).order_by(DataRequest.received_at)
        )
    )
    if closed_since is not None:
        rows += await session.execute(
            query.where(
                DataRequest.state == DataRequestState.COMPLETED,
                DataRequest.completed_at >= closed_since,
            ).order_by(DataRequest.completed_at.desc())
        )
    return [(request, name) for request, name in rows]


async def claim_open(
    session: AsyncSession, *, skip_locked: bool, limit: int = 500
) -> list[DataRequest]:
    """The open requests, oldest first, for the reminder job; on PostgreSQL their rows are
    locked until the transaction ends, skipping those another process holds."""
    query = (
        select(DataRequest)
        .where(DataRequest.state.in_(_OPEN))
        .order_by(DataRequest.received_at)
        .limit(limit)
    )
    if skip_locked:
        query = query.with_for_update(skip_locked=True)
    return list(await session.scalars(query))
