"""`hoso run` as a real process: starts against a Bot API server, stops cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path

from simulator import SimulatorServer
from tests.fixtures.hoso_process import wait_healthy
from tests.fixtures.net import free_port


async def test_run_answers_then_stops_cleanly_on_sigterm(
    simulator: SimulatorServer, token: str, tmp_path: Path
) -> None:
    hoso = Path(sys.executable).with_name("hoso")
    env = {
        **os.environ,
        "HOSO_DATA_DIR": str(tmp_path / "var"),
        "HOSO_TELEGRAM_TOKEN": token,
        "HOSO_TELEGRAM_API_URL": simulator.url,
        "HOSO_LISTEN_PORT": str(free_port()),
        "HOSO_LOG_LEVEL": "DEBUG",
    }
    env.pop("HOSO_DATABASE_URL", None)
    init = await asyncio.create_subprocess_exec(hoso, "init", env=env, cwd=tmp_path)
    assert await init.wait() == 0
    process = await asyncio.create_subprocess_exec(
        hoso, "run", env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
    )
    try:
        await wait_healthy(int(env["HOSO_LISTEN_PORT"]))
        resident = simulator.add_user("Nguyễn Văn An")
        await resident.send_command("help")
        assert "/start" in (await resident.next_message(timeout=15)).text
        await resident.send_command("help")
        process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), timeout=30) == 0
    finally:
        if process.returncode is None:
            process.kill()
    assert process.stderr is not None
    logs = (await process.stderr.read()).decode()
    assert '"msg": "bot stopped"' in logs
    assert token not in logs
    assert token.split(":")[1] not in logs
