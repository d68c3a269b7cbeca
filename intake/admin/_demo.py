"""The demo province: Đắk Lắk, the commune of Hòa Phú with a dozen villages, and its keys.

Used by `hoso demo`; idempotent, so running the demo twice reuses what the first run made.
The villages are invented names for the demo, not an official list.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from crypto import Identity
from intake.admin._imports import import_targets, import_villages
from intake.admin._keys import create_commune_key, create_escrow_key
from intake.admin._units import import_province
from storage.deps import Deps
from storage.models import Staff
from storage.repositories import keys, places, reports, staff
from storage.repositories.audit import append_event
from storage.states import ActorKind, StaffRole

__all__ = [
    "DEMO_CHIEF_USER",
    "DEMO_COMMUNE",
    "DEMO_OFFICER_USER",
    "DEMO_PROVINCE",
    "DemoSetup",
    "prepare_demo",
]

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
# Demo staff (simulated Telegram users of `hoso demo`): the chief of the first village and a
# commune land officer. Invented people.
DEMO_CHIEF_USER = 7101
DEMO_OFFICER_USER = 7201
# The first village's target list: invented households, so that /progress has names to show.
DEMO_TARGETS = (
    ("Nguyễn Văn An", "12", "101"),
    ("Trần Thị Bình", "12", "102"),
    ("H'Hen Niê", "12", "103"),
    ("Phạm Văn Cường", "12", "104"),
    ("Y Ni Ksor", "13", "7"),
    ("Lê Thị Dung", "13", "8"),
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
        province = await places.province_by_code(session, DEMO_PROVINCE)
        commune = await places.commune_by_code(session, DEMO_COMMUNE)
        if province is None or commune is None:
            raise RuntimeError("the demo province was not imported")
        has_key = bool(await keys.commune_recipients(session, commune.id))
        codes = sorted(v.code for v in await places.villages_of_commune(session, commune.id))
        needs_escrow = not province.escrow_recipient
    escrow = (await create_escrow_key(deps, DEMO_PROVINCE)).identity if needs_escrow else None
    passphrase = None
    if not has_key:
        passphrase = "demo-" + secrets.token_urlsafe(12)
        await create_commune_key(deps, DEMO_COMMUNE, passphrase)
    await _demo_staff(deps, province.id, commune.id, codes[0])
    return DemoSetup(commune.name, codes, passphrase, escrow)


async def _demo_staff(deps: Deps, province_id: int, commune_id: int, village_code: str) -> None:
    """The demo's chief and officer as real staff rows, and the first village's targets (once)."""
    async with deps.database.sessions.begin() as session:
        village = await places.village_by_code(session, village_code)
        if village is None:
            raise RuntimeError("the demo villages were not imported")
        for user, role, village_id, name in (
            (DEMO_CHIEF_USER, StaffRole.CHIEF, village.id, "Y Ni Ksor"),
            (DEMO_OFFICER_USER, StaffRole.OFFICER, None, "Lê Thị Hoa"),
        ):
            if await staff.staff_for_user(session, user) is not None:
                continue
            member = Staff(
                telegram_user_id=user,
                role=role,
                province_id=province_id,
                commune_id=commune_id,
                village_id=village_id,
                display_name=name,
                language="vi",
            )
            session.add(member)
            await session.flush()
            await append_event(
                session,
                actor_kind=ActorKind.ADMIN_CLI,
                actor_id=None,
                action="staff_joined",
                commune_id=commune_id,
                data={"role": role.value, "staff_id": member.id, "demo": True},
            )
        has_targets = bool(await reports.target_counts(session, commune_id))
    if not has_targets:
        rows = "".join(
            f"{DEMO_COMMUNE},{name},{village_code},,{sheet},{parcel}\n"
            for name, sheet, parcel in DEMO_TARGETS
        )
        header = "commune_code,household_name,village_code,cccd,map_sheet,parcel_no\n"
        await import_targets(deps, (header + rows).encode(), province_code=DEMO_PROVINCE)
