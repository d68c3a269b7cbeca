"""The progress dashboard: its figures per village (targets, submitted, complete, needs info,
accepted, rejected, today, 7 days, not yet) are the right counts, the SVG chart drawn by the
daily report's code shows exactly those figures, the households not yet submitted are listed
for printing, a chief sees their own village and an admin the province's communes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import update

from intake.admin import import_targets
from intake.language import Language, render
from intake.reports import report_replies
from storage.models import Submission, utcnow
from storage.states import StaffRole, SubmissionState
from tests.console.test_exports import download, sheet_rows
from tests.fixtures.commune import join as join_staff
from tests.fixtures.commune import submit
from tests.fixtures.console import installed_hoa_phu, signed_in
from tests.fixtures.world import World

ROW = re.compile(r'<tr data-village="(\d+)">(.*?)</tr>', re.S)
FIGURE = re.compile(r'data-figure="(\w+)">(\d+)</td>')
BAR = re.compile(r'<g id="(targets|submitted|accepted)-(\d+)">\s*<path d="([^"]+)"')
TARGETS = """commune_code,household_name,village_code,cccd,map_sheet,parcel_no
24175,Nguyễn Văn An,24175-01,066090012345,,
24175,Trần Thị Bình,24175-01,,12,300
24175,Lê Văn Cường,24175-01,,12,301
24175,Phạm Thị Dung,24175-01,,12,302
24175,Hoàng Văn Em,24175-02,,13,1
"""


def render_reply(replies: list[Any]) -> str:
    """The daily report's text, as the chat shows it."""
    return render(Language.VI, replies[0].key, replies[0].params)


def figures_of(page: str) -> dict[int, dict[str, int]]:
    """The villages table's figures, by row."""
    return {
        int(row): {name: int(value) for name, value in FIGURE.findall(cells)}
        for row, cells in ROW.findall(page)
    }


def bar_widths(svg: str) -> dict[tuple[str, int], float]:
    """(series, village row) → the bar's width in the chart, from its SVG path."""
    widths = {}
    for series, row, path in BAR.findall(svg):
        xs = [float(x) for x in re.findall(r"[ML] ([-\d.]+) [-\d.]+", path)]
        widths[(series, int(row))] = max(xs) - min(xs)
    return widths


async def test_the_dashboard_counts_and_its_chart_shows_the_same(world: World) -> None:
    place = await installed_hoa_phu(world)
    thon_1, thon_2 = place.villages[0], place.villages[1]
    await import_targets(world.deps, TARGETS.encode(), province_code="66")
    an = await submit(world.deps, place, thon_1, holder="Nguyễn Văn An", cccd="066090012345")
    binh = await submit(
        world.deps, place, thon_1, holder="Trần Thị Bình", cccd="066190000001", map_sheet="12",
        parcel_no="300",
    )  # fmt: skip
    other = await submit(world.deps, place, thon_1, holder="Ngoài Danh Sách", cccd="066190000002")
    old = await submit(world.deps, place, thon_2, holder="Hoàng Văn Em", cccd="066190000003")
    async with world.deps.database.sessions.begin() as session:
        for row, values in (
            (an, {"state": SubmissionState.ACCEPTED, "complete": True}),
            (binh, {"state": SubmissionState.NEEDS_INFO, "submitted_at": an.submitted_at - timedelta(days=3)}),
            (other, {"state": SubmissionState.REJECTED, "complete": True}),
            (old, {"submitted_at": an.submitted_at - timedelta(days=10)}),
        ):  # fmt: skip
            await session.execute(
                update(Submission).where(Submission.id == row.id).values(**values)
            )
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")

    async with await signed_in(world, officer) as browser:
        status, page = await browser.get("/console/progress")
        assert status == 200
        rows = figures_of(page)
        assert len(rows) == len(place.villages)
        assert rows[0] == {
            "targets": 4,
            "submitted": 3,
            "complete": 2,
            "needs_info": 1,
            "accepted": 1,
            "rejected": 1,
            "today": 2,
            "week": 3,
        }
        assert rows[1]["targets"] == 1
        assert rows[1]["submitted"] == 1
        assert rows[1]["today"] == rows[1]["week"] == 0
        assert f'missing?village={thon_1.id}">2</a>' in page  # Lê Văn Cường, Phạm Thị Dung
        assert f'missing?village={thon_2.id}">1</a>' in page  # no CCCD, parcel unmatched

        async with browser.http.get(f"{browser.base}/console/progress/chart.svg") as response:
            assert response.status == 200
            assert response.content_type == "image/svg+xml"
            assert "script-src" not in response.headers["Content-Security-Policy"]
            svg = await response.text()
        widths = bar_widths(svg)
        # every bar of every village is drawn to one scale, from the table's very figures
        scale = widths[("targets", 0)] / rows[0]["targets"]
        for (series, row), width in widths.items():
            assert abs(width - scale * rows[row][series]) < 0.05, (series, row, width)
        assert {row for _, row in widths} == set(rows)

        status, page = await browser.get(f"/console/progress/missing?village={thon_1.id}")
        assert status == 200
        assert "Lê Văn Cường" in page
        assert "Phạm Thị Dung" in page
        assert "Nguyễn Văn An" not in page  # submitted (by CCCD)
        assert "Trần Thị Bình" not in page  # submitted (by sheet and parcel)
        assert "2 hộ chưa nộp" in page
        status, _ = await browser.get("/console/progress/missing?village=abc")
        assert status == 400
        status, _ = await browser.get("/console/progress/missing?village=999999")
        assert status == 404


async def test_a_chief_sees_their_village_and_an_admin_the_communes(world: World) -> None:
    place = await installed_hoa_phu(world)
    await import_targets(world.deps, TARGETS.encode(), province_code="66")
    await submit(world.deps, place, place.villages[1], holder="Hoàng Văn Em", cccd="066190000003")
    chief = await join_staff(world.deps, StaffRole.CHIEF, 7101, village="24175-01")
    admin = await join_staff(world.deps, StaffRole.ADMIN, 7301)
    async with await signed_in(world, chief) as browser:
        status, page = await browser.get("/console/progress")
        assert status == 200
        rows = figures_of(page)
        assert list(rows) == [0]
        assert rows[0]["targets"] == 4
        status, page = await browser.get(
            f"/console/progress/missing?village={place.villages[0].id}"
        )
        assert "Nguyễn Văn An" in page
        status, _ = await browser.get(f"/console/progress/missing?village={place.villages[1].id}")
        assert status == 404
    async with await signed_in(world, admin) as browser:
        status, page = await browser.get(f"/console/progress?commune={place.commune.id}")
        assert status == 200
        assert 'id="communes"' in page
        assert f'<a href="/console/progress?commune={place.commune.id}">Xã Hòa Phú</a>' in page
        assert f"chart.svg?commune={place.commune.id}" in page
        assert figures_of(page)[1]["submitted"] == 1


async def test_parcel_groups_on_the_dashboard_the_report_and_the_export(world: World) -> None:
    place = await installed_hoa_phu(world)
    header = "commune_code,household_name,village_code,cccd,map_sheet,parcel_no,group\n"
    first = (
        "24175,An,24175-01,,12,300,2\n24175,Bình,24175-01,,12,301,3\n24175,Em,24175-02,,13,1,3\n"
    )
    later = (
        "24175,An,24175-01,,12,300,1\n24175,Bình,24175-01,,12,301,3\n24175,Em,24175-02,,13,1,1\n"
    )
    await import_targets(world.deps, (header + first).encode(), province_code="66")
    await import_targets(world.deps, (header + later).encode(), province_code="66")
    an = await submit(
        world.deps, place, place.villages[0], holder="An", cccd="066090012345", map_sheet="12",
        parcel_no="300",
    )  # fmt: skip
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    async with await signed_in(world, officer) as browser:
        status, page = await browser.get("/console/progress")
        totals = dict(re.findall(r'data-total="(\w+)">(\d+)<', page))
        assert totals == {"group1": "2", "group2": "0", "group3": "1", "moved_to_1": "2"}
        status, kind, data = await download(browser, "/console/export/xlsx?state=all")
        rows = sheet_rows(data)
        column = rows[0].index("Nhóm thửa (1/2/3)")
        assert [(row[0], row[column]) for row in rows[1:]] == [(an.receipt_code, 1)]

    async with world.deps.database.sessions() as session:
        text = render_reply(await report_replies(session, place.commune.id, Language.VI, utcnow()))
    assert "nhóm 1 2, nhóm 2 0, nhóm 3 1; đã chuyển từ nhóm 2, 3 lên nhóm 1: 2" in text
