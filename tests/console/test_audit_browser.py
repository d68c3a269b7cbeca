"""An officer reads the audit log in a real Chromium: the chain's verification at the top, the
commune's events newest first, then only the submissions sent (the action filter, kept in the
address and in the CSV link). Screenshots at an office screen's size and a phone's go beside the
other console screenshots; the phone's page must not scroll sideways."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, expect
from sqlalchemy import select, update

from storage.models import Commune, Staff
from storage.repositories.audit import append_event
from storage.states import ActorKind, StaffRole
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
from tests.fixtures.console import console_url, web_link
from tests.fixtures.world import World, join, resident_submits

pytestmark = needs_chromium


async def a_long_event(world: World) -> None:
    """An event whose details are long and unbroken, as an export's are (receipts, hashes)."""
    async with world.deps.database.sessions.begin() as session:
        commune = await session.scalar(select(Commune.id).where(Commune.code == "24175"))
        assert commune is not None
        await append_event(
            session,
            actor_kind=ActorKind.ADMIN_CLI,
            actor_id=None,
            action="pull",
            commune_id=commune,
            note="Gửi Phòng Tài nguyên và Môi trường huyện Krông Pắc để nhập VBDLIS",
            data={
                "receipts": [f"HP-{n:05d}ABCD" for n in range(40)],
                "sha256": "9f2c" * 16,
                "identity": "age1" + "q" * 58,
            },
        )


async def test_officer_filters_the_audit_log_in_chromium(
    chromium: Browser, world: World, artifacts: Path, request: pytest.FixtureRequest
) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    _, first = await resident_submits(world, "Nguyễn Văn An")
    await a_long_event(world)
    async with world.deps.database.sessions.begin() as session:  # as `hoso staff` names them
        await session.execute(update(Staff).values(display_name="Lê Thị Hoa"))
    link = await web_link(officer)
    base = console_url(world)
    suffix = backend(request)

    context = await chromium.new_context(
        viewport={"width": DESKTOP["width"], "height": DESKTOP["height"]}, locale="vi-VN"
    )
    context.set_default_timeout(WAIT_MS)
    problems = Problems(context)
    page = await context.new_page()
    await page.goto(link)
    await post(page, page.get_by_role("button", name="Đăng nhập"))
    await page.goto(f"{base}/console/s/{first}")  # opening it starts the review: an event
    await page.get_by_role("link", name="Nhật ký").click()

    await expect(page.locator("h1")).to_contain_text("Nhật ký hoạt động")
    await expect(page.locator(".chain-intact")).to_contain_text("Chuỗi nhật ký nguyên vẹn")
    rows = page.locator("table.audit-rows tbody tr")
    await expect(rows.first).to_contain_text("bắt đầu xem xét")
    await expect(rows.first).to_contain_text("Lê Thị Hoa")
    await page.screenshot(path=artifacts / f"audit-1366x768-{suffix}.png")
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= DESKTOP["width"], "the page scrolls sideways on an office screen"

    await page.locator("select[name=action]").select_option(label="nộp hồ sơ")
    await page.get_by_role("button", name="Lọc").click()
    await expect(page).to_have_url(f"{base}/console/audit?action=submitted")
    await expect(rows).to_have_count(1)
    await expect(rows.first).to_contain_text(first)
    await expect(rows.first).to_contain_text("Người nộp")
    await expect(page.locator("#audit-csv")).to_have_attribute(
        "href", "/console/audit.csv?action=submitted"
    )
    await page.get_by_role("link", name=first).click()
    await expect(page).to_have_url(f"{base}/console/s/{first}")

    phone = await phone_like(chromium, context)
    phone_problems = Problems(phone)
    on_phone = await phone.new_page()
    await on_phone.goto(f"{base}/console/audit")
    await expect(on_phone.locator(".chain-intact")).to_be_visible()
    await on_phone.screenshot(path=artifacts / f"audit-412x915-{suffix}.png", full_page=True)
    await fits_the_phone(on_phone)
    await phone.close()
    await context.close()
    assert problems.seen == []
    assert phone_problems.seen == []
