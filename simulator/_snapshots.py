"""Snapshots of messages and buttons that the driver hands to tests."""

from __future__ import annotations

from dataclasses import dataclass

from simulator._state import Message
from simulator._validation import JsonObject
from simulator._views import message_view


@dataclass(frozen=True)
class Button:
    """An inline or reply keyboard button."""

    text: str
    callback_data: str | None = None
    url: str | None = None
    request_contact: bool = False
    request_location: bool = False

    @classmethod
    def from_json(cls, button: JsonObject) -> Button:
        return cls(
            button["text"],
            button.get("callback_data"),
            button.get("url"),
            bool(button.get("request_contact")),
            bool(button.get("request_location")),
        )


def keyboard_buttons(rows: list[list[JsonObject]] | None) -> tuple[tuple[Button, ...], ...]:
    return tuple(tuple(Button.from_json(b) for b in row) for row in rows or [])


@dataclass(frozen=True)
class ChatMessage:
    """A snapshot of one message in a chat, from either side."""

    message_id: int
    chat_id: int
    from_bot: bool
    text: str  # the text, or the caption of a media message, or ""
    inline_keyboard: tuple[tuple[Button, ...], ...]
    raw: JsonObject  # the Telegram Message JSON, plus from_bot and file_url

    @classmethod
    def of(cls, message: Message) -> ChatMessage:
        view = message_view(message)
        markup = view.get("reply_markup") or {}
        return cls(
            message.message_id,
            message.chat.id,
            message.from_bot,
            view.get("text") or view.get("caption") or "",
            keyboard_buttons(markup.get("inline_keyboard")),
            view,
        )

    @property
    def buttons(self) -> list[Button]:
        return [button for row in self.inline_keyboard for button in row]

    @property
    def photo(self) -> list[JsonObject]:
        """PhotoSize objects, smallest first; empty when this is no photo."""
        return list(self.raw.get("photo", []))

    @property
    def document(self) -> JsonObject | None:
        return self.raw.get("document")

    @property
    def media_group_id(self) -> str | None:
        return self.raw.get("media_group_id")

    @property
    def edited(self) -> bool:
        return "edit_date" in self.raw


@dataclass(frozen=True)
class CallbackAnswer:
    message_id: int | None
    text: str
    show_alert: bool
