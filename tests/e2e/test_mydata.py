"""`/mydata` through the simulator: a resident asks what hoso holds about them and is answered at
once, in plain language, with every field they gave, the documents kept (sealed) and the consent
given with its notice version and date; someone with nothing stored is answered kindly. Each
answer is an audit event."""

from __future__ import annotations

from sqlalchemy import select

from storage.models import Event
from tests.fixtures.conversation import until
from tests.fixtures.world import World, resident_submits


async def test_a_resident_sees_what_is_held(world: World) -> None:
    resident, code = await resident_submits(world, "Nguyễn Văn An")
    await resident.send_command("mydata")
    await until(resident, "Thông tin hoso đang giữ về bạn (1 hồ sơ)")
    shown = await until(resident, f"Hồ sơ {code} — Thôn 1")
    for text in (
        "Người đứng tên sổ: Nguyễn Văn An",
        "Số căn cước: 066090012345",
        "Số điện thoại: +84912345678",
        "Tờ/thửa: 12/345",
        "Căn cước — mặt trước",
        "Sổ — trang 2–3",
        "chỉ cán bộ địa chính xã mở được",
    ):
        assert text in shown.text, text
    consent = await until(resident, "Bạn đã đồng ý cho xử lý dữ liệu cá nhân")
    assert "phiên bản" in consent.text
    await until(resident, "Muốn xin bản sao hoặc sửa thông tin", "Xã Hòa Phú")
    async with world.deps.database.sessions() as session:
        event = await session.scalar(select(Event).where(Event.action == "mydata_shown"))
    assert event is not None
    assert event.data == {"receipts": [code]}


async def test_someone_with_nothing_stored_is_told_so(world: World) -> None:
    stranger = world.simulator.add_user("Người Lạ", language_code="vi")
    await stranger.send_command("mydata")
    await until(stranger, "hoso chưa giữ hồ sơ nào của bạn")
    await until(stranger, "Bạn chưa đồng ý cho xử lý dữ liệu cá nhân")
