"""Flood limits: ~1 message/s per chat with a burst of 3, 30/s per bot, 429 with retry_after."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import aiohttp
import pytest
import telegram
from telegram.error import RetryAfter

from simulator import ManualClock, Simulator, SimulatorConfig, SimulatorServer
from simulator._errors import BotApiError
from simulator._limits import FloodLimiter, FloodLimits
from tests.fixtures.simulator import TOKEN, RawBotApi


@pytest.fixture
async def limited() -> AsyncIterator[tuple[SimulatorServer, ManualClock]]:
    clock = ManualClock()
    async with SimulatorServer(SimulatorConfig(), clock=clock) as server:
        server.register_bot(TOKEN)
        yield server, clock


async def started_users(server: SimulatorServer, count: int) -> list[int]:
    ids = []
    for number in range(count):
        user = server.add_user(f"User {number}")
        await user.send_command("start")
        ids.append(user.chat_id)
    return ids


async def send(raw: RawBotApi, chat_id: int, text: str = "hi") -> tuple[int, dict[str, object]]:
    return await raw.json("sendMessage", chat_id=chat_id, text=text)


async def test_per_chat_limit_after_a_burst_of_three(
    limited: tuple[SimulatorServer, ManualClock],
) -> None:
    server, clock = limited
    (chat,) = await started_users(server, 1)
    async with aiohttp.ClientSession() as session:
        raw = RawBotApi(session, server.url)
        for _ in range(3):
            assert (await send(raw, chat))[0] == 200
        status, body = await send(raw, chat)
        assert (status, body) == (
            429,
            {
                "ok": False,
                "error_code": 429,
                "description": "Too Many Requests: retry after 1",
                "parameters": {"retry_after": 1},
            },
        )
        # Only message-producing methods count.
        assert (await raw.json("getMe"))[0] == 200
        assert (await raw.json("sendChatAction", chat_id=chat, action="typing"))[0] == 200
        clock.advance(1.0)
        assert (await send(raw, chat))[0] == 200
        status, _ = await raw.json("editMessageText", chat_id=chat, message_id=2, text="edited")
        assert status == 429  # edits count as messages too


async def test_overall_limit_of_thirty_per_second(
    limited: tuple[SimulatorServer, ManualClock],
) -> None:
    server, clock = limited
    chats = await started_users(server, 31)
    async with aiohttp.ClientSession() as session:
        raw = RawBotApi(session, server.url)
        statuses = [(await send(raw, chat))[0] for chat in chats]
        assert statuses == [200] * 30 + [429]
        clock.advance(0.1)  # three tokens back at 30/s
        assert [(await send(raw, chat))[0] for chat in chats[:4]] == [200, 200, 200, 429]


async def test_flood_limits_off_and_switchable(
    limited: tuple[SimulatorServer, ManualClock],
) -> None:
    server, _ = limited
    (chat,) = await started_users(server, 1)
    async with aiohttp.ClientSession() as session:
        raw = RawBotApi(session, server.url)
        async with session.post(f"{server.url}/sim/settings", json={"flood_limits": False}) as r:
            assert (await r.json())["result"]["flood_limits"] is False
        assert [(await send(raw, chat))[0] for _ in range(50)] == [200] * 50
        server.set_flood_limits(True)
        statuses = [(await send(raw, chat))[0] for _ in range(4)]
        assert statuses[-1] == 429


@pytest.mark.filterwarnings("ignore::telegram.warnings.PTBDeprecationWarning")
async def test_time_scale_makes_waiting_short() -> None:
    # 5x: one simulated second is 200 ms, so four quick sends on a busy machine still fall
    # within one second of simulated time, and the wait is still short
    async with SimulatorServer(SimulatorConfig(time_scale=5)) as server:
        server.register_bot(TOKEN)
        (chat,) = await started_users(server, 1)
        bot = telegram.Bot(TOKEN, base_url=server.base_url, base_file_url=server.base_file_url)
        async with bot:
            for _ in range(3):
                await bot.send_message(chat, "hi")
            with pytest.raises(RetryAfter) as caught:
                await bot.send_message(chat, "hi")
            assert "Retry in 1 seconds" in str(caught.value)  # PTB read parameters.retry_after
            await asyncio.sleep(1 / 5 + 0.05)  # one simulated second
            await bot.send_message(chat, "again")


def test_limiter_retry_after_rounds_up() -> None:
    clock = ManualClock()
    limiter = FloodLimiter(FloodLimits(per_chat_rate=0.25, per_chat_burst=1), clock)
    limiter.charge(1, is_group=False)
    with pytest.raises(BotApiError) as caught:
        limiter.charge(1, is_group=False)
    assert caught.value.retry_after == 4
    clock.advance(3.5)
    with pytest.raises(BotApiError) as caught:
        limiter.charge(1, is_group=False)
    assert caught.value.retry_after == 1
    limiter.charge(2, is_group=False)  # another chat has its own bucket


def test_group_limit_is_twenty_per_minute() -> None:
    clock = ManualClock()
    limiter = FloodLimiter(FloodLimits(), clock)
    for _ in range(20):
        limiter.charge(-5, is_group=True)
        clock.advance(0.1)
    with pytest.raises(BotApiError):
        limiter.charge(-5, is_group=True)


def test_simulator_rejects_bad_time_scale() -> None:
    with pytest.raises(ValueError, match="positive"):
        Simulator(SimulatorConfig(time_scale=0))
