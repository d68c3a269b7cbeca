"""The console's doors: sessions, CSRF and origin checks, scope, sign-in links, revocation,
cookie flags, timeouts, the unlock limit, and the unlocked key that must never leave memory.
Each refusal is a page in Vietnamese, changes nothing, and (where the issue asks) is audited."""

from __future__ import annotations

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from aiohttp import web
from sqlalchemy import select

from console import ConsoleOptions, console_app
from intake.console import ConsoleDesk
from intake.staff import revoke_staff
from storage.models import (
    Commune,
    ConsoleLink,
    ConsoleSession,
    Event,
    Submission,
    utcnow,
)
from storage.states import StaffRole, SubmissionState
from tests.fixtures.commune import join as join_staff
from tests.fixtures.commune import submit
from tests.fixtures.console import Browser, base, installed_hoa_phu, link_for, signed_in
from tests.fixtures.net import free_port
from tests.fixtures.world import COMMUNE_PASSPHRASE as PASSPHRASE
from tests.fixtures.world import World

CCCD = "066090012345"


async def audit(world: World, action: str) -> list[Event]:
    async with world.deps.database.sessions() as session:
        return list(
            await session.scalars(select(Event).where(Event.action == action).order_by(Event.id))
        )


async def state(world: World, code: str) -> SubmissionState:
    async with world.deps.database.sessions() as session:
        row = await session.scalar(select(Submission).where(Submission.receipt_code == code))
        assert row is not None
        return row.state


async def another_commune(world: World) -> str:
    async with world.deps.database.sessions() as session:
        code = await session.scalar(
            select(Commune.code).where(Commune.code != "24175").order_by(Commune.code).limit(1)
        )
    assert code is not None
    return code


async def test_requests_without_a_session_are_refused(world: World) -> None:
    place = await installed_hoa_phu(world)
    made = await submit(world.deps, place, place.villages[0], holder="Nguyễn Văn An", cccd=CCCD)
    async with Browser(base(world)) as browser:
        for path in ("/console/queue", f"/console/s/{made.receipt_code}", "/console/d/x"):
            status, page = await browser.get(path)
            assert status == 401
            assert "Bạn chưa đăng nhập" in page
            assert "/web" in page
            assert "Nguyễn Văn An" not in page
        status, page = await browser.post(
            f"/console/s/{made.receipt_code}/review",
            {"action": "accept", "confirmed": "yes"},
            csrf="0" * 64,
        )
        assert status == 401
        # a garbage cookie is no session either
        browser.http.cookie_jar.update_cookies({"hoso_console": "forged"})
        status, page = await browser.get("/console/queue")
        assert status == 401
    assert await state(world, made.receipt_code) is SubmissionState.SUBMITTED


async def test_forged_or_missing_csrf_and_wrong_origin_change_nothing(world: World) -> None:
    place = await installed_hoa_phu(world)
    made = await submit(world.deps, place, place.villages[0], holder="Nguyễn Văn An", cccd=CCCD)
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    browser = await signed_in(world, officer)
    async with browser:
        status, page = await browser.get(f"/console/s/{made.receipt_code}")
        assert status == 200
        form = {"action": "reject", "reason": "duplicate", "seen": browser.seen}
        path = f"/console/s/{made.receipt_code}/review"
        colleague = await join_staff(world.deps, StaffRole.OFFICER, 7002, commune="24175")
        async with await signed_in(world, colleague) as theirs:
            await theirs.get("/console/queue")
            their_token = theirs.csrf  # a real token, of another officer's session
        assert their_token != browser.csrf
        other_session_like = browser.csrf[:-1] + ("1" if browser.csrf.endswith("0") else "0")
        for csrf in (None, "", "f" * 64, other_session_like, their_token):
            status, page = await browser.post(path, form, csrf=csrf)
            assert status == 403
            assert "Biểu mẫu đã cũ" in page
        for origin in ("http://evil.example", "null", f"{browser.base}.evil.example"):
            status, page = await browser.post(path, form, origin=origin)
            assert status == 403
            assert "không đến từ trang quản lý" in page
        # no Origin: only a same-origin fetch is believed
        status, _ = await browser.post(path, form, origin=None)
        assert status == 403
        status, _ = await browser.post(
            path, form, origin=None, headers={"Sec-Fetch-Site": "cross-site"}
        )
        assert status == 403
        assert await state(world, made.receipt_code) is SubmissionState.IN_REVIEW
        # the real form still works
        status, page = await browser.post(path, form)
        assert status == 200
        assert await state(world, made.receipt_code) is SubmissionState.REJECTED


async def test_scope_other_commune_and_other_village(world: World) -> None:
    place = await installed_hoa_phu(world)
    mine = await submit(world.deps, place, place.villages[0], holder="Nguyễn Văn An", cccd=CCCD)
    elsewhere = await another_commune(world)
    stranger = await join_staff(world.deps, StaffRole.OFFICER, 7002, commune=elsewhere)
    chief_2 = await join_staff(world.deps, StaffRole.CHIEF, 7102, village="24175-02")
    chief_1 = await join_staff(world.deps, StaffRole.CHIEF, 7101, village="24175-01")

    async with await signed_in(world, stranger) as browser:
        status, page = await browser.get(f"/console/s/{mine.receipt_code}")
        assert status == 404
        assert "Không tìm thấy" in page
        assert "Nguyễn Văn An" not in page
        status, page = await browser.get("/console/queue")
        assert mine.receipt_code not in page
        status, _ = await browser.get(f"/console/queue?commune={place.commune.id}")
        assert mine.receipt_code not in _
    refused = await audit(world, "staff_refused")
    assert refused[-1].actor_id == str(stranger.id)
    assert refused[-1].data["via"] == "console"

    async with await signed_in(world, chief_2) as browser:
        status, page = await browser.get(f"/console/s/{mine.receipt_code}")
        assert status == 404
        status, page = await browser.get(f"/console/queue?village={place.villages[0].id}")
        assert status == 404
    hidden = await submit(
        world.deps, place, place.villages[1], holder="Trần Thị Bình", cccd="066190000001"
    )
    async with await signed_in(world, chief_1) as browser:
        # "next in queue" is a queue too: another village's, or the triage queue, is refused
        for other in (f"village={place.villages[1].id}&q=tran", "village=none"):
            status, page = await browser.get(f"/console/s/{mine.receipt_code}?{other}")
            assert status == 404
            assert hidden.receipt_code not in page
        # a chief may not learn a CCCD by searching for it
        status, page = await browser.get(f"/console/queue?q={CCCD}")
        assert mine.receipt_code not in page
        status, page = await browser.get(f"/console/s/{mine.receipt_code}")
        assert status == 200
        assert "Nguyễn Văn An" in page
        assert CCCD not in page  # a chief never sees ID numbers
        assert "Mở khóa xã" not in page
        assert "/console/d/" not in page
        assert 'name="action" value="accept"' not in page  # chiefs do not review
        status, _ = await browser.post(
            f"/console/s/{mine.receipt_code}/review",
            {"action": "accept", "confirmed": "yes", "seen": browser.seen},
        )
        assert status == 404
    assert await state(world, mine.receipt_code) is SubmissionState.SUBMITTED


async def test_sign_in_links_are_single_use_and_expire(world: World) -> None:
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    link = await link_for(world, officer)
    async with Browser(base(world)) as browser:
        status, page = await browser.get(link)
        status, page = await browser.get(link)  # previews and reloads do not use it up
        assert status == 200
        status, _ = await browser.sign_in(link)
        assert status == 200
    async with Browser(base(world)) as other:
        status, page = await other.sign_in(link)
        assert status == 403
        assert "đã được dùng" in page
        assert other.cookie() is None
        status, page = await other.post("/console/signin", {"t": "nonsense"}, csrf=None)
        assert status == 403
        assert "không đúng" in page
        status, page = await other.post("/console/signin", {"t": "x" * 5000}, csrf=None)
        assert status == 403

    late = await link_for(world, officer)
    async with world.deps.database.sessions.begin() as session:
        for unused in await session.scalars(
            select(ConsoleLink).where(ConsoleLink.used_at.is_(None))
        ):
            unused.expires_at = utcnow() - timedelta(seconds=1)
    async with Browser(base(world)) as browser:
        status, page = await browser.sign_in(late)
        assert status == 403
        assert "đã hết hạn" in page
    reasons = [e.data["reason"] for e in await audit(world, "console_sign_in_refused")]
    assert reasons == ["used", "expired"]
    assert len(await audit(world, "console_signed_in")) == 1
    async with world.deps.database.sessions() as session:
        stored = list(await session.scalars(select(ConsoleLink.token_hash)))
    assert all(len(h) == 32 for h in stored)
    assert late.split("t=")[1].encode() not in b"".join(stored)  # only hashes are kept


async def test_revoked_officer_is_signed_out_at_the_next_request(world: World) -> None:
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    browser = await signed_in(world, officer)
    async with browser:
        status, _ = await browser.get("/console/queue")
        assert status == 200
        async with world.deps.database.sessions.begin() as session:
            assert await revoke_staff(session, officer.id)
        status, page = await browser.get("/console/queue")
        assert status == 401
        assert "đã bị thu hồi" in page
        status, page = await browser.get("/console/queue")
        assert status == 401  # and it stays so
    async with world.deps.database.sessions() as session:
        row = await session.scalar(select(ConsoleSession))
    assert row is not None
    assert row.ended_reason == "revoked"
    link = await link_for(world, officer)  # a link of a revoked member
    async with Browser(base(world)) as again:
        status, page = await again.sign_in(link)
        assert status == 403
        assert "không còn là cán bộ" in page


async def test_idle_and_absolute_timeouts_and_sign_out(world: World) -> None:
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    for column, minutes, words in (
        ("last_seen_at", 31, "30 phút"),
        ("created_at", 12 * 60 + 1, "12 giờ"),
    ):
        browser = await signed_in(world, officer)
        async with browser:
            async with world.deps.database.sessions.begin() as session:
                row = await session.scalar(
                    select(ConsoleSession).where(ConsoleSession.ended_at.is_(None))
                )
                assert row is not None
                setattr(row, column, getattr(row, column) - timedelta(minutes=minutes))
            status, page = await browser.get("/console/queue")
            assert status == 401
            assert words in page
    browser = await signed_in(world, officer)
    async with browser:
        status, page = await browser.get("/console/queue")
        key = browser.cookie()
        status, page = await browser.post("/console/signout", {})
        assert status == 200
        assert "Bạn đã đăng xuất" in page
        assert browser.cookie() in (None, "")
        browser.http.cookie_jar.update_cookies({"hoso_console": key})  # the old key, kept
        status, _ = await browser.get("/console/queue")
        assert status == 401
    actions = [e.action for e in await audit(world, "console_signed_out")]
    assert actions == ["console_signed_out"]


async def test_cookie_flags_plain_and_https(world: World) -> None:
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    async with Browser(base(world)) as browser:
        link = await link_for(world, officer)
        await browser.get(link)
        async with browser.http.post(
            f"{browser.base}/console/signin",
            data={"t": link.split("t=")[1]},
            headers={"Origin": browser.base},
            allow_redirects=False,
        ) as response:
            assert response.status == 303
            cookie = response.headers["Set-Cookie"]
    assert cookie.startswith("hoso_console=")
    for flag in ("HttpOnly", "SameSite=Strict", "Path=/"):
        assert flag in cookie
    assert "Secure" not in cookie  # plain http (the demo, a LAN): a Secure cookie never returns

    # behind https (HOSO_PUBLIC_URL=https://…): Secure and the __Host- prefix
    public = "https://hoso.example.vn"
    app = web.Application()
    app.add_subapp("/console", console_app(ConsoleDesk(world.deps), ConsoleOptions(public)))
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        link = await link_for(world, officer)
        async with Browser(f"http://127.0.0.1:{port}") as browser:
            async with browser.http.post(
                f"{browser.base}/console/signin",
                data={"t": link.split("t=")[1]},
                headers={"Origin": browser.base},  # not the public origin
                allow_redirects=False,
            ) as response:
                assert response.status == 403
            async with browser.http.post(
                f"{browser.base}/console/signin",
                data={"t": link.split("t=")[1]},
                headers={"Origin": public},
                allow_redirects=False,
            ) as response:
                assert response.status == 303
                cookie = response.headers["Set-Cookie"]
    finally:
        await runner.cleanup()
    assert cookie.startswith("__Host-hoso_console=")
    for flag in ("Secure", "HttpOnly", "SameSite=Strict", "Path=/"):
        assert flag in cookie
    assert "Domain" not in cookie


async def test_unlocked_key_stays_in_memory_and_the_unlock_is_limited(
    world: World, caplog: pytest.LogCaptureFixture, tmp_path: Path
) -> None:
    caplog.set_level(logging.DEBUG)
    place = await installed_hoa_phu(world)
    made = await submit(world.deps, place, place.villages[0], holder="Nguyễn Văn An", cccd=CCCD)
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    secret = world.identity.file_text().splitlines()[-1].encode()  # the secret key line
    responses: list[str] = []
    unlock = {"commune": str(place.commune.id), "back": f"/console/s/{made.receipt_code}"}
    async with await signed_in(world, officer) as browser:
        status, page = await browser.get(f"/console/s/{made.receipt_code}")
        responses.append(page)
        for left in (4, 3, 2, 1):
            status, page = await browser.post(
                "/console/unlock", {**unlock, "passphrase": f"wrong passphrase {left}"}
            )
            responses.append(page)
            assert f"Còn {left} lần thử" in page
        status, page = await browser.post(
            "/console/unlock", {**unlock, "passphrase": "wrong passphrase 0"}
        )
        assert "Nhập sai quá nhiều lần" in page
        status, page = await browser.post("/console/unlock", {**unlock, "passphrase": PASSPHRASE})
        assert "Nhập sai quá nhiều lần" in page  # even the right one waits now
        assert "Mở khóa xã" in page

        # after the window, the right passphrase opens it
        async with world.deps.database.sessions.begin() as session:
            for failed in await session.scalars(
                select(Event).where(Event.action == "console_unlock_failed")
            ):
                failed.at -= timedelta(minutes=16)
        status, page = await browser.post("/console/unlock", {**unlock, "passphrase": PASSPHRASE})
        responses.append(page)
        assert "Đã mở khóa xã cho phiên này." in page
        assert world.runtime.services.console.vault.sessions_held == 1
        status, page = await browser.get("/console/queue?q=nguyen")
        responses.append(page)
        status, page = await browser.post("/console/signout", {})
        responses.append(page)

    assert all(secret not in page.encode() for page in responses)
    logged = "\n".join(r.getMessage() + str(r.__dict__) for r in caplog.records)
    assert PASSPHRASE not in logged
    assert "wrong passphrase" not in logged
    assert secret.decode() not in logged
    if world.deps.database.engine.dialect.name == "sqlite":
        files = [
            Path(p)
            for p in Path(world.deps.database.engine.url.database or "").parent.glob("hoso.db*")
        ]
        assert files
        for file in files:
            assert secret not in file.read_bytes()
            assert PASSPHRASE.encode() not in file.read_bytes()
    async with world.deps.database.sessions() as session:
        for event in await session.scalars(select(Event)):
            assert PASSPHRASE not in str(event.data)
            assert secret.decode() not in str(event.data)
    assert world.runtime.services.console.vault.sessions_held == 0  # dropped at sign-out


async def test_bad_input_answers_with_a_vietnamese_page(world: World) -> None:
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    async with await signed_in(world, officer) as browser:
        for path, status_wanted, words in (
            ("/console/queue?q=" + "a" * 101, 400, "quá dài"),
            ("/console/queue?state=nonsense", 400, "Bộ lọc"),
            ("/console/queue?page=-1", 400, "Bộ lọc"),
            ("/console/queue?village=1%27%20or%201=1", 400, "Bộ lọc"),
            ("/console/nothing-here", 404, "Không tìm thấy"),
            ("/console/s/HP-NOPE1", 404, "Không tìm thấy"),
            ("/console/s/" + "x" * 300, 404, "Không tìm thấy"),
            ("/console/d/not-a-uuid", 404, "Không tìm thấy"),
            ("/console/d/00000000-0000-0000-0000-000000000000", 404, "Không tìm thấy"),
            ("/console/static/..%2F..%2Fpyproject.toml", 404, "Không tìm thấy"),
        ):
            async with browser.http.get(browser.base + path) as response:
                status, page = response.status, await response.text()
                assert response.headers["Cache-Control"] == "no-store"  # error pages too
                assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
            assert status == status_wanted, (path, status)
            assert words in page
            assert "Traceback" not in page
        status, page = await browser.post(
            "/console/unlock", {"commune": "abc", "passphrase": "x", "back": "/console/queue"}
        )
        assert status == 400
        assert "không hợp lệ" in page
        status, page = await browser.post(
            "/console/unlock",
            {"commune": "1", "passphrase": "x", "back": "https://evil.example/"},
        )
        assert "evil" not in page
        async with browser.http.post(  # a body that is not UTF-8
            f"{browser.base}/console/unlock",
            data=b"csrf=" + browser.csrf.encode() + b"&passphrase=\xff\xfe",
            headers={
                "Origin": browser.base,
                "Content-Type": "application/x-www-form-urlencoded; charset=utf-8",
            },
        ) as response:
            assert response.status in (400, 403)
            assert "Traceback" not in await response.text()
        async with browser.http.post(
            f"{browser.base}/console/signout",
            data={"csrf": browser.csrf},
            headers={"Origin": browser.base},
            allow_redirects=False,
        ) as response:
            assert response.status == 303
            assert response.headers["Clear-Site-Data"] == '"cache", "storage"'
