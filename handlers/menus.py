"""The command menus in Telegram (the list next to the input field), in each reader's language.

Residents get theirs for every private chat (`set_resident_commands`, at start-up). Each staff
member's private chat gets their role's commands (`setMyCommands` with a chat scope); a revoked
member's menu is removed, so the chat falls back to the residents' menu. A worker syncs what the
database says is due, so a member invited or revoked from the CLI, or by another process, gets
the right menu too."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, BotCommand, BotCommandScopeAllPrivateChats, BotCommandScopeChat
from telegram.error import BadRequest, Forbidden, TelegramError

from intake.language import Language, render
from intake.processes import idle
from intake.staff import MenuChange, StaffMenus, role_commands

__all__ = ["RESIDENT_COMMANDS", "StaffMenuSync", "set_resident_commands"]

log = logging.getLogger("hoso.menus")
RESIDENT_COMMANDS = (
    "start",
    "status",
    "mydata",
    "request",
    "help",
    "language",
    "withdraw",
    "delete",
    "cancel",
)


async def set_resident_commands(bot: Bot) -> None:
    """The residents' menu, in each language (Vietnamese as the default)."""
    for language in Language:
        commands = [
            BotCommand(name, render(language, f"command.{name}")) for name in RESIDENT_COMMANDS
        ]
        await bot.set_my_commands(
            commands,
            scope=BotCommandScopeAllPrivateChats(),
            language_code=None if language is Language.VI else language.value,
        )


class StaffMenuSync:
    """Sets the staff members' menus that are due (`kick` after a change; polls otherwise)."""

    def __init__(self, bot: Bot, menus: StaffMenus) -> None:
        self._bot = bot
        self._menus = menus
        self._wake = asyncio.Event()

    def kick(self) -> None:
        self._wake.set()

    async def run(self, stop: asyncio.Event, *, poll: float = 30.0) -> None:
        while not stop.is_set():
            self._wake.clear()
            try:
                await self.sync()
            except Exception:
                log.exception("staff menus not synced")
            await idle(self._wake, stop, poll)

    async def sync(self) -> int:
        changed = 0
        for change in await self._menus.due():
            try:
                await self._apply(change)
            except (BadRequest, Forbidden):  # the chat is gone or blocked the bot: nothing to do
                log.info("staff menu not set", extra={"staff_id": change.staff_id})
            except TelegramError:
                log.warning(
                    "staff menu failed, retried later", extra={"staff_id": change.staff_id}
                )
                continue
            await self._menus.done(change)
            changed += 1
        return changed

    async def _apply(self, change: MenuChange) -> None:
        scope = BotCommandScopeChat(change.chat_id)
        if not change.active:
            await self._bot.delete_my_commands(scope=scope)
            return
        commands = [
            BotCommand(name, render(change.language, f"command.{name}"))
            for name in role_commands(change.role)
        ]
        await self._bot.set_my_commands(commands, scope=scope)
