"""The console's tests run in the world: a commune with keys, the simulator and the real bot
(whose web server serves the console)."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from storage.deps import Deps
from tests.fixtures.chromium import artifacts, chromium
from tests.fixtures.world import World, open_world

__all__ = ["artifacts", "chromium", "world"]  # the browser tests' fixtures too


@pytest.fixture
async def world(deps: Deps) -> AsyncIterator[World]:
    async with open_world(deps) as here:
        yield here
