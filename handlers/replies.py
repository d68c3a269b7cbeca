"""Turns the domain's replies into Bot API calls, in the actor's language."""

from __future__ import annotations

from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from telegram.error import BadRequest

from intake.events import Button, Keyboard, KeyboardKind, Reply
from intake.messages import Language, render

__all__ = ["markup_for", "send_replies"]

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def _label(language: Language, button: Button) -> str:
    return (
        button.literal
        if button.literal is not None
        else render(language, button.text_key, button.params)
    )


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


async def send_replies(
    bot: Bot, chat_id: int, language: Language, replies: list[Reply]
) -> list[int]:
    """Send (or edit) each reply in order; returns the ids of the messages shown."""
    shown = []
    for reply in replies:
        text = render(language, reply.key, reply.params)
        markup = markup_for(language, reply.keyboard)
        if reply.edit_message_id is not None:
            inline = markup if isinstance(markup, InlineKeyboardMarkup) else None
            try:
                await bot.edit_message_text(
                    text, chat_id=chat_id, message_id=reply.edit_message_id, reply_markup=inline
                )
                shown.append(reply.edit_message_id)
                continue
            except BadRequest as exc:
                if "not modified" in str(exc).lower():
                    shown.append(reply.edit_message_id)
                    continue
                # the message is gone or too old to edit: send a fresh one instead
        message = await bot.send_message(chat_id, text, reply_markup=markup)
        shown.append(message.message_id)
    return shown
