"""The outbox sender: delivers outbox rows within Telegram's limits.

At most `overall_rate` messages a second in all and one message per `chat_interval` seconds to
any chat (Telegram: ~30/s, ~1/s per chat, 20/min per group). A 429 pauses that chat for its
`retry_after`; timeouts and 5xx are retried with backoff; a chat that blocked the bot or does not
exist fails the row at once; rows still unsent after `give_up_after` fail, visible in
`hoso status`. Rows of one chat go out in the order they were written.
"""

from __future__ import annotations

import asyncio
import logging
import time
from datetime import UTC, datetime, timedelta

from telegram import Bot
from telegram.error import (
    BadRequest,
    Forbidden,
    NetworkError,
    RetryAfter,
    TelegramError,
    TimedOut,
)

from handlers.replies import markup_for
from intake.messages import Language, render
from intake.outbox import DueMessage, OutboxService
from intake.workers import idle

__all__ = ["OutboxSender"]

log = logging.getLogger("hoso.outbox")


class OutboxSender:
    HORIZON = 5.0  # seconds of sending planned per pass
    MAX_ATTEMPTS = 20  # with backoff up to 5 min: hours of Telegram trouble before giving up

    def __init__(
        self,
        bot: Bot,
        outbox: OutboxService,
        *,
        overall_rate: float = 25.0,
        chat_interval: float = 1.05,
        group_interval: float = 3.1,
        give_up_after: timedelta = timedelta(hours=24),
    ) -> None:
        self._bot = bot
        self._outbox = outbox
        self._gap = 1.0 / overall_rate
        self._chat_interval = chat_interval
        self._group_interval = group_interval
        self._give_up_after = give_up_after
        self._next_send = 0.0
        self._chat_ready: dict[int, float] = {}
        self._wake = asyncio.Event()

    def kick(self) -> None:
        self._wake.set()

    async def run(self, stop: asyncio.Event, *, poll: float = 1.0) -> None:
        while not stop.is_set():
            self._wake.clear()
            try:
                sent = await self.send_due(stop)
            except Exception:
                log.exception("outbox pass failed")
                sent = 0
            if sent:
                continue
            await idle(self._wake, stop, poll)

    async def send_due(self, stop: asyncio.Event | None = None) -> int:
        """Send what is due within the next few seconds, interleaving chats; returns the count.

        Each chat gets a slot every `chat_interval` seconds; rows whose slot is further away
        than `HORIZON` are put back with that time, so a pass stays short (well inside the
        claim's lease) and a burst to one chat never holds up the others.
        """
        due = await self._outbox.claim_due()
        now = time.monotonic()
        chat_next = dict(self._chat_ready)
        schedule: list[tuple[float, int, DueMessage]] = []
        for order, row in enumerate(due):
            slot = max(chat_next.get(row.chat_id, now), now)
            if slot > now + self.HORIZON:
                await self._outbox.retry_later(row.id, slot - now, "paced")
                continue
            schedule.append((slot, order, row))
            chat_next[row.chat_id] = slot + self._interval(row.chat_id)
        schedule.sort(key=lambda item: (item[0], item[1]))
        sent = 0
        held: set[int] = set()  # a chat whose earlier row failed: its later rows wait, in order
        for slot, _, row in schedule:
            if (stop is not None and stop.is_set()) or row.chat_id in held:
                await self._outbox.retry_later(row.id, 1.0, "deferred")
                continue
            delay = max(slot, self._next_send) - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            if await self._send(row):
                sent += 1
            else:
                held.add(row.chat_id)
        return sent

    def _interval(self, chat_id: int) -> float:
        return self._group_interval if chat_id < 0 else self._chat_interval

    async def _send(self, row: DueMessage) -> bool:
        if datetime.now(UTC) - row.created_at > self._give_up_after:
            await self._outbox.give_up(row.id, "expired")
            return False
        message = row.message
        try:
            language = Language(message.language)
            text = render(language, message.key, message.params)
            markup = markup_for(language, message.keyboard)
        except (KeyError, ValueError, IndexError) as exc:  # a row no catalog can render
            await self._outbox.give_up(row.id, f"unrenderable: {type(exc).__name__}")
            log.warning("outbox row cannot be rendered", extra={"outbox_id": row.id})
            return False
        now = time.monotonic()
        self._next_send = now + self._gap
        self._chat_ready[row.chat_id] = now + self._interval(row.chat_id)
        try:
            if message.photo is not None:
                await self._bot.send_photo(
                    row.chat_id, message.photo, caption=text[:1024], reply_markup=markup
                )
            else:
                await self._bot.send_message(row.chat_id, text, reply_markup=markup)
        except RetryAfter as exc:
            wait = exc.retry_after
            seconds = wait.total_seconds() if isinstance(wait, timedelta) else float(wait)
            self._chat_ready[row.chat_id] = time.monotonic() + seconds
            await self._outbox.retry_later(row.id, seconds, f"429 retry_after={seconds}")
            log.info(
                "flood limit honoured", extra={"chat_id": row.chat_id, "retry_after": seconds}
            )
            return False
        except (Forbidden, BadRequest) as exc:
            await self._outbox.give_up(row.id, type(exc).__name__)
            log.warning(
                "outbox message refused",
                extra={"chat_id": row.chat_id, "error": type(exc).__name__},
            )
            return False
        except (TimedOut, NetworkError, TelegramError) as exc:  # 5xx, timeouts, the rest
            if row.attempts >= self.MAX_ATTEMPTS:
                await self._outbox.give_up(row.id, type(exc).__name__)
                return False
            backoff = min(300.0, 2.0 ** min(row.attempts, 8))
            await self._outbox.retry_later(row.id, backoff, type(exc).__name__)
            return False
        await self._outbox.mark_sent(row.id)
        return True
