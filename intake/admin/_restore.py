"""`hoso restore BACKUP`: a verified backup into an empty data directory (and database).

Nothing is written before the backup is known to verify as far as can be told without reading
it all: its manifest matches its own checksum, the files on disk are exactly those it lists,
with their sizes, and its schema revision is one this code knows (a backup made by a newer hoso
is refused). The target must be empty: the data directory (keys go back only after the
restore), and the database — a SQLite file that does not exist yet, or on PostgreSQL the
target's schema without any relation in it.

The files are then copied into a hidden folder next to the data directory, each one's SHA-256
compared with the manifest's as it is copied; the database is loaded from the copy (SQLite: the
file itself; PostgreSQL: `pg_restore`, storage/restore.py) and checked against the files: every
sealed file it refers to is there with the checksum it recorded, and no other. Only then are
they moved into place. Any failure undoes what was written and says why in one sentence.

The sealed files go into the local blob store (`<data dir>/blobs/`) only: a restore into an
object store (`HOSO_BLOB_URL`) is not supported, and the command refuses to run with it set.
(A backup can be made from either store.)

The restored database keeps what the snapshot had, including the `process` rows of the bots
that were running: the first bot started on it reaps them and takes over their leases. Its
field values, blind index and audit chain need the server keys the backup does not hold; the
command that calls this says where they go.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from intake.admin._backup_manifest import (
    BLOBS_DIR,
    BackupError,
    Manifest,
    SourceMissing,
    SourceUnreadable,
    check_listing,
    copy_hashed,
    read_manifest,
)
from storage.backup import DatabaseCopyError, in_thread_to_the_end
from storage.blobs import LocalBlobStore
from storage.db import Database
from storage.repositories.backup import live_blobs
from storage.restore import RestoreTarget, known_revisions, open_restore_target

__all__ = ["Restored", "restore_backup", "verify_backup"]


@dataclass(frozen=True)
class Restored:
    manifest: Manifest
    data_dir: Path
    database: str  # where the database went, in words
    blob_count: int
    seconds: float


def verify_backup(source: Path) -> Manifest:
    """The backup's manifest, once it and the folder's listing verify (no file is read)."""
    manifest = read_manifest(source)
    try:
        check_listing(source, manifest)
    except OSError as exc:
        raise BackupError(f"cannot read the backup {source} ({exc.strerror})") from None
    if manifest.schema_revision is not None and manifest.schema_revision not in known_revisions():
        raise BackupError(
            f"the backup was made by a newer hoso ({manifest.hoso_version}, schema "
            f"{manifest.schema_revision}): restore it with that version or a newer one"
        )
    return manifest


async def restore_backup(source: Path, *, data_dir: Path, database_url: str) -> Restored:
    """Restore the backup in `source` into the empty `data_dir` and database (docstring)."""
    started = time.monotonic()
    manifest = await asyncio.to_thread(verify_backup, source)
    data_dir = await asyncio.to_thread(_refuse_non_empty, data_dir)
    target = open_restore_target(database_url)
    try:
        if target.backend != manifest.backend:
            raise BackupError(
                f"this is a backup of a {manifest.backend} database and the configured "
                f"database is {target.backend}: restore it into a {manifest.backend} database"
            )
        await target.check_empty()
        await _restore(source, manifest, data_dir, target)
        where = target.describe()
    except DatabaseCopyError as exc:  # TargetNotEmpty among them
        raise BackupError(f"{exc}; nothing was restored") from None
    finally:
        await target.close()
    return Restored(
        manifest=manifest,
        data_dir=data_dir,
        database=where,
        blob_count=len(manifest.blob_files),
        seconds=time.monotonic() - started,
    )


def _refuse_non_empty(data_dir: Path) -> Path:
    """`data_dir` made absolute, once it is known to be empty (or not to exist)."""
    data_dir = Path(os.path.abspath(data_dir))
    if data_dir.is_symlink() or (data_dir.exists() and not data_dir.is_dir()):
        raise BackupError(f"the data directory {data_dir} exists and is not a folder")
    if not data_dir.parent.is_dir():
        raise BackupError(f"the folder {data_dir.parent} does not exist: create it first")
    if data_dir.is_dir():
        held = sorted(entry.name for entry in data_dir.iterdir())
        if held:
            raise BackupError(
                f"the data directory {data_dir} is not empty (it holds {', '.join(held[:3])}"
                f"{', …' if len(held) > 3 else ''}): restore only into an empty data directory;"
                " the keys go back after the restore"
            )
    return data_dir


def _cannot_write(data_dir: Path, error: OSError, needed: int) -> BackupError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        return BackupError(
            f"there is not enough free space in {data_dir.parent} for the restore (it needs "
            f"about {needed / 1e6:.1f} MB); nothing was restored"
        )
    if error.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return BackupError(
            f"cannot write to {data_dir.parent} ({error.strerror}): restore as a user who may "
            "write there; nothing was restored"
        )
    return BackupError(f"cannot restore into {data_dir} ({error.strerror}); nothing was restored")


async def _restore(
    source: Path, manifest: Manifest, data_dir: Path, target: RestoreTarget
) -> None:
    needed = sum(entry.size for entry in manifest.files.values())
    created = not await asyncio.to_thread(data_dir.exists)
    try:
        staging = await asyncio.to_thread(_staging_for, data_dir)
    except OSError as exc:
        raise _cannot_write(data_dir, exc, needed) from None
    moved = False
    try:
        stop = threading.Event()
        await in_thread_to_the_end(_copy_verified, source, manifest, staging, stop, stop=stop)
        database = await target.load(staging / manifest.database_file, manifest.database)
        try:
            await _check_database(database, manifest)
            await asyncio.to_thread(_move_blobs, staging, data_dir)
            moved = True
            await target.commit()
        except BaseException:
            await target.undo()
            raise
    except OSError as exc:
        _take_back(data_dir, created=created, moved=moved)
        raise _cannot_write(data_dir, exc, needed) from None
    except BaseException:
        _take_back(data_dir, created=created, moved=moved)
        raise
    finally:
        await asyncio.to_thread(shutil.rmtree, staging, True)


def _staging_for(data_dir: Path) -> Path:
    return Path(tempfile.mkdtemp(prefix=f".{data_dir.name}.restore-", dir=data_dir.parent))


def _move_blobs(staging: Path, data_dir: Path) -> None:
    data_dir.mkdir(mode=0o700, exist_ok=True)
    os.rename(staging / BLOBS_DIR, data_dir / BLOBS_DIR)


def _take_back(data_dir: Path, *, created: bool, moved: bool) -> None:
    """Undo the move of the sealed files into the data directory."""
    if moved:
        shutil.rmtree(data_dir / BLOBS_DIR, ignore_errors=True)
    if created:
        with contextlib.suppress(OSError):
            data_dir.rmdir()


def _copy_verified(source: Path, manifest: Manifest, staging: Path, stop: threading.Event) -> None:
    """Copy every file into `staging`, each one's SHA-256 compared with the manifest's."""
    store = LocalBlobStore(staging / BLOBS_DIR)
    for relative, expected in sorted(manifest.files.items()):
        if stop.is_set():
            return
        if relative == manifest.database_file:
            target = staging / relative
            target.parent.mkdir(mode=0o700, exist_ok=True)
        else:
            target = store.path_of(relative.removeprefix(f"{BLOBS_DIR}/"))
            target.parent.mkdir(mode=0o700, exist_ok=True)
        try:
            found = copy_hashed(source / relative, target)
        except (SourceMissing, SourceUnreadable) as exc:
            raise BackupError(f"cannot read {relative} of the backup ({exc})") from None
        if found != expected:
            raise BackupError(
                f"{relative} in the backup does not match its manifest's SHA-256: the backup "
                "is damaged or was changed; nothing was restored"
            )


async def _check_database(database: Database, manifest: Manifest) -> None:
    """The restored database and the sealed files agree, at the manifest's schema."""
    current, _ = await database.schema_revision()
    if current != manifest.schema_revision:
        raise BackupError(
            f"the backup's database is at schema {current}, its manifest says "
            f"{manifest.schema_revision}: the backup was changed; nothing was restored"
        )
    async with database.sessions() as session:
        rows = {blob.name: blob for blob in await live_blobs(session)}
    files = manifest.blob_files
    missing = sorted(set(rows) - set(files))
    if missing:
        raise BackupError(
            f"the backup's database refers to {len(missing)} sealed file(s) the backup does "
            f"not hold (first: {missing[0]}): it is incomplete; nothing was restored"
        )
    extra = sorted(set(files) - set(rows))
    if extra:
        raise BackupError(
            f"the backup holds {len(extra)} sealed file(s) its database does not refer to "
            f"(first: {extra[0]}): it was changed; nothing was restored"
        )
    for name, row in sorted(rows.items()):
        if files[name].sha256 != row.sha256.hex() or files[name].size != row.size:
            raise BackupError(
                f"the sealed file {name} differs from the one its database recorded: the "
                "backup was changed; nothing was restored"
            )
