"""The bot process: PTB application, web server and background workers in one asyncio loop,
started and stopped together.

Order on start: database and services (given), PTB initialise (getMe), this process's row
(intake/processes.py), handlers, web server, then updates (our long polling, which keeps what
it takes: handlers/polling.py; or `setWebhook`), then commands and workers. On stop (SIGTERM or
Ctrl-C) the reverse: stop taking updates (polling stops; the webhook answers 503 so Telegram
keeps them), let in-flight updates finish, stop the web server, then the workers; the replies
still owed are confirmed and the process's row is marked stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import logging
import signal
import sys
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from aiohttp import web
from sqlalchemy import text
from telegram import BotCommand, BotCommandScopeAllPrivateChats, Update
from telegram.error import TelegramError
from telegram.ext import Application, ApplicationBuilder, ContextTypes

from bot.photo_processes import PhotoProcesses, default_process_count
from bot.processor import ChatOrderedProcessor
from bot.web import WEBHOOK_PATH, build_web_app, webhook_secret
from handlers.files import TelegramFiles
from handlers.http import AiohttpRequest
from handlers.menus import StaffMenus
from handlers.outbox import OutboxSender
from handlers.polling import KeptPolling
from handlers.ratelimit import ChatRateLimiter
from handlers.replies import ReplySender
from handlers.resident import ResidentHandlers
from intake.daily import DailyJobs
from intake.deps import Deps
from intake.directory import DirectoryCache
from intake.documents import DocumentPipeline
from intake.inbox import UpdateInbox
from intake.janitor import DraftJanitor
from intake.messages import Language, language_of, render
from intake.orphans import sweep_unowned_blobs
from intake.outbox import OutboxService
from intake.owed import OwedReplies
from intake.processes import ProcessRegistry, Reaped
from intake.residents import Outcome, ResidentDesk
from intake.staff import StaffRoster, staff_gaps
from intake.staffdesk import StaffDesk

__all__ = ["BotOptions", "Runtime", "Worker"]

log = logging.getLogger("hoso.bot")
_GC_THRESHOLDS = (20_000, 20, 100)  # the collector's, for the running bot (run_until_signal)

Worker = Callable[[asyncio.Event], Coroutine[Any, Any, None]]
RESIDENT_COMMANDS = ("start", "status", "help", "language", "withdraw", "cancel")
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


@dataclass(frozen=True)
class BotOptions:
    token: str = field(repr=False)
    api_url: str | None = None  # e.g. http://127.0.0.1:8081 for the simulator
    webhook_url: str | None = None  # public base URL; WEBHOOK_PATH is appended
    listen_host: str = "127.0.0.1"
    listen_port: int = 8080
    poll_timeout: float = 10.0
    province: str | None = None  # scopes the commune search
    delete_resident_photos: bool = True
    document_lease_seconds: float = 30.0
    rate_limit: bool = True  # PTB's limiter at Telegram's ~30 messages/s (off: benchmarks)
    report_hour: int = 17  # Vietnam time: the officers' daily report
    digest_hour: int = 18  # Vietnam time: the chiefs' daily digest
    outbox_give_up_hours: float = 24.0
    photo_processes: int = 0  # 0: one per core but the event loop's
    # a process silent this long is taken for dead: its leases are taken over
    process_timeout: float = 15.0
    # Tests run the simulator's clock faster; the outbox paces by the same factor.
    time_scale: float = 1.0


def _update_kind(update: object) -> str:
    if not isinstance(update, Update):
        return type(update).__name__
    for kind in ("callback_query", "message", "edited_message", "my_chat_member"):
        if getattr(update, kind, None) is not None:
            return kind
    return "other"


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log the failure with the update's kind and ids (never its content), apologise."""
    chat = update.effective_chat if isinstance(update, Update) else None
    user = update.effective_user if isinstance(update, Update) else None
    log.error(
        "update failed",
        exc_info=context.error,
        extra={
            "update_kind": _update_kind(update),
            "update_id": update.update_id if isinstance(update, Update) else None,
            "chat_id": chat.id if chat else None,
            "user_id": user.id if user else None,
        },
    )
    if chat is not None and chat.type == "private":
        language = language_of(user.language_code if user else None)
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(chat.id, render(language, "error.apology"))


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
        self._workers = workers or []
        self._web_routes = web_routes
        self._stopping = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []
        self._polling: asyncio.Task[None] | None = None
        self.polling: KeptPolling | None = None
        self._runner: web.AppRunner | None = None
        self.application = self._build_application()
        self.port: int | None = None
        self.replies: ReplySender | None = None
        self._photo_processes: PhotoProcesses | None = None
        self.registry = ProcessRegistry(
            deps,
            mode="webhook" if options.webhook_url else "polling",
            timeout=options.process_timeout,
        )
        self.owed: OwedReplies | None = None

    def _build_application(self) -> Application[Any, Any, Any, Any, Any, Any]:
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = (
            ApplicationBuilder()
            .token(self._options.token)
            .concurrent_updates(ChatOrderedProcessor())
            .request(AiohttpRequest(pool_size=64))
            .get_updates_request(AiohttpRequest(pool_size=2))
        )
        if self._options.rate_limit:
            builder = builder.rate_limiter(ChatRateLimiter(max_retries=3))
        if self._options.api_url:
            base = self._options.api_url.rstrip("/")
            builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
        # no PTB updater: the webhook endpoint (bot/web.py) or our polling (handlers/polling.py)
        # hands each update to the processor and knows when it has been handled
        builder = builder.updater(None)
        application = builder.build()
        application.add_error_handler(on_error)
        return application

    @property
    def webhook_mode(self) -> bool:
        return self._options.webhook_url is not None

    async def health(self) -> dict[str, Any]:
        database_ok = True
        try:
            async with self._deps.database.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:  # any failure means unhealthy
            database_ok = False
        running = self.application.running
        return {"ok": database_ok and running, "database": database_ok, "bot": running}

    async def start(self) -> None:
        application = self.application
        await application.initialize()
        await self.registry.register()  # before any lease names it
        self._assemble()
        assert self._photo_processes is not None  # noqa: S101 — made by _assemble
        await asyncio.to_thread(self._photo_processes.start)
        # half-written sealed files of a crash; an hour old, so that another bot process
        # sharing the store (scale-out) is not writing them now
        swept = await asyncio.to_thread(self._deps.blobs.sweep_temporary, 3600.0)
        if swept:
            log.info("half-written blobs removed", extra={"count": swept})
        await application.start()
        secret = webhook_secret(self._options.token) if self.webhook_mode else None
        web_app = build_web_app(
            health=self.health,
            application=application if secret else None,
            secret=secret,
            accepting=lambda: not self._stopping.is_set(),
        )
        if self._web_routes is not None:
            self._web_routes(web_app)
        self._runner = web.AppRunner(web_app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, self._options.listen_host, self._options.listen_port)
        await site.start()
        self.port = self._runner.addresses[0][1] if self._runner.addresses else None
        if self.webhook_mode:
            assert self._options.webhook_url is not None  # noqa: S101 — checked by webhook_mode
            await application.bot.set_webhook(
                self._options.webhook_url.rstrip("/") + WEBHOOK_PATH,
                secret_token=secret,
                allowed_updates=ALLOWED_UPDATES,
            )
        else:
            await application.bot.delete_webhook()
            inbox = UpdateInbox(self._deps, application.bot.id)
            polling = self.polling = KeptPolling(
                application,
                inbox,
                timeout=self._options.poll_timeout,
                allowed_updates=ALLOWED_UPDATES,
            )
            self._polling = asyncio.create_task(polling.run(self._stopping))
            self._workers.append(inbox.run)
        await self._set_commands()
        await self._warn_about_staff()
        self._tasks = [asyncio.create_task(worker(self._stopping)) for worker in self._workers]
        log.info(
            "bot started",
            extra={"mode": "webhook" if self.webhook_mode else "polling", "port": self.port},
        )

    def _assemble(self) -> None:
        """Build the services that need the bot (its id, its API) and register the handlers."""
        bot = self.application.bot
        options = self._options
        directory = DirectoryCache(self._deps, options.province)
        give_up = timedelta(hours=options.outbox_give_up_hours)
        if options.rate_limit:
            scale = options.time_scale
            self.outbox = OutboxSender(
                bot,
                OutboxService(self._deps, self.registry),
                overall_rate=25.0 * scale,
                chat_interval=1.05 / scale,
                group_interval=3.1 / scale,
                give_up_after=give_up,
            )
        else:  # capacity benchmarks against a simulator without flood limits
            self.outbox = OutboxSender(
                bot,
                OutboxService(self._deps, self.registry),
                overall_rate=1000.0,
                chat_interval=0.0,
                give_up_after=give_up,
            )
        self.menus = StaffMenus(bot, self._deps)
        self.roster = StaffRoster(self._deps)

        def committed(outcome: Outcome) -> None:
            if outcome.new_documents:
                self.pipeline.take(outcome.new_documents)
            if outcome.new_outbox:
                self.outbox.kick()
            if outcome.staff_changed:
                self.menus.kick()

        lease = timedelta(seconds=options.document_lease_seconds)
        self.desk = ResidentDesk(
            self._deps,
            bot_id=bot.id,
            directory=directory,
            on_committed=committed,
            document_lease=lease,
            holder=self.registry,
        )

        def checking(chat_id: int) -> bool:  # the pipeline is built below, with these replies
            return self.pipeline.checking(chat_id)

        self.replies = ReplySender(bot, self.desk.remember_message, checking=checking)
        owed = self.owed = OwedReplies(self._deps, editing=self.replies.editing)
        self.staff_desk = StaffDesk(
            self._deps,
            bot_id=bot.id,
            bot_username=bot.username,
            residents=self.desk,
            roster=self.roster,
        )
        residents = ResidentHandlers(
            self.desk, self.replies, self.staff_desk, committed, owed=owed
        )
        residents.register(self.application)
        self._residents = residents
        self._photo_processes = PhotoProcesses(options.photo_processes or default_process_count())
        self.pipeline = DocumentPipeline(
            self._deps,
            TelegramFiles(bot),
            self.desk,
            directory,
            deliver=residents.deliver,
            forget_message=self.replies.delete if options.delete_resident_photos else None,
            executor=self._photo_processes,
            lease=lease,
            holder=self.registry,
        )
        janitor = DraftJanitor(self._deps)
        self.daily = DailyJobs(
            self._deps,
            report_hour=options.report_hour,
            digest_hour=options.digest_hour,
            on_enqueued=self.outbox.kick,
        )
        self._workers = [
            *self._workers,
            self.pipeline.run,
            self.outbox.run,
            janitor.run,
            self.menus.run,
            self.daily.run,
            owed.run,
            lambda stop: self.registry.run(stop, self._take_over),
            self._sweep_once,
        ]

    async def _take_over(self, reaped: Reaped) -> None:
        """A dead process was reaped: its released leases are claimed now, and each chat it
        owed a reply gets its current question again."""
        self.pipeline.kick()
        self.outbox.kick()
        for chat_id in reaped.owed_chats:
            try:
                outcome = await self.desk.ask_again(chat_id)
                if outcome is not None:
                    await self._residents.deliver(chat_id, outcome)
            except Exception:  # the debt stays this process's: asked again after a restart
                log.exception("owed question not sent", extra={"chat_id": chat_id})

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

    async def _set_commands(self) -> None:
        for language in Language:
            commands = [
                BotCommand(name, render(language, f"command.{name}")) for name in RESIDENT_COMMANDS
            ]
            await self.application.bot.set_my_commands(
                commands,
                scope=BotCommandScopeAllPrivateChats(),
                language_code=None if language is Language.VI else language.value,
            )

    async def stop(self) -> None:
        self._stopping.set()  # the webhook answers 503 from now on: Telegram keeps the updates
        application = self.application
        if self._polling is not None:  # stops polling, then lets the updates it took finish
            with contextlib.suppress(Exception):
                await self._polling
            self._polling = None
        if self._runner is not None:
            await self._runner.cleanup()  # waits for webhook requests being handled
            self._runner = None
        if application.running:
            await application.stop()  # drains the update queue: in-flight updates finish
        for task in self._tasks:
            with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                await asyncio.wait_for(task, timeout=30)
        if self.replies is not None:
            await self.replies.flush()
        if self.owed is not None:
            with contextlib.suppress(Exception):  # unconfirmed: asked again by the next process
                await self.owed.confirm(everything=True)
        with contextlib.suppress(Exception):
            await self.registry.stopped()
        if self._photo_processes is not None:
            self._photo_processes.shutdown(wait=True)
        await application.shutdown()
        log.info("bot stopped")

    async def run_until_signal(self) -> None:
        """Start, wait for SIGTERM/SIGINT, stop cleanly."""
        # The photo processes' results come back through the process pool's threads, and each
        # hand-off to the event loop can wait a whole switch interval (5 ms by default) for the
        # GIL while the loop is busy. 0.5 ms keeps hand-offs short.
        sys.setswitchinterval(0.0005)
        loop = asyncio.get_running_loop()
        stop = asyncio.Event()
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
