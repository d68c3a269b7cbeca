"""How processes share one database: one poller, or webhook processes only (refused otherwise,
in one sentence, race-free); a clean stop hands the leases back at once; a schema migrated
further by another process is noticed by the heartbeat."""

from __future__ import annotations

import asyncio
import uuid
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select, text, update

from intake.processes import ProcessRegistry, StartRefused, updates_refusal
from storage.deps import Deps
from storage.models import Citizen, Document, Outbox, ProcessRecord, utcnow
from storage.repositories.processes import ProcessRow
from storage.states import DocumentStatus, OutboxStatus, ProcessMode

POLLING, WEBHOOK = ProcessMode.POLLING, ProcessMode.WEBHOOK


def row(mode: ProcessMode, host: str = "bot-2", pid: int = 4321) -> ProcessRow:
    now = utcnow()
    return ProcessRow(
        id=uuid.uuid4(),
        host=host,
        pid=pid,
        mode=mode,
        started_at=now,
        heartbeat_at=now,
        stopped_at=None,
    )


@pytest.mark.parametrize(
    ("mode", "live", "refused_with"),
    [
        (POLLING, [], None),
        (WEBHOOK, [], None),
        (WEBHOOK, [WEBHOOK, WEBHOOK], None),
        (POLLING, [POLLING], "already takes this bot's updates by long polling"),
        (POLLING, [WEBHOOK, WEBHOOK], "would switch their webhook off"),
        (WEBHOOK, [WEBHOOK, POLLING], "stop it before starting processes in webhook mode"),
    ],
)
def test_which_process_may_start_beside_which(
    mode: ProcessMode, live: list[ProcessMode], refused_with: str | None
) -> None:
    refusal = updates_refusal(mode, [row(m) for m in live])
    if refused_with is None:
        assert refusal is None
        return
    assert refusal is not None
    assert refused_with in refusal
    assert "host bot-2, pid 4321" in refusal  # which process, so that it can be found
    assert refusal.count(". ") == 0  # one sentence


async def test_a_second_poller_is_refused_and_a_stopped_one_does_not_block(deps: Deps) -> None:
    first = ProcessRegistry(deps, mode=ProcessMode.POLLING, timeout=30, host="bot-1", pid=111)
    await first.register()
    second = ProcessRegistry(deps, mode=ProcessMode.POLLING, timeout=30, host="bot-2", pid=222)
    with pytest.raises(StartRefused, match=r"\(host bot-1, pid 111\).*webhook mode"):
        await second.register()
    await first.stopped()
    await second.register()  # the first stopped: the second takes over


async def test_a_silent_poller_does_not_block_once_timed_out(deps: Deps) -> None:
    crashed = ProcessRegistry(deps, mode=ProcessMode.POLLING, timeout=5, host="bot-1", pid=111)
    await crashed.register()
    async with deps.database.sessions.begin() as session:  # SIGKILL: it no longer beats
        await session.execute(
            update(ProcessRecord)
            .where(ProcessRecord.id == crashed.id)
            .values(heartbeat_at=utcnow() - timedelta(seconds=6))
        )
    await ProcessRegistry(
        deps, mode=ProcessMode.POLLING, timeout=5, host="bot-2", pid=222
    ).register()


async def test_webhook_processes_coexist_but_not_beside_a_poller(deps: Deps) -> None:
    webhooks = [
        ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=30, host=f"bot-{n}", pid=n)
        for n in range(3)
    ]
    for registry in webhooks:
        await registry.register()
    with pytest.raises(StartRefused, match="would switch their webhook off"):
        await ProcessRegistry(
            deps, mode=ProcessMode.POLLING, timeout=30, host="bot-9", pid=9
        ).register()
    for registry in webhooks:
        await registry.stopped()
    poller = ProcessRegistry(deps, mode=ProcessMode.POLLING, timeout=30, host="bot-9", pid=9)
    await poller.register()
    with pytest.raises(StartRefused, match="long polling"):
        await ProcessRegistry(
            deps, mode=ProcessMode.WEBHOOK, timeout=30, host="bot-3", pid=3
        ).register()


async def test_two_pollers_starting_together_one_is_refused(deps: Deps) -> None:
    """The check and the registration are one transaction under the start lock (PostgreSQL),
    or behind `BEGIN IMMEDIATE` (SQLite): they cannot both pass the check."""
    for attempt in range(5):
        pollers = [
            ProcessRegistry(
                deps, mode=ProcessMode.POLLING, timeout=30, host=f"bot-{n}", pid=attempt
            )
            for n in range(2)
        ]
        results = await asyncio.gather(*(p.register() for p in pollers), return_exceptions=True)
        refused = [r for r in results if isinstance(r, StartRefused)]
        assert len(refused) == 1, results
        assert sum(r is None for r in results) == 1
        for poller in pollers:
            await poller.stopped()


async def test_a_clean_stop_hands_its_leases_back_at_once(deps: Deps) -> None:
    me = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=30, host="bot-1", pid=1)
    other = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=30, host="bot-2", pid=2)
    await me.register()
    await other.register()
    later = utcnow() + timedelta(minutes=5)
    async with deps.database.sessions.begin() as session:
        citizen = Citizen(telegram_user_id=555, language="vi")
        session.add(citizen)
        for holder in (me.id, other.id):
            session.add(
                Document(
                    slot="cccd_front",
                    status=DocumentStatus.PENDING,
                    telegram_file_id="f",
                    file_unique_id=f"u-{holder}",
                    chat_id=555,
                    message_id=1,
                    attempts=1,
                    not_before=later,
                    leased_by=holder,
                )
            )
            session.add(
                Outbox(
                    chat_id=555,
                    kind="receipt",
                    payload_enc=b"x",
                    status=OutboxStatus.PENDING,
                    not_before=later,
                    leased_by=holder,
                )
            )
    await me.stopped()
    async with deps.database.sessions() as session:
        documents = await session.execute(select(Document.leased_by, Document.not_before))
        leases: list[tuple[uuid.UUID | None, datetime | None]] = [(h, d) for h, d in documents]
        outbox = await session.execute(select(Outbox.leased_by, Outbox.not_before))
        leases += [(h, d) for h, d in outbox]
    now = utcnow()
    claimable = {(holder, due is not None and due <= now) for holder, due in leases}
    assert claimable == {(None, True), (other.id, False)}  # ours at once; the other's held
    assert len(leases) == 4


async def test_the_heartbeat_notices_a_schema_migrated_further(deps: Deps) -> None:
    registry = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=30)
    await registry.register()
    assert await registry.check_schema() is None
    current, _ = await deps.database.schema_revision()
    set_version = text("UPDATE alembic_version SET version_num = :v")
    async with deps.database.sessions.begin() as session:  # a newer hoso migrated it
        await session.execute(set_version, {"v": "9999"})
    problem = await registry.check_schema()
    assert problem is not None
    assert "the database's schema (revision 9999) is newer than this hoso" in problem
    assert problem.endswith("upgrade hoso on this machine")
    assert registry.schema_problem == problem
    async with deps.database.sessions.begin() as session:
        await session.execute(set_version, {"v": current})
    assert await registry.check_schema() is None
