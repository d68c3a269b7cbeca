"""An officer takes a batch home through the console in a real Chromium: filters the queue to
one village (htmx keeps the export links on the filter), downloads the XLSX (opened here with
openpyxl: exactly the filtered rows and their fields), the sealed ZIP (opened with pyrage and the
commune identity), unlocks the key from the export panel and downloads the opened ZIP (its
documents are the stored, stripped uploads). Screenshots of the queue with its export panel at
an office screen's size and a phone's go beside the other console screenshots."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import openpyxl
import pyrage
import pytest
from playwright.async_api import Browser, Download, Page, expect

from storage.states import StaffRole
from tests.fixtures.chromium import (
    DESKTOP,
    WAIT_MS,
    Problems,
    backend,
    fits_the_phone,
    needs_chromium,
    phone_like,
    post,
)
from tests.fixtures.console import PASSPHRASE, console_url, stored_documents, web_link
from tests.fixtures.world import World, join, resident_submits

pytestmark = needs_chromium


async def downloaded(page: Page, link: str, folder: Path) -> tuple[str, bytes]:
    """Click an export link; the file the browser saved (its suggested name, its bytes)."""
    async with page.expect_download() as started:
        await page.locator(link).click()
    download: Download = await started.value
    assert await download.failure() is None
    path = folder / download.suggested_filename
    await download.save_as(path)
    return download.suggested_filename, path.read_bytes()


async def test_officer_exports_a_village_in_chromium(
    chromium: Browser,
    world: World,
    artifacts: Path,
    tmp_path: Path,
    request: pytest.FixtureRequest,
) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    _, first = await resident_submits(world, "Nguyễn Văn An")  # Thôn 1
    _, second = await resident_submits(world, "Trần Thị Bình", link="v24175-02")
    link = await web_link(officer)
    base = console_url(world)
    suffix = backend(request)

    context = await chromium.new_context(viewport=DESKTOP, locale="vi-VN", accept_downloads=True)
    context.set_default_timeout(WAIT_MS)
    problems = Problems(context)
    page = await context.new_page()
    await page.goto(link)
    await post(page, page.get_by_role("button", name="Đăng nhập"))
    await expect(page.locator("table.rows")).to_contain_text(second)

    # one village: the rows and the export links follow the filter (htmx)
    await page.locator("select[name=village]").select_option(label="Thôn 1")
    await expect(page.locator("table.rows")).not_to_contain_text(second)
    await expect(page.locator(".exports .hint")).to_contain_text("Xuất đúng 1 hồ sơ")
    await page.screenshot(path=artifacts / f"exports-1366x768-{suffix}.png")

    name, data = await downloaded(page, "#export-xlsx", tmp_path)
    assert name.startswith("hoso-24175-")
    assert name.endswith(".xlsx")
    workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True)
    rows = [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
    pages = [list(row) for row in workbook.worksheets[1].iter_rows(values_only=True)]
    workbook.close()
    assert [row[0] for row in rows[1:]] == [first]
    header = rows[0]
    fields = dict(zip(header, rows[1], strict=True))
    assert fields["Số CCCD"] == "066090012345"
    assert fields["Họ tên người sử dụng đất"] == "Nguyễn Văn An"
    assert fields["Thôn"] == "Thôn 1"
    assert fields["Số tài liệu"] == 4
    stored = await stored_documents(world, first)
    assert [(row[0], row[2], row[6]) for row in pages[1:]] == [
        (first, "Căn cước — mặt trước", "cccd_front.jpg"),
        (first, "Căn cước — mặt sau", "cccd_back.jpg"),
        (first, "Sổ — trang 1 (số seri)", "cert_cover.jpg"),
        (first, "Sổ — trang 2–3", "cert_owner.jpg"),
    ]

    # the sealed files need no key; the commune identity opens them
    name, data = await downloaded(page, "#export-sealed", tmp_path)
    assert name.endswith("-sealed.zip")
    identity = pyrage.x25519.Identity.from_str(world.identity.file_text().splitlines()[-1])
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for slot, (_, opened) in stored.items():
            sealed = archive.read(f"{first} – Nguyễn Văn An/{slot}.jpg.age")
            assert pyrage.decrypt(sealed, [identity]) == opened
        assert not any(second in name for name in archive.namelist())

    # opened documents: unlock from the export panel, then download
    await expect(page.locator("#export-zip")).to_have_count(0)
    panel = page.locator(".unlock-exports")
    await panel.locator("summary").click()
    await panel.locator("input[name=passphrase]").fill(PASSPHRASE)
    await post(page, panel.get_by_role("button", name="Mở khóa"))
    await expect(page.locator(".flash")).to_have_text("Đã mở khóa xã cho phiên này.")
    await expect(page.locator(".exports .hint")).to_contain_text("Xuất đúng 1 hồ sơ")  # kept
    name, data = await downloaded(page, "#export-zip", tmp_path)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for slot, (_, opened) in stored.items():
            assert archive.read(f"{first} – Nguyễn Văn An/{slot}.jpg") == opened

    # the posters page (its PDFs are tested in test_posters.py)
    await page.goto(f"{base}/console/posters")
    await expect(page.locator("table.rows tbody tr")).to_have_count(12)
    await page.screenshot(path=artifacts / f"posters-1366x768-{suffix}.png")

    phone = await phone_like(chromium, context)
    phone_problems = Problems(phone)
    on_phone = await phone.new_page()
    await on_phone.goto(f"{base}/console/queue")
    await expect(on_phone.locator(".exports")).to_be_visible()
    await on_phone.screenshot(path=artifacts / f"exports-412x915-{suffix}.png", full_page=True)
    await fits_the_phone(on_phone)
    await phone.close()
    await context.close()
    assert problems.seen == []
    assert phone_problems.seen == []
