"""The user side's view of chats: messages with download URLs, events, the command menu."""

from __future__ import annotations

import json
from urllib.parse import quote

from simulator._state import BotState, Chat, ChatEvent, Message
from simulator._validation import JsonObject


def file_url(unique_id: str, file_name: str | None = None) -> str:
    """Where the user side downloads a file (no bot token involved)."""
    url = f"/sim/files/{unique_id}"
    return f"{url}?name={quote(file_name)}" if file_name else url


def message_view(message: Message) -> JsonObject:
    """The Telegram Message JSON plus `from_bot` and, for media, a `file_url`."""
    view = message.to_api()
    view["from_bot"] = message.from_bot
    if message.force_reply:
        view["force_reply"] = True
    content = message.content
    if "photo" in content:
        view["file_url"] = file_url(content["photo"][-1]["file_unique_id"])
    elif "document" in content:
        document = content["document"]
        view["file_url"] = file_url(document["file_unique_id"], document.get("file_name"))
    else:
        for key in ("sticker", "voice"):
            if key in content:
                view["file_url"] = file_url(content[key]["file_unique_id"])
    return view


def event_view(chat: Chat, event: ChatEvent) -> JsonObject:
    view: JsonObject = {"seq": event.seq, "type": event.type, "message_id": event.message_id}
    if event.type in {"message", "edit"}:
        message = chat.messages.get(event.message_id or 0)
        view["message"] = None if message is None else message_view(message)
    view.update(event.data)
    return view


def command_menu(bot: BotState, chat: Chat, language: str | None) -> list[JsonObject]:
    """The commands a client would show in this chat, most specific scope first."""
    scopes: list[JsonObject] = [
        {"chat_id": chat.id, "type": "chat"},
        {"type": "all_group_chats" if chat.is_group else "all_private_chats"},
        {"type": "default"},
    ]
    for scope in scopes:
        for lang in (language or "", ""):
            commands = bot.commands.get((json.dumps(scope, sort_keys=True), lang))
            if commands:
                return commands
    return []


def history_view(bot: BotState, chat: Chat) -> JsonObject:
    language = chat.user.language_code if chat.user else None
    return {
        "chat": chat.to_api(),
        "messages": [message_view(message) for message in chat.messages.values()],
        "reply_keyboard": chat.reply_keyboard,
        "commands": command_menu(bot, chat, language),
        "blocked": chat.blocked,
        "last_seq": chat.log.last_seq,
    }
