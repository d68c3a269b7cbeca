"""Routing (DESIGN.md, first answer wins): the chosen village, the parcel list, the target list,
the triage queue; and re-routing by an officer. The pure rule as a table, then each rule
through a real submission."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from intake.admin import import_parcels, import_targets
from intake.submissions import ReviewError, accept, assign, route_submission
from storage.deps import Deps
from storage.models import Event, Outbox, Staff, Submission
from storage.states import Route, StaffRole, SubmissionState
from tests.fixtures.commune import CHIEF_2, OFFICER, HoaPhu, join, submit


@pytest.mark.parametrize(
    ("chosen", "by_parcel", "by_target", "expected"),
    [
        (1, 2, 3, (1, Route.CHOSEN)),
        (None, 2, 3, (2, Route.PARCEL)),
        (None, None, 3, (3, Route.TARGET)),
        (None, 2, None, (2, Route.PARCEL)),
        (None, None, None, (None, Route.TRIAGE)),
        (1, None, None, (1, Route.CHOSEN)),
    ],
)
def test_the_first_rule_that_answers_wins(
    chosen: int | None, by_parcel: int | None, by_target: int | None, expected: object
) -> None:
    assert route_submission(chosen, by_parcel, by_target) == expected


async def _import_lists(deps: Deps) -> None:
    await import_parcels(
        deps,
        b"commune_code,map_sheet,parcel_no,village_code\n24175,12,345,24175-03\n24175,12,346,\n",
        province_code="66",
    )
    await import_targets(
        deps,
        "commune_code,village_code,household_name,cccd\n"
        "24175,24175-05,Trần Thị Bình,066185000001\n".encode(),
        province_code="66",
    )


@pytest.mark.parametrize(
    "case",
    [
        ("24175-01", ("12", "345"), "066185000001", "24175-01", Route.CHOSEN),
        (None, ("12", "345"), "066185000001", "24175-03", Route.PARCEL),
        (None, ("12", "346"), "066185000001", "24175-05", Route.TARGET),  # parcel: no village
        (None, (None, None), "066185000001", "24175-05", Route.TARGET),
        (None, ("99", "1"), "066090012345", None, Route.TRIAGE),
    ],
)
async def test_each_rule_through_a_submission(
    deps: Deps,
    hoa_phu: HoaPhu,
    case: tuple[str | None, tuple[str | None, str | None], str, str | None, Route],
) -> None:
    """(the village chosen, map sheet and parcel, CCCD) → the village and the rule."""
    chosen, sheet_parcel, cccd, village_code, route = case
    await _import_lists(deps)
    villages = {v.code: v for v in hoa_phu.villages}
    sheet, parcel = sheet_parcel
    made = await submit(
        deps,
        hoa_phu,
        villages[chosen] if chosen else None,
        holder="Trần Thị Bình",
        cccd=cccd,
        map_sheet=sheet,
        parcel_no=parcel,
    )
    assert made.route is route
    expected = villages[village_code].id if village_code else None
    assert made.village_id == expected


async def test_an_officer_reroutes_and_the_new_village_is_told(
    deps: Deps, hoa_phu: HoaPhu
) -> None:
    village_a, village_b = hoa_phu.villages[0], hoa_phu.villages[1]
    officer = await join(deps, StaffRole.OFFICER, OFFICER, commune="24175")
    await join(deps, StaffRole.CHIEF, CHIEF_2, village=village_b.code)
    made = await submit(deps, hoa_phu, village_a, holder="Lê Văn Cường", cccd="066090012345")
    async with deps.database.sessions.begin() as session:
        row = await session.get(Submission, made.id)
        staff = await session.get(Staff, officer.id)
        assert row is not None
        assert staff is not None
        await assign(session, deps, row, staff, village_b)
    async with deps.database.sessions() as session:
        row = await session.get(Submission, made.id)
        told = list(
            await session.scalars(select(Outbox.chat_id).where(Outbox.kind == "chief_new"))
        )
        assigned = await session.scalar(
            select(Event).where(Event.submission_id == made.id, Event.action == "assigned")
        )
    assert row is not None
    assert (row.village_id, row.route) == (village_b.id, Route.STAFF)
    assert told == [CHIEF_2]  # the new village's chief
    assert assigned is not None
    assert assigned.data["previous"] == village_a.id
    assert assigned.data["village_id"] == village_b.id
    # once accepted, it stays where it is
    async with deps.database.sessions.begin() as session:
        row = await session.get(Submission, made.id)
        staff = await session.get(Staff, officer.id)
        assert row is not None
        assert staff is not None
        await accept(session, deps, row, staff)
        assert row.state is SubmissionState.ACCEPTED
        with pytest.raises(ReviewError, match=r"review\.not_now"):
            await assign(session, deps, row, staff, village_a)
