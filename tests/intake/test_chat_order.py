"""One chat's events in order across processes (PostgreSQL): every transaction that handles an
event of a chat or steps its draft — the resident desk, the staff desk, the pipeline's verdict
— waits for the one before it (the chat's advisory lock); other chats' go on meanwhile.

Two desks on one database stand for two bot processes: each has its own sessions."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import Actor, Command, Event
from intake.documents.pipeline import DocumentPipeline
from intake.flow import Directory
from intake.resident import DirectoryCache, Outcome, ResidentDesk
from intake.staff import StaffDesk
from storage.deps import Deps
from storage.models import Document, Draft
from storage.repositories.locks import lock_chat
from storage.states import DocumentStatus
from tests.fixtures.commune import BOT_ID, HoaPhu
from tests.fixtures.photos import document_photo

WAIT = 0.4  # long enough for a transaction that was not going to wait to have committed
CHAT, OTHER_CHAT = 501, 502


@pytest.fixture(autouse=True)
def postgresql_only(deps: Deps) -> None:
    if deps.database.backend != "postgresql":
        pytest.skip("one process on SQLite: its writers are serialised, there is no lock")


def start(chat_id: int, update_id: int) -> Command:
    return Command(Actor(chat_id, chat_id, "vi"), update_id, name="start")


class Paused:
    """A desk that stops inside its transaction, after its lock, until told to go on."""

    def __init__(self, desk: ResidentDesk) -> None:
        self.inside = asyncio.Event()
        self.go_on = asyncio.Event()
        handle_in = desk.handle_in

        async def paused(session: AsyncSession, event: Event, directory: Directory) -> Outcome:
            outcome = await handle_in(session, event, directory)
            self.inside.set()
            await self.go_on.wait()
            return outcome

        desk.handle_in = paused  # type: ignore[method-assign]


def counting_reads(desk: ResidentDesk) -> list[int]:
    """How many times the desk read the chat's draft (a retry after a conflict reads again)."""
    read, reads = desk._read, []

    async def counted(session: AsyncSession, event: Event, directory: Directory) -> Any:
        reads.append(event.actor.chat_id)
        return await read(session, event, directory)

    desk._read = counted  # type: ignore[method-assign]
    return reads


def resident_desk(deps: Deps) -> ResidentDesk:
    return ResidentDesk(deps, bot_id=BOT_ID, directory=DirectoryCache(deps, "66"))


async def test_a_chats_second_event_waits_for_the_first_in_another_process(
    deps: Deps, hoa_phu: HoaPhu
) -> None:
    one, two = resident_desk(deps), resident_desk(deps)
    paused = Paused(one)
    reads = counting_reads(two)
    first = asyncio.create_task(one.handle(start(CHAT, 1)))
    try:
        await asyncio.wait_for(paused.inside.wait(), timeout=10)
        second = asyncio.create_task(two.handle(start(CHAT, 2)))
        await asyncio.wait_for(two.handle(start(OTHER_CHAT, 3)), timeout=10)  # not held up
        await asyncio.sleep(WAIT)
        assert not second.done()  # waits for the first to commit
        assert reads == [OTHER_CHAT]  # … before reading the draft
    finally:
        paused.go_on.set()
    await asyncio.wait_for(first, timeout=10)
    assert (await asyncio.wait_for(second, timeout=10)).replies
    assert reads == [OTHER_CHAT, CHAT]  # read once, after the first's commit: no conflict
    async with deps.database.sessions() as session:
        drafts = await session.execute(select(Draft.chat_id, Draft.version))
        versions = {draft.chat_id: draft.version for draft in drafts}
    assert versions == {CHAT: 2, OTHER_CHAT: 1}  # the first made the draft, the second stepped it


async def test_the_staff_desk_waits_for_the_chats_resident_step(
    deps: Deps, desk: StaffDesk, updates: Iterator[int]
) -> None:
    one = resident_desk(deps)
    paused = Paused(one)
    first = asyncio.create_task(one.handle(start(CHAT, 100)))
    try:
        await asyncio.wait_for(paused.inside.wait(), timeout=10)
        staff_event = Command(Actor(CHAT, CHAT, "vi"), 101, name="queue")
        assert await desk.wants(staff_event)
        staff = asyncio.create_task(desk.handle(staff_event))
        await asyncio.sleep(WAIT)
        assert not staff.done()
    finally:
        paused.go_on.set()
    await asyncio.wait_for(first, timeout=10)
    outcome = await asyncio.wait_for(staff, timeout=10)
    assert outcome is not None
    assert [reply.key for reply in outcome.replies] == ["staff.only"]


class Files:
    async def fetch(self, file_id: str, *, max_bytes: int) -> bytes:
        return document_photo(1, card=True)


async def test_a_verdict_waits_for_the_chats_step_in_another_process(
    deps: Deps, hoa_phu: HoaPhu
) -> None:
    async with deps.database.sessions.begin() as session:
        document = Document(
            id=uuid.uuid4(),
            commune_id=hoa_phu.commune.id,
            slot="cccd_front",
            status=DocumentStatus.PENDING,
            telegram_file_id="f",
            file_unique_id="u",
            chat_id=CHAT,
            message_id=1,
        )
        session.add(document)
    desk = resident_desk(deps)

    async def deliver(chat_id: int, outcome: Outcome) -> None:
        return None

    pipeline = DocumentPipeline(
        deps, Files(), desk, DirectoryCache(deps, "66"), deliver=deliver, lease=timedelta(0)
    )
    async with deps.database.sessions.begin() as step:  # the chat's step, in another process
        await lock_chat(step, CHAT)
        checking = asyncio.create_task(pipeline.drain())
        await asyncio.sleep(WAIT * 3)  # fetched, checked and sealed: the verdict waits
        assert not checking.done()
        async with deps.database.sessions() as session:
            waiting = await session.get(Document, document.id)
        assert waiting is not None
        assert waiting.status is DocumentStatus.PENDING
    await asyncio.wait_for(checking, timeout=10)
    async with deps.database.sessions() as session:
        stored = await session.get(Document, document.id)
    assert stored is not None
    assert stored.status is DocumentStatus.STORED
