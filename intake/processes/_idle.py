"""What the background workers share: sleeping until there is work, or until they must stop."""

from __future__ import annotations

import asyncio

__all__ = ["idle"]


async def idle(wake: asyncio.Event, stop: asyncio.Event, poll: float) -> None:
    """Wait until `wake` or `stop` is set, or `poll` seconds pass (work of other processes)."""
    waiters = [asyncio.ensure_future(wake.wait()), asyncio.ensure_future(stop.wait())]
    try:
        await asyncio.wait(waiters, timeout=poll, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
