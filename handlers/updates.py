"""Reading an update from its JSON, refusing one that Telegram could not have sent.

PTB's `Update.de_json` trusts the types it is given: a chat id that is a list, a date that
overflows, a message that is a string reach its filters, our adapter or the database, and fail
there (a 500 from the webhook, a database error that quotes its parameters). So the parts of an
update that hoso reads are checked first: their types, integers that fit the database's BIGINT,
dates a calendar can hold, and a private chat that is its sender's own. Fields hoso does not
read are left to PTB (kept in `api_kwargs`).
"""

from __future__ import annotations

import math
from typing import Any

from telegram import Bot, Update

__all__ = ["read_update"]

_BIGINT = 2**63
_LATEST_DATE = 2**33  # seconds: the year 2242
Schema = dict[str, Any]

_USER: Schema = {
    "id": int,
    "is_bot": bool,
    "first_name": str,
    "last_name": (str, None),
    "username": (str, None),
    "language_code": (str, None),
}
_CHAT: Schema = {"id": int, "type": str, "title": (str, None), "first_name": (str, None)}
_FILE: Schema = {
    "file_id": str,
    "file_unique_id": str,
    "file_size": (int, None),
    "width": (int, None),
    "height": (int, None),
    "mime_type": (str, None),
    "file_name": (str, None),
}
_MESSAGE: Schema = {
    "message_id": int,
    "date": "date",
    "chat": _CHAT,
    "from": (_USER, None),
    "text": (str, None),
    "caption": (str, None),
    "media_group_id": (str, None),
    "photo": ([_FILE], None),
    "document": (_FILE, None),
    "contact": (
        {"phone_number": str, "first_name": (str, None), "user_id": (int, None)},
        None,
    ),
    "location": ({"latitude": (int, float), "longitude": (int, float)}, None),
    "entities": (list, None),
}
_CALLBACK: Schema = {
    "id": str,
    "from": _USER,
    "chat_instance": (str, None),
    "data": (str, None),
    "message": (_MESSAGE, None),
}
_UPDATE: Schema = {
    "update_id": "id",
    "message": (_MESSAGE, None),
    "edited_message": (_MESSAGE, None),
    "callback_query": (_CALLBACK, None),
}


def _fits(value: Any, expected: Any) -> bool:
    """Whether `value` has the shape `expected` describes (a type, a schema, a list of one
    schema, "date", "id", or a tuple of alternatives; None in a tuple: may be absent)."""
    if isinstance(expected, tuple):
        return any(_fits(value, option) for option in expected if option is not None)
    if expected == "id":
        return type(value) is int and 0 <= value < _BIGINT
    if expected == "date":
        return type(value) is int and 0 <= value < _LATEST_DATE
    if expected is int:
        return type(value) is int and -_BIGINT < value < _BIGINT
    if expected is float:
        return type(value) is float and math.isfinite(value)
    if isinstance(expected, dict):
        return isinstance(value, dict) and all(
            _present_fits(value, key, shape) for key, shape in expected.items()
        )
    if isinstance(expected, list):
        return isinstance(value, list) and all(_fits(item, expected[0]) for item in value)
    return isinstance(value, expected)


def _present_fits(data: dict[str, Any], key: str, shape: Any) -> bool:
    if key not in data:
        return isinstance(shape, tuple) and None in shape
    return _fits(data[key], shape)


def _own_private_chat(message: Any, sender: Any) -> bool:
    """A private chat's id is its user's: one that is not was not sent by Telegram."""
    if not isinstance(message, dict) or message["chat"]["type"] != "private":
        return True
    return isinstance(sender, dict) and sender["id"] == message["chat"]["id"]


def read_update(data: Any, bot: Bot) -> Update | None:
    """The update in `data` (parsed JSON), or None when it is not one Telegram could send."""
    if not _fits(data, _UPDATE):
        return None
    for kind in ("message", "edited_message"):
        if kind in data and not _own_private_chat(data[kind], data[kind].get("from")):
            return None
    query = data.get("callback_query")
    if query is not None and not _own_private_chat(query.get("message"), query["from"]):
        return None
    try:
        return Update.de_json(data, bot)
    except Exception:  # whatever else PTB cannot read
        return None
