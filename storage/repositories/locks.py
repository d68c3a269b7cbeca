"""PostgreSQL advisory locks that several bot processes on one database take around what must
not run at once: one chat's events (handled in order across processes), the start of a process
(one poller per database, never beside webhook processes) and the migrations (one process
migrates, the others wait).

Each lock is held until its transaction ends (`pg_advisory_xact_lock`), so a crash or a
rollback can never leave one behind. Its bigint key is the hash of the schema (provinces and
tests share one database, each in its own schema) and the lock's space, XOR the subject (a chat
id): within one schema and space, different chats never share a key. On SQLite every function
here does nothing: its writers are serialised anyway (`BEGIN IMMEDIATE`, storage/db.py).
"""

from __future__ import annotations

from enum import IntEnum

from sqlalchemy import BigInteger, bindparam, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

__all__ = ["LockSpace", "lock_chat", "lock_migrations", "lock_process_start"]


class LockSpace(IntEnum):
    """What a lock serialises (part of its key: never renumber)."""

    CHAT = 1
    PROCESS_START = 2
    MIGRATIONS = 3


_LOCK = text(
    "SELECT pg_advisory_xact_lock("
    "hashtextextended(coalesce(current_schema(), ''), :space) # :subject)"
).bindparams(bindparam("space", type_=BigInteger), bindparam("subject", type_=BigInteger))


async def _hold(on: AsyncSession | AsyncConnection, space: LockSpace, subject: int) -> None:
    """Wait for the lock, then hold it until the transaction ends (PostgreSQL only)."""
    connection = await on.connection() if isinstance(on, AsyncSession) else on
    if connection.dialect.name != "postgresql":
        return
    await connection.execute(_LOCK, {"space": int(space), "subject": subject})


async def lock_chat(session: AsyncSession, chat_id: int) -> None:
    """One chat's events, one transaction at a time across processes: the first statement
    of every transaction that handles an event of the chat or steps its draft."""
    await _hold(session, LockSpace.CHAT, chat_id)


async def lock_process_start(session: AsyncSession) -> None:
    """A starting process's check of how the live ones take updates (one poller, or webhooks
    only) and its registration, one process at a time."""
    await _hold(session, LockSpace.PROCESS_START, 0)


async def lock_migrations(connection: AsyncConnection) -> None:
    """The schema's upgrade, one process at a time (the others then find it done)."""
    await _hold(connection, LockSpace.MIGRATIONS, 0)
