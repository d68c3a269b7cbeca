"""A request's changes in the database (SQLite and PostgreSQL), with a clock that moves: opened
with its clocks, the resident's receipt and the officers' alert in the outbox; acknowledged and
completed once each, the resident told each time; the audit events without the resident's words
or the note; and the officers' reminders, each written once at its time even with two
schedulers at once, none once the request is answered."""

from __future__ import annotations

import asyncio
import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from intake.language import VIETNAM
from intake.notify import OutboxMessage
from intake.requests import (
    RequestError,
    RequestReminders,
    acknowledge,
    complete,
    open_request,
)
from storage.deps import Deps
from storage.models import Citizen, DataRequest, Event, Outbox, Staff
from storage.repositories import data_requests as rows
from storage.states import DataRequestKind, DataRequestState, StaffRole
from tests.fixtures.commune import OFFICER, RESIDENT, HoaPhu, join, submit

WORDS = "Số tờ bản đồ sai: đúng là tờ 13, thửa 345"


def vn(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=VIETNAM)


class Clock:
    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


async def messages(deps: Deps) -> list[tuple[int, str, OutboxMessage]]:
    async with deps.database.sessions() as session:
        found = await session.scalars(select(Outbox).order_by(Outbox.id))
        return [
            (
                row.chat_id,
                row.kind,
                OutboxMessage.from_json(
                    deps.fields.decrypt(
                        row.payload_enc, table="outbox", column="payload_enc", row=row.id
                    )
                ),
            )
            for row in found
        ]


async def opened(deps: Deps, hoa_phu: HoaPhu, at: str) -> DataRequest:
    await submit(deps, hoa_phu, hoa_phu.villages[0], holder="Nguyễn Văn An", cccd="066090012345")
    async with deps.database.sessions.begin() as session:
        citizen = await session.scalar(select(Citizen).where(Citizen.telegram_user_id == RESIDENT))
        assert citizen is not None
        return await open_request(
            session,
            deps,
            citizen_id=citizen.id,
            commune=(hoa_phu.commune.id, hoa_phu.commune.name),
            kind=DataRequestKind.CORRECTION,
            details=WORDS,
            now=vn(at),
        )


async def officer_row(deps: Deps) -> Staff:
    async with deps.database.sessions() as session:
        found = await session.scalar(select(Staff).where(Staff.telegram_user_id == OFFICER))
    assert found is not None
    return found


async def test_a_request_opened_acknowledged_completed(deps: Deps, hoa_phu: HoaPhu) -> None:
    await join(deps, StaffRole.OFFICER, OFFICER, commune="24175")
    before = len(await messages(deps))
    made = await opened(deps, hoa_phu, "2026-03-06 20:00")  # a Friday evening
    assert made.code.startswith("YC-")
    assert (made.acknowledge_by, made.complete_by) == (date(2026, 3, 10), date(2026, 3, 23))
    written = (await messages(deps))[before + 1 :]  # after the submission's own
    by_key = {message.key: (chat, kind, message) for chat, kind, message in written}
    chat, kind, receipt = by_key["request.receipt"]
    assert (chat, kind) == (RESIDENT, "data_request")
    assert receipt.params["acknowledge_by"] == "10/03/2026"
    assert receipt.params["complete_by"] == "23/03/2026"
    assert receipt.params["received"] == "20:00 06/03/2026"
    chat, _, alert = by_key["requests.new"]
    assert chat == OFFICER
    assert alert.keyboard is not None
    assert alert.keyboard.rows[0][0].data == f"s:dr:o:{made.code}"

    officer = await officer_row(deps)
    async with deps.database.sessions.begin() as session:
        request = await rows.request_by_code(session, made.code, for_update=True)
        assert request is not None
        await acknowledge(session, deps, request, officer, vn("2026-03-09 09:00"))
    async with deps.database.sessions.begin() as session:
        request = await rows.request_by_code(session, made.code, for_update=True)
        assert request is not None
        with pytest.raises(RequestError, match="already_acknowledged"):
            await acknowledge(session, deps, request, officer, vn("2026-03-09 10:00"))
    async with deps.database.sessions.begin() as session:
        request = await rows.request_by_code(session, made.code, for_update=True)
        assert request is not None
        with pytest.raises(RequestError, match="note_needed"):
            await complete(session, deps, request, officer, note="  ", now=vn("2026-03-09 10:00"))
        with pytest.raises(RequestError, match="note_too_long"):
            await complete(
                session, deps, request, officer, note="x" * 1001, now=vn("2026-03-09 10:00")
            )
        await complete(
            session,
            deps,
            request,
            officer,
            note="Đã sửa tờ bản đồ thành 13",
            now=vn("2026-03-12 09:00"),
        )
    async with deps.database.sessions.begin() as session:
        request = await rows.request_by_code(session, made.code, for_update=True)
        assert request is not None
        assert request.state is DataRequestState.COMPLETED
        assert request.acknowledged_by_staff_id == officer.id
        with pytest.raises(RequestError, match="already_completed"):
            await complete(
                session, deps, request, officer, note="again", now=vn("2026-03-12 10:00")
            )
    told = [(m.key, m.params) for chat, _, m in await messages(deps) if chat == RESIDENT]
    keys = [key for key, _ in told]
    assert keys[-3:] == ["request.receipt", "request.acknowledged", "request.completed"]
    assert told[-1][1]["note"] == "Đã sửa tờ bản đồ thành 13"
    assert told[-2][1]["complete_by"] == "23/03/2026"

    async with deps.database.sessions() as session:
        events = list(
            await session.scalars(
                select(Event).where(Event.action.like("data_request_%")).order_by(Event.id)
            )
        )
    assert [e.action for e in events] == [
        "data_request_received",
        "data_request_acknowledged",
        "data_request_completed",
    ]
    for event in events:  # ids, kind and days only
        assert event.data["code"] == made.code
        assert event.data["kind"] == "correction"
        dumped = json.dumps(event.data, ensure_ascii=False) + event.note
        assert "tờ 13" not in dumped
        assert "Đã sửa" not in dumped
    assert events[0].actor_kind.value == "resident"
    assert events[1].data["late"] is False
    assert events[2].actor_id == str(officer.id)


async def test_completing_at_once_acknowledges_too(deps: Deps, hoa_phu: HoaPhu) -> None:
    await join(deps, StaffRole.OFFICER, OFFICER, commune="24175")
    made = await opened(deps, hoa_phu, "2026-03-02 10:00")
    officer = await officer_row(deps)
    async with deps.database.sessions.begin() as session:
        request = await rows.request_by_code(session, made.code, for_update=True)
        assert request is not None
        await complete(
            session, deps, request, officer, note="Bản sao ở một cửa", now=vn("2026-03-20 09:00")
        )
        assert request.acknowledged_at == request.completed_at
    async with deps.database.sessions() as session:
        event = await session.scalar(select(Event).where(Event.action == "data_request_completed"))
    assert event is not None
    assert event.data["late"] is True  # due 17/03


async def reminders_written(deps: Deps) -> list[tuple[int, str]]:
    return [
        (chat, message.key)
        for chat, kind, message in await messages(deps)
        if kind == "data_request_reminder"
    ]


async def test_reminders_once_each_at_their_time(deps: Deps, hoa_phu: HoaPhu) -> None:
    await join(deps, StaffRole.OFFICER, OFFICER, commune="24175")
    await join(deps, StaffRole.OFFICER, OFFICER + 1, commune="24175")
    await join(deps, StaffRole.CHIEF, 7101, village=hoa_phu.villages[0].code)  # never reminded
    made = await opened(deps, hoa_phu, "2026-03-02 10:00")  # ack by 04/03, complete by 17/03
    clock = Clock(vn("2026-03-04 07:59"))
    jobs = RequestReminders(deps, now=clock)
    assert await jobs.run_due() == 0
    clock.at = vn("2026-03-04 08:00")
    # two schedulers at once (two processes): the reminder is written once
    other = RequestReminders(deps, now=clock)
    assert sorted(await asyncio.gather(jobs.run_due(), other.run_due())) == [0, 2]
    assert await reminders_written(deps) == [
        (OFFICER, "requests.reminder_acknowledge_soon"),
        (OFFICER + 1, "requests.reminder_acknowledge_soon"),
    ]
    clock.at = vn("2026-03-04 16:00")
    assert await jobs.run_due() == 0  # once
    clock.at = vn("2026-03-05 08:00")
    assert await jobs.run_due() == 2  # overdue
    clock.at = vn("2026-03-06 08:00")
    assert await jobs.run_due() == 0  # overdue is said once

    officer = await officer_row(deps)
    async with deps.database.sessions.begin() as session:
        request = await rows.request_by_code(session, made.code, for_update=True)
        assert request is not None
        await acknowledge(session, deps, request, officer, clock.at)
    clock.at = vn("2026-03-13 08:00")  # the last working day on or before 3 days ahead
    assert await jobs.run_due() == 2
    clock.at = vn("2026-03-18 08:00")
    assert await jobs.run_due() == 2
    async with deps.database.sessions.begin() as session:
        request = await rows.request_by_code(session, made.code, for_update=True)
        assert request is not None
        await complete(session, deps, request, officer, note="Xong", now=clock.at)
    clock.at = vn("2026-04-30 08:00")
    assert await jobs.run_due() == 0
    keys = [key for chat, key in await reminders_written(deps) if chat == OFFICER]
    assert keys == [
        "requests.reminder_acknowledge_soon",
        "requests.reminder_acknowledge_overdue",
        "requests.reminder_complete_soon",
        "requests.reminder_complete_overdue",
    ]
    async with deps.database.sessions() as session:
        events = list(
            await session.scalars(select(Event).where(Event.action == "data_request_reminded"))
        )
    assert [(e.data["reminder"], e.data["officers"]) for e in events] == [
        ("acknowledge_soon", 2),
        ("acknowledge_overdue", 2),
        ("complete_soon", 2),
        ("complete_overdue", 2),
    ]
