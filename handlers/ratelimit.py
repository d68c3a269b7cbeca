"""PTB's rate limiter, strict per chat about Telegram's 429s: a chat's calls take turns, and
none goes out before the chat's latest `retry_after` has run out.

`AIORateLimiter` keeps the bot under Telegram's overall ~30 messages/s and, after a 429, waits
`retry_after` and tries again, pausing every other request meanwhile. But that pause is one
switch for all chats (when two chats' waits overlap, the first to end lets the other chat's
calls through early), and a call already on its way when a 429 arrives goes out regardless
(bench/README.md, item 32). Telegram allows about one message a second in a chat anyway, so
its calls going one at a time costs nothing; the ban is kept even after PTB has given up
retrying and raised the 429 to its caller.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable, Coroutine
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
        async with self._turn(str(chat_id)) as chat:  # 7 and "7" are one chat
            # a call of this chat's that got a 429 has returned by now; the ban is waited out
            # before PTB's limiter, whose slots and pause then apply afresh
            wait = chat.banned_until - asyncio.get_running_loop().time()
            if wait > 0:
                await asyncio.sleep(wait)
            return await super().process_request(
                _noting_bans(chat, callback), args, kwargs, endpoint, data, rate_limit_args
            )

    @contextlib.asynccontextmanager
    async def _turn(self, key: str) -> AsyncIterator[_Chat]:
        """The chat's turn; an idle chat is forgotten once its ban, if any, has run out."""
        chat = self._chats.get(key)
        if chat is None:
            chat = self._chats[key] = _Chat()
        chat.users += 1
        try:
            async with chat.turn:
                yield chat
        finally:
            chat.users -= 1
            if not chat.users:
                loop = asyncio.get_running_loop()
                if chat.banned_until <= loop.time():
                    del self._chats[key]
                else:
                    loop.call_at(chat.banned_until, self._forget, key, chat)

    def _forget(self, key: str, chat: _Chat) -> None:
        idle = not chat.users and chat.banned_until <= asyncio.get_running_loop().time()
        if idle and self._chats.get(key) is chat:
            del self._chats[key]


def _noting_bans(chat: _Chat, callback: Callback) -> Callback:
    """`callback`, noting the ban a 429 sets (PTB's limiter then waits it out and retries)."""

    async def call(*args: Any, **kwargs: Any) -> Result:
        try:
            return await callback(*args, **kwargs)
        except RetryAfter as error:
            until = asyncio.get_running_loop().time() + retry_seconds(error)
            chat.banned_until = max(chat.banned_until, until)
            raise

    return call
