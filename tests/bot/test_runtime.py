"""The bot process through the simulator, in both delivery modes, as a resident uses it."""

from __future__ import annotations

import asyncio
import json
import logging

import aiohttp
import pytest
from sqlalchemy import func, select

from bot.logs import configure_logging, redact
from bot.runtime import Runtime
from bot.web import WEBHOOK_PATH, webhook_secret
from simulator import SimulatorServer
from storage.deps import Deps
from storage.models import Citizen, ProcessedUpdate
from tests.fixtures.updates import text_update


async def test_start_language_and_help(running_bot: Runtime, simulator: SimulatorServer) -> None:
    resident = simulator.add_user("Nguyễn Văn An", language_code="vi")
    await resident.send_command("start")
    welcome = await resident.next_message(timeout=10)
    assert "Xin chào" in welcome.text
    notice = await resident.next_message(timeout=10)
    assert [b.text for b in notice.buttons] == ["✅ Tôi đồng ý", "Không đồng ý", "🌐 English"]
    await resident.press("🌐 English")
    switched = await resident.next_message(timeout=10)  # the note travels with the question
    assert switched.text.startswith("English it is.")
    assert "Do you agree?" in switched.text
    await resident.press("✅ I agree")
    assert "Which commune" in (await resident.next_message(timeout=10)).text
    await resident.send_command("nonsense")
    assert "don't know that command" in (await resident.next_message(timeout=10)).text


async def test_commands_are_set_in_both_languages(
    running_bot: Runtime, simulator: SimulatorServer, token: str
) -> None:
    bot = next(iter(simulator.simulator.bots.values()))
    by_language = {key[1]: value for key, value in bot.commands.items()}
    assert {c["command"] for c in by_language[""]} >= {"start", "status", "help", "withdraw"}
    assert any(c["description"] == "Bắt đầu nộp hồ sơ" for c in by_language[""])
    assert any(c["description"] == "Start a submission" for c in by_language["en"])


async def test_parallel_residents_each_get_their_answer(
    running_bot: Runtime, simulator: SimulatorServer, deps: Deps
) -> None:
    residents = [simulator.add_user(f"Cư dân {n}") for n in range(20)]
    await asyncio.gather(*(r.send_command("help") for r in residents))
    answers = await asyncio.gather(*(r.next_message(timeout=15) for r in residents))
    assert all("/start" in answer.text for answer in answers)
    async with deps.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Citizen)) == 20


@pytest.mark.parametrize("running_bot", ["webhook"], indirect=True)
async def test_webhook_refuses_bad_requests_and_ignores_redelivery(
    running_bot: Runtime, simulator: SimulatorServer, token: str, deps: Deps
) -> None:
    resident = simulator.add_user("Trần Thị Bình", language_code="en")
    await resident.send_command("start")  # opens the chat, as a real user must
    await resident.next_message(timeout=10)
    await resident.next_message(timeout=10)
    url = f"http://127.0.0.1:{running_bot.port}"
    secret = webhook_secret(token)
    good = {"X-Telegram-Bot-Api-Secret-Token": secret}
    async with aiohttp.ClientSession() as http:
        cases = [
            (
                {},
                json.dumps(
                    text_update(900_001, resident.user_id, "/help", language="en", command=True)
                ),
                403,
            ),
            ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, "{}", 403),
            (good, "this is not json", 400),
            (good, "[1, 2]", 400),
            (good, json.dumps({"update_id": "x"}), 400),
            (good, "x" * (2 << 20), 413),
            (good, json.dumps({"update_id": 900_099, "some_future_kind": {"a": 1}}), 200),
        ]
        for headers, body, status in cases:
            async with http.post(url + WEBHOOK_PATH, data=body, headers=headers) as response:
                assert response.status == status, (headers, body[:40])
        # The same update delivered twice: one answer only.
        for _ in range(2):
            async with http.post(
                url + WEBHOOK_PATH,
                json=text_update(900_500, resident.user_id, "/help", language="en", command=True),
                headers=good,
            ) as response:
                assert response.status == 200
        async with http.get(url + "/healthz") as response:
            assert response.status == 200
            assert (await response.json())["ok"] is True
    answer = await resident.next_message(timeout=10)
    assert "How to use" in answer.text
    assert "Do you agree?" in answer.text  # and the question again, in the same message
    await asyncio.sleep(0.5)
    assert resident.new_messages() == []
    async with deps.database.sessions() as session:
        ids = set(await session.scalars(select(ProcessedUpdate.update_id)))
    assert 900_500 in ids


async def test_failure_is_logged_without_content_and_resident_gets_apology(
    running_bot: Runtime,
    simulator: SimulatorServer,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    import intake.resident._desk as desk_module

    def explode(*_args: object) -> object:
        raise RuntimeError("simulated failure")

    monkeypatch.setattr(desk_module, "step", explode)
    resident = simulator.add_user("Lê Văn Cường", language_code="vi")
    with caplog.at_level(logging.ERROR, logger="hoso.bot"):
        await resident.send_text("my secret CCCD 066190012345")
        apology = await resident.next_message(timeout=10)
    assert "Xin lỗi" in apology.text
    record = next(r for r in caplog.records if r.getMessage() == "update failed")
    assert record.update_kind == "message"  # type: ignore[attr-defined]
    assert record.chat_id == resident.chat_id  # type: ignore[attr-defined]
    assert "066190012345" not in caplog.text


def test_token_is_redacted_everywhere(capsys: pytest.CaptureFixture[str]) -> None:
    token = "123456789:AAH" + "x" * 32
    configure_logging("DEBUG", "json", [token])
    log = logging.getLogger("httpx")
    log.debug("HTTP Request: POST https://api.telegram.org/bot%s/getUpdates", token)
    try:
        raise ValueError(f"failed at /bot{token}/sendMessage")
    except ValueError:
        logging.getLogger("hoso").exception("boom")
    err = capsys.readouterr().err
    assert token not in err
    assert "[REDACTED]" in err
    assert redact(f"x {token} y") == "x [REDACTED] y"
    logging.getLogger().handlers.clear()
