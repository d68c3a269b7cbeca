"""The local blob store: sealed files in a folder of the data directory (the embedded default).

Names spread over 256 sub-directories, and every path is resolved and proven to stay inside the
root before it is used, so neither a crafted name (`..`, an absolute path) nor a symlink planted
in the store can lead outside it. Writes are atomic: a temp file in the same directory, fsync,
rename, directory fsync; a crash leaves at most a `.tmp-*` file that readers never see and
`sweep_temporary()` removes.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from storage.blobs._base import (
    OWNER_MARKER,
    BlobPathError,
    BlobStore,
    BlobStoreUnavailable,
    StoredBlob,
    check_name,
    is_name,
)

__all__ = ["LocalBlobSpec", "LocalBlobStore"]

_DIRECTORY = re.compile(r"^[a-z2-7]{2}$")
_TMP_PREFIX = ".tmp-"
# a full, failing or read-only disk: BlobStoreUnavailable, which documents wait out
_DISK_TROUBLE = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EROFS})


@dataclass(frozen=True, slots=True)
class LocalBlobSpec:
    """A local store, by its root folder."""

    root: str

    def open(self) -> LocalBlobStore:
        return LocalBlobStore(Path(self.root))


class LocalBlobStore(BlobStore):
    """Files under one root directory."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.root = root.resolve(strict=True)

    @property
    def location(self) -> str:
        return f"local folder {self.root}"

    @property
    def spec(self) -> LocalBlobSpec:
        return LocalBlobSpec(str(self.root))

    def directories(self) -> list[str]:
        """The store's sub-directories (`ab`), sorted."""
        return sorted(p.name for p in self.root.iterdir() if _DIRECTORY.fullmatch(p.name))

    def names_in(self, directory: str) -> list[str]:
        """The names of the blobs in one sub-directory (temp files left out), sorted."""
        if not _DIRECTORY.fullmatch(directory):
            raise BlobPathError("malformed blob directory")
        names = []
        with contextlib.suppress(FileNotFoundError):
            for entry in os.scandir(self.root / directory):
                name = f"{directory}/{entry.name}"
                if is_name(name) and entry.is_file(follow_symlinks=False):
                    names.append(name)
        return sorted(names)

    def names_after(self, after: str | None = None, limit: int = 1000) -> list[str]:
        names: list[str] = []
        for directory in self.directories():
            if after is not None and directory < after[:2]:
                continue
            for name in self.names_in(directory):
                if after is not None and name <= after:
                    continue
                names.append(name)
                if len(names) >= limit:
                    return names
        return names

    def path_of(self, name: str) -> Path:
        """The file for `name`, proven to stay inside the root (symlinks resolved)."""
        candidate = (self.root / check_name(name)).resolve(strict=False)
        if not candidate.is_relative_to(self.root) or candidate == self.root:
            raise BlobPathError("blob path leaves the store")
        parent = candidate.parent
        if parent.exists() and (
            parent.is_symlink() or not parent.resolve().is_relative_to(self.root)
        ):
            raise BlobPathError("blob path leaves the store")
        return candidate

    def write(self, data: bytes, name: str | None = None) -> StoredBlob:
        name = self.new_name() if name is None else name
        path = self.path_of(name)
        try:
            self._write(path, data)
        except OSError as exc:
            if exc.errno in _DISK_TROUBLE:  # the disk's state, not the document's
                raise BlobStoreUnavailable(
                    f"could not store {name} in {self.location} ({exc.strerror})"
                ) from exc
            raise
        return StoredBlob(name=name, size=len(data), sha256=hashlib.sha256(data).digest())

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        tmp = path.parent / f"{_TMP_PREFIX}{secrets.token_hex(8)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
            raise
        _fsync_directory(path.parent)

    def read(self, name: str) -> bytes:
        path = self.path_of(name)
        if path.is_symlink():
            raise BlobPathError("blob path leaves the store")
        return path.read_bytes()

    def delete(self, name: str) -> bool:
        path = self.path_of(name)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        _fsync_directory(path.parent)
        return True

    def exists(self, name: str) -> bool:
        return self.path_of(name).is_file()

    def probe(self) -> None:
        probe = self.root / f".probe-{secrets.token_hex(4)}"
        try:
            probe.write_bytes(b"hoso")
            found = probe.read_bytes()
            probe.unlink()
        except OSError as exc:
            raise BlobStoreUnavailable(
                f"the blob store {self.root} cannot be written ({exc.strerror}): check "
                "HOSO_DATA_DIR and that this user owns it"
            ) from None
        if found != b"hoso":
            raise BlobStoreUnavailable(f"the blob store {self.root} did not read back a write")

    @property
    def owner_place(self) -> str:
        return f"the blob folder {self.root}"

    @property
    def owner_advice(self) -> str:
        return "data directory (HOSO_DATA_DIR)"

    def _read_owner(self) -> bytes | None:
        try:
            return (self.root / OWNER_MARKER).read_bytes()
        except FileNotFoundError:
            return None

    def _create_owner(self, data: bytes) -> None:
        tmp = self.root / f"{_TMP_PREFIX}{secrets.token_hex(8)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.link(tmp, self.root / OWNER_MARKER)  # whole, and never over another's
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
        _fsync_directory(self.root)

    def sweep_temporary(self, older_than: float = 0.0) -> int:
        """Delete temp files left by interrupted writes, those last written more than
        `older_than` seconds ago (another process may be writing the newer ones); returns how
        many."""
        removed = 0
        cutoff = time.time() - older_than
        for tmp in self.root.glob(f"*/{_TMP_PREFIX}*"):
            with contextlib.suppress(FileNotFoundError):
                if tmp.stat().st_mtime <= cutoff:
                    tmp.unlink()
                    removed += 1
        return removed


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
