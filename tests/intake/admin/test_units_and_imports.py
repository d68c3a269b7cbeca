"""Administrative units from vietnamadminunits and the CSV imports."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from intake.admin import (
    ImportRefused,
    UnknownProvince,
    import_parcels,
    import_province,
    import_targets,
    import_villages,
    receipt_prefix,
)
from storage.deps import Deps
from storage.models import Commune, Event, Parcel, Target, Village


async def count(deps: Deps, model: type) -> int:
    async with deps.database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.mark.parametrize(("code", "communes"), [("66", 102), ("68", 124), ("56", 65)])
async def test_province_communes(deps: Deps, code: str, communes: int) -> None:
    result = await import_province(deps, code)
    assert (result.total, result.added) == (communes, communes)
    again = await import_province(deps, code)
    assert (again.added, again.updated) == (0, 0)
    assert await count(deps, Commune) == communes


async def test_unknown_province(deps: Deps) -> None:
    with pytest.raises(UnknownProvince, match="99"):
        await import_province(deps, "99")


def test_receipt_prefix() -> None:
    assert receipt_prefix("Hòa Phú") == "HP"
    assert receipt_prefix("Krông Pắc") == "KP"
    assert receipt_prefix("Ea Kar") == "EK"


@pytest.fixture
async def dak_lak(deps: Deps) -> Deps:
    await import_province(deps, "66")
    return deps


VILLAGES = "\ufeffcommune_code,village_name,village_code\n24175,Thôn 1,\n24175,Buôn Ea Bar,24175-EB\n24490,Thôn 2,\n"


async def test_villages_import_with_bom_and_generated_codes(dak_lak: Deps) -> None:
    result = await import_villages(dak_lak, VILLAGES.encode(), province_code="66")
    assert (result.added, result.communes) == (3, 2)
    async with dak_lak.database.sessions() as session:
        codes = set(await session.scalars(select(Village.code)))
    assert codes == {"24175-01", "24175-EB", "24490-01"}
    again = await import_villages(dak_lak, VILLAGES.encode(), province_code="66")
    assert (again.added, again.updated) == (0, 0)


async def test_villages_semicolon_and_nfd_are_normalised(dak_lak: Deps) -> None:
    import unicodedata

    data = unicodedata.normalize("NFD", "commune_code;village_name\n24175;Thôn Hòa\n").encode()
    await import_villages(dak_lak, data, province_code="66")
    async with dak_lak.database.sessions() as session:
        name = await session.scalar(select(Village.name))
    assert name == unicodedata.normalize("NFC", "Thôn Hòa")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", ["the file is empty"]),
        (b"commune_code,village_name\n", ["no rows"]),
        (
            "commune,name\n24175,Thôn 1\n".encode(),
            ["line 1: missing column(s) commune_code, village_name"],
        ),
        ("commune_code,village_name\n24175,Thôn 1\n".encode("utf-16"), ["not UTF-8"]),
        (
            "commune_code,village_name\n24175,Thôn 1\n24175,Th\xf4n 2\n".encode("latin-1"),
            ["line 2: the file is not UTF-8"],
        ),
        (
            "commune_code,village_name,village_code\n24175,Thôn 1,A1\n99999,Thôn 2,\n24175,,A1\n24175,Thôn 4,a b\n".encode(),
            [
                "line 3: commune_code '99999' is not a known commune",
                "line 4: village_name is empty",
                "line 4: village_code 'A1' repeats line 2",
                "line 5: village_code 'a b'",
            ],
        ),
    ],
)
async def test_bad_village_files_are_refused_whole(
    dak_lak: Deps, data: bytes, expected: list[str]
) -> None:
    events_before = await count(dak_lak, Event)
    with pytest.raises(ImportRefused) as caught:
        await import_villages(dak_lak, data, province_code="66")
    shown = [str(problem) for problem in caught.value.problems]
    assert len(shown) == len(expected)
    for line, wanted in zip(shown, expected, strict=True):
        assert wanted in line
    assert await count(dak_lak, Village) == 0
    assert await count(dak_lak, Event) == events_before


async def test_village_of_another_province_is_refused(dak_lak: Deps) -> None:
    await import_province(dak_lak, "68")
    lam_dong = "commune_code,village_name\n24175,Thôn 1\n"
    with pytest.raises(ImportRefused):
        await import_villages(dak_lak, lam_dong.encode(), province_code="68")


async def test_parcels_upsert_and_errors(dak_lak: Deps) -> None:
    await import_villages(dak_lak, VILLAGES.encode(), province_code="66")
    data = "commune_code,map_sheet,parcel_no,village_code\n24175,12,345,24175-01\n24175,12,346,\n"
    result = await import_parcels(dak_lak, data.encode(), province_code="66")
    assert result.added == 2
    moved = "commune_code,map_sheet,parcel_no,village_code\n24175,12,346,24175-EB\n"
    await import_parcels(dak_lak, moved.encode(), province_code="66")
    async with dak_lak.database.sessions() as session:
        rows = (await session.execute(select(Parcel.parcel_no, Parcel.village_id))).all()
    assert len(rows) == 2
    assert all(village is not None for _, village in rows)
    bad = (
        "commune_code,map_sheet,parcel_no,village_code\n"
        "24175,12,345,24490-01\n24175,,9,\n24175,12,345,\n24175,1,2,NOPE\n"
    )
    with pytest.raises(ImportRefused) as caught:
        await import_parcels(dak_lak, bad.encode(), province_code="66")
    lines = [problem.line for problem in caught.value.problems]
    assert lines == [2, 3, 4, 5]  # line 4 repeats line 2
    assert await count(dak_lak, Parcel) == 2


async def test_targets_encrypted_indexed_and_replaced(dak_lak: Deps) -> None:
    await import_villages(dak_lak, VILLAGES.encode(), province_code="66")
    data = (
        "commune_code,village_code,household_name,cccd,map_sheet,parcel_no\n"
        "24175,24175-01,Nguyễn Văn An,066 090 012 345,12,345\n"
        "24175,,Trần Thị Bình,,,\n"
    )
    result = await import_targets(dak_lak, data.encode(), province_code="66")
    assert result.added == 2
    async with dak_lak.database.sessions() as session:
        target = await session.scalar(select(Target).where(Target.cccd_index.is_not(None)))
    assert target is not None
    assert target.cccd_index == dak_lak.blind.cccd("066090012345")
    name = dak_lak.fields.decrypt(
        target.household_name_enc, table="target", column="household_name_enc", row=target.id
    )
    assert name == "Nguyễn Văn An"
    assert b"Nguy" not in target.household_name_enc
    again = await import_targets(dak_lak, data.encode(), province_code="66")
    assert again.details["replaced"] == 2
    assert await count(dak_lak, Target) == 2
    bad = "commune_code,household_name,cccd\n24175,An,123\n24175,,\n"
    with pytest.raises(ImportRefused) as caught:
        await import_targets(dak_lak, bad.encode(), province_code="66")
    assert [problem.line for problem in caught.value.problems] == [2, 3]
    assert await count(dak_lak, Target) == 2


async def test_targets_keep_the_group_first_imported(dak_lak: Deps) -> None:
    await import_villages(dak_lak, VILLAGES.encode(), province_code="66")
    header = "commune_code,village_code,household_name,cccd,map_sheet,parcel_no,group\n"
    first = (
        "24175,24175-01,Nguyễn Văn An,,12,345,2\n"
        "24175,24175-01,Trần Thị Bình,066090012345,,,3\n"
        "24175,24175-01,Lê Văn Cường,,12,346,\n"
    )
    await import_targets(dak_lak, (header + first).encode(), province_code="66")
    later = (
        "24175,24175-01,Nguyễn Văn An,,12,345,1\n"  # moved from 2 to 1
        "24175,24175-01,Trần Thị Bình,066090012345,,,1\n"  # from 3 to 1 (named by CCCD)
        "24175,24175-01,Lê Văn Cường,,12,346,1\n"  # no group before: not a move
        "24175,24175-01,Phạm Thị Dung,,12,347,2\n"  # new
    )
    await import_targets(dak_lak, (header + later).encode(), province_code="66")
    async with dak_lak.database.sessions() as session:
        groups = {
            (t.parcel_no or "cccd", t.parcel_group, t.first_group)
            for t in await session.scalars(select(Target))
        }
    assert groups == {("345", 1, 2), ("cccd", 1, 3), ("346", 1, 1), ("347", 2, 2)}
    bad = header + "24175,24175-01,Nguyễn Văn An,,12,345,4\n24175,24175-01,Bình,,12,9,hai\n"
    with pytest.raises(ImportRefused) as caught:
        await import_targets(dak_lak, bad.encode(), province_code="66")
    assert [problem.line for problem in caught.value.problems] == [2, 3]
    assert "write 1, 2, 3 or nothing" in str(caught.value.problems[0])
    assert await count(dak_lak, Target) == 4
