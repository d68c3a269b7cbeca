"""The ingest pipeline: pending document → fetch → check → strip → seal → store → verdict.

Durable first, then fast. A pending document row commits with the step that received it; a
worker claims it with a short lease (so another process, or this one after a crash, takes it up
again), fetches the bytes, checks, strips, seals and writes them atomically as a blob in the
executor it is given (worker processes in the bot: bot/photo_processes.py; the blob's name is
chosen here, so that a file whose result never arrives is deleted all the same), and then — in
one transaction — marks the document stored (unless someone else already did: it is sealed
exactly once) and feeds the verdict back into the resident's conversation as a
`DocumentChecked` event.
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine
from concurrent.futures import Executor, ThreadPoolExecutor
from datetime import timedelta
from typing import Any, Protocol, cast

from sqlalchemy import Table, bindparam, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crypto import CommuneRecipients
from intake.deps import Deps
from intake.directory import DirectoryCache
from intake.events import Actor, DocumentChecked
from intake.flow import Directory
from intake.flow.slots import QR_SLOTS, Slot
from intake.keys import recipients_for_commune
from intake.pending import PendingDocument
from intake.photos import DocumentRefused, PhotoCheck, QrStatus
from intake.residents import STALE_ATTEMPTS, Outcome, ResidentDesk, stale_pause
from intake.sealing import SealedDocument, check_seal_and_store
from intake.workers import idle
from storage.blobs import BlobStore
from storage.db import is_conflict
from storage.models import Blob, Document, utcnow
from storage.states import DocumentStatus

__all__ = ["DocumentPipeline", "FileSource", "FileUnavailable"]

log = logging.getLogger("hoso.documents")
# A verdict's writes, built once (every photo runs them) and run as plain statements, not
# through the ORM's unit of work (which cost twice as much). The settle is conditional on the
# row still being pending: on PostgreSQL the UPDATE locks it and re-checks the condition after
# a concurrent settle, so a document is settled exactly once without a separate locking read.
_DOCUMENTS = cast(Table, Document.__table__)
_SETTLE = (
    update(_DOCUMENTS)
    .where(_DOCUMENTS.c.id == bindparam("document_id"))
    .where(_DOCUMENTS.c.status == DocumentStatus.PENDING)
    .values(
        status=bindparam("status"),
        blob_id=bindparam("blob_id"),
        stored_at=bindparam("stored_at"),
        content_type=bindparam("content_type"),
        metrics=bindparam("metrics"),
        issues=bindparam("issues"),
        last_error=bindparam("last_error"),
    )
    .returning(_DOCUMENTS.c.draft_id, _DOCUMENTS.c.submission_id)
)
_ADD_BLOB = insert(cast(Table, Blob.__table__))


class _SettledElsewhere(Exception):
    """The document was no longer pending: its verdict's transaction is rolled back."""


@functools.cache
def _threads() -> Executor:
    """The photo work's threads when no processes are given (tests, tools): one pool for all."""
    return ThreadPoolExecutor(thread_name_prefix="hoso-photos")


MAX_ATTEMPTS = 5
UNAVAILABLE = "unavailable"


class FileUnavailable(Exception):
    """The file could not be fetched; `permanent` when retrying cannot help (too big, gone)."""

    def __init__(self, reason: str, *, permanent: bool) -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent


class FileSource(Protocol):
    """Where uploads come from (Telegram's getFile and download, in `handlers`)."""

    async def fetch(self, file_id: str, *, max_bytes: int) -> bytes: ...


class DocumentPipeline:
    """Claims pending documents and carries each through to a verdict."""

    def __init__(
        self,
        deps: Deps,
        files: FileSource,
        desk: ResidentDesk,
        directory: DirectoryCache,
        *,
        deliver: Callable[[int, Outcome], Awaitable[None]],
        forget_message: Callable[[int, int], Awaitable[None]] | None = None,
        executor: Executor | None = None,
        concurrency: int = 8,
        lease: timedelta = timedelta(seconds=30),
        max_bytes: int = 20 * 1024 * 1024,
    ) -> None:
        self._deps = deps
        self._files = files
        self._desk = desk
        self._directory = directory
        self._deliver = deliver
        self._forget_message = forget_message
        # the photo work's processes (bot/photo_processes.py); threads where none are given
        self._executor = executor if executor is not None else _threads()
        # Documents between their claim and their verdict's commit at once. Each costs the
        # event loop two Bot API calls and a transaction; more of them at once keeps the photo
        # processes busier but makes the conversation's steps wait behind them. Measured
        # (bench/README.md, 200 residents): 8 halves the p99 of the steps that overlap a burst
        # against 32, for 4-10 % fewer photos/s.
        self._slots = asyncio.Semaphore(concurrency)
        self._lease = lease
        self._max_bytes = max_bytes
        self._wake = asyncio.Event()
        self._recipients: dict[int, tuple[float, CommuneRecipients]] = {}
        self._tasks: set[asyncio.Task[None]] = set()

    async def run(self, stop: asyncio.Event, *, poll: float = 2.0) -> None:
        while not stop.is_set():
            self._wake.clear()
            try:
                await self.process_pending()
            except Exception:
                log.exception("document pass failed")
            await idle(self._wake, stop, poll)
        while self._tasks:  # a document settling now starts the task that tells its resident
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def process_pending(self, limit: int = 64) -> int:
        """Claim what is due and process it concurrently; returns how many were claimed."""
        claimed = await self._claim(limit)
        self.take(claimed)
        return len(claimed)

    def take(self, documents: list[PendingDocument]) -> None:
        """Process documents this process holds the lease of: claimed here, or just accepted by
        the desk (whose transaction set the lease), which saves a claim transaction per photo."""
        for document in documents:
            self._spawn(self._process_released(document))

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> None:
        """A task of the pipeline's: drained, and awaited at stop."""
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def drain(self) -> None:
        """Process until nothing is pending or in flight (for tests and benchmarks)."""
        while await self.process_pending() or self._tasks:
            if self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _claim(self, limit: int) -> list[PendingDocument]:
        now = utcnow()
        async with self._deps.database.sessions.begin() as session:
            query = (
                select(Document)
                .where(
                    Document.status == DocumentStatus.PENDING,
                    or_(Document.not_before.is_(None), Document.not_before <= now),
                )
                .order_by(Document.created_at)
                .limit(limit)
            )
            if self._deps.database.backend == "postgresql":
                query = query.with_for_update(skip_locked=True)
            rows = list(await session.scalars(query))
            for row in rows:
                row.not_before = now + self._lease
                row.attempts += 1
            return [
                PendingDocument(
                    r.id,
                    r.slot,
                    r.telegram_file_id,
                    r.file_unique_id,
                    r.commune_id,
                    r.chat_id,
                    r.message_id,
                    r.attempts,
                )
                for r in rows
            ]

    async def _process_released(self, document: PendingDocument) -> None:
        await self._slots.acquire()
        try:
            await self._process(document)
        except Exception as exc:
            log.exception("document failed", extra={"document": str(document.id)})
            # any failure counts as an attempt: after the last one the resident is told to
            # send it again, instead of a slot that stays "checking" for ever
            try:
                if document.attempts >= MAX_ATTEMPTS:
                    await self._refuse(document, (UNAVAILABLE,), type(exc).__name__)
                else:
                    await self._retry(document, type(exc).__name__)
            except Exception:
                log.exception(
                    "document failure not recorded", extra={"document": str(document.id)}
                )
        finally:
            self._slots.release()

    async def _recipients_for(self, commune_id: int) -> CommuneRecipients:
        cached = self._recipients.get(commune_id)
        if cached is not None and time.monotonic() - cached[0] < 60:
            return cached[1]
        recipients = await recipients_for_commune(self._deps, commune_id)
        self._recipients[commune_id] = (time.monotonic(), recipients)
        return recipients

    async def _process(self, document: PendingDocument) -> None:
        if document.commune_id is None:
            await self._refuse(document, (UNAVAILABLE,), "no commune")
            return
        try:
            data = await self._files.fetch(document.file_id, max_bytes=self._max_bytes)
        except FileUnavailable as exc:
            if exc.permanent or document.attempts >= MAX_ATTEMPTS:
                await self._refuse(document, (exc.reason,), exc.reason)
            else:
                await self._retry(document, exc.reason)
            return
        recipients = await self._recipients_for(document.commune_id)
        # The worker writes the sealed file under a name chosen here, so that a result that
        # never arrives (this task cancelled at shutdown, a crashed sibling breaking the pool)
        # still has its file deleted once the worker is done with it.
        name = BlobStore.new_name()
        work = self._executor.submit(
            check_seal_and_store, data, document.slot, recipients, str(self._deps.blobs.root), name
        )
        try:
            result = await asyncio.wrap_future(work)
        except DocumentRefused as exc:  # nothing was written
            await self._refuse(document, (exc.reason.value,), exc.reason.value)
            return
        except BaseException:
            work.add_done_callback(lambda _: self._drop_blob(name))  # at once if done already
            raise
        if isinstance(result, PhotoCheck):
            issues = tuple(issue.value for issue in result.issues)
            await self._refuse(document, issues, "retake", result)
            return
        await self._store(document, result)

    def _drop_blob(self, name: str) -> None:
        """Delete a sealed file that no row points to (from any thread)."""
        try:
            self._deps.blobs.delete(name)
        except OSError:
            log.warning("unrecorded blob not deleted", extra={"blob": name})

    async def _retry(self, document: PendingDocument, reason: str) -> None:
        async with self._deps.database.sessions.begin() as session:
            row = await session.get(Document, document.id)
            if row is not None and row.status is DocumentStatus.PENDING:
                row.not_before = utcnow() + timedelta(seconds=2**document.attempts)
                row.last_error = reason[:200]

    async def _finish(
        self,
        document: PendingDocument,
        settle: dict[str, Any],
        verdict: DocumentChecked,
        blob: dict[str, Any] | None = None,
    ) -> tuple[bool, Outcome | None]:
        """Settle a still-pending document in one transaction (its row takes the `settle`
        values, `blob` is its new blob row); (committed, the chat's outcome)."""
        directory = await self._directory.get()
        for attempt in range(1, STALE_ATTEMPTS + 1):
            try:
                async with self._deps.database.sessions.begin() as session:
                    outcome = await self._settle_in(
                        session, document, settle, verdict, blob=blob, directory=directory
                    )
            except _SettledElsewhere:
                return False, None
            except Exception as error:  # a lost race (a changed draft, a deadlock): again
                if not is_conflict(error) or attempt == STALE_ATTEMPTS:
                    raise
                await stale_pause(attempt)
            else:
                return True, outcome
        return False, None

    async def _settle_in(
        self,
        session: AsyncSession,
        document: PendingDocument,
        settle: dict[str, Any],
        verdict: DocumentChecked,
        *,
        blob: dict[str, Any] | None,
        directory: Directory,
    ) -> Outcome | None:
        connection = await session.connection()
        if blob is not None:  # first: the document row refers to it
            await connection.execute(_ADD_BLOB, blob)
        found = (await connection.execute(_SETTLE, {"document_id": document.id, **settle})).first()
        if found is None:  # settled elsewhere, or discarded meanwhile
            raise _SettledElsewhere
        if found.draft_id is not None:
            return await self._desk.handle_in(session, verdict, directory)
        if found.submission_id is not None:  # asked for by "needs info"
            row = await session.get(Document, document.id)
            assert row is not None  # noqa: S101 — just updated
            return await self._desk.followup_verdict(session, row, verdict)
        return None

    def _verdict(
        self,
        document: PendingDocument,
        accepted: bool,
        issues: tuple[str, ...] = (),
        qr: tuple[str | None, str | None] = (None, None),
    ) -> DocumentChecked:
        actor = Actor(user_id=document.chat_id, chat_id=document.chat_id)
        return DocumentChecked(
            actor,
            None,
            slot=document.slot,
            file_unique_id=document.file_unique_id,
            accepted=accepted,
            issues=issues,
            qr_name=qr[0],
            qr_cccd=qr[1],
        )

    async def _refuse(
        self,
        document: PendingDocument,
        issues: tuple[str, ...],
        detail: str,
        check: PhotoCheck | None = None,
    ) -> None:
        settle = {
            "status": DocumentStatus.REFUSED,
            "blob_id": None,
            "stored_at": None,
            "content_type": check.kind.value if check is not None else None,
            "metrics": _metrics(check) if check is not None else {},
            "issues": {"issues": list(issues)},
            "last_error": detail[:200],
        }
        _, outcome = await self._finish(document, settle, self._verdict(document, False, issues))
        self._settled(document, outcome, forget=False)

    async def _store(
        self,
        document: PendingDocument,
        sealed: SealedDocument,
    ) -> None:
        stored = sealed.blob
        blob = {
            "id": uuid.uuid4(),
            "name": stored.name,
            "size": stored.size,
            "sha256": stored.sha256,
            "created_at": utcnow(),
        }
        settle = {
            "status": DocumentStatus.STORED,
            "blob_id": blob["id"],
            "stored_at": blob["created_at"],
            "content_type": sealed.kind.value,
            "metrics": _metrics(sealed.check),
            "issues": {"issues": []},
            "last_error": None,
        }
        try:
            qr = sealed.check.qr
            reading = (
                (qr.cccd.name, qr.cccd.number)
                if qr.status is QrStatus.CCCD
                and qr.cccd is not None
                and Slot(document.slot) in QR_SLOTS
                else (None, None)
            )
            verdict = self._verdict(document, True, (), reading)
            committed, outcome = await self._finish(document, settle, verdict, blob)
        except asyncio.CancelledError:
            # Stopped during the commit: on PostgreSQL SQLAlchemy finishes a commit before it
            # re-raises the cancellation, so the row may point at the file. A file no row
            # points to costs some disk; a row without its file is a lost document.
            raise
        except BaseException:  # the transaction failed: no row points here
            self._drop_blob(sealed.blob.name)
            raise
        if not committed:  # settled elsewhere meanwhile
            self._drop_blob(sealed.blob.name)
            return
        self._settled(document, outcome, forget=True)

    def _settled(
        self, document: PendingDocument, outcome: Outcome | None, *, forget: bool
    ) -> None:
        """After the verdict's commit: the resident is told (and their photo deleted) in a task
        of its own, so that the document's slot goes to the next one at once instead of waiting
        for Telegram's answers."""
        if outcome is not None:
            self._desk.after_commit(outcome)
        if outcome is None and not (forget and self._forget_message is not None):
            return
        self._spawn(self._tell(document, outcome, forget=forget))

    async def _tell(
        self, document: PendingDocument, outcome: Outcome | None, *, forget: bool
    ) -> None:
        try:
            if outcome is not None:
                await self._deliver(document.chat_id, outcome)
            if forget and self._forget_message is not None:
                await self._forget_message(document.chat_id, document.message_id)
        except Exception:  # the verdict is committed: the resident sees it on their next step
            log.exception("verdict not delivered", extra={"document": str(document.id)})


def _metrics(check: PhotoCheck) -> dict[str, Any]:
    values: dict[str, Any] = {
        "width": check.width,
        "height": check.height,
        "kind": check.kind.value,
    }
    if check.metrics is not None:
        values.update(
            {
                k: list(v) if isinstance(v, tuple) else v
                for k, v in dataclasses.asdict(check.metrics).items()
            }
        )
    if check.page_count is not None:
        values["pages"] = check.page_count
    values["qr"] = check.qr.status.value
    return values
