"""Who is told of a new submission: the village's chiefs who chose instant alerts; the commune's
officers when the village has no active chief or the submission waits in the triage queue; no
one at once for a chief in digest mode; never an ID number. An assisted submission's receipt
goes to the chief who made it."""

from __future__ import annotations

import uuid

from sqlalchemy import select, update

from intake.flow import Draft, Place, Step, Whose
from intake.language import render
from intake.notify import OutboxService, notify_officers
from intake.submissions import create_submission
from storage.deps import Deps
from storage.models import Citizen, Outbox, Staff, utcnow
from storage.states import CertificateStatus, StaffRole
from tests.fixtures.commune import CHIEF_1, CHIEF_2, OFFICER, RESIDENT, HoaPhu, join, submit


async def _told(deps: Deps) -> list[tuple[int, str]]:
    async with deps.database.sessions() as session:
        rows = await session.execute(
            select(Outbox.chat_id, Outbox.kind).where(Outbox.kind != "receipt").order_by(Outbox.id)
        )
        return [(chat, kind) for chat, kind in rows]


async def _staff_of(deps: Deps, hoa_phu: HoaPhu) -> None:
    """An officer; Thôn 1's chief (instant alerts); Thôn 2's chief (daily digest)."""
    await join(deps, StaffRole.OFFICER, OFFICER, commune="24175")
    await join(deps, StaffRole.CHIEF, CHIEF_1, village=hoa_phu.villages[0].code)
    await join(deps, StaffRole.CHIEF, CHIEF_2, village=hoa_phu.villages[1].code)
    async with deps.database.sessions.begin() as session:
        await session.execute(
            update(Staff).where(Staff.telegram_user_id == CHIEF_2).values(daily_digest=True)
        )


async def test_the_villages_chief_or_else_the_officers(deps: Deps, hoa_phu: HoaPhu) -> None:
    await _staff_of(deps, hoa_phu)
    thon_1, thon_2, thon_3 = hoa_phu.villages[:3]
    await submit(deps, hoa_phu, thon_1, holder="Nguyễn Văn An", cccd="066090012345")
    assert await _told(deps) == [(CHIEF_1, "chief_new")]
    await submit(deps, hoa_phu, thon_2, holder="Trần Thị Bình", cccd="066185000001")
    assert await _told(deps) == [(CHIEF_1, "chief_new")]  # the digest chief: later, once a day
    await submit(deps, hoa_phu, thon_3, holder="Lê Văn Cường", cccd="066090000003")
    await submit(deps, hoa_phu, None, holder="Phạm Thị Dung", cccd="066185000004")
    assert await _told(deps) == [
        (CHIEF_1, "chief_new"),
        (OFFICER, "officer_new"),  # Thôn 3 has no chief
        (OFFICER, "officer_batch"),  # the triage queue: minutes later, with any that follow
    ]
    outbox = OutboxService(deps)
    keys = []
    while due := await outbox.claim_due():
        for message in due:
            keys.append((message.chat_id, message.message.key))
            await outbox.mark_sent(message.id)
    staff_keys = [(chat, key) for chat, key in keys if key != "submit.receipt"]
    assert staff_keys == [(CHIEF_1, "notify.chief_new"), (OFFICER, "notify.officer_new")]
    # the gathered alert is due when its window ends; a fifth submission joins it meanwhile
    await submit(deps, hoa_phu, thon_3, holder="Đỗ Văn Em", cccd="066090000005")
    assert [kind for _, kind in await _told(deps)].count("officer_batch") == 1
    async with deps.database.sessions.begin() as session:
        await session.execute(
            update(Outbox).where(Outbox.kind == "officer_batch").values(not_before=utcnow())
        )
    [batch] = [due for due in await outbox.claim_due() if due.kind == "officer_batch"]
    assert (batch.chat_id, batch.message.key) == (OFFICER, "notify.officer_batch")
    assert batch.message.params["count"] == 2
    assert [line["name"] for _, line in batch.message.params["items_lines"]] == [
        "Phạm Thị Dung",
        "Đỗ Văn Em",
    ]


async def test_alerts_carry_no_id_number(deps: Deps, hoa_phu: HoaPhu) -> None:
    await _staff_of(deps, hoa_phu)
    await submit(deps, hoa_phu, hoa_phu.villages[0], holder="Nguyễn Văn An", cccd="066090012345")
    await submit(deps, hoa_phu, None, holder="Trần Thị Bình", cccd="066185000001")
    outbox = OutboxService(deps)
    while claimed := await outbox.claim_due():
        for due in claimed:
            await outbox.mark_sent(due.id)
            if due.kind == "receipt":
                continue
            text = str(due.message.params)
            assert "066090012345" not in text
            assert "066185000001" not in text
            assert "0912345678" not in text  # the phone


async def test_an_assisted_submissions_receipt_goes_to_its_chief(
    deps: Deps, hoa_phu: HoaPhu
) -> None:
    await _staff_of(deps, hoa_phu)
    village = hoa_phu.villages[0]
    async with deps.database.sessions.begin() as session:
        chief = await session.scalar(select(Staff).where(Staff.telegram_user_id == CHIEF_1))
        household = Citizen(telegram_user_id=CHIEF_1, language="vi")
        session.add(household)
        await session.flush()
        assert chief is not None
        draft = Draft(
            step=Step.REVIEW,
            commune=Place(hoa_phu.commune.id, hoa_phu.commune.name, hoa_phu.commune.code),
            village=Place(village.id, village.name, village.code),
            whose=Whose.FAMILY,
            holder_name="Hộ bà Y Bih",
            cccd="066185000007",
            phone="",
            certificate_status=CertificateStatus.AT_BANK,
            map_sheet="",
            parcel_no="",
            assisted_by=chief.id,
        )
        made = await create_submission(
            session, deps, citizen=household, chat_id=CHIEF_1, draft_id=uuid.uuid4(), draft=draft
        )
    assert made.assisted_by_staff_id is not None
    async with deps.database.sessions() as session:
        receipts = list(
            await session.scalars(select(Outbox.chat_id).where(Outbox.kind == "receipt"))
        )
    assert receipts == [CHIEF_1]  # not a resident's chat: the household has no phone
    assert RESIDENT not in receipts


async def test_gathered_alerts_hold_up_nothing_and_list_ten(deps: Deps, hoa_phu: HoaPhu) -> None:
    await _staff_of(deps, hoa_phu)
    thon_3 = hoa_phu.villages[2]  # no chief: the officer is told
    for n in range(14):
        await submit(deps, hoa_phu, thon_3, holder=f"Hộ số {n}", cccd=f"0660900{n:05d}")
    outbox = OutboxService(deps)
    claimed = [due for due in await outbox.claim_due() if due.chat_id == OFFICER]
    assert [due.kind for due in claimed] == ["officer_new"]  # the first, at once
    await outbox.mark_sent(claimed[0].id)
    # a message written after the gathered row is not held up by it
    async with deps.database.sessions.begin() as session:
        await notify_officers(session, deps, hoa_phu.commune.id, "notify.chief_not_started", {})
    later = [due for due in await outbox.claim_due() if due.chat_id == OFFICER]
    assert [due.message.key for due in later] == ["notify.chief_not_started"]
    await outbox.mark_sent(later[0].id)

    async with deps.database.sessions.begin() as session:
        await session.execute(
            update(Outbox).where(Outbox.kind == "officer_batch").values(not_before=utcnow())
        )
    [batch] = [due for due in await outbox.claim_due() if due.chat_id == OFFICER]
    text = render("vi", batch.message.key, batch.message.params)
    assert text.startswith("📥 13 hồ sơ mới trong mấy phút qua")
    assert text.count("\n• ") == 11  # ten submissions, then how many more
    assert "… và 3 hồ sơ khác" in text
    assert len(batch.message.keyboard.rows if batch.message.keyboard else ()) == 10
