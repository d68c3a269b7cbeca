"""The object-store blob store: sealed files as objects of an S3-compatible bucket (obstore).

Each blob is one object, `<prefix>/<name>`, put in one request (never a multipart upload): S3
makes it visible whole or not at all, so there are no temporary objects to sweep, and a put
that returned is durably stored. Failures other than "no such object" become
BlobStoreUnavailable, with a reason short enough for a log line and never a credential.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import secrets
from dataclasses import dataclass, field
from datetime import timedelta
from typing import TYPE_CHECKING, TypeVar
from urllib.parse import urlsplit

import obstore
from obstore.exceptions import AlreadyExistsError
from obstore.store import S3Store

from storage.blobs._base import (
    OWNER_MARKER,
    BlobStore,
    BlobStoreUnavailable,
    StoredBlob,
    check_name,
    is_name,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from obstore.store import ClientConfig, RetryConfig, S3Config

__all__ = ["S3_WRITE_BUDGET_SECONDS", "S3BlobSpec", "S3BlobStore", "parse_blob_url"]

_T = TypeVar("_T")

_BUCKET = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_SEGMENT = re.compile(r"^[A-Za-z0-9._-]+$")
_ERROR_CODE = re.compile(r"<Code>([A-Za-z]+)</Code>")
_HINTS = ("Connection refused", "timed out", "dns error", "certificate", "status code: 403")

# (connect, request, retries, retry window). A put ends, stored or failed, within
# S3_WRITE_BUDGET_SECONDS, which must stay well inside a document's lease
# (HOSO_DOCUMENT_LEASE_SECONDS, 30 s by default; bot/config.py refuses one not longer): the
# lease covers the fetch, the check and the commit too, and a put still running when it ends is
# fenced off by the next claim, its work wasted. So a request may take 10 s, and is tried once
# more only when it failed within 5 s (then after a backoff of at most 1 s): at most
# 5 + 1 + 10 = 16 s. Reads have the same budget. Looking up and deleting do not retry: a
# deletion that fails is left to the start-up sweep. The start-up probe: no retries, short, so
# that a wrong address is refused in seconds.
_RUN_TIMEOUTS = (timedelta(seconds=5), timedelta(seconds=10), 1, timedelta(seconds=5))
_QUICK_TIMEOUTS = (timedelta(seconds=2), timedelta(seconds=10), 0, timedelta(seconds=2))
_PROBE_TIMEOUTS = (timedelta(seconds=3), timedelta(seconds=5), 0, timedelta(seconds=5))
_MAX_BACKOFF = timedelta(seconds=1)
S3_WRITE_BUDGET_SECONDS = (_RUN_TIMEOUTS[3] + _MAX_BACKOFF + _RUN_TIMEOUTS[1]).total_seconds()


def parse_blob_url(url: str) -> tuple[str, str]:
    """`s3://bucket/prefix` as (bucket, prefix without slashes at its ends); ValueError says
    what is wrong."""
    parts = urlsplit(url)
    if parts.scheme != "s3":
        raise ValueError("must be s3://bucket/prefix (the local folder needs no setting)")
    if parts.username or parts.password or parts.port or parts.query or parts.fragment:
        raise ValueError("must be s3://bucket/prefix, without credentials, port or query")
    bucket = parts.netloc  # not `hostname`, which would lower-case it
    if not _BUCKET.fullmatch(bucket) or ".." in bucket:
        raise ValueError("must name a bucket: 3-63 lower-case letters, digits, dots, hyphens")
    prefix = parts.path.strip("/")
    segments = prefix.split("/") if prefix else []
    if any(not _SEGMENT.fullmatch(s) or s in {".", ".."} for s in segments):
        raise ValueError("the prefix may hold only letters, digits, '.', '_', '-' and '/'")
    return bucket, prefix


@dataclass(frozen=True, slots=True)
class S3BlobSpec:
    """A bucket and a prefix in it, where, and the credentials (left out of the repr)."""

    bucket: str
    prefix: str = ""
    endpoint: str | None = None  # None: AWS itself
    region: str = "us-east-1"
    access_key_id: str | None = field(default=None, repr=False)
    secret_access_key: str | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"s3://{self.bucket}/{self.prefix}" if self.prefix else f"s3://{self.bucket}"

    def open(self) -> S3BlobStore:
        return S3BlobStore(self)


class S3BlobStore(BlobStore):
    """Objects under one prefix of one bucket."""

    def __init__(self, spec: S3BlobSpec) -> None:
        self._spec = spec
        self._store = _client(spec, *_RUN_TIMEOUTS)
        self._quick = _client(spec, *_QUICK_TIMEOUTS)

    @property
    def location(self) -> str:
        where = f" at {self._spec.endpoint}" if self._spec.endpoint else ""
        return f"{self._spec.url}{where}"

    @property
    def spec(self) -> S3BlobSpec:
        return self._spec

    def write(self, data: bytes, name: str | None = None) -> StoredBlob:
        name = check_name(self.new_name() if name is None else name)
        self._call(
            "store", name, lambda: obstore.put(self._store, name, data, use_multipart=False)
        )
        return StoredBlob(name=name, size=len(data), sha256=hashlib.sha256(data).digest())

    def read(self, name: str) -> bytes:
        check_name(name)
        return self._call("read", name, lambda: bytes(obstore.get(self._store, name).bytes()))

    def delete(self, name: str) -> bool:
        if not self.exists(name):  # S3 deletes silently what is not there
            return False
        self._call("delete", name, lambda: obstore.delete(self._quick, name))
        return True

    def exists(self, name: str) -> bool:
        check_name(name)
        try:
            self._call("look up", name, lambda: obstore.head(self._quick, name))
        except FileNotFoundError:
            return False
        return True

    def names_after(self, after: str | None = None, limit: int = 1000) -> list[str]:
        def page() -> list[str]:
            names: list[str] = []
            for chunk in obstore.list(self._store, offset=after, chunk_size=min(limit, 1000)):
                names.extend(meta["path"] for meta in chunk if is_name(meta["path"]))
                if len(names) >= limit:
                    break
            return names[:limit]

        return self._call("list", "the prefix", page)

    def probe(self) -> None:
        client = _client(self._spec, *_PROBE_TIMEOUTS)
        name = f".probe-{secrets.token_hex(8)}"  # no blob name: the sweeps never see it
        try:
            obstore.put(client, name, b"hoso", use_multipart=False)
            found = bytes(obstore.get(client, name).bytes())
            obstore.delete(client, name)
        except Exception as exc:
            reason = _reason(exc)
            if reason == "NoSuchBucket":
                problem = f"the bucket {self._spec.bucket} does not exist"
            else:
                problem = f"it cannot be written, read back and deleted ({reason})"
            raise BlobStoreUnavailable(
                f"the blob store {self.location} cannot be used: {problem}; check "
                "HOSO_BLOB_URL, HOSO_S3_ENDPOINT and the HOSO_S3_* credentials"
            ) from None
        if found != b"hoso":
            raise BlobStoreUnavailable(f"the blob store {self.location} did not read back a put")

    @property
    def owner_place(self) -> str:
        return self._spec.url

    @property
    def owner_advice(self) -> str:
        return "prefix"

    def _read_owner(self) -> bytes | None:
        try:
            return self._call(
                "read", OWNER_MARKER, lambda: bytes(obstore.get(self._store, OWNER_MARKER).bytes())
            )
        except FileNotFoundError:
            return None

    def _create_owner(self, data: bytes) -> None:
        def create() -> None:
            with contextlib.suppress(AlreadyExistsError):  # made by another process first
                obstore.put(self._store, OWNER_MARKER, data, mode="create", use_multipart=False)

        self._call("write", OWNER_MARKER, create)

    def _call(self, what: str, name: str, action: Callable[[], _T]) -> _T:
        try:
            return action()
        except FileNotFoundError:
            raise FileNotFoundError(f"no blob {name} in {self._spec.url}") from None
        except Exception as exc:
            raise BlobStoreUnavailable(
                f"could not {what} {name} in {self.location} ({_reason(exc)})"
            ) from None


def _client(
    spec: S3BlobSpec, connect: timedelta, timeout: timedelta, retries: int, patience: timedelta
) -> S3Store:
    config: S3Config = {"region": spec.region}
    if spec.endpoint is not None:
        config["endpoint"] = spec.endpoint
    # both or neither (bot/config.py refuses one alone); neither: obstore looks for them where
    # AWS's own tools do (the environment, an instance role)
    if spec.access_key_id is not None and spec.secret_access_key is not None:
        config["access_key_id"] = spec.access_key_id
        config["secret_access_key"] = spec.secret_access_key
    options: ClientConfig = {
        "allow_http": (spec.endpoint or "").startswith("http://"),
        "connect_timeout": connect,
        "timeout": timeout,
    }
    retry: RetryConfig = {
        "max_retries": retries,
        "retry_timeout": patience,
        "backoff": {"init_backoff": timedelta(milliseconds=100), "max_backoff": _MAX_BACKOFF},
    }
    return S3Store(
        spec.bucket,
        prefix=spec.prefix or None,
        config=config,
        client_options=options,
        retry_config=retry,
    )


def _reason(exc: BaseException) -> str:
    """A few words on why a request failed: S3's error code, or the network's complaint."""
    text = str(exc)
    code = _ERROR_CODE.search(text)
    if code is not None:
        return code.group(1)
    for hint in _HINTS:
        if hint.lower() in text.lower():
            return hint
    return type(exc).__name__
