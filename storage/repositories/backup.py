"""What a backup and a restore read and do in the database: the sealed files the database refers
to, and on PostgreSQL the catalog statements around `pg_dump` and `pg_restore` (the schema in
use, an exported snapshot that several connections share, an empty target, moving restored
tables from the backup's schema into the target's). storage/backup.py runs the tools."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select, text
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession

from storage.models import Blob

__all__ = [
    "LiveBlob",
    "create_schema",
    "current_schema",
    "drop_schema",
    "drop_tables",
    "export_snapshot",
    "live_blobs",
    "move_tables",
    "relations_in",
    "schema_exists",
    "server_major_version",
    "use_snapshot",
]


@dataclass(frozen=True, slots=True)
class LiveBlob:
    name: str
    size: int
    sha256: bytes


async def live_blobs(session: AsyncSession) -> list[LiveBlob]:
    """Every sealed file the database refers to (blob rows not deleted), by name. A pending
    document refers to none: its file, if any, belongs to an attempt that has not committed."""
    rows = await session.execute(
        select(Blob.name, Blob.size, Blob.sha256)
        .where(Blob.deleted_at.is_(None))
        .order_by(Blob.name)
    )
    return [LiveBlob(name, int(size), bytes(sha256)) for name, size, sha256 in rows]


def _quoted(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


async def current_schema(connection: AsyncConnection) -> str | None:
    """The schema the connection's unqualified names resolve to (None: its search_path names
    no schema that exists)."""
    value = await connection.scalar(text("SELECT current_schema()"))
    return None if value is None else str(value)


async def server_major_version(connection: AsyncConnection) -> int:
    return int(await connection.scalar(text("SHOW server_version_num")) or 0) // 10000


async def export_snapshot(connection: AsyncConnection) -> str:
    """The id of this (repeatable read) transaction's snapshot, for `pg_dump --snapshot` and
    `use_snapshot`; valid while the transaction stays open."""
    return str(await connection.scalar(text("SELECT pg_export_snapshot()")))


def use_snapshot(connection: Connection, snapshot: str) -> None:
    """Make this new (repeatable read) transaction see `snapshot`; its first statement."""
    if not re.fullmatch(r"[0-9A-Fa-f-]+", snapshot):  # pg_export_snapshot()'s form
        raise ValueError("not a snapshot id")
    connection.exec_driver_sql(f"SET TRANSACTION SNAPSHOT '{snapshot}'")


async def schema_exists(connection: AsyncConnection, schema: str) -> bool:
    found = await connection.scalar(
        text("SELECT count(*) FROM pg_namespace WHERE nspname = :schema"), {"schema": schema}
    )
    return bool(found)


async def relations_in(connection: AsyncConnection, schema: str) -> list[str]:
    """The tables, sequences, views and indexes in `schema`, by name."""
    rows = await connection.scalars(
        text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = :schema ORDER BY c.relname"
        ),
        {"schema": schema},
    )
    return [str(name) for name in rows]


async def _tables_in(connection: AsyncConnection, schema: str) -> list[str]:
    rows = await connection.scalars(
        text("SELECT tablename FROM pg_tables WHERE schemaname = :schema ORDER BY tablename"),
        {"schema": schema},
    )
    return [str(name) for name in rows]


async def create_schema(connection: AsyncConnection, schema: str) -> None:
    await connection.execute(text(f"CREATE SCHEMA {_quoted(schema)}"))


async def drop_schema(connection: AsyncConnection, schema: str) -> None:
    """Drop `schema` and everything in it."""
    await connection.execute(text(f"DROP SCHEMA IF EXISTS {_quoted(schema)} CASCADE"))


async def move_tables(connection: AsyncConnection, source: str, target: str) -> list[str]:
    """Move every table of `source` into `target` (their indexes, constraints and owned
    sequences go with them); returns the tables moved."""
    tables = await _tables_in(connection, source)
    for table in tables:
        await connection.execute(
            text(f"ALTER TABLE {_quoted(source)}.{_quoted(table)} SET SCHEMA {_quoted(target)}")
        )
    return tables


async def drop_tables(connection: AsyncConnection, schema: str) -> None:
    """Drop every table of `schema` (a restore's, undone)."""
    tables: Sequence[str] = await _tables_in(connection, schema)
    if tables:
        names = ", ".join(f"{_quoted(schema)}.{_quoted(table)}" for table in tables)
        await connection.execute(text(f"DROP TABLE {names} CASCADE"))
