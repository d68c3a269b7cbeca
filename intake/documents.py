"""The ingest pipeline: pending document → fetch → check → strip → seal → store → verdict.

Durable first, then fast. A pending document row commits with the step that received it; a
worker claims it with a short lease (so another process, or this one after a crash, takes it up
again), fetches the bytes, checks, strips, seals and writes them atomically as a blob in the
executor it is given (worker processes in the bot: bot/photo_processes.py), and then — in one
transaction — marks the document stored (unless someone else already did: it is sealed exactly
once) and feeds the verdict back into the resident's conversation as a `DocumentChecked` event.

The sealed file's name comes from the document's id and the attempt's number, both committed
with the lease before the file is written (intake/pending.py). So a file whose verdict never
commits is found again: by this process when the result never arrives, by the claim that starts
the next attempt, and otherwise by the sweep at start-up (`sweep_unowned_blobs`).
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
from intake.pending import PendingDocument, blob_name
from intake.photos import DocumentRefused, PhotoCheck, QrStatus
from intake.processes import LeaseHolder
from intake.residents import STALE_ATTEMPTS, Outcome, ResidentDesk, stale_pause
from intake.sealing import SealedDocument, check_seal_and_store
from intake.workers import idle
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
# The attempt's number is its fencing token: a claim after the lease ran out (or after its
# process was taken for dead) starts a new attempt, and the older one can no longer settle the
# document (its sealed file is then deleted, by its own process or as no committed row's).
_THIS_ATTEMPT = (
    (_DOCUMENTS.c.id == bindparam("document_id"))
    & (_DOCUMENTS.c.status == DocumentStatus.PENDING)
    & (_DOCUMENTS.c.attempts == bindparam("attempt"))
)
_RETRY = (
    update(_DOCUMENTS)
    .where(_THIS_ATTEMPT)
    .values(not_before=bindparam("until"), last_error=bindparam("error"), leased_by=None)
)
_SETTLE = (
    update(_DOCUMENTS)
    .where(_THIS_ATTEMPT)
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


@dataclasses.dataclass(frozen=True)
class _Judged:
    """A document's verdict, ready to be committed: its row's new values, the event for its
    chat and, for a stored document, its new blob row (whose file the worker has written)."""

    document: PendingDocument
    settle: dict[str, Any]
    verdict: DocumentChecked
    blob: dict[str, Any] | None = None


class DocumentPipeline:
    """Claims pending documents and carries each through to a verdict.

    The documents of one chat that wait for a place together (an album: its photos arrive as
    separate updates, between other chats' updates) are processed together and their verdicts
    committed in one transaction, which steps the chat's draft through them and writes it
    once; the resident is told once, and the checklist is edited once, instead of once per
    photo seconds apart while other chats' photos are checked in between.
    """

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
        holder: LeaseHolder | None = None,
    ) -> None:
        self._deps = deps
        self._holder = holder
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
        # what is taken is finished (a group ending starts the next waiting one), and each
        # settled document starts the task that tells its resident
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
        holder = self._holder.id if self._holder is not None else None
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
                row.leased_by = holder
                row.attempts += 1
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
                )
                for r in rows
            ]
        for document in claimed:  # the fenced-off attempt's file, if it exists
            if document.attempts > 1:
                self._drop_blob(blob_name(document.id, document.attempts - 1))
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
        except Exception as exc:
            log.exception("document failed", extra={"document": str(document.id)})
            if document.attempts >= MAX_ATTEMPTS:  # committed with the chat's other verdicts
                return self._given_up(document, exc)
            await self._failed(document, exc)
            return None

    async def _failed(self, document: PendingDocument, exc: Exception) -> None:
        """Any failure counts as an attempt: after the last one the resident is told to send it
        again, instead of a slot that stays "checking" for ever."""
        try:
            if document.attempts >= MAX_ATTEMPTS:
                await self._commit_one(self._given_up(document, exc))
            else:
                await self._retry(document, type(exc).__name__)
        except Exception:
            log.exception("document failure not recorded", extra={"document": str(document.id)})

    async def _recipients_for(self, commune_id: int) -> CommuneRecipients:
        cached = self._recipients.get(commune_id)
        if cached is not None and time.monotonic() - cached[0] < 60:
            return cached[1]
        recipients = await recipients_for_commune(self._deps, commune_id)
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
            if exc.permanent or document.attempts >= MAX_ATTEMPTS:
                return self._refused(document, (exc.reason,), exc.reason)
            await self._retry(document, exc.reason)
            return None
        recipients = await self._recipients_for(document.commune_id)
        # The worker writes the sealed file under the attempt's name, so that a result that
        # never arrives (this task cancelled at shutdown, a crashed sibling breaking the pool)
        # still has its file deleted once the worker is done with it.
        name = document.blob_name
        work = self._executor.submit(
            check_seal_and_store, data, document.slot, recipients, str(self._deps.blobs.root), name
        )
        try:
            result = await asyncio.wrap_future(work)
        except DocumentRefused as exc:  # nothing was written
            return self._refused(document, (exc.reason.value,), exc.reason.value)
        except BaseException:
            work.add_done_callback(lambda _: self._drop_blob(name))  # at once if done already
            raise
        if isinstance(result, PhotoCheck):
            issues = tuple(issue.value for issue in result.issues)
            return self._refused(document, issues, "retake", result)
        try:
            return self._stored(document, result)
        except BaseException:
            self._drop_blob(name)
            raise

    def _drop_blob(self, name: str) -> None:
        """Delete a sealed file that no row points to (from any thread)."""
        try:
            self._deps.blobs.delete(name)
        except OSError:
            log.warning("unrecorded blob not deleted", extra={"blob": name})

    async def _retry(self, document: PendingDocument, reason: str) -> None:
        """Try the document again later (unless a newer attempt has taken it meanwhile)."""
        async with self._deps.database.sessions.begin() as session:
            await (await session.connection()).execute(
                _RETRY,
                {
                    "document_id": document.id,
                    "attempt": document.attempts,
                    "until": utcnow() + timedelta(seconds=2**document.attempts),
                    "error": reason[:200],
                },
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
                self._told(judged, outcomes)
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
            self._drop_blobs([one])
            raise
        if outcomes is None:  # settled elsewhere meanwhile
            self._drop_blobs([one])
            return
        self._told([one], outcomes)

    def _told(self, judged: list[_Judged], outcomes: list[Outcome]) -> None:
        """After the commit: the resident is told (and their photos deleted) in a task of its
        own, so that the places go to the next documents at once instead of waiting for
        Telegram's answers."""
        for outcome in outcomes:
            self._desk.after_commit(outcome)
        forget = [j.document for j in judged if j.blob is not None]
        if outcomes or (forget and self._forget_message is not None):
            self._spawn(self._tell(judged[0].document.chat_id, outcomes, forget))

    def _drop_blobs(self, judged: list[_Judged]) -> None:
        for one in judged:
            if one.blob is not None:
                self._drop_blob(one.blob["name"])

    async def _finish(self, judged: list[_Judged]) -> list[Outcome] | None:
        """Settle still-pending documents in one transaction: the chat's outcomes, or None
        (nothing committed) when one of them was no longer pending."""
        directory = await self._directory.get()
        for attempt in range(1, STALE_ATTEMPTS + 1):
            try:
                async with self._deps.database.sessions.begin() as session:
                    outcomes = await self._settle_in(session, judged, directory)
            except _SettledElsewhere:
                return None
            except Exception as error:  # a lost race (a changed draft, a deadlock): again
                if not is_conflict(error) or attempt == STALE_ATTEMPTS:
                    raise
                await stale_pause(attempt)
            else:
                return outcomes
        return None

    async def _settle_in(
        self, session: AsyncSession, judged: list[_Judged], directory: Directory
    ) -> list[Outcome]:
        """Every document's row first, then the draft: a resident's step locks them in the
        same order (on PostgreSQL the other order could deadlock)."""
        connection = await session.connection()
        settled = {}
        # rows in the order of their ids, as the ORM writes several (a discarded album): two
        # transactions locking the same rows in different orders could deadlock
        for one in sorted(judged, key=lambda j: j.document.id):
            if one.blob is not None:  # first: the document row refers to it
                await connection.execute(_ADD_BLOB, one.blob)
            fence = {"document_id": one.document.id, "attempt": one.document.attempts}
            found = (await connection.execute(_SETTLE, {**fence, **one.settle})).first()
            if found is None:  # settled elsewhere, discarded, or a newer attempt took it
                raise _SettledElsewhere
            settled[one.document.id] = found
        outcomes: list[Outcome] = []
        drafted: list[DocumentChecked] = []
        for one in judged:  # the verdicts in the order the documents came
            found = settled[one.document.id]
            if found.draft_id is not None:
                drafted.append(one.verdict)
            elif found.submission_id is not None:  # asked for by "needs info"
                row = await session.get(Document, one.document.id)
                assert row is not None  # noqa: S101 — just updated
                outcome = await self._desk.followup_verdict(session, row, one.verdict)
                if outcome is not None:
                    outcomes.append(outcome)
        if drafted:
            outcomes.append(await self._desk.handle_verdicts(session, drafted, directory))
        return outcomes

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
        qr = sealed.check.qr
        reading = (
            (qr.cccd.name, qr.cccd.number)
            if qr.status is QrStatus.CCCD
            and qr.cccd is not None
            and Slot(document.slot) in QR_SLOTS
            else (None, None)
        )
        return _Judged(document, settle, self._verdict(document, True, (), reading), blob)

    async def _tell(
        self, chat_id: int, outcomes: list[Outcome], forget: list[PendingDocument]
    ) -> None:
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
