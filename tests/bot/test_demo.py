"""`hoso demo` starts everything, serves the chat page, stops on Ctrl-C, and runs twice."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

import aiohttp

from tests.fixtures.hoso_process import wait_healthy
from tests.fixtures.net import free_port


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
    assert "Traceback" not in first + second
