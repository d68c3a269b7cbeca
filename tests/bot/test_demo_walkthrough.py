"""The README's demo walkthrough, followed step by step against a real `hoso demo`, as a person
would in the chat page: the same HTTP calls the page makes (send a text, press a button, send
files, share a contact) and the messages it shows. Every message the walkthrough promises is
waited for; a README step that no longer matches the bot fails here."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import aiohttp
import pytest

from intake.admin import DEMO_CHIEF_USER, DEMO_OFFICER_USER
from tests.fixtures.hoso_process import wait_healthy
from tests.fixtures.net import free_port
from tests.fixtures.photos import document_photo

RESIDENT = 7001  # Nguyễn Văn An in the demo's people
WAIT = 30.0
_RECEIPT = re.compile(r"Mã biên nhận: (\S+)")
_LINK = re.compile(r"(http://[^\s]+/console/signin\?t=[A-Za-z0-9_\-]+)")
_CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


class ChatPage:
    """One person's chat with the bot in the demo's chat page."""

    def __init__(self, http: aiohttp.ClientSession, base: str, user_id: int) -> None:
        self.http = http
        self.chat = f"{base}/chats/{user_id}"
        self.seen = 0  # the last bot message a wait has read

    async def _post(self, action: str, data: Any) -> None:
        async with self.http.post(f"{self.chat}/{action}", data=data) as answer:
            assert answer.status == 200, (action, await answer.text())

    async def history(self) -> dict[str, Any]:
        async with self.http.get(f"{self.chat}/history") as answer:
            result: dict[str, Any] = (await answer.json())["result"]
            return result

    async def text(self, text: str) -> None:
        await self._post("text", {"text": text})

    async def contact(self, phone: str) -> None:
        await self._post("contact", {"phone_number": phone})

    async def document(self, data: bytes, name: str) -> None:
        form = aiohttp.FormData()
        form.add_field("document", data, filename=name, content_type="image/jpeg")
        await self._post("documents", form)

    async def press(self, label: str) -> None:
        """The newest button with this label: an inline one, or a reply keyboard's (sent as
        its text, as Telegram does); waits for it to be shown (an edit may bring it)."""
        deadline = time.monotonic() + WAIT
        while True:
            history = await self.history()
            for message in reversed(history["messages"]):
                rows = (message.get("reply_markup") or {}).get("inline_keyboard") or []
                for button in (b for row in rows for b in row):
                    if button["text"] == label:
                        data = {"message_id": message["message_id"]}
                        data["callback_data"] = button["callback_data"]
                        await self._post("press", data)
                        return
            keyboard = (history.get("reply_keyboard") or {}).get("keyboard") or []
            if any(b["text"] == label for row in keyboard for b in row):
                await self.text(label)
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"no button {label!r} in the chat")
            await asyncio.sleep(0.2)

    async def edited(self, *fragments: str) -> None:
        """Some bot message, old or new (an edit keeps its place), holds every fragment."""
        deadline = time.monotonic() + WAIT
        while True:
            texts = [m.get("text") or "" for m in (await self.history())["messages"]]
            if any(all(f in text for f in fragments) for text in texts):
                return
            if time.monotonic() > deadline:
                raise AssertionError(f"no message came to hold {fragments}")
            await asyncio.sleep(0.2)

    async def until(self, *fragments: str) -> dict[str, Any]:
        """The first bot message after the last one read that holds every fragment (the
        message read last counts again: the bot joins short notes with the next question)."""
        deadline = time.monotonic() + WAIT
        while True:
            for message in (await self.history())["messages"]:
                if not message.get("from_bot") or message["message_id"] < self.seen:
                    continue
                text = message.get("text") or message.get("caption") or ""
                if all(fragment in text for fragment in fragments):
                    self.seen = message["message_id"]
                    found: dict[str, Any] = message
                    return found
            if time.monotonic() > deadline:
                shown = [m.get("text", "")[:80] for m in (await self.history())["messages"][-4:]]
                raise AssertionError(f"no message with {fragments}; last: {shown}")
            await asyncio.sleep(0.2)


@asynccontextmanager
async def running_demo(data_dir: Path) -> AsyncIterator[tuple[str, str, str]]:
    """`hoso demo` on `data_dir`: (the chat page's bot address, the console's origin, the
    demo passphrase)."""
    hoso = Path(sys.executable).with_name("hoso")
    port, bot_port = free_port(), free_port()
    process = await asyncio.create_subprocess_exec(
        hoso, "demo", "--data-dir", str(data_dir), "--port", str(port),
        "--bot-port", str(bot_port),
        env={k: v for k, v in os.environ.items() if not k.startswith("HOSO_")},
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    try:
        await wait_healthy(bot_port, limit=60)
        passphrase = (data_dir / "keys" / "DEMO-COMMUNE-PASSPHRASE").read_text().strip()
        bots = f"http://127.0.0.1:{port}/sim/bots"
        async with aiohttp.ClientSession() as http, http.get(bots) as answer:
            bot_id = (await answer.json())["result"][0]["id"]
        yield (
            f"http://127.0.0.1:{port}/sim/bots/{bot_id}",
            f"http://127.0.0.1:{bot_port}",
            passphrase,
        )
        process.send_signal(signal.SIGINT)
        assert await asyncio.wait_for(process.wait(), timeout=30) == 0
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()
    assert process.stdout is not None
    output = (await process.stdout.read()).decode()
    assert "Traceback" not in output, output


@pytest.mark.timeout(240)
async def test_the_readme_walkthrough(tmp_path: Path) -> None:
    async with running_demo(tmp_path / "demo") as (base, origin, passphrase):
        http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        async with http:
            resident = ChatPage(http, base, RESIDENT)
            chief = ChatPage(http, base, DEMO_CHIEF_USER)
            officer = ChatPage(http, base, DEMO_OFFICER_USER)
            code = await _resident_submits(resident)
            await _chief_is_told(chief, code)
            await _officer_asks_for_a_page_and_accepts(officer, resident, code)
            await _officer_at_the_desk(http, officer, origin, passphrase)


async def _resident_submits(resident: ChatPage) -> str:
    # 1-2. /start, the privacy notice, agree
    await resident.text("/start")
    await resident.until("Trước khi bắt đầu, xin đọc kỹ")
    await resident.press("✅ Tôi đồng ý")
    # 3. the commune typed without accents, the village picked
    await resident.until("xã (phường) nào")
    await resident.text("hoa phu")
    await resident.until("thôn (buôn, tổ dân phố) nào")
    await resident.press("Thôn 1")
    # 4. one question at a time
    await resident.until("đứng tên ai")
    await resident.press("Tên tôi")
    await resident.until("Họ và tên")
    await resident.text("Nguyễn Văn An")
    await resident.until("Số căn cước")
    await resident.text("066 090 012 345")
    await resident.until("Số điện thoại")
    await resident.contact("+84912345678")
    await resident.until("Giấy chứng nhận")
    await resident.press("Tôi đang giữ sổ")
    await resident.until("Số phát hành")
    await resident.text("AA 01234567")
    await resident.until("tờ bản đồ")
    await resident.text("12")
    await resident.until("Số thửa")
    await resident.text("101")  # on the demo target list: Nguyễn Văn An, 12/101
    # 5. the photos, "as files"; a blurry one is answered at once with the reason
    await resident.until("MẶT TRƯỚC")
    await resident.document(document_photo(51, card=True, blur=4.0), "front.jpg")
    await resident.until("ảnh bị mờ")
    await resident.document(document_photo(51, card=True), "front.jpg")
    await resident.until("MẶT SAU")
    await resident.document(document_photo(52, card=True), "back.jpg")
    await resident.until("TRANG 1")
    await resident.document(document_photo(53, card=False), "page1.jpg")
    await resident.until("TRANG 2–3")
    await resident.document(document_photo(54, card=False), "page23.jpg")
    await resident.until("trang ghi thay đổi")
    await resident.edited("Giấy tờ cần gửi", "✅ Sổ — trang 2–3")  # the checklist, in place
    await resident.press("Bỏ qua")
    # 6. the summary offers to replace a page; the receipt arrives
    await resident.until("Xem lại hồ sơ", "Nếu đúng, bấm")
    history = await resident.history()
    summary = history["messages"][-1]
    labels = [b["text"] for row in summary["reply_markup"]["inline_keyboard"] for b in row]
    assert "📷 Thay một trang" in labels
    await resident.press("📨 Gửi hồ sơ")
    receipt = await resident.until("Mã biên nhận")
    found = _RECEIPT.search(receipt["text"])
    assert found is not None
    code = found.group(1)
    assert code.startswith("HP-")
    await resident.text("/status")
    await resident.until(code)
    return code


async def _chief_is_told(chief: ChatPage, code: str) -> None:
    # 7. the chief of Thôn 1: the alert without ID numbers, /queue, /progress, /settings, /assist
    alert = await chief.until("📥 Hồ sơ mới của Thôn 1", code)
    assert "Nguyễn Văn An" in alert["text"]
    assert "12/101" in alert["text"]
    assert "066090012345" not in alert["text"]
    await chief.text("/queue")
    await chief.until("Hồ sơ — Thôn 1")
    await chief.text("/progress")
    progress = await chief.until("📊 Thôn 1")
    assert "Trần Thị Bình" in progress["text"]  # on the demo target list, not submitted
    await chief.text("/settings")
    await chief.until("báo ngay từng hồ sơ")
    await chief.text("/assist")
    await chief.until("Nộp hộ ở Thôn 1")


async def _officer_asks_for_a_page_and_accepts(
    officer: ChatPage, resident: ChatPage, code: str
) -> None:
    # 8. the officer: /queue → the submission → needs info → the resident's button → accept
    await officer.text("/queue")
    await officer.until("Hồ sơ — Xã Hòa Phú")
    await officer.press(f"🆕 {code} · Nguyễn Văn An · Thôn 1")
    await officer.until(f"Hồ sơ {code}", "066090012345")
    await officer.press("📝 Cần bổ sung")
    await officer.until("chọn giấy tờ còn thiếu")
    await officer.press("⬜ Sổ — trang 2–3")
    await officer.until("chọn giấy tờ còn thiếu")
    await officer.press("Xong")
    await officer.until("gõ một ghi chú")
    await officer.text("Ảnh trang 2–3 bị lóa, chụp lại giúp")
    await officer.until("Đã gửi yêu cầu bổ sung")
    await resident.until("Xã cần bổ sung cho hồ sơ", code)
    await resident.press("📷 Gửi: Sổ — trang 2–3")
    await resident.until("Hãy gửi ảnh Sổ — trang 2–3")
    await resident.document(document_photo(55, card=False), "retake.jpg")
    await resident.until("Đã nhận đủ giấy tờ bổ sung")
    await officer.until(f"Hồ sơ {code} đã được bổ sung")
    await officer.press("📂 Mở hồ sơ")
    await officer.until(f"Hồ sơ {code}")
    await officer.press("✅ Tiếp nhận")
    await officer.until("Xác nhận hồ sơ")
    await officer.press("✅ Đã nhập, tiếp nhận")
    await officer.until(f"Đã tiếp nhận hồ sơ {code}")
    await resident.until(f"Hồ sơ {code} đã được tiếp nhận")
    await officer.text("/report")
    await officer.until("Báo cáo ngày")
    await officer.text("/invite")
    await officer.until("Mời ai?")


async def _officer_at_the_desk(
    http: aiohttp.ClientSession, officer: ChatPage, origin: str, passphrase: str
) -> None:
    # 9. /web → the sign-in link → the queue in the browser → a submission, unlocked
    await officer.text("/web")
    message = await officer.until("/console/signin?t=")
    link = _LINK.search(message["text"])
    assert link is not None
    token = link.group(1).split("t=", 1)[1]
    headers = {"Origin": origin}
    async with http.post(f"{origin}/console/signin", data={"t": token}, headers=headers) as page:
        assert page.status == 200
        queue = await page.text()
    assert "Lê Thị Hoa" in queue
    opened = re.search(r'href="/console/s/(HP-[A-Z0-9]+)', queue)
    if opened is None:  # the one submission is accepted: the queue shows all states on asking
        async with http.get(f"{origin}/console/queue?state=all") as page:
            queue = await page.text()
        opened = re.search(r'href="/console/s/(HP-[A-Z0-9]+)', queue)
    assert opened is not None
    async with http.get(f"{origin}/console/s/{opened.group(1)}") as page:
        html = await page.text()
    csrf = _CSRF.search(html)
    commune = re.search(r'name="commune" value="(\d+)"', html)
    assert csrf is not None
    assert commune is not None
    form = {
        "csrf": csrf.group(1),
        "commune": commune.group(1),
        "passphrase": passphrase,
        "back": f"/console/s/{opened.group(1)}",
    }
    async with http.post(f"{origin}/console/unlock", data=form, headers=headers) as page:
        assert page.status == 200
        unlocked = await page.text()
    image = re.search(r'src="/console/d/([0-9a-f-]+)"', unlocked)
    assert image is not None, "no document shown after the unlock"
    async with http.get(f"{origin}/console/d/{image.group(1)}") as document:
        assert document.status == 200
        assert (await document.read()).startswith(b"\xff\xd8")  # the photo, opened
