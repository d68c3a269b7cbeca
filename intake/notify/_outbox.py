"""The outbox: messages that must reach someone, written in the transaction that causes them.

A row holds the message as catalog key, parameters, language and buttons (encrypted by the
repository: it may name people). The sender (in `handlers`) claims due rows, sends them within
Telegram's limits and marks them sent; a claim is a lease, so a crashed sender's rows are taken
up again (at once, when its process is reaped: intake/processes). Rows of one chat are sent
strictly in order: a claim takes only each chat's oldest unsent row.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import Button, Keyboard, KeyboardKind
from intake.processes import LeaseHolder
from storage.deps import Deps
from storage.models import utcnow
from storage.repositories import outbox as rows
from storage.repositories import places
from storage.repositories import staff as staff_rows
from storage.states import StaffRole

__all__ = ["DueMessage", "OutboxMessage", "OutboxService", "enqueue"]


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
                            "request_contact": b.request_contact,
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
                            b["text_key"],
                            b["data"],
                            b.get("params") or {},
                            literal=b["literal"],
                            request_contact=bool(b.get("request_contact")),
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
) -> int:
    """Write a message to the outbox in the caller's transaction; returns the row's id."""
    return await rows.add_message(
        session, deps.fields, chat_id=chat_id, kind=kind, payload=message.to_json()
    )


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
    # A process that dies has its leases released within seconds (intake/processes).
    # HOSO_OUTBOX_LEASE_SECONDS sets it (bot/config.py).
    LEASE = timedelta(seconds=300)

    def __init__(
        self, deps: Deps, holder: LeaseHolder | None = None, *, lease: timedelta = LEASE
    ) -> None:
        self._deps = deps
        self._holder = holder
        self._lease = lease

    async def claim_due(self, limit: int = 100) -> list[DueMessage]:
        now = utcnow()
        async with self._deps.database.sessions.begin() as session:
            claimed = await rows.claim_due(
                session,
                self._deps.fields,
                now=now,
                limit=limit,
                lease_until=now + self._lease,
                holder=self._holder.id if self._holder is not None else None,
                skip_locked=self._deps.database.backend == "postgresql",
            )
            due = []
            for row in claimed:
                try:
                    message = OutboxMessage.from_json(row.payload or "")
                except (ValueError, KeyError):
                    # one unreadable row must not hold up every other message
                    await rows.mark_failed(session, row.id, "unreadable payload")
                    continue
                due.append(
                    DueMessage(
                        row.id,
                        row.chat_id,
                        row.kind,
                        message,
                        row.attempts,
                        row.created_at,
                        followed=row.waiting > 1,
                    )
                )
            return due

    async def mark_sent(self, row_id: int) -> None:
        async with self._deps.database.sessions.begin() as session:
            await rows.mark_sent(session, row_id, utcnow())

    async def retry_later(self, row_id: int, delay: float, error: str) -> None:
        until = utcnow() + timedelta(seconds=delay)
        async with self._deps.database.sessions.begin() as session:
            await rows.send_later(session, row_id, until, error)

    async def wait_for_start(self, row: DueMessage, until: datetime) -> bool:
        """Telegram refused the row: its person has not opened the chat with the bot (or has
        blocked it). It waits, with the chat's later rows, until they do (`release_waiting`,
        at their /start) or `until`. The first time a village chief's alert waits, the
        commune's officers are told that the chief has not opened the bot; True if so (their
        messages are new rows to send)."""
        async with self._deps.database.sessions.begin() as session:
            first = await rows.waiting_rows(session, row.chat_id) == 0
            await rows.send_later(session, row.id, until, rows.WAITING_FOR_START)
            if not first:
                return False
            return await chief_not_started(session, self._deps, row.chat_id)

    async def give_up(self, row_id: int, error: str) -> None:
        async with self._deps.database.sessions.begin() as session:
            await rows.mark_failed(session, row_id, error)


async def chief_not_started(session: AsyncSession, deps: Deps, chat_id: int) -> bool:
    """If `chat_id` is a village chief's, tell the commune's officers that the chief has not
    opened the bot yet (their alerts wait for it); True if anyone was told."""
    member = await staff_rows.staff_for_user(session, chat_id)
    if member is None or member.role is not StaffRole.CHIEF or member.commune_id is None:
        return False
    village = await places.village(session, member.village_id) if member.village_id else None
    told = await notify_officers(
        session,
        deps,
        member.commune_id,
        "notify.chief_not_started",
        {"village": village.name if village else "—"},
    )
    return told > 0


async def notify_officers(
    session: AsyncSession,
    deps: Deps,
    commune_id: int,
    key: str,
    params: dict[str, object],
    *,
    keyboard: Keyboard | None = None,
    kind: str = "staff",
    besides: int | None = None,
) -> int:
    """Tell the commune's officers; `besides`: the Telegram account of the officer whose own
    action this is (not told of it)."""
    officers = [
        officer
        for officer in await staff_rows.recipients(
            session, commune_id=commune_id, role=StaffRole.OFFICER
        )
        if officer.telegram_user_id != besides
    ]
    for officer in officers:
        await enqueue(
            session,
            deps,
            chat_id=officer.telegram_user_id,
            kind=kind,
            message=OutboxMessage(key, officer.language, params, keyboard),
        )
    return len(officers)


async def release_waiting(session: AsyncSession, chat_id: int) -> bool:
    """The person of `chat_id` opened the chat (/start): what waited for it is due now; True
    if anything was (the caller wakes the sender)."""
    return await rows.release_waiting(session, chat_id, utcnow()) > 0
