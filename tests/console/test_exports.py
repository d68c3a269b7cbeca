"""The console's exports through its HTTP side (the browser's own downloads are in
test_exports_browser.py): an XLSX of exactly what the filter shows, the documents as a ZIP
opened with the session's key or sealed as stored, each an audit event; nothing to export, a
chief, a locked key and a client that goes away mid-download."""

from __future__ import annotations

import asyncio
import csv
import io
import tempfile
import time
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any

import aiohttp
import openpyxl
import pyrage
import pytest
from sqlalchemy import select, update

import console._web
import intake.exports._archive
from crypto import open_document
from storage.models import Event, Submission
from storage.states import StaffRole
from tests.fixtures.commune import join as join_staff
from tests.fixtures.commune import submit
from tests.fixtures.console import (
    PASSPHRASE,
    Browser,
    installed_hoa_phu,
    signed_in,
    stored_documents,
)
from tests.fixtures.world import World, resident_submits

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def download(browser: Browser, path: str) -> tuple[int, str, bytes]:
    async with browser.http.get(browser.base + path) as response:
        return response.status, response.headers["Content-Type"], await response.read()


async def exports(world: World) -> list[dict[str, Any]]:
    async with world.deps.database.sessions() as session:
        rows = await session.scalars(
            select(Event).where(Event.action == "export").order_by(Event.id)
        )
        return [dict(event.data) for event in rows]


def sheet_rows(data: bytes, sheet: int = 0) -> list[list[Any]]:
    """The sheet's values; no cell of an export is ever a formula."""
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = []
    for row in workbook.worksheets[sheet].iter_rows():
        assert all(cell.data_type != "f" for cell in row)
        rows.append([cell.value for cell in row])
    workbook.close()
    return rows


async def unlock(browser: Browser, commune_id: int) -> None:
    await browser.get("/console/queue")
    status, _ = await browser.post(
        "/console/unlock",
        {"commune": str(commune_id), "passphrase": PASSPHRASE, "back": "/console/queue"},
        allow_redirects=False,
    )
    assert status == 303


async def test_the_xlsx_holds_exactly_what_the_filter_shows(world: World) -> None:
    place = await installed_hoa_phu(world)
    thon_1, thon_2 = place.villages[0], place.villages[1]
    first = await submit(world.deps, place, thon_1, holder="Nguyễn Văn An", cccd="066090012345")
    second = await submit(
        world.deps, place, thon_1, holder="=HYPERLINK(1)", cccd="001190000001", parcel_no="07"
    )
    other = await submit(world.deps, place, thon_2, holder="Trần Thị Bình", cccd="066190000001")
    old = await submit(world.deps, place, thon_1, holder="Lê Văn Cũ", cccd="066190000002")
    async with world.deps.database.sessions.begin() as session:
        await session.execute(
            update(Submission)
            .where(Submission.id == old.id)
            .values(submitted_at=old.submitted_at - timedelta(days=40))
        )
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    async with await signed_in(world, officer) as browser:
        status, page = await browser.get(f"/console/queue?village={thon_1.id}")
        assert f'href="/console/export/xlsx?village={thon_1.id}"' in page
        assert "Xuất đúng 3 hồ sơ đang lọc" in page

        async with browser.http.get(
            f"{browser.base}/console/export/xlsx?village={thon_1.id}"
        ) as response:
            status, kind, data = response.status, response.content_type, await response.read()
            assert response.headers["Cache-Control"] == "no-store"  # personal data
            assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        assert (status, kind) == (200, XLSX)
        rows = sheet_rows(data)
        assert rows[0][:4] == [
            "Mã hồ sơ",
            "Họ tên người sử dụng đất",
            "Số CCCD",
            "Số điện thoại",
        ]
        assert [row[0] for row in rows[1:]] == [
            old.receipt_code,
            first.receipt_code,
            second.receipt_code,
        ]
        by_receipt = {row[0]: row for row in rows[1:]}
        assert by_receipt[second.receipt_code][1] == "=HYPERLINK(1)"  # text, never a formula
        assert by_receipt[second.receipt_code][2] == "001190000001"  # leading zeros kept
        assert by_receipt[first.receipt_code][3] == "0912345678"
        assert by_receipt[first.receipt_code][4] == "đã nộp, chờ xem xét"

        # the dates, a search and the order follow the filter as well
        today = (first.submitted_at + timedelta(hours=7)).date().isoformat()
        status, _, data = await download(
            browser, f"/console/export/xlsx?village={thon_1.id}&from={today}&order=newest"
        )
        assert [row[0] for row in sheet_rows(data)[1:]] == [
            second.receipt_code,
            first.receipt_code,
        ]
        status, _, data = await download(browser, "/console/export/xlsx?q=tran+thi")
        assert [row[0] for row in sheet_rows(data)[1:]] == [other.receipt_code]

        # nothing to export: a page that says so, no empty file
        status, kind, data = await download(browser, "/console/export/xlsx?q=khong+co+ai")
        assert status == 200
        assert kind.startswith("text/html")
        assert "không có gì để xuất" in data.decode()
        status, kind, data = await download(browser, "/console/export/xlsx?from=2026-13-01")
        assert status == 400
        status, kind, data = await download(browser, "/console/export/pdf")
        assert status == 404

    made = await exports(world)
    assert [(e["kind"], e["rows"], e["complete"]) for e in made] == [
        ("xlsx", 3, True),
        ("xlsx", 2, True),
        ("xlsx", 1, True),
    ]
    assert made[0]["filter"] == {"village": str(thon_1.id)}
    assert made[0]["receipts"] == [old.receipt_code, first.receipt_code, second.receipt_code]
    assert made[2]["searched"] is True
    assert "tran" not in str(made[2])  # what was typed is not kept


async def test_a_chief_may_not_export(world: World) -> None:
    place = await installed_hoa_phu(world)
    await submit(world.deps, place, place.villages[0], holder="Nguyễn Văn An", cccd="066090012345")
    chief = await join_staff(world.deps, StaffRole.CHIEF, 7101, village="24175-01")
    async with await signed_in(world, chief) as browser:
        status, page = await browser.get("/console/queue")
        assert "/console/export/" not in page
        status, kind, data = await download(browser, "/console/export/xlsx")
        assert status == 403
        assert "không được xuất" in data.decode()
    assert await exports(world) == []
    async with world.deps.database.sessions() as session:
        refused = await session.scalar(select(Event).where(Event.action == "staff_refused"))
    assert refused is not None
    assert refused.data["what"] == "export"


async def test_documents_zip_opened_and_sealed(world: World) -> None:
    _, first = await resident_submits(world, "Nguyễn Văn An")
    _, second = await resident_submits(world, "Trần Thị Bình", link="v24175-02")
    place = await installed_hoa_phu(world)
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    async with await signed_in(world, officer) as browser:
        # opened documents need the key
        status, kind, data = await download(browser, "/console/export/zip")
        assert status == 409
        assert "mở khóa" in data.decode()

        status, kind, sealed = await download(browser, "/console/export/sealed")
        assert (status, kind) == (200, "application/zip")
        await unlock(browser, place.commune.id)
        status, kind, opened = await download(browser, "/console/export/zip")
        assert (status, kind) == (200, "application/zip")
        status, _, only_first = await download(browser, f"/console/export/zip?q={first}")

    expected = {code: await stored_documents(world, code) for code in (first, second)}
    with zipfile.ZipFile(io.BytesIO(opened)) as archive:
        names = archive.namelist()
        for code, documents in expected.items():
            [folder] = {n.split("/")[0] for n in names if n.startswith(f"{code} – ")}
            assert folder == f"{code} – Nguyễn Văn An"  # the holder the resident typed
            for slot, (_, data) in documents.items():
                assert archive.read(f"{folder}/{slot}.jpg") == data  # the stripped upload
            assert f"{folder}/submission.json" in names
        table = archive.read("submissions.csv")
        assert table.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
        rows = list(csv.reader(io.StringIO(table.decode("utf-8-sig"))))
        assert [row[0] for row in rows[1:]] == [first, second]

    identity = pyrage.x25519.Identity.from_str(world.identity.file_text().splitlines()[-1])
    with zipfile.ZipFile(io.BytesIO(sealed)) as archive:
        for code, documents in expected.items():
            for slot, (_, data) in documents.items():
                [name] = [
                    n for n in archive.namelist() if n.endswith(f"/{slot}.jpg.age") and code in n
                ]
                assert pyrage.decrypt(archive.read(name), [identity]) == data
                assert open_document(archive.read(name), world.identity) == data

    with zipfile.ZipFile(io.BytesIO(only_first)) as archive:
        folders = {name.split("/")[0] for name in archive.namelist() if "/" in name}
        assert folders == {f"{first} – Nguyễn Văn An"}

    made = await exports(world)
    assert [(e["kind"], e["rows"], e["files"], e["complete"]) for e in made] == [
        ("sealed", 2, 8, True),
        ("zip", 2, 8, True),
        ("zip", 1, 4, True),
    ]


async def test_a_client_that_goes_away_leaves_nothing_behind(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    monkeypatch.setattr(console._web, "_BATCH", 16 * 1024)  # many writes: one finds it gone
    opened = intake.exports._archive.open_document_entry

    def slowly(*args: Any) -> Any:  # the client leaves long before the last document
        time.sleep(0.05)
        return opened(*args)

    monkeypatch.setattr(intake.exports._archive, "open_document_entry", slowly)
    codes = [(await resident_submits(world, f"Người Nộp {n}"))[1] for n in range(3)]
    documents = [d for code in codes for _, d in (await stored_documents(world, code)).values()]
    place = await installed_hoa_phu(world)
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    async with await signed_in(world, officer) as browser:
        await unlock(browser, place.commune.id)
        for kind in ("zip", "xlsx"):
            async with (
                aiohttp.ClientSession(cookie_jar=browser.http.cookie_jar) as http,
                http.get(f"{browser.base}/console/export/{kind}") as response,
            ):
                assert response.status == 200
                await response.content.readexactly(1000)
                response.close()  # gone, mid-download
    for _ in range(100):
        made = await exports(world)
        if len(made) == 2:
            break
        await asyncio.sleep(0.05)
    [zipped, table] = made
    assert zipped["kind"] == "zip"
    assert zipped["complete"] is False
    assert 0 < zipped["bytes"] < sum(len(d) for d in documents)
    assert table["kind"] == "xlsx"  # small: it may all have been sent before the client left
    assert list(temporary.iterdir()) == []  # the XLSX and XlsxWriter's own files are gone
