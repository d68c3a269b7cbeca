"""What the backup and the restore share: their one error, PostgreSQL's client tools (found,
their version read, run with the connection taken from the SQLAlchemy URL) and SQLite's file.

The libpq tools get the host, port, user and database from the URL, the password in
`PGPASSWORD` (never on a command line), and `sslmode` (or asyncpg's `ssl`) as `PGSSLMODE`.
"""

from __future__ import annotations

import asyncio
import errno
import os
import re
import shutil
import sqlite3
from pathlib import Path

from sqlalchemy.engine import URL

__all__ = [
    "DatabaseCopyError",
    "failure",
    "libpq",
    "major_version",
    "run",
    "sqlite_path",
    "sqlite_self_contained",
    "tool",
]

_VERSION = re.compile(r"\(PostgreSQL\)\s+(\d+)")


class DatabaseCopyError(RuntimeError):
    """The database could not be copied or restored; the message says why in one sentence."""


def sqlite_path(url: URL) -> Path:
    if not url.database or url.database == ":memory:":
        raise DatabaseCopyError(
            "an in-memory SQLite database has no file to back up or restore into"
        )
    return Path(url.database)


def sqlite_self_contained(path: Path) -> None:
    """Fold the copy's write-ahead log in and leave one file (journal mode DELETE)."""
    connection = sqlite3.connect(path)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
    finally:
        connection.close()


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise DatabaseCopyError(
            f"{name} is not installed: install the PostgreSQL client tools "
            "(Debian: apt-get install postgresql-client)"
        )
    return path


async def run(*command: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    process = await asyncio.create_subprocess_exec(
        *command,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={**os.environ, **(env or {})},
    )
    try:
        out, err = await process.communicate()
    except asyncio.CancelledError:  # Ctrl-C: the tool stops too, before its file is removed
        process.kill()
        await process.wait()
        raise
    return process.returncode or 0, out.decode(errors="replace"), err.decode(errors="replace")


async def major_version(path: str) -> tuple[int, str]:
    _, out, _ = await run(path, "--version")
    found = _VERSION.search(out)
    if found is None:
        raise DatabaseCopyError(f"cannot tell the version of {path} from {out.strip()!r}")
    return int(found.group(1)), out.strip()


def libpq(url: URL) -> tuple[list[str], dict[str, str]]:
    """The tools' connection options and environment for `url` (module docstring)."""
    args: list[str] = []
    env = {"PGCONNECT_TIMEOUT": "10"}
    host = url.host or url.query.get("host")
    if isinstance(host, str) and host:
        args += ["--host", host]
    if url.port:
        args += ["--port", str(url.port)]
    if url.username:
        args += ["--username", url.username]
    if url.password is not None:
        env["PGPASSWORD"] = str(url.password)
    for option in ("sslmode", "ssl"):
        value = url.query.get(option)
        if isinstance(value, str):
            env["PGSSLMODE"] = value
    args += ["--no-password", "--dbname", url.database or "postgres"]
    return args, env


def failure(name: str, stderr: str) -> Exception:
    """One sentence for a failed tool; a full disk as OSError(ENOSPC)."""
    if "No space left on device" in stderr:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    reason = lines[-1] if lines else "no message"
    for line in lines:
        if "error:" in line:
            reason = line
            break
    reason = re.sub(r"^\S+: (error: )?", "", reason)
    return DatabaseCopyError(f"{name} failed: {reason}")
