"""Sealed files that no committed row owns are removed (at start-up, in the background), from
a blob store that is this database's own.

One store, one database: the store's owner marker holds the id of the database whose files it
keeps (`claim_blob_store`, at every start and before every sweep). A store whose marker names
another database — two provinces, or a test database, pointed at one HOSO_BLOB_URL prefix —
is refused, and never swept: its files would all look unowned from here.

A file is owned by a blob row that is not deleted, or by the current attempt of a pending
document (whose name is recorded with its lease before the file is written:
`PendingDocument.blob_name`).
Anything else is a crash's leftover: an attempt whose verdict never committed, or a deletion
(withdrawal, expiry) whose transaction committed but whose file removal did not run.

The store is read through its interface, a page of names at a time (a local folder's
sub-directories, or the bucket's objects under its prefix), so the sweep works on both.
The order of the reads makes this safe beside live processes: a page is listed first, then
the pending attempts are read, then the blob rows. A file listed here either belongs to an
attempt still pending at the second read, or to a blob row committed before the third; an
attempt that a newer one fenced off can never commit, so its file is garbage even if its
process is still writing it (and that process deletes it too when its verdict is refused).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from intake.documents._pending import blob_name
from storage.deps import Deps
from storage.repositories.documents import database_id, live_blob_names, pending_attempts

__all__ = ["claim_blob_store", "sweep_unowned_blobs"]

log = logging.getLogger("hoso.orphans")
_PAGE = 1000


async def claim_blob_store(deps: Deps) -> None:
    """Tie the blob store to this database: its owner marker is written when there is none;
    BlobStoreOwned (one sentence) when it names another database."""
    async with deps.database.sessions() as session:
        owner = await database_id(session)
    await asyncio.to_thread(deps.blobs.claim_for, f"hoso database {owner}")


async def _owned(deps: Deps, names: Sequence[str]) -> set[str]:
    """The pending attempts first, then the blob rows (module docstring)."""
    async with deps.database.sessions() as session:
        pending = await pending_attempts(session)
        owned = {blob_name(document_id, attempt) for document_id, attempt in pending}
        owned |= await live_blob_names(session, names)
    return owned


async def sweep_unowned_blobs(deps: Deps) -> int:
    """Remove every sealed file that no committed row owns; returns how many. BlobStoreOwned,
    and nothing removed, when the store is another database's."""
    await claim_blob_store(deps)
    removed = 0
    after: str | None = None
    while names := await asyncio.to_thread(deps.blobs.names_after, after, _PAGE):
        after = names[-1]
        owned = await _owned(deps, names)
        for name in names:
            if name not in owned and await asyncio.to_thread(deps.blobs.delete, name):
                removed += 1
    if removed:
        log.warning("sealed files no row owns were removed", extra={"count": removed})
    return removed
