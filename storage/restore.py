"""A backup's database restored into an empty one (intake/admin/_restore.py is the use case).

The target must be empty: a SQLite file that does not exist yet, or on PostgreSQL the target
connection's schema without any relation in it. SQLite's verified copy is opened where it lies,
checked, and moved into place. `pg_restore` runs in one transaction with the dump's own
`CREATE SCHEMA` left out. When the target's schema has the backup's name (the usual case:
`public` into `public` of a new database) the tables land there directly; otherwise the
backup's schema, which must not exist in the target database, is created, restored into and
its tables moved to the target's schema (a restore beside the source in the same database is
therefore refused). A restore whose checks then fail is undone: the restored tables are dropped.
`pg_restore` must read the dump: at least the major version of the `pg_dump` that made it.
"""

from __future__ import annotations

import asyncio
import errno
import os
import re
import secrets
import shutil
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

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
from storage.db import Database, DatabaseUrlError, sqlite_url
from storage.repositories import backup as catalog

__all__ = ["RestoreTarget", "TargetNotEmpty", "known_revisions", "open_restore_target"]

_MIGRATIONS = Path(__file__).parent / "migrations"
_SQLITE_SIDECARS = ("-wal", "-shm", "-journal")


class TargetNotEmpty(DatabaseCopyError):
    """The restore's target database holds something already."""


def known_revisions() -> set[str]:
    """The schema revisions this code's migrations know."""
    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}


class RestoreTarget:
    """The empty database a backup goes into: `load` the backup's file, read the result
    through `database`, then `commit` it, or `undo` it."""

    backend: str

    def describe(self) -> str:
        raise NotImplementedError

    async def check_empty(self) -> None:
        """Raise TargetNotEmpty when the target holds anything."""
        raise NotImplementedError

    async def load(self, file: Path, details: dict[str, str | int]) -> Database:
        raise NotImplementedError

    async def commit(self) -> None:
        """Put the loaded database in place."""

    async def undo(self) -> None:
        """Remove what `load` wrote."""

    async def close(self) -> None:
        """Release connections."""


def open_restore_target(url: str) -> RestoreTarget:
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise DatabaseUrlError("the database URL is not a valid URL") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _SqliteTarget(sqlite_path(parsed))
    if backend == "postgresql":
        return _PostgresTarget(url)
    raise DatabaseUrlError(
        f"unsupported database {backend!r}: use sqlite+aiosqlite or postgresql+asyncpg"
    )


class _SqliteTarget(RestoreTarget):
    backend = "sqlite"

    def __init__(self, path: Path) -> None:
        self.path = path
        self._loaded: Path | None = None
        self._database: Database | None = None

    def describe(self) -> str:
        return f"the SQLite file {self.path}"

    async def check_empty(self) -> None:
        present = [
            p
            for p in (self.path, *(Path(f"{self.path}{s}") for s in _SQLITE_SIDECARS))
            if p.exists()
        ]
        if present:
            raise TargetNotEmpty(
                f"the database file {present[0]} exists: restore only into an empty data "
                "directory (and a database file that does not exist yet)"
            )

    async def load(self, file: Path, details: dict[str, str | int]) -> Database:
        """Open the verified file where it lies (it is moved into place by `commit`)."""
        self._loaded = file
        self._database = Database.connect(sqlite_url(file))
        return self._database

    async def _close_loaded(self) -> None:
        if self._database is not None:
            await self._database.close()
            self._database = None
            if self._loaded is not None:
                await asyncio.to_thread(sqlite_self_contained, self._loaded)

    async def commit(self) -> None:
        await self._close_loaded()
        if self._loaded is None:
            raise RuntimeError("nothing was loaded")
        self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        try:
            os.rename(self._loaded, self.path)
        except OSError as exc:
            if exc.errno != errno.EXDEV:
                raise
            partial = self.path.with_name(f".{self.path.name}.{secrets.token_hex(4)}")
            try:
                await asyncio.to_thread(shutil.copyfile, self._loaded, partial)
                os.rename(partial, self.path)
            finally:
                partial.unlink(missing_ok=True)

    async def undo(self) -> None:
        await self._close_loaded()

    async def close(self) -> None:
        await self._close_loaded()


async def _restore_with(command: tuple[str, ...], env: dict[str, str]) -> None:
    code, _, err = await run(*command, env=env)
    if code != 0:
        raise failure("pg_restore", err)


class _PostgresTarget(RestoreTarget):
    backend = "postgresql"

    def __init__(self, url: str) -> None:
        self.url = url
        self.database = Database.connect(url)
        self.schema: str | None = None
        self._restored = False

    def describe(self) -> str:
        where = make_url(self.url).render_as_string(hide_password=True)
        return f"schema {self.schema or '?'} of {where}"

    async def check_empty(self) -> None:
        async with self.database.engine.connect() as connection:
            self.schema = await catalog.current_schema(connection)
            if self.schema is None:
                raise TargetNotEmpty(
                    "the target database's search_path names no schema that exists: "
                    "create the schema first"
                )
            relations = await catalog.relations_in(connection, self.schema)
        if relations:
            raise TargetNotEmpty(
                f"schema {self.schema} of the target database is not empty (it holds "
                f"{relations[0]} and {len(relations) - 1} more): restore only into an empty "
                "database or schema"
            )

    async def load(self, file: Path, details: dict[str, str | int]) -> Database:
        pg_restore = tool("pg_restore")
        tool_major, _ = await major_version(pg_restore)
        dumped_by = int(details.get("pg_dump_major", 0))
        if tool_major < dumped_by:
            raise DatabaseCopyError(
                f"pg_restore {tool_major} cannot read a dump made by pg_dump {dumped_by}: "
                f"install the PostgreSQL {dumped_by} client tools"
            )
        await self.check_empty()
        if self.schema is None:
            raise RuntimeError("the target's schema is unknown")
        source = str(details["schema"])
        listing = file.with_name(f"{file.name}.list")
        code, toc, err = await run(pg_restore, "--list", str(file))
        if code != 0:
            raise failure("pg_restore", err)
        # the dump's CREATE SCHEMA (and public's comment) left out: the schema exists already
        skip = re.compile(r"^\d+; \d+ \d+ (SCHEMA|COMMENT) - (SCHEMA )?")
        listing.write_text("".join(line for line in toc.splitlines(True) if not skip.match(line)))
        args, env = libpq(make_url(self.url))
        restore = (
            pg_restore,
            *args,
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--use-list={listing}",
            str(file),
        )
        if source == self.schema:
            await _restore_with(restore, env)
            self._restored = True
            return self.database
        async with self.database.engine.begin() as connection:
            if await catalog.schema_exists(connection, source):
                raise TargetNotEmpty(
                    f"the target database has a schema {source} already, the backup's own: "
                    f"restore into schema {source} of an empty database, or into another "
                    "database"
                )
            await catalog.create_schema(connection, source)
        try:
            await _restore_with(restore, env)
            async with self.database.engine.begin() as connection:
                await catalog.move_tables(connection, source, self.schema)
                await catalog.drop_schema(connection, source)
        except BaseException:
            async with self.database.engine.begin() as connection:
                await catalog.drop_schema(connection, source)
            raise
        self._restored = True
        return self.database

    async def undo(self) -> None:
        if self._restored and self.schema is not None:
            async with self.database.engine.begin() as connection:
                await catalog.drop_tables(connection, self.schema)
            self._restored = False

    async def close(self) -> None:
        await self.database.close()
