"""What a backup folder holds and how it is checked.

```
OUT/manifest.json          the format, hoso's version, the schema revision, the database's
                           kind, `hoso status`'s figures at the snapshot, and every file's size
                           and SHA-256; `manifest_sha256` is the SHA-256 of the rest of it
OUT/database/hoso.db       SQLite (or hoso.pgdump: pg_dump's custom format)
OUT/blobs/ab/abcd…         the sealed files the database refers to, laid out as the blob store
```

A backup verifies when its manifest matches its own checksum and every file on disk is listed
with the size and SHA-256 written down, and nothing else is there. The checksum catches a
damaged or carelessly edited manifest; whoever rewrites the files and recomputes it cannot be
caught without a key, which a backup deliberately does not hold (the database's audit chain,
keyed, is what shows a forged history once the keys are back). Keys are never in a backup.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from intake.admin._status import Status
from storage.blobs import BlobStore

__all__ = [
    "BLOBS_DIR",
    "DATABASE_DIR",
    "FORMAT",
    "MANIFEST_FILE",
    "BackupError",
    "FileEntry",
    "Manifest",
    "SourceMissing",
    "SourceUnreadable",
    "check_listing",
    "copy_blob",
    "copy_hashed",
    "plain",
    "read_manifest",
    "sha256_of",
    "status_record",
    "write_manifest",
]

FORMAT = "hoso-backup/1"
MANIFEST_FILE = "manifest.json"
DATABASE_DIR = "database"
BLOBS_DIR = "blobs"
_CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or a restore that cannot be done; the message says why, in one sentence."""


class SourceMissing(Exception):
    """The file to copy is not there (a sealed file deleted since the snapshot, or lost)."""


class SourceUnreadable(Exception):
    """The file to copy cannot be read; the message names it and the reason."""


@dataclass(frozen=True, slots=True)
class FileEntry:
    size: int
    sha256: str  # hex


@dataclass(frozen=True)
class Manifest:
    backend: str
    created_at: str
    hoso_version: str
    schema_revision: str | None
    database_file: str  # relative to the backup folder
    database: dict[str, Any]  # the copy's details (PostgreSQL: schema, versions)
    status: dict[str, Any]  # `hoso status --json` at the snapshot
    files: dict[str, FileEntry]
    sha256: str  # the manifest's own checksum

    @property
    def blob_files(self) -> dict[str, FileEntry]:
        """The sealed files by blob name."""
        prefix = f"{BLOBS_DIR}/"
        return {p[len(prefix) :]: e for p, e in self.files.items() if p.startswith(prefix)}


def plain(value: object) -> object:
    """JSON for what `hoso status --json` prints: bytes as hex, anything else as text."""
    return value.hex() if isinstance(value, bytes) else str(value)


def _canonical(body: dict[str, Any]) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def write_manifest(folder: Path, body: dict[str, Any]) -> str:
    """Write the manifest with its checksum (durably); returns the checksum."""
    body = json.loads(json.dumps(body, default=plain))
    digest = hashlib.sha256(_canonical(body)).hexdigest()
    text = json.dumps({**body, "manifest_sha256": digest}, indent=1, ensure_ascii=False)
    fd = os.open(folder / MANIFEST_FILE, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    return digest


def read_manifest(folder: Path) -> Manifest:
    """The backup's manifest, checked against its own checksum and for its form."""
    if not folder.is_dir():
        raise BackupError(f"{folder} is not a folder: give the folder `hoso backup` made")
    path = folder / MANIFEST_FILE
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            f"{folder} holds no {MANIFEST_FILE}: it is not a hoso backup, or not a whole one"
        ) from None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not valid JSON"
        raise BackupError(f"the manifest {path} cannot be read ({reason})") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise BackupError(f"{path} is not the manifest of a hoso backup ({FORMAT})")
    claimed = data.pop("manifest_sha256", None)
    if claimed != hashlib.sha256(_canonical(data)).hexdigest():
        raise BackupError(
            f"the manifest {path} does not match its own checksum: it was changed after the "
            "backup was made (or damaged), so the backup cannot be trusted"
        )
    try:
        files = {
            str(name): FileEntry(int(entry["size"]), str(entry["sha256"]))
            for name, entry in data["files"].items()
        }
        manifest = Manifest(
            backend=str(data["backend"]),
            created_at=str(data["created_at"]),
            hoso_version=str(data["hoso_version"]),
            schema_revision=data["schema_revision"],
            database_file=str(data["database"]["file"]),
            database=dict(data["database"]),
            status=dict(data["status"]),
            files=files,
            sha256=str(claimed),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        raise BackupError(f"the manifest {path} lacks what a hoso backup's has") from None
    if manifest.database_file not in files:
        raise BackupError(f"the manifest {path} lists no database file")
    return manifest


def check_listing(folder: Path, manifest: Manifest) -> None:
    """The files in the folder are exactly those the manifest lists, with their sizes (their
    SHA-256 is checked as they are copied)."""
    found: dict[str, int] = {}
    for directory, subdirectories, names in os.walk(folder):
        here = Path(directory)
        for name in [*names, *subdirectories]:
            entry = here / name
            relative = entry.relative_to(folder).as_posix()
            if entry.is_symlink():
                raise BackupError(
                    f"the backup holds a link, {relative}: a backup holds files only"
                )
            if name in names and relative != MANIFEST_FILE:
                found[relative] = entry.stat().st_size
    missing = sorted(set(manifest.files) - set(found))
    if missing:
        raise BackupError(
            f"the backup lacks {missing[0]}"
            + (f" and {len(missing) - 1} more file(s)" if len(missing) > 1 else "")
            + ", which its manifest lists: it is incomplete"
        )
    extra = sorted(set(found) - set(manifest.files))
    if extra:
        raise BackupError(
            f"the backup holds {extra[0]}"
            + (f" and {len(extra) - 1} more file(s)" if len(extra) > 1 else "")
            + ", which its manifest does not list: it was changed after it was made"
        )
    for relative, size in sorted(found.items()):
        if manifest.files[relative].size != size:
            raise BackupError(
                f"{relative} in the backup is not the size its manifest says: the backup is "
                "damaged or was changed"
            )


def copy_hashed(source: Path, target: Path) -> FileEntry:
    """Copy a file to a new `target` (owner-only) and return its size and SHA-256. A source
    that is not there raises SourceMissing, one that cannot be read SourceUnreadable; the
    target's errors (no space, no permission) are raised as they are."""
    try:
        reader = source.open("rb")
    except FileNotFoundError:
        raise SourceMissing(str(source)) from None
    except OSError as exc:
        raise SourceUnreadable(f"{source} ({exc.strerror})") from None
    digest = hashlib.sha256()
    size = 0
    with reader:
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as writer:
            while True:
                try:
                    chunk = reader.read(_CHUNK)
                except OSError as exc:
                    raise SourceUnreadable(f"{source} ({exc.strerror})") from None
                if not chunk:
                    break
                digest.update(chunk)
                writer.write(chunk)
                size += len(chunk)
    return FileEntry(size, digest.hexdigest())


def copy_blob(source: BlobStore, name: str, target: Path) -> FileEntry:
    """Copy a sealed file, read through its store's interface (a local folder or a bucket), to
    a new `target` (owner-only) and return its size and SHA-256. A blob that is not there
    raises SourceMissing, one that cannot be read SourceUnreadable; the target's errors (no
    space, no permission) are raised as they are."""
    try:
        data = source.read(name)
    except FileNotFoundError:
        raise SourceMissing(name) from None
    except OSError as exc:
        raise SourceUnreadable(f"{name} ({exc.strerror or exc})") from None
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as writer:
        writer.write(data)
    return FileEntry(len(data), hashlib.sha256(data).hexdigest())


def sha256_of(path: Path) -> FileEntry:
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as reader:
        while chunk := reader.read(_CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return FileEntry(size, digest.hexdigest())


def status_record(status: Status) -> dict[str, Any]:
    """`hoso status --json`'s object for a Status."""
    record: dict[str, Any] = json.loads(json.dumps(dataclasses.asdict(status), default=plain))
    return record
