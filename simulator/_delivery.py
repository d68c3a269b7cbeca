"""Getting updates to a bot: getUpdates long polling, or POSTs to its webhook (in parallel
across chats, in order within each)."""

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
    """Posts each bot's pending updates to its webhook as Telegram does: up to the webhook's
    `max_connections` requests at once, but one at a time per chat (a chat's next update only
    after its previous one was answered 2xx), each retried with back-off until answered."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim
        self._senders: dict[int, _BotSender] = {}
        self._session: aiohttp.ClientSession | None = None

    def kick(self, bot: BotState) -> None:
        """Start the bot's sender if it has a webhook, pending updates and no sender yet;
        else wake its sender to look at the queue again."""
        if bot.webhook is None or not len(bot.updates) or self._sim.closing:
            return
        sender = self._senders.get(bot.id)
        if sender is None or sender.task.done():
            sender = self._senders[bot.id] = _BotSender(self, bot)
        sender.wake.set()

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
        for sender in self._senders.values():
            sender.task.cancel()
        for sender in self._senders.values():
            with contextlib.suppress(asyncio.CancelledError):
                await sender.task
        self._senders.clear()
        if self._session is not None:
            await self._session.close()
            self._session = None


class _BotSender:
    """One bot's deliveries: a task per chat with an update on its way, at most
    `max_connections` of them; updates without a chat share one such lane."""

    def __init__(self, delivery: WebhookDelivery, bot: BotState) -> None:
        self._delivery = delivery
        self._sim = delivery._sim
        self._bot = bot
        self._posting: dict[int | None, asyncio.Task[None]] = {}  # by chat id
        self._delays: dict[int | None, float] = {}  # the next back-off, by chat id
        self.wake = asyncio.Event()
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        try:
            while True:
                self.wake.clear()
                if not self._sim.closing and self._bot.webhook is not None:
                    self._start(self._bot.webhook)
                if not self._posting:
                    return  # nothing to send (or no webhook); the next kick starts anew
                await self.wake.wait()
        finally:
            for task in self._posting.values():
                task.cancel()
            for task in list(self._posting.values()):
                with contextlib.suppress(asyncio.CancelledError):
                    await task

    def _start(self, webhook: Webhook) -> None:
        """Post the oldest pending update of every chat that has none on its way."""
        seen = set(self._posting)
        for update in self._bot.updates.all():
            if len(self._posting) >= webhook.max_connections:
                return
            chat = update.chat_id
            if chat in seen:
                continue  # this chat's earlier update is on its way (or waits its retry)
            seen.add(chat)
            self._posting[chat] = asyncio.get_running_loop().create_task(
                self._deliver(webhook, update, chat)
            )

    async def _deliver(self, webhook: Webhook, update: PendingUpdate, chat: int | None) -> None:
        config = self._sim.config
        try:
            error = await self._delivery._post(webhook, update)
            if error is None:
                self._bot.updates.remove(update.update_id)
                self._delays.pop(chat, None)
                return
            self._bot.last_error_date = self._sim.date()
            self._bot.last_error_message = error
            delay = self._delays.get(chat, config.webhook_retry_initial)
            self._delays[chat] = min(delay * 2, config.webhook_retry_max)
            await self._sim.clock.sleep(delay)
        finally:
            del self._posting[chat]
            self.wake.set()
