"""Chiefs and officers through the simulator and the real bot: invites, notifications, review,
follow-up uploads, assignment, digests, assisted submissions and the outbox under Telegram's
limits."""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import select
from telegram import Bot

from crypto import open_document
from handlers.outbox import OutboxSender
from intake.admin import import_targets
from intake.flow import Draft, Place, Step, Whose
from intake.language import VIETNAM
from intake.notify import OutboxService
from intake.staff import invite_from_cli, revoke_staff, staff_for_user
from intake.submissions import ask_for_info, create_submission
from simulator import ChatMessage, UserSession
from storage.deps import Deps
from storage.models import (
    Blob,
    Citizen,
    Commune,
    Document,
    Event,
    Outbox,
    Staff,
    Submission,
    Village,
)
from storage.models import Draft as DraftRow
from storage.states import (
    CertificateStatus,
    DocumentStatus,
    OutboxStatus,
    Route,
    StaffRole,
    SubmissionState,
)
from tests.fixtures.commune import join as join_staff
from tests.fixtures.conversation import agree, answer_questions, photos, submit, until
from tests.fixtures.photos import document_photo
from tests.fixtures.world import (
    RECORDED,
    World,
    bot_options,
    end_alert_window,
    join,
    open_world,
    resident_submits,
)

TIMEOUT = 20


def has_button(person: UserSession, text: str) -> bool:
    latest = person.latest_bot_message()
    return latest is not None and any(
        b.text == text for row in latest.inline_keyboard for b in row
    )


async def press_when_shown(person: UserSession, text: str) -> None:
    """Press a button that an edit (debounced) is about to show."""
    await person.wait_until(lambda: has_button(person, text), timeout=TIMEOUT)
    await person.press(text)


async def submission(deps: Deps, code: str) -> Submission:
    async with deps.database.sessions() as session:
        found = await session.scalar(select(Submission).where(Submission.receipt_code == code))
    assert found is not None
    return found


async def actions(deps: Deps, code: str) -> list[str]:
    found = await submission(deps, code)
    async with deps.database.sessions() as session:
        rows = await session.scalars(
            select(Event.action).where(Event.submission_id == found.id).order_by(Event.id)
        )
        return list(rows)


async def test_submit_notify_needs_info_upload_accept(world: World) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    chief = await join(world, "Y Ni Ksor", StaffRole.CHIEF, village="24175-01")
    resident, code = await resident_submits(world, "Nguyễn Văn An")

    alert = await until(chief, "Hồ sơ mới của Thôn 1", code)
    assert "Nguyễn Văn An" in alert.text
    assert "12/345" in alert.text
    assert "066090012345" not in alert.text  # never an ID number to a chief
    assert officer.new_messages() == []  # the village has a chief: the officer is not paged

    await officer.send_command("queue")
    await until(officer, "Hồ sơ — Xã Hòa Phú")
    await officer.press(f"🆕 {code} · Nguyễn Văn An · Thôn 1")
    card = await until(officer, f"Hồ sơ {code}", "066090012345")
    assert "Sổ — trang 2–3: ✅ đã có" in card.text
    await until(resident, "đang được cán bộ địa chính xã xem xét")

    await officer.press("📝 Cần bổ sung")
    await until(officer, "chọn giấy tờ còn thiếu")
    await officer.press("⬜ Sổ — trang 2–3")
    await press_when_shown(officer, "Xong")
    await until(officer, "gõ một ghi chú")
    await officer.send_text("Ảnh trang 2–3 bị lóa, chụp lại giúp")
    await until(officer, "Đã gửi yêu cầu bổ sung")

    request = await until(resident, "Xã cần bổ sung cho hồ sơ", code)
    assert "bị lóa" in request.text
    await resident.press("📷 Gửi: Sổ — trang 2–3")
    await until(resident, "Hãy gửi ảnh Sổ — trang 2–3")
    retake = document_photo(41, card=False)
    await resident.send_document(retake, "retake.jpg", mime_type="image/jpeg")
    await until(resident, "Đã nhận đủ giấy tờ bổ sung")
    assert (await submission(world.deps, code)).state is SubmissionState.RESUBMITTED

    await until(officer, f"Hồ sơ {code} đã được bổ sung")
    await officer.press("📂 Mở hồ sơ")
    await until(officer, f"Hồ sơ {code}", "đang xem xét")
    await officer.press("✅ Tiếp nhận")
    await until(officer, "Xác nhận hồ sơ")
    await officer.press("✅ Đã nhập, tiếp nhận")
    await until(officer, f"Đã tiếp nhận hồ sơ {code}")
    await until(resident, f"Hồ sơ {code} đã được tiếp nhận")

    done = await submission(world.deps, code)
    assert done.state is SubmissionState.ACCEPTED
    assert await actions(world.deps, code) == [
        "submitted",
        "review_started",
        "needs_info",
        "document_added",
        "resubmitted",
        "review_started",
        "accepted",
    ]
    async with world.deps.database.sessions() as session:
        pages = list(
            await session.scalars(
                select(Document).where(
                    Document.submission_id == done.id, Document.slot == "cert_owner"
                )
            )
        )
        statuses = sorted(d.status.value for d in pages)
        stored = next(d for d in pages if d.status is DocumentStatus.STORED)
        blob = await session.get(Blob, stored.blob_id)
    assert statuses == ["deleted", "stored"]  # the unreadable page was replaced
    assert blob is not None
    opened = open_document(world.deps.blobs.read(blob.name), world.identity)
    assert Image.open(io.BytesIO(opened)).size == Image.open(io.BytesIO(retake)).size


async def test_triage_submission_assigned_by_officer(world: World) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    chief2 = await join(world, "Ama Khoa", StaffRole.CHIEF, village="24175-02")
    resident, code = await resident_submits(world, "Trần Thị Bình", link=None)
    assert (await submission(world.deps, code)).route is Route.TRIAGE

    await until(officer, "chưa rõ thôn", code)
    await officer.press("📂 Mở hồ sơ")
    await until(officer, f"Hồ sơ {code}")
    await officer.press("📍 Phân về thôn")
    await until(officer, "Phân hồ sơ")
    await officer.press("Thôn 2")
    await until(officer, f"Đã phân hồ sơ {code} về Thôn 2")
    await until(resident, "đã được chuyển về Thôn 2")
    await until(chief2, "Hồ sơ mới của Thôn 2", code)
    assigned = await submission(world.deps, code)
    assert assigned.route is Route.STAFF
    assert "assigned" in await actions(world.deps, code)


async def make_submissions(deps: Deps, village_code: str, count: int) -> list[str]:
    """Submissions created directly in the domain (the resident's flow is tested elsewhere)."""
    codes = []
    async with deps.database.sessions.begin() as session:
        village = await session.scalar(select(Village).where(Village.code == village_code))
        assert village is not None
        commune = await session.get(Commune, village.commune_id)
        assert commune is not None
        for index in range(count):
            citizen = Citizen(id=uuid.uuid4(), telegram_user_id=900_000 + index, language="vi")
            session.add(citizen)
            await session.flush()
            draft = Draft(
                step=Step.REVIEW,
                commune=Place(commune.id, commune.name),
                village=Place(village.id, village.name, village.code),
                whose=Whose.SELF,
                holder_name=f"Hộ Số {index:03d}",
                cccd=f"066090{index:06d}",
                phone="",
                certificate_status=CertificateStatus.AT_BANK,
                map_sheet="7",
                parcel_no=str(index + 1),
            )
            made = await create_submission(
                session,
                deps,
                citizen=citizen,
                chat_id=citizen.telegram_user_id,
                draft_id=uuid.uuid4(),
                draft=draft,
            )
            codes.append(made.receipt_code)
    return codes


async def test_chief_chooses_the_daily_digest(world: World) -> None:
    chief = await join(world, "Y Ni Ksor", StaffRole.CHIEF, village="24175-01")
    await chief.send_command("settings")
    await until(chief, "Cài đặt — cách nhận thông báo")
    await chief.press("🗞 Tóm tắt hằng ngày")
    await until(chief, "một bản tóm tắt mỗi ngày")
    codes = await make_submissions(world.deps, "24175-01", 3)
    await asyncio.sleep(0.5)
    assert not [m for m in chief.new_messages() if "Hồ sơ mới" in m.text]  # no instant alerts

    tomorrow = datetime.now(VIETNAM) + timedelta(days=1)
    written = await world.runtime.services.daily.send_digests(tomorrow.replace(hour=18))
    assert written == 1
    world.runtime.services.outbox.kick()
    digest = await until(chief, "Tóm tắt ngày", "3 hồ sơ mới")
    assert all(code in digest.text for code in codes)
    # the same day again: nothing more
    assert await world.runtime.services.daily.send_digests(tomorrow.replace(hour=20)) == 0


async def test_assisted_submission_by_a_chief(world: World) -> None:
    chief = await join(world, "Y Ni Ksor", StaffRole.CHIEF, village="24175-01")
    await chief.send_command("assist")
    await until(chief, "Hộ ở Thôn 1 đã đồng ý trực tiếp chưa")
    await chief.press("✅ Hộ đã đồng ý trực tiếp")
    await until(chief, "Họ và tên")
    await chief.send_text("Phạm Văn Cường")
    await until(chief, "Số căn cước")
    await chief.send_text("066 090 055 555")
    await until(chief, "Số điện thoại của hộ")
    await chief.share_contact("+84900000001")
    await until(chief, "Đây là số của bạn")
    await chief.send_text("0912 345 678")
    await until(chief, "Giấy chứng nhận")
    await chief.press("Sổ của hộ đang thế chấp ở ngân hàng")  # worded for a chief
    await until(chief, "tờ bản đồ")
    await chief.send_text("12")
    await until(chief, "Số thửa")
    await chief.send_text("104")
    await until(chief, "MẶT TRƯỚC")
    files = photos()
    await chief.send_document(files["front"], "a.jpg")
    await until(chief, "MẶT SAU")
    await chief.send_document(files["back"], "b.jpg")
    await until(chief, "biên nhận của ngân hàng")
    await chief.press("Bỏ qua")
    code = await submit(chief)

    made = await submission(world.deps, code)
    async with world.deps.database.sessions() as session:
        staff = await staff_for_user(session, chief.user_id)
        consent = await session.scalar(
            select(Event).where(Event.action == "consent_in_person").order_by(Event.id.desc())
        )
    assert staff is not None
    assert made.assisted_by_staff_id == staff.id
    assert consent is not None
    assert consent.actor_id == str(staff.id)
    assert made.route is Route.CHOSEN
    await chief.send_command("progress")
    progress = await until(chief, "📊 Thôn 1\n", "Đã nộp: 1")
    missing, _, off_list = progress.text.partition("Đã nộp nhưng không có trong danh sách hộ")
    assert "Phạm Văn Cường" not in missing  # not a household still to come
    assert "Phạm Văn Cường" in off_list  # submitted, and on no imported list


async def test_invites_single_use_expired_and_forged_buttons(world: World) -> None:
    issued = await invite_from_cli(
        world.deps,
        role=StaffRole.CHIEF,
        province_code=None,
        commune_code=None,
        village_code="24175-03",
    )
    first = world.simulator.add_user("Người Một", language_code="vi")
    second = world.simulator.add_user("Người Hai", language_code="vi")
    await first.send_command("start", issued.start_payload)
    await until(first, "Chào mừng", "Thôn 3")
    await second.send_command("start", issued.start_payload)
    await until(second, "đã được dùng")
    expired = await invite_from_cli(
        world.deps,
        role=StaffRole.CHIEF,
        province_code=None,
        commune_code=None,
        village_code="24175-04",
        ttl=timedelta(seconds=-1),
    )
    await second.send_command("start", expired.start_payload)
    await until(second, "đã hết hạn")
    async with world.deps.database.sessions() as session:
        assert await staff_for_user(session, second.user_id) is None
        assert await staff_for_user(session, first.user_id) is not None

    # a resident typing a staff command; a revoked chief pressing an old staff button
    resident, code = await resident_submits(world, "Nguyễn Văn An")
    await resident.send_command("queue")
    await until(resident, "chỉ dành cho cán bộ")
    chief = await join(world, "Y Ni Ksor", StaffRole.CHIEF, village="24175-01")
    _, code = await resident_submits(world, "Trần Thị Bình")
    await until(chief, "Hồ sơ mới của Thôn 1", code)
    async with world.deps.database.sessions.begin() as session:
        member = await staff_for_user(session, chief.user_id)
        assert member is not None
        assert await revoke_staff(session, member.id)
    await chief.press("📂 Mở hồ sơ")
    await until(chief, "chỉ dành cho cán bộ")
    # staff command menus: set in the member's chat on joining, removed once revoked
    world.runtime.services.menus.kick()
    for method, person in (("setmycommands", first), ("deletemycommands", chief)):
        await wait_for(lambda m=method, c=person.chat_id: bool(menu_calls(m, c)))
    commands = menu_calls("setmycommands", first.chat_id)[0]
    assert "/queue" not in commands
    assert "queue" in commands
    assert "assist" in commands
    assert "invite" not in commands  # a chief's menu
    async with world.deps.database.sessions() as session:
        refused = list(await session.scalars(select(Event).where(Event.action == "refused")))
    assert [e.data["request"] for e in refused] == ["/queue", f"s:o:{code}"]
    assert (await submission(world.deps, code)).state is SubmissionState.SUBMITTED
    # the chief of village 3 sees village 3 only
    await first.send_command("queue")
    await until(first, "Hồ sơ — Thôn 3")


def menu_calls(method: str, chat_id: int) -> list[str]:
    """The commands parameter of every successful menu call scoped to a chat."""
    return [
        str(exchange.params.get("commands", ""))
        for _, exchange in RECORDED
        if exchange.method.lower() == method
        and exchange.status == 200
        and f'"chat_id": {chat_id}' in str(exchange.params.get("scope", "")).replace("'", '"')
    ]


async def wait_for(condition: Callable[[], bool], timeout: float = TIMEOUT) -> None:  # noqa: ASYNC109
    deadline = asyncio.get_running_loop().time() + timeout
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("condition not met")
        await asyncio.sleep(0.05)


def sent_to(chat_id: int) -> list[tuple[float, int, str]]:
    """(time, HTTP status, text) of every sendMessage to a chat, in order."""
    return [
        (at, exchange.status, str(exchange.params.get("text", "")))
        for at, exchange in RECORDED
        if exchange.method.lower() == "sendmessage"
        and str(exchange.params.get("chat_id")) == str(chat_id)
    ]


@pytest.mark.timeout(120)
async def test_burst_of_200_reaches_the_chief_in_order_without_429(deps: Deps) -> None:
    async with open_world(deps, flood_limits=True, time_scale=25) as world:
        chief = await join(world, "Y Ni Ksor", StaffRole.CHIEF, village="24175-01")
        codes = await make_submissions(world.deps, "24175-01", 200)
        world.runtime.services.outbox.kick()
        await chief.wait_until(
            lambda: sum("Hồ sơ mới" in m.text for m in chief.history()) >= 200, timeout=90
        )
        alerts = [m.text for m in chief.history() if "Hồ sơ mới" in m.text]
        assert [next(c for c in codes if c in text) for text in alerts] == codes
        assert [status for _, status, _ in sent_to(chief.chat_id) if status != 200] == []


@pytest.mark.timeout(120)
async def test_outbox_survives_a_restart_in_the_middle_of_a_burst(deps: Deps) -> None:
    async with open_world(deps, flood_limits=True, time_scale=20) as world:
        chief = await join(world, "Y Ni Ksor", StaffRole.CHIEF, village="24175-01")
        codes = await make_submissions(world.deps, "24175-01", 40)
        world.runtime.services.outbox.kick()

        def alerts() -> list[ChatMessage]:
            return [m for m in chief.history() if "Hồ sơ mới" in m.text]

        await chief.wait_until(lambda: len(alerts()) >= 10, timeout=30)
        await world.runtime.stop()  # in the middle of the burst
        before = len(alerts())
        assert before < 40
        token = world.runtime.application.bot.token
        world.runtime = type(world.runtime)(deps, bot_options(token, world.simulator.url, 20))
        await world.runtime.start()
        await chief.wait_until(lambda: len(alerts()) >= 40, timeout=60)
        await asyncio.sleep(0.5)
        received = [next(c for c in codes if c in m.text) for m in alerts()]
        assert received == codes  # all, once each, in order


@pytest.mark.timeout(60)
async def test_sender_waits_retry_after_when_telegram_says_429(deps: Deps) -> None:
    async with open_world(deps, flood_limits=True) as world:
        chief = await join(world, "Y Ni Ksor", StaffRole.CHIEF, village="24175-01")
        await world.runtime.stop()  # only the over-eager sender below sends
        codes = await make_submissions(world.deps, "24175-01", 4)
        token = world.runtime.application.bot.token
        url = world.simulator.url
        async with Bot(token, base_url=f"{url}/bot", base_file_url=f"{url}/file/bot") as bot:
            eager = OutboxSender(bot, OutboxService(world.deps), chat_interval=0.05)
            stop = asyncio.Event()
            task = asyncio.create_task(eager.run(stop, poll=0.1))
            try:
                await chief.wait_until(
                    lambda: sum("Hồ sơ mới" in m.text for m in chief.history()) >= 4, timeout=40
                )
            finally:
                stop.set()
                await task
        calls = sent_to(chief.chat_id)
        refused = [i for i, (_, status, _) in enumerate(calls) if status == 429]
        assert refused, "the simulator never said 429: the test did not test anything"
        for index in refused:
            at = calls[index][0]
            retry_after = next(
                float(e.response["parameters"]["retry_after"])  # type: ignore[index, call-overload]
                for when, e in RECORDED
                if when == at and e.status == 429
            )
            assert calls[index + 1][0] - at >= retry_after * 0.95  # waited what Telegram asked
        alerts = [m.text for m in chief.history() if "Hồ sơ mới" in m.text]
        assert [next(c for c in codes if c in t) for t in alerts] == codes


async def test_reject_with_a_preset_reason_and_with_a_typed_one(world: World) -> None:
    """An officer rejects one submission with a preset reason and another with a reason they
    type; each resident reads theirs; each is a "rejected" event with its reason."""
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    first, first_code = await resident_submits(world, "Đinh Văn Khoa", "v24175-04")
    second, second_code = await resident_submits(world, "Mai Thị Lan", "v24175-04")
    await until(officer, "Hồ sơ mới", first_code)  # Thôn 4 has no chief: the officer is told
    await end_alert_window(world)  # the second came within minutes: gathered, sent later
    await until(officer, "1 hồ sơ mới trong mấy phút qua", second_code)

    await officer.send_command("queue")
    await until(officer, "Hồ sơ — Xã Hòa Phú")
    await officer.press(f"🆕 {first_code} · Nguyễn Văn An · Thôn 4")
    await until(officer, f"Hồ sơ {first_code}")
    await officer.press("❌ Không tiếp nhận")
    await until(officer, f"Vì sao không tiếp nhận hồ sơ {first_code}")
    await officer.press("trùng với hồ sơ khác")
    await until(officer, f"Đã ghi không tiếp nhận hồ sơ {first_code}")
    told = await until(first, f"Hồ sơ {first_code} không được tiếp nhận")
    assert "Lý do: trùng với hồ sơ khác" in told.text

    await officer.send_command("queue")
    await until(officer, "Hồ sơ — Xã Hòa Phú")
    await officer.press(f"🆕 {second_code} · Nguyễn Văn An · Thôn 4")
    await until(officer, f"Hồ sơ {second_code}")
    await officer.press("❌ Không tiếp nhận")
    await until(officer, f"Vì sao không tiếp nhận hồ sơ {second_code}")
    await officer.press("lý do khác")
    await until(officer, "Hãy gõ lý do")
    await officer.send_text("Ảnh sổ là của thửa đất ở xã khác")
    await until(officer, f"Đã ghi không tiếp nhận hồ sơ {second_code}")
    told = await until(second, f"Hồ sơ {second_code} không được tiếp nhận")
    assert "Ảnh sổ là của thửa đất ở xã khác" in told.text

    for code, reason, note in (
        (first_code, "duplicate", ""),
        (second_code, "other", "Ảnh sổ là của thửa đất ở xã khác"),
    ):
        found = await submission(world.deps, code)
        assert found.state is SubmissionState.REJECTED
        async with world.deps.database.sessions() as session:
            event = await session.scalar(
                select(Event).where(Event.submission_id == found.id, Event.action == "rejected")
            )
        assert event is not None
        assert (event.data["reason"], event.note) == (reason, note)


async def test_the_officer_asks_for_the_report_and_gets_text_and_chart(world: World) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    resident, code = await resident_submits(world, "Đinh Văn Khoa", "v24175-02")
    await until(officer, "Hồ sơ mới", code)
    await officer.send_command("report")
    text = await until(officer, "Báo cáo ngày", "Xã Hòa Phú")
    assert "đã nộp 1" in text.text
    chart = await until(officer, "Biểu đồ tiến độ")
    assert chart.raw.get("photo"), "the chart comes as a photo"
    picture = officer.file_bytes(chart)
    assert Image.open(io.BytesIO(picture)).size[0] > 400  # a drawn chart, not a placeholder


async def test_an_alert_waits_for_a_chief_who_has_not_opened_the_bot(world: World) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    # made staff from the command line: their chat with the bot was never opened
    await join_staff(world.deps, StaffRole.CHIEF, 7101, village="24175-01")
    chief = world.simulator.add_user("Y Ni Ksor", user_id=7101, language_code="vi")
    resident, code = await resident_submits(world, "Nguyễn Văn An")
    await until(officer, "Trưởng thôn của Thôn 1 chưa mở kênh trên Telegram")
    async with world.deps.database.sessions() as session:
        waiting = list(
            await session.scalars(
                select(Outbox).where(Outbox.chat_id == 7101, Outbox.status == OutboxStatus.PENDING)
            )
        )
    assert len(waiting) == 1  # kept, not failed
    await chief.send_command("start")
    alert = await until(chief, "New submission from Thôn 1", code)  # in the chief's English
    assert "Nguyễn Văn An" in alert.text
    await asyncio.sleep(1.5)
    again = [m for m in officer.new_messages() if "chưa mở kênh" in m.text]
    assert again == []  # the officers were told once


async def ask_for_pages(world: World, code: str, slots: list[str]) -> None:
    """An officer's "needs info", as the desk applies it."""
    async with world.deps.database.sessions.begin() as session:
        found = await session.scalar(select(Submission).where(Submission.receipt_code == code))
        officer = await session.scalar(select(Staff).where(Staff.role == StaffRole.OFFICER))
        assert found is not None
        assert officer is not None
        await ask_for_info(session, world.deps, found, officer, slots=slots, note="chụp lại")
    world.runtime.services.outbox.kick()


async def test_a_photo_sent_without_the_button_answers_the_open_request(world: World) -> None:
    await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    resident, code = await resident_submits(world, "Nguyễn Văn An")
    await ask_for_pages(world, code, ["cert_owner"])
    await until(resident, "Xã cần bổ sung cho hồ sơ", code)
    # the resident sends the page straight away, without pressing "📷 Gửi: …"
    await resident.send_document(document_photo(41, card=False), "p.jpg", mime_type="image/jpeg")
    await until(resident, "Đã nhận đủ giấy tờ bổ sung")
    assert (await submission(world.deps, code)).state is SubmissionState.RESUBMITTED
    assert "bấm /start" not in " ".join(m.text for m in resident.history())


async def test_several_pages_asked_the_photo_asks_which_and_start_names_the_request(
    world: World,
) -> None:
    await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    resident, code = await resident_submits(world, "Nguyễn Văn An")
    await ask_for_pages(world, code, ["cert_cover", "cert_owner"])
    await until(resident, "Xã cần bổ sung cho hồ sơ", code)
    await resident.send_document(document_photo(42, card=False), "p.jpg", mime_type="image/jpeg")
    which = await until(resident, "Ảnh vừa gửi là trang nào?", code)
    assert [b.text for row in which.inline_keyboard for b in row] == [
        "📷 Gửi: Sổ — trang 1 (số seri)",
        "📷 Gửi: Sổ — trang 2–3",
    ]
    await resident.send_command("start")
    reminder = await until(resident, "Lưu ý: hồ sơ", code)
    assert "không cần làm hồ sơ mới" in reminder.text
    assert (await submission(world.deps, code)).state is SubmissionState.NEEDS_INFO


async def test_typed_receipt_name_or_parcel_finds_submissions_from_the_queue(
    world: World,
) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    first, first_code = await resident_submits(world, "Đinh Văn Khoa", "v24175-04")
    second, second_code = await resident_submits(world, "Mai Thị Lan", "v24175-01")
    await officer.send_command("queue")
    queue_screen = await until(officer, "Hồ sơ — Xã Hòa Phú", "gõ mã hồ sơ")
    # every row names its village, in a short line
    labels = [b.text for row in queue_screen.inline_keyboard for b in row]
    assert f"🆕 {first_code} · Nguyễn Văn An · Thôn 4" in labels
    assert f"🆕 {second_code} · Nguyễn Văn An · Thôn 1" in labels

    await officer.send_text(second_code.lower())  # a receipt code opens the card at once
    card = await until(officer, f"Hồ sơ {second_code}", "Số seri")
    assert "Thôn 1" in card.text
    await officer.send_text("nguyen van an")  # a name, without accents: both
    found = await until(officer, "“nguyen van an”: 2 hồ sơ")
    assert {b.text for row in found.inline_keyboard for b in row} == {
        f"👀 {second_code} · Nguyễn Văn An · Thôn 1",  # opened above: in review now
        f"🆕 {first_code} · Nguyễn Văn An · Thôn 4",
    }
    await officer.send_text("12/345")
    await until(officer, "“12/345”: 2 hồ sơ")
    await officer.send_text("Trần Thị Xuân")
    await until(officer, "Không thấy hồ sơ nào khớp “Trần Thị Xuân”")
    await officer.send_text("x" * 300)
    await until(officer, "Chữ tìm quá dài")
    await officer.send_command("cancel")
    await until(officer, "Đã hủy")
    await officer.send_command("queue")
    await until(officer, "Hồ sơ — Xã Hòa Phú")
    await officer.send_command("progress")  # another command leaves the queue
    await until(officer, "Tiến độ")
    await officer.send_text("Nguyễn Văn An")
    await until(officer, "hãy bấm /start")  # a text, not a search

    # a chief searches their own village only
    chief = await join(world, "Y Ni Ksor", StaffRole.CHIEF, village="24175-01")
    await chief.send_command("queue")
    await until(chief, "Hồ sơ — Thôn 1")
    await chief.send_text(first_code)  # Thôn 4's
    await until(chief, f"Không thấy hồ sơ nào khớp “{first_code}”")
    await chief.send_text("066090012345")  # a chief does not search by ID number
    await until(chief, "Không thấy hồ sơ nào khớp")

    # a staff member who begins their own submission answers its questions, not a search
    await officer.send_command("queue")
    await until(officer, "Hồ sơ — Xã Hòa Phú")
    await agree(officer)
    await until(officer, "xã (phường) nào")
    await officer.send_text("Hòa Phú")
    await until(officer, "thôn (buôn")


async def test_an_officers_alerts_within_minutes_are_gathered_in_one_message(
    world: World,
) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    codes = [(await resident_submits(world, f"Người {n}", "v24175-04"))[1] for n in range(4)]
    _, triage_code = await resident_submits(world, "Người 5", None)
    await until(officer, "Hồ sơ mới ở Thôn 4", codes[0])  # the first: at once
    await asyncio.sleep(1)
    assert [m for m in officer.new_messages() if "hồ sơ mới" in m.text.lower()] == []
    async with world.deps.database.sessions() as session:
        gathered = list(
            await session.scalars(select(Outbox).where(Outbox.kind == "officer_batch"))
        )
    assert len(gathered) == 1  # the other four wait in one row, due minutes later
    assert gathered[0].not_before - gathered[0].created_at > timedelta(minutes=2, seconds=50)

    await end_alert_window(world)
    batch = await until(officer, "4 hồ sơ mới trong mấy phút qua")
    for code in codes[1:]:
        assert f"{code} · Nguyễn Văn An · Thôn 4" in batch.text
    assert f"{triage_code} · Nguyễn Văn An · chưa rõ thôn" in batch.text
    labels = [b.text for row in batch.inline_keyboard for b in row]
    assert labels == [f"📂 Mở {code}" for code in [*codes[1:], triage_code]]
    await officer.press(f"📂 Mở {codes[2]}")
    await until(officer, f"Hồ sơ {codes[2]}")


async def test_assist_keeps_the_chiefs_own_draft_aside_and_offers_the_missing_households(
    world: World,
) -> None:
    rows = "".join(
        f"24175,{name},24175-01,,12,{parcel}\n"
        for name, parcel in (
            ("Nguyễn Văn An", "345"),
            ("Hà Thị Mai", "346"),
            ("Lò Văn Páo", "347"),
        )
    )
    header = "commune_code,household_name,village_code,cccd,map_sheet,parcel_no\n"
    await import_targets(world.deps, (header + rows).encode(), province_code="66")
    await resident_submits(world, "Nguyễn Văn An")  # 12/345: no longer missing
    chief = await join(world, "Y Ni Ksor", StaffRole.CHIEF, village="24175-01")
    # the chief's own submission, half done
    await agree(chief, "v24175-02")
    await until(chief, "đứng tên ai")
    await chief.press("Tên tôi")
    await until(chief, "Họ và tên")
    await chief.send_text("Y Ni Ksor")
    await until(chief, "Số căn cước")

    await chief.send_command("assist")
    offer = await until(chief, "Nộp hộ ở Thôn 1. 2 hộ trong danh sách chưa nộp")
    assert [b.text for row in offer.inline_keyboard for b in row] == [
        "Hà Thị Mai",
        "Lò Văn Páo",
        "➕ Hộ khác (không có trong danh sách)",
    ]
    await chief.press("Hà Thị Mai")
    await until(chief, "Hồ sơ của riêng bạn đang làm dở được cất lại")
    await until(chief, "Hộ ở Thôn 1 đã đồng ý trực tiếp chưa")
    await chief.press("✅ Hộ đã đồng ý trực tiếp")
    await until(chief, "Số căn cước")  # the name came from the list
    await chief.send_text("066 190 000 777")
    await until(chief, "Số điện thoại của hộ")
    await chief.press("Bỏ qua")
    await until(chief, "Giấy chứng nhận")
    labels = [b.text for row in chief.reply_keyboard or () for b in row]
    assert "Hộ đang giữ sổ" in labels  # worded for a chief asking on the household's behalf
    assert "Tôi đang giữ sổ" not in labels
    await chief.press("Hộ đang giữ sổ")
    await until(chief, "Số phát hành")
    await chief.send_text("AB 12345678")
    await until(chief, "MẶT TRƯỚC")  # sheet and parcel came from the list
    files = photos()
    for file, prompt in (
        ("front", "MẶT SAU"),
        ("back", "TRANG 1"),
        ("page1", "TRANG 2–3"),
        ("page2", "trang ghi thay đổi"),
    ):
        await chief.send_document(files[file], f"{file}.jpg", mime_type="image/jpeg")
        await until(chief, prompt)
    await chief.press("Bỏ qua")
    summary = await until(chief, "Xem lại hồ sơ nộp hộ, đọc lại cho hộ nghe")
    assert "Họ tên: Hà Thị Mai" in summary.text
    assert "Tờ bản đồ: 12 — Thửa: 346" in summary.text
    assert "Đứng tên: một người trong hộ gia đình" in summary.text
    await chief.press("📨 Gửi hồ sơ")
    receipt = await until(chief, "Đã nhận hồ sơ nộp hộ", "Hãy ghi mã biên nhận này cho hộ")
    code = receipt.text.split("Mã biên nhận: ")[1].split("\n")[0]
    # the chief's own submission is back at the question where it was left
    await until(chief, "Quay lại hồ sơ của riêng bạn")
    await until(chief, "Số căn cước")
    await chief.send_text("066 090 012 399")
    await until(chief, "Số điện thoại")
    made = await submission(world.deps, code)
    assert made.assisted_by_staff_id is not None
    async with world.deps.database.sessions() as session:
        drafts = list(
            await session.scalars(select(DraftRow).where(DraftRow.chat_id == chief.user_id))
        )
    assert [(d.aside, d.step) for d in drafts] == [(False, "phone")]

    # the next /assist offers only the household still missing
    await chief.send_command("assist")
    offer = await until(chief, "1 hộ trong danh sách chưa nộp")
    assert "Lò Văn Páo" in [b.text for row in offer.inline_keyboard for b in row]
    await chief.press("➕ Hộ khác (không có trong danh sách)")
    await until(chief, "đã đồng ý trực tiếp chưa")
    await chief.send_command("assist")  # one for a household at a time
    await until(chief, "Bạn đang nộp hộ dở một hồ sơ")
    await chief.send_command("cancel")  # cancelled: the chief's own comes back again
    await until(chief, "Quay lại hồ sơ của riêng bạn")
    await until(chief, "Số điện thoại")
    shown = [b for row in chief.reply_keyboard or () for b in row]
    assert any(b.request_contact for b in shown)  # its share button came back with it
    await chief.share_contact("+84912000111")
    await until(chief, "Giấy chứng nhận")


def _recompressed(data: bytes) -> bytes:
    """The same photo saved again smaller, as a phone's share or a second upload makes it."""
    with Image.open(io.BytesIO(data)) as image:
        out = io.BytesIO()
        image.resize((image.width * 3 // 4, image.height * 3 // 4)).save(out, "JPEG", quality=60)
        return out.getvalue()


async def test_the_same_document_photo_in_two_submissions_is_flagged_for_the_officer(
    world: World,
) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    _, first = await resident_submits(world, "Nguyễn Văn An")
    # a second household sends the same ID card photo again, recompressed; other pages
    second = world.simulator.add_user("Trần Văn Bảo", language_code="vi")
    await agree(second, "v24175-01")
    await answer_questions(second, cccd="066 090 077 777")  # another person
    files = photos()
    for data, prompt in (
        (_recompressed(files["front"]), "MẶT SAU"),
        (document_photo(12, card=True), "TRANG 1"),
        (document_photo(13, card=False), "TRANG 2–3"),
        (document_photo(14, card=False), "trang ghi thay đổi"),
    ):
        await second.send_document(data, "photo.jpg", mime_type="image/jpeg")
        await until(second, prompt)
    await second.press("Bỏ qua")
    code = await submit(second)
    # a third with photos of its own is not flagged
    third = world.simulator.add_user("Lò Thị Ca", language_code="vi")
    await agree(third, "v24175-01")
    await answer_questions(third)
    for seed, prompt in ((21, "MẶT SAU"), (22, "TRANG 1"), (23, "TRANG 2–3"), (24, "thay đổi")):
        await third.send_document(
            document_photo(seed, card=seed < 23), "p.jpg", mime_type="image/jpeg"
        )
        await until(third, prompt)
    await third.press("Bỏ qua")
    own = await submit(third)

    await officer.send_command("queue")
    await until(officer, "Hồ sơ — Xã Hòa Phú")
    await officer.send_text(code)
    card = await until(officer, f"Hồ sơ {code}")
    assert "có thể trùng hồ sơ khác" in card.text
    assert f"Có thể trùng với hồ sơ: {first}" in card.text
    await officer.send_text(first)  # the first is flagged too, naming the second
    card = await until(officer, f"Hồ sơ {first}")
    assert f"Có thể trùng với hồ sơ: {code}" in card.text
    await officer.send_text(own)
    card = await until(officer, f"Hồ sơ {own}")
    assert "trùng" not in card.text


CARD_QR = "066090099999|245123456|Nguyễn Văn An|01011990|Nam|Thôn 1, Hòa Phú, Đắk Lắk|01012021"
CERTIFICATE_QR = "24175000123|AB 7654321|Hòa Phú"


async def test_a_qr_code_that_disagrees_with_a_typed_number_is_asked_and_flagged(
    world: World,
) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    resident = world.simulator.add_user("Nguyễn Văn An", language_code="vi")
    await agree(resident, "v24175-04")
    await answer_questions(resident)  # typed: 066 090 012 345 and serial AA 01234567
    files = photos()
    for data, prompt in (
        (document_photo(31, card=True, qr=CARD_QR), "MẶT SAU"),
        (files["back"], "TRANG 1"),
        (document_photo(33, card=False, qr=CERTIFICATE_QR), "TRANG 2–3"),
        (files["page2"], "trang ghi thay đổi"),
    ):
        await resident.send_document(data, "photo.jpg", mime_type="image/jpeg")
        await until(resident, prompt)
    await resident.press("Bỏ qua")
    await until(resident, "Mã QR trên căn cước ghi số 066090099999, khác số bạn đã gõ")
    await resident.press("Số tôi đã gõ: 066090012345")
    await until(resident, "Mã QR trên sổ ghi số seri AB 7654321, khác số bạn đã gõ")
    await resident.press("Số trên giấy tờ: AB 7654321")
    summary = await until(resident, "Xem lại hồ sơ")
    assert "Số seri: AB 7654321" in summary.text
    assert "Số căn cước: 066090012345" in summary.text
    await resident.press("📨 Gửi hồ sơ")
    receipt = await until(resident, "Mã biên nhận")
    code = receipt.text.split("Mã biên nhận: ")[1].split("\n")[0]

    await officer.send_command("queue")
    await until(officer, "Hồ sơ — Xã Hòa Phú")
    await officer.send_text(code)
    card = await until(officer, f"Hồ sơ {code}")
    assert "số căn cước gõ vào khác số trong mã QR của thẻ" in card.text
    assert "số seri gõ vào khác số trong mã QR của sổ" in card.text
    assert "Số seri sổ: AB 7654321" in card.text
