"""Engines, sessions and migrations for SQLite (embedded default) and PostgreSQL (scale-out).

SQLite runs in WAL mode with `synchronous=NORMAL` and foreign keys on; every transaction starts
with `BEGIN IMMEDIATE`, so two writers queue instead of failing with "database is locked" when a
read turns into a write (a busy statement is retried for up to 15 s without blocking the event
loop: storage/_inline_sqlite.py). The schema is managed by Alembic only;
`Database.upgrade()` runs at every start: on PostgreSQL under an advisory lock, so that processes
starting together migrate once, and never on a database a newer hoso has migrated further
(`SchemaAhead`). A running process compares the schema with its own at every heartbeat
(`schema_problem`, intake/processes).
"""

from __future__ import annotations

import asyncio
import functools
import random
import sqlite3
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm.exc import StaleDataError

from crypto import AuditKey
from storage._inline_sqlite import (
    InlineSession,
    UntestedLibrary,
    check_versions,
    connect_inline,
    inline_dbapi,
)
from storage.repositories.locks import lock_migrations

__all__ = [
    "AUDIT_KEY",
    "Database",
    "DatabaseUrlError",
    "SchemaAhead",
    "insert_for",
    "is_conflict",
    "run_again_on_conflict",
    "sqlite_url",
]

T = TypeVar("T")
# Where a session finds the audit chain's key (`Session.info`; storage/repositories/audit.py).
AUDIT_KEY = "hoso.audit_key"
_MIGRATIONS = Path(__file__).parent / "migrations"
_SQLITE_BUSY_SECONDS = 15.0


class DatabaseUrlError(ValueError):
    """The database URL names no supported backend."""


class SchemaAhead(Exception):
    """The database's schema is newer than this code's migrations: this code must not run."""

    def __init__(self, current: str, head: str | None) -> None:
        super().__init__(
            f"the database's schema (revision {current}) is newer than this hoso (which knows "
            f"up to {head}): upgrade hoso on this machine"
        )
        self.current = current


def insert_for(dialect_name: str) -> Callable[[Any], Any]:
    """The backend's INSERT construct, which has ON CONFLICT (upserts, insert-or-ignore)."""
    return postgresql.insert if dialect_name == "postgresql" else sqlite.insert


# PostgreSQL's "serialization failure" and "deadlock detected": the transaction lost to a
# concurrent one and may simply be run again.
_CONFLICT_STATES = frozenset({"40001", "40P01"})
# `UPDATE … RETURNING` (the verdict's settle) came with SQLite 3.35.
_SQLITE_MINIMUM = (3, 35)


def is_conflict(error: BaseException) -> bool:
    """Whether a failed transaction lost to a concurrent one (a row's version changed, or a
    deadlock or serialization failure on PostgreSQL), so that running it again can succeed."""
    if isinstance(error, StaleDataError):
        return True
    if isinstance(error, DBAPIError):
        state = getattr(error.orig, "sqlstate", None)
        return state in _CONFLICT_STATES
    return False


# A transaction that lost to a concurrent one is run again whole, after a short random pause so
# that the two stop colliding (five photos of one album, stepping one draft, can collide several
# times in a row).
CONFLICT_ATTEMPTS = 8


async def run_again_on_conflict(
    transaction: Callable[[], Awaitable[T]], *, attempts: int = CONFLICT_ATTEMPTS
) -> T:
    """`await transaction()`, again (up to `attempts` times in all) while it loses to a
    concurrent one (`is_conflict`); any other failure, or the last conflict, is raised."""
    for attempt in range(1, attempts + 1):
        try:
            return await transaction()
        except Exception as error:
            if not is_conflict(error) or attempt == attempts:
                raise
            await asyncio.sleep(random.uniform(0, 0.005 * attempt))  # noqa: S311 — jitter
    raise AssertionError("unreachable")


def sqlite_url(path: Path) -> str:
    return f"sqlite+aiosqlite:///{path}"


def _alembic_config(connection: Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    config.attributes["connection"] = connection
    return config


@functools.cache
def _migrations() -> ScriptDirectory:
    """This code's migrations (read once: a running process compares at every heartbeat)."""
    return ScriptDirectory.from_config(_alembic_config())


@functools.cache
def _known_revisions() -> frozenset[str]:
    return frozenset(script.revision for script in _migrations().walk_revisions())


def _current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _tune_sqlite(engine: AsyncEngine) -> None:
    @event.listens_for(engine.sync_engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=0")  # busy statements are retried without blocking
        cursor.close()

    @event.listens_for(engine.sync_engine, "begin")
    def on_begin(connection: Connection) -> None:
        # on the driver's cursor: a statement through SQLAlchemy's execution machinery cost a
        # sixth of a short transaction, and every update and verdict is one
        cursor = connection.connection.cursor()
        dbapi_error = connection.dialect.loaded_dbapi.Error
        try:
            cursor.execute("BEGIN IMMEDIATE")
        except dbapi_error as error:  # as SQLAlchemy's own execution would have raised it
            raise DBAPIError.instance("BEGIN IMMEDIATE", None, error, dbapi_error) from error
        finally:
            cursor.close()


@dataclass
class Database:
    """An engine and its session factory; services own transactions with `session()`."""

    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]

    @classmethod
    def connect(
        cls,
        url: str,
        *,
        audit_key: AuditKey | None = None,
        schema: str | None = None,
        echo: bool = False,
    ) -> Database:
        """Engine for `url`; `audit_key` chains the audit events its sessions write (without
        it they write none); `schema` selects a PostgreSQL schema (several provinces, or
        tests, can share one database)."""
        try:
            parsed = make_url(url)
        except ArgumentError:
            raise DatabaseUrlError("the database URL is not a valid URL") from None
        backend = parsed.get_backend_name()
        if backend == "sqlite":
            if sqlite3.sqlite_version_info < _SQLITE_MINIMUM:
                raise DatabaseUrlError(
                    f"SQLite {sqlite3.sqlite_version} is too old: hoso needs 3.35 or newer "
                    "(or PostgreSQL)"
                )
            try:
                check_versions()
            except UntestedLibrary as exc:
                raise DatabaseUrlError(str(exc)) from None
            if parsed.drivername != "sqlite+aiosqlite":
                parsed = parsed.set(drivername="sqlite+aiosqlite")
            # One connection: SQLite has one writer anyway, and queueing in the pool (FIFO,
            # no polling) beats connections sleeping in SQLite's busy handler under load.
            # Its statements run inline on the event loop (storage/_inline_sqlite.py).
            path = parsed.database or ":memory:"
            engine = create_async_engine(
                parsed,
                echo=echo,
                hide_parameters=True,  # an error's text never quotes what a resident sent
                pool_size=1,
                max_overflow=0,
                pool_timeout=120,
                module=inline_dbapi(),
                async_creator=lambda: connect_inline(path, busy_budget=_SQLITE_BUSY_SECONDS),
            )
            _tune_sqlite(engine)
            session_class: type[AsyncSession] = InlineSession  # commits in place, as it runs
        elif backend == "postgresql":
            if parsed.drivername != "postgresql+asyncpg":
                parsed = parsed.set(drivername="postgresql+asyncpg")
            connect_args = {"server_settings": {"search_path": schema}} if schema else {}
            engine = create_async_engine(
                parsed,
                echo=echo,
                hide_parameters=True,
                pool_size=10,
                max_overflow=10,
                connect_args=connect_args,
            )
            session_class = AsyncSession
        else:
            raise DatabaseUrlError(
                f"unsupported database {backend!r}: use sqlite+aiosqlite or postgresql+asyncpg"
            )
        return cls(
            engine,
            async_sessionmaker(
                engine,
                expire_on_commit=False,
                class_=session_class,
                info={AUDIT_KEY: audit_key} if audit_key else None,
            ),
        )

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    async def upgrade(self) -> None:
        """Bring the schema to the newest migration; refuse (`SchemaAhead`) a database that a
        newer hoso has migrated further. On PostgreSQL one process migrates at a time, under
        an advisory lock: a second one starting together waits, then finds the schema at its
        head (on SQLite the transaction's `BEGIN IMMEDIATE` does the same)."""
        async with self.engine.begin() as connection:
            await lock_migrations(connection)
            current = await connection.run_sync(_current_revision)
            if current is not None and current not in _known_revisions():
                raise SchemaAhead(current, _migrations().get_current_head())
            await connection.run_sync(lambda sync: command.upgrade(_alembic_config(sync), "head"))

    async def schema_revision(self) -> tuple[str | None, str | None]:
        """(current revision in the database, newest revision in the code)."""
        async with self.engine.connect() as connection:
            current = await connection.run_sync(_current_revision)
        return current, _migrations().get_current_head()

    async def schema_problem(self) -> str | None:
        """None while the database's schema is this code's newest; else why this process must
        not carry on as it is, in one sentence (another process migrated it meanwhile)."""
        current, head = await self.schema_revision()
        if current == head:
            return None
        if current is not None and current not in _known_revisions():
            return str(SchemaAhead(current, head))
        return (
            f"the database's schema (revision {current}) is not this hoso's ({head}): "
            "restart hoso to upgrade it"
        )

    async def ping(self) -> bool:
        """Whether the database answers (for the health check)."""
        try:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        except Exception:  # any failure means unhealthy
            return False
        return True

    async def close(self) -> None:
        await self.engine.dispose()
