"""Turns PTB `Update`s into the domain's plain events (guarding every Optional PTB field).

Every string an event carries is made valid Unicode here: JSON may carry a lone UTF-16
surrogate (`"\\udcff"`), which Python decodes into a string that cannot be encoded, and the
first encoding (the audit chain's hash, the draft's encryption, the database) would fail the
whole step. Such a character becomes U+FFFD, as an invalid character does everywhere else.
"""

from __future__ import annotations

from telegram import Document, Message, PhotoSize, Update

from intake.chat import (
    Actor,
    Command,
    ContactShared,
    Event,
    LocationShared,
    Pressed,
    Text,
    Unsupported,
    Upload,
    UploadKind,
)
from intake.language import valid_text

__all__ = ["event_from_update"]

_UNSUPPORTED = (
    "sticker",
    "voice",
    "video",
    "video_note",
    "audio",
    "animation",
    "poll",
    "dice",
    "game",
    "venue",
    "story",
)


def _optional(text: str | None) -> str | None:
    return None if text is None else valid_text(text)


def _actor(update: Update) -> Actor | None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    return Actor(
        user_id=user.id,
        chat_id=chat.id,
        language_code=_optional(user.language_code),
        private=chat.type == "private",
    )


def _upload(
    actor: Actor,
    update_id: int,
    message: Message,
    kind: UploadKind,
    medium: PhotoSize | Document,
    *,
    mime_type: str | None,
) -> Upload:
    """A photo (its largest size) or a file sent "as file", as the domain sees it."""
    return Upload(
        actor,
        update_id,
        kind=kind,
        file_id=valid_text(medium.file_id),
        file_unique_id=valid_text(medium.file_unique_id),
        file_size=medium.file_size,
        message_id=message.message_id,
        media_group_id=_optional(message.media_group_id),
        mime_type=_optional(mime_type),
        width=medium.width if isinstance(medium, PhotoSize) else None,
        height=medium.height if isinstance(medium, PhotoSize) else None,
    )


def _from_message(actor: Actor, update_id: int, message: Message) -> Event:
    if message.text is not None:
        text = valid_text(message.text)
        if text.strip().startswith("/"):
            head, _, payload = text.strip()[1:].partition(" ")
            name = head.split("@", 1)[0].lower()
            return Command(actor, update_id, name=name, payload=payload.strip())
        return Text(actor, update_id, text=text)
    if message.photo:
        largest = message.photo[-1]
        return _upload(
            actor, update_id, message, UploadKind.PHOTO, largest, mime_type="image/jpeg"
        )
    if message.document is not None:
        document = message.document
        return _upload(
            actor, update_id, message, UploadKind.FILE, document, mime_type=document.mime_type
        )
    if message.contact is not None:
        return ContactShared(
            actor,
            update_id,
            phone=valid_text(message.contact.phone_number),
            contact_user_id=message.contact.user_id,
        )
    if message.location is not None:
        return LocationShared(
            actor,
            update_id,
            latitude=message.location.latitude,
            longitude=message.location.longitude,
        )
    kind = next((name for name in _UNSUPPORTED if getattr(message, name, None)), "other")
    return Unsupported(actor, update_id, what=kind)


def event_from_update(update: Update) -> Event | None:
    """The event for an update, or None for kinds the bot does not handle."""
    actor = _actor(update)
    if actor is None:
        return None
    if update.callback_query is not None:
        query = update.callback_query
        message = query.message
        return Pressed(
            actor,
            update.update_id,
            data=valid_text(query.data or ""),
            message_id=message.message_id if message is not None else None,
            callback_id=valid_text(query.id),
        )
    if update.message is not None:
        return _from_message(actor, update.update_id, update.message)
    return None
