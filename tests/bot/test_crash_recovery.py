"""`hoso run` killed with SIGKILL in the middle of the work and started again, twice: during a
burst of photos, and while staff alerts are being paced out. Nothing acknowledged is lost or
doubled, no process it started outlives it, no sealed file is left without its row, every
resident gets their question again and finishes, and the dead process's leases are taken over
within seconds (not when they would have run out: 30 s for a document, 5 min for a message)."""

from __future__ import annotations

import asyncio
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from bot.config import load_settings
from bot.wiring import open_deps
from intake.admin import DEMO_CHIEF_USER, DEMO_OFFICER_USER
from simulator import SimulatorConfig, SimulatorServer, UserSession
from storage.blobs import OWNER_MARKER
from storage.models import Blob, Document, Outbox, Submission, utcnow
from storage.states import DocumentStatus, OutboxStatus
from tests.fixtures.hoso_process import (
    HosoProcess,
    ScriptedResident,
    alive,
    prepare_data_dir,
    until,
)
from tests.fixtures.net import new_token

RESIDENTS = 16
TAKEN_OVER_WITHIN = 12.0  # seconds after the restart


async def _pending(data_dir: Path) -> tuple[set[object], set[int]]:
    """Documents and outbox rows not yet settled, read from the database."""
    settings = load_settings(data_dir=data_dir, province="66")
    async with open_deps(settings) as deps, deps.database.sessions() as session:
        documents = set(
            await session.scalars(
                select(Document.id).where(Document.status == DocumentStatus.PENDING)
            )
        )
        # an officer's gathered alerts wait minutes by design (intake/notify): not owed yet
        scheduled = Outbox.leased_by.is_(None) & (Outbox.not_before > utcnow())
        outbox = set(
            await session.scalars(
                select(Outbox.id).where(Outbox.status == OutboxStatus.PENDING, ~scheduled)
            )
        )
    return documents, outbox


async def _settled_within(data_dir: Path, documents: set[object], outbox: set[int]) -> float:
    """Seconds until every one of these documents and outbox rows is settled."""
    started = time.monotonic()
    while True:
        left_documents, left_outbox = await _pending(data_dir)
        if not (documents & left_documents) and not (outbox & left_outbox):
            return time.monotonic() - started
        if time.monotonic() - started > 60:
            raise AssertionError(
                f"still pending a minute after the restart: {len(documents & left_documents)} "
                f"documents, {len(outbox & left_outbox)} messages"
            )
        await asyncio.sleep(0.25)


async def _kill_and_restart(bot: HosoProcess) -> tuple[set[object], set[int], float]:
    """Kill the bot; its children must die with it; start it again. Returns what was pending
    at the kill and how long the restarted bot took to settle it."""
    children = await bot.kill()
    assert children, "the bot had started no photo workers: the test tests nothing"
    await until(lambda: not any(alive(pid) for pid in children), within=5)
    assert [pid for pid in children if alive(pid)] == [], "workers outlived the killed bot"
    documents, outbox = await _pending(bot.data_dir)
    await bot.start()
    return documents, outbox, await _settled_within(bot.data_dir, documents, outbox)


@pytest.mark.timeout(300)
async def test_kill_9_twice_loses_nothing_leaves_nothing_and_everyone_finishes(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "var"
    await prepare_data_dir(data_dir)
    async with SimulatorServer(SimulatorConfig(flood_limits=True)) as simulator:
        token = new_token()
        simulator.register_bot(token, first_name="hoso")
        # the demo's chief (of Thôn 1) and officer have opened their chats with the bot
        chief = simulator.add_user("Y Ni Ksor", user_id=DEMO_CHIEF_USER)
        officer = simulator.add_user("Lê Thị Hoa", user_id=DEMO_OFFICER_USER)
        bot = HosoProcess(data_dir, token, simulator.url)
        await bot.start()
        try:
            for staff in (chief, officer):
                await staff.send_command("help")
                await staff.next_message(timeout=20)
            residents = [
                ScriptedResident(
                    simulator.add_user(f"Cư dân {n}", language_code="vi"),
                    n,
                    "24175-01" if n % 2 else f"24175-{n % 12 + 1:02d}",
                )
                for n in range(RESIDENTS)
            ]
            finishing = [asyncio.ensure_future(r.run()) for r in residents]

            # 1. in the middle of the photo burst
            await until(lambda: sum(r.album_sent.is_set() for r in residents) >= RESIDENTS // 2)
            await asyncio.sleep(0.3)
            documents, _, seconds = await _kill_and_restart(bot)
            assert documents, "no document was in flight at the kill: the test tests nothing"
            assert seconds < TAKEN_OVER_WITHIN, f"documents taken over after {seconds:.1f} s"

            # 2. while receipts and staff alerts are paced out (one a second per chat)
            await until(lambda: sum(1 for r in residents if r.receipt) >= 3)
            _, outbox, seconds = await _kill_and_restart(bot)
            assert outbox, "no message was waiting at the kill: the test tests nothing"
            assert seconds < TAKEN_OVER_WITHIN, f"messages taken over after {seconds:.1f} s"

            receipts = await asyncio.wait_for(asyncio.gather(*finishing), timeout=180)
            assert len(set(receipts)) == RESIDENTS  # everyone finished, each once
            await _end_alert_window(data_dir)
            alerted = await _chief_alerts(chief, officer, receipts=receipts)
        finally:
            stopped = await bot.stop()
        logs = bot.logs()
        assert stopped == 0

    settings = load_settings(data_dir=data_dir, province="66")
    async with open_deps(settings) as deps:
        async with deps.database.sessions() as session:
            submissions = list(await session.scalars(select(Submission.receipt_code)))
            stored = Counter(
                (submission, slot)
                for submission, slot in await session.execute(
                    select(Document.submission_id, Document.slot).where(
                        Document.status == DocumentStatus.STORED
                    )
                )
            )
            per_submission = Counter(submission for submission, _ in stored)
            blobs = set(await session.scalars(select(Blob.name).where(Blob.deleted_at.is_(None))))
            unsent = await session.scalar(
                select(func.count()).select_from(Outbox).where(Outbox.status != OutboxStatus.SENT)
            )
        files = {
            str(path.relative_to(deps.blobs.root))
            for path in deps.blobs.root.rglob("*")
            if path.is_file() and path.name != OWNER_MARKER  # the store's, no blob
        }
    assert sorted(submissions) == sorted(receipts)  # no submission twice
    assert max(stored.values()) == 1  # no slot sealed twice
    assert set(per_submission.values()) == {4}  # every submission has its four documents
    assert files == blobs  # no file without its row, no row without its file
    assert unsent == 0
    assert alerted
    assert "Traceback" not in logs, logs[logs.find("Traceback") - 2000 :][:6000]


async def _end_alert_window(data_dir: Path) -> None:
    """As if minutes had passed: the officers' gathered alerts are due now."""
    settings = load_settings(data_dir=data_dir, province="66")
    async with open_deps(settings) as deps, deps.database.sessions.begin() as session:
        await session.execute(
            update(Outbox)
            .where(Outbox.kind == "officer_batch", Outbox.status == OutboxStatus.PENDING)
            .values(not_before=utcnow())
        )


async def _chief_alerts(*staff: UserSession, receipts: list[str]) -> bool:
    """Every submission's staff alert arrived (the chief's or the officers')."""
    deadline = time.monotonic() + 60
    while True:
        texts = [m.text for member in staff for m in member.history() if m.from_bot]
        alerted = Counter(code for code in receipts for text in texts if code in text)
        if all(alerted[code] >= 1 for code in receipts):
            return True
        if time.monotonic() > deadline:
            missing = [code for code in receipts if not alerted[code]]
            raise AssertionError(f"no staff alert for {missing}")
        await asyncio.sleep(0.25)
