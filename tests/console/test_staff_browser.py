"""An invitation made in the console and used through the simulator, in a real Chromium: the
officer invites a chief for Thôn 2, the link on the page and the QR code beside it (its SVG as
the browser draws it, decoded by zxing-cpp) are the same link; a Telegram user (the simulator)
opens it and becomes the chief, who then shows in the console's staff list; the officer
revokes them. Screenshots at an office screen's size and a phone's, with an invitation shown."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from playwright.async_api import Browser, Page, expect
from sqlalchemy import select

from storage.models import Staff
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
from tests.fixtures.console import console_url, web_link
from tests.fixtures.conversation import until
from tests.fixtures.world import World, join

pytestmark = needs_chromium


async def invite(page: Page, role: str, village: str | None = None) -> str:
    """Make an invitation with the page's form; the link it shows (which its QR code holds)."""
    form = page.locator("section.invite form")
    await form.locator("select[name=role]").select_option(label=role)
    if village is not None:
        await form.locator("select[name=village]").select_option(label=village)
    await post(page, form.get_by_role("button", name="Tạo đường dẫn mời"))
    link = await page.locator("#invite-link").input_value()
    shot = await page.locator("#invite-qr svg").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)).convert("L"))
    assert [str(code.text) for code in found] == [link]
    return link


async def test_an_invitation_made_in_the_console_is_used_in_telegram(
    chromium: Browser, world: World, artifacts: Path, request: pytest.FixtureRequest
) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    link = await web_link(officer)
    base = console_url(world)
    suffix = backend(request)

    context = await chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    context.set_default_timeout(WAIT_MS)
    problems = Problems(context)
    page = await context.new_page()
    await page.goto(link)
    await post(page, page.get_by_role("button", name="Đăng nhập"))
    await page.get_by_role("link", name="Cán bộ", exact=True).click()
    await expect(page.locator("h1")).to_have_text("Cán bộ và lời mời · Xã Hòa Phú")

    invitation = await invite(page, "Trưởng thôn", "Thôn 2")
    assert invitation.startswith("https://t.me/hoso_test_bot?start=i")
    await expect(page.locator(".flash")).to_have_text("Đã tạo lời mời trưởng thôn — Thôn 2.")
    await expect(page.locator("#invitation")).to_contain_text(invitation.split("=", 1)[1])
    await page.screenshot(path=artifacts / f"staff-1366x768-{suffix}.png", full_page=True)

    # a Telegram user opens the link: the bot welcomes the new chief of Thôn 2
    chief = world.simulator.add_user("Y Blang", language_code="vi")
    await chief.send_command("start", invitation.split("start=", 1)[1])
    welcome = await until(chief, "Chào mừng")
    assert "Thôn 2" in welcome.text
    async with world.deps.database.sessions() as session:
        joined = await session.scalar(
            select(Staff).where(Staff.telegram_user_id == chief.user_id, Staff.active)
        )
    assert joined is not None
    assert joined.role is StaffRole.CHIEF

    await page.reload()
    row = page.locator(f"#staff-{joined.id}")
    await expect(row).to_contain_text("Trưởng thôn")
    await expect(row).to_contain_text("Thôn 2")
    await expect(page.locator("#invitation")).to_have_count(0)  # the link was shown once

    # on a phone: another invitation, its QR code as readable as on the desk
    phone = await phone_like(chromium, context)
    phone_problems = Problems(phone)
    on_phone = await phone.new_page()
    await on_phone.goto(f"{base}/console/staff")
    await invite(on_phone, "Cán bộ địa chính")
    await expect(on_phone.locator(".flash")).to_contain_text("Đã tạo lời mời cán bộ địa chính")
    await on_phone.screenshot(path=artifacts / f"staff-412x915-{suffix}.png", full_page=True)
    await fits_the_phone(on_phone)
    await phone.close()

    # the officer revokes the new chief
    await row.locator("summary").click()
    await post(page, row.get_by_role("button", name="Xác nhận thu hồi"))
    await expect(page.locator(".flash")).to_have_text(
        f"Đã thu hồi quyền trưởng thôn của Tài khoản Telegram {chief.user_id}."
    )
    await expect(page.locator(f"#staff-{joined.id}")).to_have_count(0)
    async with world.deps.database.sessions() as session:
        revoked = await session.get(Staff, joined.id)
        assert revoked is not None
        assert not revoked.active
    await context.close()
    assert problems.seen == []
    assert phone_problems.seen == []
