"""Provinces, communes and villages: look-ups by code and id, the lists staff pick from, and the
snapshot the residents' directory is made of."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from crypto import BlindIndex, FieldCipher
from storage.db import insert_for
from storage.models import Commune, CommuneKey, Parcel, Province, Target, Village, utcnow

__all__ = [
    "all_villages",
    "commune",
    "commune_by_code",
    "communes_by_code",
    "communes_of_province",
    "directory_rows",
    "province",
    "province_by_code",
    "replace_targets",
    "target",
    "upsert_parcels",
    "village",
    "village_by_code",
    "villages_by_code",
    "villages_of_commune",
]


async def province_by_code(session: AsyncSession, code: str) -> Province | None:
    return await session.scalar(select(Province).where(Province.code == code))


async def province(session: AsyncSession, province_id: int) -> Province | None:
    return await session.get(Province, province_id)


async def commune_by_code(session: AsyncSession, code: str) -> Commune | None:
    return await session.scalar(select(Commune).where(Commune.code == code))


async def commune(session: AsyncSession, commune_id: int) -> Commune | None:
    return await session.get(Commune, commune_id)


async def target(session: AsyncSession, target_id: uuid.UUID) -> Target | None:
    return await session.get(Target, target_id)


async def village(session: AsyncSession, village_id: int) -> Village | None:
    return await session.get(Village, village_id)


async def village_by_code(session: AsyncSession, code: str) -> Village | None:
    return await session.scalar(select(Village).where(Village.code == code))


async def villages_by_code(session: AsyncSession, codes: Sequence[str]) -> dict[str, Village]:
    if not codes:
        return {}
    rows = await session.scalars(select(Village).where(Village.code.in_(codes)))
    return {village.code: village for village in rows}


async def villages_of_commune(session: AsyncSession, commune_id: int | None) -> list[Village]:
    """A commune's villages in their import order."""
    if commune_id is None:
        return []
    rows = await session.scalars(
        select(Village).where(Village.commune_id == commune_id).order_by(Village.id)
    )
    return list(rows)


async def communes_of_province(
    session: AsyncSession, province_id: int, *, offset: int = 0, limit: int | None = None
) -> list[Commune]:
    """A province's communes by name (a page of them with `offset` and `limit`)."""
    query = (
        select(Commune)
        .where(Commune.province_id == province_id)
        .order_by(Commune.name)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(await session.scalars(query))


async def directory_rows(
    session: AsyncSession, province_code: str | None
) -> tuple[list[Province], list[Commune], list[Commune], list[tuple[int, str, str, int]]]:
    """What the residents' directory is made of: the provinces served, all their communes,
    the communes that can receive (an active key and the province's escrow key), and the
    villages of those, as (id, name, code, commune id) in commune and code order."""
    provinces = select(Province)
    if province_code is not None:
        provinces = provinces.where(Province.code == province_code)
    found = list(await session.scalars(provinces.order_by(Province.code)))
    keyed = (
        select(CommuneKey.id)
        .where(CommuneKey.commune_id == Commune.id, CommuneKey.retired_at.is_(None))
        .exists()
    )
    escrowed = [p.id for p in found if p.escrow_recipient]
    every = list(
        await session.scalars(
            select(Commune)
            .where(Commune.province_id.in_([p.id for p in found]))
            .order_by(Commune.name)
        )
    )
    receiving = list(
        await session.scalars(
            select(Commune).where(Commune.province_id.in_(escrowed), keyed).order_by(Commune.name)
        )
    )
    villages = await session.execute(
        select(Village.id, Village.name, Village.code, Village.commune_id)
        .where(Village.commune_id.in_([c.id for c in receiving]))
        .order_by(Village.commune_id, Village.code)
    )
    return found, every, receiving, [tuple(row) for row in villages]  # type: ignore[misc]


async def communes_by_code(session: AsyncSession, province_code: str | None) -> dict[str, Commune]:
    """Every commune (of one province, when its code is given), by code."""
    query = select(Commune)
    if province_code is not None:
        query = query.join(Province).where(Province.code == province_code)
    return {commune.code: commune for commune in await session.scalars(query)}


async def all_villages(session: AsyncSession) -> dict[str, Village]:
    """Every village, by code."""
    return {village.code: village for village in await session.scalars(select(Village))}


_BATCH = 500  # rows per statement


async def upsert_parcels(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Add or update (commune, map sheet, parcel) → village rows."""
    insert_parcel = insert_for((await session.connection()).dialect.name)
    for start in range(0, len(rows), _BATCH):
        statement = insert_parcel(Parcel).values(list(rows[start : start + _BATCH]))
        statement = statement.on_conflict_do_update(
            index_elements=["commune_id", "map_sheet", "parcel_no"],
            set_={"village_id": statement.excluded.village_id},
        )
        await session.execute(statement)


def _parcel_key(map_sheet: str | None, parcel_no: str | None, cccd_index: bytes | None) -> object:
    """What names one parcel of a commune's list across imports."""
    if map_sheet and parcel_no:
        return ("parcel", map_sheet, parcel_no)
    return ("cccd", cccd_index) if cccd_index else ("none", uuid.uuid4())


async def replace_targets(
    session: AsyncSession,
    cipher: FieldCipher,
    blind: BlindIndex,
    commune_ids: Sequence[int],
    rows: Sequence[dict[str, Any]],
) -> int:
    """Replace these communes' target lists with `rows` (`commune_id`, `village_id`,
    `household_name`, `cccd`, `map_sheet`, `parcel_no`, `group`): the name and the CCCD
    encrypted to their row, the CCCD's blind index for matching. A parcel the old list named
    (same commune, map sheet and parcel; or, without them, the same CCCD) keeps the group it
    first had. Returns how many were replaced."""
    first: dict[tuple[int, object], int | None] = {
        (old.commune_id, _parcel_key(old.map_sheet, old.parcel_no, old.cccd_index)): (
            old.first_group
        )
        for old in await session.scalars(
            select(Target).where(
                Target.commune_id.in_(commune_ids), Target.first_group.is_not(None)
            )
        )
    }
    replaced = await session.execute(delete(Target).where(Target.commune_id.in_(commune_ids)))
    values = []
    imported = utcnow()
    for position, row in enumerate(rows):
        row_id = uuid.uuid4()
        number = row["cccd"]
        index = blind.cccd(number) if number else None
        group = row.get("group")
        key = (row["commune_id"], _parcel_key(row["map_sheet"], row["parcel_no"], index))
        values.append(
            {
                "id": row_id,
                "commune_id": row["commune_id"],
                "village_id": row["village_id"],
                "household_name_enc": cipher.encrypt(
                    row["household_name"], table="target", column="household_name_enc", row=row_id
                ),
                "cccd_enc": (
                    cipher.encrypt(number, table="target", column="cccd_enc", row=row_id)
                    if number
                    else None
                ),
                "cccd_index": index,
                "map_sheet": row["map_sheet"],
                "parcel_no": row["parcel_no"],
                "parcel_group": group,
                "first_group": first.get(key, group),
                # the list's own order, kept: rows made in the same microsecond must not be
                # ordered by their random ids (the lists of households shown follow it)
                "created_at": imported + timedelta(microseconds=position),
            }
        )
    for start in range(0, len(values), _BATCH):
        await session.execute(insert(Target), values[start : start + _BATCH])
    return int(replaced.rowcount)  # type: ignore[attr-defined]
