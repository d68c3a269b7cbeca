"""What a person can do in a chat; each action becomes a message and an update for the bot."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING

from simulator._errors import UserActionError
from simulator._files import ImageError
from simulator._formatting import command_entities, utf16_len
from simulator._media import (
    document_content,
    photo_content,
    sticker_content,
    store_document,
    store_photo,
    voice_content,
)
from simulator._state import BotState, CallbackQuery, Chat, Message, User
from simulator._validation import JsonObject

if TYPE_CHECKING:
    from simulator._simulator import Simulator

MAX_TEXT = 4096
MAX_CAPTION = 1024
ALBUM_SIZES = range(2, 11)
FAKE_VOICE = b"OggS\x00\x02" + bytes(250)  # a voice note's bytes only need to exist


class UserActions:
    """The user side of the simulator, used by the control API and the driver alike."""

    def __init__(self, sim: Simulator) -> None:
        self._sim = sim

    def _enter(self, bot: BotState, chat_id: int, user_id: int) -> tuple[Chat, User]:
        user = self._sim.users.get(user_id)
        if user is None:
            raise UserActionError(f"unknown user {user_id}")
        chat = self._sim.chat(bot, chat_id)
        if chat is None:
            raise UserActionError(f"unknown chat {chat_id}")
        if not chat.is_member(user_id):
            raise UserActionError(f"user {user_id} is not in chat {chat_id}")
        return chat, user

    def _post(
        self,
        bot: BotState,
        chat: Chat,
        user: User,
        content: JsonObject,
        *,
        reply_to_message_id: int | None = None,
        media_group_id: str | None = None,
    ) -> Message:
        reply_to = None
        if reply_to_message_id is not None:
            reply_to = chat.messages.get(reply_to_message_id)
            if reply_to is None:
                raise UserActionError("message to reply to not found")
        chat.started = True
        chat.blocked = False  # writing to a blocked bot unblocks it, as in the apps
        message = chat.add_message(
            sender=user.to_api(),
            from_bot=False,
            date=self._sim.date(),
            content=content,
            reply_to=reply_to,
            media_group_id=media_group_id,
        )
        self._sim.enqueue(bot, "message", message.to_api())
        return message

    def send_text(
        self,
        bot: BotState,
        chat_id: int,
        user_id: int,
        text: str,
        *,
        reply_to_message_id: int | None = None,
    ) -> Message:
        chat, user = self._enter(bot, chat_id, user_id)
        if not text.strip():
            raise UserActionError("message text is empty")
        if utf16_len(text) > MAX_TEXT:
            raise UserActionError("message is too long")
        entities = command_entities(text)
        self._hide_one_time_keyboard(chat, text)
        content: JsonObject = {"text": text, **({"entities": entities} if entities else {})}
        return self._post(bot, chat, user, content, reply_to_message_id=reply_to_message_id)

    def _hide_one_time_keyboard(self, chat: Chat, pressed: str | None) -> None:
        keyboard = chat.reply_keyboard
        if not keyboard or not keyboard.get("one_time_keyboard"):
            return
        texts = {button["text"] for row in keyboard["keyboard"] for button in row}
        if pressed is None or pressed in texts:
            chat.reply_keyboard = None
            chat.log.add("keyboard", reply_keyboard=None)

    def press(
        self,
        bot: BotState,
        chat_id: int,
        user_id: int,
        message_id: int,
        *,
        callback_data: str | None = None,
        text: str | None = None,
    ) -> str:
        """Press an inline button by its data or its text; returns the callback query id."""
        chat, user = self._enter(bot, chat_id, user_id)
        message = chat.messages.get(message_id)
        if message is None or not message.from_bot or not message.inline_markup:
            raise UserActionError(f"message {message_id} has no inline keyboard")
        buttons = [b for row in message.inline_markup["inline_keyboard"] for b in row]
        found = [
            b
            for b in buttons
            if (callback_data is not None and b.get("callback_data") == callback_data)
            or (text is not None and b["text"] == text)
        ]
        if not found:
            raise UserActionError(f"message {message_id} has no such button")
        data = found[0].get("callback_data")
        if data is None:
            raise UserActionError(f"button {found[0]['text']!r} is not a callback button")
        query_id = str(secrets.randbits(63))
        bot.callback_queries[query_id] = CallbackQuery(
            query_id, chat.id, message_id, self._sim.clock.now()
        )
        payload = {
            "id": query_id,
            "from": user.to_api(),
            "message": message.to_api(),
            "chat_instance": chat.chat_instance,
            "data": data,
        }
        chat.started = True
        self._sim.enqueue(bot, "callback_query", payload)
        return query_id

    async def send_photos(
        self,
        bot: BotState,
        chat_id: int,
        user_id: int,
        images: Sequence[bytes],
        *,
        caption: str | None = None,
    ) -> list[Message]:
        """One image is a photo; 2-10 are an album of photos sharing a media_group_id."""
        chat, user = self._enter(bot, chat_id, user_id)
        self._check_count(len(images), caption)
        contents = []
        for data in images:
            try:
                sizes = await store_photo(self._sim.files, data)
            except ImageError as error:
                raise UserActionError(f"not a photo: {error}") from None
            contents.append(photo_content(self._sim.files, bot.id, sizes))
        return self._post_all(bot, chat, user, contents, caption)

    async def send_documents(
        self,
        bot: BotState,
        chat_id: int,
        user_id: int,
        files: Sequence[tuple[bytes, str, str | None]],
        *,
        caption: str | None = None,
    ) -> list[Message]:
        """Files sent "as file": (bytes, file name, MIME type or None), kept byte for byte."""
        chat, user = self._enter(bot, chat_id, user_id)
        self._check_count(len(files), caption)
        contents = []
        for data, file_name, mime_type in files:
            stored = await store_document(self._sim.files, data, file_name, mime_type)
            contents.append(document_content(self._sim.files, bot.id, stored, file_name))
        return self._post_all(bot, chat, user, contents, caption)

    @staticmethod
    def _check_count(count: int, caption: str | None) -> None:
        if count != 1 and count not in ALBUM_SIZES:
            raise UserActionError("send 1 file, or 2-10 as an album")
        if caption is not None and utf16_len(caption) > MAX_CAPTION:
            raise UserActionError("message caption is too long")

    def _post_all(
        self,
        bot: BotState,
        chat: Chat,
        user: User,
        contents: list[JsonObject],
        caption: str | None,
    ) -> list[Message]:
        if caption and caption.strip():
            contents[0]["caption"] = caption
        group_id = str(secrets.randbelow(9 * 10**16) + 10**16) if len(contents) > 1 else None
        return [
            self._post(bot, chat, user, content, media_group_id=group_id) for content in contents
        ]

    def share_contact(
        self, bot: BotState, chat_id: int, user_id: int, phone_number: str | None = None
    ) -> Message:
        """The request_contact button: the user's own contact, with user_id set."""
        chat, user = self._enter(bot, chat_id, user_id)
        phone = phone_number or user.phone_number
        if not phone:
            raise UserActionError("this user has no phone number; give one")
        user.phone_number = phone
        contact: JsonObject = {"phone_number": phone, "first_name": user.first_name}
        if user.last_name:
            contact["last_name"] = user.last_name
        contact["user_id"] = user.id
        self._hide_one_time_keyboard(chat, None)
        return self._post(bot, chat, user, {"contact": contact})

    def share_location(
        self, bot: BotState, chat_id: int, user_id: int, latitude: float, longitude: float
    ) -> Message:
        chat, user = self._enter(bot, chat_id, user_id)
        if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
            raise UserActionError("latitude must be in [-90, 90] and longitude in [-180, 180]")
        return self._post(
            bot, chat, user, {"location": {"latitude": latitude, "longitude": longitude}}
        )

    def send_sticker(
        self, bot: BotState, chat_id: int, user_id: int, emoji: str = "👍"
    ) -> Message:
        chat, user = self._enter(bot, chat_id, user_id)
        content = sticker_content(self._sim.files, bot.id, self._sim.sticker_bytes(), emoji)
        return self._post(bot, chat, user, content)

    def send_voice(self, bot: BotState, chat_id: int, user_id: int, duration: int = 2) -> Message:
        chat, user = self._enter(bot, chat_id, user_id)
        content = voice_content(self._sim.files, bot.id, FAKE_VOICE, max(1, duration))
        return self._post(bot, chat, user, content)

    def set_blocked(self, bot: BotState, chat_id: int, user_id: int, blocked: bool) -> None:
        """Block the bot (its sends then get 403) or unblock it."""
        chat, _ = self._enter(bot, chat_id, user_id)
        if chat.is_group:
            raise UserActionError("only a private chat can block a bot")
        chat.blocked = blocked
