"""Telegram's rules and error shapes, sent raw where PTB would refuse to send them."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable

import aiohttp
import pytest

from simulator import ApiExchange, SimulatorServer, UserSession
from tests.fixtures.simulator import TOKEN, RawBotApi, jpeg


@pytest.fixture
async def lan(server: SimulatorServer) -> UserSession:
    session = server.add_user("Lan")
    await session.send_command("start")
    return session


def keyboard(data: str) -> dict[str, object]:
    return {"inline_keyboard": [[{"text": "OK", "callback_data": data}]]}


async def test_text_limits_count_utf16_code_units(raw: RawBotApi, lan: UserSession) -> None:
    emoji = "😀"  # two UTF-16 code units
    status, _ = await raw.json("sendMessage", chat_id=lan.chat_id, text=emoji * 2048)
    assert status == 200
    status, body = await raw.json("sendMessage", chat_id=lan.chat_id, text=emoji * 2048 + "a")
    assert (status, body["description"]) == (400, "Bad Request: message is too long")
    status, _ = await raw.json("sendMessage", chat_id=lan.chat_id, text="ệ" * 4096)
    assert status == 200


@pytest.mark.parametrize("text", ["", "   \n"])
async def test_empty_text(raw: RawBotApi, lan: UserSession, text: str) -> None:
    status, body = await raw.json("sendMessage", chat_id=lan.chat_id, text=text)
    assert body == {
        "ok": False,
        "error_code": 400,
        "description": "Bad Request: message text is empty",
    }
    assert status == 400


async def test_caption_over_1024(raw: RawBotApi, lan: UserSession) -> None:
    form = aiohttp.FormData()
    form.add_field("chat_id", str(lan.chat_id))
    form.add_field("caption", "x" * 1025)
    form.add_field("photo", jpeg(100, 100), filename="a.jpg", content_type="image/jpeg")
    status, body = await raw.call("sendPhoto", data=form)
    assert (status, body["description"]) == (400, "Bad Request: message caption is too long")


async def test_callback_data_over_64_bytes(raw: RawBotApi, lan: UserSession) -> None:
    ok = await raw.json(
        "sendMessage", chat_id=lan.chat_id, text="a", reply_markup=keyboard("đ" * 32)
    )
    assert ok[0] == 200
    status, body = await raw.json(
        "sendMessage", chat_id=lan.chat_id, text="a", reply_markup=keyboard("đ" * 32 + "x")
    )
    assert (status, body["description"]) == (400, "Bad Request: BUTTON_DATA_INVALID")


@pytest.mark.parametrize(
    ("markup", "description"),
    [
        ("{not json", "Bad Request: can't parse reply keyboard markup JSON object"),
        (
            {"inline_keyboard": "x"},
            'Bad Request: field "inline_keyboard" must be an Array of Arrays',
        ),
        (
            {"inline_keyboard": [[{"text": "no action"}]]},
            "Bad Request: can't parse inline keyboard button: "
            "Text buttons are unallowed in the inline keyboard",
        ),
        (
            {"inline_keyboard": [[{"text": "x", "url": "ftp://x"}]]},
            "Bad Request: inline keyboard button URL 'ftp://x' is invalid: Wrong HTTP URL",
        ),
        ({"something": True}, "Bad Request: can't parse reply keyboard markup JSON object"),
    ],
)
async def test_bad_reply_markup(
    raw: RawBotApi, lan: UserSession, markup: object, description: str
) -> None:
    status, body = await raw.json(
        "sendMessage", chat_id=lan.chat_id, text="a", reply_markup=markup
    )
    assert (status, body["description"]) == (400, description)


async def test_unknown_chat_and_unstarted_user(raw: RawBotApi, server: SimulatorServer) -> None:
    status, body = await raw.json("sendMessage", chat_id=42, text="hi")
    assert (status, body["description"]) == (400, "Bad Request: chat not found")
    status, body = await raw.json("sendMessage", chat_id="@someone", text="hi")
    assert status == 400
    silent = server.add_user("Silent")
    status, body = await raw.json("sendMessage", chat_id=silent.chat_id, text="hi")
    assert (status, body["description"]) == (
        403,
        "Forbidden: bot can't initiate conversation with a user",
    )


async def test_blocked_bot_gets_403(raw: RawBotApi, lan: UserSession) -> None:
    await lan.block()
    status, body = await raw.json("sendMessage", chat_id=lan.chat_id, text="hi")
    assert (status, body["description"]) == (403, "Forbidden: bot was blocked by the user")
    await lan.unblock()
    assert (await raw.json("sendMessage", chat_id=lan.chat_id, text="hi"))[0] == 200


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"text": "x"}, "Bad Request: chat_id is empty"),
        ({"chat_id": [1], "text": "x"}, 'Bad Request: field "chat_id" must be of type Integer'),
        (
            {"chat_id": "{chat}", "text": {"a": 1}},
            'Bad Request: field "text" must be of type String',
        ),
        (
            {"chat_id": "{chat}", "text": "x", "disable_notification": "maybe"},
            'Bad Request: field "disable_notification" must be of type Boolean',
        ),
    ],
)
async def test_missing_and_wrong_typed_parameters(
    raw: RawBotApi, lan: UserSession, params: dict[str, object], description: str
) -> None:
    params = {k: lan.chat_id if v == "{chat}" else v for k, v in params.items()}
    status, body = await raw.json("sendMessage", **params)
    assert (status, body["description"]) == (400, description)


async def test_wrong_typed_form_value(raw: RawBotApi, lan: UserSession) -> None:
    status, body = await raw.call(
        "deleteMessage", data={"chat_id": str(lan.chat_id), "message_id": "seven"}
    )
    assert (status, body["description"]) == (
        400,
        'Bad Request: field "message_id" must be of type Integer',
    )


async def test_bad_token_is_401(raw: RawBotApi) -> None:
    for token in ["nonsense", "123456789:other-secret"]:
        status, body = await raw.call("getMe", token=token)
        assert (status, body) == (
            401,
            {"ok": False, "error_code": 401, "description": "Unauthorized"},
        )


async def test_unknown_method_is_404_and_names_are_case_insensitive(raw: RawBotApi) -> None:
    status, body = await raw.call("sendPigeon")
    assert (status, body) == (404, {"ok": False, "error_code": 404, "description": "Not Found"})
    assert (await raw.call("GETME"))[0] == 200
    async with raw.session.get(f"{raw.url}/bot{TOKEN}/getme") as response:
        assert response.status == 200
    async with raw.session.get(f"{raw.url}/nothing/here") as response:
        assert response.status == 404
        assert (await response.json())["ok"] is False


async def test_get_query_parameters(raw: RawBotApi, lan: UserSession) -> None:
    url = f"{raw.url}/bot{TOKEN}/sendMessage?chat_id={lan.chat_id}&text=Ch%C3%A0o"
    async with raw.session.get(url) as response:
        assert (await response.json())["result"]["text"] == "Chào"


async def test_malformed_json_and_wrong_content_type(raw: RawBotApi) -> None:
    headers = {"Content-Type": "application/json"}
    status, body = await raw.call("getMe", data=b"{oops", headers=headers)
    assert (status, body["ok"]) == (400, False)
    status, body = await raw.call("getMe", data=b"[1, 2]", headers=headers)
    assert status == 400
    status, body = await raw.call("getMe", data=b"\xff\xfe", headers=headers)
    assert status == 400
    status, body = await raw.call("getMe", data=b"<x/>", headers={"Content-Type": "text/xml"})
    assert (status, body["description"]) == (400, "Bad Request: unsupported Content-Type text/xml")
    status, body = await raw.call(
        "sendMessage",
        data=b"--x\r\nbroken",
        headers={"Content-Type": "multipart/form-data; boundary=x"},
    )
    assert status == 400


async def test_oversized_body_is_413(raw: RawBotApi) -> None:
    body = b"x" * (52 * 1024 * 1024)
    status, answer = await raw.call(
        "sendDocument", data=body, headers={"Content-Type": "application/json"}
    )
    assert (status, answer) == (
        413,
        {"ok": False, "error_code": 413, "description": "Request Entity Too Large"},
    )


async def test_html_parse_errors(raw: RawBotApi, lan: UserSession) -> None:
    status, body = await raw.json(
        "sendMessage", chat_id=lan.chat_id, text="a<br>b", parse_mode="HTML"
    )
    assert body["description"] == (
        'Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 1'
    )
    status, body = await raw.json(
        "sendMessage", chat_id=lan.chat_id, text="x", parse_mode="BBCode"
    )
    assert (status, body["description"]) == (400, "Bad Request: unsupported parse_mode")


async def test_edit_rules(raw: RawBotApi, lan: UserSession) -> None:
    _, sent = await raw.json(
        "sendMessage", chat_id=lan.chat_id, text="a", reply_markup=keyboard("k")
    )
    message_id = sent["result"]["message_id"]
    same = {
        "chat_id": lan.chat_id,
        "message_id": message_id,
        "text": "a",
        "reply_markup": keyboard("k"),
    }
    status, body = await raw.json("editMessageText", **same)
    assert status == 400
    assert body["description"].startswith("Bad Request: message is not modified: ")
    status, body = await raw.json("editMessageText", **{**same, "message_id": 999})
    assert (status, body["description"]) == (400, "Bad Request: message to edit not found")
    status, body = await raw.json("editMessageText", **{**same, "message_id": 1})
    assert (status, body["description"]) == (400, "Bad Request: message can't be edited")
    status, body = await raw.json(
        "editMessageText", chat_id=lan.chat_id, message_id=message_id, text="b"
    )
    assert status == 200
    assert "reply_markup" not in body["result"]  # an edit without reply_markup drops the keyboard
    status, body = await raw.json(
        "editMessageCaption", chat_id=lan.chat_id, message_id=message_id, caption="c"
    )
    assert (status, body["description"]) == (
        400,
        "Bad Request: there is no caption in the message to edit",
    )


async def test_delete_rules(raw: RawBotApi, lan: UserSession) -> None:
    status, body = await raw.json("deleteMessage", chat_id=lan.chat_id, message_id=1)
    assert (status, body["result"]) == (200, True)  # the user's own /start, in a private chat
    status, body = await raw.json("deleteMessage", chat_id=lan.chat_id, message_id=1)
    assert (status, body["description"]) == (400, "Bad Request: message to delete not found")


async def test_delete_messages_skips_the_missing_and_checks_its_list(
    raw: RawBotApi, lan: UserSession
) -> None:
    sent = [
        (await raw.json("sendMessage", chat_id=lan.chat_id, text=t))[1]["result"]["message_id"]
        for t in ("a", "b")
    ]
    status, body = await raw.json("deleteMessages", chat_id=lan.chat_id, message_ids=[*sent, 999])
    assert (status, body["result"]) == (200, True)  # 999 never existed: skipped
    for message_id in sent:
        status, body = await raw.json("deleteMessage", chat_id=lan.chat_id, message_id=message_id)
        assert (status, body["description"]) == (400, "Bad Request: message to delete not found")
    for message_ids in ([], list(range(1, 102)), ["one"]):  # 1-100 integers, says the API
        status, body = await raw.json(
            "deleteMessages", chat_id=lan.chat_id, message_ids=message_ids
        )
        assert status == 400
        assert body["description"].startswith("Bad Request: ")


async def test_callback_query_answered_once_and_expiring(
    raw: RawBotApi, lan: UserSession, server: SimulatorServer
) -> None:
    await raw.json("sendMessage", chat_id=lan.chat_id, text="a", reply_markup=keyboard("k"))
    first = await lan.press("OK")
    assert (await raw.json("answerCallbackQuery", callback_query_id=first))[0] == 200
    status, body = await raw.json("answerCallbackQuery", callback_query_id=first)
    too_old = "Bad Request: query is too old and response timeout expired or query ID is invalid"
    assert (status, body["description"]) == (400, too_old)
    assert (await raw.json("answerCallbackQuery", callback_query_id="123"))[1][
        "description"
    ] == too_old
    server.set_time_scale(10_000)
    second = await lan.press("OK")
    await asyncio.sleep(0.01)  # 100 simulated seconds, past the 60 s answer window
    assert (await raw.json("answerCallbackQuery", callback_query_id=second))[1][
        "description"
    ] == too_old


async def test_chat_action_and_commands_validation(raw: RawBotApi, lan: UserSession) -> None:
    status, body = await raw.json("sendChatAction", chat_id=lan.chat_id, action="dancing")
    assert status == 400
    status, body = await raw.json(
        "setMyCommands", commands=[{"command": "Bad Cmd", "description": "x"}]
    )
    assert (status, body["description"]) == (400, "Bad Request: BOT_COMMAND_INVALID")
    scope = {"type": "chat", "chat_id": lan.chat_id}
    commands = [{"command": "status", "description": "Tình trạng"}]
    assert (await raw.json("setMyCommands", commands=commands, scope=scope))[0] == 200
    assert (await raw.json("getMyCommands", scope=scope))[1]["result"] == commands
    assert (await raw.json("getMyCommands"))[1]["result"] == []


async def test_every_raw_exchange_fits_the_schema(
    raw: RawBotApi, lan: UserSession, check_traffic: Callable[[], list[ApiExchange]]
) -> None:
    await raw.json("sendMessage", chat_id=lan.chat_id, text="x" * 5000)
    await raw.json("sendMessage", chat_id=lan.chat_id, text="<b>hi</b>", parse_mode="HTML")
    await raw.call(
        "getMe", data=json.dumps({}).encode(), headers={"Content-Type": "application/json"}
    )
    assert [e.status for e in check_traffic()] == [400, 200, 200]
