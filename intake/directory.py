"""The province's communes and villages as the flow's read-only `Directory`, cached briefly.

Reference data changes only through imports, so each bot process keeps a snapshot for a minute
instead of querying it on every message; a new import shows up within that minute.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import defaultdict

from sqlalchemy import select

from intake.deps import Deps
from intake.flow import Directory, Place
from storage.models import Commune, CommuneKey, Province, Village

__all__ = ["DirectoryCache", "load_directory"]

log = logging.getLogger("hoso.directory")


async def load_directory(deps: Deps, province_code: str | None) -> Directory:
    async with deps.database.sessions() as session:
        provinces = select(Province)
        if province_code is not None:
            provinces = provinces.where(Province.code == province_code)
        found = list(await session.scalars(provinces.order_by(Province.code)))
        ids = [p.id for p in found]
        # Only communes whose documents can be sealed: an active commune key and the province
        # escrow key. Others are left out (and logged) rather than taking photos nobody can open.
        keyed = (
            select(CommuneKey.id)
            .where(CommuneKey.commune_id == Commune.id, CommuneKey.retired_at.is_(None))
            .exists()
        )
        escrowed = [p.id for p in found if p.escrow_recipient]
        every = list(
            await session.scalars(
                select(Commune).where(Commune.province_id.in_(ids)).order_by(Commune.name)
            )
        )
        communes = list(
            await session.scalars(
                select(Commune)
                .where(Commune.province_id.in_(escrowed), keyed)
                .order_by(Commune.name)
            )
        )
        if len(communes) < len(every):
            log.warning(
                "communes without keys are not offered to residents",
                extra={"without_keys": len(every) - len(communes), "with_keys": len(communes)},
            )
        villages = await session.execute(
            select(Village.id, Village.name, Village.code, Village.commune_id)
            .join(Commune, Commune.id == Village.commune_id)
            .where(Commune.id.in_([c.id for c in communes]))
            .order_by(Village.commune_id, Village.code)
        )
    by_commune: dict[int, list[Place]] = defaultdict(list)
    for village_id, name, code, commune_id in villages:
        by_commune[commune_id].append(Place(village_id, name, code))
    return Directory(
        province_name=found[0].name if len(found) == 1 else "",
        communes=tuple(Place(c.id, c.name, c.code) for c in communes),
        villages={commune_id: tuple(places) for commune_id, places in by_commune.items()},
    )


class DirectoryCache:
    def __init__(self, deps: Deps, province_code: str | None, *, ttl: float = 60.0) -> None:
        self._deps = deps
        self._province = province_code
        self._ttl = ttl
        self._snapshot: Directory | None = None
        self._loaded_at = 0.0
        self._loading = asyncio.Lock()

    async def get(self) -> Directory:
        if self._snapshot is not None and time.monotonic() - self._loaded_at <= self._ttl:
            return self._snapshot
        async with self._loading:  # one load, however many chats ask at once
            if self._snapshot is None or time.monotonic() - self._loaded_at > self._ttl:
                self._snapshot = await load_directory(self._deps, self._province)
                self._loaded_at = time.monotonic()
            return self._snapshot

    def invalidate(self) -> None:
        self._snapshot = None
