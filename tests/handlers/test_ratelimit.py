"""After a 429 for a chat, no call reaches that chat before its retry_after has run out."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from telegram.error import RetryAfter

from handlers.ratelimit import ChatRateLimiter


class Telegram:
    """Answers each chat's calls; a chat's next answer can be a 429. Records when calls came."""

    def __init__(self, delay: float = 0.01) -> None:
        self.delay = delay  # each call's time on the way
        self.calls: list[tuple[str, float]] = []  # chat, event-loop time
        self.bans: dict[str, list[int]] = {}  # chat -> retry_after of its next answers
        self.in_flight: set[str] = set()
        self.overlapped = False  # two calls to one chat at once

    async def call(self, chat: str) -> bool:
        self.calls.append((chat, asyncio.get_running_loop().time()))
        if chat in self.in_flight:
            self.overlapped = True
        self.in_flight.add(chat)
        try:
            await asyncio.sleep(self.delay)
            if self.bans.get(chat):
                raise RetryAfter(self.bans[chat].pop(0))
            return True
        finally:
            self.in_flight.discard(chat)

    def times(self, chat: str) -> list[float]:
        return [at for name, at in self.calls if name == chat]


def send(limiter: ChatRateLimiter, telegram: Telegram, chat: str, chat_id: object = None) -> Any:
    return limiter.process_request(
        telegram.call, (chat,), {}, "sendMessage", {"chat_id": chat_id or chat}, None
    )


async def test_a_chats_next_call_waits_out_its_ban_even_after_the_limiter_gave_up() -> None:
    limiter, telegram = ChatRateLimiter(max_retries=0), Telegram()
    telegram.bans["7"] = [1]
    first = asyncio.create_task(send(limiter, telegram, "7"))
    second = asyncio.create_task(send(limiter, telegram, "7"))  # on its way meanwhile
    with pytest.raises(RetryAfter):
        await first
    assert await second
    refused, sent = telegram.times("7")
    assert sent - refused >= 1.0
    assert not telegram.overlapped


async def test_overlapping_bans_of_two_chats_each_last_their_own_time() -> None:
    """PTB's own pause ends for everyone when the first of two overlapping waits ends."""
    limiter, telegram = ChatRateLimiter(max_retries=1), Telegram()
    telegram.bans["7"] = [1]
    telegram.bans["8"] = [2]
    short, long = send(limiter, telegram, "7"), send(limiter, telegram, "8")
    started = asyncio.get_running_loop().time()
    both = asyncio.gather(short, long)
    await asyncio.sleep(1.3)  # chat 7 has been retried and answered; chat 8 is still banned
    assert len(telegram.times("7")) == 2
    late = asyncio.create_task(send(limiter, telegram, "8"))
    assert await both == [True, True]
    assert await late
    banned = telegram.times("8")[0]
    assert all(at - banned >= 2.0 for at in telegram.times("8")[1:])
    assert asyncio.get_running_loop().time() - started < 6.0  # not hung


async def test_chats_without_bans_do_not_wait_for_each_other_and_are_forgotten() -> None:
    limiter, telegram = ChatRateLimiter(max_retries=0), Telegram(delay=0.1)
    started = asyncio.get_running_loop().time()
    # 20: within PTB's overall 30 a second
    assert all(await asyncio.gather(*(send(limiter, telegram, str(n)) for n in range(20))))
    assert asyncio.get_running_loop().time() - started < 1.0  # not 20 x 0.1 s in a row
    assert not limiter._chats  # nothing kept once idle and unbanned


async def test_a_chats_id_as_number_and_as_text_takes_one_turn() -> None:
    limiter, telegram = ChatRateLimiter(max_retries=0), Telegram(delay=0.05)
    await asyncio.gather(send(limiter, telegram, "7", 7), send(limiter, telegram, "7", "7"))
    assert len(telegram.times("7")) == 2
    assert not telegram.overlapped


async def test_a_ban_and_a_cancelled_wait_leave_nothing_behind() -> None:
    limiter, telegram = ChatRateLimiter(max_retries=0), Telegram()
    telegram.bans["7"] = [1]
    with pytest.raises(RetryAfter):
        await send(limiter, telegram, "7")
    assert "7" in limiter._chats
    waiting = asyncio.create_task(send(limiter, telegram, "7"))
    await asyncio.sleep(0.1)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    assert len(telegram.times("7")) == 1  # the cancelled call never went out
    await asyncio.sleep(1.0)
    assert not limiter._chats


async def test_calls_without_a_chat_pass_as_before() -> None:
    limiter, telegram = ChatRateLimiter(max_retries=0), Telegram()
    result = await limiter.process_request(telegram.call, ("-",), {}, "getFile", {}, None)
    assert result is True
