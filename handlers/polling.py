"""Long polling that loses nothing it took from Telegram.

Each batch from `getUpdates` is kept in the database (intake/inbox.py) before the next call
tells Telegram to forget it; each update is then handled like a webhook's (through the per-chat
processor, to its commit) and crossed off. At start, what a crash left is handled first. A
malformed update is logged by its id (never its content) and skipped.

The raw batch is fetched with `do_api_request` rather than `get_updates`: `get_updates` parses
the whole batch at once, so one malformed update failed all of them, again at every call, and
PTB then logged the batch's content. The request is the same `getUpdates` call, with the read
timeout PTB gives it (the long poll's wait on top of the usual one).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import warnings
from typing import Any

from telegram import Update
from telegram.error import RetryAfter, TelegramError, TimedOut
from telegram.ext import Application
from telegram.warnings import PTBUserWarning

from handlers.replies import retry_seconds
from handlers.updates import read_update
from intake.processes import UpdateInbox

__all__ = ["KeptPolling"]

log = logging.getLogger("hoso.polling")
_BACKOFF_MAX = 30.0


class KeptPolling:
    """Polls until stopped; `run` returns once every update it took has been handled."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        inbox: UpdateInbox,
        *,
        timeout: float,
        allowed_updates: list[str],
        read_timeout: float = 5.0,
    ) -> None:
        self._application = application
        self._inbox = inbox
        self._timeout = int(timeout)
        self._allowed = allowed_updates
        self._read_timeout = read_timeout
        self._offset: int | None = None
        self._started: set[int] = set()  # taken at or above the offset: not started twice
        self._tasks: set[asyncio.Task[None]] = set()

    async def run(self, stop: asyncio.Event) -> None:
        for update_id, text in await self._inbox.left():
            self._start(update_id, self._parse(update_id, json.loads(text)))
        failures = 0
        while not stop.is_set():
            try:
                batch = await self._until_stopped(self._fetch(), stop)
            except asyncio.CancelledError:
                raise
            except TimedOut:
                continue  # a long poll that took longer than its timeout: ask again
            except RetryAfter as error:
                await self._pause(retry_seconds(error), stop)
                continue
            except TelegramError as error:
                failures += 1
                log.warning("polling failed", extra={"error": type(error).__name__})
                await self._pause(min(_BACKOFF_MAX, 2.0**failures), stop)
                continue
            if batch is None:  # stopped while waiting
                break
            failures = 0
            await self._take(batch)
        if self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)
        await self._inbox.flush()
        await self._confirm()

    async def _until_stopped(self, fetch: Any, stop: asyncio.Event) -> list[Any] | None:
        """The batch, or None once `stop` is set (the poll is abandoned: what Telegram had
        for it stays unconfirmed, and comes again)."""
        fetching = asyncio.ensure_future(fetch)
        stopping = asyncio.ensure_future(stop.wait())
        try:
            await asyncio.wait({fetching, stopping}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            stopping.cancel()
        if not fetching.done():
            fetching.cancel()
            with contextlib.suppress(asyncio.CancelledError, TelegramError):
                await fetching
            return None
        result: list[Any] = fetching.result()
        return result

    async def _fetch(self, *, wait: int | None = None, limit: int | None = None) -> Any:
        """One `getUpdates` call (a long poll of `wait` seconds), its result as Telegram sent
        it."""
        wait = self._timeout if wait is None else wait
        with warnings.catch_warnings():
            # "use Bot.get_updates": that parses the batch as a whole (module docstring)
            warnings.simplefilter("ignore", PTBUserWarning)
            return await self._application.bot.do_api_request(
                "get_updates",
                api_kwargs={
                    "offset": self._offset,
                    "timeout": wait,
                    "limit": limit,
                    "allowed_updates": self._allowed,
                },
                read_timeout=self._read_timeout + wait,
            )

    async def _take(self, batch: list[Any]) -> None:
        """Keep the batch, then start handling it; the next call confirms it to Telegram."""
        fresh: list[tuple[int, Update | None, str]] = []
        highest: int | None = None
        for data in batch:
            update_id = data.get("update_id") if isinstance(data, dict) else None
            if type(update_id) is not int or not 0 <= update_id < 2**63:
                log.warning("update without a valid id skipped")
                continue
            highest = update_id if highest is None else max(highest, update_id)
            if update_id in self._started:
                continue  # the previous confirmation did not reach Telegram
            text = json.dumps(data, ensure_ascii=True)
            fresh.append((update_id, self._parse(update_id, data), text))
        await self._inbox.keep([(update_id, text) for update_id, update, text in fresh if update])
        for update_id, update, _ in fresh:
            self._start(update_id, update)
        if highest is not None:
            self._offset = highest + 1
            self._started = {i for i in self._started if i >= self._offset}

    def _parse(self, update_id: int, data: Any) -> Update | None:
        update = read_update(data, self._application.bot)
        if update is None:
            log.warning("malformed update skipped", extra={"update_id": update_id})
        return update

    def _start(self, update_id: int, update: Update | None) -> None:
        self._started.add(update_id)
        if update is None:
            self._inbox.handled(update_id)
            return
        task = asyncio.create_task(self._handle(update_id, update))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _handle(self, update_id: int, update: Update) -> None:
        application = self._application
        try:
            await application.update_processor.process_update(
                update, application.process_update(update)
            )
        except asyncio.CancelledError:
            raise  # not handled: the next start takes it again
        except Exception as error:  # not the handlers' (they report to the error handler)
            log.error(  # noqa: TRY400 — a traceback could quote the update
                "update not handled", extra={"update_id": update_id, "error": type(error).__name__}
            )
        # handled, or failed and reported: never taken again (a poisonous update would fail
        # at every start)
        self._inbox.handled(update_id)

    async def _confirm(self) -> None:
        """Tell Telegram the last batch was taken (as PTB's polling does at its stop)."""
        if self._offset is None:
            return
        with contextlib.suppress(TelegramError):
            await self._fetch(wait=0, limit=1)

    @staticmethod
    async def _pause(seconds: float, stop: asyncio.Event) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=seconds)
