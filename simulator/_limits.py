"""Telegram's flood limits: about 1 message/s per chat, 20/min per group, 30/s per bot."""

from __future__ import annotations

import math
from dataclasses import dataclass

from simulator._clock import Clock
from simulator._errors import too_many_requests


@dataclass(frozen=True)
class FloodLimits:
    """Rates in messages per simulated second; bursts in messages."""

    per_chat_rate: float = 1.0
    per_chat_burst: int = 3
    per_group_rate: float = 20 / 60
    per_group_burst: int = 20
    global_rate: float = 30.0
    global_burst: int = 30


class TokenBucket:
    """Holds up to `capacity` tokens, refilled at `rate` per second."""

    def __init__(self, capacity: float, rate: float, now: float) -> None:
        self.capacity = capacity
        self.rate = rate
        self._tokens = capacity
        self._stamp = now

    def _refill(self, now: float) -> None:
        elapsed = max(0.0, now - self._stamp)
        self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
        self._stamp = now

    def wait_time(self, now: float, cost: float = 1.0) -> float:
        """Seconds until `cost` tokens are there; 0 when they are there now."""
        self._refill(now)
        missing = min(cost, self.capacity) - self._tokens
        return 0.0 if missing <= 1e-9 else missing / self.rate

    def take(self, now: float, cost: float = 1.0) -> None:
        self._refill(now)
        self._tokens -= min(cost, self.capacity)


class FloodLimiter:
    """One bot's limits; `charge` raises 429 with retry_after instead of taking tokens."""

    def __init__(self, limits: FloodLimits, clock: Clock) -> None:
        self._limits = limits
        self._clock = clock
        self._global = TokenBucket(limits.global_burst, limits.global_rate, clock.now())
        self._chats: dict[int, TokenBucket] = {}

    def _chat_bucket(self, chat_id: int, *, is_group: bool, now: float) -> TokenBucket:
        bucket = self._chats.get(chat_id)
        if bucket is None:
            limits = self._limits
            if is_group:
                bucket = TokenBucket(limits.per_group_burst, limits.per_group_rate, now)
            else:
                bucket = TokenBucket(limits.per_chat_burst, limits.per_chat_rate, now)
            self._chats[chat_id] = bucket
        return bucket

    def charge(self, chat_id: int, *, is_group: bool, messages: int = 1) -> None:
        """Account for messages sent to a chat (an album counts once for the chat)."""
        now = self._clock.now()
        chat = self._chat_bucket(chat_id, is_group=is_group, now=now)
        wait = max(chat.wait_time(now), self._global.wait_time(now, messages))
        if wait > 0:
            raise too_many_requests(max(1, math.ceil(wait)))
        chat.take(now)
        self._global.take(now, messages)
