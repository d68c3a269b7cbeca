"""The data requests page through the HTTP client: an officer sees the commune's open requests
with their clocks (an overdue one in red) and recent ones, acknowledges one and completes one
with a note (the resident told through the outbox, as from Telegram); what is refused and why
(a chief: a page saying so; another commune's officer: not found; both recorded); CSRF and
origin; bad form input."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from intake.notify import OutboxMessage
from intake.requests import open_request
from storage.models import Citizen, DataRequest, Event, Outbox
from storage.states import DataRequestKind, DataRequestState, StaffRole
from tests.console.test_staff import elsewhere, text_of
from tests.fixtures.commune import RESIDENT, join, submit
from tests.fixtures.console import installed_hoa_phu, signed_in
from tests.fixtures.world import World

WORDS = "Số seri sổ sai: đúng là CS 654321"


async def a_request(
    world: World, kind: DataRequestKind, *, days_ago: int = 0, words: str | None = None
) -> str:
    """A resident's submission and their request to the commune, `days_ago` days ago."""
    place = await installed_hoa_phu(world)
    async with world.deps.database.sessions() as session:
        citizen = await session.scalar(select(Citizen).where(Citizen.telegram_user_id == RESIDENT))
    if citizen is None:
        await submit(
            world.deps, place, place.villages[0], holder="Nguyễn Văn An", cccd="066090012345"
        )
        async with world.deps.database.sessions() as session:
            citizen = await session.scalar(
                select(Citizen).where(Citizen.telegram_user_id == RESIDENT)
            )
    assert citizen is not None
    async with world.deps.database.sessions.begin() as session:
        made = await open_request(
            session,
            world.deps,
            citizen_id=citizen.id,
            commune=(place.commune.id, place.commune.name),
            kind=kind,
            details=words,
            now=datetime.now().astimezone() - timedelta(days=days_ago),
        )
        return made.code


async def told_resident(world: World) -> list[OutboxMessage]:
    async with world.deps.database.sessions() as session:
        rows = await session.scalars(
            select(Outbox)
            .where(Outbox.chat_id == RESIDENT, Outbox.kind == "data_request")
            .order_by(Outbox.id)
        )
        return [
            OutboxMessage.from_json(
                world.deps.fields.decrypt(
                    row.payload_enc, table="outbox", column="payload_enc", row=row.id
                )
            )
            for row in rows
        ]


async def state_of(world: World, code: str) -> DataRequestState:
    async with world.deps.database.sessions() as session:
        found = await session.scalar(select(DataRequest.state).where(DataRequest.code == code))
    assert found is not None
    return found


async def refusals(world: World) -> list[Event]:
    async with world.deps.database.sessions() as session:
        return list(
            await session.scalars(
                select(Event).where(Event.action == "staff_refused").order_by(Event.id)
            )
        )


async def test_an_officer_answers_the_communes_requests(world: World) -> None:
    officer = await join(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    late = await a_request(world, DataRequestKind.CORRECTION, days_ago=20, words=WORDS)
    fresh = await a_request(world, DataRequestKind.COPY)

    async with await signed_in(world, officer) as browser:
        status, page = await browser.get("/console/requests")
        assert status == 200
        words = text_of(page)
        assert "Yêu cầu dữ liệu · Xã Hòa Phú" in words
        assert "Đang chờ xử lý (2)" in words
        assert 'href="/console/requests"' in page  # in the nav
        # the late one first (oldest), overdue in red; the fresh one's clocks still run
        assert page.index(f'id="request-{late}"') < page.index(f'id="request-{fresh}"')
        late_row = page[page.index(f'id="request-{late}"') : page.index(f'id="request-{fresh}"')]
        assert 'class="overdue"' in late_row
        assert "clock-overdue" in late_row
        assert "QUÁ HẠN" in late_row
        assert WORDS in text_of(late_row)
        fresh_row = page[page.index(f'id="request-{fresh}"') :]
        assert "clock-running" in fresh_row
        assert "chậm nhất ngày" in fresh_row

        status, page = await browser.post(f"/console/requests/{fresh}", {"action": "acknowledge"})
        assert status == 200  # after the redirect
        assert f"Đã xác nhận yêu cầu {fresh}; người dân đã được báo." in text_of(page)
        assert await state_of(world, fresh) is DataRequestState.ACKNOWLEDGED

        status, page = await browser.post(
            f"/console/requests/{late}",
            {"action": "complete", "note": "Đã sửa số seri thành CS 654321."},
        )
        assert status == 200
        assert f"Đã xong yêu cầu {late}" in text_of(page)
        assert await state_of(world, late) is DataRequestState.COMPLETED
        assert "Đang chờ xử lý (1)" in text_of(page)
        done_part = page[page.index("Đã xong trong 30 ngày qua") :]
        assert f'id="request-{late}"' in done_part
        assert "Đã sửa số seri thành CS 654321." in done_part
        assert "xong muộn" in done_part  # completed after its day

        # the same answer twice: said, nothing changes
        status, page = await browser.post(f"/console/requests/{fresh}", {"action": "acknowledge"})
        assert status == 409
        assert "Yêu cầu này đã được xác nhận rồi." in text_of(page)

    keys = [message.key for message in await told_resident(world)]
    assert keys == [
        "request.receipt",
        "request.receipt",
        "request.acknowledged",
        "request.completed",
    ]
    assert (await told_resident(world))[-1].params["note"] == "Đã sửa số seri thành CS 654321."


async def test_bad_input_csrf_and_origin(world: World) -> None:
    officer = await join(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    code = await a_request(world, DataRequestKind.COPY)
    async with await signed_in(world, officer) as browser:
        await browser.get("/console/requests")
        for form, status, said in (
            ({"action": "complete", "note": "   "}, 400, "Hãy gõ một lời nhắn cho người dân."),
            ({"action": "complete", "note": "x" * 1001}, 400, "tối đa 1000 ký tự"),
            ({"action": "delete"}, 400, None),
            ({}, 400, None),
        ):
            got, page = await browser.post(f"/console/requests/{code}", form)
            assert got == status, form
            if said:
                assert said in text_of(page)
        got, page = await browser.post("/console/requests/YC-ZZZZZ", {"action": "acknowledge"})
        assert got == 404
        got, _ = await browser.post("/console/requests/" + "Y" * 40, {"action": "acknowledge"})
        assert got == 404
        got, page = await browser.get("/console/requests?commune=abc")
        assert got == 400
        # CSRF: none, or a forged one; another origin
        got, page = await browser.post(
            f"/console/requests/{code}", {"action": "acknowledge"}, csrf=None
        )
        assert got == 403
        got, _ = await browser.post(
            f"/console/requests/{code}", {"action": "acknowledge"}, csrf="0" * 64
        )
        assert got == 403
        got, _ = await browser.post(
            f"/console/requests/{code}", {"action": "acknowledge"}, origin="https://evil.example"
        )
        assert got == 403
    assert await state_of(world, code) is DataRequestState.RECEIVED
    assert [m.key for m in await told_resident(world)] == ["request.receipt"]


async def test_a_chief_and_another_communes_officer_are_refused(world: World) -> None:
    code = await a_request(world, DataRequestKind.CORRECTION, words=WORDS)
    chief = await join(world.deps, StaffRole.CHIEF, 7101, village="24175-01")
    other_commune, _ = await elsewhere(world)
    stranger = await join(world.deps, StaffRole.OFFICER, 7002, commune=other_commune.code)
    before = len(await refusals(world))

    async with await signed_in(world, chief) as browser:
        status, page = await browser.get("/console/requests")
        assert status == 403
        assert "Trưởng thôn không xem yêu cầu dữ liệu" in text_of(page)
        assert WORDS not in page
        assert 'href="/console/requests"' not in page  # not in a chief's nav
        status, page = await browser.post(f"/console/requests/{code}", {"action": "acknowledge"})
        assert status == 403

    async with await signed_in(world, stranger) as browser:
        status, page = await browser.get("/console/requests")
        assert status == 200  # their own commune's page, without this request
        assert code not in page
        status, page = await browser.post(f"/console/requests/{code}", {"action": "acknowledge"})
        assert status == 404  # another commune's: answered as if it did not exist
        status, page = await browser.post(
            f"/console/requests/{code}", {"action": "complete", "note": "xong"}
        )
        assert status == 404

    assert await state_of(world, code) is DataRequestState.RECEIVED
    refused = (await refusals(world))[before:]
    assert [(e.actor_id, e.data["what"], e.data["decision"]) for e in refused] == [
        (str(chief.id), "data_requests", "not_your_role"),
        (str(chief.id), "data_requests", "not_your_role"),
        (str(stranger.id), "data_requests", "out_of_scope"),
        (str(stranger.id), "data_requests", "out_of_scope"),
    ]
    assert all(e.data["via"] == "console" for e in refused)
    assert refused[2].data["request"] == code
    assert all(WORDS not in str(e.data) for e in refused)
