"""SQLite statements run on the event loop's thread, in one piece per transaction.

aiosqlite runs every call (execute, fetch, commit) on its own thread and wakes the event loop
for the result. A statement of ours takes tens of microseconds, the hop back to a busy event
loop milliseconds; and since SQLite has one writer, a transaction holds the only connection
for all its hops. Under the 200-resident load that hold time, not SQL, was the bottleneck
(bench/README.md). Here each call runs right where it is awaited: the coroutine finishes without
suspending, so SQLAlchemy's greenlet bridge never gives the loop up inside a unit of work.

The one wait that could block the loop is SQLite's busy handler, when another process (a CLI
command) holds the write lock. The connection's busy timeout is therefore zero and a busy
statement is retried here with an asyncio sleep, up to the same 15 s budget. Opening still
goes through aiosqlite's thread, which creates the connection there (hence
`check_same_thread=False`: the connection is used by one thread at a time, never two).

A transaction must not give the loop up either: the connection is the only one, and every other
transaction waits for it. SQLAlchemy's session context managers commit and close in a task of
their own, shielded from cancellation, which costs two passes of the event loop with the
connection held; under load (hundreds of ready callbacks a pass) that convoy held every step
for 50-150 ms while the loop was half idle. `InlineSession` commits and closes in place: inline,
neither can be interrupted half-way, so there is nothing to shield (and if a busy retry's sleep
were cancelled, the session still closes, which rolls back and returns the connection).

The price: a long statement holds the whole loop. The bot's statements are indexed lookups and
small writes; imports and pulls run in their own CLI processes. Its heaviest reads are the
staff's progress figures: at a large commune's scale (33,000 submissions and as many target
households, measured) the village figures take ~60 ms and the list of households that have not
submitted ~0.3 s. They run inside the staff member's transaction on the one connection, so
with aiosqlite's thread, too, every other chat's step waited for them; moving them to a read
connection of their own (WAL lets readers run beside the writer) is the remedy, not yet done.
Options in the database URL's query string are not passed on (hoso's URLs have none).

SQLAlchemy's aiosqlite dialect is kept (its SQL, types and errors), with a DBAPI module of ours
(`inline_dbapi`) whose adapter runs each statement on the driver's cursor in one awaitable
rather than three round trips through aiosqlite's coroutines, and skips the rollback the pool
issues at every checkin when no transaction is open: 8 % less CPU for a step-shaped
transaction (bench/README.md, item 31).

**The fragile layer.** No public API does this, so this module — and only this module — reaches
into private names: aiosqlite's `Connection` (`_execute`, `_running`, `_connection`, `_thread`),
SQLAlchemy's aiosqlite adapter (`AsyncAdapt_aiosqlite_cursor` and `_connection`, their
`_cursor`, `_rows`, `_make_new_cursor`, `_aenter_cursor`, `_handle_exception`, `_cursor_cls`)
and `AsyncSession._maker_context_manager`. The libraries are pinned in pyproject.toml to the
versions this was tested on (`TESTED`), `check_versions` refuses others at start-up with the
reason (Database.connect calls it), and tests/storage/test_inline_sqlite.py fails when one of
these names changes. PostgreSQL never goes through here.
"""

from __future__ import annotations

import asyncio
import collections
import sqlite3
import time
from collections.abc import Callable
from functools import partial
from typing import Any, cast

import aiosqlite
import sqlalchemy
from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncSession, AsyncSessionTransaction
from sqlalchemy.util.concurrency import await_

__all__ = [
    "TESTED",
    "InlineConnection",
    "InlineSession",
    "UntestedLibrary",
    "check_versions",
    "connect_inline",
    "inline_dbapi",
]

# The versions (major.minor) this module was tested on; pyproject.toml pins the same ranges.
TESTED = {"sqlalchemy": "2.1", "aiosqlite": "0.22"}


class UntestedLibrary(RuntimeError):
    """A library this module reaches into is not at a version it was tested on."""


def check_versions() -> None:
    """Refuse, with the reason, to run on library versions this module was not tested on."""
    found = {"sqlalchemy": sqlalchemy.__version__, "aiosqlite": aiosqlite.__version__}
    wrong = {
        name: version
        for name, version in found.items()
        if version.split(".")[:2] != TESTED[name].split(".")
    }
    if wrong:
        raise UntestedLibrary(
            "hoso's SQLite adapter (storage/_inline_sqlite.py) relies on internals of "
            + " and ".join(f"{name} {TESTED[name]}.x" for name in TESTED)
            + "; found "
            + ", ".join(f"{name} {version}" for name, version in wrong.items())
            + ": reinstall hoso with its pinned dependencies (pip install -e .) or use PostgreSQL"
        )


_BUSY_BACKOFF = (0.001, 0.002, 0.005, 0.01, 0.02, 0.05)


class InlineConnection(aiosqlite.Connection):
    """An aiosqlite connection whose statements run inline (see the module docstring)."""

    def __init__(self, path: str, *, busy_budget: float) -> None:
        # timeout=0: the connect-time pragmas run inline too, so no busy handler may sleep
        super().__init__(partial(sqlite3.connect, path, timeout=0, check_same_thread=False), 64)
        self._thread.daemon = True  # as SQLAlchemy marks aiosqlite's: never hold up the exit
        self._busy_budget = busy_budget

    async def _execute(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        if not self._running or not self._connection:
            raise ValueError("Connection closed")
        return await self.run(partial(fn, *args, **kwargs))

    async def run(self, call: Callable[[], Any]) -> Any:
        """`call()` on the driver, now; a busy database is waited for with asyncio sleeps, up
        to the busy budget. A busy call is run again whole: under BEGIN IMMEDIATE only the
        BEGIN itself can find the database busy, never a write half done."""
        try:
            return call()
        except sqlite3.OperationalError as error:
            if not _busy(error):
                raise
        return await self._retry(call)

    async def _retry(self, call: Callable[[], Any]) -> Any:
        deadline = time.monotonic() + self._busy_budget
        attempt = 0
        while True:
            await asyncio.sleep(_BUSY_BACKOFF[min(attempt, len(_BUSY_BACKOFF) - 1)])
            try:
                return call()
            except sqlite3.OperationalError as error:
                if not _busy(error) or time.monotonic() >= deadline:
                    raise
            attempt += 1


def _busy(error: sqlite3.OperationalError) -> bool:
    return getattr(error, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY


class _InlineCursor(AsyncAdapt_aiosqlite_cursor):
    """SQLAlchemy's cursor over the driver's own. aiosqlite's adapter awaited three calls per
    statement (open the cursor, run it and fetch its rows, close it), each a round trip
    between greenlets through aiosqlite's coroutines and a lock; here opening and closing are
    plain calls, and the statement with its rows is one awaitable (SQLAlchemy's
    `AsyncConnection` requires a statement to await), which runs inline like the rest."""

    __slots__ = ()
    _awaitable_cursor_close = False
    _adapt_connection: _InlineAdaptedConnection

    def _make_new_cursor(self, connection: Any) -> Any:
        try:  # a closed connection's ValueError, as SQLAlchemy's disconnect: dropped, not reused
            return connection._conn.cursor()
        except Exception as error:
            self._adapt_connection._handle_exception(error)

    def _aenter_cursor(self, cursor: Any) -> Any:
        return cursor

    def execute(self, operation: Any, parameters: Any = None) -> Any:
        self._adapt_connection.run(partial(self._run, operation, parameters))

    def _run(self, operation: Any, parameters: Any) -> None:
        cursor = cast(sqlite3.Cursor, self._cursor)  # the driver's: `_make_new_cursor`
        cursor.execute(operation, parameters or ())
        if cursor.description:
            self._rows = collections.deque(cursor.fetchall())

    def executemany(self, operation: Any, seq_of_parameters: Any) -> Any:
        cursor = cast(sqlite3.Cursor, self._cursor)
        self._adapt_connection.run(partial(cursor.executemany, operation, seq_of_parameters))


class _InlineAdaptedConnection(AsyncAdapt_aiosqlite_connection):
    """aiosqlite's adapter with `_InlineCursor`; commit and rollback run inline, and not at all
    when there is no transaction to end."""

    __slots__ = ()
    _cursor_cls = _InlineCursor

    @property
    def inline(self) -> InlineConnection:
        return cast(InlineConnection, self._connection)

    def run(self, call: Callable[[], Any]) -> Any:
        """`call()` on the driver from SQLAlchemy's greenlet; its errors as SQLAlchemy's."""
        try:
            return await_(self.inline.run(call))
        except Exception as error:
            self._handle_exception(error)

    def commit(self) -> None:
        self._end(lambda driver: driver.commit)

    def rollback(self) -> None:
        self._end(lambda driver: driver.rollback)

    def _end(self, method: Callable[[sqlite3.Connection], Callable[[], None]]) -> None:
        driver = self.inline._connection
        if driver is None or not driver.in_transaction:
            # closed, as aiosqlite's adapter does; or nothing to end: the pool's reset after
            # every checkin is a rollback, and a session has ended its transaction before
            return
        self.run(method(driver))


class _InlineDbapi(AsyncAdapt_aiosqlite_dbapi):
    """The DBAPI module SQLAlchemy's aiosqlite dialect is given for `InlineConnection`s."""

    def connect(self, *arg: Any, **kw: Any) -> _InlineAdaptedConnection:
        creator = kw.pop("async_creator_fn", None)
        if creator is None:
            raise ArgumentError("inline_dbapi() needs the engine's async_creator=connect_inline")
        return _InlineAdaptedConnection(self, await_(creator(*arg, **kw)))


def inline_dbapi() -> AsyncAdapt_aiosqlite_dbapi:
    """For `create_async_engine(module=…)`, with `async_creator` making `InlineConnection`s."""
    return _InlineDbapi(aiosqlite, sqlite3)


async def connect_inline(path: str, *, busy_budget: float) -> InlineConnection:
    connection = InlineConnection(path, busy_budget=busy_budget)
    await connection
    return connection


class InlineSession(AsyncSession):
    """An AsyncSession whose context managers commit and close in place (module docstring)."""

    def _maker_context_manager(self) -> _InlineTransaction:  # type: ignore[override]
        return _InlineTransaction(self)

    async def __aexit__(self, type_: Any, value: Any, traceback: Any) -> None:
        await self.close()


class _InlineTransaction:
    """`async with sessions.begin() as session`: commit (or roll back), then close."""

    __slots__ = ("session", "transaction")

    def __init__(self, session: InlineSession) -> None:
        self.session = session

    async def __aenter__(self) -> InlineSession:
        self.transaction: AsyncSessionTransaction = self.session.begin()
        await self.transaction.__aenter__()
        return self.session

    async def __aexit__(self, type_: Any, value: Any, traceback: Any) -> None:
        try:
            await self.transaction.__aexit__(type_, value, traceback)
        finally:
            await self.session.close()
