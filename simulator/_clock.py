"""Time for the simulator: an injectable clock (scaled or manual) and a wake-up signal."""

from __future__ import annotations

import asyncio
import time
from typing import Protocol


class Clock(Protocol):
    """Simulated time; flood limits, message dates and webhook back-off read it."""

    def now(self) -> float:
        """Monotonic simulated seconds."""

    def wall(self) -> float:
        """Simulated Unix time, for message dates."""

    async def sleep(self, seconds: float) -> None:
        """Sleep for simulated seconds."""


class ScaledClock:
    """Real time running `time_scale` times faster (tests use 10-100 to skip waiting)."""

    def __init__(self, time_scale: float = 1.0) -> None:
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self._scale = time_scale
        self._origin = time.monotonic()
        self._base = 0.0
        self._wall_origin = time.time()

    @property
    def time_scale(self) -> float:
        return self._scale

    def set_time_scale(self, time_scale: float) -> None:
        """Change the speed from now on without making simulated time jump."""
        if time_scale <= 0:
            raise ValueError("time_scale must be positive")
        self._base = self.now()
        self._origin = time.monotonic()
        self._scale = time_scale

    def now(self) -> float:
        return self._base + (time.monotonic() - self._origin) * self._scale

    def wall(self) -> float:
        return self._wall_origin + self.now()

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(max(0.0, seconds) / self._scale)


class ManualClock:
    """A clock that moves only when told to; sleeping advances it at once."""

    def __init__(self, start: float = 0.0, wall_origin: float = 1_767_225_600.0) -> None:
        self._now = start
        self._wall_origin = wall_origin

    def advance(self, seconds: float) -> None:
        self._now += seconds

    def now(self) -> float:
        return self._now

    def wall(self) -> float:
        return self._wall_origin + self._now

    async def sleep(self, seconds: float) -> None:
        self._now += max(0.0, seconds)
        await asyncio.sleep(0)


class Signal:
    """Wakes every current waiter at once; a waiter checks its condition, then waits."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def fire(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait(self, seconds: float) -> bool:
        """Wait for the next fire(); False when `seconds` real seconds passed first."""
        event = self._event
        if seconds <= 0:
            return False
        try:
            await asyncio.wait_for(event.wait(), seconds)
        except TimeoutError:
            return False
        return True
