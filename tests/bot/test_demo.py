"""`hoso demo` starts everything, serves the chat page, stops on Ctrl-C, and runs twice."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from pathlib import Path

import aiohttp

from intake.admin import DEMO_OFFICER_USER
from tests.fixtures.console import LINK
from tests.fixtures.hoso_process import wait_healthy
from tests.fixtures.net import free_port


async def sign_in_as_demo_officer(port: int, bot_port: int) -> None:
    """What the demo prints: on the chat page, the officer sends /web and opens the link."""
    simulator = f"http://127.0.0.1:{port}/sim"
    async with aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True)) as http:
        async with http.get(f"{simulator}/bots") as answer:
            bot_id = (await answer.json())["result"][0]["id"]
        chat = f"{simulator}/bots/{bot_id}/chats/{DEMO_OFFICER_USER}"
        async with http.post(f"{chat}/text", data={"text": "/web"}) as answer:
            assert answer.status == 200
        link = None
        for _ in range(100):
            async with http.get(f"{chat}/history") as answer:
                found = LINK.search(json.dumps(await answer.json(), ensure_ascii=False))
            if found:
                link = found.group(1)
                break
            await asyncio.sleep(0.1)
        assert link is not None
        assert link.startswith(f"http://127.0.0.1:{bot_port}/console/signin?t=")
        async with http.get(link) as page:
            assert page.status == 200
        origin = f"http://127.0.0.1:{bot_port}"
        token = link.split("t=", 1)[1]
        async with http.post(
            f"{origin}/console/signin", data={"t": token}, headers={"Origin": origin}
        ) as page:
            assert page.status == 200
            assert "Lê Thị Hoa" in await page.text()


async def run_demo_once(data_dir: Path) -> str:
    hoso = Path(sys.executable).with_name("hoso")
    port, bot_port = free_port(), free_port()
    process = await asyncio.create_subprocess_exec(
        hoso,
        "demo",
        "--data-dir",
        str(data_dir),
        "--port",
        str(port),
        "--bot-port",
        str(bot_port),
        env={k: v for k, v in os.environ.items() if not k.startswith("HOSO_")},
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    try:
        await wait_healthy(bot_port, limit=60)
        async with aiohttp.ClientSession() as http, http.get(f"http://127.0.0.1:{port}/") as page:
            assert page.status == 200
            assert '<meta charset="utf-8">' in await page.text()
        await sign_in_as_demo_officer(port, bot_port)
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), timeout=30) == 0
    finally:
        if process.returncode is None:
            process.kill()
    assert process.stdout is not None
    return (await process.stdout.read()).decode()


async def test_demo_runs_twice(tmp_path: Path) -> None:
    first = await run_demo_once(tmp_path / "demo")
    assert "chat page (simulated Telegram): http://127.0.0.1:" in first
    assert "Xã Hòa Phú" in first
    assert "passphrase (demo only)" in first
    second = await run_demo_once(tmp_path / "demo")
    assert "passphrase (demo only)" not in second  # the key from the first run is reused
    assert "DEMO-COMMUNE-PASSPHRASE" in second  # … and the demo says where its passphrase is
    assert "web console for staff: http://127.0.0.1:" in first
    assert "send /web" in first
    assert "Traceback" not in first + second
