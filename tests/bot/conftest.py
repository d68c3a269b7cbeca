"""Fixtures for running the real bot (PTB) against the simulator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from bot.runtime import BotOptions, Runtime
from simulator import SimulatorConfig, SimulatorServer
from storage.deps import Deps
from tests.fixtures.net import free_port, new_token


@pytest.fixture
async def simulator() -> AsyncIterator[SimulatorServer]:
    async with SimulatorServer(SimulatorConfig(flood_limits=False)) as server:
        yield server


@pytest.fixture
def token(simulator: SimulatorServer) -> str:
    value = new_token()
    simulator.register_bot(value, first_name="hoso", username="hoso_test_bot")
    return value


@pytest.fixture(params=["polling", "webhook"])
async def running_bot(
    request: pytest.FixtureRequest, deps: Deps, simulator: SimulatorServer, token: str
) -> AsyncIterator[Runtime]:
    port = free_port()
    options = BotOptions(
        token=token,
        api_url=simulator.url,
        webhook_url=f"http://127.0.0.1:{port}" if request.param == "webhook" else None,
        listen_port=port,
        poll_timeout=1,
    )
    runtime = Runtime(deps, options)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()
