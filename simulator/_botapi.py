"""The Bot API method table, and the methods about the bot itself, updates and callbacks."""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, Mapping
from types import MappingProxyType
from typing import Any

from simulator import _botapi_files as files
from simulator import _botapi_messages as messages
from simulator._call import Call
from simulator._delivery import poll_updates
from simulator._errors import QUERY_TOO_OLD, bad_request
from simulator._state import Webhook

Method = Callable[[Call], Awaitable[Any]]

CHAT_ACTIONS = frozenset(
    {
        "typing",
        "upload_photo",
        "record_video",
        "upload_video",
        "record_voice",
        "upload_voice",
        "upload_document",
        "choose_sticker",
        "find_location",
        "record_video_note",
        "upload_video_note",
    }
)
_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_SECRET = re.compile(r"[A-Za-z0-9_-]{1,256}")
_SCOPES = frozenset(
    {
        "default",
        "all_private_chats",
        "all_group_chats",
        "all_chat_administrators",
        "chat",
        "chat_administrators",
        "chat_member",
    }
)


async def get_me(call: Call) -> Any:
    return {
        **call.bot.user_json(),
        "can_join_groups": True,
        "can_read_all_group_messages": True,
        "supports_inline_queries": False,
        "can_connect_to_business": False,
        "has_main_web_app": False,
    }


async def harmless(call: Call) -> bool:
    """close and logOut: nothing to close in a simulator."""
    return True


async def get_updates(call: Call) -> Any:
    params = call.params
    limit = params.get_int("limit")
    limit = 100 if limit is None else min(max(limit, 1), 100)
    allowed = params.get_array("allowed_updates")
    if allowed is not None and not all(isinstance(kind, str) for kind in allowed):
        raise bad_request('field "allowed_updates" must be an Array of String')
    return await poll_updates(
        call.sim,
        call.bot,
        offset=params.get_int("offset"),
        limit=limit,
        wait_seconds=max(params.get_int("timeout") or 0, 0),
        allowed_updates=allowed,
    )


async def set_webhook(call: Call) -> bool:
    params, bot = call.params, call.bot
    url = params.get_str("url") or ""
    secret = params.get_str("secret_token")
    if secret is not None and not _SECRET.fullmatch(secret):
        raise bad_request("secret token contains unallowed characters")
    allowed = params.get_array("allowed_updates")
    if params.get_bool("drop_pending_updates"):
        bot.updates.clear()
    if not url:
        bot.webhook = None
        return True
    # Telegram demands https; the simulator takes http too, for webhooks on localhost.
    if not url.startswith(("http://", "https://")):
        raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
    if allowed is not None:
        bot.updates.set_allowed(allowed)
    bot.webhook = Webhook(
        url,
        secret,
        params.get_int("max_connections") or 40,
        params.get_str("ip_address"),
        allowed,
    )
    bot.last_error_date = bot.last_error_message = None
    bot.poll_signal.fire()  # a waiting getUpdates ends with 409
    call.sim.delivery.kick(bot)
    return True


async def delete_webhook(call: Call) -> bool:
    if call.params.get_bool("drop_pending_updates"):
        call.bot.updates.clear()
    call.bot.webhook = None
    return True


async def get_webhook_info(call: Call) -> Any:
    bot = call.bot
    info: dict[str, Any] = {
        "url": bot.webhook.url if bot.webhook else "",
        "has_custom_certificate": False,
        "pending_update_count": len(bot.updates),
    }
    if bot.webhook is not None:
        info["max_connections"] = bot.webhook.max_connections
        if bot.webhook.ip_address:
            info["ip_address"] = bot.webhook.ip_address
        if bot.webhook.allowed_updates is not None:
            info["allowed_updates"] = bot.webhook.allowed_updates
    if bot.last_error_date is not None:
        info["last_error_date"] = bot.last_error_date
        info["last_error_message"] = bot.last_error_message
    return info


def _commands_key(call: Call) -> tuple[str, str]:
    scope = call.params.get_object("scope", error="can't parse BotCommandScope JSON object")
    scope = scope or {"type": "default"}
    if scope.get("type") not in _SCOPES:
        raise bad_request("wrong scope type specified")
    language = call.params.get_str("language_code") or ""
    if language and not re.fullmatch(r"[a-z]{2}", language):
        raise bad_request("invalid language code specified")
    return json.dumps(scope, sort_keys=True), language


async def set_my_commands(call: Call) -> bool:
    commands = call.params.get_array("commands", required="commands must be non-empty") or []
    if len(commands) > 100:
        raise bad_request("too many commands specified")
    stored = []
    for command in commands:
        if not isinstance(command, dict):
            raise bad_request("can't parse BotCommand JSON object")
        name, description = command.get("command"), command.get("description")
        if not isinstance(name, str) or not _COMMAND.fullmatch(name.removeprefix("/")):
            raise bad_request("BOT_COMMAND_INVALID")
        if not isinstance(description, str) or not 1 <= len(description) <= 256:
            raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        stored.append({"command": name.removeprefix("/"), "description": description})
    call.bot.commands[_commands_key(call)] = stored
    return True


async def get_my_commands(call: Call) -> Any:
    return call.bot.commands.get(_commands_key(call), [])


async def delete_my_commands(call: Call) -> bool:
    call.bot.commands.pop(_commands_key(call), None)
    return True


async def answer_callback_query(call: Call) -> bool:
    query_id = call.params.get_str("callback_query_id", required=QUERY_TOO_OLD) or ""
    text = call.params.get_str("text") or ""
    if len(text) > 200:
        raise bad_request("MESSAGE_TOO_LONG")
    query = call.bot.callback_queries.get(query_id)
    age = call.sim.clock.now() - query.created if query else 0.0
    if query is None or query.answered or age > call.sim.config.callback_answer_window:
        raise bad_request(QUERY_TOO_OLD)
    query.answered = True
    chat = call.bot.chats[query.chat_id]
    show_alert = call.params.get_bool("show_alert")
    chat.log.add("callback_answer", query.message_id, text=text, show_alert=show_alert)
    return True


async def send_chat_action(call: Call) -> bool:
    chat = call.chat()
    action = call.params.get_str("action", required="wrong parameter action in request")
    if action not in CHAT_ACTIONS:
        raise bad_request("wrong parameter action in request")
    chat.log.add("chat_action", action=action)
    return True


METHODS: Mapping[str, Method] = MappingProxyType(
    {
        name.lower(): method
        for name, method in {
            "getMe": get_me,
            "logOut": harmless,
            "close": harmless,
            "getUpdates": get_updates,
            "setWebhook": set_webhook,
            "deleteWebhook": delete_webhook,
            "getWebhookInfo": get_webhook_info,
            "setMyCommands": set_my_commands,
            "getMyCommands": get_my_commands,
            "deleteMyCommands": delete_my_commands,
            "answerCallbackQuery": answer_callback_query,
            "sendChatAction": send_chat_action,
            "sendMessage": messages.send_message,
            "editMessageText": messages.edit_message_text,
            "editMessageCaption": messages.edit_message_caption,
            "editMessageReplyMarkup": messages.edit_message_reply_markup,
            "deleteMessage": messages.delete_message,
            "deleteMessages": messages.delete_messages,
            "sendPhoto": files.send_photo,
            "sendDocument": files.send_document,
            "sendMediaGroup": files.send_media_group,
            "getFile": files.get_file,
        }.items()
    }
)
