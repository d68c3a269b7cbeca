"""Requests at the desks, without Telegram: the staff desk refuses a chief's /requests and
another commune's officer's buttons (recorded, nothing changes), and a forged staff button; the
resident desk refuses a forged commune, asks for a correction's words only when no submission
of their own is in progress, drops an expired question, and answers someone with nothing
held."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

from sqlalchemy import select

from intake.chat import Actor, Text
from intake.requests import (
    AskRequest,
    OpenRequest,
    RequestAcknowledge,
    RequestDone,
    open_request,
    resident_data,
    staff_data,
)
from intake.resident import DirectoryCache, ResidentDesk
from intake.staff import StaffDesk
from storage.deps import Deps
from storage.models import Citizen, Commune, DataRequest
from storage.repositories import data_requests as rows
from storage.states import DataRequestKind, DataRequestState, StaffRole
from tests.console.test_data_requests import WORDS
from tests.fixtures.commune import (
    BOT_ID,
    CHIEF_1,
    OFFICER,
    OTHER_RESIDENT,
    RESIDENT,
    HoaPhu,
    command,
    join,
    keys,
    press,
    refusals,
    submit,
)


async def a_request(deps: Deps, hoa_phu: HoaPhu) -> str:
    await submit(deps, hoa_phu, hoa_phu.villages[0], holder="Nguyễn Văn An", cccd="066090012345")
    async with deps.database.sessions.begin() as session:
        citizen = await session.scalar(select(Citizen).where(Citizen.telegram_user_id == RESIDENT))
        assert citizen is not None
        made = await open_request(
            session,
            deps,
            citizen_id=citizen.id,
            commune=(hoa_phu.commune.id, hoa_phu.commune.name),
            kind=DataRequestKind.CORRECTION,
            details=WORDS,
            now=datetime.now().astimezone(),
        )
        return made.code


async def state(deps: Deps, code: str) -> DataRequestState:
    async with deps.database.sessions() as session:
        found = await session.scalar(select(DataRequest.state).where(DataRequest.code == code))
    assert found is not None
    return found


async def test_the_staff_desk_asks_the_policy(
    deps: Deps, hoa_phu: HoaPhu, desk: StaffDesk, updates: Iterator[int]
) -> None:
    code = await a_request(deps, hoa_phu)
    await join(deps, StaffRole.OFFICER, OFFICER, commune="24175")
    await join(deps, StaffRole.CHIEF, CHIEF_1, village=hoa_phu.villages[0].code)
    async with deps.database.sessions() as session:  # another commune of the province
        other = await session.scalar(
            select(Commune.code).where(Commune.code != "24175").order_by(Commune.code).limit(1)
        )
    assert other is not None
    await join(deps, StaffRole.OFFICER, OFFICER + 50, commune=other)
    before = len(await refusals(deps))

    assert keys(await desk.handle(command(updates, CHIEF_1, "requests"))) == ["staff.refused"]
    for data in (staff_data(OpenRequest(code)), staff_data(RequestAcknowledge(code))):
        assert keys(await desk.handle(press(updates, CHIEF_1, data))) == ["staff.refused"]
        assert keys(await desk.handle(press(updates, OFFICER + 50, data))) == ["staff.refused"]
    outcome = await desk.handle(command(updates, OFFICER + 50, "requests"))
    assert keys(outcome) == ["requests.none"]  # their own commune has none
    assert await state(deps, code) is DataRequestState.RECEIVED
    refused = (await refusals(deps))[before:]
    assert [e.data["decision"] for e in refused] == [
        "not_your_role",  # a chief's /requests
        "not_your_role",
        "out_of_scope",
        "not_your_role",
        "out_of_scope",
    ]
    assert all(e.data["action"] == "data_requests" for e in refused)

    # forged: an unknown code, a malformed one
    outcome = await desk.handle(press(updates, OFFICER, staff_data(RequestDone("YC-ZZZZZ"))))
    assert keys(outcome) == ["requests.not_found"]
    outcome = await desk.handle(press(updates, OFFICER, "s:dr:a:../../x"))
    assert keys(outcome) == ["button.expired"]

    # the officer: the list, acknowledge, done with a note (typed after)
    outcome = await desk.handle(command(updates, OFFICER, "requests"))
    assert keys(outcome) == ["requests.list"]
    outcome = await desk.handle(press(updates, OFFICER, staff_data(RequestAcknowledge(code))))
    assert keys(outcome) == ["requests.acknowledged_done", "requests.card"]
    assert outcome is not None
    assert outcome.new_outbox
    outcome = await desk.handle(press(updates, OFFICER, staff_data(RequestAcknowledge(code))))
    assert keys(outcome) == ["requests.already_acknowledged"]
    outcome = await desk.handle(press(updates, OFFICER, staff_data(RequestDone(code))))
    assert keys(outcome) == ["requests.ask_note"]
    outcome = await desk.handle(Text(Actor(OFFICER, OFFICER), next(updates), text="   "))
    assert keys(outcome) == ["requests.ask_note"]  # a note is needed
    outcome = await desk.handle(Text(Actor(OFFICER, OFFICER), next(updates), text="Đã sửa."))
    assert keys(outcome) == ["requests.completed_done"]
    assert await state(deps, code) is DataRequestState.COMPLETED


async def test_the_resident_desk(deps: Deps, hoa_phu: HoaPhu, updates: Iterator[int]) -> None:
    residents = ResidentDesk(deps, bot_id=BOT_ID, directory=DirectoryCache(deps, "66"))
    outcome = await residents.handle(command(updates, OTHER_RESIDENT, "request"))
    assert keys(outcome) == ["request.nothing"]
    outcome = await residents.handle(
        press(updates, OTHER_RESIDENT, resident_data(AskRequest(DataRequestKind.COPY)))
    )
    assert keys(outcome) == ["request.nothing"]

    await submit(deps, hoa_phu, hoa_phu.villages[0], holder="Nguyễn Văn An", cccd="066090012345")
    # a commune that holds nothing of theirs: a forged button
    forged = resident_data(AskRequest(DataRequestKind.COPY, hoa_phu.commune.id + 1))
    assert keys(await residents.handle(press(updates, RESIDENT, forged))) == ["button.expired"]
    assert keys(await residents.handle(press(updates, RESIDENT, "dr:q"))) == ["button.expired"]

    # a correction: the words asked, then taken; an expired question is dropped
    fix = resident_data(AskRequest(DataRequestKind.CORRECTION))
    assert keys(await residents.handle(press(updates, RESIDENT, fix))) == ["request.ask_words"]
    async with deps.database.sessions.begin() as session:
        citizen = await session.scalar(select(Citizen).where(Citizen.telegram_user_id == RESIDENT))
        assert citizen is not None
        pending = await rows.pending_of(session, citizen.id)
        assert pending is not None
        kind, commune, until = pending.split(":")
        stale = int(until) - int(timedelta(hours=2).total_seconds())
        await rows.set_pending(session, citizen.id, f"{kind}:{commune}:{stale}")
    outcome = await residents.handle(Text(Actor(RESIDENT, RESIDENT), next(updates), text=WORDS))
    assert "request.receipt" not in keys(outcome)  # the flow's answer: the question expired
    async with deps.database.sessions() as session:
        assert await rows.pending_of(session, citizen.id) is None
        assert await rows.open_count(session, citizen.id) == 0

    assert keys(await residents.handle(press(updates, RESIDENT, fix))) == ["request.ask_words"]
    outcome = await residents.handle(
        Text(Actor(RESIDENT, RESIDENT), next(updates), text="x" * 1001)
    )
    assert keys(outcome) == ["request.words_too_long"]
    outcome = await residents.handle(Text(Actor(RESIDENT, RESIDENT), next(updates), text=WORDS))
    assert keys(outcome) == []  # the receipt comes through the outbox
    assert outcome.new_outbox
    async with deps.database.sessions() as session:
        assert await rows.open_count(session, citizen.id) == 1

    # with a submission of their own in progress, the words are not asked for
    await residents.handle(command(updates, RESIDENT, "start"))
    outcome = await residents.handle(press(updates, RESIDENT, fix))
    assert keys(outcome)[0] == "request.finish_draft"
