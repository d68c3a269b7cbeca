"""Consent evidence: the notices as shown (one row per text, by its SHA-256) and the consents
given and withdrawn (append-only rows). The citizen's consent in force (`citizen.consent_*`)
is written by `residents`; intake/resident/_consent.py writes both in one transaction.

Every consent keeps its notice: a text already kept (the usual case: one per version and
language) costs one indexed look-up; a new one is inserted once, a concurrent insert of the
same text being ignored.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConsentNotice, ConsentRecord
from storage.states import ConsentChannel, ConsentKind

__all__ = [
    "ConsentEvidence",
    "add_record",
    "keep_notice",
    "latest_of_citizen",
    "link_to_submission",
    "notice_text",
]

_NOTICES = cast(Table, ConsentNotice.__table__)
_RECORDS = cast(Table, ConsentRecord.__table__)
_NOTICE_KEPT = select(_NOTICES.c.id).where(_NOTICES.c.sha256 == bindparam("sha256"))
_ADD_RECORD = insert(_RECORDS)


@dataclass(frozen=True)
class ConsentEvidence:
    """A consent record as read back."""

    kind: ConsentKind
    channel: ConsentChannel
    version: str
    notice_sha256: bytes | None
    recorded_by_staff_id: int | None
    at: datetime


async def keep_notice(
    session: AsyncSession, *, sha256: bytes, version: str, language: str, text: str
) -> None:
    """Keep the notice's text unless a row with its hash is kept already."""
    connection = await session.connection()
    if await connection.scalar(_NOTICE_KEPT, {"sha256": sha256}) is not None:
        return
    values = {"sha256": sha256, "version": version, "language": language, "text": text}
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    await connection.execute(
        dialect.insert(_NOTICES).values(values).on_conflict_do_nothing(index_elements=["sha256"])
    )


async def add_record(
    session: AsyncSession,
    *,
    kind: ConsentKind,
    channel: ConsentChannel,
    version: str,
    notice_sha256: bytes | None,
    at: datetime,
    citizen_id: uuid.UUID | None = None,
    draft_id: uuid.UUID | None = None,
    recorded_by_staff_id: int | None = None,
) -> None:
    await (await session.connection()).execute(
        _ADD_RECORD,
        {
            "kind": kind,
            "channel": channel,
            "version": version,
            "notice_sha256": notice_sha256,
            "citizen_id": citizen_id,
            "draft_id": draft_id,
            "recorded_by_staff_id": recorded_by_staff_id,
            "at": at,
        },
    )


async def link_to_submission(
    session: AsyncSession, draft_id: uuid.UUID, submission_id: uuid.UUID
) -> None:
    """The consents given in person for a draft are the submission's it became."""
    await session.execute(
        update(_RECORDS)
        .where(_RECORDS.c.draft_id == draft_id, _RECORDS.c.submission_id.is_(None))
        .values(submission_id=submission_id)
    )


async def latest_of_citizen(
    session: AsyncSession, citizen_id: uuid.UUID
) -> ConsentEvidence | None:
    """The citizen's newest consent record (given or withdrawn), if any."""
    row = (
        await session.execute(
            select(
                _RECORDS.c.kind,
                _RECORDS.c.channel,
                _RECORDS.c.version,
                _RECORDS.c.notice_sha256,
                _RECORDS.c.recorded_by_staff_id,
                _RECORDS.c.at,
            )
            .where(_RECORDS.c.citizen_id == citizen_id)
            .order_by(_RECORDS.c.id.desc())
            .limit(1)
        )
    ).first()
    return None if row is None else ConsentEvidence(*row)


async def notice_text(session: AsyncSession, sha256: bytes) -> str | None:
    """The notice kept under this hash."""
    return await session.scalar(select(_NOTICES.c.text).where(_NOTICES.c.sha256 == sha256))
