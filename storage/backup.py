"""A consistent copy of the database while the bot runs (intake/admin/_backup.py is the use
case; storage/restore.py puts a copy back).

- **SQLite**: Python's online backup API (`sqlite3.Connection.backup`) in one step, so the copy
  is one read transaction's snapshot; in WAL mode the bot keeps writing meanwhile. The copy is
  then opened (its counts and its sealed files are read from it, not from the live database,
  which has moved on) and left as one self-contained file (journal mode DELETE; the bot turns
  WAL on again when it opens the restored file).
- **PostgreSQL**: `pg_dump --format=custom` of hoso's schema only (the one its connections
  resolve to, `current_schema()`: `public`, or the schema a role's or database's search_path
  names), without owners and privileges. A repeatable-read transaction exports its snapshot;
  `pg_dump --snapshot` and the connections that read the counts and the sealed files' list all
  see exactly that snapshot. `pg_dump` must be at least the server's major version (it refuses
  an older one): this is checked first and said in one sentence.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import sqlite3
import threading
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, event
from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from storage._database_tools import (
    DatabaseCopyError,
    failure,
    libpq,
    major_version,
    run,
    sqlite_path,
    sqlite_self_contained,
    tool,
)
from storage.db import Database, sqlite_url
from storage.repositories import backup as catalog

__all__ = [
    "DATABASE_FILES",
    "DatabaseCopyError",
    "Snapshot",
    "in_thread_to_the_end",
    "snapshot",
]

T = TypeVar("T")

# The database's file in a backup, by backend.
DATABASE_FILES = {"sqlite": "hoso.db", "postgresql": "hoso.pgdump"}


@dataclass
class Snapshot:
    """The database as one moment saw it: `file` in the backup, and a `database` to read it
    (its sessions configured as the live one's, the audit chain's key among that)."""

    backend: str
    file: Path
    database: Database
    details: dict[str, str | int] = field(default_factory=dict)


async def in_thread_to_the_end(
    function: Callable[..., T], *args: Any, stop: threading.Event | None = None
) -> T:
    """`function(*args)` in a thread. When the caller is cancelled (Ctrl-C), `stop` is set
    and the thread waited for before the cancellation goes on, so that nothing is still being
    written when the caller removes what was."""
    work = asyncio.ensure_future(asyncio.to_thread(function, *args))
    try:
        return await asyncio.shield(work)
    except asyncio.CancelledError:
        if stop is not None:
            stop.set()
        await asyncio.wait([work])
        raise


def _like(live: Database, engine: AsyncEngine) -> Database:
    """A Database on `engine` whose sessions are made as `live`'s are."""
    sessions = live.sessions
    return Database(
        engine, async_sessionmaker(class_=sessions.class_, **{**sessions.kw, "bind": engine})
    )


@contextlib.asynccontextmanager
async def snapshot(live: Database, directory: Path) -> AsyncIterator[Snapshot]:
    """Copy the live database into `directory` (`DATABASE_FILES`) and yield the copy's
    snapshot; read it inside the block. A full disk raises OSError(ENOSPC)."""
    if live.backend == "sqlite":
        async with _sqlite_snapshot(live, directory / DATABASE_FILES["sqlite"]) as copy:
            yield copy
    else:
        async with _postgres_snapshot(live, directory / DATABASE_FILES["postgresql"]) as copy:
            yield copy


def _sqlite_copy(source: Path, target: Path) -> None:
    """One step of the online backup API: one read transaction, one snapshot."""
    if not source.exists():
        raise DatabaseCopyError(f"the database file {source} does not exist")
    reader = sqlite3.connect(source, timeout=15.0)
    try:
        copy = sqlite3.connect(target)
        try:
            reader.backup(copy)
        finally:
            copy.close()
    except sqlite3.OperationalError as exc:
        if "full" in str(exc):  # "database or disk is full"
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target)) from None
        raise
    finally:
        reader.close()


@contextlib.asynccontextmanager
async def _sqlite_snapshot(live: Database, target: Path) -> AsyncIterator[Snapshot]:
    await in_thread_to_the_end(_sqlite_copy, sqlite_path(live.engine.url), target)
    copy = Database.connect(sqlite_url(target))
    try:
        yield Snapshot(
            "sqlite", target, _like(live, copy.engine), {"sqlite": sqlite3.sqlite_version}
        )
    finally:
        await copy.close()
        await asyncio.to_thread(sqlite_self_contained, target)


# --- PostgreSQL ---------------------------------------------------------------------------


@contextlib.asynccontextmanager
async def _postgres_snapshot(live: Database, target: Path) -> AsyncIterator[Snapshot]:
    pg_dump = tool("pg_dump")
    tool_major, tool_version = await major_version(pg_dump)
    async with live.engine.connect() as connection:
        exporter = await connection.execution_options(isolation_level="REPEATABLE READ")
        async with exporter.begin():
            schema = await catalog.current_schema(exporter)
            if schema is None:
                raise DatabaseCopyError("the database's search_path names no schema that exists")
            server_major = await catalog.server_major_version(exporter)
            if tool_major < server_major:
                raise DatabaseCopyError(
                    f"pg_dump {tool_major} cannot dump this PostgreSQL {server_major} server "
                    f"(pg_dump must be at least the server's version): install the PostgreSQL "
                    f"{server_major} client tools, e.g. postgresql-client-{server_major}"
                )
            snapshot_id = await catalog.export_snapshot(exporter)
            args, env = libpq(live.engine.url)
            code, _, err = await run(
                pg_dump,
                *args,
                "--format=custom",
                f"--schema={_search_path(schema)}",  # quoted: taken literally
                "--no-owner",
                "--no-privileges",
                f"--snapshot={snapshot_id}",
                "--lock-wait-timeout=30000",
                f"--file={target}",
                env=env,
            )
            if code != 0:
                raise failure("pg_dump", err)
            engine = _snapshot_engine(live.engine.url, schema, snapshot_id)
            try:
                yield Snapshot(
                    "postgresql",
                    target,
                    _like(live, engine),
                    {
                        "schema": schema,
                        "server_major": server_major,
                        "pg_dump": tool_version,
                        "pg_dump_major": tool_major,
                    },
                )
            finally:
                await engine.dispose()


def _search_path(schema: str) -> str:
    return '"' + schema.replace('"', '""') + '"'


def _snapshot_engine(url: URL, schema: str, snapshot_id: str) -> AsyncEngine:
    """Connections whose every transaction sees the exported snapshot."""
    engine = create_async_engine(
        url,
        isolation_level="REPEATABLE READ",
        poolclass=NullPool,
        hide_parameters=True,
        connect_args={"server_settings": {"search_path": _search_path(schema)}},
    )

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Connection) -> None:
        catalog.use_snapshot(connection, snapshot_id)

    return engine
