"""An officer works through the console over real HTTP, against the real bot and the
simulator: signs in with `/web`, finds a submission, unlocks the commune key, sees the
documents, asks for a page, and accepts once the resident has sent it — the resident told in
Telegram exactly as from the Telegram desk."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import select

from intake.submissions import reject
from storage.models import Blob, Document, Event, Staff, Submission
from storage.states import StaffRole, SubmissionState
from tests.fixtures.commune import join as join_staff
from tests.fixtures.console import (
    PASSPHRASE,
    Browser,
    console_url,
    signed_in,
    stored_documents,
    web_link,
)
from tests.fixtures.conversation import until
from tests.fixtures.photos import document_photo
from tests.fixtures.pull_data import Doc, add_submission, jpeg
from tests.fixtures.world import World, join, resident_submits


async def events(world: World, action: str) -> list[Event]:
    async with world.deps.database.sessions() as session:
        return list(await session.scalars(select(Event).where(Event.action == action)))


async def test_sign_in_unlock_view_needs_info_accept(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    # as `hoso run` logs (bot/logs.py): ours down to DEBUG, the libraries from INFO
    caplog.set_level(logging.INFO)
    caplog.set_level(logging.DEBUG, logger="hoso")
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    resident, code = await resident_submits(world, "Nguyễn Văn An")
    link = await web_link(officer)
    token = link.split("t=", 1)[1]
    leaks = [r for r in caplog.records if token in r.getMessage() + str(r.__dict__)]
    assert leaks == [], [(r.name, r.getMessage()[:300]) for r in leaks]

    async with Browser(console_url(world)) as browser:
        status, page = await browser.sign_in(link)
        assert status == 200
        assert "Danh sách hồ sơ" in page
        assert code in page
        assert "Nguyễn Văn An" in page
        assert len(await events(world, "console_signed_in")) == 1

        # the filter lives in the URL; accent-insensitive name search
        status, page = await browser.get("/console/queue?q=nguyen+van")
        assert status == 200
        assert code in page
        status, page = await browser.get("/console/queue?q=Tr%E1%BA%A7n")
        assert code not in page
        status, page = await browser.get("/console/queue?q=066090012345")  # CCCD, blind index
        assert code in page

        status, page = await browser.get(f"/console/s/{code}")
        assert status == 200
        assert "066090012345" in page  # the officer sees the CCCD
        assert "Mở khóa xã" in page  # documents need the commune key
        await until(resident, "đang được cán bộ địa chính xã xem xét")

        status, page = await browser.post(
            "/console/unlock",
            {
                "commune": re.search(r'name="commune" value="(\d+)"', page).group(1),  # type: ignore[union-attr]
                "passphrase": "not the passphrase",
                "back": f"/console/s/{code}",
            },
        )
        assert "Mật khẩu không đúng. Còn 4 lần thử." in page
        commune = re.search(r'name="commune" value="(\d+)"', page).group(1)  # type: ignore[union-attr]
        status, page = await browser.post(
            "/console/unlock",
            {"commune": commune, "passphrase": PASSPHRASE, "back": f"/console/s/{code}"},
        )
        assert "Đã mở khóa xã cho phiên này." in page

        documents = await stored_documents(world, code)
        assert set(documents) >= {"cccd_front", "cccd_back", "cert_cover", "cert_owner"}
        for document_id, opened in documents.values():
            assert f"/console/d/{document_id}" in page
            async with browser.http.get(f"{browser.base}/console/d/{document_id}") as response:
                assert response.status == 200
                assert response.headers["Cache-Control"] == "no-store"
                assert await response.read() == opened  # the stripped upload, byte for byte
        assert len(await events(world, "document_viewed")) == len(documents)

        status, page = await browser.post(
            f"/console/s/{code}/review",
            [
                ("action", "needs_info"),
                ("seen", browser.seen),
                ("slot", "cert_owner"),
                ("note", "Ảnh trang 2–3 bị lóa"),
            ],
        )
        assert status == 200
        assert f"Đã gửi yêu cầu bổ sung cho hồ sơ {code}." in page

    request = await until(resident, "Xã cần bổ sung cho hồ sơ", code)
    assert "bị lóa" in request.text
    await resident.press("📷 Gửi: Sổ — trang 2–3")
    await until(resident, "Hãy gửi ảnh Sổ — trang 2–3")
    retake = document_photo(41, card=False)
    await resident.send_document(retake, "retake.jpg", mime_type="image/jpeg")
    await until(resident, "Đã nhận đủ giấy tờ bổ sung")

    async with Browser(console_url(world)) as browser:
        # a link is single use: the officer asks for another
        await browser.sign_in(await web_link(officer))
        status, page = await browser.get(f"/console/s/{code}")
        assert "Mở khóa xã" in page  # a new session: unlock again
        await browser.post(
            "/console/unlock",
            {"commune": commune, "passphrase": PASSPHRASE, "back": f"/console/s/{code}"},
        )
        status, page = await browser.get(f"/console/s/{code}")
        document_id, opened = (await stored_documents(world, code))["cert_owner"]
        assert f"/console/d/{document_id}" in page  # the new page, not the refused one
        async with browser.http.get(f"{browser.base}/console/d/{document_id}") as response:
            assert await response.read() == opened

        # accepting needs the confirmation that it was entered into the land system
        status, page = await browser.post(
            f"/console/s/{code}/review", {"action": "accept", "seen": browser.seen}
        )
        assert status == 409
        assert "Tôi đã nhập hồ sơ này vào hệ thống thông tin đất đai." in page
        status, page = await browser.post(
            f"/console/s/{code}/review",
            {"action": "accept", "seen": browser.seen, "confirmed": "yes"},
        )
        assert status == 200
        assert f"Đã tiếp nhận hồ sơ {code}; người nộp đã được báo." in page

    await until(resident, f"Hồ sơ {code} đã được tiếp nhận")
    async with world.deps.database.sessions() as session:
        done = await session.scalar(select(Submission).where(Submission.receipt_code == code))
    assert done is not None
    assert done.state is SubmissionState.ACCEPTED


async def test_damaged_or_missing_document_and_a_stale_form(world: World) -> None:
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    resident, code = await resident_submits(world, "Nguyễn Văn An")
    documents = await stored_documents(world, code)
    async with world.deps.database.sessions() as session:
        blobs = {
            document.slot: blob.name
            for document, blob in await session.execute(
                select(Document, Blob).join(Blob, Blob.id == Document.blob_id)
            )
        }
    damaged = world.deps.blobs.path_of(blobs["cccd_back"])
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"\0")
    world.deps.blobs.path_of(blobs["cert_cover"]).unlink()

    async with await signed_in(world, officer) as browser:
        status, page = await browser.get(f"/console/s/{code}")
        commune = re.search(r'name="commune" value="(\d+)"', page)
        assert commune is not None
        status, page = await browser.post(
            "/console/unlock",
            {"commune": commune.group(1), "passphrase": PASSPHRASE, "back": f"/console/s/{code}"},
        )
        assert status == 200
        assert "Tệp niêm phong của giấy tờ này đã bị hỏng hoặc bị sửa." in page
        assert "Không tìm thấy tệp niêm phong của giấy tờ này trên máy chủ." in page
        for slot in ("cccd_back", "cert_cover"):
            async with browser.http.get(
                f"{browser.base}/console/d/{documents[slot][0]}"
            ) as response:
                assert response.status == 409
        for slot in ("cccd_front", "cert_owner"):  # the rest still shows
            document_id, opened = documents[slot]
            assert f"/console/d/{document_id}" in page
            async with browser.http.get(f"{browser.base}/console/d/{document_id}") as response:
                assert await response.read() == opened

        # meanwhile a colleague rejects it in Telegram: this page's form is out of date
        seen = browser.seen
        async with world.deps.database.sessions.begin() as session:
            submission = await session.scalar(
                select(Submission).where(Submission.receipt_code == code)
            )
            staff = await session.get(Staff, officer.id)
            assert submission is not None
            assert staff is not None
            await reject(session, world.deps, submission, staff, reason="duplicate")
        status, page = await browser.post(
            f"/console/s/{code}/review",
            [("action", "needs_info"), ("seen", seen), ("slot", "cert_owner")],
        )
        assert status == 409
        assert f"Hồ sơ {code} vừa được thay đổi" in page
        assert "Không tiếp nhận" in page or "không tiếp nhận" in page
        assert 'name="action" value="needs_info"' not in page  # closed: no actions offered
    async with world.deps.database.sessions() as session:
        actions = list(
            await session.scalars(
                select(Event.action)
                .join(Submission, Submission.id == Event.submission_id)
                .where(Submission.receipt_code == code)
            )
        )
    assert "needs_info" not in actions


async def test_a_pdf_is_offered_as_a_download(world: World) -> None:
    pdf = b"%PDF-1.4\n% a certificate scanned at the bank\n%%EOF\n"
    await add_submission(
        world.deps,
        "HP-PDF22",
        [Doc("cccd_front", jpeg("front")), Doc("cert_owner", pdf, content_type="pdf")],
        village=None,
    )
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    async with await signed_in(world, officer) as browser:
        status, page = await browser.get("/console/s/HP-PDF22")
        commune = re.search(r'name="commune" value="(\d+)"', page)
        assert commune is not None
        status, page = await browser.post(
            "/console/unlock",
            {"commune": commune.group(1), "passphrase": PASSPHRASE, "back": "/console/s/HP-PDF22"},
        )
        assert "Tải tệp PDF" in page
        link = re.search(r'<a class="button" href="(/console/d/[0-9a-f-]+)" download>', page)
        assert link is not None
        async with browser.http.get(browser.base + link.group(1)) as response:
            assert response.status == 200
            assert response.content_type == "application/pdf"
            assert response.headers["Content-Disposition"].startswith("attachment;")
            assert "HP-PDF22-cert_owner.pdf" in response.headers["Content-Disposition"]
            assert await response.read() == pdf
