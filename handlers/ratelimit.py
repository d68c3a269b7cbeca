"""PTB's rate limiter, strict per chat about Telegram's 429s.

`AIORateLimiter` keeps the bot under Telegram's overall ~30 messages/s and, after a 429, waits
`retry_after` and tries again, pausing every other request meanwhile. Two gaps remain, and the
load bench with the simulator's flood limits found both (a call to a chat 0.37 s into that
chat's one-second ban): the pause is one switch for all chats, so when two chats' waits
overlap the first to end lets the other chat's calls through early; and a call already on its
way when a 429 arrives goes out regardless. Here each chat's calls go out one at a time (the
checklist's edit, a deletion, a receipt: Telegram allows about one message a second in a chat
anyway), and each waits until the chat's latest `retry_after` has run out, even after PTB has
given up retrying and raised the 429 to its caller.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import AIORateLimiter

from handlers.replies import retry_seconds

__all__ = ["ChatRateLimiter"]

Result = bool | dict[str, Any] | list[dict[str, Any]]
Callback = Callable[..., Coroutine[Any, Any, Result]]


class _Chat:
    __slots__ = ("banned_until", "turn", "users")

    def __init__(self) -> None:
        self.turn = asyncio.Lock()
        self.users = 0  # calls waiting for or holding the turn
        self.banned_until = 0.0  # event-loop time


class ChatRateLimiter(AIORateLimiter):
    """`AIORateLimiter` whose calls to one chat take turns and keep to its 429s (module doc)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._chats: dict[str, _Chat] = {}

    async def process_request(  # noqa: PLR0917 — PTB's signature
        self,
        callback: Callback,
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Result:
        chat_id = data.get("chat_id")
        if chat_id is None:  # getUpdates, getFile, answerCallbackQuery: no chat's limit
            return await super().process_request(
                callback, args, kwargs, endpoint, data, rate_limit_args
            )
        key = str(chat_id)
        chat = self._chats.get(key)
        if chat is None:
            chat = self._chats[key] = _Chat()
        chat.users += 1
        try:
            async with chat.turn:
                return await super().process_request(
                    _keeping_to(chat, callback), args, kwargs, endpoint, data, rate_limit_args
                )
        finally:
            chat.users -= 1
            if not chat.users:  # an idle chat is forgotten once its ban, if any, has run out
                loop = asyncio.get_running_loop()
                if chat.banned_until <= loop.time():
                    del self._chats[key]
                else:
                    loop.call_at(chat.banned_until, self._forget, key, chat)

    def _forget(self, key: str, chat: _Chat) -> None:
        idle = not chat.users and chat.banned_until <= asyncio.get_running_loop().time()
        if idle and self._chats.get(key) is chat:
            del self._chats[key]


def _keeping_to(chat: _Chat, callback: Callback) -> Callback:
    """`callback`, sent only once the chat's ban has run out, noting a new ban."""

    async def call(*args: Any, **kwargs: Any) -> Result:
        loop = asyncio.get_running_loop()
        wait = chat.banned_until - loop.time()  # the chat's calls take turns: no new ban
        if wait > 0:  # can come while this one waits
            await asyncio.sleep(wait)
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as error:
            chat.banned_until = max(chat.banned_until, loop.time() + retry_seconds(error))
            raise

    return call
