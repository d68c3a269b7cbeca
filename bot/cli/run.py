"""`hoso run`: the bot against real Telegram (or any Bot API server)."""

from __future__ import annotations

import click

from bot.cli._common import fail, run_use_case, settings_from_env
from bot.logs import configure_logging
from bot.runtime import BotOptions, Runtime
from bot.wiring import open_deps

__all__ = ["run"]


@click.command()
@run_use_case
async def run() -> None:
    """Run the bot: long polling, or a webhook when HOSO_WEBHOOK_URL is set.

    \b
    Example:
      HOSO_TELEGRAM_TOKEN=... HOSO_PROVINCE=66 hoso run
    Stops cleanly on SIGTERM or Ctrl-C (updates being handled finish first, then the
    documents and messages it holds are handed back to the other processes). Several
    processes share one PostgreSQL in webhook mode only: a second poller is refused. Stops
    by itself, with one sentence and exit status 1, when another process migrated the
    database's schema further (upgrade this machine's hoso).
    """
    settings = settings_from_env()
    if settings.telegram_token is None:
        fail("HOSO_TELEGRAM_TOKEN is not set: give the bot token from @BotFather")
        return
    token = settings.telegram_token.get_secret_value()
    configure_logging(settings.log_level, settings.log_format, [token])
    async with open_deps(settings) as deps:
        runtime = Runtime(
            deps,
            BotOptions(
                token=token,
                api_url=settings.telegram_api_url,
                webhook_url=settings.webhook_url,
                public_url=settings.public_url,
                listen_host=settings.listen_host,
                listen_port=settings.listen_port,
                province=settings.province,
                delete_resident_photos=settings.delete_resident_photos,
                rate_limit=settings.rate_limit,
                report_hour=settings.report_hour,
                digest_hour=settings.digest_hour,
                outbox_give_up_hours=settings.outbox_give_up_hours,
                photo_processes=settings.photo_processes,
                process_timeout=settings.process_timeout,
                metrics_token=(
                    settings.metrics_token.get_secret_value() if settings.metrics_token else None
                ),
                document_lease_seconds=settings.document_lease_seconds,
                outbox_lease_seconds=settings.outbox_lease_seconds,
                retention_days=settings.retention_days,
            ),
        )
        await runtime.run_until_signal()
        if runtime.stop_reason is not None:  # the heartbeat stopped it: said in the log too
            fail(runtime.stop_reason)
