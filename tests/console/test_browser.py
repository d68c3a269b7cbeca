"""An officer works through the console in a real Chromium (Debian's, driven by Playwright),
against the real bot and the simulator: signs in with the link `/web` sent in Telegram, finds
the submission in the queue (htmx's live search), unlocks the commune key, sees the documents
(the bytes the browser loaded are the stored ones), zooms and rotates one, asks for a page with
the "needs info" form, and accepts once the resident has sent it — the resident told in
Telegram. Every page runs under the console's Content-Security-Policy: a script or style it
refuses is an error in the browser's console, and the test fails on any.

Screenshots of the queue and of a submission, at an office screen's size (1366×768) and at a
phone's (412×915, full page), and of the "needs info" form, go to `$HOSO_TEST_ARTIFACTS`
(default `test-artifacts/console/` in the repository, not committed), named after the database
backend, for a person to look at.

Skipped, saying why, where there is no `chromium` on the PATH (Debian: `apt-get install
chromium`; `.ci/run` installs it) or it does not start. Playwright's own browser download is
never used."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.async_api import Browser, FloatRect, Page, Response, expect

from storage.states import StaffRole
from tests.fixtures.chromium import (
    DESKTOP,
    PHONE,
    WAIT_MS,
    Problems,
    backend,
    fits_the_phone,
    needs_chromium,
    phone_like,
    post,
)
from tests.fixtures.console import PASSPHRASE, console_url, stored_documents, web_link
from tests.fixtures.conversation import until
from tests.fixtures.photos import document_photo
from tests.fixtures.world import World, join, resident_submits

pytestmark = needs_chromium


class Documents:
    """The document responses the page loads (`/console/d/…`), as the browser received them."""

    def __init__(self, page: Page) -> None:
        self.responses: list[Response] = []
        page.on("response", self._seen)

    def _seen(self, response: Response) -> None:
        if "/console/d/" in response.url:
            self.responses.append(response)

    async def received(self) -> dict[str, bytes]:
        """document id → the bytes of its image load, for the loads since the last call."""
        loaded = {}
        for response in self.responses:
            assert response.request.resource_type == "image", response.url
            assert response.status == 200, response.url
            assert response.headers["cache-control"] == "no-store"
            loaded[response.url.rsplit("/", 1)[1]] = await response.body()
        self.responses.clear()
        return loaded


async def images_shown(page: Page) -> int:
    """Wait until every document image on the page has loaded and decoded; their number."""
    await page.wait_for_function(
        "() => [...document.querySelectorAll('.frame img')]"
        ".every(i => i.complete && i.naturalWidth > 0)",
        timeout=WAIT_MS,
    )
    return await page.locator(".frame img").count()


async def boxes(page: Page) -> tuple[FloatRect, FloatRect]:
    """Where the documents and the fields of a submission are on the page."""
    shown = await page.locator("section.documents").bounding_box()
    fields = await page.locator("section.fields").bounding_box()
    assert shown is not None
    assert fields is not None
    return shown, fields


async def transform(page: Page, selector: str) -> str:
    return str(await page.locator(selector).evaluate("img => img.style.transform"))


async def test_officer_reviews_in_chromium(
    chromium: Browser, world: World, artifacts: Path, request: pytest.FixtureRequest
) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    resident, code = await resident_submits(world, "Nguyễn Văn An")
    link = await web_link(officer)
    base = console_url(world)
    suffix = backend(request)

    context = await chromium.new_context(viewport=DESKTOP, locale="vi-VN")
    context.set_default_timeout(WAIT_MS)
    problems = Problems(context)
    page = await context.new_page()
    documents = Documents(page)

    # --- sign in: the link opens a confirmation page; its button signs in ---------------------
    await page.goto(link)
    await expect(page.locator("h1")).to_have_text("Đăng nhập")
    await post(page, page.get_by_role("button", name="Đăng nhập"))
    await expect(page).to_have_url(f"{base}/console/queue")
    await expect(page.locator("h1")).to_contain_text("Danh sách hồ sơ")
    row = page.locator("table.rows tbody tr", has_text=code)
    await expect(row).to_contain_text("Nguyễn Văn An")
    await page.screenshot(path=artifacts / f"queue-1366x768-{suffix}.png")

    # "/" focuses the search; htmx filters the rows as one types, the filter in the address
    await page.keyboard.press("/")
    await expect(page.locator("#q")).to_be_focused()
    await page.keyboard.type("Trần")
    await expect(page.locator("#rows .empty")).to_have_text("Không có hồ sơ nào khớp bộ lọc.")
    await expect(page).to_have_url(re.compile(r"/console/queue\?.*\bq=Tr%E1%BA%A7n"))
    await page.locator("#q").fill("nguyen van")
    await page.locator("#q").press("Enter")
    await expect(row).to_be_visible()

    # --- a submission: unlock the commune key, see the documents ------------------------------
    await page.get_by_role("link", name=code).click()
    await expect(page.locator(".fields h1")).to_contain_text(code)
    await expect(page.locator(".copyable")).to_contain_text("066090012345")
    unlock = page.locator("form.unlock")
    await expect(unlock).to_contain_text("Mở khóa xã để xem giấy tờ")
    await expect(unlock.locator("input[name=passphrase]")).to_be_focused()  # autofocus
    await page.keyboard.type(PASSPHRASE)
    await post(page, unlock.get_by_role("button", name="Mở khóa"))
    await expect(page.locator(".flash")).to_have_text("Đã mở khóa xã cho phiên này.")
    await expect(page).to_have_url(f"{base}/console/s/{code}?q=nguyen+van")  # the filter kept

    stored = await stored_documents(world, code)
    assert set(stored) >= {"cccd_front", "cccd_back", "cert_cover", "cert_owner"}
    assert await images_shown(page) == len(stored)
    received = await documents.received()
    assert received == dict(stored.values())  # document id → opened bytes
    await page.screenshot(path=artifacts / f"submission-1366x768-{suffix}.png")

    # office screen: the documents beside the fields
    shown, fields = await boxes(page)
    assert fields["x"] >= shown["x"] + shown["width"], (shown, fields)
    assert shown["width"] > 600, shown

    # zoom and rotate, with the buttons and the keys, on the first document
    first = page.locator("figure.doc").first
    img = "figure.doc >> nth=0 >> .frame img"
    assert await transform(page, img) == ""
    await first.locator("button[data-zoom='1']").click()
    assert await transform(page, img) == "rotate(0deg) scale(1.25)"
    await first.locator("button[data-rotate]").click()
    assert await transform(page, img) == "rotate(90deg) scale(1.25)"
    await first.locator("button[data-zoom='-1']").click()
    assert await transform(page, img) == "rotate(90deg) scale(1)"
    await page.keyboard.press("o")
    assert await transform(page, img) == "rotate(180deg) scale(1)"
    await page.keyboard.type("+")
    assert await transform(page, img) == "rotate(180deg) scale(1.25)"
    await first.locator("button[data-fit]").click()
    assert await transform(page, img) == "rotate(0deg) scale(1)"

    # a phone: the same session (its cookie), the documents above the fields
    phone = await phone_like(chromium, context)
    phone_problems = Problems(phone)
    on_phone = await phone.new_page()
    await on_phone.goto(f"{base}/console/queue")
    await expect(on_phone.locator("table.rows")).to_contain_text(code)
    await on_phone.screenshot(path=artifacts / f"queue-412x915-{suffix}.png", full_page=True)
    await on_phone.goto(f"{base}/console/s/{code}")
    assert await images_shown(on_phone) == len(stored)
    await on_phone.screenshot(path=artifacts / f"submission-412x915-{suffix}.png", full_page=True)
    shown, fields = await boxes(on_phone)
    assert fields["y"] >= shown["y"] + shown["height"], (shown, fields)
    assert shown["width"] <= PHONE["width"], shown
    await fits_the_phone(on_phone)
    await phone.close()
    assert phone_problems.seen == []

    # --- ask for a page ----------------------------------------------------------------------
    needs_info = page.locator("#act-needs-info")
    await needs_info.locator("summary").click()
    await expect(needs_info).to_have_attribute("open", "")
    await needs_info.locator("input[name=slot][value=cert_owner]").check()
    note = needs_info.locator("textarea[name=note]")
    await note.click()
    await note.press_sequentially("Ảnh trang 2–3 bị lóa, xin chụp lại")
    # keys typed into a form are text, not shortcuts ("a" would open the accept form)
    await expect(page.locator("#act-accept")).not_to_have_attribute("open", "")
    await page.screenshot(path=artifacts / f"needs-info-1366x768-{suffix}.png")
    await post(page, needs_info.get_by_role("button", name="Gửi yêu cầu bổ sung"))
    await expect(page.locator(".flash")).to_have_text(f"Đã gửi yêu cầu bổ sung cho hồ sơ {code}.")

    asked = await until(resident, "Xã cần bổ sung cho hồ sơ", code)
    assert "bị lóa, xin chụp lại" in asked.text
    await resident.press("📷 Gửi: Sổ — trang 2–3")
    await until(resident, "Hãy gửi ảnh Sổ — trang 2–3")
    retake = document_photo(41, card=False)
    await resident.send_document(retake, "retake.jpg", mime_type="image/jpeg")
    await until(resident, "Đã nhận đủ giấy tờ bổ sung")

    # --- the new page is there: accept ---------------------------------------------------------
    await page.goto(f"{base}/console/s/{code}")
    assert await images_shown(page) == len(stored)
    new_id, opened = (await stored_documents(world, code))["cert_owner"]
    assert new_id != stored["cert_owner"][0]
    received = await documents.received()
    assert received[new_id] == opened
    accept = page.locator("#act-accept")
    await expect(accept).not_to_have_attribute("open", "")
    await page.keyboard.press("a")
    await expect(accept).to_have_attribute("open", "")
    confirmed = accept.locator("input[name=confirmed]")
    await expect(confirmed).to_be_focused()
    # the confirmation is required: the browser will not send the form without it
    assert await accept.locator("form").evaluate("form => form.checkValidity()") is False
    await confirmed.check()
    await post(page, accept.get_by_role("button", name="Đã nhập, tiếp nhận"))
    await expect(page.locator(".flash")).to_have_text(
        f"Đã tiếp nhận hồ sơ {code}; người nộp đã được báo."
    )
    await until(resident, f"Hồ sơ {code} đã được tiếp nhận")

    await context.close()
    assert problems.seen == []
