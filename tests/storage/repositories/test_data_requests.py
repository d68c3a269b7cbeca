"""The data requests' repository on SQLite and PostgreSQL: the resident's words and the
officer's note encrypted to their row (a ciphertext moved to another row does not open), the
communes and receipts a request may concern (erased submissions left out), the open ones of a
resident, a commune's list (open oldest first, then those recently completed), the claim of
the open ones, and the request waiting for the resident's words."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select, text, update

from crypto import CryptoError
from intake.language import VIETNAM
from storage.deps import Deps
from storage.models import Citizen, DataRequest, Submission
from storage.repositories import data_requests as rows
from storage.states import DataRequestKind, DataRequestState
from tests.fixtures.commune import RESIDENT, HoaPhu, hoa_phu_with_keys, submit

WORDS = "Tên chủ sổ viết sai: đúng là Nguyễn Văn Ánh"
RECEIVED = datetime(2026, 3, 2, 10, 0, tzinfo=VIETNAM)


@pytest.fixture
async def hoa_phu(deps: Deps) -> HoaPhu:
    return await hoa_phu_with_keys(deps)


async def citizen_id(deps: Deps) -> uuid.UUID:
    async with deps.database.sessions() as session:
        found = await session.scalar(
            select(Citizen.id).where(Citizen.telegram_user_id == RESIDENT)
        )
    assert found is not None
    return found


async def add(
    deps: Deps,
    hoa_phu: HoaPhu,
    code: str,
    *,
    kind: DataRequestKind = DataRequestKind.CORRECTION,
    state: DataRequestState = DataRequestState.RECEIVED,
    received: datetime = RECEIVED,
    completed: datetime | None = None,
) -> DataRequest:
    owner = await citizen_id(deps)
    async with deps.database.sessions.begin() as session:
        return await rows.add_request(
            session,
            deps.fields,
            {
                "code": code,
                "citizen_id": owner,
                "commune_id": hoa_phu.commune.id,
                "kind": kind,
                "state": state,
                "received_at": received,
                "acknowledge_by": date(2026, 3, 4),
                "complete_by": date(2026, 3, 17),
                "completed_at": completed,
                "reminders_sent": 0,
            },
            WORDS if kind is DataRequestKind.CORRECTION else None,
        )


async def test_words_and_note_are_encrypted_to_their_row(deps: Deps, hoa_phu: HoaPhu) -> None:
    await submit(deps, hoa_phu, hoa_phu.villages[0], holder="Nguyễn Văn An", cccd="066090012345")
    made = await add(deps, hoa_phu, "YC-AAAAA")
    other = await add(deps, hoa_phu, "YC-BBBBB", kind=DataRequestKind.COPY)
    async with deps.database.sessions.begin() as session:
        request = await rows.request_by_code(session, "YC-AAAAA", for_update=True)
        assert request is not None
        assert rows.details_of(deps.fields, request) == WORDS
        assert rows.note_of(deps.fields, request) is None
        rows.set_note(deps.fields, request, "Đã sửa tên chủ sổ")
    async with deps.database.sessions() as session:
        raw = (
            await session.execute(
                text("SELECT details_enc, note_enc FROM data_request WHERE code = 'YC-AAAAA'")
            )
        ).one()
        assert WORDS.encode() not in bytes(raw[0])
        assert "Đã sửa".encode() not in bytes(raw[1])
        again = await rows.request_by_code(session, "YC-AAAAA")
        copy = await rows.request_by_code(session, "YC-BBBBB")
        assert again is not None
        assert copy is not None
        assert rows.note_of(deps.fields, again) == "Đã sửa tên chủ sổ"
        assert rows.details_of(deps.fields, copy) is None  # a copy has no words
        copy.details_enc = again.details_enc  # moved to another row: it does not open
        with pytest.raises(CryptoError):
            rows.details_of(deps.fields, copy)
    assert made.id != other.id


async def test_the_communes_and_receipts_a_request_may_concern(
    deps: Deps, hoa_phu: HoaPhu
) -> None:
    first = await submit(
        deps, hoa_phu, hoa_phu.villages[0], holder="Nguyễn Văn An", cccd="066090012345"
    )
    second = await submit(
        deps, hoa_phu, hoa_phu.villages[1], holder="Nguyễn Văn An", cccd="066090012345"
    )
    owner = await citizen_id(deps)
    async with deps.database.sessions() as session:
        assert await rows.communes_of_citizen(session, owner) == [
            (hoa_phu.commune.id, hoa_phu.commune.name)
        ]
        receipts = await rows.receipts_in_commune(session, owner, hoa_phu.commune.id)
        assert set(receipts) == {first.receipt_code, second.receipt_code}
        assert await rows.communes_of_citizen(session, uuid.uuid4()) == []
    async with deps.database.sessions.begin() as session:  # both erased (/delete)
        await session.execute(
            update(Submission)
            .where(Submission.citizen_id == owner)
            .values(erased_at=datetime.now(VIETNAM))
        )
    async with deps.database.sessions() as session:
        assert await rows.communes_of_citizen(session, owner) == []


async def test_open_requests_lists_and_claims(deps: Deps, hoa_phu: HoaPhu) -> None:
    await submit(deps, hoa_phu, hoa_phu.villages[0], holder="Nguyễn Văn An", cccd="066090012345")
    owner = await citizen_id(deps)
    await add(deps, hoa_phu, "YC-OLD01", received=RECEIVED - timedelta(days=3))
    await add(deps, hoa_phu, "YC-NEW01", kind=DataRequestKind.COPY)
    await add(
        deps,
        hoa_phu,
        "YC-DONE1",
        state=DataRequestState.COMPLETED,
        completed=RECEIVED + timedelta(days=1),
    )
    await add(
        deps,
        hoa_phu,
        "YC-DONE0",
        state=DataRequestState.COMPLETED,
        received=RECEIVED - timedelta(days=60),
        completed=RECEIVED - timedelta(days=50),
    )
    async with deps.database.sessions.begin() as session:
        assert await rows.open_count(session, owner) == 2
        copy = await rows.open_request(session, owner, hoa_phu.commune.id, DataRequestKind.COPY)
        assert copy is not None
        assert copy.code == "YC-NEW01"
        listed = await rows.requests_of(
            session,
            commune_ids=[hoa_phu.commune.id],
            closed_since=RECEIVED - timedelta(days=30),
        )
        assert [r.code for r, _ in listed] == ["YC-OLD01", "YC-NEW01", "YC-DONE1"]
        assert {name for _, name in listed} == {hoa_phu.commune.name}
        assert [
            r.code for r, _ in await rows.requests_of(session, commune_ids=[hoa_phu.commune.id])
        ] == [
            "YC-OLD01",
            "YC-NEW01",
        ]
        assert await rows.requests_of(session, commune_ids=[]) == []
        claimed = await rows.claim_open(session, skip_locked=deps.database.backend == "postgresql")
        assert [r.code for r in claimed] == ["YC-OLD01", "YC-NEW01"]
        assert await rows.code_taken(session, "YC-DONE0")
        assert not await rows.code_taken(session, "YC-ZZZZZ")
        assert await rows.request_by_code(session, "") is None
        assert await rows.request_by_code(session, "Y" * 40) is None


async def test_the_request_waiting_for_the_residents_words(deps: Deps, hoa_phu: HoaPhu) -> None:
    await submit(deps, hoa_phu, hoa_phu.villages[0], holder="Nguyễn Văn An", cccd="066090012345")
    owner = await citizen_id(deps)
    async with deps.database.sessions.begin() as session:
        assert await rows.pending_of(session, owner) is None
        await rows.set_pending(session, owner, "correction:1:1900000000")
    async with deps.database.sessions.begin() as session:
        assert await rows.pending_of(session, owner) == "correction:1:1900000000"
        await rows.set_pending(session, owner, None)
    async with deps.database.sessions() as session:
        assert await rows.pending_of(session, owner) is None
