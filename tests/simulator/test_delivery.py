"""Getting updates: getUpdates long polling and webhook delivery with retries."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

from simulator import SimulatorServer, UserSession
from tests.fixtures.apischema import ApiSchema
from tests.fixtures.simulator import RawBotApi


@pytest.fixture
async def lan(server: SimulatorServer) -> UserSession:
    return server.add_user("Lan")


async def get_updates(raw: RawBotApi, **params: Any) -> list[dict[str, Any]]:
    status, body = await raw.json("getUpdates", **params)
    assert status == 200, body
    return list(body["result"])


async def test_offset_confirms_and_limit_caps(raw: RawBotApi, lan: UserSession) -> None:
    for number in range(5):
        await lan.send_text(f"m{number}")
    first = await get_updates(raw, limit=2)
    assert [u["message"]["text"] for u in first] == ["m0", "m1"]
    assert await get_updates(raw, limit=2) == first  # unconfirmed updates come again
    ids = [u["update_id"] for u in first]
    assert ids[1] == ids[0] + 1
    rest = await get_updates(raw, offset=ids[1] + 1)
    assert [u["message"]["text"] for u in rest] == ["m2", "m3", "m4"]
    last = await get_updates(raw, offset=-1)
    assert [u["message"]["text"] for u in last] == ["m4"]
    assert await get_updates(raw, offset=last[0]["update_id"] + 1) == []


async def test_timeout_waits_for_an_update(raw: RawBotApi, lan: UserSession) -> None:
    started = time.monotonic()
    assert await get_updates(raw, timeout=0) == []
    poll = asyncio.create_task(get_updates(raw, timeout=5))
    await asyncio.sleep(0.2)
    assert not poll.done()
    await lan.send_text("xin chào")
    updates = await asyncio.wait_for(poll, 2)
    assert updates[0]["message"]["text"] == "xin chào"
    assert time.monotonic() - started < 2
    started = time.monotonic()
    assert await get_updates(raw, offset=updates[0]["update_id"] + 1, timeout=1) == []
    assert time.monotonic() - started >= 0.9


async def test_allowed_updates_filters(raw: RawBotApi, lan: UserSession) -> None:
    assert await get_updates(raw, allowed_updates=["callback_query"]) == []
    await lan.send_text("ignored")
    status, sent = await raw.json(
        "sendMessage",
        chat_id=lan.chat_id,
        text="pick",
        reply_markup={"inline_keyboard": [[{"text": "A", "callback_data": "a"}]]},
    )
    assert status == 200
    await lan.press("A")
    updates = await get_updates(raw)
    assert [set(u) - {"update_id"} for u in updates] == [{"callback_query"}]
    query = updates[0]["callback_query"]
    assert query["data"] == "a"
    assert query["message"]["message_id"] == sent["result"]["message_id"]
    assert query["from"]["id"] == lan.user_id
    await get_updates(raw, offset=updates[0]["update_id"] + 1, allowed_updates=[])
    await lan.send_text("seen again")
    assert [u["message"]["text"] for u in await get_updates(raw)] == ["seen again"]


async def test_second_poll_terminates_the_first(raw: RawBotApi) -> None:
    first = asyncio.create_task(raw.json("getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    assert await get_updates(raw, timeout=0) == []
    status, body = await asyncio.wait_for(first, 2)
    assert (status, body["description"]) == (
        409,
        "Conflict: terminated by other getUpdates request; "
        "make sure that only one bot instance is running",
    )


@dataclass
class Hook:
    """A bot's webhook endpoint that fails the first `failures` POSTs with 500."""

    url: str = ""
    failures: int = 0
    received: list[dict[str, Any]] = field(default_factory=list)
    secrets: list[str | None] = field(default_factory=list)
    attempts: int = 0
    arrived: asyncio.Event = field(default_factory=asyncio.Event)


@pytest.fixture
async def hook() -> AsyncIterator[Hook]:
    state = Hook()

    async def receive(request: web.Request) -> web.Response:
        state.attempts += 1
        state.secrets.append(request.headers.get("X-Telegram-Bot-Api-Secret-Token"))
        if state.failures > 0:
            state.failures -= 1
            return web.Response(status=500)
        state.received.append(await request.json())
        state.arrived.set()
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    state.url = f"http://{host}:{port}/hook"
    yield state
    await runner.cleanup()


async def wait_for(condition: Any, seconds: float = 3.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "condition not met in time"
        await asyncio.sleep(0.01)


async def test_webhook_with_secret_retries_500_then_delivers_once(
    raw: RawBotApi, lan: UserSession, hook: Hook, schema: ApiSchema
) -> None:
    hook.failures = 2
    status, _ = await raw.json("setWebhook", url=hook.url, secret_token="abc_DEF-123")
    assert status == 200
    await lan.send_text("một")
    await lan.send_text("hai")
    await wait_for(lambda: len(hook.received) == 2)
    assert [u["message"]["text"] for u in hook.received] == ["một", "hai"]
    assert hook.attempts == 4  # two failures, then each update once
    assert set(hook.secrets) == {"abc_DEF-123"}
    for update in hook.received:
        assert schema.check_value(update, ["Update"], "update") == []
    _, info = await raw.json("getWebhookInfo")
    assert info["result"]["pending_update_count"] == 0
    assert info["result"]["last_error_message"] == (
        "Wrong response from the webhook: 500 Internal Server Error"
    )
    status, body = await raw.json("getUpdates")
    assert (status, body["description"]) == (
        409,
        "Conflict: can't use getUpdates method while webhook is active; "
        "use deleteWebhook to delete the webhook first",
    )


async def test_webhook_unreachable_keeps_updates_pending(
    raw: RawBotApi, lan: UserSession, hook: Hook
) -> None:
    await raw.json("setWebhook", url="http://127.0.0.1:9/nothing")
    await lan.send_text("chờ")
    await asyncio.sleep(0.2)
    _, info = await raw.json("getWebhookInfo")
    assert info["result"]["pending_update_count"] == 1
    assert info["result"]["last_error_message"] == "Connection refused"
    assert "secret" not in hook.secrets
    await raw.json("setWebhook", url=hook.url)  # fixed: the pending update goes out
    await asyncio.wait_for(hook.arrived.wait(), 3)
    assert hook.secrets == [None]
    await raw.json("deleteWebhook", drop_pending_updates=True)
    assert await get_updates(raw) == []


async def test_set_webhook_ends_a_waiting_poll_and_drops_pending(
    raw: RawBotApi, lan: UserSession, hook: Hook
) -> None:
    poll = asyncio.create_task(raw.json("getUpdates", timeout=5))
    await asyncio.sleep(0.1)
    await raw.json("setWebhook", url=hook.url, drop_pending_updates=True)
    status, body = await asyncio.wait_for(poll, 2)
    assert (status, body["description"]) == (409, "Conflict: terminated by setWebhook request")
    status, body = await raw.json("setWebhook", url=hook.url, secret_token="bad secret!")
    assert (status, body["description"]) == (
        400,
        "Bad Request: secret token contains unallowed characters",
    )
    status, _ = await raw.json("setWebhook", url="")  # an empty url removes the webhook
    _, info = await raw.json("getWebhookInfo")
    assert info["result"]["url"] == ""
    await lan.send_text("again by polling")
    assert len(await get_updates(raw)) == 1


async def test_webhook_posts_chats_in_parallel_each_chat_in_order_up_to_max_connections(
    raw: RawBotApi, server: SimulatorServer
) -> None:
    """Like Telegram: a slow answer for one chat holds up that chat only; a chat's next update
    is posted only once its previous one is answered; no more requests at once than
    setWebhook's max_connections; a failed update is retried before its chat's next one."""
    residents = [server.add_user(f"Cư dân {n}") for n in range(4)]
    chat_of = {r.chat_id: n for n, r in enumerate(residents)}
    release = asyncio.Event()
    open_now: list[int] = []
    most_open = 0
    order: list[tuple[int, str]] = []
    failed_once: set[str] = set()

    async def receive(request: web.Request) -> web.Response:
        nonlocal most_open
        message = (await request.json())["message"]
        chat, text = chat_of[message["chat"]["id"]], message["text"]
        assert chat not in open_now, "two updates of one chat on their way at once"
        open_now.append(chat)
        most_open = max(most_open, len(open_now))
        try:
            if chat == 0 and text == "0-0":
                await release.wait()  # the first chat's first answer is slow
            if chat == 1 and text == "1-1" and text not in failed_once:
                failed_once.add(text)
                return web.Response(status=503)
            order.append((chat, text))
            return web.Response()
        finally:
            open_now.remove(chat)

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    try:
        status, _ = await raw.json(
            "setWebhook", url=f"http://{host}:{port}/hook", max_connections=2
        )
        assert status == 200
        for n, resident in enumerate(residents):
            for m in range(3):
                await resident.send_text(f"{n}-{m}")
        # the other chats get through while the first chat waits for its answer
        await wait_for(lambda: {(c, t) for c, t in order} >= {(1, "1-2"), (3, "3-2")})
        assert not any(chat == 0 for chat, _ in order)
        release.set()
        await wait_for(lambda: len(order) == 12)
    finally:
        await runner.cleanup()
    for n in range(4):
        assert [text for chat, text in order if chat == n] == [f"{n}-{m}" for m in range(3)]
    assert most_open == 2  # parallel, and never above max_connections
    assert failed_once == {"1-1"}
    _, info = await raw.json("getWebhookInfo")
    assert info["result"]["pending_update_count"] == 0
