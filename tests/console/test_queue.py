"""The queue an officer filters: by village (and "no village yet"), state and order, paged,
searched by name, receipt, CCCD and parcel; "next in queue" follows the filter; an admin picks
a commune."""

from __future__ import annotations

import re

from sqlalchemy import select

from storage.models import Submission
from storage.states import StaffRole
from tests.fixtures.commune import join as join_staff
from tests.fixtures.commune import submit
from tests.fixtures.console import installed_hoa_phu, signed_in
from tests.fixtures.world import World

ROW = re.compile(r'<a href="/console/s/([A-Z0-9-]+)[^"]*">')


def receipts(page: str) -> list[str]:
    return ROW.findall(page)


async def test_filters_order_pages_and_search(world: World) -> None:
    place = await installed_hoa_phu(world)
    thon_1, thon_2 = place.villages[0], place.villages[1]
    made = []
    for i in range(27):
        made.append(
            await submit(
                world.deps,
                place,
                thon_1,
                holder=f"Nguyễn Văn Hộ {i:02d}",
                cccd=f"0660900{i:05d}",
                map_sheet="12",
                parcel_no=str(300 + i),
            )
        )
    other = await submit(world.deps, place, thon_2, holder="Trần Thị Bình", cccd="066190000001")
    nowhere = await submit(world.deps, place, None, holder="H'Hen Niê", cccd="066190000002")
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    oldest = [s.receipt_code for s in made] + [other.receipt_code, nowhere.receipt_code]

    async with await signed_in(world, officer) as browser:
        status, page = await browser.get("/console/queue")
        assert status == 200
        assert "29 hồ sơ" in page
        assert receipts(page) == oldest[:25]
        status, page = await browser.get("/console/queue?page=1")
        assert receipts(page) == oldest[25:]
        assert "Trang 2/2" in page
        status, page = await browser.get("/console/queue?order=newest")
        assert receipts(page)[:2] == [nowhere.receipt_code, other.receipt_code]
        status, page = await browser.get(f"/console/queue?village={thon_2.id}")
        assert receipts(page) == [other.receipt_code]
        status, page = await browser.get("/console/queue?village=none")
        assert receipts(page) == [nowhere.receipt_code]
        assert "Chưa rõ thôn" in page

        for search, wanted in (
            ("hen nie", [nowhere.receipt_code]),  # accents and case do not matter
            ("HỘ 07", [made[7].receipt_code]),
            (made[3].receipt_code.lower(), [made[3].receipt_code]),
            ("066090000011", [made[11].receipt_code]),  # CCCD, through the blind index
            ("12/305", [made[5].receipt_code]),
            ("999", []),
        ):
            status, page = await browser.get("/console/queue", params={"q": search})
            assert status == 200
            assert receipts(page) == wanted, search
        # htmx asks for the rows only
        status, page = await browser.get(
            f"/console/queue?village={thon_2.id}", headers={"HX-Request": "true"}
        )
        assert "<html" not in page
        assert receipts(page) == [other.receipt_code]

        # the next in queue follows the filter the officer came from
        status, page = await browser.get(f"/console/s/{made[0].receipt_code}?q=h%E1%BB%99+0")
        assert f'href="/console/s/{made[1].receipt_code}?q=' in page
        status, page = await browser.post(
            f"/console/s/{made[0].receipt_code}/review?q=h%E1%BB%99+0",
            {"action": "reject", "reason": "duplicate", "seen": browser.seen},
        )
        assert status == 200
        assert f"Đã ghi không tiếp nhận hồ sơ {made[0].receipt_code}" in page
        assert f"<h1>{made[1].receipt_code}" in page
        status, page = await browser.get("/console/queue?state=rejected")
        assert receipts(page) == [made[0].receipt_code]


async def test_a_chief_sees_their_village_and_an_admin_picks_a_commune(world: World) -> None:
    place = await installed_hoa_phu(world)
    first = await submit(
        world.deps, place, place.villages[0], holder="Nguyễn Văn An", cccd="066090012345"
    )
    second = await submit(
        world.deps, place, place.villages[1], holder="Trần Thị Bình", cccd="066190000001"
    )
    chief = await join_staff(world.deps, StaffRole.CHIEF, 7101, village="24175-01")
    admin = await join_staff(world.deps, StaffRole.ADMIN, 7301)
    async with await signed_in(world, chief) as browser:
        status, page = await browser.get("/console/queue")
        assert receipts(page) == [first.receipt_code]
        assert "Chưa rõ thôn" not in page  # no triage queue for a chief
        status, page = await browser.get("/console/queue?village=none")
        assert status == 404
    async with await signed_in(world, admin) as browser:
        status, page = await browser.get(f"/console/queue?commune={place.commune.id}")
        assert status == 200
        assert receipts(page) == [first.receipt_code, second.receipt_code]
        assert f'<option value="{place.commune.id}" selected>' in page
        status, page = await browser.get(f"/console/s/{second.receipt_code}")
        assert status == 200
    async with world.deps.database.sessions() as session:
        states = {s.receipt_code: s.state.value for s in await session.scalars(select(Submission))}
    assert states[second.receipt_code] == "in_review"  # an admin's opening starts the review
