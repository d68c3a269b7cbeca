"""The outbox: messages that must reach someone, written in the transaction that causes them,
claimed with a lease by a sender, and settled (sent, later, failed). A row may be written to go
out later (`add_message_at`: an officer's gathered alerts); until then it is not in its chat's
order.

A row's payload is the message as JSON, encrypted here (it may name people) with the row's id
as associated data: a payload copied to another row cannot be opened there. A claim takes only
each chat's oldest unsent row, so a chat's messages go out in the order they were written, even
when a later one is due before an earlier (paced, retried or held by another process's lease).

Speed (bench/README.md, item 26): the writes, the claim and the settles are statements built
once and run plain: a claim of five rows 2.3 → 1.1 ms, marking a row sent 0.98 → 0.54 ms in
isolation (the ORM's update had evaluated its criteria against the session's objects).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Table, bindparam, exists, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crypto import CryptoError, FieldCipher
from storage.models import Outbox, Staff
from storage.states import OutboxStatus

__all__ = [
    "ClaimedRow",
    "OpenBatch",
    "add_message",
    "add_message_at",
    "claim_due",
    "mark_failed",
    "mark_sent",
    "open_batch",
    "payloads_since",
    "rewrite_payload",
    "send_later",
    "written_since",
]

_TABLE, _COLUMN = "outbox", "payload_enc"
_OUTBOX = cast(Table, Outbox.__table__)
# A row written to go out later (an officer's gathered alerts) that no sender has touched: it
# takes its place in the chat's order only once it is due, so it holds up nothing meanwhile.
_SCHEDULED = (
    _OUTBOX.c.leased_by.is_(None)
    & (_OUTBOX.c.attempts == 0)
    & (_OUTBOX.c.not_before > bindparam("now"))
)
# Only the oldest unsent row of each chat. How many each chat has waiting tells the sender
# whether to claim again once the first is sent (an empty claim after every message had cost a
# transaction each).
_FIRST_OF_CHAT = (
    select(func.min(_OUTBOX.c.id).label("id"), func.count().label("waiting"))
    .where(_OUTBOX.c.status == OutboxStatus.PENDING, ~_SCHEDULED)
    .group_by(_OUTBOX.c.chat_id)
    .subquery()
)
_DUE = (
    select(
        _OUTBOX.c.id,
        _OUTBOX.c.chat_id,
        _OUTBOX.c.kind,
        _OUTBOX.c.payload_enc,
        _OUTBOX.c.attempts,
        _OUTBOX.c.created_at,
        _FIRST_OF_CHAT.c.waiting,
    )
    .join(_FIRST_OF_CHAT, _OUTBOX.c.id == _FIRST_OF_CHAT.c.id)
    # pending again here: on PostgreSQL a row locked by another claim or settle is re-checked
    # against these conditions once that commits, not against the grouped subquery's
    .where(_OUTBOX.c.status == OutboxStatus.PENDING, _OUTBOX.c.not_before <= bindparam("now"))
    .order_by(_OUTBOX.c.id)
    .limit(bindparam("limit"))
)
_DUE_LOCKED = _DUE.with_for_update(skip_locked=True, of=_OUTBOX)  # PostgreSQL
_ROW = _OUTBOX.c.id == bindparam("row_id")
_ADD = insert(_OUTBOX).returning(_OUTBOX.c.id)
_PAYLOAD = update(_OUTBOX).where(_ROW).values(payload_enc=bindparam("payload"))
_LEASE = (
    update(_OUTBOX)
    .where(_OUTBOX.c.id.in_(bindparam("ids", expanding=True)))
    .values(
        not_before=bindparam("until"),
        leased_by=bindparam("holder"),
        attempts=_OUTBOX.c.attempts + 1,
    )
)
_SENT = (
    update(_OUTBOX)
    .where(_ROW)
    .values(status=OutboxStatus.SENT, sent_at=bindparam("now"), last_error=None)
)
_LATER = (
    update(_OUTBOX)
    .where(_ROW)
    .values(not_before=bindparam("until"), last_error=bindparam("error"))
)
_FAILED = (
    update(_OUTBOX).where(_ROW).values(status=OutboxStatus.FAILED, last_error=bindparam("error"))
)


@dataclass(frozen=True)
class ClaimedRow:
    """A claimed row with its payload opened; `payload` is None when it cannot be read."""

    id: int
    chat_id: int
    kind: str
    payload: str | None
    attempts: int  # counting this one
    created_at: datetime
    waiting: int  # the chat's unsent rows, this one included


async def add_message(
    session: AsyncSession, cipher: FieldCipher, *, chat_id: int, kind: str, payload: str
) -> int:
    """Write a message row in the caller's transaction; returns its id. Two plain statements:
    the row, then its payload, encrypted with the row's id as associated data."""
    connection = await session.connection()
    row_id: int = (
        await connection.execute(
            _ADD,
            {"chat_id": chat_id, "kind": kind, "payload_enc": b"", "status": OutboxStatus.PENDING},
        )
    ).scalar_one()
    sealed = cipher.encrypt(payload, table=_TABLE, column=_COLUMN, row=row_id)
    await connection.execute(_PAYLOAD, {"row_id": row_id, "payload": sealed})
    return row_id


async def add_message_at(
    session: AsyncSession,
    cipher: FieldCipher,
    *,
    chat_id: int,
    kind: str,
    payload: str,
    not_before: datetime,
) -> int:
    """A message row due only at `not_before` (a gathering of alerts sent later)."""
    row_id = await add_message(session, cipher, chat_id=chat_id, kind=kind, payload=payload)
    await (await session.connection()).execute(
        update(_OUTBOX).where(_ROW).values(not_before=bindparam("at")),
        {"row_id": row_id, "at": not_before},
    )
    return row_id


@dataclass(frozen=True)
class OpenBatch:
    id: int
    payload: str


async def open_batch(
    session: AsyncSession, cipher: FieldCipher, *, chat_id: int, kind: str, now: datetime
) -> OpenBatch | None:
    """The chat's row of `kind` that waits to be sent later and no sender has touched yet (so
    more may be added to it), locked for this transaction; None if there is none."""
    found = (
        await session.execute(
            select(_OUTBOX.c.id, _OUTBOX.c.payload_enc)
            .where(
                _OUTBOX.c.chat_id == chat_id,
                _OUTBOX.c.kind == kind,
                _OUTBOX.c.status == OutboxStatus.PENDING,
                _OUTBOX.c.leased_by.is_(None),
                _OUTBOX.c.attempts == 0,
                _OUTBOX.c.not_before > now,
            )
            .order_by(_OUTBOX.c.id.desc())
            .limit(1)
            .with_for_update()
        )
    ).first()
    if found is None:
        return None
    try:
        payload = cipher.decrypt(found.payload_enc, table=_TABLE, column=_COLUMN, row=found.id)
    except CryptoError:
        return None
    return OpenBatch(found.id, payload)


async def rewrite_payload(
    session: AsyncSession, cipher: FieldCipher, row_id: int, payload: str
) -> None:
    sealed = cipher.encrypt(payload, table=_TABLE, column=_COLUMN, row=row_id)
    await (await session.connection()).execute(_PAYLOAD, {"row_id": row_id, "payload": sealed})


async def payloads_since(
    session: AsyncSession,
    cipher: FieldCipher,
    *,
    chat_ids: Sequence[int],
    commune_ids: Sequence[int],
    since: datetime,
) -> list[tuple[int, str]]:
    """(id, opened payload) of every row written since `since` to one of these chats or to a
    staff member of one of these communes (sent or not); a row that does not open is left
    out."""
    staff_chats = select(Staff.telegram_user_id).where(Staff.commune_id.in_(commune_ids))
    rows = await session.execute(
        select(_OUTBOX.c.id, _OUTBOX.c.payload_enc).where(
            _OUTBOX.c.created_at >= since,
            _OUTBOX.c.chat_id.in_(chat_ids) | _OUTBOX.c.chat_id.in_(staff_chats),
        )
    )
    opened = []
    for row_id, payload in rows:
        try:
            opened.append(
                (row_id, cipher.decrypt(payload, table=_TABLE, column=_COLUMN, row=row_id))
            )
        except CryptoError:
            continue
    return opened


async def written_since(
    session: AsyncSession, *, chat_id: int, kinds: tuple[str, ...], since: datetime
) -> bool:
    """Whether a row of one of `kinds` was written for the chat at or after `since`."""
    return bool(
        await session.scalar(
            select(
                exists().where(
                    _OUTBOX.c.chat_id == chat_id,
                    _OUTBOX.c.kind.in_(kinds),
                    _OUTBOX.c.created_at >= since,
                )
            )
        )
    )


async def claim_due(
    session: AsyncSession,
    cipher: FieldCipher,
    *,
    now: datetime,
    limit: int,
    lease_until: datetime,
    holder: uuid.UUID | None,
    skip_locked: bool,
) -> list[ClaimedRow]:
    """Lease each chat's oldest unsent row that is due (at most `limit` rows)."""
    connection = await session.connection()
    rows = (
        await connection.execute(
            _DUE_LOCKED if skip_locked else _DUE, {"now": now, "limit": limit}
        )
    ).all()
    if not rows:
        return []
    await connection.execute(
        _LEASE, {"ids": [row.id for row in rows], "until": lease_until, "holder": holder}
    )
    claimed = []
    for row in rows:
        try:
            payload: str | None = cipher.decrypt(
                row.payload_enc, table=_TABLE, column=_COLUMN, row=row.id
            )
        except CryptoError:
            payload = None
        claimed.append(
            ClaimedRow(
                row.id,
                row.chat_id,
                row.kind,
                payload,
                row.attempts + 1,
                row.created_at,
                row.waiting,
            )
        )
    return claimed


async def mark_sent(session: AsyncSession, row_id: int, now: datetime) -> None:
    await (await session.connection()).execute(_SENT, {"row_id": row_id, "now": now})


async def send_later(session: AsyncSession, row_id: int, until: datetime, error: str) -> None:
    await (await session.connection()).execute(
        _LATER, {"row_id": row_id, "until": until, "error": error[:200]}
    )


async def mark_failed(session: AsyncSession, row_id: int, error: str) -> None:
    await (await session.connection()).execute(_FAILED, {"row_id": row_id, "error": error[:200]})


# A row refused because the chat has not started the bot (or blocked it) waits, marked so,
# until its person opens the chat (`release_waiting`) or it expires.
WAITING_FOR_START = "waiting: chat not started"


async def waiting_rows(session: AsyncSession, chat_id: int) -> int:
    """How many of the chat's unsent rows wait for its person to open the chat."""
    return (
        await session.scalar(
            select(func.count()).where(
                _OUTBOX.c.chat_id == chat_id,
                _OUTBOX.c.status == OutboxStatus.PENDING,
                _OUTBOX.c.last_error == WAITING_FOR_START,
            )
        )
        or 0
    )


async def release_waiting(session: AsyncSession, chat_id: int, now: datetime) -> int:
    """The chat's waiting rows become due now; how many."""
    result = await session.execute(
        update(_OUTBOX)
        .where(
            _OUTBOX.c.chat_id == chat_id,
            _OUTBOX.c.status == OutboxStatus.PENDING,
            _OUTBOX.c.last_error == WAITING_FOR_START,
        )
        .values(not_before=now, last_error=None)
    )
    return int(getattr(result, "rowcount", 0) or 0)
