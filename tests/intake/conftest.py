"""Fixtures for the domain's tests: the commune to work in, the staff desk, update ids."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from intake.resident import DirectoryCache, ResidentDesk
from intake.staff import StaffDesk, StaffRoster
from storage.deps import Deps
from tests.fixtures.commune import BOT_ID, HoaPhu, hoa_phu_with_keys, update_ids


@pytest.fixture
async def hoa_phu(deps: Deps) -> HoaPhu:
    return await hoa_phu_with_keys(deps)


@pytest.fixture
def desk(deps: Deps, hoa_phu: HoaPhu) -> StaffDesk:
    residents = ResidentDesk(deps, bot_id=BOT_ID, directory=DirectoryCache(deps, "66"))
    return StaffDesk(
        deps,
        bot_id=BOT_ID,
        bot_username="hoso_test_bot",
        residents=residents,
        roster=StaffRoster(deps),
    )


@pytest.fixture
def updates() -> Iterator[int]:
    return update_ids()
