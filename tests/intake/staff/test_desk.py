"""Staff in the domain, without Telegram: invitations, the staff desk refusing what the policy
refuses (and recording it), and the progress figures behind the daily report."""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from datetime import datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select

from intake.admin import import_targets, import_villages
from intake.language import VIETNAM, Language, render
from intake.reports import (
    missing_households,
    off_list_submissions,
    report_replies,
    village_figures,
)
from intake.staff import (
    InviteError,
    InviteProblem,
    StaffDesk,
    StaffSetupError,
    data_of,
    invite_from_cli,
    redeem_invite,
    staff_gaps,
)
from intake.staff._callbacks import Setting
from intake.submissions import accept, all_slots, ask_for_info, assign
from intake.submissions import withdraw as withdraw_submission
from storage.deps import Deps
from storage.models import Citizen, Outbox, Staff, Submission
from storage.models import Event as EventRow
from storage.states import ActorKind, StaffRole, SubmissionState
from tests.fixtures.commune import (
    CHIEF_1,
    CHIEF_2,
    COMMUNE,
    OFFICER,
    OTHER_RESIDENT,
    HoaPhu,
    command,
    join,
    keys,
    press,
    refusals,
    state_of,
    submit,
)

# --- invitations --------------------------------------------------------------------------------


async def test_an_invitation_is_redeemed_once(deps: Deps, hoa_phu: HoaPhu) -> None:
    issued = await invite_from_cli(
        deps,
        role=StaffRole.OFFICER,
        province_code=None,
        commune_code=COMMUNE,
        village_code=None,
    )
    assert issued.scope == hoa_phu.commune.name
    assert issued.start_payload == "i" + issued.token
    async with deps.database.sessions.begin() as session:
        staff = await redeem_invite(session, issued.token, telegram_user_id=OFFICER, language="vi")
    assert (staff.role, staff.commune_id, staff.village_id, staff.active) == (
        StaffRole.OFFICER,
        hoa_phu.commune.id,
        None,
        True,
    )
    with pytest.raises(InviteError) as used:
        async with deps.database.sessions.begin() as session:
            await redeem_invite(session, issued.token, telegram_user_id=9999, language="vi")
    assert used.value.problem is InviteProblem.USED
    async with deps.database.sessions() as session:
        members = list(await session.scalars(select(Staff)))
    assert [m.telegram_user_id for m in members] == [OFFICER]


async def test_a_chief_invitation_names_the_village(deps: Deps, hoa_phu: HoaPhu) -> None:
    village = hoa_phu.villages[2]
    chief = await join(deps, StaffRole.CHIEF, CHIEF_1, village=village.code)
    assert (chief.role, chief.commune_id, chief.village_id) == (
        StaffRole.CHIEF,
        hoa_phu.commune.id,
        village.id,
    )


async def test_an_expired_invitation_is_refused(deps: Deps, hoa_phu: HoaPhu) -> None:
    issued = await invite_from_cli(
        deps,
        role=StaffRole.OFFICER,
        province_code=None,
        commune_code=COMMUNE,
        village_code=None,
        ttl=timedelta(seconds=-1),
    )
    with pytest.raises(InviteError) as expired:
        async with deps.database.sessions.begin() as session:
            await redeem_invite(session, issued.token, telegram_user_id=OFFICER, language="vi")
    assert expired.value.problem is InviteProblem.EXPIRED


async def test_an_unknown_invitation_is_refused(deps: Deps, hoa_phu: HoaPhu) -> None:
    with pytest.raises(InviteError) as unknown:
        async with deps.database.sessions.begin() as session:
            await redeem_invite(
                session, "not-a-token-we-made-000", telegram_user_id=OFFICER, language="vi"
            )
    assert unknown.value.problem is InviteProblem.UNKNOWN


async def test_invitations_the_cli_cannot_make(deps: Deps, hoa_phu: HoaPhu) -> None:
    await import_villages(
        deps, b"commune_code,village_name\n24490,Th\xc3\xb4n 2\n", province_code="66"
    )
    with pytest.raises(StaffSetupError, match="not in commune 24175"):
        await invite_from_cli(
            deps,
            role=StaffRole.CHIEF,
            province_code=None,
            commune_code=COMMUNE,
            village_code="24490-01",
        )
    with pytest.raises(StaffSetupError, match="needs --village"):
        await invite_from_cli(
            deps,
            role=StaffRole.CHIEF,
            province_code=None,
            commune_code=COMMUNE,
            village_code=None,
        )
    with pytest.raises(StaffSetupError, match="no village with code"):
        await invite_from_cli(
            deps,
            role=StaffRole.CHIEF,
            province_code=None,
            commune_code=None,
            village_code="24175-99",
        )


async def test_a_used_invite_link_is_answered_and_recorded(
    deps: Deps, desk: StaffDesk, updates: Iterator[int]
) -> None:
    issued = await invite_from_cli(
        deps, role=StaffRole.CHIEF, province_code=None, commune_code=None, village_code="24175-01"
    )
    joined = await desk.handle(command(updates, CHIEF_1, "start", issued.start_payload))
    assert keys(joined) == ["invite.welcome_chief", "help.chief"]
    assert joined is not None
    assert joined.staff_changed
    again = await desk.handle(command(updates, OTHER_RESIDENT, "start", issued.start_payload))
    assert keys(again) == ["invite.used"]
    async with deps.database.sessions() as session:
        reuse = await session.scalar(
            select(EventRow).where(EventRow.action == "invite_reuse_refused")
        )
        assert (
            await session.scalar(select(Staff).where(Staff.telegram_user_id == OTHER_RESIDENT))
            is None
        )
    assert reuse is not None
    assert reuse.actor_id == f"tg:{OTHER_RESIDENT}"


# --- the staff desk refuses what the policy refuses ----------------------------------------------


@pytest.mark.parametrize("forged", ["s:oky:XXXXX", "s:oky:{receipt}", "s:o:{receipt}"])
async def test_a_resident_pressing_a_forged_staff_button(
    deps: Deps, hoa_phu: HoaPhu, desk: StaffDesk, updates: Iterator[int], forged: str
) -> None:
    submission = await submit(
        deps, hoa_phu, hoa_phu.villages[0], holder="Nguyễn Văn An", cccd="066090012345"
    )
    data = forged.format(receipt=submission.receipt_code)
    outcome = await desk.handle(press(updates, OTHER_RESIDENT, data))
    assert keys(outcome) == ["staff.only"]
    [refused] = await refusals(deps)
    assert refused.actor_kind is ActorKind.RESIDENT
    assert refused.actor_id == f"tg:{OTHER_RESIDENT}"
    assert refused.data["decision"] == "not_staff"
    assert refused.data["request"] == data
    assert await state_of(deps, submission) is SubmissionState.SUBMITTED


async def test_a_chief_cannot_accept_even_in_their_own_village(
    deps: Deps, hoa_phu: HoaPhu, desk: StaffDesk, updates: Iterator[int]
) -> None:
    village = hoa_phu.villages[0]
    chief = await join(deps, StaffRole.CHIEF, CHIEF_1, village=village.code)
    submission = await submit(deps, hoa_phu, village, holder="Nguyễn Văn An", cccd="066090012345")
    for data in (f"s:ok:{submission.receipt_code}", f"s:oky:{submission.receipt_code}"):
        outcome = await desk.handle(press(updates, CHIEF_1, data))
        assert keys(outcome) == ["staff.refused"]
    refused = await refusals(deps)
    assert [(e.actor_kind, e.actor_id) for e in refused] == [(ActorKind.STAFF, str(chief.id))] * 2
    assert {e.data["decision"] for e in refused} == {"not_your_role"}
    assert {e.data["action"] for e in refused} == {"review"}
    assert {e.data["village_id"] for e in refused} == {village.id}
    assert await state_of(deps, submission) is SubmissionState.SUBMITTED
    # the same button in an officer's hands does accept it
    await join(deps, StaffRole.OFFICER, OFFICER, commune=COMMUNE)
    outcome = await desk.handle(press(updates, OFFICER, f"s:oky:{submission.receipt_code}"))
    assert keys(outcome) == ["review.accepted"]
    assert await state_of(deps, submission) is SubmissionState.ACCEPTED


@pytest.mark.parametrize("role", [StaffRole.OFFICER, StaffRole.CHIEF])
async def test_the_province_wide_screens_are_asked_of_the_policy(
    deps: Deps, hoa_phu: HoaPhu, desk: StaffDesk, updates: Iterator[int], role: StaffRole
) -> None:
    """The admins' commune list (s:qc) is refused to an officer and a chief, and recorded."""
    place = {"commune": COMMUNE} if role is StaffRole.OFFICER else {}
    user = OFFICER if role is StaffRole.OFFICER else CHIEF_1
    staff = await join(deps, role, user, village=hoa_phu.villages[0].code, **place)
    for page in ("0", "3"):
        outcome = await desk.handle(press(updates, user, f"s:qc:{page}"))
        assert keys(outcome) == ["staff.refused"]  # no list of the province's communes
    refused = await refusals(deps)
    assert [(e.actor_id, e.data["action"]) for e in refused] == [(str(staff.id), "view_queue")] * 2
    assert {e.data["decision"] for e in refused} == {"out_of_scope"}


async def test_an_admin_gets_the_commune_list(
    deps: Deps, hoa_phu: HoaPhu, desk: StaffDesk, updates: Iterator[int]
) -> None:
    await join(deps, StaffRole.ADMIN, OFFICER)
    outcome = await desk.handle(press(updates, OFFICER, "s:qc:0"))
    assert keys(outcome) == ["queue.pick_commune"]
    assert await refusals(deps) == []


async def test_a_chief_opens_only_their_own_village(
    deps: Deps, hoa_phu: HoaPhu, desk: StaffDesk, updates: Iterator[int]
) -> None:
    village_a, village_b = hoa_phu.villages[0], hoa_phu.villages[1]
    await join(deps, StaffRole.CHIEF, CHIEF_1, village=village_a.code)
    own = await submit(deps, hoa_phu, village_a, holder="Nguyễn Văn An", cccd="066090012345")
    other = await submit(
        deps,
        hoa_phu,
        village_b,
        holder="Trần Thị Bình",
        cccd="066185000001",
        citizen_user_id=OTHER_RESIDENT,
    )
    outcome = await desk.handle(press(updates, CHIEF_1, f"s:o:{other.receipt_code}"))
    assert keys(outcome) == ["staff.refused"]
    [refused] = await refusals(deps)
    assert refused.data["decision"] == "out_of_scope"
    assert refused.data["action"] == "view_submission"
    assert refused.data["village_id"] == village_b.id
    # their own village's submission opens, without ID numbers, and stays waiting
    outcome = await desk.handle(press(updates, CHIEF_1, f"s:o:{own.receipt_code}"))
    assert outcome is not None
    [card] = outcome.replies
    assert card.key == "card.text"
    assert (card.params["name"], card.params["cccd"], card.params["phone"]) == (
        "Nguyễn Văn An",
        "•••",
        "—",
    )
    assert card.params["serial"] == "—"  # the land system's key is for officers
    assert card.keyboard is None  # no accept, reject or assign buttons
    assert await state_of(deps, own) is SubmissionState.SUBMITTED
    assert len(await refusals(deps)) == 1


async def test_the_officers_card_has_every_field_the_land_system_needs(
    deps: Deps, hoa_phu: HoaPhu, desk: StaffDesk, updates: Iterator[int]
) -> None:
    await join(deps, StaffRole.OFFICER, OFFICER, commune=COMMUNE)
    made = await submit(
        deps,
        hoa_phu,
        hoa_phu.villages[0],
        holder="Nguyễn Văn An",
        cccd="066090012345",
        map_sheet="12",
        parcel_no="345",
    )
    outcome = await desk.handle(press(updates, OFFICER, f"s:o:{made.receipt_code}"))
    assert outcome is not None
    [card] = outcome.replies
    text = render(Language.VI, card.key, card.params)
    for line in (
        "Người sử dụng đất: Nguyễn Văn An",
        "Số căn cước: 066090012345",
        "Số seri sổ: CS 123456",
        "Thửa (tờ/thửa): 12/345",
        "Thôn: Thôn 1",
    ):
        assert line in text
    unknown = await submit(
        deps, hoa_phu, hoa_phu.villages[0], holder="Lê Văn C", cccd="066090012399", serial=""
    )
    outcome = await desk.handle(press(updates, OFFICER, f"s:o:{unknown.receipt_code}"))
    assert outcome is not None
    text = render(Language.VI, outcome.replies[0].key, outcome.replies[0].params)
    assert "Số seri sổ: —" in text
    assert "người dân không biết số seri sổ" in text  # flagged for the officer
    triage = await submit(deps, hoa_phu, None, holder="Lê Văn D", cccd="066090012398")
    outcome = await desk.handle(press(updates, OFFICER, f"s:o:{triage.receipt_code}"))
    assert outcome is not None
    text = render(Language.VI, outcome.replies[0].key, outcome.replies[0].params)
    assert "Thôn: chưa rõ — cán bộ địa chính xã sẽ phân thôn" in text
    assert "Thôn: —" not in text


# --- progress and the daily report -------------------------------------------------------------

TARGETS = """commune_code,village_code,household_name,cccd,map_sheet,parcel_no
24175,24175-01,Nguyễn Văn An,066090012345,,
24175,24175-01,Trần Thị Bình,,12,345
24175,24175-01,Lê Văn Cường,066090012346,,
24175,24175-02,Phạm Thị Dung,066085000001,,
24175,,Hoàng Văn Em,,,
"""


def numbers(params: Mapping[str, object]) -> tuple[object, ...]:
    """A figures line as (village, targets, submitted, complete, needs info, accepted)."""
    return tuple(
        params[k]
        for k in ("village", "targets", "submitted", "complete", "needs_info", "accepted")
    )


@pytest.fixture
async def campaign(deps: Deps, hoa_phu: HoaPhu) -> HoaPhu:
    """Five targets; five submissions: accepted, needs info, withdrawn, complete, in triage."""
    result = await import_targets(deps, TARGETS.encode(), province_code="66")
    assert result.added == 5
    thon_1, thon_2 = hoa_phu.villages[0], hoa_phu.villages[1]
    officer = await join(deps, StaffRole.OFFICER, OFFICER, commune=COMMUNE)
    # An's, by CCCD: accepted
    accepted = await submit(deps, hoa_phu, thon_1, holder="Nguyễn Văn An", cccd="066090012345")
    # Bình's parcel, sent by a relative with another CCCD: the officer asks for more
    needs_info = await submit(
        deps,
        hoa_phu,
        thon_1,
        holder="Trần Văn Bảo",
        cccd="066070000099",
        citizen_user_id=5003,
        map_sheet="12",
        parcel_no="345",
    )
    # Cường's, withdrawn: he still counts as missing
    withdrawn = await submit(
        deps, hoa_phu, thon_1, holder="Lê Văn Cường", cccd="066090012346", citizen_user_id=5004
    )
    # someone in Thôn 2 who is not on the list, with every document in
    complete = await submit(
        deps, hoa_phu, thon_2, holder="Đỗ Thị Giang", cccd="001099000123", citizen_user_id=5005
    )
    # someone who does not know their village
    await submit(
        deps, hoa_phu, None, holder="Vũ Văn Hùng", cccd="079088000777", citizen_user_id=5006
    )
    async with deps.database.sessions.begin() as session:
        staff = await session.get(Staff, officer.id)
        assert staff is not None
        row = await session.get(Submission, accepted.id)
        assert row is not None
        await accept(session, deps, row, staff)
        row = await session.get(Submission, needs_info.id)
        assert row is not None
        await ask_for_info(session, deps, row, staff, slots=all_slots(row.certificate_status)[:1])
        citizen = await session.get(Citizen, withdrawn.citizen_id)
        assert citizen is not None
        assert await withdraw_submission(session, citizen, withdrawn.receipt_code) is not None
        row = await session.get(Submission, complete.id)
        assert row is not None
        row.complete = True  # as if its documents had all been sealed
    return hoa_phu


ZERO = [
    "Thôn 3",
    "Thôn 4",
    "Thôn 5",
    "Thôn 6",
    "Thôn Hòa Bình",
    "Thôn Tân Hòa",
    "Buôn Ea Kmát",
    "Buôn Kpông",
    "Buôn Ea Bar",
    "Thôn Đoàn Kết",
]
EXPECTED = [
    # village  targets, submitted, complete, needs info, accepted
    ("Thôn 1", 3, 2, 0, 1, 1),
    ("Thôn 2", 1, 1, 1, 0, 0),
    *((name, 0, 0, 0, 0, 0) for name in ZERO),
    ("(triage)", 1, 1, 0, 0, 0),
]


async def test_village_figures_and_missing_households(deps: Deps, campaign: HoaPhu) -> None:
    commune = campaign.commune
    async with deps.database.sessions() as session:
        figures = await village_figures(session, commune.id, triage_name="(triage)")
        one = await village_figures(session, commune.id, village_id=campaign.villages[0].id)
        missing = {
            village.code: await missing_households(session, deps, commune.id, village.id)
            for village in campaign.villages[:3]
        }
        first_only = await missing_households(
            session, deps, commune.id, campaign.villages[0].id, limit=0
        )
    assert [numbers(f.params()) for f in figures] == EXPECTED
    assert [f.village_id for f in figures] == [v.id for v in campaign.villages] + [None]
    assert [numbers(f.params()) for f in one] == EXPECTED[:1]
    # An matched by CCCD, Bình by parcel; Cường withdrew; Dung never sent
    assert missing == {
        "24175-01": (["Lê Văn Cường"], 1),
        "24175-02": (["Phạm Thị Dung"], 1),
        "24175-03": ([], 0),
    }
    assert first_only == ([], 1)


async def test_the_daily_report_text_and_chart_tell_the_same_numbers(
    deps: Deps, campaign: HoaPhu
) -> None:
    now = datetime(2026, 11, 20, 17, 0, tzinfo=VIETNAM)
    async with deps.database.sessions() as session:
        text, chart = await report_replies(session, campaign.commune.id, Language.EN, now)
        figures = await village_figures(
            session, campaign.commune.id, triage_name=render(Language.EN, "queue.triage")
        )
    assert text.key == "report.text"
    assert text.photo is None
    # the ten villages at zero are one line, not ten
    active = [("progress.line", f.params()) for f in figures if f.targets or f.submitted]
    assert text.params["lines_lines"] == [
        *active,
        ("report.quiet_villages", {"count": len(ZERO)}),
    ]
    lines = text.params["lines_lines"]
    assert isinstance(lines, list)
    assert [numbers(params) for _, params in lines[:-1]] == [
        EXPECTED[0],
        EXPECTED[1],
        ("No village yet", 1, 1, 0, 0, 0),
    ]
    totals = {k: v for k, v in text.params.items() if k.startswith("total_")}
    assert totals == {
        "total_targets": 5,
        "total_submitted": 4,
        "total_complete": 1,
        "total_needs_info": 1,
        "total_accepted": 1,
    }
    shown = render(Language.EN, text.key, text.params)
    assert f"Report for 20/11/2026 — {campaign.commune.name}" in shown
    assert "• Thôn 1: targets 3, submitted 2, complete 0, needs info 1, accepted 1" in shown
    assert "Total: targets 5, submitted 4" in shown
    assert f"• {len(ZERO)} other villages with no target and no submission yet" in shown
    assert "Thôn 3:" not in shown
    assert chart.key == "report.chart_caption"
    assert chart.photo is not None
    with Image.open(io.BytesIO(chart.photo)) as image:
        assert image.format == "PNG"
        image.verify()


async def test_start_up_names_communes_without_officer_and_villages_without_chief(
    deps: Deps, hoa_phu: HoaPhu
) -> None:
    assert await staff_gaps(deps) == (["24175"], 12)
    await join(deps, StaffRole.OFFICER, 501, commune="24175")
    await join(deps, StaffRole.CHIEF, 502, village="24175-01")
    assert await staff_gaps(deps) == ([], 11)


async def test_an_officer_is_not_alerted_of_her_own_rerouting(deps: Deps, hoa_phu: HoaPhu) -> None:
    officer = await join(deps, StaffRole.OFFICER, OFFICER, commune=COMMUNE)
    await join(deps, StaffRole.OFFICER, OFFICER + 1, commune=COMMUNE)
    made = await submit(deps, hoa_phu, None, holder="Trần Thị Bình", cccd="066190000001")
    async with deps.database.sessions.begin() as session:
        submission = await session.get(Submission, made.id)
        acting = await session.get(Staff, officer.id)
        assert submission is not None
        assert acting is not None
        before = set(await session.scalars(select(Outbox.id)))
        await assign(session, deps, submission, acting, hoa_phu.villages[1])  # no chief there
    async with deps.database.sessions() as session:
        told = [
            row.chat_id
            for row in await session.scalars(
                select(Outbox).where(Outbox.kind.in_(("officer_new", "officer_batch")))
            )
            if row.id not in before
        ]
    assert told == [OFFICER + 1]  # the colleague, not the officer who moved it


async def test_the_digest_setting_says_its_hour(
    deps: Deps, hoa_phu: HoaPhu, desk: StaffDesk, updates: Iterator[int]
) -> None:
    await join(deps, StaffRole.CHIEF, CHIEF_1, village="24175-01")

    def said(outcome: object) -> str:
        assert outcome is not None
        reply = outcome.replies[0]  # type: ignore[attr-defined]
        return render(Language.VI, reply.key, reply.params)

    chosen = await desk.handle(press(updates, CHIEF_1, data_of(Setting("digest"))))
    assert "mỗi ngày lúc 18:00 (giờ Việt Nam)" in said(chosen)
    shown = await desk.handle(command(updates, CHIEF_1, "settings"))
    assert "tóm tắt mỗi ngày một lần, lúc 18:00" in said(shown)


async def test_progress_matches_whatever_the_route_and_names_who_is_off_the_list(
    deps: Deps, campaign: HoaPhu, desk: StaffDesk, updates: Iterator[int]
) -> None:
    thon_1, thon_2 = campaign.villages[0], campaign.villages[1]
    # Dung (a target of Thôn 2) sent hers through the triage queue: she is no longer missing
    await submit(
        deps, campaign, None, holder="Phạm Thị Dung", cccd="066085000001", citizen_user_id=5007
    )
    async with deps.database.sessions() as session:
        names, missing = await missing_households(session, deps, campaign.commune.id, thon_2.id)
        off, count = await off_list_submissions(session, deps, campaign.commune.id, thon_2.id)
        on_list = await off_list_submissions(session, deps, campaign.commune.id, thon_1.id)
    assert (names, missing) == ([], 0)
    # Giang is in Thôn 2 but on no list: named as such
    assert count == 1
    assert [name for _, name in off] == ["Đỗ Thị Giang"]
    assert on_list == ([], 0)  # Thôn 1's submissions all match a household (by CCCD or parcel)
    await join(deps, StaffRole.CHIEF, CHIEF_2, village=thon_2.code)
    outcome = await desk.handle(command(updates, CHIEF_2, "progress"))
    assert outcome is not None
    shown = " ".join(render(Language.EN, r.key, r.params) for r in outcome.replies)
    assert "Submitted but not on the household list (1):" in shown
    assert "Đỗ Thị Giang" in shown
