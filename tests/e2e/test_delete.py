"""`/delete` through the simulator and the real bot: a resident who sent a submission sees it in
`/mydata`, confirms twice, and nothing of what they gave can be read any more — not in the
database file and its WAL, not in the blob store, not through the field keys (every encrypted
column of every table opened and searched), not through the CCCD's blind index — while the
officer's queue and the chief's progress no longer count the submission. What was accepted
into the land system is kept, and the answer says so; a confirmation is cancelled by anything
else; someone with nothing stored gets a kind answer."""

from __future__ import annotations

import asyncio
from pathlib import Path

from sqlalchemy import func, select

from crypto import BlindIndex, FieldCipher
from simulator import UserSession
from storage.models import (
    ENCRYPTED_COLUMNS,
    Blob,
    Citizen,
    ConsentRecord,
    Document,
    Draft,
    Event,
    InboxUpdate,
    Outbox,
    Staff,
    Submission,
)
from storage.states import ConsentChannel, ConsentKind, StaffRole, SubmissionState
from tests.fixtures.conversation import agree, photos, submit, until
from tests.fixtures.rawscan import assert_nowhere, raw_blobs, raw_database
from tests.fixtures.world import World, join

# distinctive values, found nowhere else in a test run
NAME = "Lục Thị Quế Uyên"
CCCD = "066185731942"
PHONE = "+84938271645"
SERIAL = "DQ 572913"
SHEET, PARCEL = "37", "861"
PLANTED = (NAME, "Quế Uyên", CCCD, "185731942", PHONE, "938271645", SERIAL, "572913")


async def sends(world: World, person: UserSession, *, parcel: str = PARCEL) -> str:
    """The resident agrees, answers with the planted values and sends four photos."""
    await agree(person, "v24175-01")
    await until(person, "đứng tên ai")
    await person.press("Tên tôi")
    await until(person, "Họ và tên")
    await person.send_text(NAME)
    await until(person, "Số căn cước")
    await person.send_text(CCCD)
    await until(person, "Số điện thoại")
    await person.share_contact(PHONE)
    await until(person, "Giấy chứng nhận")
    await person.press("Tôi đang giữ sổ")
    await until(person, "Số phát hành")
    await person.send_text(SERIAL.lower())
    await until(person, "tờ bản đồ")
    await person.send_text(SHEET)
    await until(person, "Số thửa")
    await person.send_text(parcel)
    await until(person, "MẶT TRƯỚC")
    files = photos()
    for file, prompt in (
        ("front", "MẶT SAU"),
        ("back", "TRANG 1"),
        ("page1", "TRANG 2–3"),
        ("page2", "trang ghi thay đổi"),
    ):
        await person.send_document(files[file], f"{file}.jpg", mime_type="image/jpeg")
        await until(person, prompt)
    await person.press("Bỏ qua")
    return await submit(person)


async def row_of(world: World, code: str) -> Submission:
    async with world.deps.database.sessions() as session:
        found = await session.scalar(select(Submission).where(Submission.receipt_code == code))
    assert found is not None
    return found


async def blob_names(world: World, submission: Submission) -> list[str]:
    async with world.deps.database.sessions() as session:
        return list(
            await session.scalars(
                select(Blob.name)
                .join(Document, Document.blob_id == Blob.id)
                .where(Document.submission_id == submission.id)
            )
        )


async def opened_everywhere(world: World) -> str:
    """Every value of every encrypted column of every table, opened with the field keys."""
    cipher: FieldCipher = world.deps.fields
    opened = []
    async with world.deps.database.sessions() as session:
        for model, columns in ENCRYPTED_COLUMNS.items():
            table = model.__table__
            id_column = table.c["id"]
            for row in await session.execute(select(id_column, *(table.c[c] for c in columns))):
                for column, value in zip(columns, row[1:], strict=True):
                    if value:
                        opened.append(
                            cipher.decrypt(
                                value, table=model.__tablename__, column=column, row=row[0]
                            )
                        )
    return "\n".join(opened)


async def inbox_crossed_off(world: World) -> None:
    """Wait until every update taken from Telegram was handled and crossed off."""
    for _ in range(100):
        async with world.deps.database.sessions() as session:
            if not await session.scalar(select(func.count()).select_from(InboxUpdate)):
                return
        await asyncio.sleep(0.1)
    raise AssertionError("the polling inbox kept updates")


async def queue_labels(officer: UserSession) -> list[str]:
    await officer.send_command("queue")
    screen = await until(officer, "Hồ sơ — Xã Hòa Phú")
    return [b.text for row in screen.inline_keyboard for b in row]


async def test_mydata_then_delete_twice_confirmed_leaves_nothing_readable(world: World) -> None:
    officer = await join(world, "Lê Thị Hoa", StaffRole.OFFICER)
    chief = await join(world, "Y Ni Ksor", StaffRole.CHIEF, village="24175-01")
    resident = world.simulator.add_user("Quế Uyên", language_code="vi")
    code = await sends(world, resident)
    alert = await until(chief, "Hồ sơ mới của Thôn 1", code)
    assert NAME in alert.text  # what the chief was told, kept in the outbox until now

    # what is held, before
    await resident.send_command("mydata")
    shown = await until(resident, f"Hồ sơ {code} — Thôn 1")
    for value in (NAME, CCCD, PHONE, SERIAL, f"{SHEET}/{PARCEL}"):
        assert value in shown.text, value
    consent = await until(resident, "Bạn đã đồng ý cho xử lý dữ liệu cá nhân")
    async with world.deps.database.sessions() as session:
        given = await session.scalar(select(ConsentRecord))
    assert given is not None
    assert given.notice_sha256 is not None
    assert f"mã thông báo {given.notice_sha256.hex()[:12]}…" in consent.text
    assert "do bạn tự bấm đồng ý trong cuộc trò chuyện này" in consent.text
    assert "/delete" in consent.text

    made = await row_of(world, code)
    files = await blob_names(world, made)
    assert len(files) == 4
    assert all(world.deps.blobs.exists(name) for name in files)
    assert any(code in label for label in await queue_labels(officer))
    await chief.send_command("progress")
    await until(chief, "📊 Thôn 1\n", "Đã nộp: 1")

    # /delete, confirmed twice
    await resident.send_command("delete")
    await until(resident, "Bạn muốn rút lại sự đồng ý và xóa dữ liệu")
    await resident.press("Tiếp tục")
    last = await until(resident, "Xác nhận lần cuối")
    for said in (
        "1 hồ sơ chưa được tiếp nhận sẽ bị rút",
        "số căn cước",
        "sự đồng ý của bạn bị rút lại",
        "không thể hoàn tác",
    ):
        assert said in last.text, said
    assert not_erased(await row_of(world, code))
    await resident.press("🗑 Xóa vĩnh viễn")
    done = await until(resident, "Đã xóa dữ liệu của bạn")
    assert f"đã rút hồ sơ {code}" in done.text
    assert "đã xóa thông tin của 1 hồ sơ và 4 ảnh giấy tờ" in done.text
    assert "đã rút lại sự đồng ý" in done.text

    # the row: withdrawn, its fields and blind index NULL, its documents gone
    erased = await row_of(world, code)
    assert erased.state is SubmissionState.WITHDRAWN
    assert erased.erased_at is not None
    assert (
        erased.holder_name_enc,
        erased.cccd_enc,
        erased.cccd_index,
        erased.phone_enc,
        erased.certificate_serial_enc,
        erased.map_sheet,
        erased.parcel_no,
    ) == (None,) * 7
    blind: BlindIndex = world.deps.blind
    async with world.deps.database.sessions() as session:
        by_index = await session.scalar(
            select(func.count()).where(Submission.cccd_index == blind.cccd(CCCD))
        )
        documents = await session.scalar(
            select(func.count()).where(Document.submission_id == erased.id)
        )
        drafts = await session.scalar(select(func.count()).select_from(Draft))
        citizen = await session.scalar(
            select(Citizen).where(Citizen.telegram_user_id == resident.user_id)
        )
        records = list(await session.scalars(select(ConsentRecord).order_by(ConsentRecord.id)))
        events = list(await session.scalars(select(Event).order_by(Event.id)))
        chief_alert = await session.scalar(
            select(Outbox).where(Outbox.chat_id == chief.chat_id, Outbox.kind == "chief_new")
        )
    assert by_index == 0  # the blind index no longer finds the CCCD
    assert documents == 0
    assert drafts == 0
    assert not any(world.deps.blobs.exists(name) for name in files)  # removed from disk
    assert citizen is not None
    assert (citizen.consent_version, citizen.consent_at) == (None, None)
    assert [(r.kind, r.channel, r.notice_sha256) for r in records] == [
        (ConsentKind.GIVEN, ConsentChannel.SELF, given.notice_sha256),
        (ConsentKind.WITHDRAWN, ConsentChannel.SELF, given.notice_sha256),
    ]
    actions = [e.action for e in events]
    for action in ("withdrawn", "erased", "consent_withdrawn", "data_deleted"):
        assert action in actions, action
    deleted = next(e for e in events if e.action == "data_deleted")
    assert deleted.data["withdrawn"] == [code]
    assert deleted.data["files"] == 4
    withdrawal = next(e for e in events if e.action == "consent_withdrawn")
    assert withdrawal.data["notice_sha256"] == given.notice_sha256.hex()
    audit = "\n".join(f"{e.note} {e.data}" for e in events)
    assert chief_alert is not None
    told = world.deps.fields.decrypt(
        chief_alert.payload_enc, table="outbox", column="payload_enc", row=chief_alert.id
    )
    assert code in told  # the alert stays, its name and parcel forgotten
    assert NAME not in told
    assert f"{SHEET}/{PARCEL}" not in told

    # nothing planted can be read: not through the keys, the audit, the files on disk (once
    # the polling inbox has crossed off the handled updates, which it does every second)
    await inbox_crossed_off(world)
    opened = await opened_everywhere(world)
    assert code in opened  # the check can see what is stored (the receipt stays)
    for value in PLANTED:
        assert value not in opened, value
        assert value not in audit, value
    path = Path(str(world.deps.database.engine.url.database))
    if world.deps.database.backend == "sqlite":
        assert_nowhere(PLANTED, raw_database(path), raw_blobs(world.deps.blobs.root))
    else:
        assert_nowhere(PLANTED, raw_blobs(world.deps.blobs.root))

    # the officer's queue and the chief's progress no longer count it
    assert not any(code in label for label in await queue_labels(officer))
    await chief.send_command("progress")
    await until(chief, "📊 Thôn 1\n", "Đã nộp: 0")

    # and /mydata says what is left: the receipt, erased; no consent
    await resident.send_command("mydata")
    after = await until(resident, f"Hồ sơ {code}", "đã được xóa ngày")
    assert NAME not in after.text
    await until(resident, "Bạn chưa đồng ý cho xử lý dữ liệu cá nhân")
    # to send again, the notice is shown and agreed to again
    await resident.send_command("start")
    await until(resident, "Bạn có đồng ý")


def not_erased(row: Submission) -> bool:
    return row.erased_at is None and row.holder_name_enc is not None


async def test_accepted_kept_other_input_cancels_and_an_old_button_is_refused(
    world: World,
) -> None:
    resident = world.simulator.add_user("Quế Uyên", language_code="vi")
    accepted = await sends(world, resident)
    async with world.deps.database.sessions.begin() as session:
        row = await session.scalar(select(Submission).where(Submission.receipt_code == accepted))
        assert row is not None
        row.state = SubmissionState.ACCEPTED  # entered into the land system meanwhile
    await resident.send_command("start", "v24175-01")
    second = await sends_again(resident)

    # anything else cancels a confirmation on screen, and is handled as usual
    await resident.send_command("delete")
    await until(resident, "Bạn muốn rút lại sự đồng ý")
    await resident.send_command("status")
    status = await until(resident, "Đã hủy việc xóa dữ liệu")
    assert second in status.text
    await resident.press("Tiếp tục")  # the cancelled confirmation's button
    await until(resident, "Nút này đã cũ")

    # the first confirmation's button no longer counts once the second is on screen
    await resident.send_command("delete")
    first = await until(resident, "Bạn muốn rút lại sự đồng ý")
    await resident.press("Tiếp tục")
    last = await until(resident, "Xác nhận lần cuối")
    assert f"hồ sơ {accepted} đã được tiếp nhận vào hệ thống đất đai" in last.text
    await resident.press("Tiếp tục", message_id=first.message_id)
    await until(resident, "Nút này đã cũ")
    await resident.press("🗑 Xóa vĩnh viễn")  # refused too: the refusal cancelled it
    await until(resident, "Nút này đã cũ")
    assert (await row_of(world, second)).erased_at is None

    # keeping, then deleting for real
    await resident.send_command("delete")
    await until(resident, "Bạn muốn rút lại sự đồng ý")
    await resident.press("Không, giữ lại")
    await until(resident, "Đã giữ nguyên dữ liệu của bạn")
    await resident.send_command("delete")
    await until(resident, "Bạn muốn rút lại sự đồng ý")
    await resident.press("Tiếp tục")
    await until(resident, "Xác nhận lần cuối")
    await resident.press("🗑 Xóa vĩnh viễn")
    done = await until(resident, "Đã xóa dữ liệu của bạn")
    assert second in done.text
    kept = await until(resident, f"Hồ sơ {accepted} đã được tiếp nhận", "Xã Hòa Phú")
    assert "liên hệ bộ phận địa chính" in kept.text
    kept_row, erased_row = await row_of(world, accepted), await row_of(world, second)
    assert kept_row.state is SubmissionState.ACCEPTED
    assert kept_row.erased_at is None
    assert kept_row.holder_name_enc is not None  # in the land system: kept whole
    assert len(await blob_names(world, kept_row)) == 4
    assert erased_row.holder_name_enc is None
    # a second /delete: only what is kept is left, and said kindly
    await resident.send_command("delete")
    await until(resident, "Không còn gì để xóa", accepted)


async def sends_again(resident: UserSession) -> str:
    """A second submission by a resident who has consented (same values, another parcel)."""
    await until(resident, "đứng tên ai")
    await resident.press("Tên tôi")
    await until(resident, "Họ và tên")
    await resident.send_text(NAME)
    await until(resident, "Số căn cước")
    await resident.send_text(CCCD)
    await until(resident, "Số điện thoại")
    await resident.share_contact(PHONE)
    await until(resident, "Giấy chứng nhận")
    await resident.press("Sổ đang thế chấp ở ngân hàng")
    await until(resident, "tờ bản đồ")
    await resident.send_text(SHEET)
    await until(resident, "Số thửa")
    await resident.send_text("862")
    await until(resident, "MẶT TRƯỚC")
    files = photos()
    await resident.send_document(files["front"], "a.jpg", mime_type="image/jpeg")
    await until(resident, "MẶT SAU")
    await resident.send_document(files["back"], "b.jpg", mime_type="image/jpeg")
    await until(resident, "biên nhận của ngân hàng")
    await resident.press("Bỏ qua")
    return await submit(resident)


async def test_someone_with_nothing_stored_gets_a_kind_answer(world: World) -> None:
    stranger = world.simulator.add_user("Người Lạ", language_code="vi")
    await stranger.send_command("delete")
    answer = await until(stranger, "hoso không giữ dữ liệu nào của bạn cần xóa")
    assert not answer.inline_keyboard
    async with world.deps.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(ConsentRecord)) == 0
        assert not await session.scalar(select(func.count()).where(Event.action == "data_deleted"))


async def test_a_household_consent_in_person_and_a_chiefs_delete(world: World) -> None:
    chief = await join(world, "Y Ni Ksor", StaffRole.CHIEF, village="24175-01")
    await chief.send_command("assist")
    await until(chief, "Hộ ở Thôn 1 đã đồng ý trực tiếp chưa")
    await chief.press("✅ Hộ đã đồng ý trực tiếp")
    await until(chief, "Họ và tên")
    await chief.send_text("Phạm Văn Cường")
    await until(chief, "Số căn cước")
    await chief.send_text("066 090 055 555")
    await until(chief, "Số điện thoại của hộ")
    await chief.send_text("0912 345 678")
    await until(chief, "Giấy chứng nhận")
    await chief.press("Sổ của hộ đang thế chấp ở ngân hàng")
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
    made = await row_of(world, code)
    async with world.deps.database.sessions() as session:
        (record,) = await session.scalars(select(ConsentRecord))
        chief_row = await session.scalar(
            select(Staff).where(Staff.telegram_user_id == chief.user_id)
        )
    assert chief_row is not None
    assert (record.channel, record.recorded_by_staff_id, record.submission_id) == (
        ConsentChannel.IN_PERSON,
        chief_row.id,
        made.id,  # the consent is the household's submission's
    )
    assert record.citizen_id is None

    # the chief's own /delete: the household's submission is not theirs to erase
    await chief.send_command("delete")
    await until(chief, "hoso không giữ dữ liệu nào của bạn cần xóa")
    kept = await row_of(world, code)
    assert (kept.state, kept.erased_at) == (SubmissionState.SUBMITTED, None)

    # nor is it in the chief's own /mydata: the household's ID number is not the chief's to see
    await chief.send_command("mydata")
    shown = await until(chief, "hoso chưa giữ hồ sơ nào của bạn")
    assert code not in shown.text
    assert "066090055555" not in shown.text
