"""The Simulator: one object holding the whole fake Telegram, stored in the aiohttp app."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from simulator._clock import Clock, ScaledClock
from simulator._delivery import WebhookDelivery
from simulator._errors import CHAT_NOT_FOUND, bad_request, forbidden, unauthorized
from simulator._files import FileStore, make_sticker_image
from simulator._limits import FloodLimiter, FloodLimits
from simulator._state import BotState, Chat, Group, User
from simulator._userside import UserActions
from simulator._validation import JsonObject

_TOKEN = re.compile(r"([0-9]{1,19}):[A-Za-z0-9_-]{1,100}")


@dataclass(frozen=True)
class ApiExchange:
    """One Bot API call as the recorder sees it: raw parameters in, JSON body out."""

    token: str
    method: str
    params: dict[str, object]
    files: dict[str, str | None]  # multipart part name -> file name
    status: int
    response: JsonObject


Recorder = Callable[[ApiExchange], None]


@dataclass
class SimulatorConfig:
    """Start-up settings; flood_limits and time_scale can change at run time too."""

    flood_limits: bool = True
    time_scale: float = 1.0
    limits: FloodLimits = field(default_factory=FloodLimits)
    auto_register_bots: bool = True  # a well-formed unknown token becomes a bot on first use
    webhook_retry_initial: float = 1.0  # simulated seconds before the first retry
    webhook_retry_max: float = 30.0
    webhook_timeout: float = 10.0  # real seconds per POST
    callback_answer_window: float = 60.0  # simulated seconds to answer a callback query


class Simulator:
    """Users, groups and bots of one fake Telegram, plus the services acting on them."""

    def __init__(
        self,
        config: SimulatorConfig | None = None,
        *,
        clock: Clock | None = None,
        recorder: Recorder | None = None,
    ) -> None:
        self.config = config or SimulatorConfig()
        self.clock: Clock = clock or ScaledClock(self.config.time_scale)
        self.recorder = recorder
        self.files = FileStore()
        self.users: dict[int, User] = {}
        self.groups: dict[int, Group] = {}
        self.bots: dict[int, BotState] = {}
        self.delivery = WebhookDelivery(self)
        self.actions = UserActions(self)
        self.closing = False
        self._sticker: bytes | None = None

    # --- set-up -----------------------------------------------------------------------------

    def register_bot(
        self, token: str, *, first_name: str | None = None, username: str | None = None
    ) -> BotState:
        """Add a bot, or return the one with this token; a known id with another secret fails."""
        match = _TOKEN.fullmatch(token)
        if match is None:
            raise ValueError("a bot token looks like 123456:ABC-def_ghi")
        bot_id = int(match.group(1))
        existing = self.bots.get(bot_id)
        if existing is not None:
            if existing.token != token:
                raise ValueError(f"bot {bot_id} is registered with another token")
            return existing
        limiter = FloodLimiter(self.config.limits, self.clock)
        bot = BotState(
            token, first_name or "Simulated Bot", username or f"sim{bot_id}_bot", limiter
        )
        self.bots[bot_id] = bot
        return bot

    def authenticate(self, token: str) -> BotState:
        match = _TOKEN.fullmatch(token)
        if match is None:
            raise unauthorized()
        bot = self.bots.get(int(match.group(1)))
        if bot is None and self.config.auto_register_bots:
            return self.register_bot(token)
        if bot is None or bot.token != token:
            raise unauthorized()
        return bot

    def add_user(
        self,
        first_name: str,
        *,
        user_id: int | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
        phone_number: str | None = None,
        label: str | None = None,
    ) -> User:
        if not first_name:
            raise ValueError("first_name is required")
        if user_id is None:
            user_id = max([*self.users, 100_000_000]) + 1
        if user_id <= 0 or user_id in self.bots:
            raise ValueError("a user id is a positive number that is not a bot's")
        if user_id in self.users:
            raise ValueError(f"user {user_id} exists")
        user = User(user_id, first_name, last_name, username, language_code, phone_number, label)
        self.users[user_id] = user
        return user

    def add_group(self, title: str, member_ids: list[int], *, chat_id: int | None = None) -> Group:
        if not title:
            raise ValueError("title is required")
        unknown = [uid for uid in member_ids if uid not in self.users]
        if unknown:
            raise ValueError(f"unknown users: {unknown}")
        if chat_id is None:
            chat_id = min([*self.groups, -1_000_000]) - 1
        if chat_id >= 0 or chat_id in self.groups:
            raise ValueError("a group id is a negative number not yet used")
        group = Group(chat_id, title, list(member_ids))
        self.groups[chat_id] = group
        return group

    def set_flood_limits(self, enabled: bool) -> None:
        self.config.flood_limits = enabled

    def set_time_scale(self, time_scale: float) -> None:
        if isinstance(self.clock, ScaledClock):
            self.clock.set_time_scale(time_scale)
            self.config.time_scale = time_scale
            return
        raise ValueError("this simulator runs on an injected clock")

    def settings(self) -> JsonObject:
        return {"flood_limits": self.config.flood_limits, "time_scale": self.config.time_scale}

    # --- chats ------------------------------------------------------------------------------

    def chat(self, bot: BotState, chat_id: int) -> Chat | None:
        """The bot's chat with a known user or group, created on first sight."""
        chat = bot.chats.get(chat_id)
        if chat is not None:
            return chat
        user, group = self.users.get(chat_id), self.groups.get(chat_id)
        if user is not None:
            chat_json: JsonObject = {
                key: value
                for key, value in user.to_api().items()
                if key in {"id", "first_name", "last_name", "username"}
            }
            chat = Chat(chat_id, "private", {**chat_json, "type": "private"}, bot.id, user=user)
        elif group is not None:
            chat_json = {"id": chat_id, "title": group.title, "type": "group"}
            chat = Chat(chat_id, "group", chat_json, bot.id, group=group, started=True)
        else:
            return None
        bot.chats[chat_id] = chat
        return chat

    def chat_for_bot(self, bot: BotState, chat_id: int) -> Chat:
        """The chat a Bot API call names, refused as Telegram refuses it."""
        chat = self.chat(bot, chat_id)
        if chat is None:
            raise bad_request(CHAT_NOT_FOUND)
        if chat.blocked:
            raise forbidden("bot was blocked by the user")
        if not chat.started:
            raise forbidden("bot can't initiate conversation with a user")
        return chat

    def date(self) -> int:
        return int(self.clock.wall())

    def charge_flood(self, bot: BotState, chat: Chat, messages: int = 1) -> None:
        if self.config.flood_limits:
            bot.limiter.charge(chat.id, is_group=chat.is_group, messages=messages)

    def enqueue(self, bot: BotState, kind: str, payload: JsonObject) -> None:
        if bot.updates.push(kind, payload) is not None:
            bot.poll_signal.fire()
            self.delivery.kick(bot)

    def sticker_bytes(self) -> bytes:
        if self._sticker is None:
            self._sticker = make_sticker_image()
        return self._sticker

    def record(self, exchange: ApiExchange) -> None:
        if self.recorder is not None:
            self.recorder(exchange)

    def describe(self) -> dict[str, Any]:
        return {
            "bots": [bot.describe() for bot in self.bots.values()],
            "users": [user.describe() for user in self.users.values()],
            "groups": [group.describe() for group in self.groups.values()],
            "settings": self.settings(),
        }

    def close(self) -> None:
        """Wake every long poll so that the server can stop without waiting for them."""
        self.closing = True
        for bot in self.bots.values():
            bot.poll_signal.fire()
            for chat in bot.chats.values():
                chat.log.closed = True
                chat.log.signal.fire()


SIMULATOR_KEY = web.AppKey("simulator", Simulator)
