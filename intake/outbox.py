"""The outbox: messages that must reach someone, written in the transaction that causes them.

Rows of one chat are sent strictly in order: a claim takes only each chat's oldest unsent row.

A row holds the message as catalog key, parameters, language and buttons (encrypted: it may name
people). The sender (in `handlers`) claims due rows, sends them within Telegram's limits and
marks them sent; a claim is a lease, so a crashed sender's rows are taken up again later.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Table, Update, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crypto import CryptoError
from intake.deps import Deps
from intake.events import Button, Keyboard, KeyboardKind
from intake.processes import LeaseHolder
from storage.models import Outbox, utcnow
from storage.states import OutboxStatus

__all__ = ["DueMessage", "OutboxMessage", "OutboxService", "enqueue"]

_TABLE, _COLUMN = "outbox", "payload_enc"


@dataclass(frozen=True)
class OutboxMessage:
    key: str
    language: str
    params: dict[str, Any] = field(default_factory=dict)
    keyboard: Keyboard | None = None
    photo: bytes | None = field(default=None, repr=False)  # sent as a photo, text as caption

    def to_json(self) -> str:
        keyboard = None
        if self.keyboard is not None:
            keyboard = {
                "kind": self.keyboard.kind.value,
                "rows": [
                    [
                        {
                            "text_key": b.text_key,
                            "data": b.data,
                            "literal": b.literal,
                            "params": dict(b.params),
                        }
                        for b in row
                    ]
                    for row in self.keyboard.rows
                ],
            }
        return json.dumps(
            {
                "key": self.key,
                "language": self.language,
                "params": self.params,
                "keyboard": keyboard,
                "photo": base64.b64encode(self.photo).decode() if self.photo else None,
            },
            ensure_ascii=False,
        )

    @classmethod
    def from_json(cls, text: str) -> OutboxMessage:
        data = json.loads(text)
        keyboard = None
        if data.get("keyboard"):
            keyboard = Keyboard(
                KeyboardKind(data["keyboard"]["kind"]),
                tuple(
                    tuple(
                        Button(
                            b["text_key"], b["data"], b.get("params") or {}, literal=b["literal"]
                        )
                        for b in row
                    )
                    for row in data["keyboard"]["rows"]
                ),
            )
        photo = base64.b64decode(data["photo"]) if data.get("photo") else None
        return cls(data["key"], data["language"], data.get("params", {}), keyboard, photo)


# The outbox's statements, built once (building one cost more than running it) and run as
# plain statements: a write per message, a claim, and a settle per message sent.
_OUTBOX = cast(Table, Outbox.__table__)
# Only the oldest unsent row of each chat: a chat's messages go out in the order they were
# written, even when a later one is due before an earlier (paced, retried or held by another
# process's lease). How many each chat has waiting tells the sender whether to claim again
# once the first is sent (an empty claim after every message cost a transaction each).
_FIRST_OF_CHAT = (
    select(func.min(_OUTBOX.c.id).label("id"), func.count().label("waiting"))
    .where(_OUTBOX.c.status == OutboxStatus.PENDING)
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


async def enqueue(
    session: AsyncSession, deps: Deps, *, chat_id: int, kind: str, message: OutboxMessage
) -> int:
    """Write a message to the outbox in the caller's transaction; returns the row's id.

    Two plain statements: the row, then its payload, encrypted with the row's id as associated
    data (a payload copied to another row cannot be opened there)."""
    connection = await session.connection()
    row_id: int = (
        await connection.execute(
            _ADD,
            {"chat_id": chat_id, "kind": kind, "payload_enc": b"", "status": OutboxStatus.PENDING},
        )
    ).scalar_one()
    payload = deps.fields.encrypt(message.to_json(), table=_TABLE, column=_COLUMN, row=row_id)
    await connection.execute(_PAYLOAD, {"row_id": row_id, "payload": payload})
    return row_id


@dataclass(frozen=True)
class DueMessage:
    id: int
    chat_id: int
    kind: str
    message: OutboxMessage
    attempts: int
    created_at: datetime
    followed: bool = False  # the chat has later rows waiting, claimable once this one is sent


class OutboxService:
    """Claiming and settling outbox rows; each call is its own short transaction."""

    # Longer than any one pass of the sender (its pacing plans 5 s, PTB's limiter may wait out
    # a 429): a claimed row is not taken by another process while this one is still on it.
    # A process that dies has its leases released within seconds (intake/processes.py).
    LEASE = timedelta(seconds=300)

    def __init__(self, deps: Deps, holder: LeaseHolder | None = None) -> None:
        self._deps = deps
        self._holder = holder

    async def claim_due(self, limit: int = 100) -> list[DueMessage]:
        now = utcnow()
        query = _DUE_LOCKED if self._deps.database.backend == "postgresql" else _DUE
        async with self._deps.database.sessions.begin() as session:
            connection = await session.connection()
            rows = (await connection.execute(query, {"now": now, "limit": limit})).all()
            if not rows:
                return []
            holder = self._holder.id if self._holder is not None else None
            await connection.execute(
                _LEASE,
                {"ids": [row.id for row in rows], "until": now + self.LEASE, "holder": holder},
            )
            due = []
            for row in rows:
                try:
                    text = self._deps.fields.decrypt(
                        row.payload_enc, table=_TABLE, column=_COLUMN, row=row.id
                    )
                    message = OutboxMessage.from_json(text)
                except (CryptoError, ValueError, KeyError):
                    # one unreadable row must not hold up every other message
                    await connection.execute(
                        _FAILED, {"row_id": row.id, "error": "unreadable payload"}
                    )
                    continue
                due.append(
                    DueMessage(
                        row.id,
                        row.chat_id,
                        row.kind,
                        message,
                        row.attempts + 1,
                        row.created_at,
                        followed=row.waiting > 1,
                    )
                )
            return due

    async def mark_sent(self, row_id: int) -> None:
        await self._settle(_SENT, {"row_id": row_id, "now": utcnow()})

    async def retry_later(self, row_id: int, delay: float, error: str) -> None:
        until = utcnow() + timedelta(seconds=delay)
        await self._settle(_LATER, {"row_id": row_id, "until": until, "error": error[:200]})

    async def give_up(self, row_id: int, error: str) -> None:
        await self._settle(_FAILED, {"row_id": row_id, "error": error[:200]})

    async def _settle(self, statement: Update, values: dict[str, Any]) -> None:
        async with self._deps.database.sessions.begin() as session:
            await (await session.connection()).execute(statement, values)
