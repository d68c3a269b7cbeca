"""One Bot API call in progress, with the checks that several methods share."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator._errors import bad_request
from simulator._formatting import EntityParseError, parse_html, utf16_len
from simulator._markup import Markup, parse_reply_markup
from simulator._state import BotState, Chat, Message
from simulator._validation import JsonObject, Params

if TYPE_CHECKING:
    from simulator._simulator import Simulator

MAX_TEXT = 4096
MAX_CAPTION = 1024
_ENTITY_FIELDS = {"type": str, "offset": int, "length": int}


@dataclass
class Call:
    sim: Simulator
    bot: BotState
    params: Params

    def chat(self) -> Chat:
        return self.sim.chat_for_bot(self.bot, self.params.get_chat_id())

    def text(self) -> JsonObject:
        """The text and entities of sendMessage/editMessageText as a message content."""
        text, entities = self._formatted("text", "entities", MAX_TEXT, "message is too long")
        if not text.strip():
            raise bad_request("message text is empty")
        return {"text": text, **({"entities": entities} if entities else {})}

    def caption(self, source: JsonObject | None = None) -> JsonObject:
        """caption/caption_entities from the call, or from one InputMedia of an album."""
        params = self.params if source is None else Params(source, self.params.files)
        caption, entities = Call(self.sim, self.bot, params)._formatted(
            "caption", "caption_entities", MAX_CAPTION, "message caption is too long"
        )
        if not caption.strip():
            return {}
        return {"caption": caption, **({"caption_entities": entities} if entities else {})}

    def _formatted(
        self, name: str, entities_name: str, limit: int, too_long: str
    ) -> tuple[str, list[Any]]:
        text = self.params.get_str(name) or ""
        entities = self.params.get_array(entities_name) or []
        for entity in entities:
            if not isinstance(entity, dict) or any(
                not isinstance(entity.get(key), kind) for key, kind in _ENTITY_FIELDS.items()
            ):
                raise bad_request(f"can't parse entities: wrong {entities_name} item")
        mode = (self.params.get_str("parse_mode") or "").lower()
        if mode == "html":
            try:
                text, entities = parse_html(text)
            except EntityParseError as error:
                raise bad_request(f"can't parse entities: {error}") from None
        elif mode not in {"", "markdown", "markdownv2"}:
            raise bad_request("unsupported parse_mode")
        # Markdown modes are accepted and their text kept as sent (not parsed here).
        if utf16_len(text) > limit:
            raise bad_request(too_long)
        return text, entities

    def markup(self, *, inline_only: bool = False) -> Markup:
        value = self.params.get_json(
            "reply_markup", error="can't parse reply keyboard markup JSON object"
        )
        return parse_reply_markup(value, inline_only=inline_only)

    def reply_to(self, chat: Chat) -> Message | None:
        reply = self.params.get_object(
            "reply_parameters", error="can't parse reply parameters JSON object"
        )
        message_id: Any = self.params.get_int("reply_to_message_id")
        lenient = self.params.get_bool("allow_sending_without_reply")
        if reply is not None:
            message_id = reply.get("message_id")
            lenient = reply.get("allow_sending_without_reply") is True
            if not isinstance(message_id, int) or isinstance(message_id, bool):
                raise bad_request('reply_parameters: field "message_id" must be of type Integer')
        if message_id is None:
            return None
        message = chat.messages.get(message_id)
        if message is None and not lenient:
            raise bad_request("message to be replied not found")
        return message

    def post(
        self,
        chat: Chat,
        content: JsonObject,
        markup: Markup,
        reply_to: Message | None,
        media_group_id: str | None = None,
    ) -> Message:
        """Put a bot message into the chat and apply its keyboard to what the user sees."""
        message = chat.add_message(
            sender=self.bot.user_json(),
            from_bot=True,
            date=self.sim.date(),
            content=content,
            inline_markup=markup.inline,
            reply_to=reply_to,
            media_group_id=media_group_id,
            force_reply=markup.force_reply,
        )
        if markup.keyboard is not None or markup.remove_keyboard:
            chat.reply_keyboard = markup.keyboard
            chat.log.add("keyboard", reply_keyboard=markup.keyboard)
        return message

    def own_message(self, chat: Chat, not_found: str) -> Message:
        """The message named by message_id, for edits."""
        if self.params.has("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        message_id = self.params.get_int(
            "message_id", required="message identifier is not specified"
        )
        message = chat.messages.get(message_id or 0)
        if message is None:
            raise bad_request(not_found)
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return message
