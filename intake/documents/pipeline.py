"""The ingest pipeline: pending document → fetch → check → strip → seal → store → verdict.

Durable first, then fast. A pending document row commits with the step that received it
(`add_pending_document`, in the step's transaction); a worker claims it with a short lease (so
another process, or this one after a crash, takes it up again), fetches the bytes, checks,
strips, seals and writes them atomically as a blob in the executor it is given (worker
processes in the bot: bot/photo_processes.py), and then — in one transaction — marks the
document stored (unless someone else already did: it is sealed exactly once) and hands the
verdict to its `VerdictSink` (the resident desk), which feeds it back into the conversation.
That transaction takes the chat's advisory lock first (PostgreSQL), as the resident's own steps
do, so a verdict and an event of the same chat in two processes never interleave.

The sealed file's name comes from the document's id and the attempt's number, both committed
with the lease before the file is written (`PendingDocument.blob_name`). So a file whose
verdict never commits is found again: by this process when the result never arrives, by the
claim that starts the next attempt, and otherwise by the sweep at start-up (`orphans`).

Speed (bench/README.md, item 24): the documents of one chat that wait for a place together (an
album: its photos arrive as separate updates, between other chats' updates) are processed
together and their verdicts committed in one transaction, which steps the chat's draft through
them and writes it once. Three alternating pairs of 200-resident runs with and without it
(2026-12-03, medians and ranges): the event loop's CPU per burst photo 10.4 ms (10.4–11.1)
against 12.3 ms (10.7–12.8), photos/s 61.6 (60.8–61.8) against 56.7 (53.9–65.2). One checklist
edit per album is not its doing but the reply sender's (handlers/replies.py): the edits per
photo were the same with and without it (0.83–0.84 against 0.83–0.85).
"""

from __future__ import annotations

import asyncio
import dataclasses
import functools
import logging
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any, Generic, Protocol, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from crypto import CommuneRecipients
from intake.chat import Actor, DocumentChecked, Upload, UploadKind
from intake.documents._pending import PendingDocument, blob_name
from intake.documents._sealing import SealedDocument, check_seal_and_store
from intake.flow import Directory
from intake.photos import MAX_UPLOAD_BYTES, DocumentRefused, PhotoCheck, QrStatus
from intake.processes import LeaseHolder, idle
from storage.blobs import BlobStoreUnavailable
from storage.db import run_again_on_conflict
from storage.deps import Deps
from storage.models import utcnow
from storage.repositories import documents as rows
from storage.repositories.keys import recipients_for_commune
from storage.repositories.locks import lock_chat
from storage.states import DocumentStatus

__all__ = [
    "DirectorySource",
    "DocumentPipeline",
    "FileSource",
    "FileUnavailable",
    "SettledDocument",
    "VerdictSink",
    "add_pending_document",
]

log = logging.getLogger("hoso.documents")
O = TypeVar("O")  # noqa: E741 — the sink's outcome, which the pipeline only passes on

MAX_ATTEMPTS = 5  # tries that count (`PendingDocument.tries`: not those the store was down)
MAX_WAIT = 300  # seconds between tries, reached only while the blob store is unavailable
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


class DirectorySource(Protocol):
    """The residents' directory, read before a verdict's transaction (SQLite has one
    connection: reading it inside would wait for itself)."""

    async def get(self) -> Directory: ...


@dataclasses.dataclass(frozen=True)
class SettledDocument:
    """A verdict committed in this transaction, and what its document belongs to."""

    verdict: DocumentChecked
    document_id: uuid.UUID
    draft_id: uuid.UUID | None
    submission_id: uuid.UUID | None


class VerdictSink(Protocol[O]):
    """Who hears the verdicts (the resident desk): within the verdicts' transaction, and once
    it has committed."""

    async def take_verdicts(
        self, session: AsyncSession, settled: Sequence[SettledDocument], directory: Directory
    ) -> list[O]: ...

    async def after_commit(self, outcome: O) -> None: ...


async def add_pending_document(
    session: AsyncSession,
    upload: Upload,
    *,
    slot: str,
    commune_id: int | None,
    lease: timedelta,
    leased_by: uuid.UUID | None,
    draft_id: uuid.UUID | None = None,
    submission_id: uuid.UUID | None = None,
) -> PendingDocument:
    """Add the pending row of an upload (of a draft, or of a submission for "needs info") in
    the step's transaction: the calling process takes it at once (the lease is its claim, its
    attempt 1); after a crash, another process takes it when the lease ends or its holder is
    reaped. The draft's or submission's row must be flushed already."""
    pending = PendingDocument(
        id=uuid.uuid4(),
        slot=slot,
        file_id=upload.file_id,
        file_unique_id=upload.file_unique_id,
        commune_id=commune_id,
        chat_id=upload.actor.chat_id,
        message_id=upload.message_id,
        attempts=1,
    )
    now = utcnow()
    await rows.add_pending(
        session,
        {
            "id": pending.id,
            "draft_id": draft_id,
            "submission_id": submission_id,
            "commune_id": commune_id,
            "slot": slot,
            "status": DocumentStatus.PENDING,
            "as_file": upload.kind is UploadKind.FILE,
            "telegram_file_id": upload.file_id,
            "file_unique_id": upload.file_unique_id,
            "file_size": upload.file_size,
            "media_group_id": upload.media_group_id,
            "chat_id": upload.actor.chat_id,
            "message_id": upload.message_id,
            "attempts": 1,
            "not_before": now + lease,
            "leased_by": leased_by,
            "created_at": now,
        },
    )
    return pending


class _SettledElsewhere(Exception):
    """A document was no longer pending at its attempt: the transaction is rolled back."""


@functools.cache
def _threads() -> Executor:
    """The photo work's threads when no processes are given (tests, tools): one pool for all."""
    return ThreadPoolExecutor(thread_name_prefix="hoso-photos")


@dataclasses.dataclass(frozen=True)
class _Judged:
    """A document's verdict, ready to be committed: its row's new values, the event for its
    chat and, for a stored document, its new blob row (whose file the worker has written)."""

    document: PendingDocument
    settle: dict[str, Any]
    verdict: DocumentChecked
    blob: dict[str, Any] | None = None


class DocumentPipeline(Generic[O]):
    """Claims pending documents and carries each through to a verdict (module docstring)."""

    def __init__(
        self,
        deps: Deps,
        files: FileSource,
        sink: VerdictSink[O],
        directory: DirectorySource,
        *,
        deliver: Callable[[int, O], Awaitable[None]],
        forget_message: Callable[[int, int], Awaitable[None]] | None = None,
        executor: Executor | None = None,
        concurrency: int = 8,
        lease: timedelta = timedelta(seconds=30),
        max_bytes: int = MAX_UPLOAD_BYTES,
        holder: LeaseHolder | None = None,
        on_checked: Callable[[DocumentChecked], None] | None = None,
    ) -> None:
        self._deps = deps
        self._holder = holder
        self._on_checked = on_checked  # each committed verdict (the bot's metrics)
        self._files = files
        self._sink = sink
        self._directory = directory
        self._deliver = deliver
        self._forget_message = forget_message
        # the photo work's processes (bot/photo_processes.py); threads where none are given
        self._executor = executor if executor is not None else _threads()
        # Documents between their claim and their verdict's commit at once. Each costs the
        # event loop two Bot API calls and a transaction; more of them at once keeps the photo
        # processes busier but makes the conversation's steps wait behind them. Measured
        # (bench/README.md, 200 residents): 8 halves the p99 of the steps that overlap a burst
        # against 32, for 4-10 % fewer photos/s. A chat's waiting documents start together,
        # so that an album may take a few places more than this.
        self._concurrency = concurrency
        self._busy = 0
        self._waiting: dict[int, list[PendingDocument]] = {}  # by chat, first come first
        self._checking: dict[int, int] = {}  # documents taken and not yet settled, by chat
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
        await self.finish_taken()

    async def finish_taken(self) -> None:
        """Finish what this process has taken (a group ending starts the next waiting one; each
        settled document starts the task that tells its resident): at a stop, before its
        leases are handed back, also what the desk took after `run` ended."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def process_pending(self, limit: int = 64) -> int:
        """Claim what is due and process it concurrently; returns how many were claimed."""
        claimed = await self._claim(limit)
        self.take(claimed)
        return len(claimed)

    def kick(self) -> None:
        """Claim now: leases were released (a dead process's) or documents became due."""
        self._wake.set()

    def take(self, documents: list[PendingDocument]) -> None:
        """Process documents this process holds the lease of: claimed here, or just accepted by
        the desk (whose transaction set the lease), which saves a claim transaction per photo."""
        for document in documents:
            self._waiting.setdefault(document.chat_id, []).append(document)
            self._checking[document.chat_id] = self._checking.get(document.chat_id, 0) + 1
        self._start_waiting()

    def checking(self, chat_id: int) -> bool:
        """Whether documents of this chat are waiting or being checked (their verdicts will
        change the resident's checklist)."""
        return chat_id in self._checking

    @property
    def load(self) -> tuple[int, int]:
        """Documents this process holds: waiting for a place, and being checked."""
        waiting = sum(len(group) for group in self._waiting.values())
        return waiting, sum(self._checking.values()) - waiting

    def _start_waiting(self) -> None:
        """Start the chats' waiting documents, each chat's together, while there is room."""
        while self._waiting and self._busy < self._concurrency:
            group = self._waiting.pop(next(iter(self._waiting)))
            self._busy += len(group)
            task = self._spawn(self._process_group(group))
            task.add_done_callback(functools.partial(self._group_done, group))

    def _group_done(self, group: list[PendingDocument], task: asyncio.Task[None]) -> None:
        """A group's places are free (also when it was cancelled, even before it ran); the
        next waiting documents start, unless the group was cancelled: the pipeline stops."""
        self._busy -= len(group)
        chat_id = group[0].chat_id
        left = self._checking.get(chat_id, 0) - len(group)
        if left > 0:
            self._checking[chat_id] = left
        else:
            self._checking.pop(chat_id, None)
        if not task.cancelled():
            self._start_waiting()

    def _spawn(self, coroutine: Coroutine[Any, Any, None]) -> asyncio.Task[None]:
        """A task of the pipeline's: drained, and awaited at stop."""
        task = asyncio.create_task(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def drain(self) -> None:
        """Process until nothing is pending or in flight (for tests and benchmarks)."""
        while await self.process_pending() or self._tasks:
            if self._tasks:
                await asyncio.gather(*list(self._tasks), return_exceptions=True)

    async def _claim(self, limit: int) -> list[PendingDocument]:
        """Lease what is due (a lease ran out, a retry's time came, a dead process's lease was
        released): each claim is a new attempt, which fences off the one before it, whose
        sealed file, if it was written, is deleted once the claim has committed."""
        now = utcnow()
        async with self._deps.database.sessions.begin() as session:
            claimed = [
                PendingDocument(
                    r.id,
                    r.slot,
                    r.telegram_file_id,
                    r.file_unique_id,
                    r.commune_id,
                    r.chat_id,
                    r.message_id,
                    r.attempts,
                    r.store_waits,
                )
                for r in await rows.claim_due(
                    session,
                    now=now,
                    lease_until=now + self._lease,
                    holder=self._holder.id if self._holder is not None else None,
                    limit=limit,
                    skip_locked=self._deps.database.backend == "postgresql",
                )
            ]
        for document in claimed:  # the fenced-off attempt's file, if it exists
            if document.attempts > 1:  # off the loop: the store may be a bucket, or down
                await asyncio.to_thread(
                    self._drop_blob, blob_name(document.id, document.attempts - 1)
                )
        return claimed

    async def _process_group(self, group: list[PendingDocument]) -> None:
        """Fetch and check a chat's documents side by side, then commit their verdicts."""
        judged = await asyncio.gather(*(self._judge_or_fail(d) for d in group))
        ready = [j for j in judged if j is not None]
        if ready:
            await self._commit(ready)

    async def _judge_or_fail(self, document: PendingDocument) -> _Judged | None:
        try:
            return await self._judge(document)
        except BlobStoreUnavailable as exc:
            # The store's fault, not the document's: it stays pending, without using up its
            # tries (`PendingDocument.tries`), for as long as the outage lasts.
            log.warning(
                "blob store unavailable, document waits",
                extra={"document": str(document.id), "reason": str(exc)},
            )
            try:
                await self._retry(document, "blob store unavailable", store_unavailable=True)
            except Exception:
                log.exception("document wait not recorded", extra={"document": str(document.id)})
            return None
        except Exception as exc:
            log.exception("document failed", extra={"document": str(document.id)})
            if document.tries >= MAX_ATTEMPTS:  # committed with the chat's other verdicts
                return self._given_up(document, exc)
            await self._failed(document, exc)
            return None

    async def _failed(self, document: PendingDocument, exc: Exception) -> None:
        """Any failure counts as an attempt: after the last one the resident is told to send it
        again, instead of a slot that stays "checking" for ever."""
        try:
            if document.tries >= MAX_ATTEMPTS:
                await self._commit_one(self._given_up(document, exc))
            else:
                await self._retry(document, type(exc).__name__)
        except Exception:
            log.exception("document failure not recorded", extra={"document": str(document.id)})

    async def _recipients_for(self, commune_id: int) -> CommuneRecipients:
        cached = self._recipients.get(commune_id)
        if cached is not None and time.monotonic() - cached[0] < 60:
            return cached[1]
        async with self._deps.database.sessions() as session:
            recipients = await recipients_for_commune(session, commune_id)
        self._recipients[commune_id] = (time.monotonic(), recipients)
        return recipients

    async def _judge(self, document: PendingDocument) -> _Judged | None:
        """Fetch, check, strip, seal and store: the verdict to commit, or None when the
        document is to be tried again later (recorded already)."""
        if document.commune_id is None:
            return self._refused(document, (UNAVAILABLE,), "no commune")
        try:
            data = await self._files.fetch(document.file_id, max_bytes=self._max_bytes)
        except FileUnavailable as exc:
            if exc.permanent or document.tries >= MAX_ATTEMPTS:
                return self._refused(document, (exc.reason,), exc.reason)
            await self._retry(document, exc.reason)
            return None
        recipients = await self._recipients_for(document.commune_id)
        # The worker writes the sealed file under the attempt's name, so that a result that
        # never arrives (this task cancelled at shutdown, a crashed sibling breaking the pool)
        # still has its file found: deleted once the worker is done, or by the next attempt's
        # claim, or by the start-up sweep.
        name = document.blob_name
        work = self._executor.submit(
            check_seal_and_store, data, document.slot, recipients, self._deps.blobs.spec, name
        )
        try:
            result = await asyncio.wrap_future(work)
        except DocumentRefused as exc:  # nothing was written
            return self._refused(document, (exc.reason.value,), exc.reason.value)
        except BaseException:
            # Cancelled while the worker goes on (a stop): its file, if it writes one, is
            # deleted once it is done. A worker that raised wrote nothing (the write is its
            # last step, and atomic), or its pool broke: the next claim deletes that file.
            work.add_done_callback(functools.partial(self._drop_if_written, name))
            raise
        if isinstance(result, PhotoCheck):
            issues = tuple(issue.value for issue in result.issues)
            return self._refused(document, issues, "retake", result)
        try:
            return self._stored(document, result)
        except BaseException:
            await asyncio.to_thread(self._drop_blob, name)
            raise

    def _drop_if_written(self, name: str, work: Future[object]) -> None:
        """A worker's done-callback: delete what it wrote, in a thread of its own (the callback
        runs on the event loop when the work was done already)."""
        if work.cancelled() or work.exception() is not None:
            return
        threading.Thread(
            target=self._drop_blob, args=(name,), name="hoso-blob-drop", daemon=True
        ).start()

    def _drop_blob(self, name: str) -> None:
        """Delete a sealed file that no row points to (blocking: from a thread)."""
        try:
            self._deps.blobs.delete(name)
        except OSError:
            log.warning("unrecorded blob not deleted", extra={"blob": name})

    async def _retry(
        self, document: PendingDocument, reason: str, *, store_unavailable: bool = False
    ) -> None:
        """Try the document again later (unless a newer attempt has taken it meanwhile)."""
        async with self._deps.database.sessions.begin() as session:
            await rows.retry_later(
                session,
                document.id,
                document.attempts,
                until=utcnow() + timedelta(seconds=min(2**document.attempts, MAX_WAIT)),
                error=reason,
                store_unavailable=store_unavailable,
            )

    async def _commit(self, judged: list[_Judged]) -> None:
        """Commit one chat's verdicts together; when that fails (one of them was settled
        elsewhere, or fails on its own), each on its own, so that one document cannot hold up
        its album. A failure is counted against its document, which is tried again later."""
        if len(judged) > 1:
            try:
                outcomes = await self._finish(judged)
            except Exception:
                log.warning("verdicts committed one by one", exc_info=True)
                outcomes = None
            if outcomes is not None:
                await self._told(judged, outcomes)
                return
        for one in judged:
            try:
                await self._commit_one(one)
            except Exception as exc:
                log.exception("verdict not committed", extra={"document": str(one.document.id)})
                await self._failed(one.document, exc)

    async def _commit_one(self, one: _Judged) -> None:
        """Commit one verdict; its file is deleted unless its row was committed."""
        try:
            outcomes = await self._finish([one])
        except asyncio.CancelledError:
            # Stopped during the commit: on PostgreSQL SQLAlchemy finishes a commit before it
            # re-raises the cancellation, so the row may point at the file. A file no row
            # points to costs some disk; a row without its file is a lost document.
            raise
        except BaseException:  # the transaction failed: no row points to this file
            await self._drop_blobs([one])
            raise
        if outcomes is None:  # settled elsewhere meanwhile
            await self._drop_blobs([one])
            return
        await self._told([one], outcomes)

    async def _told(self, judged: list[_Judged], outcomes: list[O]) -> None:
        """After the commit: the resident is told (and their photos deleted) in a task of its
        own, so that the places go to the next documents at once instead of waiting for
        Telegram's answers."""
        for outcome in outcomes:
            await self._sink.after_commit(outcome)
        if self._on_checked is not None:
            for one in judged:
                self._on_checked(one.verdict)
        forget = [j.document for j in judged if j.blob is not None]
        if outcomes or (forget and self._forget_message is not None):
            self._spawn(self._tell(judged[0].document.chat_id, outcomes, forget))

    async def _drop_blobs(self, judged: list[_Judged]) -> None:
        """Delete the files of verdicts that did not commit (in a thread: the store may be a
        bucket, slow or unreachable)."""
        for one in judged:
            if one.blob is not None:
                await asyncio.to_thread(self._drop_blob, one.blob["name"])

    async def _finish(self, judged: list[_Judged]) -> list[O] | None:
        """Settle still-pending documents in one transaction (run again when it loses to a
        concurrent one): the chat's outcomes, or None (nothing committed) when one of them was
        no longer pending at its attempt."""
        directory = await self._directory.get()

        async def transaction() -> list[O]:
            async with self._deps.database.sessions.begin() as session:
                return await self._settle_in(session, judged, directory)

        try:
            return await run_again_on_conflict(transaction)
        except _SettledElsewhere:
            return None

    async def _settle_in(
        self, session: AsyncSession, judged: list[_Judged], directory: Directory
    ) -> list[O]:
        """Every document's row first, then the sink's (the draft): a resident's step locks
        them in the same order (on PostgreSQL the other order could deadlock), after the chat's
        advisory lock, which every transaction stepping the chat takes first."""
        await lock_chat(session, judged[0].document.chat_id)  # one chat's documents, always
        settled: dict[uuid.UUID, SettledDocument] = {}
        # rows in the order of their ids, as the ORM writes several (a discarded album): two
        # transactions locking the same rows in different orders could deadlock
        for one in sorted(judged, key=lambda j: j.document.id):
            if one.blob is not None:  # first: the document row refers to it
                await rows.add_blob(session, one.blob)
            found = await rows.settle(session, one.document.id, one.document.attempts, one.settle)
            if found is None:  # settled elsewhere, discarded, or a newer attempt took it
                raise _SettledElsewhere
            settled[one.document.id] = SettledDocument(
                one.verdict, one.document.id, found.draft_id, found.submission_id
            )
        # the verdicts in the order the documents came
        return await self._sink.take_verdicts(
            session, [settled[one.document.id] for one in judged], directory
        )

    def _verdict(
        self,
        document: PendingDocument,
        accepted: bool,
        issues: tuple[str, ...] = (),
        qr: tuple[str | None, str | None, str | None] = (None, None, None),
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
            qr_serial=qr[2],
        )

    def _refused(
        self,
        document: PendingDocument,
        issues: tuple[str, ...],
        detail: str,
        check: PhotoCheck | None = None,
    ) -> _Judged:
        settle = {
            "status": DocumentStatus.REFUSED,
            "blob_id": None,
            "stored_at": None,
            "content_type": check.kind.value if check is not None else None,
            "metrics": _metrics(check) if check is not None else {},
            "issues": {"issues": list(issues)},
            "last_error": detail[:200],
        }
        return _Judged(document, settle, self._verdict(document, False, issues))

    def _given_up(self, document: PendingDocument, exc: Exception) -> _Judged:
        """The last attempt failed: the resident is asked to send the document again."""
        return self._refused(document, (UNAVAILABLE,), type(exc).__name__)

    def _stored(self, document: PendingDocument, sealed: SealedDocument) -> _Judged:
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
        qr = sealed.check.qr  # read only on ID card and certificate slots (intake/photos)
        reading: tuple[str | None, str | None, str | None] = (None, None, None)
        if qr.status is QrStatus.CCCD and qr.cccd is not None:
            reading = (qr.cccd.name, qr.cccd.number, None)
        elif qr.status is QrStatus.CERTIFICATE and qr.certificate is not None:
            reading = (None, None, qr.certificate.serial)
        return _Judged(document, settle, self._verdict(document, True, (), reading), blob)

    async def _tell(self, chat_id: int, outcomes: list[O], forget: list[PendingDocument]) -> None:
        try:
            for outcome in outcomes:
                await self._deliver(chat_id, outcome)
            if self._forget_message is not None:
                for document in forget:
                    await self._forget_message(document.chat_id, document.message_id)
        except Exception:  # the verdicts are committed: the resident sees them on their next step
            log.exception("verdict not delivered", extra={"chat_id": chat_id})


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
