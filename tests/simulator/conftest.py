"""Fixtures for the simulator's tests: a server on a free port, a raw client, images."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest

from simulator import ApiExchange, SimulatorConfig, SimulatorServer
from tests.fixtures.apischema import API_JSON, ApiSchema
from tests.fixtures.simulator import TOKEN, RawBotApi


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
