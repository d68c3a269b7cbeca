"""The province's communes and villages as the flow's read-only `Directory`, cached briefly.

Reference data changes only through imports, so each bot process keeps a snapshot for a minute
instead of querying it on every message; a new import shows up within that minute.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict

from intake.flow import Directory, Place
from storage.deps import Deps
from storage.repositories import places

__all__ = ["DirectoryCache", "load_directory"]

log = logging.getLogger("hoso.directory")


async def load_directory(deps: Deps, province_code: str | None) -> Directory:
    """The province's communes that can receive documents (an active commune key and the
    province's escrow key) and their villages. The others are `closed`: never offered (nobody
    could open their photos), but named when a resident types one."""
    async with deps.database.sessions() as session:
        found, every, communes, villages = await places.directory_rows(session, province_code)
    receiving = {c.id for c in communes}
    by_commune: dict[int, list[Place]] = defaultdict(list)
    for village_id, name, code, commune_id in villages:
        by_commune[commune_id].append(Place(village_id, name, code))
    return Directory(
        province_name=found[0].name if len(found) == 1 else "",
        communes=tuple(Place(c.id, c.name, c.code) for c in communes),
        villages={commune_id: tuple(found_here) for commune_id, found_here in by_commune.items()},
        closed=tuple(Place(c.id, c.name, c.code) for c in every if c.id not in receiving),
    )


class DirectoryCache:
    def __init__(self, deps: Deps, province_code: str | None, *, ttl: float = 60.0) -> None:
        self._deps = deps
        self._province = province_code
        self._ttl = ttl
        self._snapshot: Directory | None = None
        self._loaded_at = 0.0
        self._loading = asyncio.Lock()
        self._warned = 0  # how many communes without keys the log was last told of

    async def get(self) -> Directory:
        if self._snapshot is not None and time.monotonic() - self._loaded_at <= self._ttl:
            return self._snapshot
        async with self._loading:  # one load, however many chats ask at once
            if self._snapshot is None or time.monotonic() - self._loaded_at > self._ttl:
                self._snapshot = await load_directory(self._deps, self._province)
                self._loaded_at = time.monotonic()
                self._warn(self._snapshot)
            return self._snapshot

    def _warn(self, directory: Directory) -> None:
        """Say which communes cannot receive, once per change (not at every reload)."""
        without = len(directory.closed)
        if without and without != self._warned:
            log.warning(
                "communes without keys are not offered to residents",
                extra={"without_keys": without, "with_keys": len(directory.communes)},
            )
        self._warned = without

    def invalidate(self) -> None:
        self._snapshot = None
