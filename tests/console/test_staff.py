"""The staff page through the HTTP client: the staff of the reader's scope, invitations made by
the same rules as Telegram's /invite and `hoso staff invite` (the link shown once, with its QR
code), what is refused and why (nothing changes; scope refusals are audit events), revocation,
and a chief, who manages nobody."""

from __future__ import annotations

import html
import re

from sqlalchemy import func, select

from intake.admin import import_villages
from intake.staff import redeem_invite
from storage.models import Commune, Event, Invite, Staff, Village
from storage.states import StaffRole
from tests.fixtures.commune import join
from tests.fixtures.console import Browser, installed_hoa_phu, signed_in
from tests.fixtures.world import World

LINK = re.compile(
    r'id="invite-link" readonly value="(https://t\.me/hoso_test_bot\?start=(i[\w-]+))"'
)


async def audit(world: World, action: str) -> list[Event]:
    async with world.deps.database.sessions() as session:
        return list(
            await session.scalars(select(Event).where(Event.action == action).order_by(Event.id))
        )


async def invites(world: World) -> int:
    async with world.deps.database.sessions() as session:
        return await session.scalar(select(func.count()).select_from(Invite)) or 0


async def member(world: World, staff_id: int) -> Staff:
    async with world.deps.database.sessions() as session:
        row = await session.get(Staff, staff_id)
        assert row is not None
        return row


async def elsewhere(world: World) -> tuple[Commune, Village]:
    """Another commune of the province, given a village of its own."""
    async with world.deps.database.sessions() as session:
        commune = await session.scalar(
            select(Commune).where(Commune.code != "24175").order_by(Commune.code).limit(1)
        )
    assert commune is not None
    csv = f"commune_code,village_name\n{commune.code},Thôn Xa Lắm\n"
    await import_villages(world.deps, csv.encode(), province_code="66")
    async with world.deps.database.sessions() as session:
        village = await session.scalar(select(Village).where(Village.commune_id == commune.id))
    assert village is not None
    return commune, village


def text_of(page: str) -> str:
    """The page's words, without markup (a message's apostrophes unescaped)."""
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


async def invite(browser: Browser, **form: object) -> tuple[int, str]:
    return await browser.post("/console/staff/invite", {k: str(v) for k, v in form.items()})


async def test_an_officer_sees_the_commune_staff_and_invites_a_chief(world: World) -> None:
    place = await installed_hoa_phu(world)
    thon_2 = place.villages[1]
    officer = await join(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    chief = await join(world.deps, StaffRole.CHIEF, 7101, village="24175-01")
    other_commune, _ = await elsewhere(world)
    stranger = await join(world.deps, StaffRole.OFFICER, 7002, commune=other_commune.code)
    await join(world.deps, StaffRole.ADMIN, 7301)

    async with await signed_in(world, officer) as browser:
        status, page = await browser.get("/console/staff")
        assert status == 200
        words = text_of(page)
        assert "Cán bộ của Xã Hòa Phú" in words
        assert f'id="staff-{officer.id}"' in page
        assert f'id="staff-{chief.id}"' in page
        assert f'id="staff-{stranger.id}"' not in page  # another commune's
        assert "Tài khoản Telegram 7301" not in words  # the province's admin: not an officer's
        assert "Tài khoản Telegram 7101" in words
        assert "Thôn 1" in words
        # an officer invites chiefs and officers, never admins; nobody revokes themselves
        assert 'value="chief"' in page
        assert 'value="officer"' in page
        assert 'value="admin"' not in page
        assert f"/console/staff/{chief.id}/revoke" in page
        assert f"/console/staff/{officer.id}/revoke" not in page

        status, page = await invite(browser, role="chief", village=thon_2.id)
        assert status == 200  # after the redirect
        assert "Đã tạo lời mời trưởng thôn — Thôn 2." in page
        found = LINK.search(page)
        assert found is not None, page
        link, payload = found.groups()
        assert '<svg width="' in page  # the QR code, inline
        assert f"/start {payload}" in page
        assert "hết hạn lúc" in page

        status, page = await browser.get("/console/staff")  # shown once
        assert LINK.search(page) is None

        async with world.deps.database.sessions.begin() as session:
            joined = await redeem_invite(
                session, payload[1:], telegram_user_id=7102, language="vi"
            )
        assert (joined.role, joined.village_id, joined.commune_id) == (
            StaffRole.CHIEF,
            thon_2.id,
            place.commune.id,
        )
        status, page = await browser.get("/console/staff")
        assert f'id="staff-{joined.id}"' in page
        assert "Tài khoản Telegram 7102" in text_of(page)

        status, page = await invite(browser, role="officer")
        assert "Đã tạo lời mời cán bộ địa chính xã — Xã Hòa Phú." in page
        assert LINK.search(page) is not None

    created = await audit(world, "invite_created")
    assert [(e.actor_id, e.data["role"]) for e in created[-2:]] == [
        (str(officer.id), "chief"),
        (str(officer.id), "officer"),
    ]
    assert created[-2].data["village_id"] == thon_2.id


async def test_bad_invitations_are_refused_with_the_reason(world: World) -> None:
    place = await installed_hoa_phu(world)
    officer = await join(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    other_commune, their_village = await elsewhere(world)
    before = await invites(world)
    refused_before = len(await audit(world, "staff_refused"))

    async with await signed_in(world, officer) as browser:
        status, page = await invite(browser, role="chief", village=their_village.id)
        assert status == 403
        assert (
            "Thôn này không thuộc Xã Hòa Phú: bạn chỉ mời được trưởng thôn cho các thôn của "
            "Xã Hòa Phú." in page
        )
        assert "Thôn Xa Lắm" not in page  # nothing told of the other commune
        assert 'id="staff-problem"' in page
        assert 'name="role"' in page  # the form is there to try again

        status, page = await invite(browser, role="officer", commune=other_commune.id)
        assert status == 403
        assert "Xã này không thuộc Xã Hòa Phú" in page

        status, page = await invite(browser, role="admin")
        assert status == 403
        assert "Bạn không được mời làm quản trị tỉnh" in page

        for village in ("999999", "abc", "0", "1" * 30):
            status, page = await invite(browser, role="chief", village=village)
            assert status == 404, village
            assert "Không tìm thấy thôn này" in page

        status, page = await invite(browser, role="chief")
        assert status == 400
        assert "Lời mời trưởng thôn cần chọn thôn của họ." in page

        for role in ("president", "", "CHIEF"):
            status, page = await invite(browser, role=role, village=place.villages[0].id)
            assert status == 400, role
            assert "Hãy chọn vai trò trong danh sách." in page

        status, page = await browser.post(
            "/console/staff/invite", {"role": "chief", "village": place.villages[0].id}, csrf=None
        )
        assert status == 403

    assert await invites(world) == before  # nothing was made
    refused = (await audit(world, "staff_refused"))[refused_before:]
    assert [(e.data["what"], e.data["decision"]) for e in refused] == [
        ("invite_chief", "out_of_scope"),
        ("invite_officer", "out_of_scope"),
        ("invite_admin", "not_your_role"),
    ]
    assert all(e.actor_id == str(officer.id) and e.data["via"] == "console" for e in refused)
    assert refused[0].data["village"] == their_village.id


async def test_an_officer_revokes_a_chief_but_not_themselves(world: World) -> None:
    await installed_hoa_phu(world)
    officer = await join(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    chief = await join(world.deps, StaffRole.CHIEF, 7101, village="24175-01")
    other_commune, _ = await elsewhere(world)
    stranger = await join(world.deps, StaffRole.OFFICER, 7002, commune=other_commune.code)
    admin = await join(world.deps, StaffRole.ADMIN, 7301)

    async with (
        await signed_in(world, chief) as chiefs,
        await signed_in(world, officer) as browser,
    ):
        status, _ = await chiefs.get("/console/queue")
        assert status == 200

        status, page = await browser.post(f"/console/staff/{chief.id}/revoke", {})
        assert status == 200
        assert "Đã thu hồi quyền trưởng thôn của Tài khoản Telegram 7101." in page
        assert f'id="staff-{chief.id}"' not in page
        assert not (await member(world, chief.id)).active
        status, page = await chiefs.get("/console/queue")  # signed out at the next request
        assert status == 401
        assert "đã bị thu hồi" in page

        status, page = await browser.post(f"/console/staff/{chief.id}/revoke", {})
        assert status == 409
        assert "Người này đã bị thu hồi quyền từ trước." in page

        status, page = await browser.post(f"/console/staff/{officer.id}/revoke", {})
        assert status == 409
        assert "Bạn không thể tự thu hồi quyền của mình." in page
        assert (await member(world, officer.id)).active

        refused_before = len(await audit(world, "staff_refused"))
        for target in (stranger.id, admin.id, 999999):
            status, page = await browser.post(f"/console/staff/{target}/revoke", {})
            assert status in (403, 404), target
            assert "Không có cán bộ này trong phạm vi bạn quản lý." in page
        assert (await member(world, stranger.id)).active
        assert (await member(world, admin.id)).active
        refused = (await audit(world, "staff_refused"))[refused_before:]
        assert [(e.data["revoke"], e.data["decision"]) for e in refused] == [
            (stranger.id, "out_of_scope"),
            (admin.id, "not_your_role"),
        ]

        for forged in ("abc", "-1", "1" * 30):
            status, page = await browser.post(f"/console/staff/{forged}/revoke", {})
            assert status == 404, forged

        status, page = await browser.get("/console/staff?revoked=1")
        assert status == 200
        assert "Đã thu hồi" in page
        assert "Tài khoản Telegram 7101" in text_of(page)

    revoked = await audit(world, "staff_revoked")
    assert [(e.actor_id, e.data["staff_id"]) for e in revoked] == [(str(officer.id), chief.id)]


async def test_a_chief_manages_nobody(world: World) -> None:
    place = await installed_hoa_phu(world)
    officer = await join(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    chief = await join(world.deps, StaffRole.CHIEF, 7101, village="24175-01")
    before = await invites(world)
    async with await signed_in(world, chief) as browser:
        status, page = await browser.get("/console/queue")
        assert "/console/staff" not in page  # no link in the bar
        status, page = await browser.get("/console/staff")
        assert status == 403
        assert "Chỉ cán bộ địa chính xã và quản trị tỉnh mới quản lý được cán bộ." in page
        status, page = await invite(browser, role="chief", village=place.villages[0].id)
        assert status == 403
        status, page = await browser.post(f"/console/staff/{officer.id}/revoke", {})
        assert status == 403
    assert await invites(world) == before
    assert (await member(world, officer.id)).active
    refused = await audit(world, "staff_refused")
    assert {e.data["what"] for e in refused if e.actor_id == str(chief.id)} >= {
        "invite_officer",
        "invite_chief",
    }


async def test_an_admin_picks_a_commune_and_invites_an_admin(world: World) -> None:
    place = await installed_hoa_phu(world)
    officer = await join(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    admin = await join(world.deps, StaffRole.ADMIN, 7301)
    other_admin = await join(world.deps, StaffRole.ADMIN, 7302)
    other_commune, their_village = await elsewhere(world)

    async with await signed_in(world, admin) as browser:
        status, page = await browser.get(f"/console/staff?commune={place.commune.id}")
        assert status == 200
        assert f'<option value="{place.commune.id}" selected>' in page
        assert f'id="staff-{officer.id}"' in page
        assert f'id="staff-{other_admin.id}"' in page  # the province's admins
        assert 'value="admin"' in page

        status, page = await invite(browser, role="admin", commune=place.commune.id)
        assert status == 200
        assert "Đã tạo lời mời quản trị tỉnh" in page
        assert LINK.search(page) is not None

        status, page = await invite(
            browser, role="chief", village=their_village.id, commune=other_commune.id
        )
        assert status == 200
        assert "Đã tạo lời mời trưởng thôn — Thôn Xa Lắm." in page
        assert f'<option value="{other_commune.id}" selected>' in page  # back on that commune

        status, page = await browser.post(
            f"/console/staff/{officer.id}/revoke", {"commune": str(place.commune.id)}
        )
        assert status == 200
        assert not (await member(world, officer.id)).active
        assert f'<option value="{place.commune.id}" selected>' in page

        status, page = await browser.post(f"/console/staff/{other_admin.id}/revoke", {})
        assert status == 200
        assert not (await member(world, other_admin.id)).active
