"""The outbox sender: delivers outbox rows within Telegram's limits.

At most `overall_rate` messages a second in all and one message per `chat_interval` seconds to
any chat (Telegram: ~30/s, ~1/s per chat, 20/min per group). A 429 pauses that chat for its
`retry_after`; timeouts and 5xx are retried with backoff; a chat whose person has not opened
the bot (or blocked it) keeps its rows waiting until they send /start; a chat that does not
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

from handlers.replies import markup_for, retry_seconds
from intake.language import Language, render
from intake.notify import DueMessage, OutboxService
from intake.processes import idle

__all__ = ["OutboxSender"]

log = logging.getLogger("hoso.outbox")


class OutboxSender:
    HORIZON = 5.0  # seconds of sending planned per pass
    MAX_ATTEMPTS = 20  # with backoff up to 5 min: hours of Telegram trouble before giving up
    MAX_IN_FLIGHT = 16  # requests at once; the overall rate still paces them
    MAX_CLAIMED = 100  # rows claimed and not yet settled

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
        self._in_flight = asyncio.Semaphore(self.MAX_IN_FLIGHT)
        self._in_flight_rows: set[int] = set()  # claimed here and not yet settled
        # the last claim took all it could, or there was no room to claim: more may be due
        self._more_due = False
        self._written_in_flight = False  # rows were written while passes were on their way

    def kick(self) -> None:
        """New rows were written: claim now, and again when the passes on their way end (a new
        row behind a chat's message in flight can only be claimed after that one is sent)."""
        if self._in_flight_rows:
            self._written_in_flight = True
        self._wake.set()

    async def run(self, stop: asyncio.Event, *, poll: float = 1.0) -> None:
        """Send until stopped. A new claim does not wait for the messages already on their way:
        their chats are leased, so a claim never takes a chat's next row before the one in
        flight, and the order per chat holds. At most `MAX_CLAIMED` rows are out at once.

        The sender claims again at once only when more may be due: the claim was full, or a
        pass has just served a chat with more rows waiting; new rows wake it themselves, and
        rows due later (paced, retried, another process's lease) are found by the poll. An
        empty claim after every pass had cost a transaction per message."""
        passes: set[asyncio.Task[int]] = set()
        while not stop.is_set():
            self._wake.clear()
            started = None
            room = self.MAX_CLAIMED - len(self._in_flight_rows)
            if room > 0:
                try:
                    started = await self._start_pass(stop, room)
                except Exception:
                    log.exception("outbox pass failed")
            else:
                self._more_due = True  # a pass that ends makes room: claim then
            if started is not None:
                passes.add(started)
                started.add_done_callback(passes.discard)
                if self._more_due:
                    continue
            await idle(self._wake, stop, poll)
        await asyncio.gather(*passes, return_exceptions=True)

    async def send_due(self, stop: asyncio.Event | None = None) -> int:
        """One pass, to its end; returns how many messages went out."""
        started = await self._start_pass(stop, self.MAX_CLAIMED)
        return 0 if started is None else await started

    async def _start_pass(
        self, stop: asyncio.Event | None, limit: int
    ) -> asyncio.Task[int] | None:
        """Claim what is due and start sending it within the next few seconds, interleaving
        chats; None when nothing is to be sent now.

        Each chat gets a slot every `chat_interval` seconds; rows whose slot is further away
        than `HORIZON` are put back with that time, so a pass stays short (well inside the
        claim's lease) and a burst to one chat never holds up the others.
        """
        due = await self._outbox.claim_due(limit)
        self._more_due = len(due) >= limit
        now = time.monotonic()
        chat_next = dict(self._chat_ready)
        schedule: list[tuple[float, int, DueMessage]] = []
        for order, row in enumerate(due):
            if row.id in self._in_flight_rows:
                continue  # its lease ran out while it waited here: it is still on its way
            slot = max(chat_next.get(row.chat_id, now), now)
            if slot > now + self.HORIZON:
                await self._outbox.retry_later(row.id, slot - now, "paced")
                continue
            schedule.append((slot, order, row))
            chat_next[row.chat_id] = slot + self._interval(row.chat_id)
        if not schedule:
            return None
        schedule.sort(key=lambda item: (item[0], item[1]))
        self._in_flight_rows.update(row.id for _, _, row in schedule)
        return asyncio.create_task(self._send_pass(schedule, stop))

    async def _send_pass(
        self, schedule: list[tuple[float, int, DueMessage]], stop: asyncio.Event | None
    ) -> int:
        # One row per chat (the claim's rule), so the rows of a pass are independent: they go
        # out side by side, each in its turn under the overall rate. One at a time, a pass
        # would send no faster than one round trip to Telegram per message.
        try:
            results = await asyncio.gather(
                *(self._send_in_turn(slot, row, stop) for slot, _, row in schedule),
                return_exceptions=True,
            )
        finally:
            self._in_flight_rows.difference_update(row.id for _, _, row in schedule)
            # a claim again when there is more to take: the next row of a chat just served, or
            # what a full claim (or no room) left, or rows written while passes were on their
            # way (each may follow a message just sent)
            written, self._written_in_flight = self._written_in_flight, False
            if written or self._more_due or any(row.followed for _, _, row in schedule):
                self._wake.set()
        for result in results:
            if isinstance(result, BaseException):  # the row stays leased: taken up again later
                log.error("outbox message failed", exc_info=result)
        return sum(1 for result in results if result is True)

    async def _send_in_turn(
        self, slot: float, row: DueMessage, stop: asyncio.Event | None
    ) -> bool:
        wait = slot - time.monotonic()  # the chat's own pace first, holding nothing
        if wait > 0:
            await asyncio.sleep(wait)
        async with self._in_flight:
            if stop is not None and stop.is_set():
                await self._outbox.retry_later(row.id, 1.0, "deferred")
                return False
            start = max(self._next_send, time.monotonic())
            self._next_send = start + self._gap  # the turn is taken before waiting for it
            delay = start - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            return await self._send(row)

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
        self._chat_ready[row.chat_id] = time.monotonic() + self._interval(row.chat_id)
        try:
            if message.photo is not None:
                await self._bot.send_photo(
                    row.chat_id, message.photo, caption=text[:1024], reply_markup=markup
                )
            else:
                await self._bot.send_message(row.chat_id, text, reply_markup=markup)
        except RetryAfter as exc:
            seconds = retry_seconds(exc)
            self._chat_ready[row.chat_id] = time.monotonic() + seconds
            await self._outbox.retry_later(row.id, seconds, f"429 retry_after={seconds}")
            log.info(
                "flood limit honoured", extra={"chat_id": row.chat_id, "retry_after": seconds}
            )
            return False
        except Forbidden:
            # not started the bot yet (or blocked it): the row waits for their /start
            if await self._outbox.wait_for_start(row, row.created_at + self._give_up_after):
                self.kick()  # the officers told of a chief who has not opened the bot
            log.info("outbox message waits for its chat", extra={"chat_id": row.chat_id})
            return False
        except BadRequest as exc:
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
