"""The demo province: Đắk Lắk, the commune of Hòa Phú with a dozen villages, and its keys.

Used by `hoso demo`; idempotent, so running the demo twice reuses what the first run made.
The villages are invented names for the demo, not an official list.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from sqlalchemy import select

from crypto import Identity
from intake.deps import Deps
from intake.imports import import_villages
from intake.keys import create_commune_key, create_escrow_key
from intake.units import import_province
from storage.models import Commune, CommuneKey, Province, Village

__all__ = ["DEMO_COMMUNE", "DEMO_PROVINCE", "DemoSetup", "prepare_demo"]

DEMO_PROVINCE = "66"  # Đắk Lắk
DEMO_COMMUNE = "24175"  # Xã Hòa Phú
DEMO_VILLAGES = (
    "Thôn 1",
    "Thôn 2",
    "Thôn 3",
    "Thôn 4",
    "Thôn 5",
    "Thôn 6",
    "Thôn Hòa Bình",
    "Thôn Tân Hòa",
    "Buôn Ea Kmát",
    "Buôn Kpông",
    "Buôn Ea Bar",
    "Thôn Đoàn Kết",
)


@dataclass(frozen=True)
class DemoSetup:
    commune_name: str
    village_codes: list[str]
    passphrase: str | None  # set when this run created the commune key
    escrow: Identity | None  # set when this run created the escrow key


async def prepare_demo(deps: Deps) -> DemoSetup:
    await import_province(deps, DEMO_PROVINCE)
    lines = "".join(f"{DEMO_COMMUNE},{name}\n" for name in DEMO_VILLAGES)
    await import_villages(
        deps, f"commune_code,village_name\n{lines}".encode(), province_code=DEMO_PROVINCE
    )
    async with deps.database.sessions() as session:
        province = await session.scalar(select(Province).where(Province.code == DEMO_PROVINCE))
        commune = await session.scalar(select(Commune).where(Commune.code == DEMO_COMMUNE))
        if province is None or commune is None:
            raise RuntimeError("the demo province was not imported")
        has_key = await session.scalar(
            select(CommuneKey.id).where(CommuneKey.commune_id == commune.id).limit(1)
        )
        codes = list(
            await session.scalars(
                select(Village.code).where(Village.commune_id == commune.id).order_by(Village.code)
            )
        )
        needs_escrow = not province.escrow_recipient
    escrow = (await create_escrow_key(deps, DEMO_PROVINCE)).identity if needs_escrow else None
    passphrase = None
    if has_key is None:
        passphrase = "demo-" + secrets.token_urlsafe(12)
        await create_commune_key(deps, DEMO_COMMUNE, passphrase)
    return DemoSetup(commune.name, codes, passphrase, escrow)
