"""The residents' directory: only communes that can receive are offered; the others are known
as `closed` (to tell a resident who names one), and the log says so once, not every minute."""

from __future__ import annotations

import logging

import pytest

from intake.resident import DirectoryCache
from storage.deps import Deps
from tests.fixtures.commune import hoa_phu_with_keys


async def test_communes_without_a_key_are_closed_and_logged_once(
    deps: Deps, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="hoso.directory")
    place = await hoa_phu_with_keys(deps)
    cache = DirectoryCache(deps, "66", ttl=0.0)  # reloaded at every use
    directory = await cache.get()
    assert [c.code for c in directory.communes] == [place.commune.code]
    assert directory.closed  # the rest of Đắk Lắk: imported, no key yet
    assert place.commune.code not in {c.code for c in directory.closed}
    assert directory.search_communes("ea kar") == []
    assert [c.name for c in directory.search_closed("ea kar")] == ["Xã Ea Kar"]
    await cache.get()
    await cache.get()
    warnings = [r for r in caplog.records if "without keys" in r.getMessage()]
    assert len(warnings) == 1
