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
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crypto import CryptoError
from intake.deps import Deps
from intake.events import Button, Keyboard, KeyboardKind
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


async def enqueue(
    session: AsyncSession, deps: Deps, *, chat_id: int, kind: str, message: OutboxMessage
) -> Outbox:
    row = Outbox(chat_id=chat_id, kind=kind, payload_enc=b"", status=OutboxStatus.PENDING)
    session.add(row)
    await session.flush()  # the row id is part of the ciphertext's associated data
    row.payload_enc = deps.fields.encrypt(
        message.to_json(), table=_TABLE, column=_COLUMN, row=row.id
    )
    return row


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
    LEASE = timedelta(seconds=300)

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def claim_due(self, limit: int = 100) -> list[DueMessage]:
        now = utcnow()
        async with self._deps.database.sessions.begin() as session:
            # Only the oldest unsent row of each chat: a chat's messages go out in the order
            # they were written, even when a later one is due before an earlier (paced, retried
            # or held by another process's lease).
            # How many each chat has waiting tells the sender whether to claim again once the
            # first is sent (an empty claim after every message cost a transaction each).
            first_of_chat = (
                select(func.min(Outbox.id).label("id"), func.count().label("waiting"))
                .where(Outbox.status == OutboxStatus.PENDING)
                .group_by(Outbox.chat_id)
                .subquery()
            )
            query = (
                select(Outbox, first_of_chat.c.waiting)
                .join(first_of_chat, Outbox.id == first_of_chat.c.id)
                .where(Outbox.not_before <= now)
                .order_by(Outbox.id)
                .limit(limit)
            )
            if self._deps.database.backend == "postgresql":
                query = query.with_for_update(skip_locked=True, of=Outbox)
            due = []
            for row, waiting in await session.execute(query):
                row.not_before = now + self.LEASE  # the lease: nobody else takes it meanwhile
                row.attempts += 1
                try:
                    text = self._deps.fields.decrypt(
                        row.payload_enc, table=_TABLE, column=_COLUMN, row=row.id
                    )
                    message = OutboxMessage.from_json(text)
                except (CryptoError, ValueError, KeyError):
                    # one unreadable row must not hold up every other message
                    row.status, row.last_error = OutboxStatus.FAILED, "unreadable payload"
                    continue
                due.append(
                    DueMessage(
                        row.id,
                        row.chat_id,
                        row.kind,
                        message,
                        row.attempts,
                        row.created_at,
                        followed=waiting > 1,
                    )
                )
            return due

    async def mark_sent(self, row_id: int) -> None:
        async with self._deps.database.sessions.begin() as session:
            await session.execute(
                update(Outbox)
                .where(Outbox.id == row_id)
                .values(status=OutboxStatus.SENT, sent_at=utcnow(), last_error=None)
            )

    async def retry_later(self, row_id: int, delay: float, error: str) -> None:
        async with self._deps.database.sessions.begin() as session:
            await session.execute(
                update(Outbox)
                .where(Outbox.id == row_id)
                .values(not_before=utcnow() + timedelta(seconds=delay), last_error=error[:200])
            )

    async def give_up(self, row_id: int, error: str) -> None:
        async with self._deps.database.sessions.begin() as session:
            await session.execute(
                update(Outbox)
                .where(Outbox.id == row_id)
                .values(status=OutboxStatus.FAILED, last_error=error[:200])
            )
