"""The outbox sender: chats side by side, each chat in order and at its own pace."""

from __future__ import annotations

import asyncio
import contextlib
import re
import time
from collections.abc import AsyncIterator
from typing import Any

from handlers.outbox import OutboxSender
from intake.notify import OutboxMessage, OutboxService, enqueue
from storage.deps import Deps


class SlowTelegram:
    """An offline stand-in for the Bot: every message takes a round trip of `delay`."""

    def __init__(self, delay: float, expected: int) -> None:
        self.delay = delay
        self.expected = expected
        self.sent: list[tuple[float, int, str]] = []  # when, chat, receipt
        self.all_sent = asyncio.Event()
        self.first_sent = asyncio.Event()

    async def send_message(self, chat_id: int, text: str, **_: Any) -> None:
        await asyncio.sleep(self.delay)
        receipt = re.search(r"R\d+-\d+", text).group()  # type: ignore[union-attr]
        self.sent.append((time.monotonic(), chat_id, receipt))
        self.first_sent.set()
        if len(self.sent) == self.expected:
            self.all_sent.set()


async def add(deps: Deps, *chats: int) -> None:
    async with deps.database.sessions.begin() as session:
        for number, chat in enumerate(chats):
            message = OutboxMessage("withdraw.confirm", "vi", {"receipt": f"R{chat}-{number}"})
            await enqueue(session, deps, chat_id=chat, kind="test", message=message)


async def run_until_all_sent(sender: OutboxSender, telegram: SlowTelegram) -> float:
    stop = asyncio.Event()
    started = time.monotonic()
    task = asyncio.create_task(sender.run(stop, poll=0.05))
    try:
        await asyncio.wait_for(telegram.all_sent.wait(), 20)
    finally:
        stop.set()
        await task
    return time.monotonic() - started


async def test_chats_go_side_by_side_and_each_chat_in_order(deps: Deps) -> None:
    telegram = SlowTelegram(delay=0.2, expected=33)
    service = OutboxService(deps)
    sender = OutboxSender(telegram, service, overall_rate=1000, chat_interval=0.0)  # type: ignore[arg-type]
    await add(deps, *range(1, 31))  # 30 chats
    await add(deps, 99, 99, 99)  # and three rows for one chat
    took = await run_until_all_sent(sender, telegram)
    assert took < 2.0, "one at a time, 33 round trips of 0.2 s would take 6.6 s"
    assert [receipt for _, chat, receipt in telegram.sent if chat == 99] == [
        "R99-0",
        "R99-1",
        "R99-2",
    ]
    assert len({receipt for _, _, receipt in telegram.sent}) == 33  # each once


async def test_a_chat_waiting_for_its_pace_does_not_hold_up_the_others(deps: Deps) -> None:
    telegram = SlowTelegram(delay=0.0, expected=3)
    service = OutboxService(deps)
    sender = OutboxSender(telegram, service, overall_rate=1000, chat_interval=1.0)  # type: ignore[arg-type]
    await add(deps, 7, 7)  # the second must wait a second after the first
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop, poll=0.05))
    try:
        await asyncio.wait_for(telegram.first_sent.wait(), 10)
        await asyncio.sleep(0.2)  # chat 7's second row is waiting for its turn now
        added = time.monotonic()
        await add(deps, 8)
        sender.kick()
        await asyncio.wait_for(telegram.all_sent.wait(), 10)
    finally:
        stop.set()
        await task
    at = {receipt: when for when, _, receipt in telegram.sent}
    assert at["R8-0"] - added < 0.5, "chat 8 waited for chat 7's pace"
    assert at["R7-1"] - at["R7-0"] >= 0.9


class CountingService(OutboxService):
    def __init__(self, deps: Deps) -> None:
        super().__init__(deps)
        self.claims: list[int] = []  # rows each claim returned

    async def claim_due(self, limit: int = 100) -> list[Any]:
        due = await super().claim_due(limit)
        self.claims.append(len(due))
        return due


@contextlib.asynccontextmanager
async def sending_without_a_poll(
    deps: Deps, telegram: SlowTelegram
) -> AsyncIterator[tuple[CountingService, OutboxSender]]:
    """A sender running with a poll too long to help: only its own claims and kicks count."""
    service = CountingService(deps)
    sender = OutboxSender(telegram, service, overall_rate=1000, chat_interval=0.0)  # type: ignore[arg-type]
    stop = asyncio.Event()
    task = asyncio.create_task(sender.run(stop, poll=30.0))
    try:
        yield service, sender
    finally:
        stop.set()
        await task


async def test_a_chat_with_more_waiting_is_claimed_again_at_once_others_are_not(
    deps: Deps,
) -> None:
    telegram = SlowTelegram(delay=0.0, expected=5)
    await add(deps, 1, 2, 3)
    await add(deps, 9, 9)
    async with sending_without_a_poll(deps, telegram) as (service, _):
        await asyncio.wait_for(telegram.all_sent.wait(), 10)  # chat 9's second: claimed again
        await asyncio.sleep(0.3)
    # the four firsts, then chat 9's second once its first was sent; no claim that finds
    # nothing (none while a pass is on its way, none after a pass of chats with nothing more)
    assert service.claims == [4, 1]


async def test_a_row_written_while_its_chat_is_sending_goes_without_waiting_for_the_poll(
    deps: Deps,
) -> None:
    telegram = SlowTelegram(delay=0.3, expected=2)
    await add(deps, 5)
    async with sending_without_a_poll(deps, telegram) as (_, sender):
        await asyncio.sleep(0.1)  # the first row is on its way
        await add(deps, 5)
        sender.kick()  # as a commit that wrote a row does
        await asyncio.wait_for(telegram.all_sent.wait(), 5)
    assert [chat for _, chat, _ in telegram.sent] == [5, 5]  # the second within the 5 s, not 30
