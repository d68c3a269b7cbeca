"""The blob store: sealed files under generated names, in a local folder or an S3 bucket.

One interface (`BlobStore`), two implementations chosen by configuration (bot/wiring.py):

- `LocalBlobStore`, the embedded default: files under `<data dir>/blobs/`, each path proven to
  stay inside the folder, written atomically (temp file, fsync, rename, directory fsync).
- `S3BlobStore`, when `HOSO_BLOB_URL=s3://bucket/prefix`: objects `<prefix>/<name>` of an
  S3-compatible bucket (AWS, MinIO, Garage, …), through obstore, a well-kept client that signs
  its own requests (no hand-made signing). A put is one request, atomic in S3: no temporary
  objects. Several bot processes on several machines can share it, which a local folder cannot.

Names are generated here (never taken from a user): `ab/` and 32 base32 letters, the same in
both stores; every name is checked before it is used, so a crafted one cannot reach another
object or file. The worker processes that seal photos open the same store from its `spec`, a
small picklable value (the credentials ride along in it, to a process of the same user, and
are left out of its repr).

A store that cannot be used now — a bucket that cannot be reached, a local disk that is full,
failing or read-only — raises `BlobStoreUnavailable` (an OSError): the document pipeline keeps
the document pending and tries it again later, for as long as that lasts, without counting it
toward giving the document up. Any other failure (another OSError included) counts: after five
the resident is asked to send the document again. A store that cannot be used at start-up is
refused then, in one sentence (`probe`).

One store, one database: an owner marker (`.owner`, no blob name) in the store's root holds the
id of the database whose files it keeps (`BlobStore.claim_for`; intake/documents/orphans.py),
so that a database never sweeps another's files as its own.
"""

from __future__ import annotations

from storage.blobs._base import (
    OWNER_MARKER,
    BlobPathError,
    BlobStore,
    BlobStoreOwned,
    BlobStoreUnavailable,
    StoredBlob,
    check_name,
)
from storage.blobs._local import LocalBlobSpec, LocalBlobStore
from storage.blobs._s3 import S3_WRITE_BUDGET_SECONDS, S3BlobSpec, S3BlobStore, parse_blob_url

__all__ = [
    "OWNER_MARKER",
    "S3_WRITE_BUDGET_SECONDS",
    "BlobPathError",
    "BlobSpec",
    "BlobStore",
    "BlobStoreOwned",
    "BlobStoreUnavailable",
    "LocalBlobSpec",
    "LocalBlobStore",
    "S3BlobSpec",
    "S3BlobStore",
    "StoredBlob",
    "check_name",
    "parse_blob_url",
]

BlobSpec = LocalBlobSpec | S3BlobSpec
