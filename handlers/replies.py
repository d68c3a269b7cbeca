"""Turns the domain's replies into Bot API calls, in the recipient's language.

One checklist edit per album is made here, and only here: an edit of a message waits (0.8 s,
and while the chat's documents are still being checked, until their verdicts are in, at most
3 s), and meanwhile each newer text of that message replaces the one waiting. So an album's
"checking" state and its verdicts make one edit, not one per photo (Telegram allows about one
message per second in a chat; under load an album's verdicts come seconds after its photos).
Deletions (the resident's photos, once sealed) are gathered per chat the same way and go out
as one deleteMessages: an album of five is one call.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Coroutine
from datetime import timedelta
from typing import Any

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import BadRequest, RetryAfter, TelegramError

from intake.chat import Button, Keyboard, KeyboardKind, Reply
from intake.language import Language, render

__all__ = ["ReplySender", "markup_for", "retry_seconds"]

log = logging.getLogger("hoso.replies")
Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
Remember = Callable[[int, str, int], Awaitable[None]]
_DELETE_AT_ONCE = 100  # deleteMessages takes 1-100 identifiers
_EDIT_POLL = 0.1  # seconds between looks at whether a chat's documents are still being checked


def _label(language: Language, button: Button) -> str:
    if button.literal is not None:
        return button.literal
    return render(language, button.text_key, button.params)


def markup_for(language: Language, keyboard: Keyboard | None) -> Markup | None:
    if keyboard is None:
        return None
    if keyboard.kind is KeyboardKind.REMOVE:
        return ReplyKeyboardRemove()
    if keyboard.kind is KeyboardKind.INLINE:
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(_label(language, b), callback_data=b.data) for b in row]
                for row in keyboard.rows
            ]
        )
    return ReplyKeyboardMarkup(
        [
            [KeyboardButton(_label(language, b), request_contact=b.request_contact) for b in row]
            for row in keyboard.rows
        ],
        resize_keyboard=True,
        one_time_keyboard=True,
    )


def retry_seconds(error: RetryAfter) -> float:
    """How long Telegram asks to wait: seconds now, a timedelta from PTB 23."""
    wait = error.retry_after
    return wait.total_seconds() if isinstance(wait, timedelta) else float(wait)


def _joinable(reply: Reply) -> bool:
    return (
        reply.keyboard is None
        and reply.edit_message_id is None
        and reply.remember_as is None
        and reply.photo is None
    )


def _joinable_into(reply: Reply) -> bool:
    return reply.edit_message_id is None and reply.remember_as is None and reply.photo is None


class ReplySender:
    """Sends replies in order; edits are coalesced per message, deletions per chat."""

    def __init__(
        self,
        bot: Bot,
        remember: Remember,
        *,
        edit_delay: float = 0.8,
        delete_delay: float = 1.5,
        checking: Callable[[int], bool] | None = None,
        edit_wait: float = 3.0,
    ) -> None:
        self._bot = bot
        self._remember = remember
        self._edit_delay = edit_delay
        # whether a chat's documents are being checked: their verdicts will change the
        # checklist again, so its edit waits for them, up to `edit_wait` after the first change
        self._checking = checking
        self._edit_wait = edit_wait
        self._delete_delay = delete_delay
        self._pending_edits: dict[tuple[int, int], tuple[str, InlineKeyboardMarkup | None]] = {}
        self._pending_deletes: dict[int, list[int]] = {}
        self._later: set[asyncio.Task[None]] = set()  # scheduled edits and deletions
        # set by `flush(hurry=True)` at a stop: what waits goes out at once, not after its delay
        self._hurry = asyncio.Event()

    async def send(self, chat_id: int, language: Language, replies: list[Reply]) -> None:
        carried = ""  # text-only replies travel with the next message: fewer bubbles, and
        # Telegram allows only about one message per second in a chat
        for index, reply in enumerate(replies):
            text = render(language, reply.key, reply.params)
            following = replies[index + 1] if index + 1 < len(replies) else None
            if _joinable(reply) and following is not None and _joinable_into(following):
                carried += text + "\n\n"
                continue
            if reply.edit_message_id is None:
                text, carried = carried + text, ""
            markup = markup_for(language, reply.keyboard)
            if reply.edit_message_id is not None:
                inline = markup if isinstance(markup, InlineKeyboardMarkup) else None
                self._schedule_edit(chat_id, reply.edit_message_id, text, inline)
                continue
            if reply.photo is not None:
                message = await self._bot.send_photo(
                    chat_id, reply.photo, caption=text[:1024], reply_markup=markup
                )
            else:
                message = await self._bot.send_message(chat_id, text, reply_markup=markup)
            if reply.remember_as is not None:
                await self._remember(chat_id, reply.remember_as, message.message_id)

    def editing(self, chat_id: int) -> bool:
        """Whether an edit of a message in this chat is still waiting to go out."""
        return any(chat == chat_id for chat, _ in self._pending_edits)

    def _schedule_edit(
        self, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None
    ) -> None:
        key = (chat_id, message_id)
        first = key not in self._pending_edits
        self._pending_edits[key] = (text, markup)
        if first:
            self._schedule(self._edit_later(key))

    def _schedule(self, coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        task = asyncio.create_task(coroutine)
        self._later.add(task)
        task.add_done_callback(self._later.discard)
        return task

    async def _edit_later(self, key: tuple[int, int]) -> None:
        try:
            await self._wait(self._edit_delay)
            waited = self._edit_delay
            while (
                not self._hurry.is_set()
                and self._still_checking(key[0])
                and waited < self._edit_wait
            ):
                await self._wait(_EDIT_POLL)
                waited += _EDIT_POLL
        finally:  # whatever happens, the message's next change schedules an edit again
            text, markup = self._pending_edits.pop(key)
        try:
            await self._bot.edit_message_text(
                text, chat_id=key[0], message_id=key[1], reply_markup=markup
            )
        except BadRequest as exc:
            if "not modified" not in str(exc).lower():
                log.info("edit failed, message gone", extra={"chat_id": key[0]})
        except TelegramError:
            log.warning("edit failed", exc_info=True, extra={"chat_id": key[0]})

    def _still_checking(self, chat_id: int) -> bool:
        try:
            return self._checking is not None and self._checking(chat_id)
        except Exception:  # the edit goes now rather than never
            log.exception("checking state unknown", extra={"chat_id": chat_id})
            return False

    async def _wait(self, seconds: float) -> None:
        """Sleep `seconds`, or less once a stop hurries what waits."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._hurry.wait(), timeout=seconds)

    async def flush(self, *, hurry: bool = False) -> None:
        """Wait until the scheduled edits and deletions went; `hurry` (at a stop, for good):
        send them now rather than after their delays."""
        if hurry:
            self._hurry.set()
        if self._later:
            await asyncio.gather(*list(self._later), return_exceptions=True)

    async def delete(self, chat_id: int, message_id: int) -> None:
        """Delete a message soon, together with the chat's others due at the same time."""
        batch = self._pending_deletes.get(chat_id)
        if batch is None:
            batch = self._pending_deletes[chat_id] = []
            task = self._schedule(self._delete_later(chat_id, batch))
            # also when cancelled, even before it ran: the chat's next deletion starts anew
            task.add_done_callback(lambda _: self._close_batch(chat_id, batch))
        batch.append(message_id)

    def _close_batch(self, chat_id: int, batch: list[int]) -> None:
        if self._pending_deletes.get(chat_id) is batch:
            del self._pending_deletes[chat_id]

    async def _delete_later(self, chat_id: int, message_ids: list[int]) -> None:
        await self._wait(self._delete_delay)
        self._close_batch(chat_id, message_ids)  # what comes now goes in the next batch
        for start in range(0, len(message_ids), _DELETE_AT_ONCE):
            batch = message_ids[start : start + _DELETE_AT_ONCE]
            try:
                await self._bot.delete_messages(chat_id, batch)
            except RetryAfter as exc:  # Telegram's flood limit: once more when it says
                await asyncio.sleep(retry_seconds(exc))
                with contextlib.suppress(TelegramError):
                    await self._bot.delete_messages(chat_id, batch)
            except BadRequest:  # one of them cannot be deleted (too old): the others still go
                for message_id in batch:
                    with contextlib.suppress(TelegramError):
                        await self._bot.delete_message(chat_id, message_id)
            except TelegramError:  # the network, Telegram: the photos stay, and that is logged
                log.info("photos not deleted", extra={"chat_id": chat_id})
