"""PTB over aiohttp: the same requests as httpx would make, and errors mapped to PTB's."""

from __future__ import annotations

import asyncio
import socket

import pytest
import telegram
from aiohttp import web
from telegram.error import NetworkError, TimedOut

from handlers.http import AiohttpRequest
from simulator import SimulatorConfig, SimulatorServer


async def test_a_bot_over_aiohttp_talks_to_telegram_and_uploads_files() -> None:
    async with SimulatorServer(SimulatorConfig()) as server:
        token = f"{1234567890}:{'x' * 35}"
        server.register_bot(token, first_name="hoso")
        lan = server.add_user("Lan", language_code="vi")
        await lan.send_command("start")
        request = AiohttpRequest(pool_size=4)
        bot = telegram.Bot(
            token,
            base_url=f"{server.url}/bot",
            base_file_url=f"{server.url}/file/bot",
            request=request,
            get_updates_request=AiohttpRequest(pool_size=1),
        )
        async with bot:
            updates = await bot.get_updates(timeout=0)
            assert updates[0].message is not None
            chat = updates[0].message.chat.id
            sent = await bot.send_message(chat, "Xin chào, chị Lan — «sổ đỏ» & CCCD")
            assert sent.text == "Xin chào, chị Lan — «sổ đỏ» & CCCD"
            document = await bot.send_document(chat, b"%PDF-1.4 hoso", filename="biên nhận.pdf")
            assert document.document is not None
            assert document.document.file_name == "biên nhận.pdf"
            file = await bot.get_file(document.document.file_id)
            assert bytes(await file.download_as_bytearray()) == b"%PDF-1.4 hoso"
        assert (await lan.next_message(timeout=5)).text.startswith("Xin chào")


async def test_a_silent_server_times_out_and_a_closed_port_is_a_network_error() -> None:
    async def slow(_request: web.Request) -> web.Response:
        await asyncio.sleep(1)
        return web.json_response({"ok": True, "result": True})

    app = web.Application()
    app.router.add_post("/{tail:.*}", slow)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    request = AiohttpRequest(read_timeout=0.2)
    await request.initialize()
    try:
        with pytest.raises(TimedOut):
            await request.post(f"http://127.0.0.1:{port}/botX/getMe")
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            closed = probe.getsockname()[1]
        with pytest.raises(NetworkError) as refused:
            await request.post(f"http://127.0.0.1:{closed}/botX/getMe")
        assert not isinstance(refused.value, TimedOut)
    finally:
        await request.shutdown()
        await runner.cleanup()
