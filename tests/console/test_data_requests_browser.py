"""The data requests page in a real Chromium: an officer who signed in from Telegram opens
"Yêu cầu dữ liệu" from the bar, sees an overdue correction in red above a fresh copy request,
acknowledges the fresh one and completes the late one with a note. Screenshots at an office
screen's size and a phone's."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.async_api import Browser, expect

from storage.states import DataRequestKind, StaffRole
from tests.console.test_data_requests import WORDS, a_request
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
from tests.fixtures.world import World, join

pytestmark = needs_chromium


async def test_an_officer_answers_requests_in_the_browser(
    chromium: Browser, world: World, artifacts: Path, request: pytest.FixtureRequest
) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    late = await a_request(world, DataRequestKind.CORRECTION, days_ago=20, words=WORDS)
    fresh = await a_request(world, DataRequestKind.COPY, days_ago=1)
    link = await web_link(officer)
    suffix = backend(request)

    context = await chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    context.set_default_timeout(WAIT_MS)
    problems = Problems(context)
    page = await context.new_page()
    await page.goto(link)
    await post(page, page.get_by_role("button", name="Đăng nhập"))
    await page.get_by_role("link", name="Yêu cầu dữ liệu", exact=True).click()
    await expect(page.locator("h1")).to_have_text("Yêu cầu dữ liệu · Xã Hòa Phú")
    late_row = page.locator(f"#request-{late}")
    await expect(late_row).to_have_class("overdue")
    await expect(late_row.locator(".clock-overdue").first).to_contain_text("QUÁ HẠN")
    await expect(late_row).to_contain_text(WORDS)
    color = await late_row.locator(".clock-overdue").first.evaluate(
        "element => getComputedStyle(element).color"
    )
    assert color == "rgb(164, 22, 26)"  # the console's red
    await page.screenshot(path=artifacts / f"requests-1366x768-{suffix}.png", full_page=True)

    # on a phone: the same list, readable, nothing scrolls sideways
    phone = await phone_like(chromium, context)
    phone_problems = Problems(phone)
    on_phone = await phone.new_page()
    await on_phone.goto(f"{console_url(world)}/console/requests")
    await expect(on_phone.locator(f"#request-{late}")).to_contain_text("QUÁ HẠN")
    await on_phone.locator(f"#request-{late} summary").click()
    await on_phone.screenshot(path=artifacts / f"requests-412x915-{suffix}.png", full_page=True)
    await fits_the_phone(on_phone)
    await phone.close()

    fresh_row = page.locator(f"#request-{fresh}")
    await post(page, fresh_row.get_by_role("button", name="Xác nhận đã nhận"))
    await expect(page.locator(".flash")).to_have_text(
        f"Đã xác nhận yêu cầu {fresh}; người dân đã được báo."
    )
    await expect(page.locator(f"#request-{fresh}")).to_contain_text("đã xác nhận, đang xử lý")

    late_row = page.locator(f"#request-{late}")
    await late_row.locator("summary").click()
    await late_row.locator("textarea[name=note]").fill("Đã sửa số seri thành CS 654321.")
    await post(page, late_row.get_by_role("button", name="Báo người dân đã xong"))
    await expect(page.locator(".flash")).to_contain_text(f"Đã xong yêu cầu {late}")
    done = page.locator(f".requests-done #request-{late}")
    await expect(done).to_contain_text("Đã sửa số seri thành CS 654321.")
    await page.screenshot(
        path=artifacts / f"requests-answered-1366x768-{suffix}.png", full_page=True
    )
    await context.close()
    assert problems.seen == []
    assert phone_problems.seen == []
