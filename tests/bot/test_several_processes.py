"""Bot processes sharing one database, as runtimes in this test process: one poller only,
webhook processes side by side, a clean stop handing its leases back, a silent process's work
taken over, a schema migrated further reported by `/healthz`; and the settings for it."""

from __future__ import annotations

import asyncio
import sqlite3
import sys
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from click.testing import CliRunner
from sqlalchemy import select, text, update

from bot.cli import main
from bot.config import ConfigError, load_settings
from bot.runtime import BotOptions, Runtime
from intake.language import Language, render
from intake.notify import OutboxMessage, enqueue
from intake.processes import ProcessRegistry, StartRefused
from simulator import SimulatorServer
from storage.deps import Deps
from storage.models import Document, Outbox, ProcessRecord, utcnow
from storage.states import DocumentStatus, OutboxStatus, ProcessMode
from tests.fixtures.hoso_process import until
from tests.fixtures.net import free_port


def options(token: str, simulator: SimulatorServer, *, webhook: bool, **more: float) -> BotOptions:
    port = free_port()
    return BotOptions(
        token=token,
        api_url=simulator.url,
        webhook_url=f"http://127.0.0.1:{port}" if webhook else None,
        listen_port=port,
        poll_timeout=1,
        **more,  # type: ignore[arg-type]
    )


@asynccontextmanager
async def running(deps: Deps, bot_options: BotOptions) -> AsyncIterator[Runtime]:
    runtime = Runtime(deps, bot_options)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


async def health(runtime: Runtime) -> tuple[int, dict[str, object]]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(f"http://127.0.0.1:{runtime.port}/healthz") as response,
    ):
        return response.status, await response.json()


async def test_a_second_poller_is_refused_webhook_processes_coexist(
    deps: Deps, simulator: SimulatorServer, token: str
) -> None:
    async with running(deps, options(token, simulator, webhook=False)) as poller:
        second = Runtime(deps, options(token, simulator, webhook=False))
        with pytest.raises(StartRefused, match=rf"pid {poller.registry.pid}\).*webhook mode"):
            await second.start()
        assert (await health(poller))[0] == 200  # the first polls on
    # stopped: webhook processes may start now, side by side
    async with (
        running(deps, options(token, simulator, webhook=True)) as one,
        running(deps, options(token, simulator, webhook=True)) as two,
    ):
        assert (await health(one))[0] == (await health(two))[0] == 200
        with pytest.raises(StartRefused, match="would switch their webhook off"):
            await Runtime(deps, options(token, simulator, webhook=False)).start()


async def _leases_of(deps: Deps, holder: uuid.UUID, chat_id: int) -> tuple[uuid.UUID, int]:
    """A pending document and an outbox row held by `holder` for five minutes."""
    later = utcnow() + timedelta(minutes=5)
    async with deps.database.sessions.begin() as session:
        document = Document(
            slot="cccd_front",
            status=DocumentStatus.PENDING,
            telegram_file_id="no-such-file",
            file_unique_id="u",
            chat_id=chat_id,
            message_id=1,
            attempts=1,
            not_before=later,
            leased_by=holder,
        )
        session.add(document)
        outbox_id = await enqueue(
            session,
            deps,
            chat_id=chat_id,
            kind="test",
            message=OutboxMessage("resume.again", "vi"),
        )
        await session.execute(
            update(Outbox).where(Outbox.id == outbox_id).values(leased_by=holder, not_before=later)
        )
    return document.id, outbox_id


async def test_a_clean_stop_leaves_no_lease_held(
    deps: Deps, simulator: SimulatorServer, token: str
) -> None:
    async with running(deps, options(token, simulator, webhook=True)) as runtime:
        me = runtime.registry.id
        await _leases_of(deps, me, 777)  # taken, not to be finished: the stop hands them back
    async with deps.database.sessions() as session:
        held = (
            await session.scalar(select(Document.id).where(Document.leased_by == me)),
            await session.scalar(select(Outbox.id).where(Outbox.leased_by == me)),
        )
        record = await session.get(ProcessRecord, me)
        document = await session.scalar(select(Document))
    assert held == (None, None)
    assert record is not None
    assert record.stopped_at is not None
    assert document is not None
    assert document.not_before is not None
    assert document.not_before <= utcnow()  # claimable at once by another process


async def test_a_silent_process_is_reaped_and_its_work_claimed(
    deps: Deps, simulator: SimulatorServer, token: str
) -> None:
    """SIGKILL: the process's row stops beating; another process reaps it after the timeout
    and its workers claim the documents and messages the dead one held."""
    resident = simulator.add_user("Nguyễn Văn An")
    simulator.open_chat(resident.user_id)
    dead = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=2, host="bot-elsewhere", pid=1)
    await dead.register()
    document_id, outbox_id = await _leases_of(deps, dead.id, resident.chat_id)
    async with deps.database.sessions.begin() as session:
        await session.execute(
            update(ProcessRecord)
            .where(ProcessRecord.id == dead.id)
            .values(heartbeat_at=utcnow() - timedelta(seconds=3))
        )
    bot_options = options(token, simulator, webhook=True, process_timeout=2)
    async with running(deps, bot_options):
        message = await resident.next_message(timeout=15)  # the dead one's, sent by this one
        assert message.text == render(Language.VI, "resume.again", {})

        async def claimed() -> bool:
            async with deps.database.sessions() as session:
                document = await session.get(Document, document_id)
                outbox = await session.get(Outbox, outbox_id)
            assert document is not None
            assert outbox is not None
            return document.attempts >= 2 and outbox.status is OutboxStatus.SENT

        async with asyncio.timeout(15):
            while True:  # the reaper's pass, then the workers' claims
                if await claimed():
                    break
                await asyncio.sleep(0.1)
    async with deps.database.sessions() as session:
        record = await session.get(ProcessRecord, dead.id)
    assert record is not None
    assert record.reaped_at is not None


async def test_a_schema_migrated_further_stops_the_process(
    deps: Deps, simulator: SimulatorServer, token: str
) -> None:
    """The heartbeat notices, `/healthz` answers 503 with the reason, and the process asks to
    stop (its old code claims no more work); it stays stopping once the schema is back."""
    set_version = text("UPDATE alembic_version SET version_num = :v")
    current, _ = await deps.database.schema_revision()
    bot_options = options(token, simulator, webhook=True, process_timeout=1)
    async with running(deps, bot_options) as runtime:
        assert (await health(runtime))[0] == 200
        async with deps.database.sessions.begin() as session:  # another process, newer hoso
            await session.execute(set_version, {"v": "9999"})
        try:
            await until(lambda: runtime.stop_reason is not None, within=15)
            status, report = await health(runtime)
            assert status == 503
            assert report["ok"] is False
            assert report["stopping"] is True
            assert (
                report["schema"]
                == runtime.stop_reason
                == (
                    f"the database's schema (revision 9999) is newer than this hoso (which knows "
                    f"up to {current}): upgrade hoso on this machine"
                )
            )
        finally:
            async with deps.database.sessions.begin() as session:
                await session.execute(set_version, {"v": current})
        await until(lambda: runtime.registry.schema_problem is None, within=15)
        assert (await health(runtime))[0] == 503  # stopping: it does not serve again


async def test_hoso_run_stops_by_itself_when_the_schema_moves_on(
    deps: Deps, simulator: SimulatorServer, token: str
) -> None:
    set_version = text("UPDATE alembic_version SET version_num = :v")
    current, _ = await deps.database.schema_revision()
    runtime = Runtime(deps, options(token, simulator, webhook=True, process_timeout=1))
    switch_interval = sys.getswitchinterval()
    running_bot = asyncio.create_task(runtime.run_until_signal())
    try:
        await until(lambda: runtime.port is not None, within=15)
        async with deps.database.sessions.begin() as session:
            await session.execute(set_version, {"v": "9999"})
        await asyncio.wait_for(running_bot, timeout=20)  # stopped, without a signal
    finally:
        async with deps.database.sessions.begin() as session:
            await session.execute(set_version, {"v": current})
        sys.setswitchinterval(switch_interval)
        if not running_bot.done():
            await runtime.stop()
    assert runtime.stop_reason is not None
    assert "newer than this hoso" in runtime.stop_reason
    async with deps.database.sessions() as session:
        record = await session.get(ProcessRecord, runtime.registry.id)
    assert record is not None
    assert record.stopped_at is not None  # a clean stop: its leases handed back


async def test_healthz_is_503_once_the_process_is_stopping(
    deps: Deps, simulator: SimulatorServer, token: str
) -> None:
    async with running(deps, options(token, simulator, webhook=True)) as runtime:
        assert (await health(runtime))[0] == 200
        runtime.must_stop("a test asks it to")  # as the heartbeat does
        status, report = await health(runtime)
        assert status == 503
        assert report == {"ok": False, "database": True, "bot": True, "stopping": True}
    assert (await runtime.health())["ok"] is False  # and while stopping or stopped


async def test_a_stop_slower_than_the_process_timeout_is_not_reaped_meanwhile(
    deps: Deps, simulator: SimulatorServer, token: str
) -> None:
    """A worker that takes three times the process timeout to finish: the heartbeat beats
    through the whole stop, so another process does not take this one for dead while it
    still works (and sends); it is reaped only once marked stopped."""
    finishing = asyncio.Event()

    async def slow_to_finish(stop: asyncio.Event) -> None:
        await stop.wait()
        finishing.set()
        await asyncio.sleep(3)

    bot_options = options(token, simulator, webhook=True, process_timeout=1)
    runtime = Runtime(deps, bot_options, workers=[slow_to_finish])
    other = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=1, host="bot-elsewhere", pid=1)
    await other.register()
    await runtime.start()
    me = runtime.registry.id
    stopping = asyncio.create_task(runtime.stop())
    await finishing.wait()
    while not stopping.done():  # the other process's reaper, faster than it would be
        await other.reap()
        await asyncio.sleep(0.2)
    await stopping
    assert runtime.registry.id == me  # never taken for dead (it would have a new name)
    record = await _record(deps, me)
    assert record.stopped_at is not None
    assert record.reaped_at is None or record.reaped_at >= record.stopped_at


async def _record(deps: Deps, process_id: uuid.UUID) -> ProcessRecord:
    async with deps.database.sessions() as session:
        record = await session.get(ProcessRecord, process_id)
    assert record is not None
    return record


@pytest.mark.parametrize(
    ("variable", "value", "accepted"),
    [
        ("document_lease_seconds", 2, True),
        ("document_lease_seconds", 1, False),
        ("document_lease_seconds", 7200, False),
        ("outbox_lease_seconds", 10, True),
        ("outbox_lease_seconds", 5, False),
        ("process_timeout", 1, True),
        ("process_timeout", 0.5, False),
    ],
)
def test_lease_lengths_are_settings_within_ranges(
    variable: str, value: float, accepted: bool
) -> None:
    if accepted:
        assert getattr(load_settings(**{variable: value}), variable) == value
        return
    with pytest.raises(ConfigError, match=f"HOSO_{variable.upper()}"):
        load_settings(**{variable: value})


def test_a_command_on_a_database_migrated_further_is_refused_in_one_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.delenv("HOSO_DATABASE_URL", raising=False)
    env = {"HOSO_DATA_DIR": str(tmp_path / "var")}
    assert CliRunner().invoke(main, ["init"], env=env).exit_code == 0
    with sqlite3.connect(tmp_path / "var" / "hoso.db") as db:
        db.execute("UPDATE alembic_version SET version_num = '9999'")  # a newer hoso's
    result = CliRunner().invoke(main, ["run"], env={**env, "HOSO_TELEGRAM_TOKEN": "1:x"})
    assert result.exit_code == 1
    said = result.output.strip().splitlines()[-1]  # after the log's lines
    assert said.startswith("error: the database's schema (revision 9999) is newer than this")
    assert said.endswith("upgrade hoso on this machine")
    assert "Traceback" not in result.output
