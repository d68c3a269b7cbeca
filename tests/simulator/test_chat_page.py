"""The web chat page in headless Chromium (Debian's package), driven over the DevTools protocol."""

from __future__ import annotations

import asyncio
import base64
import itertools
import json
import os
import shutil
import subprocess
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from telegram import (
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.ext import ApplicationBuilder, CallbackQueryHandler, CommandHandler, ContextTypes

from simulator import SimulatorConfig, SimulatorServer
from tests.fixtures.simulator import TOKEN, jpeg

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
PHONE = {"width": 390, "height": 844}
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-port=0",
    f"--window-size={PHONE['width']},{PHONE['height']}",
]


def _find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's chromium; installed with apt when missing and possible, else the test skips."""
    found = _find_chromium()
    if found:
        return found
    if os.geteuid() != 0 or shutil.which("apt-get") is None:
        pytest.skip("chromium is not installed and apt-get cannot be run as root here")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    try:
        subprocess.run(
            ["apt-get", "update"], check=True, capture_output=True, timeout=300, env=env
        )
        subprocess.run(
            ["apt-get", "install", "-y", "chromium", "chromium-driver"],
            check=True,
            capture_output=True,
            timeout=900,
            env=env,
        )
    except (OSError, subprocess.SubprocessError) as error:
        pytest.skip(f"chromium is not installed and apt-get could not install it: {error}")
    found = _find_chromium()
    if not found:
        pytest.skip("apt-get ran but no chromium binary was found")
    return found


class DevTools:
    """A minimal Chrome DevTools protocol client for one page."""

    def __init__(self, socket: aiohttp.ClientWebSocketResponse) -> None:
        self._socket = socket
        self._ids = itertools.count(1)

    async def call(self, method: str, **params: Any) -> dict[str, Any]:
        call_id = next(self._ids)
        await self._socket.send_json({"id": call_id, "method": method, "params": params})
        while True:
            message = json.loads((await self._socket.receive(timeout=20)).data)
            if message.get("id") == call_id:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']}")
                return dict(message["result"])

    async def evaluate(self, expression: str) -> Any:
        result = await self.call(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    async def wait_for(self, expression: str, seconds: float = 10.0) -> Any:
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while True:
            value = await self.evaluate(expression)
            if value:
                return value
            if loop.time() > deadline:
                page = await self.evaluate("document.body.innerText")
                raise AssertionError(f"timed out waiting for {expression}; page text: {page!r}")
            await asyncio.sleep(0.05)


@pytest.fixture
async def page(chromium: str, tmp_path: Path) -> AsyncIterator[DevTools]:
    profile = tmp_path / "chromium-profile"
    process = await asyncio.create_subprocess_exec(
        chromium,
        *CHROMIUM_FLAGS,
        f"--user-data-dir={profile}",
        "about:blank",
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )
    try:
        port_file = profile / "DevToolsActivePort"
        for _ in range(300):
            if port_file.exists() and port_file.read_text().strip():
                break
            await asyncio.sleep(0.05)
        port = int(port_file.read_text().split()[0])
        async with aiohttp.ClientSession() as session:
            async with session.get(f"http://127.0.0.1:{port}/json/list") as response:
                targets = await response.json()
            url = next(t["webSocketDebuggerUrl"] for t in targets if t["type"] == "page")
            async with session.ws_connect(url, max_msg_size=0) as socket:
                devtools = DevTools(socket)
                await devtools.call(
                    "Emulation.setDeviceMetricsOverride",
                    **PHONE,
                    deviceScaleFactor=1,
                    mobile=True,
                )
                yield devtools
    finally:
        process.terminate()
        await process.wait()


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    assert update.effective_user is not None
    await update.message.reply_text(
        f"Xin chào <b>{update.effective_user.first_name}</b>! Bấm nút để tiếp tục.",
        parse_mode="HTML",
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton("Đồng ý", callback_data="agree")]]
        ),
    )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    assert query.message is not None
    await query.answer("Đã nhận")
    await query.edit_message_reply_markup(None)
    await context.bot.send_photo(query.message.chat.id, jpeg(800, 600), caption="Ảnh mẫu sổ đỏ")
    share = KeyboardButton("📞 Gửi số điện thoại", request_contact=True)
    await context.bot.send_message(
        query.message.chat.id,
        "Cảm ơn! Bạn đã đồng ý. Hãy gửi số điện thoại của bạn.",
        reply_markup=ReplyKeyboardMarkup([[share]], resize_keyboard=True),
    )


async def test_chat_page_start_press_and_answer(page: DevTools) -> None:
    # The bot answers a press with three messages and an edit: more than the per-chat burst.
    async with SimulatorServer(SimulatorConfig(flood_limits=False)) as server:
        server.register_bot(TOKEN)
        server.add_user("Lan", last_name="Nguyễn Thị", label="cư dân", phone_number="+84912345678")
        server.add_user("Hùng", label="trưởng thôn")
        server.add_user("Minh", label="cán bộ địa chính")
        application = (
            ApplicationBuilder()
            .token(TOKEN)
            .base_url(server.base_url)
            .base_file_url(server.base_file_url)
            .build()
        )
        application.add_handler(CommandHandler("start", on_start))
        application.add_handler(CallbackQueryHandler(on_button))
        async with application:
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0, timeout=2)
            await application.start()
            try:
                await browse(page, server.url)
            finally:
                await application.updater.stop()
                await application.stop()


async def browse(page: DevTools, url: str) -> None:
    await page.call("Page.navigate", url=url + "/")
    await page.wait_for("document.querySelectorAll('#people button').length === 3")
    assert await page.evaluate("document.characterSet") == "UTF-8"
    await page.evaluate(
        "[...document.querySelectorAll('#people button')]"
        ".find(b => b.textContent.startsWith('Lan')).click()"
    )
    await page.wait_for("!document.getElementById('composer').closest('[hidden]')")
    await page.evaluate("document.getElementById('text').focus()")
    await page.call("Input.insertText", text="/start")
    await page.evaluate("document.getElementById('send').click()")
    await page.wait_for("document.querySelector('.msg.me')?.textContent.includes('/start')")
    button = (
        "[...document.querySelectorAll('.msg.bot .inline-kb button')]"
        ".find(b => b.textContent === 'Đồng ý')"
    )
    await page.wait_for(f"!!({button})")
    assert "Xin chào Lan!" in await page.evaluate("document.querySelector('.msg.bot').textContent")
    await page.evaluate(f"({button}).click()")
    await page.wait_for("document.body.innerText.includes('Cảm ơn! Bạn đã đồng ý.')")
    await page.wait_for("document.getElementById('toast').textContent === 'Đã nhận'")
    await page.wait_for("document.querySelector('.msg.bot img.photo')?.complete")
    await page.wait_for("document.querySelectorAll('.inline-kb').length === 0")  # edited away
    keyboard = await page.wait_for("document.getElementById('keyboard').innerText")
    assert "Gửi số điện thoại" in keyboard
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"]  # nothing overflows sideways on a phone
    shot = await page.call("Page.captureScreenshot", format="png")
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "simulator-chat-page.png").write_bytes(base64.b64decode(shot["data"]))
