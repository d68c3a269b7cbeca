"""Parameter types of the implemented Bot API methods (from Bot API 10.0), checked up front."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from simulator._errors import bad_request
from simulator._validation import Params

INT, STR, BOOL, FLOAT, CHAT, FILE, JSON = "int", "str", "bool", "float", "chat", "file", "json"

_SIGNATURES: dict[str, dict[str, str]] = {
    "getMe": {},
    "logOut": {},
    "close": {},
    "getUpdates": {
        "offset": INT,
        "limit": INT,
        "timeout": INT,
        "allowed_updates": JSON,
    },
    "setWebhook": {
        "url": STR,
        "certificate": FILE,
        "ip_address": STR,
        "max_connections": INT,
        "allowed_updates": JSON,
        "drop_pending_updates": BOOL,
        "secret_token": STR,
    },
    "deleteWebhook": {
        "drop_pending_updates": BOOL,
    },
    "getWebhookInfo": {},
    "setMyCommands": {
        "commands": JSON,
        "scope": JSON,
        "language_code": STR,
    },
    "getMyCommands": {
        "scope": JSON,
        "language_code": STR,
    },
    "deleteMyCommands": {
        "scope": JSON,
        "language_code": STR,
    },
    "answerCallbackQuery": {
        "callback_query_id": STR,
        "text": STR,
        "show_alert": BOOL,
        "url": STR,
        "cache_time": INT,
    },
    "sendChatAction": {
        "business_connection_id": STR,
        "chat_id": CHAT,
        "message_thread_id": INT,
        "action": STR,
    },
    "sendMessage": {
        "business_connection_id": STR,
        "chat_id": CHAT,
        "message_thread_id": INT,
        "direct_messages_topic_id": INT,
        "text": STR,
        "parse_mode": STR,
        "entities": JSON,
        "link_preview_options": JSON,
        "disable_notification": BOOL,
        "protect_content": BOOL,
        "allow_paid_broadcast": BOOL,
        "message_effect_id": STR,
        "suggested_post_parameters": JSON,
        "reply_parameters": JSON,
        "reply_markup": JSON,
    },
    "editMessageText": {
        "business_connection_id": STR,
        "chat_id": CHAT,
        "message_id": INT,
        "inline_message_id": STR,
        "text": STR,
        "parse_mode": STR,
        "entities": JSON,
        "link_preview_options": JSON,
        "reply_markup": JSON,
    },
    "editMessageCaption": {
        "business_connection_id": STR,
        "chat_id": CHAT,
        "message_id": INT,
        "inline_message_id": STR,
        "caption": STR,
        "parse_mode": STR,
        "caption_entities": JSON,
        "show_caption_above_media": BOOL,
        "reply_markup": JSON,
    },
    "editMessageReplyMarkup": {
        "business_connection_id": STR,
        "chat_id": CHAT,
        "message_id": INT,
        "inline_message_id": STR,
        "reply_markup": JSON,
    },
    "deleteMessage": {
        "chat_id": CHAT,
        "message_id": INT,
    },
    "deleteMessages": {
        "chat_id": CHAT,
        "message_ids": JSON,
    },
    "sendPhoto": {
        "business_connection_id": STR,
        "chat_id": CHAT,
        "message_thread_id": INT,
        "direct_messages_topic_id": INT,
        "photo": FILE,
        "caption": STR,
        "parse_mode": STR,
        "caption_entities": JSON,
        "show_caption_above_media": BOOL,
        "has_spoiler": BOOL,
        "disable_notification": BOOL,
        "protect_content": BOOL,
        "allow_paid_broadcast": BOOL,
        "message_effect_id": STR,
        "suggested_post_parameters": JSON,
        "reply_parameters": JSON,
        "reply_markup": JSON,
    },
    "sendDocument": {
        "business_connection_id": STR,
        "chat_id": CHAT,
        "message_thread_id": INT,
        "direct_messages_topic_id": INT,
        "document": FILE,
        "thumbnail": FILE,
        "caption": STR,
        "parse_mode": STR,
        "caption_entities": JSON,
        "disable_content_type_detection": BOOL,
        "disable_notification": BOOL,
        "protect_content": BOOL,
        "allow_paid_broadcast": BOOL,
        "message_effect_id": STR,
        "suggested_post_parameters": JSON,
        "reply_parameters": JSON,
        "reply_markup": JSON,
    },
    "sendMediaGroup": {
        "business_connection_id": STR,
        "chat_id": CHAT,
        "message_thread_id": INT,
        "direct_messages_topic_id": INT,
        "media": JSON,
        "disable_notification": BOOL,
        "protect_content": BOOL,
        "allow_paid_broadcast": BOOL,
        "message_effect_id": STR,
        "reply_parameters": JSON,
    },
    "getFile": {
        "file_id": STR,
    },
}
_JSON_ERRORS = {
    "reply_markup": "can't parse reply keyboard markup JSON object",
    "reply_parameters": "can't parse reply parameters JSON object",
}
SIGNATURES: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {name.lower(): MappingProxyType(fields) for name, fields in _SIGNATURES.items()}
)


def check_types(method: str, params: Params) -> None:
    """400 for a known parameter of the wrong type, before the method looks at any of them."""
    for name, kind in SIGNATURES.get(method.lower(), {}).items():
        if not params.has(name):
            continue
        if kind == INT:
            params.get_int(name)
        elif kind == STR:
            params.get_str(name)
        elif kind == BOOL:
            params.get_bool(name)
        elif kind == FLOAT:
            params.get_float(name)
        elif kind == CHAT:
            value = params.values[name]
            if isinstance(value, bool) or not isinstance(value, (int, str)):
                raise bad_request(f'field "{name}" must be of type Integer')
        elif kind == JSON:
            error = _JSON_ERRORS.get(name, f"can't parse {name} JSON object")
            if not isinstance(params.get_json(name, error=error), (dict, list)):
                raise bad_request(error)
