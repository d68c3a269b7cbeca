"""Updates taken by long polling are kept until they are handled.

Telegram forgets an update once the next `getUpdates` asks for a higher offset. PTB's own
polling asks for it as soon as the updates are queued in memory, before they are handled, so a
bot killed with a queue (an album's photos waiting for their chat's turn, a burst) lost those
updates for good: a resident's photo or "send" press silently vanished. Here each batch is
written to the database first (encrypted: it holds what residents typed), Telegram is told to
forget it only then, and a handled update is crossed off (in batches, once a second). At start,
what a crash left is handled first, in order; an update that was handled but not yet crossed off
is recognised by its id as always (`processed_update`) and ignored.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Sequence
from typing import cast

from sqlalchemy import Table, bindparam, delete, select

from crypto import CryptoError
from intake.deps import Deps
from storage.db import insert_for
from storage.models import InboxUpdate, utcnow

__all__ = ["UpdateInbox"]

log = logging.getLogger("hoso.inbox")
_TABLE, _COLUMN = "inbox", "payload_enc"
_INBOX = cast(Table, InboxUpdate.__table__)
_HANDLED = delete(_INBOX).where(
    _INBOX.c.bot_id == bindparam("bot"),
    _INBOX.c.update_id.in_(bindparam("ids", expanding=True)),
)
_LEFT = (
    select(_INBOX.c.id, _INBOX.c.update_id, _INBOX.c.payload_enc)
    .where(_INBOX.c.bot_id == bindparam("bot"))
    .order_by(_INBOX.c.update_id)
)


class UpdateInbox:
    """One bot's kept updates: `keep` before confirming to Telegram, `handled` after."""

    def __init__(self, deps: Deps, bot_id: int) -> None:
        self._deps = deps
        self._bot_id = bot_id
        self._handled: list[int] = []

    async def keep(self, updates: Sequence[tuple[int, str]]) -> None:
        """Write (update id, the update's JSON) pairs; one already kept is left as it is."""
        if not updates:
            return
        rows = []
        for update_id, text in updates:
            row_id = uuid.uuid4()
            payload = self._deps.fields.encrypt(text, table=_TABLE, column=_COLUMN, row=row_id)
            rows.append(
                {
                    "id": row_id,
                    "bot_id": self._bot_id,
                    "update_id": update_id,
                    "payload_enc": payload,
                    "received_at": utcnow(),
                }
            )
        async with self._deps.database.sessions.begin() as session:
            connection = await session.connection()
            statement = insert_for(connection.dialect.name)(_INBOX).on_conflict_do_nothing()
            await connection.execute(statement, rows)

    def handled(self, update_id: int) -> None:
        """The update was handled (or failed and was logged): cross it off at the next flush."""
        self._handled.append(update_id)

    async def flush(self) -> int:
        done, self._handled = self._handled, []
        if done:
            async with self._deps.database.sessions.begin() as session:
                await (await session.connection()).execute(
                    _HANDLED, {"bot": self._bot_id, "ids": done}
                )
        return len(done)

    async def left(self) -> list[tuple[int, str]]:
        """What a previous run kept and did not cross off, oldest first. A row that cannot be
        read (a key that was removed) is logged and dropped."""
        kept: list[tuple[int, str]] = []
        unreadable: list[int] = []
        async with self._deps.database.sessions() as session:
            rows = (await session.execute(_LEFT, {"bot": self._bot_id})).all()
        for row_id, update_id, payload in rows:
            try:
                text = self._deps.fields.decrypt(payload, table=_TABLE, column=_COLUMN, row=row_id)
            except CryptoError:  # the error says nothing more than this line
                log.error(  # noqa: TRY400
                    "a kept update cannot be read", extra={"update_id": update_id}
                )
                unreadable.append(update_id)
                continue
            kept.append((update_id, text))
        self._handled.extend(unreadable)
        return kept

    async def run(self, stop: asyncio.Event, *, every: float = 1.0) -> None:
        """Cross off what was handled, every `every` seconds and once more at the stop."""
        while not stop.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=every)
            try:
                await self.flush()
            except Exception:  # not crossed off: ignored by id when handled again
                log.exception("handled updates not crossed off")
