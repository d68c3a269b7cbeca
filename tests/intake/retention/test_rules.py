"""Retention's rules as tables: which states are ever purged, the cutoff day by day, when the
nightly run is due, which submissions are done with and which residents have nothing left to
keep; and the per-commune tallies."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta

import pytest

from intake.language import VIETNAM
from intake.retention import (
    FINAL_STATES,
    PURGED_STATES,
    RETENTION_HOUR,
    CommuneTally,
    Erased,
    Held,
    Purged,
    RetentionReport,
    cutoff,
    done_with,
    due,
    erasable,
    purgeable,
    tally,
)
from intake.submissions import CLOSED
from storage.states import SubmissionState

S = SubmissionState


def vn(day: int, hour: int = 0, minute: int = 0, month: int = 12) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VIETNAM)


@pytest.mark.parametrize(
    ("state", "purged"),
    [
        (S.SUBMITTED, False),
        (S.IN_REVIEW, False),
        (S.NEEDS_INFO, False),
        (S.RESUBMITTED, False),
        (S.WITHDRAWN, False),
        (S.ACCEPTED, True),
        (S.REJECTED, True),
    ],
)
def test_only_accepted_and_rejected_are_ever_purged(state: SubmissionState, purged: bool) -> None:
    assert purgeable(state) is purged
    assert (state in PURGED_STATES) is purged


def test_every_state_is_listed_and_the_final_ones_are_the_lifecycles_closed() -> None:
    assert {*PURGED_STATES, S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO, S.RESUBMITTED} | {
        S.WITHDRAWN
    } == set(S)
    assert FINAL_STATES == CLOSED


# now (Vietnam) · days · the cutoff (Vietnam): decisions before it are purged
@pytest.mark.parametrize(
    ("now", "days", "expected"),
    [
        (vn(4, 2), 1, vn(3)),  # decided on the 2nd or before: gone on the 4th
        (vn(4, 23, 59), 1, vn(3)),  # the whole day the same cutoff
        (vn(5, 0, 0), 1, vn(4)),
        (vn(4, 2), 90, vn(5, month=9)),
        (vn(1, 0, 30), 30, vn(1, month=11)),
        # 00:30 in Vietnam is still the previous day in UTC: the cutoff follows Vietnam's day
        (datetime(2026, 12, 3, 17, 30, tzinfo=UTC), 1, vn(3)),
        (datetime(2026, 12, 3, 16, 59, tzinfo=UTC), 1, vn(2)),
    ],
)
def test_the_cutoff_is_the_start_of_a_vietnam_day(
    now: datetime, days: int, expected: datetime
) -> None:
    assert cutoff(now, days) == expected
    assert cutoff(now, days).tzinfo is UTC


@pytest.mark.parametrize("days", [0, -1, 3651])
def test_a_retention_outside_the_bounds_is_refused(days: int) -> None:
    with pytest.raises(ValueError, match="1 to 3650 days"):
        cutoff(vn(4), days)


@pytest.mark.parametrize("decided_hour", [0, 9, 23])
def test_purged_on_day_n_plus_one_never_on_day_n(decided_hour: int) -> None:
    """Decided on day D: kept through day D + N, gone from the first run of day D + N + 1."""
    decided = vn(1, decided_hour, 1, month=10)
    for days in (1, 7, 90):
        day_n = datetime.combine(decided.date() + timedelta(days=days), time(23, 59, 59), VIETNAM)
        day_n_plus_1 = datetime.combine(
            decided.date() + timedelta(days=days + 1), time(0), VIETNAM
        )
        assert not done_with(Held(S.ACCEPTED, decided), cutoff(day_n, days))
        assert done_with(Held(S.ACCEPTED, decided), cutoff(day_n_plus_1, days))


# now (Vietnam) · the day it last ran · due for which day
@pytest.mark.parametrize(
    ("now", "done_on", "expected"),
    [
        (vn(4, 1, 59), None, None),  # before the hour
        (vn(4, 2, 0), None, date(2026, 12, 4)),
        (vn(4, 2, 0), date(2026, 12, 3), date(2026, 12, 4)),
        (vn(4, 13, 0), date(2026, 12, 4), None),  # ran today already
        (vn(4, 23, 59), None, date(2026, 12, 4)),  # started late: runs that day still
        (vn(5, 0, 30), date(2026, 12, 4), None),  # the next day, before the hour
        (vn(5, 2, 0), date(2026, 12, 4), date(2026, 12, 5)),
    ],
)
def test_the_nightly_run_is_due_once_a_day_from_its_hour(
    now: datetime, done_on: date | None, expected: date | None
) -> None:
    assert RETENTION_HOUR == 2
    assert due(now, RETENTION_HOUR, done_on) == expected


BEFORE = vn(1)  # the cutoff of these cases
OLD, NEW = vn(1) - timedelta(seconds=1), vn(1)


# a submission as retention sees it · done with (its fields may go)?
@pytest.mark.parametrize(
    ("held", "done"),
    [
        (Held(S.ACCEPTED, OLD), True),
        (Held(S.REJECTED, OLD), True),
        (Held(S.ACCEPTED, NEW), False),  # decided on the cutoff's day: kept
        (Held(S.REJECTED, NEW), False),
        (Held(S.ACCEPTED, None), False),  # no decision time known: kept
        (Held(S.WITHDRAWN, None), True),  # its documents went when it was withdrawn
        (Held(S.WITHDRAWN, NEW), True),
        (Held(S.SUBMITTED, OLD), False),
        (Held(S.IN_REVIEW, OLD), False),
        (Held(S.NEEDS_INFO, OLD), False),
        (Held(S.RESUBMITTED, OLD), False),
    ],
)
def test_which_submissions_are_done_with(held: Held, done: bool) -> None:
    assert done_with(held, BEFORE) is done


A_OLD, R_OLD, A_NEW = Held(S.ACCEPTED, OLD), Held(S.REJECTED, OLD), Held(S.ACCEPTED, NEW)
W, IR = Held(S.WITHDRAWN), Held(S.IN_REVIEW, OLD)


# a resident's own submissions · a draft in progress · nothing left to keep?
@pytest.mark.parametrize(
    ("own", "has_draft", "expected"),
    [
        ([A_OLD], False, True),
        ([A_OLD, R_OLD, W], False, True),
        ([W], False, True),
        ([A_OLD], True, False),  # a draft in progress: they are still with us
        ([A_OLD, A_NEW], False, False),  # one still within retention
        ([A_OLD, IR], False, False),  # one still in review
        ([], False, False),  # no fields to erase
        ([], True, False),
    ],
)
def test_which_residents_have_nothing_left_to_keep(
    own: list[Held], has_draft: bool, expected: bool
) -> None:
    assert erasable(own, has_draft=has_draft, before=BEFORE) is expected


def test_tallies_per_commune_count_people_once_and_runs_add_up() -> None:
    resident, household = uuid.uuid4(), uuid.uuid4()
    names = {1: ("24175", "Xã Hòa Phú"), 2: ("24490", "Xã Khác")}
    first = tally(
        [Purged(1, "HP-A", 3, 2, 1000), Purged(1, "HP-B", 1, 1, 10), Purged(2, "OT-C", 2, 2, 5)],
        [Erased(1, "HP-A", resident), Erased(1, "HP-B", resident), Erased(1, "HP-D", household)],
        names,
    )
    assert first == (
        CommuneTally(
            1, "24175", "Xã Hòa Phú", 2, 4, 3, 1010, 2, ("HP-A", "HP-B"), ("HP-A", "HP-B", "HP-D")
        ),
        CommuneTally(2, "24490", "Xã Khác", 1, 2, 2, 5, 0, ("OT-C",), ()),
    )
    report = RetentionReport(30, BEFORE, first)
    later = RetentionReport(30, BEFORE, tally([Purged(2, "OT-E", 1, 0, 0)], [], names))
    merged = report.merged(later)
    assert [c.submissions for c in merged.communes] == [2, 2]
    assert merged.total().documents == 7
    assert merged.communes[1].purged == ("OT-C", "OT-E")
    assert RetentionReport(30, BEFORE).empty
    assert not report.empty
    data = first[0].audit_data(30, BEFORE)
    assert data["submissions"] == 2
    assert data["bytes"] == 1010
    assert data["residents_erased"] == 2
    assert data["decided_before"] == BEFORE.isoformat()
