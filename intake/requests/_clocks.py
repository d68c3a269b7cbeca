"""The legal clocks of a data-subject request, and when the officers are reminded (pure).

Personal Data Protection Law 91/2025 and Decree 356/2025: a controller acknowledges a data
subject's request within 2 working days and completes it within 15 days. How hoso counts
(decisions where the law leaves the counting to the Civil Code):

- **Receipt** is the moment the request is recorded. Its Vietnam day is day 0: a period
  counted in days starts the next day, whatever the hour (Civil Code 2015, art. 147), so a
  request sent on Friday evening counts from Monday like one sent on Friday morning.
- **Acknowledge by** the 2nd working day after the day of receipt.
- **Complete by** the 15th calendar day after the day of receipt ("15 ngày": days, not
  working days); when that day is not a working day, the next working day (Civil Code
  art. 148: a period that ends on a day off ends at the end of the next working day).
- A clock runs out at the end of its day (Vietnam time); the next day it is overdue.
- **Working days** are Monday to Friday, less the public holidays, plus the Saturdays worked
  in exchange for a bridge day off. The fixed-date holidays (1/1, 30/4, 1/5, 2/9) hold every
  year; the holidays that follow the lunar calendar (Tết, the Hùng Kings' day), the day next
  to 2/9, the days off in lieu of a holiday on a weekend and the swapped days are announced
  each year by the government (Bộ Nội vụ's notice for public servants) and are kept in
  `DAYS_OFF` and `WORKED_WEEKENDS` below, for 2026 and 2027 only. THE TABLE MUST BE EXTENDED
  each year when the notice is published: for a year it does not cover, only weekends and the
  fixed dates are days off (`covers(year)` says so, and the reminder job logs a warning). 2027
  is provisional: the statutory days as the Labour Code places them (Tết: 29 Tết and mùng 1–4,
  the weekend days in lieu), to be replaced by the announced schedule.

Reminders to the commune's officers, each at 08:00 Vietnam time on a working day:

- **acknowledge soon**: on the morning of the acknowledge-by day (the last working day to
  acknowledge), if the request is still unacknowledged;
- **complete soon**: on the morning of the last working day on or before the day 3 days
  before complete-by, if it is not completed;
- **overdue**: once per clock, on the first working morning after the clock ran out.

When a job catches up after a pause and a clock's "overdue" is due, its "soon" is no longer
sent (it is recorded as done with it).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import IntFlag, StrEnum

from intake.language import VIETNAM
from storage.states import DataRequestState

__all__ = [
    "ACKNOWLEDGE_WORKING_DAYS",
    "COMPLETE_DAYS",
    "DAYS_OFF",
    "FIXED_HOLIDAYS",
    "REMINDER_HOUR",
    "WORKED_WEEKENDS",
    "ClockState",
    "Clocks",
    "Reminder",
    "ReminderPlan",
    "clock_state",
    "clocks_for",
    "covers",
    "is_working_day",
    "next_working_day",
    "plan_reminders",
    "reminder_time",
    "working_days_after",
]

ACKNOWLEDGE_WORKING_DAYS = 2
COMPLETE_DAYS = 15
COMPLETE_WARNING = timedelta(days=3)
REMINDER_HOUR = 8  # Vietnam time: the morning, when a commune office opens

# month, day: a day off every year (Labour Code 2019, art. 112)
FIXED_HOLIDAYS = frozenset({(1, 1), (4, 30), (5, 1), (9, 2)})

# The weekdays off announced for public servants, beyond the fixed dates (module docstring).
DAYS_OFF: dict[int, frozenset[date]] = {
    2026: frozenset(
        {
            date(2026, 1, 2),  # New Year: Friday 2/1 off, worked on Saturday 10/1
            *(date(2026, 2, day) for day in range(16, 21)),  # Tết Bính Ngọ: 16–20/2
            date(2026, 4, 27),  # Hùng Kings (10/3 lunar, Sunday 26/4): in lieu
            # National Day: only the statutory days, 2/9 (fixed) and the day next to it, which
            # the Prime Minister chose to be 1/9 (Văn phòng Chính phủ, October 2025: off from
            # Saturday 29/8 to Wednesday 2/9). The swap of Monday 31/8 for Saturday 22/8 is
            # left out: 31/8 counts as worked, so a clock near it errs early, never late.
            date(2026, 9, 1),
        }
    ),
    2027: frozenset(  # provisional: the statutory days, to be replaced by the notice
        {
            date(2027, 2, 5),  # Tết Đinh Mùi: 29 Tết (Friday)
            *(date(2027, 2, day) for day in range(8, 12)),  # mùng 3–4, and 2 days in lieu
            date(2027, 4, 16),  # Hùng Kings (10/3 lunar, Friday)
            date(2027, 5, 3),  # 1/5 is a Saturday: Monday in lieu
            date(2027, 9, 3),  # National Day: the day next to 2/9
        }
    ),
}
# Saturdays (or Sundays) worked in exchange for a bridge day off. 22/8/2026 is worked for the
# 31/8 bridge, which the table does not count off (above): counting it can only make a clock
# earlier.
WORKED_WEEKENDS = frozenset({date(2026, 1, 10), date(2026, 8, 22)})


def covers(year: int) -> bool:
    """Whether the table knows the year's announced days off."""
    return year in DAYS_OFF


def is_working_day(day: date) -> bool:
    if day in WORKED_WEEKENDS:
        return True
    if day.weekday() >= 5 or (day.month, day.day) in FIXED_HOLIDAYS:
        return False
    return day not in DAYS_OFF.get(day.year, frozenset())


def next_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the first working day after it."""
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def _last_working_day(day: date) -> date:
    """`day` itself if it is a working day, else the last working day before it."""
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_days_after(day: date, count: int) -> date:
    """The `count`-th working day after `day` (which is not counted)."""
    while count > 0:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


@dataclass(frozen=True, slots=True)
class Clocks:
    """A request's clocks: the Vietnam day it was received and its two due days (each runs
    to the end of its day)."""

    received_on: date
    acknowledge_by: date
    complete_by: date


def clocks_for(received_at: datetime) -> Clocks:
    """The clocks of a request received at `received_at` (an aware time)."""
    day = received_at.astimezone(VIETNAM).date()
    return Clocks(
        received_on=day,
        acknowledge_by=working_days_after(day, ACKNOWLEDGE_WORKING_DAYS),
        complete_by=next_working_day(day + timedelta(days=COMPLETE_DAYS)),
    )


class ClockState(StrEnum):
    """One clock as people read it."""

    RUNNING = "running"  # due after today
    DUE_TODAY = "due_today"
    OVERDUE = "overdue"  # not done, and its day is past
    MET = "met"  # done by its day
    MET_LATE = "met_late"  # done, after its day


def clock_state(due: date, done_at: datetime | None, now: datetime) -> ClockState:
    if done_at is not None:
        late = done_at.astimezone(VIETNAM).date() > due
        return ClockState.MET_LATE if late else ClockState.MET
    today = now.astimezone(VIETNAM).date()
    if today > due:
        return ClockState.OVERDUE
    return ClockState.DUE_TODAY if today == due else ClockState.RUNNING


class Reminder(IntFlag):
    """The officers' reminders of a request; the row records those written."""

    NONE = 0
    ACKNOWLEDGE_SOON = 1
    ACKNOWLEDGE_OVERDUE = 2
    COMPLETE_SOON = 4
    COMPLETE_OVERDUE = 8


def _morning(day: date) -> datetime:
    return datetime.combine(day, time(REMINDER_HOUR), VIETNAM)


def reminder_time(clocks: Clocks, reminder: Reminder) -> datetime:
    """When `reminder` is due (module docstring)."""
    match reminder:
        case Reminder.ACKNOWLEDGE_SOON:
            return _morning(clocks.acknowledge_by)
        case Reminder.ACKNOWLEDGE_OVERDUE:
            return _morning(working_days_after(clocks.acknowledge_by, 1))
        case Reminder.COMPLETE_SOON:
            return _morning(_last_working_day(clocks.complete_by - COMPLETE_WARNING))
        case Reminder.COMPLETE_OVERDUE:
            return _morning(working_days_after(clocks.complete_by, 1))
    raise ValueError(f"not one reminder: {reminder!r}")


@dataclass(frozen=True, slots=True)
class ReminderPlan:
    """What to write now (one message per reminder and officer) and what to record as done:
    those written, and a "soon" overtaken by its "overdue"."""

    send: tuple[Reminder, ...] = ()
    done: Reminder = Reminder.NONE


_PAIRS = (
    (Reminder.ACKNOWLEDGE_SOON, Reminder.ACKNOWLEDGE_OVERDUE),
    (Reminder.COMPLETE_SOON, Reminder.COMPLETE_OVERDUE),
)


def plan_reminders(
    clocks: Clocks, state: DataRequestState, sent: Reminder, now: datetime
) -> ReminderPlan:
    """The reminders due at `now` for a request in `state`, given those already `sent`."""
    if state is DataRequestState.COMPLETED:
        return ReminderPlan()
    send: list[Reminder] = []
    done = Reminder.NONE
    for soon, overdue in _PAIRS:
        if soon is Reminder.ACKNOWLEDGE_SOON and state is not DataRequestState.RECEIVED:
            continue  # acknowledged: that clock is met
        due = [r for r in (soon, overdue) if r not in sent and reminder_time(clocks, r) <= now]
        if overdue in due:
            send.append(overdue)
            done |= soon | overdue
        elif soon in due:
            send.append(soon)
            done |= soon
    return ReminderPlan(tuple(send), done)
