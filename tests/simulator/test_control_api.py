"""The control API under /sim/: what the chat page and other tools use."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest

from simulator import SimulatorServer
from tests.fixtures.simulator import TOKEN, RawBotApi, jpeg

BOT_ID = int(TOKEN.split(":")[0])


class Control:
    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session, self.url = session, url

    async def request(self, verb: str, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        async with self.session.request(verb, self.url + path, **kwargs) as response:
            return response.status, await response.json()

    async def post(self, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        return await self.request("POST", path, **kwargs)

    async def get(self, path: str, **kwargs: Any) -> tuple[int, dict[str, Any]]:
        return await self.request("GET", path, **kwargs)

    def chat(self, chat_id: int) -> str:
        return f"/sim/bots/{BOT_ID}/chats/{chat_id}"


@pytest.fixture
async def control(server: SimulatorServer) -> AsyncIterator[Control]:
    async with aiohttp.ClientSession() as session:
        yield Control(session, server.url)


async def test_users_groups_bots_and_state(control: Control) -> None:
    status, body = await control.post(
        "/sim/users",
        json={"id": 501, "first_name": "Hùng", "language_code": "vi", "label": "trưởng thôn"},
    )
    assert status == 201
    assert body["result"]["label"] == "trưởng thôn"
    status, body = await control.post("/sim/users", json={"first_name": "Mai"})
    mai = body["result"]["id"]
    assert (await control.post("/sim/users", json={"id": 501, "first_name": "x"}))[0] == 400
    assert (await control.post("/sim/users", json={"last_name": "x"}))[0] == 400
    status, body = await control.post(
        "/sim/groups", json={"title": "Thôn 3", "member_ids": [501, mai]}
    )
    assert status == 201
    assert body["result"]["id"] < 0
    assert (await control.post("/sim/groups", json={"title": "X", "member_ids": [9]}))[0] == 400
    status, body = await control.post("/sim/bots", json={"token": "42:other-bot-token"})
    assert status == 201
    assert body["result"]["username"] == "sim42_bot"
    assert (await control.post("/sim/bots", json={"token": "nonsense"}))[0] == 400
    _, state = await control.get("/sim/state")
    assert {u["first_name"] for u in state["result"]["users"]} == {"Hùng", "Mai"}
    assert {b["id"] for b in state["result"]["bots"]} == {BOT_ID, 42}
    assert len(state["result"]["groups"]) == 1
    assert (await control.get("/sim/users"))[1]["result"] == state["result"]["users"]


async def test_user_actions_history_and_downloads(
    control: Control, server: SimulatorServer, raw: RawBotApi
) -> None:
    user = server.add_user("Lan", phone_number="+84900000001")
    chat = control.chat(user.user_id)
    status, body = await control.post(f"{chat}/text", json={"text": "/start v7"})
    assert status == 200
    assert body["result"][0]["entities"] == [{"offset": 0, "length": 6, "type": "bot_command"}]
    markup = {"inline_keyboard": [[{"text": "Có", "callback_data": "yes"}]]}
    _, sent = await raw.json(
        "sendMessage", chat_id=user.chat_id, text="Đồng ý?", reply_markup=markup
    )
    bot_message = sent["result"]["message_id"]
    status, body = await control.post(
        f"{chat}/press", json={"message_id": bot_message, "text": "Có"}
    )
    assert status == 200
    assert body["result"]["callback_query_id"]
    status, body = await control.post(
        f"{chat}/press", json={"message_id": bot_message, "callback_data": "no"}
    )
    assert (status, body["description"]) == (
        400,
        f"Bad Request: message {bot_message} has no such button",
    )

    form = aiohttp.FormData({"caption": "hai ảnh"})
    form.add_field("file", jpeg(400, 300), filename="a.jpg", content_type="image/jpeg")
    form.add_field("file", jpeg(300, 400), filename="b.jpg", content_type="image/jpeg")
    status, body = await control.post(f"{chat}/photos", data=form)
    assert status == 200
    assert len({m["media_group_id"] for m in body["result"]}) == 1
    form = aiohttp.FormData(quote_fields=False)  # raw UTF-8 names, as browsers send them
    form.add_field("file", b"%PDF-1.4 x", filename="giấy tờ.pdf", content_type="application/pdf")
    _, body = await control.post(f"{chat}/documents", data=form)
    document = body["result"][0]
    assert document["document"]["file_name"] == "giấy tờ.pdf"
    async with control.session.get(control.url + document["file_url"]) as response:
        assert await response.read() == b"%PDF-1.4 x"
        assert "filename*=UTF-8''gi%E1%BA%A5y" in response.headers["Content-Disposition"]

    assert (await control.post(f"{chat}/contact", json={}))[1]["result"][0]["contact"] == {
        "phone_number": "+84900000001",
        "first_name": "Lan",
        "user_id": user.user_id,
    }
    _, body = await control.post(f"{chat}/location", json={"latitude": 21.03, "longitude": 105.85})
    assert body["result"][0]["location"] == {"latitude": 21.03, "longitude": 105.85}
    assert (await control.post(f"{chat}/location", json={"latitude": 95, "longitude": 0}))[
        0
    ] == 400
    assert "sticker" in (await control.post(f"{chat}/sticker", json={}))[1]["result"][0]
    assert "voice" in (await control.post(f"{chat}/voice", json={}))[1]["result"][0]

    _, history = await control.get(f"{chat}/history")
    messages = history["result"]["messages"]
    assert [m["from_bot"] for m in messages][:2] == [False, True]
    assert messages[1]["reply_markup"] == markup
    assert all("file_url" in m for m in messages if "photo" in m or "document" in m)
    assert history["result"]["last_seq"] >= len(messages)


async def test_events_long_poll(control: Control, server: SimulatorServer, raw: RawBotApi) -> None:
    user = server.add_user("Lan")
    await user.send_command("start")
    chat = control.chat(user.user_id)
    _, history = await control.get(f"{chat}/history")
    seq = history["result"]["last_seq"]
    waiting = asyncio.create_task(control.get(f"{chat}/events?after={seq}&timeout=5"))
    await asyncio.sleep(0.1)
    assert not waiting.done()
    _, sent = await raw.json(
        "sendMessage", chat_id=user.chat_id, text="mới", reply_markup={"keyboard": [["A"]]}
    )
    _, body = await asyncio.wait_for(waiting, 2)
    events = body["result"]["events"]
    assert events[0]["type"] == "message"
    assert events[0]["message"]["text"] == "mới"
    seq = body["result"]["last_seq"]
    await raw.json("deleteMessage", chat_id=user.chat_id, message_id=sent["result"]["message_id"])
    await raw.json("sendChatAction", chat_id=user.chat_id, action="upload_photo")
    _, body = await control.get(f"{chat}/events?after={seq}&timeout=1")
    assert [(e["type"], e.get("action")) for e in body["result"]["events"]][-2:] == [
        ("delete", None),
        ("chat_action", "upload_photo"),
    ]
    _, body = await control.get(f"{chat}/events?after=0&timeout=0")
    assert "keyboard" in [e["type"] for e in body["result"]["events"]]


async def test_settings(control: Control) -> None:
    _status, body = await control.post(
        "/sim/settings", json={"time_scale": 5, "flood_limits": False}
    )
    assert body["result"] == {"flood_limits": False, "time_scale": 5.0}
    assert (await control.post("/sim/settings", json={"time_scale": -1}))[0] == 400
    assert (await control.post("/sim/settings", json={"time_scale": "fast"}))[0] == 400
    assert (await control.get("/sim/settings"))[1]["result"]["time_scale"] == 5.0


@pytest.mark.parametrize(
    ("verb", "path", "kwargs", "status"),
    [
        (
            "POST",
            "/sim/users",
            {"data": b"{bad", "headers": {"Content-Type": "application/json"}},
            400,
        ),
        (
            "POST",
            "/sim/users",
            {"data": b"[]", "headers": {"Content-Type": "application/json"}},
            400,
        ),
        ("POST", "/sim/users", {"data": b"x", "headers": {"Content-Type": "text/plain"}}, 400),
        ("POST", "/sim/users", {"json": {"first_name": "A", "id": "abc"}}, 400),
        ("POST", "/sim/bots/999/chats/1/text", {"json": {"text": "x"}}, 404),
        ("POST", "/sim/bots/abc/chats/1/text", {"json": {"text": "x"}}, 404),
        ("POST", f"/sim/bots/{BOT_ID}/chats/777/text", {"json": {"text": "x"}}, 404),
        ("POST", f"/sim/bots/{BOT_ID}/chats/1/fly", {"json": {}}, 404),
        ("GET", f"/sim/bots/{BOT_ID}/chats/1/events?after=x", {}, 400),
        ("GET", "/sim/files/nope", {}, 404),
        ("DELETE", "/sim/users", {}, 405),
        ("GET", "/static/../../etc/passwd", {}, 404),
    ],
)
async def test_bad_input_is_a_clean_4xx(  # noqa: PLR0917 -- pytest passes parameters by name
    control: Control,
    server: SimulatorServer,
    verb: str,
    path: str,
    kwargs: dict[str, Any],
    status: int,
) -> None:
    server.add_user("One", user_id=1)
    got, body = await control.request(verb, path, **kwargs)
    assert (got, body["ok"]) == (status, False)


async def test_user_action_errors_are_400(control: Control, server: SimulatorServer) -> None:
    user = server.add_user("Lan")
    chat = control.chat(user.user_id)
    for action, payload in [
        ("text", {"text": ""}),
        ("text", {"text": "x" * 4097}),
        ("text", {"text": "x", "user_id": 12345}),
        ("press", {"message_id": 1, "text": "nope"}),
        ("press", {"message_id": 1}),
        ("contact", {}),
        ("photos", {}),
    ]:
        status, body = await control.post(f"{chat}/{action}", json=payload)
        assert (status, body["ok"]) == (400, False), (action, payload, body)
    form = aiohttp.FormData()
    form.add_field("file", b"not an image", filename="x.jpg")
    assert (await control.post(f"{chat}/photos", data=form))[0] == 400
