"""The resident's sealed photos leave the chat in one call per chat and batch."""

from __future__ import annotations

import asyncio
from typing import Any

from telegram.error import BadRequest, RetryAfter

from handlers.replies import ReplySender


class Telegram:
    """Records deletions; can refuse the next batch with a given error."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, int, Any]] = []
        self.refuse: list[Exception] = []

    async def delete_messages(self, chat_id: int, message_ids: list[int]) -> bool:
        self.calls.append(("batch", chat_id, list(message_ids)))
        if self.refuse:
            raise self.refuse.pop(0)
        return True

    async def delete_message(self, chat_id: int, message_id: int) -> bool:
        self.calls.append(("one", chat_id, message_id))
        return True


async def remember(chat_id: int, name: str, message_id: int) -> None:
    return None


def sender(telegram: Telegram) -> ReplySender:
    return ReplySender(telegram, remember, delete_delay=0.05)  # type: ignore[arg-type]


async def test_a_chats_photos_go_in_one_call_and_chats_apart() -> None:
    telegram = Telegram()
    replies = sender(telegram)
    for chat_id, message_id in ((1, 10), (2, 20), (1, 11), (1, 12)):
        await replies.delete(chat_id, message_id)
    await replies.flush()
    assert sorted(telegram.calls) == [("batch", 1, [10, 11, 12]), ("batch", 2, [20])]
    await replies.delete(1, 13)  # after the batch went: a new one
    await replies.flush()
    assert telegram.calls[-1] == ("batch", 1, [13])


async def test_a_refused_batch_is_deleted_one_by_one() -> None:
    telegram = Telegram()
    telegram.refuse.append(BadRequest("Message can't be deleted for everyone"))
    replies = sender(telegram)
    await replies.delete(1, 10)
    await replies.delete(1, 11)
    await replies.flush()
    assert telegram.calls == [("batch", 1, [10, 11]), ("one", 1, 10), ("one", 1, 11)]


async def test_a_flood_limit_is_waited_out_once() -> None:
    telegram = Telegram()
    telegram.refuse.append(RetryAfter(0))
    replies = sender(telegram)
    await replies.delete(1, 10)
    await replies.flush()
    assert telegram.calls == [("batch", 1, [10]), ("batch", 1, [10])]


async def test_a_cancelled_batch_does_not_stop_the_chats_next_deletions() -> None:
    telegram = Telegram()
    replies = sender(telegram)
    await replies.delete(1, 10)
    before = asyncio.all_tasks()
    await replies.delete(1, 11)  # joins the batch due
    (batch,) = {t for t in before if "_delete_later" in repr(t.get_coro())}
    batch.cancel()  # as at a shutdown's deadline
    await asyncio.gather(batch, return_exceptions=True)
    await replies.delete(1, 12)
    await replies.flush()
    assert telegram.calls == [("batch", 1, [12])]


async def test_a_stop_sends_what_waits_at_once() -> None:
    telegram = Telegram()
    replies = ReplySender(telegram, remember, delete_delay=30.0)  # type: ignore[arg-type]
    await replies.delete(1, 10)
    await asyncio.wait_for(replies.flush(hurry=True), timeout=5.0)
    assert telegram.calls == [("batch", 1, [10])]
