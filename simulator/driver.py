"""A driver for tests: run the simulator in-process and act as its users.

The bot under test talks to the server over real HTTP (`base_url`, `base_file_url`); the
users act in-process, on the same objects the control API uses.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

from aiohttp import web

from simulator._app import create_app
from simulator._clock import Clock
from simulator._errors import UserActionError
from simulator._simulator import Recorder, Simulator, SimulatorConfig
from simulator._snapshots import Button, CallbackAnswer, ChatMessage, keyboard_buttons
from simulator._state import BotState

__all__ = ["Button", "CallbackAnswer", "Chat", "ChatMessage", "SimulatorServer", "UserSession"]


class Chat:
    """One chat as one user sees it; next_message() reads the bot's messages in order."""

    def __init__(self, sim: Simulator, bot: BotState, chat_id: int, user_id: int) -> None:
        self._sim, self._bot, self.chat_id, self.user_id = sim, bot, chat_id, user_id
        chat = sim.chat(bot, chat_id)
        if chat is None:
            raise UserActionError(f"unknown chat {chat_id}")
        self._chat = chat
        self._cursor = chat.log.last_seq
        self._answer_cursor = chat.log.last_seq

    async def send_text(self, text: str, *, reply_to_message_id: int | None = None) -> int:
        """Send a text message; returns its message_id."""
        actions = self._sim.actions
        message = actions.send_text(
            self._bot, self.chat_id, self.user_id, text, reply_to_message_id=reply_to_message_id
        )
        return message.message_id

    async def send_command(self, command: str, payload: str | None = None) -> int:
        """Send /command, or `/start payload` as a deep link opens the chat."""
        text = "/" + command.removeprefix("/")
        return await self.send_text(f"{text} {payload}" if payload else text)

    async def press(
        self,
        button_text: str | None = None,
        *,
        callback_data: str | None = None,
        message_id: int | None = None,
    ) -> str | None:
        """Press a button of the latest bot message that has it, or of the reply keyboard.

        Returns the callback query id for an inline button, None for a reply keyboard button.
        """
        if button_text is None and callback_data is None:
            raise ValueError("give button_text or callback_data")
        candidates = [m for m in self._chat.messages.values() if m.from_bot and m.inline_markup]
        if message_id is not None:
            candidates = [m for m in candidates if m.message_id == message_id]
        for message in reversed(candidates):
            for button in ChatMessage.of(message).buttons:
                if button_text in (None, button.text) and callback_data in (
                    None,
                    button.callback_data,
                ):
                    return self._sim.actions.press(
                        self._bot,
                        self.chat_id,
                        self.user_id,
                        message.message_id,
                        callback_data=button.callback_data,
                        text=button.text,
                    )
        for row in self.reply_keyboard or ():
            for button in row:
                if button.text == button_text:
                    if button.request_contact:
                        await self.share_contact()
                    elif button.request_location:
                        raise UserActionError("use share_location(lat, lon) for this button")
                    else:
                        await self.send_text(button.text)
                    return None
        on_screen = [b.text for m in candidates for b in ChatMessage.of(m).buttons]
        on_screen += [b.text for row in self.reply_keyboard or () for b in row]
        raise UserActionError(
            f"no button {button_text or callback_data!r}; on screen: {on_screen}"
        )

    async def send_photo(self, data: bytes, *, caption: str | None = None) -> int:
        messages = await self._sim.actions.send_photos(
            self._bot, self.chat_id, self.user_id, [data], caption=caption
        )
        return messages[0].message_id

    async def send_album(
        self, images: Sequence[bytes], *, caption: str | None = None
    ) -> list[int]:
        """2-10 photos sharing one media_group_id, one update each."""
        messages = await self._sim.actions.send_photos(
            self._bot, self.chat_id, self.user_id, images, caption=caption
        )
        return [message.message_id for message in messages]

    async def send_document(
        self,
        data: bytes,
        filename: str,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
    ) -> int:
        """Send a file "as file": it reaches the bot byte for byte."""
        messages = await self.send_documents([(data, filename)], mime_type, caption=caption)
        return messages[0]

    async def send_documents(
        self,
        files: Sequence[tuple[bytes, str]],
        mime_type: str | None = None,
        *,
        caption: str | None = None,
    ) -> list[int]:
        items = [(data, name, mime_type) for data, name in files]
        messages = await self._sim.actions.send_documents(
            self._bot, self.chat_id, self.user_id, items, caption=caption
        )
        return [message.message_id for message in messages]

    async def share_contact(self, phone_number: str | None = None) -> int:
        """Share one's own contact, as the request_contact button does."""
        actions = self._sim.actions
        return actions.share_contact(
            self._bot, self.chat_id, self.user_id, phone_number
        ).message_id

    async def share_location(self, latitude: float, longitude: float) -> int:
        actions = self._sim.actions
        message = actions.share_location(
            self._bot, self.chat_id, self.user_id, latitude, longitude
        )
        return message.message_id

    async def send_sticker(self, emoji: str = "👍") -> int:
        return self._sim.actions.send_sticker(
            self._bot, self.chat_id, self.user_id, emoji
        ).message_id

    async def send_voice(self, duration: int = 2) -> int:
        return self._sim.actions.send_voice(
            self._bot, self.chat_id, self.user_id, duration
        ).message_id

    async def next_message(self, timeout: float = 5.0) -> ChatMessage:  # noqa: ASYNC109
        """The bot's next message in this chat after the last one returned; waits for it."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        log = self._chat.log
        while True:
            for event in log.after(self._cursor):
                self._cursor = event.seq
                message = self._chat.messages.get(event.message_id or 0)
                if event.type == "message" and message is not None and message.from_bot:
                    return ChatMessage.of(message)
            remaining = deadline - loop.time()
            if remaining <= 0:
                latest = self.latest_bot_message()
                seen = repr(latest.text[:80]) if latest else "none"
                raise TimeoutError(
                    f"no new bot message in chat {self.chat_id} within {timeout} s "
                    f"(latest bot message: {seen})"
                )
            await log.signal.wait(remaining)

    async def wait_until(self, condition: Callable[[], bool], timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until `condition()` holds, checking it after every change in this chat."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not condition():
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"condition not met in chat {self.chat_id} within {timeout} s")
            await self._chat.log.signal.wait(remaining)

    def new_messages(self) -> list[ChatMessage]:
        """The bot's messages not yet returned by next_message, without waiting."""
        found = []
        for event in self._chat.log.after(self._cursor):
            self._cursor = event.seq
            message = self._chat.messages.get(event.message_id or 0)
            if event.type == "message" and message is not None and message.from_bot:
                found.append(ChatMessage.of(message))
        return found

    async def next_callback_answer(self, timeout: float = 5.0) -> CallbackAnswer:  # noqa: ASYNC109
        """The bot's next answerCallbackQuery in this chat (the toast a user sees)."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for event in self._chat.log.after(self._answer_cursor):
                self._answer_cursor = event.seq
                if event.type == "callback_answer":
                    data = event.data
                    return CallbackAnswer(event.message_id, data["text"], data["show_alert"])
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise TimeoutError(f"no callback answer in chat {self.chat_id} within {timeout} s")
            await self._chat.log.signal.wait(remaining)

    def history(self) -> list[ChatMessage]:
        """Every message still in the chat, both directions, oldest first, as they are now."""
        return [ChatMessage.of(message) for message in self._chat.messages.values()]

    def latest_bot_message(self) -> ChatMessage | None:
        bot_messages = [m for m in self._chat.messages.values() if m.from_bot]
        return ChatMessage.of(bot_messages[-1]) if bot_messages else None

    @property
    def reply_keyboard(self) -> tuple[tuple[Button, ...], ...] | None:
        """The reply keyboard shown under the input field now, if any."""
        keyboard = self._chat.reply_keyboard
        return None if keyboard is None else keyboard_buttons(keyboard["keyboard"])

    def file_bytes(self, message: ChatMessage) -> bytes:
        """The bytes of a message's largest photo size or its document."""
        item: Any = message.photo[-1] if message.photo else message.document
        stored = self._sim.files.get(item["file_unique_id"]) if item else None
        if stored is None:
            raise UserActionError(f"message {message.message_id} has no photo or document")
        return stored.data


class UserSession(Chat):
    """A user and their private chat with one bot (chat id == user id)."""

    def __init__(self, sim: Simulator, bot: BotState, user_id: int) -> None:
        super().__init__(sim, bot, user_id, user_id)

    def group(self, chat_id: int) -> Chat:
        """This user's view of a group chat with the same bot."""
        return Chat(self._sim, self._bot, chat_id, self.user_id)

    async def block(self) -> None:
        self._sim.actions.set_blocked(self._bot, self.chat_id, self.user_id, blocked=True)

    async def unblock(self) -> None:
        self._sim.actions.set_blocked(self._bot, self.chat_id, self.user_id, blocked=False)


class SimulatorServer:
    """The simulator on a local port, started and stopped in-process (an async context)."""

    def __init__(
        self,
        config: SimulatorConfig | None = None,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: Clock | None = None,
        recorder: Recorder | None = None,
    ) -> None:
        self.simulator = Simulator(config, clock=clock, recorder=recorder)
        self._host, self._port = host, port
        self._runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        runner = web.AppRunner(
            create_app(self.simulator), handle_signals=False, access_log=None, shutdown_timeout=2
        )
        await runner.setup()
        await web.TCPSite(runner, self._host, self._port).start()
        host, port = runner.addresses[0][:2]
        self.url = f"http://{host}:{port}"
        self._runner = runner

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SimulatorServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    @property
    def base_url(self) -> str:
        """For telegram.Bot(base_url=...) / ApplicationBuilder().base_url(...)."""
        return f"{self.url}/bot"

    @property
    def base_file_url(self) -> str:
        return f"{self.url}/file/bot"

    def register_bot(
        self, token: str, *, first_name: str | None = None, username: str | None = None
    ) -> int:
        """Register a bot ahead of its first call (which would register it too); its id."""
        return self.simulator.register_bot(token, first_name=first_name, username=username).id

    def _bot(self, bot_token: str | None) -> BotState:
        if bot_token is not None:
            return self.simulator.register_bot(bot_token)
        bots = list(self.simulator.bots.values())
        if len(bots) != 1:
            raise UserActionError("register exactly one bot first, or pass bot_token")
        return bots[0]

    def add_user(
        self,
        first_name: str,
        *,
        user_id: int | None = None,
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "vi",
        phone_number: str | None = None,
        label: str | None = None,
        bot_token: str | None = None,
    ) -> UserSession:
        """A new user, ready to talk to the bot (the only bot, or the one of bot_token)."""
        user = self.simulator.add_user(
            first_name,
            user_id=user_id,
            last_name=last_name,
            username=username,
            language_code=language_code,
            phone_number=phone_number,
            label=label,
        )
        return UserSession(self.simulator, self._bot(bot_token), user.id)

    def session(self, user_id: int, *, bot_token: str | None = None) -> UserSession:
        """A new session of an existing user (its next_message cursor starts now)."""
        if user_id not in self.simulator.users:
            raise UserActionError(f"unknown user {user_id}")
        return UserSession(self.simulator, self._bot(bot_token), user_id)

    def open_chat(self, user_id: int, *, bot_token: str | None = None) -> None:
        """As if the user had pressed Start in their chat with the bot some time ago, without a
        new message now (a member of staff who opened the bot before the demo began)."""
        chat = self.simulator.chat(self._bot(bot_token), user_id)
        if chat is None or chat.is_group:
            raise UserActionError(f"unknown user {user_id}")
        chat.started = True

    def add_group(
        self, title: str, members: Sequence[UserSession | int], *, chat_id: int | None = None
    ) -> int:
        """A group with these users (every bot is in it); its chat id."""
        ids = [m.user_id if isinstance(m, UserSession) else m for m in members]
        return self.simulator.add_group(title, ids, chat_id=chat_id).id

    def set_flood_limits(self, enabled: bool) -> None:
        self.simulator.set_flood_limits(enabled)

    def set_time_scale(self, time_scale: float) -> None:
        self.simulator.set_time_scale(time_scale)
