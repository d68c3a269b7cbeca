"""reply_markup as Telegram validates it: inline and reply keyboards, removal, force reply."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from simulator._errors import bad_request
from simulator._validation import JsonObject

MAX_CALLBACK_DATA_BYTES = 64
MAX_BUTTONS = 100
_INLINE_ACTIONS = (
    "callback_data",
    "url",
    "web_app",
    "login_url",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
)
_KEYBOARD_FLAGS = ("is_persistent", "resize_keyboard", "one_time_keyboard", "selective")
_MARKUP_ERROR = "can't parse reply keyboard markup JSON object"


@dataclass(frozen=True)
class Markup:
    """What one reply_markup parameter asks for; at most one field is set."""

    inline: JsonObject | None = None
    keyboard: JsonObject | None = None
    remove_keyboard: bool = False
    force_reply: bool = False


def parse_reply_markup(value: Any, *, inline_only: bool = False) -> Markup:
    if value is None:
        return Markup()
    if not isinstance(value, dict):
        raise bad_request(_MARKUP_ERROR)
    if "inline_keyboard" in value:
        return Markup(inline=_inline_keyboard(value["inline_keyboard"]))
    if inline_only:
        raise bad_request("inline keyboard expected")
    if "keyboard" in value:
        return Markup(keyboard=_reply_keyboard(value))
    if value.get("remove_keyboard") is True:
        return Markup(remove_keyboard=True)
    if value.get("force_reply") is True:
        return Markup(force_reply=True)
    raise bad_request(_MARKUP_ERROR)


def _rows(rows: Any, field: str) -> list[list[Any]]:
    if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
        raise bad_request(f'field "{field}" must be an Array of Arrays')
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    return rows


def _inline_keyboard(rows: Any) -> JsonObject:
    return {
        "inline_keyboard": [
            [_inline_button(b) for b in row] for row in _rows(rows, "inline_keyboard")
        ]
    }


def _inline_button(button: Any) -> JsonObject:
    where = "can't parse inline keyboard button"
    if not isinstance(button, dict):
        raise bad_request(f"{where}: InlineKeyboardButton must be an Object")
    text = button.get("text")
    if not isinstance(text, str):
        raise bad_request(f'{where}: Field "text" must be of type String')
    actions = [name for name in _INLINE_ACTIONS if name in button]
    if not actions:
        raise bad_request(f"{where}: Text buttons are unallowed in the inline keyboard")
    data = button.get("callback_data")
    if "callback_data" in button:
        if not isinstance(data, str):
            raise bad_request(f'{where}: Field "callback_data" must be of type String')
        if not 1 <= len(data.encode("utf-8")) <= MAX_CALLBACK_DATA_BYTES:
            raise bad_request("BUTTON_DATA_INVALID")
    url = button.get("url")
    if "url" in button and (
        not isinstance(url, str) or not url.startswith(("http://", "https://", "tg://"))
    ):
        raise bad_request(f"inline keyboard button URL '{url}' is invalid: Wrong HTTP URL")
    if not text:
        raise bad_request("text buttons are unallowed in the inline keyboard")
    return {key: button[key] for key in ("text", *_INLINE_ACTIONS) if key in button}


def _reply_keyboard(markup: JsonObject) -> JsonObject:
    rows = _rows(markup["keyboard"], "keyboard")
    keyboard: JsonObject = {"keyboard": [[_keyboard_button(b) for b in row] for row in rows]}
    for flag in _KEYBOARD_FLAGS:
        if markup.get(flag) is True:
            keyboard[flag] = True
    placeholder = markup.get("input_field_placeholder")
    if isinstance(placeholder, str) and placeholder:
        keyboard["input_field_placeholder"] = placeholder
    return keyboard


def _keyboard_button(button: Any) -> JsonObject:
    if isinstance(button, str):
        button = {"text": button}
    if not isinstance(button, dict) or not isinstance(button.get("text"), str):
        raise bad_request('can\'t parse keyboard button: Field "text" must be of type String')
    if not button["text"]:
        raise bad_request("keyboard button text is empty")
    return {
        key: button[key]
        for key in ("text", "request_contact", "request_location")
        if key in button and button[key] is not False
    }


def callback_data_of(markup: JsonObject | None) -> list[tuple[str, str | None]]:
    """(text, callback_data) of every inline button, row by row."""
    if not markup:
        return []
    return [
        (button["text"], button.get("callback_data"))
        for row in markup.get("inline_keyboard", [])
        for button in row
    ]
