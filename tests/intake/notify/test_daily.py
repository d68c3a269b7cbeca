"""The daily jobs (`run_due`), with a clock that moves: the officers' report at its hour and the
chiefs' digest at its, each once a day, nothing before the hour, again the next day."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from intake.language import VIETNAM
from intake.notify import DailyJobs
from storage.deps import Deps
from storage.models import Outbox, Staff, Submission
from storage.states import StaffRole
from tests.fixtures.commune import CHIEF_1, OFFICER, HoaPhu, join, submit


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


async def _written(deps: Deps) -> list[tuple[int, str]]:
    async with deps.database.sessions() as session:
        rows = await session.execute(
            select(Outbox.chat_id, Outbox.kind)
            .where(Outbox.kind.in_(("daily_report", "chief_digest")))
            .order_by(Outbox.id)
        )
        return [(chat, kind) for chat, kind in rows]


async def test_reports_and_digests_at_their_hour_once_a_day(deps: Deps, hoa_phu: HoaPhu) -> None:
    await join(deps, StaffRole.OFFICER, OFFICER, commune="24175")
    await join(deps, StaffRole.CHIEF, CHIEF_1, village=hoa_phu.villages[0].code)
    async with deps.database.sessions.begin() as session:  # the chief chose the daily digest
        await session.execute(
            update(Staff)
            .where(Staff.telegram_user_id == CHIEF_1)
            .values(daily_digest=True, digest_sent_at=datetime(2026, 12, 1, tzinfo=VIETNAM))
        )
    made = await submit(
        deps, hoa_phu, hoa_phu.villages[0], holder="Nguyễn Văn An", cccd="066090012345"
    )
    async with deps.database.sessions.begin() as session:  # sent that morning
        await session.execute(
            update(Submission)
            .where(Submission.id == made.id)
            .values(submitted_at=datetime(2026, 12, 3, 9, 30, tzinfo=VIETNAM))
        )
    clock = Clock(datetime(2026, 12, 3, 16, 59, tzinfo=VIETNAM))
    jobs = DailyJobs(deps, report_hour=17, digest_hour=18, now=clock)

    assert await jobs.run_due() == 0  # before both hours
    clock.at = datetime(2026, 12, 3, 17, 0, tzinfo=VIETNAM)
    assert await jobs.run_due() == 2  # the report: its text and its chart
    assert await _written(deps) == [(OFFICER, "daily_report")] * 2
    clock.at = datetime(2026, 12, 3, 17, 40, tzinfo=VIETNAM)
    assert await jobs.run_due() == 0  # once a day
    clock.at = datetime(2026, 12, 3, 18, 5, tzinfo=VIETNAM)
    assert await jobs.run_due() == 1  # the digest
    clock.at = datetime(2026, 12, 3, 23, 0, tzinfo=VIETNAM)
    assert await jobs.run_due() == 0
    clock.at = datetime(2026, 12, 4, 17, 1, tzinfo=VIETNAM)
    assert await jobs.run_due() == 2  # the next day's report; no submission since: no digest
    clock.at = datetime(2026, 12, 4, 18, 1, tzinfo=VIETNAM)
    assert await jobs.run_due() == 0
    assert await _written(deps) == [
        (OFFICER, "daily_report"),
        (OFFICER, "daily_report"),
        (CHIEF_1, "chief_digest"),
        (OFFICER, "daily_report"),
        (OFFICER, "daily_report"),
    ]


async def test_two_schedulers_write_each_report_once(deps: Deps, hoa_phu: HoaPhu) -> None:
    """Two processes (two schedulers on one database) at the same hour: one report."""
    await join(deps, StaffRole.OFFICER, OFFICER, commune="24175")
    clock = Clock(datetime(2026, 12, 3, 17, 30, tzinfo=VIETNAM))
    first, second = DailyJobs(deps, now=clock), DailyJobs(deps, now=clock)
    assert await first.run_due() + await second.run_due() == 2
    assert await _written(deps) == [(OFFICER, "daily_report")] * 2
