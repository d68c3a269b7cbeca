"""The webhook under hostile input (with the right secret): whatever the body, 400 or 200, never
500; the process stays healthy; and text from Telegram that no encoding accepts (a lone UTF-16
surrogate) is made valid, at every step of a resident's submission and on a staff button."""

from __future__ import annotations

import copy
import json
import logging
import random
from collections.abc import Iterator
from typing import Any

import aiohttp
import pytest
from sqlalchemy import select

from bot.runtime import Runtime
from bot.web import WEBHOOK_PATH, webhook_secret
from storage.deps import Deps
from storage.models import Event
from storage.repositories.audit import verify_event_chain
from tests.fixtures.updates import text_update
from tests.fixtures.world import World, open_world

USER = 880_001


def message(update_id: int, text: str, user_id: int = USER) -> dict[str, Any]:
    return text_update(update_id, user_id, text)


def press(update_id: int, data: str, user_id: int = USER) -> dict[str, Any]:
    user = {"id": user_id, "is_bot": False, "first_name": "An", "language_code": "vi"}
    return {
        "update_id": update_id,
        "callback_query": {
            "id": f"cb{update_id}",
            "from": user,
            "chat_instance": "1",
            "data": data,
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": user_id, "type": "private", "first_name": "An"},
                "from": {"id": 1, "is_bot": True, "first_name": "hoso"},
                "text": "…",
            },
        },
    }


def photo(update_id: int) -> dict[str, Any]:
    update = message(update_id, "")
    del update["message"]["text"]
    update["message"]["photo"] = [
        {"file_id": "AgAD", "file_unique_id": "AQAD", "width": 90, "height": 60}
    ]
    update["message"]["media_group_id"] = "g1"
    return update


NAMED_BODIES = [
    ("a message that is a string", json.dumps({"update_id": 1, "message": "x"})),
    ("an impossible date", json.dumps({**message(2, "hi"), "message": {
        **message(2, "hi")["message"], "date": 99999999999999999}})),
    ("100 000 nested lists", "[" * 100_000 + "]" * 100_000),
    ("a boolean id", json.dumps({"update_id": True})),
    ("a float id", json.dumps({"update_id": 1.5})),
    ("null", "null"),
    ("a chat that is a list", json.dumps({"update_id": 3, "message": {
        "message_id": 1, "date": 1, "chat": [1, 2]}})),
    ("a negative huge id", json.dumps({"update_id": -(2**80)})),
]  # fmt: skip


def _mutations(seed: int, count: int) -> Iterator[str]:
    """Valid updates with one part replaced by something of the wrong shape."""
    rng = random.Random(seed)
    odd: list[Any] = [
        None, True, False, 0, -1, 2**64, 1e308, float("-inf"), "", "x" * 5000, "\udcff",
        [], [None], {}, {"a": {"b": [1, {"c": None}]}}, [[[[[[]]]]]], "2026-13-45",
    ]  # fmt: skip
    templates = [message(10, "/start"), press(11, "consent:yes"), photo(12)]

    def paths(node: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
        if isinstance(node, dict):
            for key, value in node.items():
                yield (*prefix, key)
                yield from paths(value, (*prefix, key))
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield (*prefix, index)
                yield from paths(value, (*prefix, index))

    for number in range(count):
        update = copy.deepcopy(rng.choice(templates))
        update["update_id"] = 50_000 + number
        targets = [p for p in paths(update) if p != ("update_id",)]
        where = rng.choice(targets)
        node = update
        for step in where[:-1]:
            node = node[step]
        if rng.random() < 0.15 and isinstance(node, dict):
            del node[where[-1]]
        else:
            node[where[-1]] = rng.choice(odd)
        yield json.dumps(update)


async def post(http: aiohttp.ClientSession, url: str, secret: str, body: str) -> int:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret, "Content-Type": "application/json"}
    async with http.post(url + WEBHOOK_PATH, data=body, headers=headers) as response:
        return response.status


@pytest.mark.parametrize("running_bot", ["webhook"], indirect=True)
async def test_no_body_gets_a_500(
    running_bot: Runtime, token: str, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"http://127.0.0.1:{running_bot.port}"
    secret = webhook_secret(token)
    statuses: dict[str, int] = {}
    with caplog.at_level(logging.WARNING):
        async with aiohttp.ClientSession() as http:
            for name, body in NAMED_BODIES:
                statuses[name] = await post(http, url, secret, body)
            generated = [await post(http, url, secret, b) for b in _mutations(7, 400)]
            async with http.get(url + "/healthz") as response:
                assert response.status == 200
    assert statuses == dict.fromkeys(statuses, 400), statuses
    assert set(generated) <= {200, 400}, sorted(set(generated))
    assert generated.count(400) > 50  # the generator does produce malformed updates
    assert "x" * 5000 not in caplog.text  # refused bodies are logged without their content


async def test_lone_surrogates_at_every_step_are_made_valid(deps: Deps) -> None:
    """A resident answers each question with text and a button press carrying a lone
    surrogate (each is refused politely), then correctly; a forged staff button with one is
    refused and recorded; the audit chain still verifies."""
    async with open_world(deps, webhook=True) as world:
        await _surrogates_at_every_step(world)


async def _surrogates_at_every_step(world: World) -> None:
    deps = world.deps
    url = f"http://127.0.0.1:{world.runtime.port}"
    secret = webhook_secret(world.runtime.application.bot.token)
    resident = world.simulator.add_user("An", user_id=USER)
    await resident.send_command("start")  # opens the chat, as a real user must
    await resident.next_message(timeout=10)
    answers = [
        ("consent", press, "consent:yes"),
        ("commune", message, "hoa phu"),
        ("village", press, "v:unknown"),
        ("whose", message, "Tên tôi"),
        ("name", message, "Nguyễn Văn An"),
        ("cccd", message, "066090012345"),
    ]
    ids = iter(range(70_000, 80_000))
    async with aiohttp.ClientSession() as http:
        for _step, kind, good in answers:
            for bad in (message(next(ids), "Nguy\udcffn\ud800"), press(next(ids), "v:\udcff")):
                assert await post(http, url, secret, json.dumps(bad)) == 200
            assert await post(http, url, secret, json.dumps(kind(next(ids), good))) == 200
        forged = press(next(ids), "s:o:\udcff")
        assert await post(http, url, secret, json.dumps(forged)) == 200
        await post(http, url, secret, json.dumps(message(next(ids), "/status\udcff")))
    texts = [m.text for m in resident.history() if m.from_bot]
    assert any("Số điện thoại" in text for text in texts), "\n---\n".join(texts)
    assert not any("Xin lỗi, hệ thống vừa gặp lỗi" in text for text in texts)  # no failure
    async with deps.database.sessions() as session:
        refused = list(await session.scalars(select(Event).where(Event.action == "refused")))
        assert (await verify_event_chain(session)).intact
    assert [e.data["request"] for e in refused] == ["s:o:\ufffd"]
