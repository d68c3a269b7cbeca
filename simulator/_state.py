"""The simulated world: users, groups, bots, their chats and the messages in them."""

from __future__ import annotations

import asyncio
import hashlib
from dataclasses import dataclass, field
from typing import Any

from simulator._clock import Signal
from simulator._limits import FloodLimiter
from simulator._updates import UpdateQueue
from simulator._validation import JsonObject


def _drop_none(values: dict[str, Any]) -> JsonObject:
    return {key: value for key, value in values.items() if value is not None}


@dataclass
class User:
    """A person on the user side; their private chat with any bot has chat id == user id."""

    id: int
    first_name: str
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None
    phone_number: str | None = None
    label: str | None = None  # shown in the chat page's picker, e.g. "village chief"

    def to_api(self) -> JsonObject:
        return _drop_none(
            {
                "id": self.id,
                "is_bot": False,
                "first_name": self.first_name,
                "last_name": self.last_name,
                "username": self.username,
                "language_code": self.language_code,
            }
        )

    def describe(self) -> JsonObject:
        """The control API's view, with the fields Telegram does not show."""
        return {**self.to_api(), "phone_number": self.phone_number, "label": self.label}


@dataclass
class Group:
    """A basic group; every bot is a member and (privacy mode off) sees every message."""

    id: int
    title: str
    member_ids: list[int]

    def describe(self) -> JsonObject:
        return {"id": self.id, "title": self.title, "member_ids": list(self.member_ids)}


@dataclass(frozen=True)
class ChatEvent:
    """Something the user side sees change: message, edit, delete, callback_answer, ..."""

    seq: int
    type: str
    message_id: int | None = None
    data: JsonObject = field(default_factory=dict)


class ChatLog:
    """A chat's change feed; the web page and the driver read it from a sequence number."""

    def __init__(self) -> None:
        self._events: list[ChatEvent] = []
        self.signal = Signal()
        self.closed = False

    @property
    def last_seq(self) -> int:
        return len(self._events)

    def add(self, type_: str, message_id: int | None = None, **data: Any) -> None:
        self._events.append(ChatEvent(len(self._events) + 1, type_, message_id, data))
        self.signal.fire()

    def after(self, seq: int) -> list[ChatEvent]:
        return self._events[max(0, seq) :]

    async def wait_after(self, seq: int, seconds: float) -> list[ChatEvent]:
        """Events after `seq`, waiting up to `seconds` (real) for the first one."""
        deadline = asyncio.get_running_loop().time() + seconds
        while True:
            events = self.after(seq)
            remaining = deadline - asyncio.get_running_loop().time()
            if events or self.closed or remaining <= 0:
                return events
            await self.signal.wait(remaining)


@dataclass(eq=False)
class Message:
    message_id: int
    chat: Chat
    sender: JsonObject  # the User object of the author
    from_bot: bool
    date: int
    content: JsonObject  # text/entities, photo, document, caption, contact, ...
    inline_markup: JsonObject | None = None
    reply_to: Message | None = None
    media_group_id: str | None = None
    edit_date: int | None = None
    force_reply: bool = False

    def to_api(self, *, nested: bool = False) -> JsonObject:
        message: JsonObject = {
            "message_id": self.message_id,
            "from": self.sender,
            "chat": self.chat.to_api(),
            "date": self.date,
        }
        if self.reply_to is not None and not nested:
            message["reply_to_message"] = self.reply_to.to_api(nested=True)
        if self.edit_date is not None:
            message["edit_date"] = self.edit_date
        if self.media_group_id is not None:
            message["media_group_id"] = self.media_group_id
        message.update(self.content)
        if self.inline_markup is not None:
            message["reply_markup"] = self.inline_markup
        return message


@dataclass(eq=False)
class Chat:
    """One bot's view of a private chat or a group."""

    id: int
    type: str
    chat_json: JsonObject
    bot_id: int
    user: User | None = None
    group: Group | None = None
    messages: dict[int, Message] = field(default_factory=dict)
    next_message_id: int = 1
    reply_keyboard: JsonObject | None = None
    started: bool = False
    blocked: bool = False
    log: ChatLog = field(default_factory=ChatLog)

    @property
    def is_group(self) -> bool:
        return self.type != "private"

    @property
    def chat_instance(self) -> str:
        digest = hashlib.sha256(f"{self.bot_id}:{self.id}".encode()).digest()
        return str(int.from_bytes(digest[:8], "big") >> 1)

    def to_api(self) -> JsonObject:
        return dict(self.chat_json)

    def add_message(self, **fields: Any) -> Message:
        message = Message(message_id=self.next_message_id, chat=self, **fields)
        self.next_message_id += 1
        self.messages[message.message_id] = message
        self.log.add("message", message.message_id)
        return message

    def is_member(self, user_id: int) -> bool:
        if self.group is not None:
            return user_id in self.group.member_ids
        return self.user is not None and self.user.id == user_id


@dataclass
class Webhook:
    url: str
    secret_token: str | None = None
    max_connections: int = 40
    ip_address: str | None = None
    allowed_updates: list[str] | None = None


@dataclass
class CallbackQuery:
    id: str
    chat_id: int
    message_id: int
    created: float
    answered: bool = False


class BotState:
    """One bot (token): its chats, pending updates, webhook, commands and flood limiter."""

    def __init__(self, token: str, first_name: str, username: str, limiter: FloodLimiter) -> None:
        self.id = int(token.split(":", 1)[0])
        self.token = token
        self.first_name = first_name
        self.username = username
        self.limiter = limiter
        self.chats: dict[int, Chat] = {}
        self.updates = UpdateQueue()
        self.webhook: Webhook | None = None
        self.last_error_date: int | None = None
        self.last_error_message: str | None = None
        self.commands: dict[tuple[str, str], list[JsonObject]] = {}
        self.callback_queries: dict[str, CallbackQuery] = {}
        self.poll_generation = 0
        self.poll_signal = Signal()

    def user_json(self) -> JsonObject:
        return {
            "id": self.id,
            "is_bot": True,
            "first_name": self.first_name,
            "username": self.username,
        }

    def describe(self) -> JsonObject:
        return {
            "id": self.id,
            "first_name": self.first_name,
            "username": self.username,
            "webhook_url": self.webhook.url if self.webhook else None,
            "pending_update_count": len(self.updates),
        }
