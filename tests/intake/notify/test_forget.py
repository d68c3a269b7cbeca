"""Forgetting an erased submission's details in the messages already written about it: only the
values said about that receipt become "—" (a namesake's alert, another line of the same batch
stay), the receipt stays, and an officers' batch opened before the submission (which took its
line in later) is found too."""

from __future__ import annotations

from sqlalchemy import select

from intake.notify import OutboxMessage, forget_in_outbox
from storage.deps import Deps
from storage.models import Outbox, Submission
from storage.states import StaffRole
from tests.fixtures.commune import CHIEF_1, OFFICER, HoaPhu, join, submit


async def messages(deps: Deps) -> dict[int, tuple[str, OutboxMessage]]:
    async with deps.database.sessions() as session:
        rows = list(await session.scalars(select(Outbox).order_by(Outbox.id)))
    return {
        row.id: (
            row.kind,
            OutboxMessage.from_json(
                deps.fields.decrypt(
                    row.payload_enc, table="outbox", column="payload_enc", row=row.id
                )
            ),
        )
        for row in rows
    }


def said(submission: Submission, name: str) -> dict[str, frozenset[str]]:
    return {
        submission.receipt_code: frozenset(
            {name, f"{submission.map_sheet}/{submission.parcel_no}"}
        )
    }


async def test_only_what_was_said_about_the_receipt_is_forgotten(
    deps: Deps, hoa_phu: HoaPhu
) -> None:
    await join(deps, StaffRole.OFFICER, OFFICER, commune="24175")
    await join(deps, StaffRole.CHIEF, CHIEF_1, village=hoa_phu.villages[0].code)
    thon_1, thon_3 = hoa_phu.villages[0], hoa_phu.villages[2]  # Thôn 3 has no chief
    erased = await submit(
        deps,
        hoa_phu,
        thon_1,
        holder="Nguyễn Văn An",
        cccd="066090012345",
        map_sheet="12",
        parcel_no="345",
    )
    namesake = await submit(
        deps,
        hoa_phu,
        thon_1,
        holder="Nguyễn Văn An",
        cccd="066090012346",
        map_sheet="12",
        parcel_no="346",
        citizen_user_id=5009,
    )
    await submit(
        deps, hoa_phu, thon_3, holder="Lê Văn Cường", cccd="066090000003", citizen_user_id=5010
    )  # the officer's alert, at once
    other = await submit(
        deps, hoa_phu, thon_3, holder="Đỗ Thị Em", cccd="066185000005", citizen_user_id=5011
    )  # opens the officers' batch
    late = await submit(
        deps,
        hoa_phu,
        thon_3,
        holder="Phan Văn Giàu",
        cccd="066090000007",
        map_sheet="9",
        parcel_no="99",
        citizen_user_id=5012,
    )  # joins it
    before = await messages(deps)

    # the line of a submission that joined a batch opened before it
    async with deps.database.sessions.begin() as session:
        rewritten = await forget_in_outbox(
            session,
            deps,
            said(late, "Phan Văn Giàu"),
            chat_ids=[],
            commune_ids=[hoa_phu.commune.id],
            since=late.created_at,
        )
    assert rewritten == 1
    after = await messages(deps)
    (batch_id,) = [i for i, (kind, _) in after.items() if kind == "officer_batch"]
    lines = {
        line[1]["receipt"]: line[1]["name"] for line in after[batch_id][1].params["items_lines"]
    }
    assert lines == {other.receipt_code: "Đỗ Thị Em", late.receipt_code: "—"}
    assert {i: m for i, m in after.items() if i != batch_id} == {
        i: m for i, m in before.items() if i != batch_id
    }

    # a chief's alert: its name and parcel; the namesake's alert is theirs
    async with deps.database.sessions.begin() as session:
        assert (
            await forget_in_outbox(
                session,
                deps,
                said(erased, "Nguyễn Văn An"),
                chat_ids=[],
                commune_ids=[hoa_phu.commune.id],
                since=erased.created_at,
            )
            == 1
        )
    alerts = {
        m.params["receipt"]: m.params
        for kind, m in (await messages(deps)).values()
        if kind == "chief_new"
    }
    assert (alerts[erased.receipt_code]["name"], alerts[erased.receipt_code]["parcel"]) == (
        "—",
        "—",
    )
    assert alerts[namesake.receipt_code]["name"] == "Nguyễn Văn An"
    assert alerts[namesake.receipt_code]["parcel"] == "12/346"

    # nothing said about an erased receipt any more: nothing to rewrite
    async with deps.database.sessions.begin() as session:
        assert (
            await forget_in_outbox(
                session,
                deps,
                said(erased, "Nguyễn Văn An"),
                chat_ids=[],
                commune_ids=[hoa_phu.commune.id],
                since=erased.created_at,
            )
            == 0
        )
