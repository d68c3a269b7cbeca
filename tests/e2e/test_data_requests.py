"""Data-subject requests through the simulator and the real bot: a resident asks for a
correction under /mydata's answer and gets a receipt with both due days; the officer is told,
sees it with its clocks in /requests, acknowledges it and completes it with a note; the resident
is told each step. Then the officers' reminder, sent once when the clock is moved."""

from __future__ import annotations

import re

from sqlalchemy import select

from intake.language import VIETNAM
from intake.requests import Reminder as R
from intake.requests import RequestReminders, reminder_time
from storage.models import DataRequest, Event
from storage.states import DataRequestState, StaffRole
from tests.fixtures.conversation import until
from tests.fixtures.world import World, join, resident_submits

CODE = re.compile(r"YC-[0-9A-Z]{5}")
WORDS = "Tên chủ sổ viết sai dấu: đúng là Nguyễn Văn Ấn"


async def request_row(world: World, code: str) -> DataRequest:
    async with world.deps.database.sessions() as session:
        found = await session.scalar(select(DataRequest).where(DataRequest.code == code))
    assert found is not None
    return found


async def test_a_correction_from_the_resident_to_the_officer_and_back(world: World) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    resident, receipt = await resident_submits(world, "Nguyễn Văn An")

    await resident.send_command("mydata")
    await until(resident, "Muốn xin bản sao hoặc sửa thông tin", "bấm nút bên dưới")
    await resident.press("✏️ Yêu cầu sửa thông tin")
    await until(resident, "thông tin nào bị sai", "Xã Hòa Phú")
    await resident.send_text(WORDS)
    told = await until(resident, "Đã nhận yêu cầu", "sửa thông tin", "Xã Hòa Phú")
    found = CODE.search(told.text)
    assert found is not None, told.text
    code = found.group(0)
    row = await request_row(world, code)
    assert f"Xã xác nhận chậm nhất ngày {row.acknowledge_by:%d/%m/%Y}" in told.text
    assert f"Xã làm xong chậm nhất ngày {row.complete_by:%d/%m/%Y}" in told.text

    alert = await until(officer, "Yêu cầu dữ liệu mới", code)
    assert WORDS not in alert.text  # the words are read at the desk, not in an alert
    await officer.send_command("requests")
    listed = await until(officer, "Yêu cầu dữ liệu đang chờ (1)", code)
    assert f"Xác nhận chậm nhất ngày {row.acknowledge_by:%d/%m/%Y}" in listed.text
    assert f"Làm xong chậm nhất ngày {row.complete_by:%d/%m/%Y}" in listed.text
    await officer.press(f"📮 {code}")
    card = await until(officer, f"Yêu cầu {code}", "Nội dung người dân gửi")
    assert WORDS in card.text
    assert receipt in card.text  # the resident's submission, to find what to fix
    assert "mới nhận" in card.text

    await officer.press("📬 Xác nhận đã nhận")
    await until(officer, f"xã đã nhận yêu cầu {code}")
    acknowledged = await until(resident, "Bộ phận địa chính đã nhận yêu cầu", code)
    assert f"Hạn xong: {row.complete_by:%d/%m/%Y}" in acknowledged.text

    await officer.press("✅ Đã xong (gửi lời nhắn)")
    await until(officer, "Hãy gõ lời nhắn cho người dân", code)
    await officer.send_text("Đã sửa tên chủ sổ thành Nguyễn Văn Ấn trong hồ sơ.")
    await until(officer, f"Đã xong yêu cầu {code}")
    done = await until(resident, f"Yêu cầu {code}", "đã xong")
    assert "Đã sửa tên chủ sổ thành Nguyễn Văn Ấn" in done.text

    await officer.send_command("requests")
    await until(officer, "Không có yêu cầu dữ liệu nào đang chờ")
    row = await request_row(world, code)
    assert row.state is DataRequestState.COMPLETED
    async with world.deps.database.sessions() as session:
        actions = list(
            await session.scalars(
                select(Event.action).where(Event.action.like("data_request_%")).order_by(Event.id)
            )
        )
    assert actions == [
        "data_request_received",
        "data_request_acknowledged",
        "data_request_completed",
    ]


async def test_a_copy_the_reminder_once_and_no_submission(world: World) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    resident, _ = await resident_submits(world, "Trần Thị Bình")
    await resident.send_command("request")
    await until(resident, "Bạn có thể yêu cầu bộ phận địa chính (Xã Hòa Phú)")
    await resident.press("📄 Xin bản sao giấy tờ, thông tin")
    told = await until(resident, "Đã nhận yêu cầu", "xin bản sao")
    found = CODE.search(told.text)
    assert found is not None
    code = found.group(0)
    await until(officer, "Yêu cầu dữ liệu mới", code)
    # asked twice: the open one is named
    await resident.send_command("request")
    await until(resident, "Bạn có thể yêu cầu")
    await resident.press("📄 Xin bản sao giấy tờ, thông tin")
    await until(resident, f"Bạn đã có yêu cầu {code} đang được xử lý")

    # the clock moves to the morning of the last day to acknowledge: one reminder, once
    row = await request_row(world, code)
    from intake.requests import Clocks

    clocks = Clocks(
        row.received_at.astimezone(VIETNAM).date(), row.acknowledge_by, row.complete_by
    )
    at = reminder_time(clocks, R.ACKNOWLEDGE_SOON)
    jobs = RequestReminders(
        world.deps, now=lambda: at, on_enqueued=world.runtime.services.outbox.kick
    )
    assert await jobs.run_due() == 1
    reminder = await until(officer, "là hạn xác nhận yêu cầu", code)
    assert f"Hôm nay ({row.acknowledge_by:%d/%m/%Y})" in reminder.text
    assert await jobs.run_due() == 0
    await officer.press(f"📮 Mở yêu cầu {code}")
    await until(officer, f"Yêu cầu {code}", "xin bản sao")

    # someone with nothing stored is answered kindly
    stranger = world.simulator.add_user("Người Lạ", language_code="vi")
    await stranger.send_command("request")
    await until(stranger, "chưa giữ hồ sơ nào của bạn", "chưa có gì để sao hoặc sửa")


async def test_a_residents_delete_erases_their_words_and_keeps_the_request(world: World) -> None:
    """The correction's words are the resident's: `/delete` erases them. The request, its
    clocks and its audit trail stay: the commune must still answer it."""
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    resident, _ = await resident_submits(world, "Nguyễn Văn An")
    await resident.send_command("mydata")
    await until(resident, "bấm nút bên dưới")
    await resident.press("✏️ Yêu cầu sửa thông tin")
    await until(resident, "thông tin nào bị sai")
    await resident.send_text(WORDS)
    told = await until(resident, "Đã nhận yêu cầu")
    found = CODE.search(told.text)
    assert found is not None, told.text
    code = found.group(0)
    assert (await request_row(world, code)).details_enc is not None

    await resident.send_command("delete")
    await until(resident, "Bạn muốn rút lại sự đồng ý và xóa dữ liệu")
    await resident.press("Tiếp tục")
    await until(resident, "Xác nhận lần cuối")
    await resident.press("🗑 Xóa vĩnh viễn")
    await until(resident, "Đã xóa dữ liệu của bạn")

    row = await request_row(world, code)
    assert row.details_enc is None
    assert row.state is DataRequestState.RECEIVED  # still the commune's to answer
    async with world.deps.database.sessions() as session:
        deleted = await session.scalar(select(Event).where(Event.action == "data_deleted"))
    assert deleted is not None
    assert deleted.data["request_words"] == 1
    await officer.send_command("requests")
    await until(officer, "Yêu cầu dữ liệu đang chờ (1)", code)
    await officer.press(f"📮 {code}")
    card = await until(officer, f"Yêu cầu {code}")
    assert WORDS not in card.text
