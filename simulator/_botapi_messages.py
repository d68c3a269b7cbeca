"""Bot API methods that send, edit and delete text messages."""

from __future__ import annotations

from typing import Any

from simulator._call import Call
from simulator._errors import NOT_MODIFIED, bad_request
from simulator._state import Message
from simulator._validation import JsonObject

_MEDIA_KEYS = ("photo", "document", "sticker", "voice")


async def send_message(call: Call) -> JsonObject:
    chat = call.chat()
    content = call.text()
    markup = call.markup()
    reply_to = call.reply_to(chat)
    call.sim.charge_flood(call.bot, chat)
    return call.post(chat, content, markup, reply_to).to_api()


def _edited(call: Call, message: Message, content: JsonObject, inline: JsonObject | None) -> Any:
    current = {key: message.content.get(key) for key in content}
    if current == content and message.inline_markup == inline:
        raise bad_request(NOT_MODIFIED)
    call.sim.charge_flood(call.bot, message.chat)
    for key, value in content.items():
        if value is None:
            message.content.pop(key, None)  # e.g. the old entities of a replaced text
        else:
            message.content[key] = value
    message.inline_markup = inline
    message.edit_date = call.sim.date()
    message.chat.log.add("edit", message.message_id)
    return message.to_api()


async def edit_message_text(call: Call) -> Any:
    chat = call.chat()
    message = call.own_message(chat, "message to edit not found")
    if "text" not in message.content:
        raise bad_request("there is no text in the message to edit")
    content = call.text()
    content.setdefault("entities", None)
    # Without reply_markup an edit removes the inline keyboard, as on Telegram.
    return _edited(call, message, content, call.markup(inline_only=True).inline)


async def edit_message_caption(call: Call) -> Any:
    chat = call.chat()
    message = call.own_message(chat, "message to edit not found")
    if not any(key in message.content for key in _MEDIA_KEYS):
        raise bad_request("there is no caption in the message to edit")
    content: JsonObject = {"caption": None, "caption_entities": None, **call.caption()}
    return _edited(call, message, content, call.markup(inline_only=True).inline)


async def edit_message_reply_markup(call: Call) -> Any:
    chat = call.chat()
    message = call.own_message(chat, "message to edit not found")
    return _edited(call, message, {}, call.markup(inline_only=True).inline)


async def delete_message(call: Call) -> bool:
    chat = call.chat()
    message_id = call.params.get_int("message_id", required="message identifier is not specified")
    if chat.messages.pop(message_id or 0, None) is None:
        raise bad_request("message to delete not found")
    chat.log.add("delete", message_id)
    return True


async def delete_messages(call: Call) -> bool:
    """1-100 messages at once; those that cannot be found are skipped, as Telegram does. The
    words of the errors for a malformed list are ours: the API's description gives none."""
    chat = call.chat()
    message_ids = call.params.get_array(
        "message_ids", required="message identifiers are not specified"
    )
    if not message_ids:
        raise bad_request("message identifiers are not specified")
    if len(message_ids) > 100:
        raise bad_request("too many message identifiers specified")
    if not all(isinstance(m, int) and not isinstance(m, bool) for m in message_ids):
        raise bad_request('field "message_ids" must be an Array of Integer')
    for message_id in message_ids:
        if chat.messages.pop(message_id, None) is not None:
            chat.log.add("delete", message_id)
    return True
