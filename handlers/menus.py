"""Staff command menus in Telegram: each staff member's private chat gets their role's commands
(`setMyCommands` with a chat scope, in their language); a revoked member's menu is removed, so
the chat falls back to the residents' menu. A worker syncs what the database says is due, so a
member invited or revoked from the CLI, or by another process, gets the right menu too."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, BotCommand, BotCommandScopeChat
from telegram.error import BadRequest, Forbidden, TelegramError

from intake.deps import Deps
from intake.messages import render
from intake.staff import MenuChange, menu_done, menus_due
from intake.staffdesk import role_commands
from intake.workers import idle

__all__ = ["StaffMenus"]

log = logging.getLogger("hoso.menus")


class StaffMenus:
    def __init__(self, bot: Bot, deps: Deps) -> None:
        self._bot = bot
        self._deps = deps
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
        for change in await menus_due(self._deps):
            try:
                await self._apply(change)
            except (BadRequest, Forbidden):  # the chat is gone or blocked the bot: nothing to do
                log.info("staff menu not set", extra={"staff_id": change.staff_id})
            except TelegramError:
                log.warning(
                    "staff menu failed, retried later", extra={"staff_id": change.staff_id}
                )
                continue
            await menu_done(self._deps, change)
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
