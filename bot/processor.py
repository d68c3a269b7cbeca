"""Updates of one chat are handled in order, different chats in parallel (DESIGN.md)."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

__all__ = ["ChatOrderedProcessor"]


class ChatOrderedProcessor(BaseUpdateProcessor):
    """A lock per chat, created on demand and dropped when no update of that chat waits.
    `observe` hears each update's seconds from its arrival here (including the wait for its
    chat's earlier updates) to the end of its handling (its replies sent)."""

    def __init__(
        self,
        max_concurrent_updates: int = 256,
        *,
        observe: Callable[[object, float], None] | None = None,
    ) -> None:
        super().__init__(max_concurrent_updates)
        self._locks: dict[int, tuple[asyncio.Lock, int]] = {}
        self._observe = observe

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        arrived = time.perf_counter()
        try:
            await self._in_chat_order(update, coroutine)
        finally:
            if self._observe is not None:
                self._observe(update, time.perf_counter() - arrived)

    async def _in_chat_order(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await coroutine
            return
        lock, users = self._locks.get(chat.id, (asyncio.Lock(), 0))
        self._locks[chat.id] = (lock, users + 1)
        try:
            async with lock:
                await coroutine
        finally:
            lock, users = self._locks[chat.id]
            if users == 1:
                del self._locks[chat.id]
            else:
                self._locks[chat.id] = (lock, users - 1)

    @property
    def chats_in_flight(self) -> int:
        return len(self._locks)

    async def initialize(self) -> None:
        """Nothing to allocate."""

    async def shutdown(self) -> None:
        """Nothing to free."""
