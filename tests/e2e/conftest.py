"""A province, a commune with keys, the simulator and the real bot: the world a resident meets."""

from __future__ import annotations

import contextlib
import functools
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from bot.runtime import BotOptions, Runtime
from crypto import Identity, create_identity, lock_identity
from intake.demo import DEMO_COMMUNE, DEMO_VILLAGES
from intake.deps import Deps
from intake.imports import import_villages
from intake.keys import create_escrow_key
from intake.units import import_province
from simulator import ApiExchange, SimulatorConfig, SimulatorServer
from storage.models import Commune, CommuneKey
from tests.bot.conftest import free_port, new_token


@functools.cache
def commune_identity() -> tuple[Identity, bytes]:
    """One commune key for the whole run (locking it with a passphrase takes ~1.5 s)."""
    identity = create_identity()
    return identity, lock_identity(identity, "a passphrase for tests")


@dataclass
class World:
    deps: Deps
    simulator: SimulatorServer
    runtime: Runtime
    identity: Identity
    escrow: Identity


async def install_commune(deps: Deps) -> tuple[Identity, Identity]:
    await import_province(deps, "66")
    rows = "".join(f"{DEMO_COMMUNE},{name}\n" for name in DEMO_VILLAGES)
    await import_villages(deps, f"commune_code,village_name\n{rows}".encode(), province_code="66")
    escrow = (await create_escrow_key(deps, "66")).identity
    identity, locked = commune_identity()
    async with deps.database.sessions.begin() as session:
        commune = await session.scalar(select(Commune).where(Commune.code == DEMO_COMMUNE))
        assert commune is not None
        session.add(
            CommuneKey(commune_id=commune.id, recipient=identity.recipient, identity_locked=locked)
        )
    return identity, escrow


@contextlib.asynccontextmanager
async def open_world(
    deps: Deps, *, flood_limits: bool = False, time_scale: float = 1.0, webhook: bool = False
) -> AsyncIterator[World]:
    """The world; with flood limits the simulator answers 429 like Telegram, and a time scale
    runs its clock (and the bot's outbox pacing) faster; `webhook`: Telegram (the simulator)
    posts updates to the bot's web server instead of the bot polling."""
    identity, escrow = await install_commune(deps)
    config = SimulatorConfig(flood_limits=flood_limits, time_scale=time_scale)
    async with SimulatorServer(config, recorder=_record) as simulator:
        token = new_token()
        simulator.register_bot(token, first_name="hoso", username="hoso_test_bot")
        runtime = Runtime(deps, bot_options(token, simulator.url, time_scale, webhook=webhook))
        await runtime.start()
        here = World(deps, simulator, runtime, identity, escrow)
        try:
            yield here
        finally:
            await here.runtime.stop()  # a test may have replaced it (restart)
            RECORDED.clear()


def bot_options(
    token: str, api_url: str, time_scale: float = 1.0, *, webhook: bool = False
) -> BotOptions:
    port = free_port()
    return BotOptions(
        token=token,
        api_url=api_url,
        webhook_url=f"http://127.0.0.1:{port}" if webhook else None,
        listen_port=port,
        poll_timeout=1,
        province="66",
        document_lease_seconds=3,
        time_scale=time_scale,
    )


# Every Bot API exchange of the running test's simulator, with the time it was answered.
RECORDED: list[tuple[float, ApiExchange]] = []


def _record(exchange: ApiExchange) -> None:
    RECORDED.append((time.monotonic(), exchange))


@pytest.fixture
async def world(deps: Deps) -> AsyncIterator[World]:
    async with open_world(deps) as here:
        yield here
