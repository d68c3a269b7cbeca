"""The services of one bot process, built once (`build_services`) into a typed dataclass.

Building is wiring only: each service is made with what it needs, and the callbacks between
them (a committed step wakes the pipeline and the outbox sender; the pipeline's verdicts go to
the resident desk and back to the chat) are set here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from telegram import Bot

from bot.photo_processes import PhotoProcesses, default_process_count
from handlers.files import TelegramFiles
from handlers.menus import StaffMenuSync
from handlers.outbox import OutboxSender
from handlers.replies import ReplySender
from handlers.resident import ResidentHandlers
from intake.chat import DocumentChecked
from intake.console import ConsoleDesk
from intake.documents.pipeline import DocumentPipeline
from intake.notify import DailyJobs, OutboxService
from intake.processes import OwedReplies, ProcessRegistry
from intake.requests import RequestReminders
from intake.resident import DirectoryCache, DraftJanitor, Outcome, ResidentDesk
from intake.retention import Retention
from intake.staff import StaffDesk, StaffMenus, StaffRoster
from storage.deps import Deps

__all__ = ["ServiceOptions", "Services", "build_services"]


@dataclass(frozen=True)
class ServiceOptions:
    """What the services are built with (from `BotOptions`)."""

    province: str | None
    delete_resident_photos: bool
    document_lease: timedelta
    outbox_lease: timedelta
    rate_limit: bool
    report_hour: int
    digest_hour: int
    outbox_give_up: timedelta
    photo_processes: int
    retention_days: int
    time_scale: float  # tests run the simulator's clock faster; the outbox paces by it too


@dataclass(frozen=True)
class Services:
    """What one bot process runs."""

    registry: ProcessRegistry
    directory: DirectoryCache
    desk: ResidentDesk
    staff_desk: StaffDesk
    console: ConsoleDesk
    roster: StaffRoster
    replies: ReplySender
    owed: OwedReplies
    handlers: ResidentHandlers
    pipeline: DocumentPipeline[Outcome]
    photo_processes: PhotoProcesses
    outbox: OutboxSender
    menus: StaffMenuSync
    daily: DailyJobs
    janitor: DraftJanitor
    retention: Retention
    request_reminders: RequestReminders


def _outbox_sender(bot: Bot, service: OutboxService, options: ServiceOptions) -> OutboxSender:
    if options.rate_limit:
        scale = options.time_scale
        return OutboxSender(
            bot,
            service,
            overall_rate=25.0 * scale,
            chat_interval=1.05 / scale,
            group_interval=3.1 / scale,
            give_up_after=options.outbox_give_up,
        )
    # capacity benchmarks against a simulator without flood limits
    return OutboxSender(
        bot, service, overall_rate=1000.0, chat_interval=0.0, give_up_after=options.outbox_give_up
    )


def build_services(
    deps: Deps,
    bot: Bot,
    registry: ProcessRegistry,
    options: ServiceOptions,
    *,
    on_document_checked: Callable[[DocumentChecked], None] | None = None,
) -> Services:
    """Make every service once and connect them (module docstring); `on_document_checked`
    hears each committed verdict (bot/metrics.py)."""
    directory = DirectoryCache(deps, options.province)
    outbox = _outbox_sender(
        bot, OutboxService(deps, registry, lease=options.outbox_lease), options
    )
    menus = StaffMenuSync(bot, StaffMenus(deps))
    roster = StaffRoster(deps)
    photo_processes = PhotoProcesses(options.photo_processes or default_process_count())
    pipeline: DocumentPipeline[Outcome]

    def committed(outcome: Outcome) -> None:
        """After a resident's or a staff member's step has committed: wake the workers."""
        if outcome.new_documents:
            pipeline.take(outcome.new_documents)
        if outcome.new_outbox:
            outbox.kick()
        if outcome.staff_changed:
            menus.kick()

    def checking(chat_id: int) -> bool:
        return pipeline.checking(chat_id)

    desk = ResidentDesk(
        deps,
        bot_id=bot.id,
        directory=directory,
        on_committed=committed,
        document_lease=options.document_lease,
        holder=registry,
    )
    replies = ReplySender(bot, desk.remember_message, checking=checking)
    owed = OwedReplies(deps, editing=replies.editing)
    staff_desk = StaffDesk(
        deps,
        bot_id=bot.id,
        bot_username=bot.username,
        residents=desk,
        roster=roster,
        digest_hour=options.digest_hour,
    )
    handlers = ResidentHandlers(desk, replies, staff_desk, committed, owed=owed)
    pipeline = DocumentPipeline(
        deps,
        TelegramFiles(bot),
        desk,
        directory,
        deliver=handlers.deliver,
        forget_message=replies.delete if options.delete_resident_photos else None,
        executor=photo_processes,
        lease=options.document_lease,
        holder=registry,
        on_checked=on_document_checked,
    )
    daily = DailyJobs(
        deps,
        report_hour=options.report_hour,
        digest_hour=options.digest_hour,
        on_enqueued=outbox.kick,
    )
    return Services(
        registry=registry,
        directory=directory,
        desk=desk,
        staff_desk=staff_desk,
        console=ConsoleDesk(deps, bot_username=bot.username, on_changed=outbox.kick),
        roster=roster,
        replies=replies,
        owed=owed,
        handlers=handlers,
        pipeline=pipeline,
        photo_processes=photo_processes,
        outbox=outbox,
        menus=menus,
        daily=daily,
        janitor=DraftJanitor(deps),
        retention=Retention(deps, days=options.retention_days),
        request_reminders=RequestReminders(deps, on_enqueued=outbox.kick),
    )
