"""Telegram updates: the ids already handled (a redelivery is ignored) and the polling inbox
(updates taken from Telegram and not yet handled; see intake/processes/_inbox.py)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from crypto import CryptoError, FieldCipher
from storage.db import insert_for
from storage.models import InboxUpdate, ProcessedUpdate, utcnow

__all__ = [
    "claim_update",
    "forget_processed_before",
    "keep_updates",
    "kept_updates",
    "remove_kept",
]


@cache
def _claim_statement(dialect_name: str) -> Any:
    """Built once per backend: every update runs it, and building it costs more than running
    it (statement objects cache their compiled form)."""
    return insert_for(dialect_name)(ProcessedUpdate.__table__).on_conflict_do_nothing()


async def claim_update(session: AsyncSession, bot_id: int, update_id: int) -> bool:
    """Record a Telegram update as handled; False if it was already (a redelivery)."""
    connection = await session.connection()
    result = await connection.execute(
        _claim_statement(connection.dialect.name),
        {"bot_id": bot_id, "update_id": update_id, "processed_at": utcnow()},
    )
    return bool(result.rowcount)


async def forget_processed_before(session: AsyncSession, moment: datetime) -> None:
    """Telegram redelivers an update for a day at most: older ids need not be kept."""
    await session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < moment))


_INBOX = cast(Table, InboxUpdate.__table__)
_REMOVE_KEPT = delete(_INBOX).where(
    _INBOX.c.bot_id == bindparam("bot"),
    _INBOX.c.update_id.in_(bindparam("ids", expanding=True)),
)
_KEPT = (
    select(_INBOX.c.id, _INBOX.c.update_id, _INBOX.c.payload_enc)
    .where(_INBOX.c.bot_id == bindparam("bot"))
    .order_by(_INBOX.c.update_id)
)

_TABLE, _COLUMN = "inbox", "payload_enc"


async def keep_updates(
    session: AsyncSession, cipher: FieldCipher, bot_id: int, updates: Sequence[tuple[int, str]]
) -> None:
    """Keep (update id, the update's JSON) pairs, encrypted (they hold what residents typed);
    one already kept is left as it is."""
    now = utcnow()
    rows = []
    for update_id, text in updates:
        row_id = uuid.uuid4()
        payload = cipher.encrypt(text, table=_TABLE, column=_COLUMN, row=row_id)
        rows.append(
            {
                "id": row_id,
                "bot_id": bot_id,
                "update_id": update_id,
                "payload_enc": payload,
                "received_at": now,
            }
        )
    connection = await session.connection()
    statement = insert_for(connection.dialect.name)(_INBOX).on_conflict_do_nothing()
    await connection.execute(statement, rows)


async def remove_kept(session: AsyncSession, bot_id: int, update_ids: Sequence[int]) -> None:
    await (await session.connection()).execute(
        _REMOVE_KEPT, {"bot": bot_id, "ids": list(update_ids)}
    )


async def kept_updates(
    session: AsyncSession, cipher: FieldCipher, bot_id: int
) -> list[tuple[int, str | None]]:
    """A bot's kept updates, oldest first, as (update id, JSON); None for one that cannot be
    read (its key was removed)."""
    kept: list[tuple[int, str | None]] = []
    for row_id, update_id, payload in await session.execute(_KEPT, {"bot": bot_id}):
        try:
            text = cipher.decrypt(payload, table=_TABLE, column=_COLUMN, row=row_id)
        except CryptoError:
            kept.append((update_id, None))
        else:
            kept.append((update_id, text))
    return kept
