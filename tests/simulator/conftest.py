"""Fixtures for the simulator's tests: a server on a free port, a raw client, images."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from typing import Any

import aiohttp
import pytest
from PIL import Image

from simulator import ApiExchange, SimulatorConfig, SimulatorServer
from tests.simulator.apischema import API_JSON, ApiSchema

TOKEN = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw"


def jpeg(width: int = 1600, height: int = 1200, color: str = "teal") -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", (width, height), color)
    for x in range(0, width, 50):  # some detail, so that sizes differ in bytes
        image.paste((x % 255, 40, 90), (x, 0, x + 10, height))
    image.save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


@pytest.fixture
def exchanges() -> list[ApiExchange]:
    return []


@pytest.fixture
async def server(exchanges: list[ApiExchange]) -> AsyncIterator[SimulatorServer]:
    """A simulator with flood limits off and every Bot API call recorded."""
    config = SimulatorConfig(flood_limits=False, webhook_retry_initial=0.05)
    async with SimulatorServer(config, recorder=exchanges.append) as running:
        running.register_bot(TOKEN)
        yield running


class RawBotApi:
    """Direct HTTP calls to the Bot API, to test what PTB would never send."""

    def __init__(self, session: aiohttp.ClientSession, url: str) -> None:
        self.session = session
        self.url = url

    async def call(
        self, method: str, token: str = TOKEN, **kwargs: Any
    ) -> tuple[int, dict[str, Any]]:
        async with self.session.post(f"{self.url}/bot{token}/{method}", **kwargs) as response:
            return response.status, await response.json()

    async def json(self, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
        return await self.call(method, json=params)


@pytest.fixture
async def raw(server: SimulatorServer) -> AsyncIterator[RawBotApi]:
    async with aiohttp.ClientSession() as session:
        yield RawBotApi(session, server.url)


@pytest.fixture(scope="session")
def schema() -> ApiSchema:
    if not API_JSON.exists():
        pytest.skip(f"Bot API description not found at {API_JSON}")
    return ApiSchema(API_JSON)


@pytest.fixture
def check_traffic(
    exchanges: list[ApiExchange], schema: ApiSchema
) -> Callable[[], list[ApiExchange]]:
    """Call at the end of a test: every recorded exchange must fit the Bot API description."""

    def check() -> list[ApiExchange]:
        errors = [error for exchange in exchanges for error in schema.check_exchange(exchange)]
        assert errors == []
        return exchanges

    return check
