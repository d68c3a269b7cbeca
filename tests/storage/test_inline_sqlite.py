"""SQLite statements run inline on the event loop, and a locked database never blocks it."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import insert, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.ext.asyncio import AsyncSession

from storage._inline_sqlite import InlineConnection, InlineSession, connect_inline
from storage.db import Database, DatabaseUrlError, sqlite_url
from storage.models import Province


def hold_write_lock(path: Path, seconds: float, locked: threading.Event) -> None:
    """Another process's writer, as far as SQLite can tell: a connection of its own."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        locked.set()
        threading.Event().wait(seconds)
        other.execute("COMMIT")
    finally:
        other.close()


async def locked_database(path: Path, seconds: float) -> tuple[Database, threading.Thread]:
    """A migrated database whose write lock another writer holds for `seconds` from now."""
    database = Database.connect(sqlite_url(path))
    await database.upgrade()
    locked = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(path, seconds, locked), daemon=True)
    holder.start()
    assert await asyncio.to_thread(locked.wait, 5)
    return database, holder


async def test_a_locked_database_waits_without_blocking_the_loop(tmp_path: Path) -> None:
    database, holder = await locked_database(tmp_path / "hoso.db", 0.5)
    ticks = 0

    async def tick() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.01)
            ticks += 1

    ticker = asyncio.create_task(tick())
    try:
        async with database.sessions.begin() as session:  # BEGIN IMMEDIATE: busy until 0.5 s
            session.add(
                Province(code="66", name="Đắk Lắk", short_name="Đắk Lắk", search_key="dak lak")
            )
        async with database.sessions() as session:
            names = list(await session.scalars(select(Province.name)))
    finally:
        ticker.cancel()
        await database.close()
        holder.join()
    assert names == ["Đắk Lắk"]
    assert ticks >= 20, "the event loop stood still while SQLite was busy"


async def test_busy_beyond_the_budget_fails_and_other_errors_fail_at_once(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    sqlite3.connect(path).executescript(
        "CREATE TABLE t (x INTEGER UNIQUE); PRAGMA journal_mode=WAL;"
    )
    connection = await connect_inline(str(path), busy_budget=0.2)
    try:
        await connection.execute("PRAGMA busy_timeout=0")
        await connection.execute("INSERT INTO t VALUES (1)")
        await connection.commit()
        with pytest.raises(sqlite3.IntegrityError):
            await connection.execute("INSERT INTO t VALUES (1)")
        await connection.rollback()
        locked = threading.Event()
        holder = threading.Thread(target=hold_write_lock, args=(path, 1.0, locked), daemon=True)
        holder.start()
        assert await asyncio.to_thread(locked.wait, 5)
        started = asyncio.get_running_loop().time()
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            await connection.execute("BEGIN IMMEDIATE")
        waited = asyncio.get_running_loop().time() - started
        assert 0.2 <= waited < 0.9
    finally:
        await connection.close()
        holder.join()


def province(code: str) -> dict[str, str]:
    return {"code": code, "name": code, "short_name": code, "search_key": code}


async def test_statements_run_on_the_drivers_cursor(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rows, several rows in one statement and a failing constraint, with aiosqlite's own way
    of running a call (`_execute`, awaited through its coroutines) out of use: SQLAlchemy's
    cursor calls the driver's directly, and its errors still arrive as SQLAlchemy's."""
    database = Database.connect(sqlite_url(tmp_path / "hoso.db"))
    await database.upgrade()

    async def not_this_way(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("a statement went through aiosqlite's coroutines")

    monkeypatch.setattr(InlineConnection, "_execute", not_this_way)
    try:
        async with database.engine.begin() as connection:  # executemany
            await connection.execute(insert(Province), [province("67"), province("66")])
            renamed = await connection.execute(update(Province).values(name="Đắk Lắk"))
            assert renamed.rowcount == 2
        with pytest.raises(IntegrityError):
            async with database.sessions.begin() as session:
                await session.execute(insert(Province).values(province("66")))
        async with database.sessions() as session:
            codes = list(await session.scalars(select(Province.code).order_by(Province.code)))
    finally:
        await database.close()
    assert codes == ["66", "67"]


async def test_a_closed_driver_connection_is_dropped_not_reused(tmp_path: Path) -> None:
    """As SQLAlchemy's disconnect: the pool's one connection is replaced, not handed out dead."""
    database = Database.connect(sqlite_url(tmp_path / "hoso.db"))
    await database.upgrade()
    try:
        async with database.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            await raw.driver_connection.close()  # type: ignore[union-attr]
            with pytest.raises(DBAPIError) as caught:
                await connection.execute(select(Province.code))
            assert caught.value.connection_invalidated
        async with database.sessions() as session:
            assert list(await session.scalars(select(Province.code))) == []
    finally:
        await database.close()


async def add_then_fail(database: Database) -> None:
    async with database.sessions.begin() as session:
        session.add(Province(code="67", name="x", short_name="x", search_key="x"))
        await session.flush()
        raise RuntimeError("the step failed")


async def test_a_transaction_commits_and_closes_without_giving_up_the_loop(
    tmp_path: Path,
) -> None:
    """The one connection is not held across passes of the event loop: everything from BEGIN
    to the connection's return to the pool happens before any other callback runs."""
    database = Database.connect(sqlite_url(tmp_path / "hoso.db"))
    await database.upgrade()
    others_ran = []
    try:
        asyncio.get_running_loop().call_soon(others_ran.append, "begin")
        async with database.sessions.begin() as session:
            session.add(
                Province(code="66", name="Đắk Lắk", short_name="Đắk Lắk", search_key="dak lak")
            )
        asyncio.get_running_loop().call_soon(others_ran.append, "read")
        async with database.sessions() as session:
            names = list(await session.scalars(select(Province.name)))
        assert others_ran == []
        assert database.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
        with pytest.raises(RuntimeError):  # a failed transaction rolls back, and closes too
            await add_then_fail(database)
        assert database.engine.pool.checkedout() == 0  # type: ignore[attr-defined]
        async with database.sessions() as session:
            assert list(await session.scalars(select(Province.code))) == ["66"]
    finally:
        await database.close()
    assert names == ["Đắk Lắk"]


def test_postgresql_keeps_sqlalchemys_own_sessions(tmp_path: Path) -> None:
    """Its statements do give the loop up: the shielded exit stays where it is needed."""
    database = Database.connect("postgresql+asyncpg://nobody@127.0.0.1:1/none")  # not opened
    assert database.sessions.class_ is AsyncSession
    sqlite = Database.connect(sqlite_url(tmp_path / "hoso.db"))
    assert sqlite.sessions.class_ is InlineSession


async def test_a_database_locked_beyond_the_budget_fails_as_sqlalchemy_reports_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BEGIN IMMEDIATE runs on the driver's cursor; a failure there still arrives as
    SQLAlchemy's error, which the CLI turns into a message instead of a traceback."""
    monkeypatch.setattr("storage.db._SQLITE_BUSY_SECONDS", 0.2)
    database, holder = await locked_database(tmp_path / "hoso.db", 1.0)
    try:
        with pytest.raises(OperationalError, match="locked"):
            async with database.sessions.begin() as session:
                await session.execute(select(Province.name))
    finally:
        await database.close()
        holder.join()


def test_sqlite_older_than_3_35_is_refused_with_a_reason(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("storage.db.sqlite3.sqlite_version_info", (3, 34, 1))
    monkeypatch.setattr("storage.db.sqlite3.sqlite_version", "3.34.1")
    with pytest.raises(DatabaseUrlError, match=r"3\.34\.1 is too old"):
        Database.connect(sqlite_url(tmp_path / "hoso.db"))


def test_the_private_names_it_relies_on_are_still_there() -> None:
    """Fails when an upgrade of SQLAlchemy or aiosqlite moves an internal this adapter uses
    (storage/_inline_sqlite.py, "The fragile layer")."""
    import inspect

    import aiosqlite
    from sqlalchemy.dialects.sqlite.aiosqlite import (
        AsyncAdapt_aiosqlite_connection,
        AsyncAdapt_aiosqlite_cursor,
    )
    from sqlalchemy.ext.asyncio import AsyncSession

    assert inspect.iscoroutinefunction(aiosqlite.Connection._execute)
    connection = aiosqlite.Connection.__init__
    assert list(inspect.signature(connection).parameters)[:3] == [
        "self",
        "connector",
        "iter_chunk_size",
    ]
    for name in ("_cursor", "_rows", "_adapt_connection"):
        assert name in _slots(AsyncAdapt_aiosqlite_cursor), name
    for method in ("_make_new_cursor", "_aenter_cursor"):
        assert callable(getattr(AsyncAdapt_aiosqlite_cursor, method)), method
    assert hasattr(AsyncAdapt_aiosqlite_cursor, "_awaitable_cursor_close")
    assert callable(AsyncAdapt_aiosqlite_connection._handle_exception)
    assert AsyncAdapt_aiosqlite_connection._cursor_cls is AsyncAdapt_aiosqlite_cursor
    assert "_connection" in _slots(AsyncAdapt_aiosqlite_connection)
    assert callable(AsyncSession._maker_context_manager)


def _slots(cls: type) -> set[str]:
    return {name for klass in cls.__mro__ for name in getattr(klass, "__slots__", ())}


def test_untested_versions_are_refused_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    import aiosqlite

    from storage._inline_sqlite import TESTED, check_versions
    from storage.db import Database, DatabaseUrlError

    check_versions()  # the installed ones are the tested ones
    monkeypatch.setattr(aiosqlite, "__version__", "0.99.0")
    with pytest.raises(DatabaseUrlError, match=r"aiosqlite 0\.99\.0.*PostgreSQL"):
        Database.connect("sqlite+aiosqlite:///:memory:")
    assert TESTED["aiosqlite"] == "0.22"
