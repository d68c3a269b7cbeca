"""Administrative units: a province and all its communes with official codes.

The source is the `vietnamadminunits` package's dataset of the units in force since 1 July 2025
(34 provinces; e.g. Đắk Lắk 66 → 102 communes, Lâm Đồng 68 → 124, Khánh Hòa 56 → 65). The import
is idempotent: running it again updates names and adds nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass

from vietnamadminunits.database import get_data

from intake.language import nfc, search_key
from storage.deps import Deps
from storage.models import Commune, Province
from storage.repositories import places
from storage.repositories.audit import append_event
from storage.states import ActorKind

__all__ = ["UnitsImported", "UnknownProvince", "import_province", "official_province"]

_FIELDS = [
    "provinceCode",
    "province",
    "provinceShort",
    "wardCode",
    "ward",
    "wardShort",
    "wardType",
]


class UnknownProvince(LookupError):
    """No province with that official code."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"there is no province with code {code!r}: use one of the 34 official codes,"
            " e.g. 66 (Đắk Lắk), 68 (Lâm Đồng), 56 (Khánh Hòa)"
        )


@dataclass(frozen=True)
class OfficialUnit:
    code: str
    name: str
    short_name: str
    kind: str


@dataclass(frozen=True)
class OfficialProvince:
    code: str
    name: str
    short_name: str
    communes: tuple[OfficialUnit, ...]


@dataclass(frozen=True)
class UnitsImported:
    province: str
    added: int
    updated: int
    total: int


def official_province(code: str) -> OfficialProvince:
    """The province and its communes from the packaged dataset."""
    wanted = f"{int(code):02d}" if code.isdigit() else code
    rows = [row for row in get_data(fields=_FIELDS) if row["provinceCode"] == wanted]
    if not rows:
        raise UnknownProvince(code)
    communes = sorted(
        {
            row["wardCode"]: OfficialUnit(
                code=row["wardCode"],
                name=nfc(row["ward"]),
                short_name=nfc(row["wardShort"]),
                kind=nfc(row["wardType"]),
            )
            for row in rows
        }.values(),
        key=lambda unit: unit.code,
    )
    first = rows[0]
    return OfficialProvince(
        code=wanted,
        name=nfc(first["province"]),
        short_name=nfc(first["provinceShort"]),
        communes=tuple(communes),
    )


def receipt_prefix(short_name: str) -> str:
    """Initials of a commune's name for its receipt codes: `Hòa Phú` → `HP`."""
    initials = "".join(word[0] for word in search_key(short_name).split() if word[0].isalpha())
    return (initials.upper() or "X")[:3]


async def import_province(deps: Deps, code: str) -> UnitsImported:
    official = official_province(code)
    added = updated = 0
    async with deps.database.sessions.begin() as session:
        province = await places.province_by_code(session, official.code)
        if province is None:
            province = Province(code=official.code, name="", short_name="", search_key="")
            session.add(province)
        province.name = official.name
        province.short_name = official.short_name
        province.search_key = search_key(official.short_name)
        await session.flush()
        existing = {
            commune.code: commune
            for commune in await places.communes_of_province(session, province.id)
        }
        for unit in official.communes:
            commune = existing.get(unit.code)
            if commune is None:
                added += 1
                session.add(
                    Commune(
                        province_id=province.id,
                        code=unit.code,
                        name=unit.name,
                        short_name=unit.short_name,
                        kind=unit.kind,
                        search_key=search_key(unit.short_name),
                        receipt_prefix=receipt_prefix(unit.short_name),
                    )
                )
            elif (commune.name, commune.short_name, commune.kind) != (
                unit.name,
                unit.short_name,
                unit.kind,
            ):
                updated += 1
                commune.name, commune.short_name, commune.kind = (
                    unit.name,
                    unit.short_name,
                    unit.kind,
                )
                commune.search_key = search_key(unit.short_name)
        await append_event(
            session,
            actor_kind=ActorKind.ADMIN_CLI,
            actor_id=None,
            action="units_imported",
            data={"province": official.code, "added": added, "updated": updated},
        )
    return UnitsImported(
        province=official.name, added=added, updated=updated, total=len(official.communes)
    )
