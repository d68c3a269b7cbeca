"""Operations: `/metrics` as Prometheus scrapes it from a running bot, who may read it, and
`hoso status`'s bot processes (a live one and one that looks dead), on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
import json
import uuid
from collections.abc import AsyncIterator, Mapping
from datetime import timedelta

import aiohttp
import pytest
from aiohttp import web
from prometheus_client import generate_latest
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import update
from telegram import Update

from bot.cli.admin import print_processes, print_status, status_json
from bot.metrics import BotMetrics, metrics_access
from bot.processor import ChatOrderedProcessor
from handlers.http import AiohttpRequest
from intake.admin import Backlog, collect_status, measure_backlog
from intake.processes import ProcessRegistry
from storage.deps import Deps
from storage.models import Outbox, ProcessRecord, utcnow
from storage.states import OutboxStatus, ProcessMode
from tests.fixtures.conversation import agree, answer_questions, until
from tests.fixtures.photos import document_photo
from tests.fixtures.world import World, open_world


@pytest.fixture
async def world(deps: Deps) -> AsyncIterator[World]:
    async with open_world(deps) as here:
        yield here


def samples(text: str) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of a scrape, by name and labels."""
    return {
        (sample.name, frozenset(sample.labels.items())): sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
    }


def value(
    found: Mapping[tuple[str, frozenset[tuple[str, str]]], float], name: str, **labels: str
) -> float:
    return found.get((name, frozenset(labels.items())), 0.0)


async def test_metrics_move_with_a_residents_steps_and_refuse_outsiders(world: World) -> None:
    runtime = world.runtime
    resident = world.simulator.add_user("Phạm Thị Dung", language_code="vi")
    await agree(resident, "v24175-01")
    await answer_questions(resident)
    await resident.send_document(document_photo(5, card=True, blur=6.0), "blurry.jpg")
    await until(resident, "chưa dùng được")

    url = f"http://127.0.0.1:{runtime.port}/metrics"
    async with aiohttp.ClientSession() as http:
        async with http.get(url) as response:
            assert response.status == 200
            assert response.headers["Content-Type"].startswith("text/plain; version=0.0.4")
            text = await response.text()
        # through a proxy (the load balancer) is from outside: refused without the token
        async with http.get(url, headers={"X-Forwarded-For": "203.0.113.7"}) as response:
            assert response.status == 403
            assert "hoso_" not in await response.text()

    found = samples(text)
    assert value(found, "hoso_updates_handled_total", kind="command") >= 1  # /start
    assert value(found, "hoso_updates_handled_total", kind="callback") >= 1  # consent
    assert value(found, "hoso_updates_handled_total", kind="text") >= 1  # the name, …
    assert value(found, "hoso_updates_handled_total", kind="document") == 1
    handled = sum(v for (name, _), v in found.items() if name == "hoso_updates_handled_total")
    steps = sum(v for (name, _), v in found.items() if name == "hoso_step_seconds_count")
    assert steps == handled
    assert value(found, "hoso_step_seconds_bucket", kind="text", le="+Inf") >= 1
    checked = {
        dict(labels)["verdict"]: v
        for (name, labels), v in found.items()
        if name == "hoso_photos_checked_total"
    }
    assert checked == {"retake": 1}  # reason: its first issue (blurry, no document found, …)
    info = next(dict(labels) for name, labels in found if name == "hoso_process_info")
    assert info == {
        "process": str(runtime.registry.id),
        "host": runtime.registry.host,
        "pid": str(runtime.registry.pid),
        "mode": "polling",
    }
    assert value(found, "hoso_backlog_query_ok") == 1
    assert ("hoso_outbox_backlog", frozenset()) in found
    assert ("hoso_outbox_oldest_unsent_seconds", frozenset()) in found
    assert value(found, "hoso_documents_pending") == 0
    assert not [name for name, _ in found if name == "hoso_update_errors_total"]
    assert ("hoso_pipeline_documents", frozenset({("state", "waiting")})) in found
    assert ("hoso_telegram_429_total", frozenset()) in found
    # nothing personal: no chat id, no name
    assert str(resident.chat_id) not in text
    assert "Dung" not in text
    assert "Nguy" not in text


@pytest.mark.parametrize(
    ("remote", "headers", "token", "status"),
    [
        ("127.0.0.1", {}, None, 200),
        ("::1", {}, None, 200),
        ("10.1.2.3", {}, None, 200),  # Prometheus on the private network
        ("192.168.0.9", {}, None, 200),
        ("::ffff:127.0.0.1", {}, None, 200),
        ("203.0.113.7", {}, None, 403),  # the internet
        ("2001:db8::1", {}, None, 403),
        ("8.8.8.8", {}, None, 403),
        ("fd12:3456::1", {}, None, 200),
        (None, {}, None, 403),
        ("10.0.0.2", {"X-Forwarded-For": "203.0.113.7"}, None, 403),  # via the balancer
        ("10.0.0.2", {"Forwarded": "for=203.0.113.7"}, None, 403),
        ("127.0.0.1", {"X-Real-IP": "127.0.0.1"}, None, 403),
        ("203.0.113.7", {"Authorization": "Bearer s3cret"}, "s3cret", 200),
        ("127.0.0.1", {}, "s3cret", 401),  # with a token set, even loopback must give it
        ("127.0.0.1", {"Authorization": "Bearer wrong"}, "s3cret", 401),
        ("127.0.0.1", {"Authorization": "s3cret"}, "s3cret", 401),
    ],
)
def test_who_may_read_the_metrics(
    remote: str | None, headers: dict[str, str], token: str | None, status: int
) -> None:
    assert metrics_access(remote, headers, token) == status


async def test_a_failed_update_counts_as_an_error_not_as_handled() -> None:
    """PTB runs the error handlers within an update's handling (`process_update`), before the
    processor observes its end."""
    metrics = BotMetrics()
    processor = ChatOrderedProcessor(observe=metrics.update_handled)

    async def handling(incoming: Update, *, fails: bool) -> None:
        if fails:
            await metrics.update_failed(incoming, None)  # as PTB does when a handler raised

    for number, fails in ((1, True), (2, False), (3, False)):
        incoming = Update(number)
        await processor.process_update(incoming, handling(incoming, fails=fails))
    found = samples(generate_latest(metrics.registry).decode())
    assert value(found, "hoso_updates_handled_total", kind="other") == 2
    assert value(found, "hoso_update_errors_total", kind="other") == 1
    assert value(found, "hoso_step_seconds_count", kind="other") == 3  # every step's time


async def test_a_token_guards_the_endpoint_a_slow_database_does_not_hang_it_and_429s_count() -> (
    None
):
    metrics = BotMetrics(token="s3cret", scrape_timeout=0.2)

    class Process:
        id = uuid.uuid4()
        host, pid, mode = "node-a", 4242, "webhook"

    async def slow_backlog() -> Backlog:
        await asyncio.sleep(5)
        raise AssertionError("not reached")

    async def too_many(_request: web.Request) -> web.Response:
        return web.json_response(
            {"ok": False, "error_code": 429, "parameters": {"retry_after": 3}}, status=429
        )

    app = web.Application()
    app.router.add_get("/metrics", metrics.handler(Process(), lambda: (1, 2), slow_backlog))
    app.router.add_post("/{tail:.*}", too_many)
    runner = web.AppRunner(app)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    await metrics.update_failed(None, None)  # as PTB calls an error handler
    request = AiohttpRequest(on_too_many_requests=metrics.too_many_requests)
    await request.initialize()
    try:
        for _ in range(2):
            status, _body = await request.do_request(f"http://127.0.0.1:{port}/bot/x", "POST")
            assert status == 429
        async with aiohttp.ClientSession() as http:
            async with http.get(f"http://127.0.0.1:{port}/metrics") as response:
                assert response.status == 401
                assert response.headers["WWW-Authenticate"] == "Bearer"
            bearer = {"Authorization": "Bearer s3cret"}
            async with http.get(f"http://127.0.0.1:{port}/metrics", headers=bearer) as response:
                assert response.status == 200
                found = samples(await response.text())
    finally:
        await request.shutdown()
        await runner.cleanup()
    assert value(found, "hoso_telegram_429_total") == 2
    assert value(found, "hoso_update_errors_total", kind="other") == 1
    assert value(found, "hoso_backlog_query_ok") == 0  # the database was too slow
    assert value(found, "hoso_pipeline_documents", state="waiting") == 1
    assert value(found, "hoso_pipeline_documents", state="checking") == 2


async def test_status_shows_each_process_and_flags_the_silent_one(
    deps: Deps, capsys: pytest.CaptureFixture[str]
) -> None:
    alive = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=15, host="node-a", pid=1111)
    await alive.register(check=False)
    silent = ProcessRegistry(deps, mode=ProcessMode.WEBHOOK, timeout=15, host="node-b", pid=2222)
    await silent.register(check=False)
    now = utcnow()
    async with deps.database.sessions.begin() as session:
        await session.execute(
            update(ProcessRecord)
            .where(ProcessRecord.id == silent.id)
            .values(heartbeat_at=now - timedelta(minutes=10))
        )
        session.add(
            Outbox(
                chat_id=1,
                kind="receipt",
                payload_enc=b"sealed",
                status=OutboxStatus.PENDING,
                leased_by=silent.id,
                created_at=now - timedelta(minutes=2),
                not_before=now + timedelta(minutes=3),
            )
        )

    status = await collect_status(deps, process_timeout=15)

    by_host = {p.host: p for p in status.processes}
    assert set(by_host) == {"node-a", "node-b"}
    assert by_host["node-a"].state == "alive"
    assert by_host["node-a"].heartbeat_lag_seconds < 15
    assert (by_host["node-a"].documents_leased, by_host["node-a"].outbox_leased) == (0, 0)
    assert by_host["node-b"].state == "dead"
    assert by_host["node-b"].heartbeat_lag_seconds >= 600
    assert (by_host["node-b"].documents_leased, by_host["node-b"].outbox_leased) == (0, 1)

    print_status(status)
    print_processes(status, 15)
    text = capsys.readouterr().out
    assert "processes    2 (1 look dead)" in text
    lines = {line.split()[1]: line for line in text.splitlines() if line.startswith("  ")}
    assert str(alive.id)[:8] in lines["node-a"]
    assert "pid 1111  webhook" in lines["node-a"]
    assert "LOOKS DEAD" not in lines["node-a"]
    assert str(silent.id)[:8] in lines["node-b"]
    assert "leases: 0 documents, 1 outbox" in lines["node-b"]
    assert "LOOKS DEAD" in lines["node-b"]

    record = json.loads(status_json(status))
    assert [(p["host"], p["state"]) for p in record["processes"]] == [
        ("node-a", "alive"),
        ("node-b", "dead"),
    ]
    assert record["processes"][1]["id"] == str(silent.id)
    assert record["processes"][1]["outbox_leased"] == 1

    backlog = await measure_backlog(deps)
    assert (backlog.documents_pending, backlog.outbox_pending) == (0, 1)
    assert 100 < backlog.outbox_oldest_seconds < 600
