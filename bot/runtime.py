"""The bot process: PTB application, web server and background workers in one asyncio loop,
started and stopped together.

`start` reads top to bottom, and every step pushes its own undoing on an `AsyncExitStack`, so
`stop` is the same steps backwards: PTB initialised (getMe) · this process's row (intake/processes)
· the services, built once (bot/services.py) and their handlers registered · the photo worker
processes · the workers (document pipeline, outbox sender, janitor, menus, daily jobs, retention,
the data requests' reminders, owed replies, heartbeat, the start-up sweep) · PTB started · the web
server (`/healthz`, the webhook, the console under `/console/`) · the updates (`setWebhook`, or our
long polling, which keeps what it takes: handlers/polling.py) · the command menus. On stop (SIGTERM
or Ctrl-C): updates stop first (polling ends; the webhook answers 503 so Telegram keeps them) and
the ones taken are handled, then the web server, PTB, the workers (one deadline for them all),
the edits still on their way and the owed replies confirmed, the photo workers, the heartbeat
(it beats through the whole stop, so that no process takes this one for dead while it still
sends), the process marked stopped with the leases it still holds handed back (claimed by
another process within seconds), PTB shut down. `/healthz` answers 503 from the stop's first
step, so a balancer drains the process.

Several processes on one PostgreSQL (README, "Several processes"): the process's row refuses a
second poller, or a poller beside webhook processes (intake/processes); `/healthz` is not ok
while the database is unreachable, PTB is not running, or another process has migrated the
schema beyond this code. The heartbeat asks the process to stop (`must_stop`, the sentence in
the log) when another process migrated the schema further, so that old code claims no more work,
or when, taken for dead, it may not register again beside a poller; `hoso run` then exits with
that sentence."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import gc
import logging
import signal
import sys
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from contextlib import AsyncExitStack
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application, ApplicationBuilder

from bot.metrics import BotMetrics
from bot.processor import ChatOrderedProcessor
from bot.services import ServiceOptions, Services, build_services
from bot.web import WEBHOOK_PATH, build_web_app, webhook_secret
from console import ConsoleOptions, console_app
from handlers.errors import on_error
from handlers.http import AiohttpRequest
from handlers.menus import set_resident_commands
from handlers.polling import KeptPolling
from handlers.ratelimit import ChatRateLimiter
from intake.admin import measure_backlog
from intake.documents.orphans import sweep_unowned_blobs
from intake.processes import ProcessRegistry, Reaped, UpdateInbox
from intake.staff import staff_gaps
from storage.deps import Deps
from storage.states import ProcessMode

__all__ = ["BotOptions", "Runtime", "Worker"]

log = logging.getLogger("hoso.bot")
_GC_THRESHOLDS = (20_000, 20, 100)  # the collector's, for the running bot (run_until_signal)
# seconds the web server's requests in flight may take at a stop (aiohttp's default is 60)
_WEB_FINISH = 30.0
# seconds the workers together, then the documents the last updates took, may take at a stop
# (deploy/README.md's TimeoutStopSec counts these two and the poll timeout)
_WORKERS_FINISH = 30.0

Worker = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


@dataclass(frozen=True)
class BotOptions:
    token: str = field(repr=False)
    api_url: str | None = None  # e.g. http://127.0.0.1:8081 for the simulator
    webhook_url: str | None = None  # public base URL; WEBHOOK_PATH is appended
    # where staff open the console (`/web` links); default: the webhook's address, else this
    # server's own (http://listen_host:port)
    public_url: str | None = None
    listen_host: str = "127.0.0.1"
    listen_port: int = 8080
    poll_timeout: float = 10.0
    province: str | None = None  # scopes the commune search
    delete_resident_photos: bool = True
    document_lease_seconds: float = 30.0  # a document being checked, before another may
    outbox_lease_seconds: float = 300.0  # an outbox row being sent, before another may
    rate_limit: bool = True  # PTB's limiter at Telegram's ~30 messages/s (off: benchmarks)
    report_hour: int = 17  # Vietnam time: the officers' daily report
    digest_hour: int = 18  # Vietnam time: the chiefs' daily digest
    outbox_give_up_hours: float = 24.0
    photo_processes: int = 0  # 0: one per core but the event loop's
    # documents of accepted/rejected submissions are destroyed this many days after the decision
    retention_days: int = 90
    # a process silent this long is taken for dead: its leases are taken over
    process_timeout: float = 15.0
    # `/metrics` answers only to `Authorization: Bearer <this>`; None: only to private
    # networks, not through a proxy (bot/metrics.py)
    metrics_token: str | None = field(default=None, repr=False)
    # Tests run the simulator's clock faster; the outbox paces by the same factor.
    time_scale: float = 1.0

    def services(self) -> ServiceOptions:
        return ServiceOptions(
            province=self.province,
            delete_resident_photos=self.delete_resident_photos,
            document_lease=timedelta(seconds=self.document_lease_seconds),
            outbox_lease=timedelta(seconds=self.outbox_lease_seconds),
            rate_limit=self.rate_limit,
            report_hour=self.report_hour,
            digest_hour=self.digest_hour,
            outbox_give_up=timedelta(hours=self.outbox_give_up_hours),
            photo_processes=self.photo_processes,
            retention_days=self.retention_days,
            time_scale=self.time_scale,
        )


def _application(
    options: BotOptions, metrics: BotMetrics
) -> Application[Any, Any, Any, Any, Any, Any]:
    builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
        ApplicationBuilder()
        .token(options.token)
        .concurrent_updates(ChatOrderedProcessor(observe=metrics.update_handled))
        .request(AiohttpRequest(pool_size=64, on_too_many_requests=metrics.too_many_requests))
        .get_updates_request(
            AiohttpRequest(pool_size=2, on_too_many_requests=metrics.too_many_requests)
        )
        # no PTB updater: the webhook endpoint (bot/web.py) or our polling (handlers/polling.py)
        # hands each update to the processor and knows when it has been handled
        .updater(None)
    )
    if options.rate_limit:
        # Telegram's 30/s and 20/min per group, per simulated second when tests run the
        # simulator's clock faster (as the outbox paces): at 30/s of real time, a burst test
        # waited on this limiter rather than on the pacing it tests
        scale = options.time_scale
        builder = builder.rate_limiter(
            ChatRateLimiter(
                max_retries=3, overall_time_period=1 / scale, group_time_period=60 / scale
            )
        )
    if options.api_url:
        base = options.api_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    application = builder.build()
    application.add_error_handler(on_error)
    application.add_error_handler(metrics.update_failed)
    return application


class Runtime:
    """Owns the PTB application, the web server and the workers of one bot process."""

    def __init__(
        self,
        deps: Deps,
        options: BotOptions,
        *,
        workers: list[Worker] | None = None,
        web_routes: Callable[[web.Application], None] | None = None,
    ) -> None:
        self._deps = deps
        self._options = options
        self._extra_workers = workers or []
        self._web_routes = web_routes
        self._stopping = asyncio.Event()
        # set by a signal, or by the heartbeat (`must_stop`): `run_until_signal` stops
        self._stop_requested = asyncio.Event()
        self.stop_reason: str | None = None  # why the process asked itself to stop
        # the heartbeat's own end, set just before the row is marked stopped
        self._heartbeat_stop = asyncio.Event()
        self._heartbeat: asyncio.Task[None] | None = None
        # the chats a reaped process owed, being asked again (beside the heartbeat)
        self._asking_again: set[asyncio.Task[None]] = set()
        self._stack: AsyncExitStack | None = None
        # this process's figures, in a registry of its own (bot/metrics.py)
        self.metrics = BotMetrics(token=options.metrics_token)
        self.application = _application(options, self.metrics)
        self.registry = ProcessRegistry(
            deps,
            mode=ProcessMode.WEBHOOK if options.webhook_url else ProcessMode.POLLING,
            timeout=options.process_timeout,
        )
        self.port: int | None = None
        self.console_url: str | None = None
        self.polling: KeptPolling | None = None
        self._services: Services | None = None

    @property
    def services(self) -> Services:
        if self._services is None:
            raise RuntimeError("the runtime has not started")
        return self._services

    @property
    def webhook_mode(self) -> bool:
        return self._options.webhook_url is not None

    async def health(self) -> dict[str, Any]:
        database_ok = await self._deps.database.ping()
        running = self.application.running
        # another process migrated the schema further (seen by the heartbeat): not ok, so a
        # balancer sends this process nothing more until it is upgraded
        schema = self.registry.schema_problem
        # stopping (or asked to): not ok, so that the balancer drains this process
        stopping = self._stopping.is_set() or self._stop_requested.is_set()
        health: dict[str, Any] = {
            "ok": database_ok and running and schema is None and not stopping,
            "database": database_ok,
            "bot": running,
        }
        if schema is not None:
            health["schema"] = schema
        if stopping:
            health["stopping"] = True
        return health

    def must_stop(self, reason: str) -> None:
        """The process cannot carry on (`reason`, one sentence): it stops as on SIGTERM."""
        if self._stop_requested.is_set():
            return
        self.stop_reason = reason
        log.error("this process stops", extra={"reason": reason})
        self._stop_requested.set()

    async def start(self) -> None:
        application, options = self.application, self._options
        async with AsyncExitStack() as stack:
            await application.initialize()
            stack.push_async_callback(application.shutdown)
            await self.registry.register()  # before any lease names it
            stack.push_async_callback(self._quietly, self._stop_beating_then_mark_stopped)
            services = self._services = build_services(
                self._deps,
                application.bot,
                self.registry,
                options.services(),
                on_document_checked=self.metrics.document_checked,
            )
            services.handlers.register(application)
            await asyncio.to_thread(services.photo_processes.start)
            stack.callback(services.photo_processes.shutdown, wait=True)
            stack.push_async_callback(
                self._quietly, functools.partial(services.owed.confirm, everything=True)
            )
            # at the stop, the edits and deletions still waiting go out at once
            stack.push_async_callback(functools.partial(services.replies.flush, hurry=True))
            # half-written sealed files of a crash; an hour old, so that another bot process
            # sharing the store (scale-out) is not writing them now
            swept = await asyncio.to_thread(self._deps.blobs.sweep_temporary, 3600.0)
            if swept:
                log.info("half-written blobs removed", extra={"count": swept})
            self._start_workers(stack, services)
            await application.start()
            stack.push_async_callback(self._stop_application)
            await self._serve_web(stack)
            await self._take_updates(stack)
            await set_resident_commands(application.bot)
            await self._warn_about_staff()
            self._stack = stack.pop_all()
        log.info(
            "bot started",
            extra={"mode": self.registry.mode, "port": self.port},
        )

    def _start_workers(self, stack: AsyncExitStack, services: Services) -> None:
        workers: list[Worker] = [
            *self._extra_workers,
            services.pipeline.run,
            services.outbox.run,
            services.janitor.run,
            services.menus.run,
            services.daily.run,
            services.retention.run,
            services.request_reminders.run,
            services.owed.run,
            services.console.vault.run,
            self._sweep_once,
        ]
        tasks = [asyncio.create_task(worker(self._stopping)) for worker in workers]
        # beats until the stop's last step (`_stop_beating_then_mark_stopped`), not until the
        # stop's first: the others must not take this process for dead while it finishes
        self._heartbeat = asyncio.create_task(
            self.registry.run(
                self._heartbeat_stop,
                stopping=self._stopping,
                on_reaped=self._take_over,
                on_must_stop=self.must_stop,
            )
        )

        async def finish() -> None:
            # one deadline for all the workers, waited together
            deadline = asyncio.get_running_loop().time() + _WORKERS_FINISH
            everything = [*tasks, *self._asking_again]
            _, late = await asyncio.wait(everything, timeout=_WORKERS_FINISH)
            for task in late:
                task.cancel()
            for result in await asyncio.gather(*everything, return_exceptions=True):
                if isinstance(result, Exception):
                    log.error("a worker failed", exc_info=result)
            # documents the desk took after the pipeline's worker ended (the last updates):
            # finished too, within the same deadline, before the process hands back its leases
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout_at(deadline):
                    await services.pipeline.finish_taken()

        stack.push_async_callback(finish)

    async def _stop_application(self) -> None:
        if self.application.running:
            await self.application.stop()  # drains the update queue: in-flight updates finish

    async def _serve_web(self, stack: AsyncExitStack) -> None:
        application, options = self.application, self._options
        secret = webhook_secret(options.token) if self.webhook_mode else None
        web_app = build_web_app(
            health=self.health,
            application=application if secret else None,
            secret=secret,
            accepting=lambda: not self._stopping.is_set(),
            metrics=self.metrics.handler(
                self.registry,
                lambda: self.services.pipeline.load,
                functools.partial(measure_backlog, self._deps),
            ),
        )
        public_url = options.public_url or options.webhook_url
        web_app.add_subapp(
            "/console", console_app(self.services.console, ConsoleOptions(public_url))
        )
        if self._web_routes is not None:
            self._web_routes(web_app)
        # no access log: a sign-in link's token is in its address
        runner = web.AppRunner(web_app, access_log=None, shutdown_timeout=_WEB_FINISH)
        await runner.setup()
        stack.push_async_callback(runner.cleanup)  # waits for webhook requests being handled
        await web.TCPSite(runner, options.listen_host, options.listen_port).start()
        self.port = runner.addresses[0][1] if runner.addresses else None
        # `/web` links name the console's address, known now that the port is bound
        self.console_url = public_url or f"http://{options.listen_host}:{self.port}"
        self.services.staff_desk.console_url = self.console_url

    async def _take_updates(self, stack: AsyncExitStack) -> None:
        """From now on Telegram's updates arrive: by webhook, or by our polling."""
        application, options = self.application, self._options
        if options.webhook_url is not None:
            await application.bot.set_webhook(
                options.webhook_url.rstrip("/") + WEBHOOK_PATH,
                secret_token=webhook_secret(options.token),
                allowed_updates=ALLOWED_UPDATES,
            )
            return
        await application.bot.delete_webhook()
        inbox = UpdateInbox(self._deps, application.bot.id)
        polling = self.polling = KeptPolling(
            application, inbox, timeout=options.poll_timeout, allowed_updates=ALLOWED_UPDATES
        )
        flushing = asyncio.create_task(inbox.run(self._stopping))
        taking = asyncio.create_task(polling.run(self._stopping))

        async def stop_taking() -> None:  # the updates taken are handled, then crossed off
            with contextlib.suppress(Exception):
                await taking
            with contextlib.suppress(Exception):
                await flushing

        stack.push_async_callback(stop_taking)

    async def _take_over(self, reaped: Reaped) -> None:
        """A dead process was reaped: its released leases are claimed now, and each chat it
        owed a reply gets its current question again, beside the heartbeat: asking dozens of
        chats takes longer than the process timeout under load, and a heartbeat waiting for
        it had this process taken for dead in turn."""
        services = self.services
        services.pipeline.kick()
        services.outbox.kick()
        if reaped.owed_chats:
            task = asyncio.create_task(self._ask_again(reaped.owed_chats))
            self._asking_again.add(task)
            task.add_done_callback(self._asking_again.discard)

    async def _ask_again(self, chats: Sequence[int]) -> None:
        services = self.services
        for chat_id in chats:
            try:
                outcome = await services.desk.ask_again(chat_id)
                if outcome is not None:
                    await services.handlers.deliver(chat_id, outcome)
            except Exception:  # the debt stays this process's: asked again after a restart
                log.exception("owed question not sent", extra={"chat_id": chat_id})

    async def _stop_beating_then_mark_stopped(self) -> None:
        """The stop's last step: the heartbeat ends, then the row is marked stopped."""
        self._heartbeat_stop.set()
        if self._heartbeat is not None:
            with contextlib.suppress(Exception):
                await self._heartbeat
        # begun after the workers' deadline: the chats stay owed by this process, and the
        # process that reaps it asks them again
        for task in list(self._asking_again):
            task.cancel()
        await asyncio.gather(*self._asking_again, return_exceptions=True)
        await self.registry.stopped()

    async def _sweep_once(self, _stop: asyncio.Event) -> None:
        """At start-up: sealed files a crash left without a committed row are removed."""
        try:
            await sweep_unowned_blobs(self._deps)
        except Exception:
            log.exception("the blob store was not swept")

    async def _warn_about_staff(self) -> None:
        """DESIGN.md's start-up check, as warnings: officers join through this very bot (an
        invite link), so a commune without one cannot be refused at start-up."""
        communes, villages = await staff_gaps(self._deps)
        if communes:
            log.warning(
                "communes with villages but no officer: their submissions reach no one yet "
                "(hoso staff invite --role officer --commune CODE)",
                extra={"communes": communes[:20], "count": len(communes)},
            )
        if villages:
            log.warning(
                "villages without a chief: their alerts go to the commune's officers",
                extra={"villages": villages},
            )

    @staticmethod
    async def _quietly(step: Callable[[], Awaitable[object]]) -> None:
        """A last step whose failure must not stop the rest of the stop (what it leaves is
        picked up by the next process: unconfirmed replies are asked again)."""
        try:
            await step()
        except Exception:
            log.exception("a step of the stop failed")

    async def stop(self) -> None:
        self._stopping.set()  # the webhook answers 503 from now on: Telegram keeps the updates
        if self._stack is not None:
            stack, self._stack = self._stack, None
            await stack.aclose()
        log.info("bot stopped")

    async def run_until_signal(self) -> None:
        """Start, wait for SIGTERM/SIGINT (or the heartbeat's `must_stop`), stop cleanly."""
        # The photo processes' results come back through the process pool's threads, and each
        # hand-off to the event loop can wait a whole switch interval (5 ms by default) for the
        # GIL while the loop is busy. 0.5 ms keeps hand-offs short.
        sys.setswitchinterval(0.0005)
        loop = asyncio.get_running_loop()
        stop = self._stop_requested
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await self.start()
        # What start-up made (modules, PTB, SQLAlchemy's mappers, caches) lives as long as the
        # process; left to the collector, every full collection scans it all and stalls every
        # chat (up to 155 ms each under the load bench). Frozen, it is never scanned again.
        gc.collect()
        gc.freeze()
        # Every update allocates thousands of objects (PTB's, SQLAlchemy's), almost all freed at
        # once by reference counting; at the default thresholds (700, 10, 10) the collector ran
        # ~600 times and made 6 full passes of up to 80 ms in one 200-resident bench run. Less
        # often: 18 young passes and one full pass (bench/README.md); cyclic garbage waits a
        # little longer, the peak RSS did not move.
        thresholds = gc.get_threshold()
        gc.set_threshold(*_GC_THRESHOLDS)
        try:
            await stop.wait()
        finally:
            await self.stop()
            gc.unfreeze()  # so that extension modules (zxing-cpp) are torn down cleanly at exit
            gc.set_threshold(*thresholds)
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.remove_signal_handler(signum)
