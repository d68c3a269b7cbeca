"""PTB callbacks for private chats: build an event, hand it to the staff desk (invites, staff
commands and buttons, a staff member's note) or the resident desk, send the replies."""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Callable
from typing import Any

from telegram import Update
from telegram.error import BadRequest
from telegram.ext import Application, CallbackQueryHandler, ContextTypes, MessageHandler, filters

from handlers.adapter import event_from_update
from handlers.replies import ReplySender
from intake.chat import Event, Pressed
from intake.processes import OwedReplies
from intake.resident import Outcome, ResidentDesk
from intake.staff import StaffDesk

__all__ = ["ResidentHandlers"]

log = logging.getLogger("hoso.updates")


class ResidentHandlers:
    """The resident side of the bot; one instance, built with its desk at start-up."""

    def __init__(
        self,
        desk: ResidentDesk,
        sender: ReplySender,
        staff: StaffDesk | None = None,
        on_staff_outcome: Callable[[Outcome], None] | None = None,
        owed: OwedReplies | None = None,
    ) -> None:
        self._desk = desk
        self._sender = sender
        self._owed = owed
        self._staff = staff
        self._on_staff_outcome = on_staff_outcome

    def register(self, application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        private = filters.ChatType.PRIVATE & ~filters.UpdateType.EDITED
        application.add_handler(MessageHandler(private, self.on_update))
        application.add_handler(CallbackQueryHandler(self.on_update))

    async def deliver(self, chat_id: int, outcome: Outcome) -> None:
        """Send an outcome's replies; what its step owed is then paid (intake/owed.py)."""
        await self._sender.send(chat_id, outcome.language, outcome.replies)
        if outcome.owed is not None and self._owed is not None:
            self._owed.paid(chat_id, outcome.owed)

    async def on_update(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        event = event_from_update(update)
        if event is None or not event.actor.private:
            return
        started = time.perf_counter()
        try:
            await self._handle(event, update)
        finally:  # what happened, never what was said (bot/logs.py)
            log.debug(
                "update handled",
                extra={
                    "update_id": event.update_id,
                    "event": type(event).__name__,
                    "chat_id": event.actor.chat_id,
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )

    async def _handle(self, event: Event, update: Update) -> None:
        if isinstance(event, Pressed) and update.callback_query is not None:
            # answered first, so the button stops spinning at once; a stale query is no matter
            with contextlib.suppress(BadRequest):
                await update.callback_query.answer()
        outcome = None
        if self._staff is not None and await self._staff.wants(event):
            outcome = await self._staff.handle(event)
            if outcome is not None and self._on_staff_outcome is not None:
                self._on_staff_outcome(outcome)
        if outcome is None:
            outcome = await self._desk.handle(event)
        if outcome.duplicate:
            return
        await self.deliver(event.actor.chat_id, outcome)
