"""What every blob store shares: the generated names, the stored blob, the errors, the API."""

from __future__ import annotations

import abc
import base64
import hashlib
import re
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable

    from storage.blobs import BlobSpec

__all__ = [
    "OWNER_MARKER",
    "BlobPathError",
    "BlobStore",
    "BlobStoreOwned",
    "BlobStoreUnavailable",
    "StoredBlob",
    "check_name",
    "is_name",
]

_NAME = re.compile(r"^[a-z2-7]{2}/[a-z2-7]{32}$")
OWNER_MARKER = ".owner"  # in the store's root (the folder, the prefix): no blob name


class BlobPathError(ValueError):
    """A blob name that is malformed or would lead outside the store."""


class BlobStoreUnavailable(OSError):
    """The store cannot be used now: an object store unreachable or refusing, no such bucket, a
    local disk full, failing or read-only. The message is one sentence without credentials.
    The pipeline waits it out without counting it against the document."""


class BlobStoreOwned(Exception):
    """The store's owner marker names another database: its files are not this database's
    to sweep, nor its place to write. The message is one sentence."""


@dataclass(frozen=True, slots=True)
class StoredBlob:
    name: str
    size: int
    sha256: bytes


def is_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def check_name(name: str) -> str:
    """`name` if it is one the store generates (`ab/` and 32 base32 letters), else
    BlobPathError."""
    if not is_name(name):
        raise BlobPathError("malformed blob name")
    return name


def _name_from(random_or_derived: bytes) -> str:
    body = base64.b32encode(random_or_derived).decode().lower()  # 20 bytes: 32 characters
    return f"{body[:2]}/{body}"


class BlobStore(abc.ABC):
    """Sealed files under generated names like `ab/abcdefghijklmnopqrstuvwxyz234567`."""

    @staticmethod
    def new_name() -> str:
        return _name_from(secrets.token_bytes(20))

    @staticmethod
    def derived_name(seed: bytes) -> str:
        """The name for `seed` (a document's id and attempt): always the same, so that it can
        be recorded before its file exists, and a file no row owns can be recognised."""
        return _name_from(hashlib.sha256(b"hoso blob name\0" + seed).digest()[:20])

    @property
    @abc.abstractmethod
    def location(self) -> str:
        """Where the store is, for people (`hoso status`); never credentials."""

    @property
    @abc.abstractmethod
    def spec(self) -> BlobSpec:
        """A small picklable description from which another process opens the same store."""

    @abc.abstractmethod
    def write(self, data: bytes, name: str | None = None) -> StoredBlob:
        """Store `data` under a new name (or `name`, made by `new_name`), durably and
        atomically: readers see all of it or nothing."""

    @abc.abstractmethod
    def read(self, name: str) -> bytes:
        """The blob's bytes; FileNotFoundError when there is none by that name."""

    @abc.abstractmethod
    def delete(self, name: str) -> bool:
        """Remove a blob; False if it was already gone."""

    def delete_each(self, names: Iterable[str]) -> int:
        """Delete every blob of `names`, going on past those that fail (an unreachable store,
        a disk error, a malformed name); returns how many failed, which the start-up sweep
        removes later. Blocking: call it in a thread."""
        failed = 0
        for name in names:
            try:
                self.delete(name)
            except (OSError, BlobPathError):
                failed += 1
        return failed

    @abc.abstractmethod
    def exists(self, name: str) -> bool: ...

    @abc.abstractmethod
    def names_after(self, after: str | None = None, limit: int = 1000) -> list[str]:
        """Up to `limit` blob names greater than `after`, in order (for the sweeps)."""

    @abc.abstractmethod
    def probe(self) -> None:
        """Prove the store can be written, read and deleted from (a small object of its own,
        which is no blob); BlobStoreUnavailable says why not, in one sentence."""

    def claim_for(self, owner: str) -> None:
        """Tie the store to one database: its owner marker (`.owner`, no blob) is written with
        `owner` when there is none; BlobStoreOwned when it names another owner. Blocking."""
        found = self._read_owner()
        if found is None:
            self._create_owner(f"{owner}\n".encode())
            found = self._read_owner()  # another process may have made it first
        if found is None or found.decode(errors="replace").strip() != owner:
            raise BlobStoreOwned(
                f"{self.owner_place} belongs to another hoso database: give each database "
                f"its own {self.owner_advice}"
            )

    @property
    @abc.abstractmethod
    def owner_place(self) -> str:
        """The store as the owner check names it, e.g. `s3://bucket/prefix`."""

    @property
    @abc.abstractmethod
    def owner_advice(self) -> str:
        """What each database needs its own of (a prefix, a data directory)."""

    @abc.abstractmethod
    def _read_owner(self) -> bytes | None:
        """The owner marker's bytes; None when there is none."""

    @abc.abstractmethod
    def _create_owner(self, data: bytes) -> None:
        """Write the owner marker unless one exists already (never replacing it)."""

    def sweep_temporary(self, older_than: float = 0.0) -> int:
        """Delete what interrupted writes left, last written more than `older_than` seconds
        ago; returns how many. Nothing to do where a write is atomic by itself."""
        del older_than
        return 0

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.location!r})"
