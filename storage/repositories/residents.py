"""Residents (citizens) and their drafts: the rows every resident step reads and writes.

A draft's contents are one JSON text, encrypted here with the field cipher (bound to its row)
and handed to the caller as plain text. Every write checks the version read (a concurrent
write makes `StaleDataError`, which `storage.db.is_conflict` recognises, and the step runs
again), and a step's write records that its replies are owed until they are confirmed sent.

Speed (bench/README.md, third and fourth rounds): every update and every verdict reads and
writes its chat's draft, so these statements are built once (building one cost more than
running it) and run as plain statements rather than through the ORM's unit of work, which cost
about twice as much. A new resident's row and their consent, which 200 residents arriving at
once all write, are plain statements too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from crypto import FieldCipher
from storage.models import Citizen, Draft

__all__ = [
    "CitizenRow",
    "DraftRecord",
    "OwedDraft",
    "add_citizen",
    "bring_back",
    "citizen",
    "citizen_and_draft",
    "citizen_by_user",
    "confirm_owed",
    "delete_draft",
    "delete_drafts",
    "draft_of_chat",
    "drafts_idle_between",
    "drafts_of_citizen",
    "has_aside",
    "has_draft",
    "insert_draft",
    "language_of_user",
    "owed_draft",
    "record_consent",
    "set_aside",
    "set_delete_pending",
    "update_draft",
]

_TABLE, _COLUMN = "draft", "payload_enc"
_DRAFTS = cast(Table, Draft.__table__)
_DRAFT_COLUMNS = (_DRAFTS.c.id, _DRAFTS.c.version, _DRAFTS.c.payload_enc)
# the chat's conversation in progress (not the one a staff member set aside for /assist)
_OF_CHAT = (_DRAFTS.c.chat_id == bindparam("chat_id")) & _DRAFTS.c.aside.is_(False)
_CITIZENS = cast(Table, Citizen.__table__)
_CITIZEN_AND_DRAFT = (
    select(
        _CITIZENS.c.id,
        _CITIZENS.c.language,
        _CITIZENS.c.consent_version,
        _CITIZENS.c.followup_submission_id,
        _CITIZENS.c.delete_pending,
        *_DRAFT_COLUMNS,
    )
    .select_from(_CITIZENS)
    .outerjoin(_DRAFTS, _OF_CHAT)
    .where(_CITIZENS.c.telegram_user_id == bindparam("user_id"))
)
_INSERT_CITIZEN = insert(_CITIZENS)
_CONSENT = (
    update(_CITIZENS)
    .where(_CITIZENS.c.id == bindparam("citizen_id"))
    .values(consent_version=bindparam("version"), consent_at=bindparam("at"))
)
_DRAFT_OF_CHAT = select(*_DRAFT_COLUMNS).where(_OF_CHAT)
_INSERT_DRAFT = insert(_DRAFTS)
_DRAFT_WRITE = (
    update(_DRAFTS)
    .where(_DRAFTS.c.id == bindparam("draft_id"), _DRAFTS.c.version == bindparam("read"))
    .values(
        step=bindparam("new_step"),
        payload_enc=bindparam("new_payload"),
        version=bindparam("new_version"),
        updated_at=bindparam("now"),
        reminded_at=None,
    )
)
# a step's write: its replies are owed until confirmed sent
_STEP_WRITE = _DRAFT_WRITE.values(
    reply_owed=bindparam("new_version"), reply_owed_by=bindparam("holder")
)
_DELETE_DRAFT = (
    _DRAFTS.delete()
    .where(_DRAFTS.c.id == bindparam("draft_id"))
    .where(_DRAFTS.c.version == bindparam("read"))
)
_OWED_DRAFT = (
    select(
        *_DRAFT_COLUMNS,
        _DRAFTS.c.reply_owed,
        _CITIZENS.c.language,
        _CITIZENS.c.consent_version,
    )
    .join(_CITIZENS, _CITIZENS.c.id == _DRAFTS.c.citizen_id)
    .where(_OF_CHAT, _DRAFTS.c.reply_owed.is_not(None))
)
_CONFIRM_OWED = (
    update(_DRAFTS)
    .where(_DRAFTS.c.id == bindparam("draft_id"), _DRAFTS.c.reply_owed == bindparam("owed"))
    .values(reply_owed=None, reply_owed_by=None)
)


@dataclass(frozen=True)
class CitizenRow:
    """The resident as read with the draft, as plain values (most events only read these)."""

    id: uuid.UUID
    language: str
    consent_version: str | None
    followup_submission_id: uuid.UUID | None
    delete_pending: str | None = None  # a /delete waiting for its confirmation


@dataclass
class DraftRecord:
    """A chat's draft row as read or written in this transaction; `text` is its JSON."""

    id: uuid.UUID
    version: int
    text: str


@dataclass(frozen=True)
class OwedDraft:
    """A draft whose replies are owed, with what its question is asked in."""

    record: DraftRecord
    owed: int
    language: str
    consent_version: str | None


def _open(cipher: FieldCipher, draft_id: uuid.UUID, payload: bytes) -> str:
    return cipher.decrypt(payload, table=_TABLE, column=_COLUMN, row=draft_id)


def _seal(cipher: FieldCipher, draft_id: uuid.UUID, text: str) -> bytes:
    return cipher.encrypt(text, table=_TABLE, column=_COLUMN, row=draft_id)


async def citizen_and_draft(
    session: AsyncSession, cipher: FieldCipher, *, chat_id: int, user_id: int
) -> tuple[CitizenRow | None, DraftRecord | None]:
    """The resident and their chat's draft, in one query."""
    found = (
        await session.execute(_CITIZEN_AND_DRAFT, {"chat_id": chat_id, "user_id": user_id})
    ).first()
    if found is None:
        return None, None
    draft_id, version, payload = found[5:]
    draft = None if draft_id is None else DraftRecord(draft_id, version, "")
    if draft is not None:
        draft.text = _open(cipher, draft_id, payload)
    return CitizenRow(*found[:5]), draft


async def add_citizen(session: AsyncSession, citizen: CitizenRow, telegram_user_id: int) -> None:
    await (await session.connection()).execute(
        _INSERT_CITIZEN,
        {"id": citizen.id, "telegram_user_id": telegram_user_id, "language": citizen.language},
    )


async def record_consent(
    session: AsyncSession, citizen_id: uuid.UUID, version: str | None, at: datetime | None
) -> None:
    """The citizen's consent in force (None, None: withdrawn); its evidence is `consents`'."""
    await (await session.connection()).execute(
        _CONSENT, {"citizen_id": citizen_id, "version": version, "at": at}
    )


async def set_delete_pending(
    session: AsyncSession, citizen_id: uuid.UUID, pending: str | None
) -> None:
    await session.execute(
        update(_CITIZENS).where(_CITIZENS.c.id == citizen_id).values(delete_pending=pending)
    )


async def citizen(session: AsyncSession, citizen_id: uuid.UUID) -> Citizen:
    """The resident as an entity, for the few events that change them."""
    entity = await session.get(Citizen, citizen_id)
    if entity is None:
        raise LookupError("no such resident")
    return entity


async def citizen_by_user(session: AsyncSession, telegram_user_id: int) -> Citizen | None:
    return await session.scalar(
        select(Citizen).where(Citizen.telegram_user_id == telegram_user_id)
    )


async def language_of_user(session: AsyncSession, telegram_user_id: int) -> str | None:
    return await session.scalar(
        select(Citizen.language).where(Citizen.telegram_user_id == telegram_user_id)
    )


async def draft_of_chat(
    session: AsyncSession, cipher: FieldCipher, chat_id: int
) -> DraftRecord | None:
    found = (await session.execute(_DRAFT_OF_CHAT, {"chat_id": chat_id})).first()
    if found is None:
        return None
    draft_id, version, payload = found
    return DraftRecord(draft_id, version, _open(cipher, draft_id, payload))


async def has_draft(session: AsyncSession, chat_id: int) -> bool:
    """Whether the chat has a conversation in progress (nothing is opened)."""
    found = await session.scalar(select(_DRAFTS.c.id).where(_OF_CHAT), {"chat_id": chat_id})
    return found is not None


async def set_aside(session: AsyncSession, draft_id: uuid.UUID) -> None:
    """Keep the chat's conversation aside (a staff member's own, while they submit for a
    household); it owes no reply meanwhile."""
    await session.execute(
        update(_DRAFTS)
        .where(_DRAFTS.c.id == draft_id)
        .values(aside=True, reply_owed=None, reply_owed_by=None)
    )


async def bring_back(session: AsyncSession, chat_id: int) -> bool:
    """The conversation set aside in the chat is the chat's again (its question is asked
    again by the caller); False if none was aside."""
    result = await session.execute(
        update(_DRAFTS)
        .where(_DRAFTS.c.chat_id == chat_id, _DRAFTS.c.aside.is_(True))
        .values(aside=False, reminded_at=None)
    )
    return bool(getattr(result, "rowcount", 0))


async def has_aside(session: AsyncSession, chat_id: int) -> bool:
    found = await session.scalar(
        select(_DRAFTS.c.id).where(_DRAFTS.c.chat_id == chat_id, _DRAFTS.c.aside.is_(True))
    )
    return found is not None


async def insert_draft(
    session: AsyncSession,
    cipher: FieldCipher,
    text: str,
    *,
    chat_id: int,
    citizen_id: uuid.UUID,
    step: str,
    now: datetime,
    owed_by: uuid.UUID | None,
) -> DraftRecord:
    """A new draft (version 1), whose step's replies are owed."""
    record = DraftRecord(uuid.uuid4(), 1, text)
    await (await session.connection()).execute(
        _INSERT_DRAFT,
        {
            "id": record.id,
            "chat_id": chat_id,
            "citizen_id": citizen_id,
            "step": step,
            "payload_enc": _seal(cipher, record.id, text),
            "version": record.version,
            "created_at": now,
            "updated_at": now,
            "reply_owed": record.version,
            "reply_owed_by": owed_by,
        },
    )
    return record


async def update_draft(
    session: AsyncSession,
    cipher: FieldCipher,
    record: DraftRecord,
    text: str,
    *,
    step: str,
    now: datetime,
    owe: bool = True,
    owed_by: uuid.UUID | None = None,
) -> None:
    """Write over the version read (`StaleDataError` if another transaction wrote it
    meanwhile). A step's write (`owe`) owes its replies; a bookkeeping write (the
    checklist's message id) leaves what is owed as it is."""
    values: dict[str, object] = {
        "draft_id": record.id,
        "read": record.version,
        "new_step": step,
        "new_payload": _seal(cipher, record.id, text),
        "new_version": record.version + 1,
        "now": now,
    }
    if owe:
        values["holder"] = owed_by
    result = await (await session.connection()).execute(
        _STEP_WRITE if owe else _DRAFT_WRITE, values
    )
    if result.rowcount != 1:
        raise StaleDataError("the draft changed meanwhile")
    record.version += 1
    record.text = text


async def delete_draft(session: AsyncSession, record: DraftRecord) -> None:
    result = await (await session.connection()).execute(
        _DELETE_DRAFT, {"draft_id": record.id, "read": record.version}
    )
    if result.rowcount != 1:
        raise StaleDataError("the draft changed meanwhile")


async def drafts_of_citizen(
    session: AsyncSession, cipher: FieldCipher, citizen_id: uuid.UUID
) -> list[DraftRecord]:
    """Every draft of the citizen, in any chat, the one set aside too."""
    rows = await session.execute(select(*_DRAFT_COLUMNS).where(_DRAFTS.c.citizen_id == citizen_id))
    return [
        DraftRecord(draft_id, version, _open(cipher, draft_id, payload))
        for draft_id, version, payload in rows
    ]


async def delete_drafts(session: AsyncSession, draft_ids: Sequence[uuid.UUID]) -> None:
    """Delete these drafts whatever their version (their documents are deleted first)."""
    if draft_ids:
        await session.execute(_DRAFTS.delete().where(_DRAFTS.c.id.in_(draft_ids)))


async def owed_draft(session: AsyncSession, cipher: FieldCipher, chat_id: int) -> OwedDraft | None:
    """The chat's draft if its replies are owed."""
    found = (await session.execute(_OWED_DRAFT, {"chat_id": chat_id})).first()
    if found is None:
        return None
    draft_id, version, payload, owed, language, consent = found
    record = DraftRecord(draft_id, version, _open(cipher, draft_id, payload))
    return OwedDraft(record, owed, language, consent)


async def confirm_owed(session: AsyncSession, debts: Sequence[tuple[uuid.UUID, int]]) -> None:
    """The replies of each (draft, version) were sent: that version owes nothing more."""
    await (await session.connection()).execute(
        _CONFIRM_OWED, [{"draft_id": draft_id, "owed": owed} for draft_id, owed in debts]
    )


async def drafts_idle_between(
    session: AsyncSession,
    *,
    since: datetime | None,
    before: datetime,
    reminded: bool | None,
    limit: int,
) -> list[tuple[Draft, str]]:
    """Drafts last changed before `before` (and not before `since`), with their resident's
    language; `reminded`: only those already reminded (True) or not yet (False)."""
    query = (
        select(Draft, Citizen.language)
        .join(Citizen, Citizen.id == Draft.citizen_id)
        .where(Draft.updated_at < before)
        .limit(limit)
    )
    if since is not None:
        query = query.where(Draft.updated_at >= since)
    if reminded is False:  # a conversation set aside is not reminded of
        query = query.where(Draft.reminded_at.is_(None), Draft.aside.is_(False))
    return [(draft, language) for draft, language in (await session.execute(query)).all()]
