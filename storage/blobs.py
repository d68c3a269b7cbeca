"""The blob store: sealed files under generated names in the data directory.

Names are generated here (never taken from a user), spread over 256 sub-directories, and every
path is resolved and proven to stay inside the root before it is used, so neither a crafted name
(`..`, an absolute path) nor a symlink planted in the store can lead outside it. Writes are atomic:
a temp file in the same directory, fsync, rename, directory fsync; a crash leaves at most a
`.tmp-*` file that readers never see and `sweep_temporary()` removes.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["BlobPathError", "BlobStore", "StoredBlob"]

_NAME = re.compile(r"^[a-z2-7]{2}/[a-z2-7]{32}$")
_DIRECTORY = re.compile(r"^[a-z2-7]{2}$")
_TMP_PREFIX = ".tmp-"


class BlobPathError(ValueError):
    """A blob name that is malformed or would lead outside the store."""


@dataclass(frozen=True, slots=True)
class StoredBlob:
    name: str
    size: int
    sha256: bytes


class BlobStore:
    """Files under one root directory; names look like `ab/abcdefghijklmnopqrstuvwxyz234567`."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True, mode=0o700)
        self.root = root.resolve(strict=True)

    def __repr__(self) -> str:
        return f"BlobStore({str(self.root)!r})"

    @staticmethod
    def new_name() -> str:
        return _name_from(secrets.token_bytes(20))

    @staticmethod
    def derived_name(seed: bytes) -> str:
        """The name for `seed` (a document's id and attempt): always the same, so that it can
        be recorded before its file exists, and a file no row owns can be recognised."""
        return _name_from(hashlib.sha256(b"hoso blob name\0" + seed).digest()[:20])

    def directories(self) -> list[str]:
        """The store's sub-directories (`ab`), sorted."""
        return sorted(p.name for p in self.root.iterdir() if _DIRECTORY.fullmatch(p.name))

    def names_in(self, directory: str) -> list[str]:
        """The names of the blobs in one sub-directory (temp files left out)."""
        if not _DIRECTORY.fullmatch(directory):
            raise BlobPathError("malformed blob directory")
        names = []
        with contextlib.suppress(FileNotFoundError):
            for entry in os.scandir(self.root / directory):
                name = f"{directory}/{entry.name}"
                if _NAME.fullmatch(name) and entry.is_file(follow_symlinks=False):
                    names.append(name)
        return names

    def path_of(self, name: str) -> Path:
        """The file for `name`, proven to stay inside the root (symlinks resolved)."""
        if not _NAME.fullmatch(name):
            raise BlobPathError("malformed blob name")
        candidate = (self.root / name).resolve(strict=False)
        if not candidate.is_relative_to(self.root) or candidate == self.root:
            raise BlobPathError("blob path leaves the store")
        parent = candidate.parent
        if parent.exists() and (
            parent.is_symlink() or not parent.resolve().is_relative_to(self.root)
        ):
            raise BlobPathError("blob path leaves the store")
        return candidate

    def write(self, data: bytes, name: str | None = None) -> StoredBlob:
        """Store `data` under a new name (or `name`, made by `new_name`), durably and
        atomically."""
        name = self.new_name() if name is None else name
        path = self.path_of(name)
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
        return StoredBlob(name=name, size=len(data), sha256=hashlib.sha256(data).digest())

    def read(self, name: str) -> bytes:
        path = self.path_of(name)
        if path.is_symlink():
            raise BlobPathError("blob path leaves the store")
        return path.read_bytes()

    def delete(self, name: str) -> bool:
        """Remove a blob; False if it was already gone."""
        path = self.path_of(name)
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        _fsync_directory(path.parent)
        return True

    def exists(self, name: str) -> bool:
        return self.path_of(name).is_file()

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


def _name_from(random_or_derived: bytes) -> str:
    body = base64.b32encode(random_or_derived).decode().lower()  # 20 bytes: 32 characters
    return f"{body[:2]}/{body}"


def _fsync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
