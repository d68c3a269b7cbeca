"""Getting updates to a bot: getUpdates long polling, or POSTs to its webhook in order."""

from __future__ import annotations

import asyncio
import contextlib
import json
from typing import TYPE_CHECKING

import aiohttp

from simulator._errors import conflict
from simulator._state import BotState, Webhook
from simulator._updates import PendingUpdate
from simulator._validation import JsonObject

if TYPE_CHECKING:
    from simulator._simulator import Simulator

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 -- a header name


async def poll_updates(
    sim: Simulator,
    bot: BotState,
    *,
    offset: int | None,
    limit: int,
    wait_seconds: float,
    allowed_updates: list[str] | None,
) -> list[JsonObject]:
    """getUpdates: confirm below `offset`, then return up to `limit` updates, waiting if none."""
    if bot.webhook is not None:
        raise conflict(
            "can't use getUpdates method while webhook is active; "
            "use deleteWebhook to delete the webhook first"
        )
    bot.poll_generation += 1
    generation = bot.poll_generation
    bot.poll_signal.fire()  # an older request still waiting now ends with 409
    if allowed_updates is not None:
        bot.updates.set_allowed(allowed_updates)
    if offset:
        bot.updates.confirm(offset)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    while True:
        if bot.poll_generation != generation:
            raise conflict(
                "terminated by other getUpdates request; "
                "make sure that only one bot instance is running"
            )
        if bot.webhook is not None:
            raise conflict("terminated by setWebhook request")
        updates = bot.updates.first(limit)
        remaining = deadline - loop.time()
        if updates or remaining <= 0 or sim.closing:
            return [update.to_api() for update in updates]
        await bot.poll_signal.wait(remaining)


class WebhookDelivery:
    """One sender task per bot posts its pending updates one by one, retrying with back-off."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim
        self._tasks: dict[int, asyncio.Task[None]] = {}
        self._session: aiohttp.ClientSession | None = None

    def kick(self, bot: BotState) -> None:
        """Start the bot's sender if it has a webhook, pending updates and no sender yet."""
        if bot.webhook is None or not len(bot.updates) or self._sim.closing:
            return
        task = self._tasks.get(bot.id)
        if task is None or task.done():
            self._tasks[bot.id] = asyncio.get_running_loop().create_task(self._run(bot))

    async def _run(self, bot: BotState) -> None:
        config = self._sim.config
        delay = config.webhook_retry_initial
        while not self._sim.closing and bot.webhook is not None:
            pending = bot.updates.first(1)
            if not pending:
                return
            error = await self._post(bot.webhook, pending[0])
            if error is None:
                bot.updates.confirm(pending[0].update_id + 1)
                delay = config.webhook_retry_initial
                continue
            bot.last_error_date = self._sim.date()
            bot.last_error_message = error
            await self._sim.clock.sleep(delay)
            delay = min(delay * 2, config.webhook_retry_max)

    async def _post(self, webhook: Webhook, update: PendingUpdate) -> str | None:
        """POST one update; None when the bot answered 2xx, else Telegram's error text."""
        if self._session is None:
            self._session = aiohttp.ClientSession()
        headers = {"Content-Type": "application/json"}
        if webhook.secret_token:
            headers[SECRET_HEADER] = webhook.secret_token
        timeout = aiohttp.ClientTimeout(total=self._sim.config.webhook_timeout)
        try:
            async with self._session.post(
                webhook.url, data=json.dumps(update.to_api()), headers=headers, timeout=timeout
            ) as response:
                await response.read()
                if 200 <= response.status < 300:
                    return None
                return f"Wrong response from the webhook: {response.status} {response.reason}"
        except aiohttp.ClientConnectorError:
            return "Connection refused"
        except TimeoutError:
            return "Connection timed out"
        except aiohttp.ClientError as error:
            return f"Connection error: {type(error).__name__}"

    async def close(self) -> None:
        for task in self._tasks.values():
            task.cancel()
        for task in self._tasks.values():
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._tasks.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None
