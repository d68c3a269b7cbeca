"""The advisory locks of several processes on one PostgreSQL: one chat's transactions queue,
different chats' do not, and a lock ends with its transaction; on SQLite they do nothing."""

from __future__ import annotations

import asyncio

import pytest

from storage.db import Database
from storage.repositories.locks import lock_chat

WAIT = 0.4  # long enough for a lock that was not going to wait to have been taken


def postgresql_only(database: Database) -> None:
    if database.backend != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's; SQLite serialises its writers anyway")


async def test_one_chats_transactions_queue_and_other_chats_do_not(database: Database) -> None:
    postgresql_only(database)
    first = database.sessions()
    await first.begin()
    await lock_chat(first, 501)
    order: list[str] = []

    async def lock_in_own_transaction(chat_id: int) -> None:
        async with database.sessions.begin() as session:
            await lock_chat(session, chat_id)
            order.append(f"locked {chat_id}")

    same = asyncio.create_task(lock_in_own_transaction(501))
    await asyncio.wait_for(lock_in_own_transaction(502), timeout=5)  # another chat: at once
    await asyncio.sleep(WAIT)
    assert not same.done()  # the same chat: waits for the first transaction
    order.append("first commits")
    await first.commit()
    await first.close()
    await asyncio.wait_for(same, timeout=5)
    assert order == ["locked 502", "first commits", "locked 501"]


async def test_a_rolled_back_transaction_leaves_no_lock(database: Database) -> None:
    postgresql_only(database)
    async with database.sessions() as session:
        await session.begin()
        await lock_chat(session, -1001234567890)  # a group's id: negative, 13 digits
        await session.rollback()
    async with database.sessions.begin() as session:
        await asyncio.wait_for(lock_chat(session, -1001234567890), timeout=5)


async def test_on_sqlite_it_does_nothing(database: Database) -> None:
    if database.backend != "sqlite":
        pytest.skip("the SQLite case")
    async with database.sessions.begin() as session:
        await lock_chat(session, 501)
        await lock_chat(session, 501)  # no lock to wait for, not even one's own
