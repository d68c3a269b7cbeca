"""The legal clocks as tables: working days (weekends, the fixed holidays, the announced days
off and swapped Saturdays), the two due days of a request received at a given moment (a Friday
evening, a weekend, across New Year and Tết, a year the table does not cover), each clock as it
stands, and which reminders are due when."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from intake.language import VIETNAM
from intake.requests import (
    Clocks,
    ClockState,
    Reminder,
    clock_state,
    clocks_for,
    covers,
    is_working_day,
    plan_reminders,
    reminder_time,
)
from storage.states import DataRequestState

R = Reminder
S = DataRequestState


def vn(text: str) -> datetime:
    """A Vietnam time written `YYYY-MM-DD HH:MM`."""
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=VIETNAM)


def day(text: str) -> date:
    return date.fromisoformat(text)


@pytest.mark.parametrize(
    ("when", "working"),
    [
        ("2026-03-02", True),  # a Monday
        ("2026-03-07", False),  # a Saturday
        ("2026-03-08", False),  # a Sunday
        ("2026-01-01", False),  # New Year (fixed)
        ("2026-01-02", False),  # the bridge Friday off
        ("2026-01-10", True),  # … worked on this Saturday instead
        ("2026-01-11", False),
        ("2026-02-13", True),  # the Friday before Tết
        ("2026-02-16", False),  # Tết Bính Ngọ: 16–20/2
        ("2026-02-20", False),
        ("2026-02-23", True),
        ("2026-04-27", False),  # Hùng Kings (Sunday 26/4): in lieu
        ("2026-04-30", False),  # fixed
        ("2026-05-01", False),  # fixed
        # National Day: only 2/9 and the day next to it (1/9) count off; the bridge Monday
        # 31/8 counts as worked, and so does the Saturday 22/8 worked for it (errs early)
        ("2026-08-22", True),
        ("2026-08-29", False),
        ("2026-08-31", True),
        ("2026-09-01", False),
        ("2026-09-02", False),
        ("2026-09-03", True),
        ("2027-01-01", False),
        ("2027-02-05", False),  # Tết Đinh Mùi (provisional)
        ("2027-02-11", False),
        ("2027-02-12", True),
        ("2027-04-16", False),  # Hùng Kings
        ("2027-05-03", False),  # 1/5 on a Saturday: in lieu
        ("2028-05-01", False),  # a year the table does not cover: the fixed dates still hold
        ("2028-05-02", True),
    ],
)
def test_working_days(when: str, working: bool) -> None:
    assert is_working_day(day(when)) is working


def test_the_table_says_which_years_it_covers() -> None:
    assert covers(2026)
    assert covers(2027)
    assert not covers(2028)


@pytest.mark.parametrize(
    ("received", "acknowledge_by", "complete_by"),
    [
        # a Monday morning: two working days, fifteen calendar days
        ("2026-03-02 10:00", "2026-03-04", "2026-03-17"),
        # the day of receipt never counts, whatever the hour
        ("2026-03-02 00:01", "2026-03-04", "2026-03-17"),
        ("2026-03-02 23:59", "2026-03-04", "2026-03-17"),
        # a Friday evening counts from Monday; day 15 is a Saturday: the next working day
        ("2026-03-06 20:00", "2026-03-10", "2026-03-23"),
        # a Saturday and a Sunday: the same Tuesday
        ("2026-03-07 09:00", "2026-03-10", "2026-03-23"),
        ("2026-03-08 09:00", "2026-03-10", "2026-03-23"),
        # across New Year: 1/1 and the bridge 2/1 off, then the weekend
        ("2025-12-31 09:00", "2026-01-06", "2026-01-15"),
        # on the Friday before the worked Saturday, which counts
        ("2026-01-09 15:00", "2026-01-12", "2026-01-26"),
        # across Tết
        ("2026-02-12 10:00", "2026-02-23", "2026-02-27"),
        ("2026-02-13 10:00", "2026-02-24", "2026-03-02"),
        # Hùng Kings in lieu, then 30/4–1/5
        ("2026-04-24 10:00", "2026-04-29", "2026-05-11"),
        ("2026-04-29 10:00", "2026-05-05", "2026-05-14"),
        # day 15 on the National Day holidays: after them
        ("2026-08-17 10:00", "2026-08-19", "2026-09-03"),
        # the Saturday worked for the 31/8 bridge counts; 31/8 counts as worked too
        ("2026-08-20 10:00", "2026-08-22", "2026-09-04"),
        ("2026-08-28 10:00", "2026-09-03", "2026-09-14"),
        # a year the table does not cover: weekends and the fixed dates only
        ("2028-12-29 10:00", "2029-01-03", "2029-01-15"),
    ],
)
def test_the_clocks_of_a_request(received: str, acknowledge_by: str, complete_by: str) -> None:
    clocks = clocks_for(vn(received))
    assert clocks.received_on == day(received[:10])
    assert (clocks.acknowledge_by, clocks.complete_by) == (day(acknowledge_by), day(complete_by))


def test_receipt_is_counted_in_vietnam_time() -> None:
    # 18:30 UTC on a Friday is already Saturday 01:30 in Vietnam
    clocks = clocks_for(datetime(2026, 3, 6, 18, 30, tzinfo=UTC))
    assert clocks.received_on == day("2026-03-07")
    assert clocks.acknowledge_by == day("2026-03-10")


DUE = day("2026-03-04")


@pytest.mark.parametrize(
    ("done", "now", "state"),
    [
        (None, "2026-03-03 12:00", ClockState.RUNNING),
        (None, "2026-03-04 00:00", ClockState.DUE_TODAY),
        (None, "2026-03-04 23:59", ClockState.DUE_TODAY),
        (None, "2026-03-05 00:00", ClockState.OVERDUE),
        ("2026-03-04 23:00", "2026-03-20 00:00", ClockState.MET),
        ("2026-03-05 08:00", "2026-03-20 00:00", ClockState.MET_LATE),
    ],
)
def test_a_clock_as_it_stands(done: str | None, now: str, state: ClockState) -> None:
    assert clock_state(DUE, vn(done) if done else None, vn(now)) is state


# received Monday 2026-03-02: acknowledge by Wed 03-04, complete by Tue 03-17
CLOCKS = Clocks(day("2026-03-02"), day("2026-03-04"), day("2026-03-17"))


@pytest.mark.parametrize(
    ("reminder", "at"),
    [
        (R.ACKNOWLEDGE_SOON, "2026-03-04 08:00"),  # the morning of the last day to acknowledge
        (R.ACKNOWLEDGE_OVERDUE, "2026-03-05 08:00"),  # the next working morning
        (R.COMPLETE_SOON, "2026-03-13 08:00"),  # 3 days before is a Saturday: the Friday
        (R.COMPLETE_OVERDUE, "2026-03-18 08:00"),
    ],
)
def test_when_each_reminder_is_due(reminder: Reminder, at: str) -> None:
    assert reminder_time(CLOCKS, reminder) == vn(at)


def test_an_overdue_reminder_waits_for_a_working_morning() -> None:
    friday = Clocks(day("2026-03-04"), day("2026-03-06"), day("2026-03-19"))
    assert reminder_time(friday, R.ACKNOWLEDGE_OVERDUE) == vn("2026-03-09 08:00")
    before_tet = Clocks(day("2026-02-04"), day("2026-02-13"), day("2026-02-19"))
    assert reminder_time(before_tet, R.ACKNOWLEDGE_OVERDUE) == vn("2026-02-23 08:00")


NONE = R.NONE


@pytest.mark.parametrize(
    ("now", "state", "sent", "send", "done"),
    [
        ("2026-03-04 07:59", S.RECEIVED, NONE, (), NONE),
        ("2026-03-04 08:00", S.RECEIVED, NONE, (R.ACKNOWLEDGE_SOON,), R.ACKNOWLEDGE_SOON),
        ("2026-03-04 15:00", S.RECEIVED, R.ACKNOWLEDGE_SOON, (), NONE),  # sent once
        ("2026-03-04 08:00", S.ACKNOWLEDGED, NONE, (), NONE),  # that clock is met
        (
            "2026-03-05 08:00",
            S.RECEIVED,
            R.ACKNOWLEDGE_SOON,
            (R.ACKNOWLEDGE_OVERDUE,),
            R.ACKNOWLEDGE_OVERDUE | R.ACKNOWLEDGE_SOON,
        ),
        # a job that was paused: the overdue one only, the "soon" done with it
        (
            "2026-03-06 10:00",
            S.RECEIVED,
            NONE,
            (R.ACKNOWLEDGE_OVERDUE,),
            R.ACKNOWLEDGE_SOON | R.ACKNOWLEDGE_OVERDUE,
        ),
        ("2026-03-13 08:00", S.ACKNOWLEDGED, NONE, (R.COMPLETE_SOON,), R.COMPLETE_SOON),
        (
            "2026-03-13 08:00",
            S.RECEIVED,
            R.ACKNOWLEDGE_SOON | R.ACKNOWLEDGE_OVERDUE,
            (R.COMPLETE_SOON,),
            R.COMPLETE_SOON,
        ),
        (
            "2026-03-18 08:00",
            S.RECEIVED,
            NONE,
            (R.ACKNOWLEDGE_OVERDUE, R.COMPLETE_OVERDUE),
            R.ACKNOWLEDGE_SOON | R.ACKNOWLEDGE_OVERDUE | R.COMPLETE_SOON | R.COMPLETE_OVERDUE,
        ),
        (
            "2026-03-18 08:00",
            S.ACKNOWLEDGED,
            R.COMPLETE_SOON,
            (R.COMPLETE_OVERDUE,),
            R.COMPLETE_SOON | R.COMPLETE_OVERDUE,
        ),
        ("2026-04-30 08:00", S.ACKNOWLEDGED, R.COMPLETE_SOON | R.COMPLETE_OVERDUE, (), NONE),
        ("2026-03-18 08:00", S.COMPLETED, NONE, (), NONE),
    ],
)
def test_which_reminders_are_due(
    now: str, state: DataRequestState, sent: Reminder, send: tuple[Reminder, ...], done: Reminder
) -> None:
    plan = plan_reminders(CLOCKS, state, sent, vn(now))
    assert plan.send == send
    assert plan.done == done
