"""`hoso backup OUT`: a consistent copy of the database and the sealed files, while the bot runs.

The order makes it consistent without stopping anything. The database is copied first, as one
snapshot (storage/backup.py); the counts for the manifest and the list of sealed files are read
from that snapshot, not from the live database, which has moved on. Then exactly the files the
snapshot refers to are copied: sealed files are written under a new name, atomically, and never
changed, so a file the snapshot names is complete; files written after the snapshot belong to
rows it does not have and are left out (a pending document refers to none: the restored bot
fetches it again from Telegram). Each file's SHA-256 is taken as it is copied and compared with
the one its row recorded.

A file the snapshot names can vanish before it is copied when its submission is withdrawn or
purged meanwhile (its row is marked deleted, then its file removed): the backup is then made
again from a new snapshot, up to three times. A file missing while its row is still live, or
differing from its recorded checksum, means the blob store is damaged: the backup stops and says
so rather than make a copy that does not verify.

Everything is written into a hidden folder next to OUT and renamed to OUT at the end, after the
data is flushed to disk; any failure (no space, no permission, Ctrl-C) removes it. OUT must be
new, or an empty folder. Keys are never copied: not the server keys (`keys/` or the
environment), and the commune keys travel only as the database holds them, locked by their
passphrases.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import errno
import os
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from intake.admin._backup_manifest import (
    BLOBS_DIR,
    DATABASE_DIR,
    FORMAT,
    MANIFEST_FILE,
    BackupError,
    FileEntry,
    Manifest,
    SourceMissing,
    SourceUnreadable,
    copy_blob,
    read_manifest,
    sha256_of,
    status_record,
    write_manifest,
)
from intake.admin._status import collect_status
from storage.backup import DatabaseCopyError, in_thread_to_the_end, snapshot
from storage.blobs import BlobStore, LocalBlobStore
from storage.deps import Deps
from storage.repositories.backup import LiveBlob, live_blobs
from storage.repositories.documents import live_blob_names

__all__ = ["BackupMade", "make_backup"]

_ATTEMPTS = 3


@dataclass(frozen=True)
class BackupMade:
    path: Path
    manifest: Manifest
    database_bytes: int
    blob_count: int
    blob_bytes: int
    seconds: float
    attempts: int


class _DeletedMeanwhile(Exception):
    """Sealed files of the snapshot were deleted (withdrawn, purged) before they were copied."""


def hoso_version() -> str:
    try:
        return metadata.version("hoso")
    except metadata.PackageNotFoundError:
        return "unknown"


def megabytes(count: int) -> str:
    return f"{count / 1e6:.1f} MB"


async def make_backup(deps: Deps, out: Path, *, process_timeout: float) -> BackupMade:
    """Write a verified backup to the new folder `out` (module docstring); its status names a
    process silent for `process_timeout` seconds (HOSO_PROCESS_TIMEOUT) dead."""
    started = time.monotonic()
    out, staging = await asyncio.to_thread(_start, out)
    needed: list[int] = [0]
    try:
        for attempt in range(1, _ATTEMPTS + 1):
            try:
                sizes = await _write(deps, staging, needed, process_timeout)
                break
            except _DeletedMeanwhile:
                if attempt == _ATTEMPTS:
                    raise BackupError(
                        f"sealed files were deleted while the backup copied them, {_ATTEMPTS} "
                        "times in a row (submissions being withdrawn or purged): run it again "
                        "later; nothing was kept"
                    ) from None
                await asyncio.to_thread(_empty_folder, staging)
        await asyncio.to_thread(_put_in_place, staging, out)
    except OSError as exc:
        raise _cannot_write(out, exc, needed[0]) from None
    except DatabaseCopyError as exc:
        raise BackupError(f"{exc}; nothing was kept") from None
    finally:
        await asyncio.to_thread(shutil.rmtree, staging, True)
    database_bytes, blob_count, blob_bytes = sizes
    return BackupMade(
        path=out,
        manifest=read_manifest(out),
        database_bytes=database_bytes,
        blob_count=blob_count,
        blob_bytes=blob_bytes,
        seconds=time.monotonic() - started,
        attempts=attempt,
    )


def _start(out: Path) -> tuple[Path, Path]:
    """`out` made absolute, once it may be written; and the hidden folder next to it."""
    out = Path(os.path.abspath(out))
    _refuse_existing(out)
    try:
        return out, Path(tempfile.mkdtemp(prefix=f".{out.name}.partial-", dir=out.parent))
    except OSError as exc:
        raise _cannot_write(out, exc, None) from None


def _refuse_existing(out: Path) -> None:
    if not out.parent.is_dir():
        raise BackupError(
            f"the folder {out.parent} does not exist: create it first, or check the path "
            "(is the backup disk mounted?)"
        )
    if out.is_symlink() or (out.exists() and not out.is_dir()):
        raise BackupError(f"{out} exists and is not a folder: give a new folder for the backup")
    if out.is_dir() and any(out.iterdir()):
        raise BackupError(f"{out} is not empty: give a new (or empty) folder for the backup")


def _cannot_write(out: Path, error: OSError, needed: int | None) -> BackupError:
    if error.errno in (errno.ENOSPC, errno.EDQUOT):
        about = f" (it needs about {megabytes(needed)})" if needed else ""
        return BackupError(
            f"there is not enough free space in {out.parent} for the backup{about}; "
            "nothing was kept"
        )
    if error.errno in (errno.EACCES, errno.EPERM):
        return BackupError(
            f"cannot write the backup to {out}: permission denied in {out.parent}; choose a "
            "folder this user may write to (nothing was kept)"
        )
    if error.errno == errno.EROFS:
        return BackupError(
            f"cannot write the backup to {out}: {out.parent} is on a read-only file system "
            "(nothing was kept)"
        )
    return BackupError(f"cannot write the backup to {out} ({error.strerror}); nothing was kept")


async def _write(
    deps: Deps, staging: Path, needed: list[int], process_timeout: float
) -> tuple[int, int, int]:
    """One attempt: the snapshot, its sealed files, the manifest. Returns the sizes."""
    (staging / DATABASE_DIR).mkdir(mode=0o700)
    (staging / BLOBS_DIR).mkdir(mode=0o700)
    async with snapshot(deps.database, staging / DATABASE_DIR) as copy:
        status = await collect_status(
            dataclasses.replace(deps, database=copy.database), process_timeout=process_timeout
        )
        async with copy.database.sessions() as session:
            blobs = await live_blobs(session)
    blob_bytes = sum(blob.size for blob in blobs)
    needed[0] = copy.file.stat().st_size + blob_bytes
    if shutil.disk_usage(staging).free < blob_bytes:  # the database's copy is written already
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
    stop = threading.Event()
    copied, missing, damaged = await in_thread_to_the_end(
        _copy_blobs, deps.blobs, blobs, LocalBlobStore(staging / BLOBS_DIR), stop, stop=stop
    )
    if missing:
        async with deps.database.sessions() as session:
            lost = sorted(await live_blob_names(session, missing))
        if lost:
            raise BackupError(
                f"{len(lost)} sealed file(s) that the database refers to are missing from the "
                f"blob store (first: {lost[0]}): the store is damaged; nothing was kept"
            )
        raise _DeletedMeanwhile
    if damaged:
        raise BackupError(
            f"{len(damaged)} sealed file(s) in the blob store differ from the checksum "
            f"recorded when they were written (first: {damaged[0]}): the store is damaged; "
            "nothing was kept"
        )
    database = await asyncio.to_thread(sha256_of, copy.file)
    database_file = copy.file.relative_to(staging).as_posix()
    files = {database_file: database} | {f"{BLOBS_DIR}/{n}": e for n, e in copied.items()}
    write_manifest(
        staging,
        {
            "format": FORMAT,
            "hoso_version": hoso_version(),
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "backend": copy.backend,
            "schema_revision": status.schema_current,
            "database": {"file": database_file, **copy.details},
            "status": status_record(status),
            "blobs": {"count": len(copied), "bytes": sum(e.size for e in copied.values())},
            "keys_included": False,
            "files": {name: dataclasses.asdict(entry) for name, entry in sorted(files.items())},
        },
    )
    return database.size, len(copied), sum(e.size for e in copied.values())


def _copy_blobs(
    source: BlobStore, blobs: list[LiveBlob], target: LocalBlobStore, stop: threading.Event
) -> tuple[dict[str, FileEntry], list[str], list[str]]:
    """Copy the snapshot's sealed files, read through the store's interface (a local folder or
    a bucket); returns those copied, missing and damaged."""
    copied: dict[str, FileEntry] = {}
    missing: list[str] = []
    damaged: list[str] = []
    for blob in blobs:
        if stop.is_set():
            break
        destination = target.path_of(blob.name)
        destination.parent.mkdir(mode=0o700, exist_ok=True)
        try:
            entry = copy_blob(source, blob.name, destination)
        except SourceMissing:
            missing.append(blob.name)
            continue
        except SourceUnreadable as exc:
            raise BackupError(
                f"cannot read the sealed file {exc} from the blob store {source.location}: run "
                "the backup as the user that owns the data directory, or check the object "
                "store; nothing was kept"
            ) from None
        if entry.size != blob.size or entry.sha256 != blob.sha256.hex():
            damaged.append(blob.name)
        copied[blob.name] = entry
    return copied, missing, damaged


def _empty_folder(folder: Path) -> None:
    for entry in folder.iterdir():
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _put_in_place(staging: Path, out: Path) -> None:
    """Flush everything to disk, then rename the finished backup to `out`."""
    os.sync()  # every copied file on disk before the name says the backup is whole
    try:
        os.rename(staging, out)  # a new name, or an empty folder it replaces
    except OSError as exc:
        if exc.errno != errno.EBUSY:
            raise
        # an empty folder that cannot be replaced (a mount point): move the contents in,
        # the manifest last, since a folder without it is not a backup
        for entry in sorted(staging.iterdir(), key=lambda p: p.name == MANIFEST_FILE):
            os.rename(entry, out / entry.name)
        with contextlib.suppress(OSError):
            staging.rmdir()
        _fsync_directory(out)
    _fsync_directory(out.parent)
