"""The checklist's edits: coalesced, and held while the chat's documents are being checked."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

from handlers.replies import ReplySender
from intake.chat import Reply
from intake.language import Language, render

CHECKING, CHECKED = "status.none", "help.resident"  # two texts from the catalog


class Telegram:
    def __init__(self) -> None:
        self.edits: list[tuple[float, str]] = []

    async def edit_message_text(self, text: str, **kwargs: Any) -> bool:
        self.edits.append((time.monotonic(), text))
        return True


async def remember(chat_id: int, name: str, message_id: int) -> None:
    return None


def sender(telegram: Telegram, checking: Callable[[int], bool], wait: float) -> ReplySender:
    return ReplySender(
        telegram,  # type: ignore[arg-type]
        remember,
        edit_delay=0.05,
        checking=checking,
        edit_wait=wait,
    )


async def show(replies: ReplySender, chat_id: int, key: str) -> None:
    await replies.send(chat_id, Language.VI, [Reply(key, edit_message_id=7)])


async def test_an_edit_waits_for_the_chats_documents_then_goes_once() -> None:
    telegram = Telegram()
    checking = {1}
    replies = sender(telegram, checking.__contains__, wait=5.0)
    started = time.monotonic()
    await show(replies, 1, CHECKING)  # the album's photos arrived
    await asyncio.sleep(0.4)
    assert telegram.edits == []  # their verdicts are still to come
    await show(replies, 1, CHECKED)  # they came
    checking.discard(1)
    await replies.flush()
    assert [text for _, text in telegram.edits] == [render(Language.VI, CHECKED)]
    assert telegram.edits[0][0] - started < 1.0


async def test_an_edit_waits_no_longer_than_its_limit() -> None:
    telegram = Telegram()
    replies = sender(telegram, lambda chat_id: True, wait=0.3)  # never done
    started = time.monotonic()
    await show(replies, 1, CHECKING)
    await replies.flush()
    assert [text for _, text in telegram.edits] == [render(Language.VI, CHECKING)]
    assert 0.25 < telegram.edits[0][0] - started < 1.5


async def test_other_chats_edits_do_not_wait() -> None:
    telegram = Telegram()
    replies = sender(telegram, {1}.__contains__, wait=5.0)
    started = time.monotonic()
    await show(replies, 2, CHECKED)
    await replies.flush()
    assert telegram.edits[0][0] - started < 0.5
