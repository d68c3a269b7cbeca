"""The error handler: a failed update is logged with its kind and ids (never its content) and the
user gets an apology in their language; what they sent before is safe (committed)."""

from __future__ import annotations

import contextlib
import logging

from telegram import Update
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from intake.language import language_of, render

__all__ = ["on_error"]

log = logging.getLogger("hoso.bot")


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
