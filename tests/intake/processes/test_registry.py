"""Process heartbeats and the reaping of dead processes: leases released at once, owed replies
taken over, each dead process reaped by one live one only."""

from __future__ import annotations

import asyncio
import os
import uuid
from datetime import timedelta

from sqlalchemy import select, update

from intake.processes import ProcessRegistry
from storage.deps import Deps
from storage.models import Citizen, Document, Draft, Outbox, ProcessRecord, utcnow
from storage.states import DocumentStatus, OutboxStatus, ProcessMode


async def _leases(deps: Deps, holder: uuid.UUID) -> tuple[uuid.UUID, int, int]:
    """A pending document, an outbox row and a draft owing replies, all held by `holder`."""
    now = utcnow()
    async with deps.database.sessions.begin() as session:
        citizen = Citizen(telegram_user_id=555, language="vi")
        session.add(citizen)
        await session.flush()
        draft = Draft(
            chat_id=555,
            citizen_id=citizen.id,
            step="name",
            payload_enc=b"x",
            reply_owed=3,
            reply_owed_by=holder,
        )
        session.add(draft)
        await session.flush()
        document = Document(
            draft_id=draft.id,
            slot="cccd_front",
            status=DocumentStatus.PENDING,
            telegram_file_id="f",
            file_unique_id="u",
            chat_id=555,
            message_id=1,
            attempts=1,
            not_before=now + timedelta(seconds=30),
            leased_by=holder,
        )
        outbox = Outbox(
            chat_id=555,
            kind="receipt",
            payload_enc=b"x",
            status=OutboxStatus.PENDING,
            not_before=now + timedelta(minutes=5),
            leased_by=holder,
        )
        session.add_all([document, outbox])
        await session.flush()
        return document.id, outbox.id, draft.chat_id


async def test_a_silent_process_is_reaped_and_its_leases_are_released(deps: Deps) -> None:
    dead = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=5, host="elsewhere", pid=1)
    await dead.register()
    document_id, outbox_id, chat = await _leases(deps, dead.id)
    live = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=5)
    await live.register()
    assert (await live.reap()).processes == 0  # it beat a moment ago
    async with deps.database.sessions.begin() as session:  # … and then went silent
        await session.execute(
            update(ProcessRecord)
            .where(ProcessRecord.id == dead.id)
            .values(heartbeat_at=utcnow() - timedelta(seconds=6))
        )
    reaped = await live.reap()
    assert (reaped.processes, reaped.documents, reaped.outbox) == (1, 1, 1)
    assert list(reaped.owed_chats) == [chat]
    async with deps.database.sessions() as session:
        document = await session.get(Document, document_id)
        outbox = await session.get(Outbox, outbox_id)
        draft = await session.scalar(select(Draft))
        record = await session.get(ProcessRecord, dead.id)
    assert document is not None
    assert outbox is not None
    assert draft is not None
    assert document.leased_by is None
    assert document.not_before is not None
    assert document.not_before <= utcnow()  # claimable now, not in 30 s
    assert outbox.leased_by is None
    assert outbox.not_before <= utcnow()
    assert draft.reply_owed_by == live.id
    assert draft.reply_owed == 3
    assert record is not None
    assert record.reaped_at is not None
    assert (await live.reap()).processes == 0  # reaped once


async def test_a_process_of_this_host_whose_pid_is_gone_is_reaped_at_once(deps: Deps) -> None:
    child = await asyncio.create_subprocess_exec("true")
    await child.wait()  # a pid that no longer exists (a crashed bot)
    crashed = ProcessRegistry(deps, mode=ProcessMode.POLLING, timeout=600, pid=child.pid)
    await crashed.register()
    await _leases(deps, crashed.id)
    restarted = ProcessRegistry(deps, mode=ProcessMode.POLLING, timeout=600)
    await restarted.register()
    assert (await restarted.reap()).processes == 1  # its heartbeat is fresh: the pid tells


async def test_a_stopped_process_is_reaped_and_a_live_one_is_not(deps: Deps) -> None:
    stopped = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=600, host="elsewhere", pid=1)
    alive = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=600, host="elsewhere", pid=2)
    me = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=600, pid=os.getpid())
    for registry in (stopped, alive, me):
        await registry.register()
    await stopped.stopped()
    assert (await me.reap()).processes == 1
    async with deps.database.sessions() as session:
        reaped = set(
            await session.scalars(
                select(ProcessRecord.id).where(ProcessRecord.reaped_at.is_not(None))
            )
        )
    assert reaped == {stopped.id}


async def test_a_process_taken_for_dead_carries_on_under_a_new_name(deps: Deps) -> None:
    slow = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=5, host="elsewhere", pid=1)
    await slow.register()
    first = slow.id
    async with deps.database.sessions.begin() as session:
        await session.execute(
            update(ProcessRecord).where(ProcessRecord.id == first).values(reaped_at=utcnow())
        )
    assert await slow.beat() is None  # it carries on
    assert slow.id != first
    async with deps.database.sessions() as session:
        assert await session.get(ProcessRecord, slow.id) is not None


async def test_a_poller_taken_for_dead_after_another_poller_started_must_stop(
    deps: Deps,
) -> None:
    slow = ProcessRegistry(deps, mode=ProcessMode.POLLING, timeout=5, host="elsewhere", pid=1)
    await slow.register()
    first = slow.id
    async with deps.database.sessions.begin() as session:
        await session.execute(
            update(ProcessRecord).where(ProcessRecord.id == first).values(reaped_at=utcnow())
        )
    # reaped: the poller's place was free, and another took it
    other = ProcessRegistry(deps, mode=ProcessMode.POLLING, timeout=5, host="bot-2", pid=2)
    await other.register()
    reason = await slow.beat()
    assert reason is not None
    assert reason.startswith("this process was taken for dead and may not carry on: ")
    assert "(host bot-2, pid 2) already takes this bot's updates by long polling" in reason
    async with deps.database.sessions() as session:  # registered, so that what it holds is
        record = await session.get(ProcessRecord, slow.id)  # reaped if it dies stopping
    assert record is not None
    assert record.reaped_at is None


async def test_a_stop_slower_than_the_timeout_is_not_taken_for_dead(deps: Deps) -> None:
    """The heartbeat goes on through the stop (`stopping` set) until its own stop event: a
    stop that takes longer than the timeout is not reaped by another process meanwhile."""
    stopping = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=1, host="far", pid=1)
    other = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=1, host="near", pid=2)
    await stopping.register()
    await other.register()
    beat_until, stop_begun = asyncio.Event(), asyncio.Event()
    stop_begun.set()  # the process is stopping from the start: it only beats

    async def reaped_nothing() -> None:
        raise AssertionError("a stopping process reaps nothing")

    heartbeat = asyncio.create_task(
        stopping.run(
            beat_until,
            stopping=stop_begun,
            on_reaped=lambda _reaped: reaped_nothing(),
            on_must_stop=lambda reason: None,
        )
    )
    try:
        for _ in range(12):  # 2.4 s of stop: more than twice the timeout
            await asyncio.sleep(0.2)
            assert (await other.reap()).processes == 0
    finally:
        beat_until.set()
        await heartbeat
    await stopping.stopped()
    assert (await other.reap()).processes == 1  # stopped now: reaped for its owed replies


async def test_two_live_processes_reap_a_dead_one_once(deps: Deps) -> None:
    dead = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=5, host="elsewhere", pid=1)
    await dead.register()
    await _leases(deps, dead.id)
    await dead.stopped()
    one = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=5)
    two = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=5)
    await one.register()
    await two.register()
    results = await asyncio.gather(one.reap(), two.reap())
    assert sorted(r.processes for r in results) == [0, 1]
    assert sorted(len(r.owed_chats) for r in results) == [0, 1]
