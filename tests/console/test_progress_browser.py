"""The progress dashboard in a real Chromium: the figures, the SVG chart loaded as an image (under
the console's Content-Security-Policy: any refusal fails the test), the printable list of the
households not yet submitted. Screenshots at an office screen's size and a phone's."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from intake.admin import import_targets
from storage.states import StaffRole
from tests.console.test_progress import TARGETS
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


async def test_officer_reads_progress_in_chromium(
    chromium: Browser, world: World, artifacts: Path, request: pytest.FixtureRequest
) -> None:
    await import_targets(world.deps, TARGETS.encode(), province_code="66")
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    await resident_submits(world, "Nguyễn Văn An")  # Thôn 1: the list's first, by CCCD
    link = await web_link(officer)
    base = console_url(world)
    suffix = backend(request)

    context = await chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    context.set_default_timeout(WAIT_MS)
    problems = Problems(context)
    page = await context.new_page()
    await page.goto(link)
    await post(page, page.get_by_role("button", name="Đăng nhập"))
    await page.get_by_role("link", name="Tiến độ").click()
    await expect(page.locator("h1")).to_contain_text("Tiến độ · Xã Hòa Phú")
    first = page.locator("#villages tbody tr").first
    await expect(first.locator("[data-figure=targets]")).to_have_text("4")
    await expect(first.locator("[data-figure=submitted]")).to_have_text("1")
    await page.wait_for_function(
        "() => { const i = document.querySelector('.chart img');"
        " return i && i.complete && i.naturalWidth > 0; }"
    )
    await page.screenshot(path=artifacts / f"progress-1366x768-{suffix}.png", full_page=True)

    await first.get_by_role("link", name="3").click()  # not yet: the list's other three
    await expect(page.locator("h1")).to_have_text("Thôn 1: hộ chưa nộp hồ sơ")
    await expect(page.locator("table.print-list tbody tr")).to_have_count(3)
    await page.screenshot(path=artifacts / f"missing-1366x768-{suffix}.png")
    await page.emulate_media(media="print")
    await expect(page.locator("header.bar")).to_be_hidden()  # printed without the console's bar
    await page.emulate_media(media="screen")

    phone = await phone_like(chromium, context)
    phone_problems = Problems(phone)
    on_phone = await phone.new_page()
    await on_phone.goto(f"{base}/console/progress")
    await expect(on_phone.locator("#villages")).to_be_visible()
    await on_phone.screenshot(path=artifacts / f"progress-412x915-{suffix}.png", full_page=True)
    await fits_the_phone(on_phone)
    await phone.close()
    await context.close()
    assert problems.seen == []
    assert phone_problems.seen == []
