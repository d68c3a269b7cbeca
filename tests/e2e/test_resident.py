"""A resident's whole submission through the simulator and the real bot (PTB), as on a phone."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from crypto import open_document
from intake.admin import PullFolder, plan_pull, pull_into_folder
from intake.documents import PendingDocument
from intake.language import VIETNAM
from intake.photos import SlotKind, prepare_document
from intake.resident import Outcome
from storage.blobs import OWNER_MARKER
from storage.models import Blob, Document, Draft, Submission
from storage.states import DocumentStatus, Route, SubmissionState
from tests.fixtures.conversation import agree, answer_questions, photos, submit, until
from tests.fixtures.photos import document_photo
from tests.fixtures.world import RECORDED, World


async def test_deep_link_to_receipt_and_sealed_documents(world: World, tmp_path: Path) -> None:
    resident = world.simulator.add_user("Nguyễn Văn An", language_code="vi")
    await resident.send_command("start", "v24175-01")
    await until(resident, "Xin chào")
    await until(resident, "Bạn có đồng ý")
    await resident.press("✅ Tôi đồng ý")
    await until(resident, "Thửa đất ở Thôn 1")
    await answer_questions(resident)
    files = photos()
    sent = {}
    for name, prompt in (
        ("front", "MẶT SAU"),
        ("back", "TRANG 1"),
        ("page1", "TRANG 2–3"),
        ("page2", "trang ghi thay đổi"),
    ):
        sent[name] = await resident.send_document(
            files[name], f"{name}.jpg", mime_type="image/jpeg"
        )
        await until(resident, prompt)
    await resident.press("Bỏ qua")
    code = await submit(resident)
    assert code.startswith("HP-")
    assert len(code) == 8

    async with world.deps.database.sessions() as session:
        submission = await session.scalar(
            select(Submission).where(Submission.receipt_code == code)
        )
        assert submission is not None
        assert (submission.state, submission.route) == (SubmissionState.SUBMITTED, Route.CHOSEN)
        documents = list(
            await session.scalars(select(Document).where(Document.submission_id == submission.id))
        )
        blobs = {b.id: b for b in await session.scalars(select(Blob))}
    by_slot = {d.slot: d for d in documents}
    assert set(by_slot) == {"cccd_front", "cccd_back", "cert_cover", "cert_owner"}
    for slot, name in (
        ("cccd_front", "front"),
        ("cccd_back", "back"),
        ("cert_cover", "page1"),
        ("cert_owner", "page2"),
    ):
        document = by_slot[slot]
        assert document.status is DocumentStatus.STORED
        sealed = world.deps.blobs.read(blobs[document.blob_id].name)  # type: ignore[index]
        opened = open_document(sealed, world.identity)
        kind = SlotKind.ID_CARD if slot.startswith("cccd") else SlotKind.CERTIFICATE
        assert opened == prepare_document(files[name], kind).data  # stripped, byte for byte
        assert open_document(sealed, world.escrow) == opened
    fields = world.deps.fields
    name = fields.decrypt(
        submission.holder_name_enc, table="submission", column="holder_name_enc", row=submission.id
    )
    assert name == "Nguyễn Văn An"
    # the resident's own photo messages are gone from the chat once sealed
    await resident.wait_until(
        lambda: not set(sent.values()) & {m.message_id for m in resident.history()}
    )
    # the officer takes it home: exactly what was sent (stripped), fields right
    folder = PullFolder(tmp_path / "pull")
    folder.prepare()
    plan = await plan_pull(world.deps, "24175")
    await pull_into_folder(world.deps, plan, folder, world.identity)
    pulled = folder.root / f"{code} – Nguyễn Văn An"
    saved = json.loads((pulled / "submission.json").read_text(encoding="utf-8"))
    assert (saved["holder_name"], saved["cccd"], saved["certificate_serial"]) == (
        "Nguyễn Văn An",
        "066090012345",
        "AA 01234567",
    )
    for slot, name in (("cccd_front", "front"), ("cert_owner", "page2")):
        kind = SlotKind.ID_CARD if slot.startswith("cccd") else SlotKind.CERTIFICATE
        assert (pulled / f"{slot}.jpg").read_bytes() == prepare_document(files[name], kind).data


async def test_triage_and_bank_path_with_status_and_withdraw(world: World) -> None:
    resident = world.simulator.add_user("Trần Thị Bình", language_code="vi")
    await agree(resident)
    await until(resident, "xã (phường) nào")
    await resident.send_text("hoa phu")  # typed without accents
    await until(resident, "thôn (buôn", "Xã Hòa Phú")
    await resident.press("Tôi không biết thôn")
    await answer_questions(resident, held=False)
    files = photos()
    await resident.send_document(files["front"], "a.jpg")
    await until(resident, "MẶT SAU")
    await resident.send_document(files["back"], "b.jpg")
    await until(resident, "biên nhận của ngân hàng")
    await resident.press("Bỏ qua")
    code = await submit(resident)
    async with world.deps.database.sessions() as session:
        submission = await session.scalar(
            select(Submission).where(Submission.receipt_code == code)
        )
    assert submission is not None
    assert (submission.route, submission.village_id) == (Route.TRIAGE, None)
    await resident.send_command("status")
    status = await until(resident, code, "đã nộp, chờ xem xét")
    assert "đã nộp, chờ xem xét" in status.text
    await resident.send_command("withdraw")
    await until(resident, "rút hồ sơ nào")
    await resident.press(f"{code} — Xã Hòa Phú — {datetime.now(VIETNAM):%d/%m}")
    await until(resident, "Giấy tờ đã gửi sẽ bị xóa")
    await resident.press("Rút hồ sơ")
    done = await until(resident, "Đã rút hồ sơ")
    assert "Đã xóa 2 giấy tờ" in done.text
    async with world.deps.database.sessions() as session:
        states = set(
            await session.scalars(
                select(Document.status).where(Document.submission_id == submission.id)
            )
        )
    assert states == {DocumentStatus.DELETED}


async def test_blurry_photo_retaken_then_an_album_of_five(world: World) -> None:
    resident = world.simulator.add_user("Lê Văn Cường", language_code="vi")
    await agree(resident, "v24175-02")
    await answer_questions(resident)
    blurry = document_photo(5, card=True, blur=6.0)
    await resident.send_document(blurry, "blurry.jpg")
    retake = await until(resident, "chưa dùng được")
    assert "mờ" in retake.text
    files = photos()
    album = [
        files["front"],
        files["back"],
        files["page1"],
        files["page2"],
        document_photo(7, card=False),
    ]
    album_ids = await resident.send_album(album)  # five slots, as Telegram delivers an album
    code = await submit(resident)
    # once sealed, the album leaves the chat in one or two calls (one unless a verdict came
    # more than the batching delay after the first), not five
    await resident.wait_until(
        lambda: not set(album_ids) & {m.message_id for m in resident.history()}
    )
    deletions = [
        (exchange.method, json.loads(str(exchange.params.get("message_ids"))))
        for _, exchange in RECORDED
        if exchange.method.lower() in ("deletemessage", "deletemessages")
        and str(exchange.params.get("chat_id")) == str(resident.chat_id)
    ]
    assert {method for method, _ in deletions} == {"deleteMessages"}
    assert len(deletions) <= 2
    assert sorted(i for _, ids in deletions for i in ids) == sorted(album_ids)
    async with world.deps.database.sessions() as session:
        submission = await session.scalar(
            select(Submission).where(Submission.receipt_code == code)
        )
        assert submission is not None
        rows = list(
            await session.scalars(select(Document).where(Document.submission_id == submission.id))
        )
    stored = [d for d in rows if d.status is DocumentStatus.STORED]
    assert sorted(d.slot for d in stored) == [
        "cccd_back",
        "cccd_front",
        "cert_changes",
        "cert_cover",
        "cert_owner",
    ]
    assert len({d.media_group_id for d in stored}) == 1


async def test_an_albums_photos_waiting_together_are_settled_in_one_transaction(
    world: World,
) -> None:
    """Photos of one chat that wait for the pipeline together (an album while other chats'
    photos are checked) have their verdicts committed together: the draft is written once, not
    once per photo, and the resident is told once."""
    resident = world.simulator.add_user("Bùi Thị Hoa", language_code="vi")
    await agree(resident, "v24175-07")
    await answer_questions(resident)
    pipeline = world.runtime.services.pipeline
    take = pipeline.take
    held: list[PendingDocument] = []
    all_held = asyncio.Event()

    def hold(documents: list[PendingDocument]) -> None:
        held.extend(documents)
        if len(held) == 5:
            all_held.set()

    pipeline.take = hold  # type: ignore[method-assign]
    files = photos()
    album = [files["front"], files["back"], files["page1"], files["page2"]]
    await resident.send_album([*album, document_photo(7, card=False)])
    async with asyncio.timeout(10):
        await all_held.wait()
    async with world.deps.database.sessions() as session:
        before = await session.scalar(
            select(Draft.version).where(Draft.chat_id == resident.chat_id)
        )
    assert before is not None
    told = []
    deliver = pipeline._deliver

    async def counted(chat_id: int, outcome: Outcome) -> None:
        told.append(chat_id)
        await deliver(chat_id, outcome)

    pipeline._deliver = counted
    take(held)  # as they would have waited behind other chats' photos

    await until(resident, "Xem lại hồ sơ")  # the five verdicts are in
    async with world.deps.database.sessions() as session:
        after = await session.scalar(
            select(Draft.version).where(Draft.chat_id == resident.chat_id)
        )
        statuses = list(
            await session.scalars(
                select(Document.status).where(Document.chat_id == resident.chat_id)
            )
        )
    assert statuses == [DocumentStatus.STORED] * 5
    assert after == before + 1
    assert told == [resident.chat_id]


async def test_file_over_20_mb_is_refused_politely(world: World) -> None:
    resident = world.simulator.add_user("Phạm Văn Dũng", language_code="vi")
    await agree(resident, "v24175-03")
    await answer_questions(resident)
    huge = document_photo(6, card=True) + bytes(25 * 1024 * 1024)
    await resident.send_document(huge, "huge.jpg")
    await until(resident, "lớn hơn 20 MB")
    await until(resident, "MẶT TRƯỚC")  # asked again for the same slot
    async with world.deps.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Document)) == 0


async def test_two_residents_at_once_in_one_village(world: World) -> None:
    async def one(name: str) -> str:
        resident = world.simulator.add_user(name, language_code="vi")
        await agree(resident, "v24175-04")
        await answer_questions(resident, held=False)
        files = photos()
        await resident.send_document(files["front"], "a.jpg")
        await until(resident, "MẶT SAU")
        await resident.send_document(files["back"], "b.jpg")
        await until(resident, "biên nhận của ngân hàng")
        await resident.press("Bỏ qua")
        return await submit(resident)

    codes = await asyncio.gather(one("Hộ Một"), one("Hộ Hai"))
    assert len(set(codes)) == 2


@pytest.mark.parametrize("what", ["sticker", "voice"])
async def test_things_that_are_not_photos_get_an_explanation(world: World, what: str) -> None:
    resident = world.simulator.add_user("Đỗ Thị Em", language_code="vi")
    await agree(resident, "v24175-05")
    await until(resident, "đứng tên ai")
    await (resident.send_sticker() if what == "sticker" else resident.send_voice())
    explained = await until(resident, "không dùng được")
    assert ("nhãn dán" if what == "sticker" else "tin nhắn thoại") in explained.text


async def test_restart_between_arrival_and_sealing_seals_once(world: World) -> None:
    resident = world.simulator.add_user("Võ Thị Giang", language_code="vi")
    await agree(resident, "v24175-06")
    await answer_questions(resident)
    # the bot goes down the moment the photo's step has committed, before the pipeline runs
    pipeline = world.runtime.services.pipeline
    pipeline.take = lambda documents: None  # type: ignore[method-assign]

    async def not_now(limit: int = 64) -> int:
        return 0

    pipeline.process_pending = not_now  # type: ignore[method-assign]
    await resident.send_document(photos()["front"], "front.jpg")
    async with asyncio.timeout(10):
        while True:
            async with world.deps.database.sessions() as session:
                pending = await session.scalar(select(func.count()).select_from(Document))
            if pending:
                break
            await asyncio.sleep(0.05)
    await world.runtime.stop()
    async with world.deps.database.sessions() as session:
        document = await session.scalar(select(Document))
    assert document is not None
    assert document.status is DocumentStatus.PENDING

    from bot.runtime import BotOptions, Runtime
    from tests.fixtures.net import free_port

    token = next(iter(world.simulator.simulator.bots.values())).token
    restarted = Runtime(
        world.deps,
        BotOptions(
            token=token,
            api_url=world.simulator.url,
            listen_port=free_port(),
            poll_timeout=1,
            province="66",
            document_lease_seconds=1,
        ),
    )
    await restarted.start()
    try:
        await until(resident, "MẶT SAU")  # the verdict comes from the restarted bot
        async with world.deps.database.sessions() as session:
            documents = list(await session.scalars(select(Document)))
            blobs = await session.scalar(select(func.count()).select_from(Blob))
        assert [d.status for d in documents] == [DocumentStatus.STORED]
        assert blobs == 1
        files = [p for p in world.deps.blobs.root.rglob("*") if p.is_file()]
        assert len(files) == 2  # the sealed file and the store's owner marker
        assert OWNER_MARKER in {p.name for p in files}
    finally:
        world.runtime = restarted


QR_TEXT = "066090012345|245123456|Nguyễn Văn An|01011990|Nam|Thôn 1, Hòa Phú, Đắk Lắk|01012021"


async def test_cccd_qr_fills_name_and_number(world: World) -> None:
    resident = world.simulator.add_user("Nguyễn Văn An", language_code="vi")
    await agree(resident, "v24175-07")
    await until(resident, "đứng tên ai")
    await resident.press("Tên tôi")
    await until(resident, "Họ và tên")
    await resident.send_document(document_photo(9, card=True, qr=QR_TEXT), "cccd.jpg")
    confirm = await until(resident, "Đúng không?")
    assert "Nguyễn Văn An" in confirm.text
    assert "066090012345" in confirm.text
    await resident.press("✅ Đúng")
    await until(resident, "Số điện thoại")  # name and number were not asked


async def test_a_page_sent_for_the_card_or_the_card_for_a_page_is_asked_again(
    world: World,
) -> None:
    resident = world.simulator.add_user("Nguyễn Văn An", language_code="vi")
    await agree(resident, "v24175-01")
    await answer_questions(resident)
    files = photos()
    await resident.send_document(files["page1"], "page.jpg", mime_type="image/jpeg")
    retake = await until(resident, "ảnh này giống một trang giấy, không phải thẻ căn cước")
    assert "MẶT TRƯỚC" in retake.text  # the same slot is asked again
    await resident.send_document(files["front"], "front.jpg", mime_type="image/jpeg")
    await until(resident, "MẶT SAU")
    await resident.send_document(files["back"], "back.jpg", mime_type="image/jpeg")
    await until(resident, "TRANG 1")
    chip_card = document_photo(61, card=True, qr=QR_TEXT)
    await resident.send_document(chip_card, "card-again.jpg", mime_type="image/jpeg")
    await until(resident, "ảnh này là thẻ căn cước, không phải trang sổ")
    await resident.send_document(files["page1"], "page1.jpg", mime_type="image/jpeg")
    await until(resident, "TRANG 2–3")
