"""The audit log page and its CSV through the console's HTTP side (the browser's own view is in
test_audit_browser.py): the commune's events newest first, each filter narrowing exactly, pages
of 50 that keep the filter, nothing of another commune, a chief refused, the CSV holding exactly
the filtered events and being an event itself, the chain's verification (intact, then broken at
the event altered in the database), and a clear page for every bad input."""

from __future__ import annotations

import asyncio
import csv
import io
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

import intake.console._audit
import storage.repositories.audit
from intake.console import ACTIONS
from intake.language import CATALOG, VIETNAM
from storage.models import Commune, Event, Staff
from storage.repositories.audit import append_event
from storage.states import ActorKind, StaffRole
from tests.fixtures.commune import join as join_staff
from tests.fixtures.commune import submit
from tests.fixtures.console import Browser, installed_hoa_phu, signed_in
from tests.fixtures.world import World

REPO = Path(__file__).resolve().parents[2]
ROW = re.compile(r'<tr id="event-(\d+)">')


def shown(page: str) -> list[int]:
    return [int(found) for found in ROW.findall(page)]


async def event_ids(world: World, *where: Any) -> list[int]:
    """The ids of the events matching `where`, newest first, as the page orders them."""
    async with world.deps.database.sessions() as session:
        found = await session.scalars(select(Event.id).where(*where).order_by(Event.id.desc()))
        return list(found)


async def record(
    world: World,
    commune_id: int | None,
    action: str = "console_signed_in",
    *,
    at: datetime | None = None,
    count: int = 1,
    **fields: Any,
) -> None:
    """Events appended as the code appends them (chained); `at`: their recorded time."""
    fields.setdefault("actor_kind", ActorKind.SYSTEM)
    fields.setdefault("actor_id", None)
    with pytest.MonkeyPatch.context() as patch:
        if at is not None:
            patch.setattr(storage.repositories.audit, "utcnow", lambda: at)
        async with world.deps.database.sessions.begin() as session:
            for _ in range(count):
                await append_event(session, action=action, commune_id=commune_id, **fields)


async def other_commune(world: World) -> int:
    async with world.deps.database.sessions() as session:
        found = await session.scalar(
            select(Commune.id).where(Commune.code != "24175").order_by(Commune.code).limit(1)
        )
    assert found is not None
    return found


async def download(browser: Browser, path: str) -> tuple[int, str, bytes]:
    async with browser.http.get(browser.base + path) as response:
        return response.status, response.headers["Content-Type"], await response.read()


async def audit_exports(world: World, count: int) -> list[dict[str, Any]]:
    """The `audit_exported` events, once `count` of them are written (when a download ends)."""
    for _ in range(100):
        async with world.deps.database.sessions() as session:
            found = list(
                await session.scalars(
                    select(Event).where(Event.action == "audit_exported").order_by(Event.id)
                )
            )
        if len(found) >= count:
            return [dict(event.data) for event in found]
        await asyncio.sleep(0.05)
    raise AssertionError("the CSV's audit event was not written")


def test_every_recorded_action_is_in_the_filter_with_words() -> None:
    recorded = set()
    for folder in ("intake", "storage", "handlers", "bot", "console"):
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            recorded |= set(re.findall(r'\baction="([a-z_]+)"', text))
            recorded |= set(re.findall(r'"(console_unlock\w+)"', text))
    assert recorded <= set(ACTIONS), recorded - set(ACTIONS)
    assert "console_unlock_failed" in recorded
    missing = [action for action in ACTIONS if f"console.event_{action}" not in CATALOG]
    assert missing == []


async def test_the_communes_events_newest_first_with_what_happened(world: World) -> None:
    place = await installed_hoa_phu(world)
    made = await submit(
        world.deps, place, place.villages[0], holder="Nguyễn Văn An", cccd="1" * 12
    )
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    async with world.deps.database.sessions.begin() as session:
        row = await session.get(Staff, officer.id)
        assert row is not None
        row.display_name = "Lê Thị Hoa"
    await record(
        world,
        place.commune.id,
        "rejected",
        actor_kind=ActorKind.STAFF,
        actor_id=str(officer.id),
        submission_id=made.id,
        note="<b>ảnh mờ</b>",
        data={"reason": "<script>x</script>", "slots": ["cccd_front"]},
    )
    elsewhere = await other_commune(world)
    await record(world, elsewhere, "console_signed_in", note="ở xã khác")
    async with await signed_in(world, officer) as browser:
        status, page = await browser.get("/console/audit")
    assert status == 200
    expected = await event_ids(world, Event.commune_id == place.commune.id)
    assert shown(page) == expected  # newest first, every one of the commune's
    assert "ở xã khác" not in page
    assert f"Nhật ký hoạt động · {place.commune.name}" in page
    (rejected,) = await event_ids(world, Event.action == "rejected")
    cells = page.split(f'<tr id="event-{rejected}">', 1)[1].split("</tr>", 1)[0]
    assert "Lê Thị Hoa" in cells
    assert "không tiếp nhận" in cells
    assert f'<a href="/console/s/{made.receipt_code}">{made.receipt_code}</a>' in cells
    assert "&lt;b&gt;ảnh mờ&lt;/b&gt;" in cells  # escaped, never markup
    assert "reason: &lt;script&gt;x&lt;/script&gt; · slots: [&#34;cccd_front&#34;]" in cells
    assert "<script>x" not in page
    (submitted,) = await event_ids(world, Event.action == "submitted")
    assert f'<tr id="event-{submitted}">' in page
    assert "Người nộp" in page.split(f'<tr id="event-{submitted}">', 1)[1].split("</tr>")[0]


async def test_each_filter_narrows_exactly(world: World) -> None:
    place = await installed_hoa_phu(world)
    commune = place.commune.id
    first = await submit(world.deps, place, place.villages[0], holder="An", cccd="1" * 12)
    second = await submit(world.deps, place, place.villages[1], holder="Bình", cccd="2" * 12)
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    colleague = await join_staff(world.deps, StaffRole.OFFICER, 7002, commune="24175")
    for who in (officer, colleague):
        await record(
            world,
            commune,
            "review_started",
            actor_kind=ActorKind.STAFF,
            actor_id=str(who.id),
            submission_id=first.id,
        )
    # the last moment of 1 March and the first of 2 March, Vietnam time (UTC+7)
    late = datetime(2025, 3, 1, 16, 59, 59, tzinfo=UTC)
    early = datetime(2025, 3, 1, 17, 0, 0, tzinfo=UTC)
    await record(world, commune, "pull", at=late, actor_kind=ActorKind.ADMIN_CLI)
    await record(world, commune, "pull", at=early, actor_kind=ActorKind.ADMIN_CLI)
    mine = Event.commune_id == commune
    async with await signed_in(world, officer) as browser:
        cases = {
            "?action=submitted": [mine, Event.action == "submitted"],
            "?action=review_started": [mine, Event.action == "review_started"],
            f"?actor=staff:{colleague.id}": [
                mine,
                Event.actor_kind == ActorKind.STAFF,
                Event.actor_id == str(colleague.id),
            ],
            "?actor=resident": [mine, Event.actor_kind == ActorKind.RESIDENT],
            "?actor=admin_cli": [mine, Event.actor_kind == ActorKind.ADMIN_CLI],
            f"?receipt={first.receipt_code.lower()}": [mine, Event.submission_id == first.id],
            f"?receipt={second.receipt_code}&action=submitted": [
                mine,
                Event.submission_id == second.id,
                Event.action == "submitted",
            ],
            "?to=2025-03-01": [mine, Event.at < early],
            "?from=2025-03-02&to=2025-03-02": [mine, Event.at == early],
            "?from=2025-03-01&to=2025-03-01&actor=admin_cli": [mine, Event.at == late],
            "?from=2025-03-03": [mine, Event.at > early],
        }
        for query, where in cases.items():
            status, page = await browser.get("/console/audit" + query)
            assert status == 200, (query, page)
            expected = await event_ids(world, *where)
            assert expected, query
            assert shown(page) == expected, query
        # the selects offer the staff who acted here, by name, and the kinds of actor
        status, page = await browser.get("/console/audit")
        assert f'<option value="staff:{colleague.id}">' in page
        assert '<option value="resident">Người nộp</option>' in page
        assert '<option value="audit_exported">tải nhật ký (CSV)</option>' in page
        status, page = await browser.get("/console/audit?action=accepted")
        assert shown(page) == []
        assert "Không có sự kiện nào khớp bộ lọc." in page
        assert '<option value="accepted" selected>' in page


async def test_pages_of_fifty_keep_the_filter(world: World) -> None:
    place = await installed_hoa_phu(world)
    await record(world, place.commune.id, "pull", count=60, actor_kind=ActorKind.ADMIN_CLI)
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    expected = await event_ids(world, Event.commune_id == place.commune.id, Event.action == "pull")
    async with await signed_in(world, officer) as browser:
        status, page = await browser.get("/console/audit?action=pull")
        assert shown(page) == expected[:50]
        assert "Trang 1/2" in page
        assert 'href="/console/audit?action=pull&amp;page=1" rel="next"' in page
        status, page = await browser.get("/console/audit?action=pull&page=1")
        assert shown(page) == expected[50:]
        assert 'href="/console/audit?action=pull" rel="prev"' in page
        assert 'rel="next"' not in page
        status, page = await browser.get("/console/audit?action=pull&page=2")
        assert status == 400
        assert "Không có trang 3: bộ lọc này có 2 trang." in page


async def test_another_communes_events_are_never_shown(world: World) -> None:
    await installed_hoa_phu(world)
    elsewhere = await other_commune(world)
    await record(world, elsewhere, "pull", note="xã khác", actor_kind=ActorKind.ADMIN_CLI)
    await record(world, None, "units_imported", note="cả tỉnh", actor_kind=ActorKind.ADMIN_CLI)
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    admin = await join_staff(world.deps, StaffRole.ADMIN, 7301)
    theirs = set(await event_ids(world, Event.commune_id == elsewhere))
    async with await signed_in(world, officer) as browser:
        for query in ("", f"?commune={elsewhere}", "?action=pull"):
            status, page = await browser.get("/console/audit" + query)
            assert status == 200
            assert not theirs & set(shown(page))
            assert "xã khác" not in page
            assert "cả tỉnh" not in page
        status, data = (await download(browser, f"/console/audit.csv?commune={elsewhere}"))[::2]
        assert "xã khác" not in data.decode("utf-8-sig")
    async with await signed_in(world, admin) as browser:
        status, page = await browser.get("/console/audit")
        assert f'<option value="{elsewhere}"' in page  # the province's communes to pick from
        status, page = await browser.get(f"/console/audit?commune={elsewhere}")
        assert set(shown(page)) == theirs
        assert "cả tỉnh" not in page  # no commune: not shown here (intake/console/_audit.py)


async def test_a_chief_is_refused(world: World) -> None:
    await installed_hoa_phu(world)
    chief = await join_staff(world.deps, StaffRole.CHIEF, 7101, village="24175-01")
    async with await signed_in(world, chief) as browser:
        status, page = await browser.get("/console/audit")
        assert status == 403
        assert "Trưởng thôn không xem được nhật ký hoạt động" in page
        assert 'href="/console/audit"' not in page  # no link to it in the bar either
        status, page = await browser.get("/console/audit.csv")
        assert status == 403
    async with world.deps.database.sessions() as session:
        refusals = list(
            await session.scalars(select(Event).where(Event.action == "staff_refused"))
        )
    assert [(e.actor_id, e.data["what"], e.data["decision"]) for e in refusals] == [
        (str(chief.id), "view_audit", "not_your_role")
    ] * 2


async def test_the_csv_holds_exactly_the_filtered_events_and_is_recorded(world: World) -> None:
    place = await installed_hoa_phu(world)
    made = await submit(world.deps, place, place.villages[0], holder="An", cccd="1" * 12)
    await record(
        world,
        place.commune.id,
        "needs_info",
        submission_id=made.id,
        note='=HYPERLINK("http://x")',
        data={"slots": ["cccd_back"], "ghi chú": "trang 2"},
    )
    await record(world, place.commune.id, "pull", count=3, actor_kind=ActorKind.ADMIN_CLI)
    await record(world, await other_commune(world), "needs_info", note="xã khác")
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    async with await signed_in(world, officer) as browser:
        status, page = await browser.get("/console/audit?action=needs_info")
        assert 'href="/console/audit.csv?action=needs_info"' in page
        status, kind, data = await download(browser, "/console/audit.csv?action=needs_info")
        assert (status, kind) == (200, "text/csv; charset=utf-8")
        assert data.startswith(b"\xef\xbb\xbf")
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert table[0] == [
            "Số sự kiện",
            "Thời gian (giờ Việt Nam)",
            "Loại người thực hiện",
            "Người thực hiện",
            "Mã người thực hiện",
            "Việc",
            "Mã việc",
            "Mã hồ sơ",
            "Ghi chú",
            "Chi tiết (JSON)",
        ]
        expected = await event_ids(
            world, Event.commune_id == place.commune.id, Event.action == "needs_info"
        )
        assert [int(line[0]) for line in table[1:]] == expected
        line = table[1]
        assert line[2:] == [
            "Hệ thống",
            "Hệ thống",
            "",
            "yêu cầu bổ sung",
            "needs_info",
            made.receipt_code,
            '\'=HYPERLINK("http://x")',  # text, never a formula
            '{"ghi chú":"trang 2","slots":["cccd_back"]}',
        ]
        assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d", line[1])

        status, _, data = await download(browser, "/console/audit.csv?actor=admin_cli")
        table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        expected = await event_ids(
            world,
            Event.commune_id == place.commune.id,
            Event.actor_kind == ActorKind.ADMIN_CLI,
        )
        assert [int(line[0]) for line in table[1:]] == expected
        assert len(expected) == 4  # the three, and the commune key's making
    recorded = await audit_exports(world, 2)
    assert recorded[0] == {
        "via": "console",
        "filter": {"action": "needs_info"},
        "rows": 1,
        "complete": True,
    }
    assert recorded[1]["rows"] == 4
    async with await signed_in(world, officer) as browser:  # the export shows in the log
        status, page = await browser.get("/console/audit?action=audit_exported")
        assert len(shown(page)) == 2


async def test_a_csv_with_nothing_or_too_much_is_a_page(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    place = await installed_hoa_phu(world)
    await record(world, place.commune.id, "pull", count=4, actor_kind=ActorKind.ADMIN_CLI)
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    monkeypatch.setattr(intake.console._audit, "MAX_CSV", 3)
    async with await signed_in(world, officer) as browser:
        status, page = await browser.get("/console/audit.csv?action=pull")
        assert status == 413
        assert "Bộ lọc này có 4 sự kiện, quá 3 cho một tệp CSV." in page
        status, page = await browser.get("/console/audit.csv?action=accepted")
        assert status == 200
        assert "không có gì để tải" in page


async def test_the_chain_is_verified_and_an_altered_event_named(world: World) -> None:
    place = await installed_hoa_phu(world)
    await record(world, place.commune.id, "pull", count=3, actor_kind=ActorKind.ADMIN_CLI)
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    async with await signed_in(world, officer) as browser:
        status, page = await browser.get("/console/audit")
        async with world.deps.database.sessions() as session:
            everything = len(list(await session.scalars(select(Event.id))))
        assert "Chuỗi nhật ký nguyên vẹn" in page
        assert f"đã kiểm tra {everything} sự kiện" in page  # the sign-in's own is in it
        altered = (await event_ids(world, Event.action == "pull"))[1]
        async with world.deps.database.sessions.begin() as session:
            await session.execute(update(Event).where(Event.id == altered).values(note="sửa"))
            at = await session.scalar(select(Event.at).where(Event.id == altered))
        assert at is not None
        status, page = await browser.get("/console/audit?action=accepted")
        assert status == 200
        assert "nguyên vẹn" not in page
        when = at.astimezone(VIETNAM).strftime("%d/%m/%Y %H:%M:%S")
        assert f"Chuỗi nhật ký bị hỏng tại sự kiện #{altered} ({when})" in page


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("?from=2025-13-01", "Ngày không đúng"),
        ("?to=31/03/2025", "Ngày không đúng"),
        ("?from=2025-03-02&to=2025-03-01", "Ngày bắt đầu phải trước"),
        ("?action=drop_table", "Không có việc này trong nhật ký"),
        ("?receipt=hello", "Đây không phải mã hồ sơ"),
        ("?receipt=" + "A" * 200, "Đây không phải mã hồ sơ"),
        ("?actor=staff:x", "Bộ lọc nhật ký trong địa chỉ không đúng"),
        ("?actor=everyone", "Bộ lọc nhật ký trong địa chỉ không đúng"),
        ("?page=-1", "Bộ lọc nhật ký trong địa chỉ không đúng"),
        ("?page=99999999", "Bộ lọc nhật ký trong địa chỉ không đúng"),
        ("?page=5", "Không có trang 6"),
        ("?commune=1e3", "Bộ lọc nhật ký trong địa chỉ không đúng"),
    ],
)
async def test_bad_input_is_a_clear_page(world: World, query: str, words: str) -> None:
    await installed_hoa_phu(world)
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    async with await signed_in(world, officer) as browser:
        for path in ("/console/audit", "/console/audit.csv"):
            if path.endswith(".csv") and "page=5" in query:
                continue  # a CSV has no pages
            status, page = await browser.get(path + query)
            assert status == 400, (path, query)
            assert words in page, (path, query)
            assert "Traceback" not in page


async def test_an_english_reader_gets_english(world: World) -> None:
    await installed_hoa_phu(world)
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    async with await signed_in(world, officer) as browser:
        async with world.deps.database.sessions.begin() as session:
            await session.execute(
                update(Staff).where(Staff.id == officer.id).values(language="en")
            )
        status, page = await browser.get("/console/audit")
        assert "The audit chain is intact" in page
        assert '<option value="console_signed_in">signed in</option>' in page
        status, page = await browser.get("/console/audit?receipt=nope")
        assert status == 400
        assert "That is not a receipt code." in page
