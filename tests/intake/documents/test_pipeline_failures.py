"""The document pipeline and the outbox when things go wrong: nothing hangs, nothing leaks."""

from __future__ import annotations

import asyncio
import contextlib
import threading
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from unittest.mock import patch

from sqlalchemy import func, select

from intake.admin import create_commune_key, create_escrow_key, import_province
from intake.documents import blob_name, check_seal_and_store
from intake.documents.orphans import sweep_unowned_blobs
from intake.documents.pipeline import DocumentPipeline, FileUnavailable
from intake.notify import OutboxMessage, OutboxService, enqueue
from intake.resident import DirectoryCache, Outcome, ResidentDesk
from storage.blobs import OWNER_MARKER
from storage.deps import Deps
from storage.models import Blob, Commune, Document, Outbox, utcnow
from storage.states import DocumentStatus, OutboxStatus
from tests.fixtures.photos import document_photo


class Files:
    def __init__(self, data: bytes | None) -> None:
        self.data = data

    async def fetch(self, file_id: str, *, max_bytes: int) -> bytes:
        if self.data is None:
            raise FileUnavailable("unavailable", permanent=False)
        return self.data


async def pending_document(deps: Deps, commune_code: str) -> uuid.UUID:
    async with deps.database.sessions.begin() as session:
        commune = await session.scalar(select(Commune).where(Commune.code == commune_code))
        assert commune is not None
        document = Document(
            id=uuid.uuid4(),
            commune_id=commune.id,
            slot="cccd_front",
            status=DocumentStatus.PENDING,
            telegram_file_id="f",
            file_unique_id="u",
            chat_id=1,
            message_id=1,
        )
        session.add(document)
        return document.id


async def skip_backoff(deps: Deps, document_id: uuid.UUID) -> None:
    async with deps.database.sessions.begin() as session:
        row = await session.get(Document, document_id)
        assert row is not None
        row.not_before = None


def pipeline(deps: Deps, files: Files) -> DocumentPipeline:
    directory = DirectoryCache(deps, "66")
    desk = ResidentDesk(deps, bot_id=1, directory=directory)

    async def deliver(chat_id: int, outcome: Outcome) -> None:
        return None

    return DocumentPipeline(
        deps, files, desk, directory, deliver=deliver, lease=timedelta(seconds=0)
    )


async def test_a_commune_without_a_key_ends_in_a_refusal_not_a_hang(deps: Deps) -> None:
    await import_province(deps, "66")
    await create_escrow_key(deps, "66")
    document_id = await pending_document(deps, "24175")  # this commune has no key
    worker = pipeline(deps, Files(document_photo(1, card=True)))
    for _ in range(6):
        await skip_backoff(deps, document_id)
        await worker.drain()
    async with deps.database.sessions() as session:
        document = await session.get(Document, document_id)
    assert document is not None
    assert document.status is DocumentStatus.REFUSED
    assert document.issues == {"issues": ["unavailable"]}
    assert [p for p in deps.blobs.root.rglob("*") if p.is_file()] == []  # nothing sealed


def blob_files(deps: Deps) -> list[Path]:
    """The sealed files (not the store's owner marker)."""
    return [p for p in deps.blobs.root.rglob("*") if p.is_file() and p.name != OWNER_MARKER]


async def test_a_sealed_file_without_its_verdict_is_deleted(deps: Deps) -> None:
    """The worker writes the file before the verdict's transaction: when that finds the
    document settled meanwhile (another process, a discard), no file is left behind."""
    await import_province(deps, "66")
    await create_escrow_key(deps, "66")
    await create_commune_key(deps, "24175", "a long passphrase for the test")
    document_id = await pending_document(deps, "24175")
    worker = pipeline(deps, Files(document_photo(1, card=True)))
    settled_meanwhile = DocumentPipeline._finish

    async def finish(self: DocumentPipeline, *args: Any) -> Any:
        assert len(blob_files(deps)) == 1  # written by the worker, not yet recorded
        async with deps.database.sessions.begin() as session:
            row = await session.get(Document, document_id)
            assert row is not None
            row.status = DocumentStatus.DELETED
        return await settled_meanwhile(self, *args)

    with patch.object(DocumentPipeline, "_finish", finish):
        await worker.drain()
    assert blob_files(deps) == []
    async with deps.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Blob)) == 0


async def two_of_one_chat(deps: Deps) -> tuple[uuid.UUID, uuid.UUID, DocumentPipeline]:
    """A commune with its keys, two pending documents of one chat, and a pipeline."""
    await import_province(deps, "66")
    await create_escrow_key(deps, "66")
    await create_commune_key(deps, "24175", "a long passphrase for the test")
    first = await pending_document(deps, "24175")
    second = await pending_document(deps, "24175")
    return first, second, pipeline(deps, Files(document_photo(1, card=True)))


async def drain_settling(
    worker: DocumentPipeline, before: Callable[[list[Any], list[int]], Awaitable[None]]
) -> list[int]:
    """Drain, running `before` ahead of each verdict transaction; returns how many verdicts
    each transaction settled."""
    finish = DocumentPipeline._finish
    settled: list[int] = []

    async def finishing(self: DocumentPipeline, judged: list[Any]) -> Any:
        settled.append(len(judged))
        await before(judged, settled)
        return await finish(self, judged)

    with patch.object(DocumentPipeline, "_finish", finishing):
        await worker.drain()
    return settled


async def test_a_chats_document_settled_meanwhile_leaves_the_others_settled(deps: Deps) -> None:
    """A chat's documents that waited together are settled in one transaction; when one of
    them was settled meanwhile, the others are settled each on their own, and only the file
    of the one settled elsewhere is dropped."""
    discarded, kept, worker = await two_of_one_chat(deps)

    async def discarding_one(judged: list[Any], settled: list[int]) -> None:
        if len(settled) == 1:
            async with deps.database.sessions.begin() as session:
                row = await session.get(Document, discarded)
                assert row is not None
                row.status = DocumentStatus.DELETED

    settled = await drain_settling(worker, discarding_one)
    assert settled == [2, 1, 1]  # together, then each on its own
    async with deps.database.sessions() as session:
        statuses = {d.id: d.status for d in await session.scalars(select(Document))}
        blobs = await session.scalar(select(func.count()).select_from(Blob))
    assert statuses == {discarded: DocumentStatus.DELETED, kept: DocumentStatus.STORED}
    assert blobs == 1
    assert len(blob_files(deps)) == 1


async def test_a_sealed_file_whose_result_never_arrives_is_deleted(deps: Deps) -> None:
    """Stopped while the worker seals (shutdown's deadline, say): the file it goes on to
    write is deleted once it is done, and the document stays pending for the next start."""
    await import_province(deps, "66")
    await create_escrow_key(deps, "66")
    await create_commune_key(deps, "24175", "a long passphrase for the test")
    document_id = await pending_document(deps, "24175")
    sealing, release, sealed = threading.Event(), threading.Event(), threading.Event()

    def slow_seal(*args: Any) -> Any:
        sealing.set()
        release.wait(5)
        try:
            return check_seal_and_store(*args)
        finally:
            sealed.set()

    worker = pipeline(deps, Files(document_photo(1, card=True)))
    with patch("intake.documents.pipeline.check_seal_and_store", slow_seal):
        task = asyncio.create_task(worker.drain())
        assert await asyncio.to_thread(sealing.wait, 5)
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        release.set()
        assert await asyncio.to_thread(sealed.wait, 5)
    for _ in range(50):  # the worker's file is dropped as soon as its future is done
        if not blob_files(deps):
            break
        await asyncio.sleep(0.02)
    assert blob_files(deps) == []
    async with deps.database.sessions() as session:
        document = await session.get(Document, document_id)
    assert document is not None
    assert document.status is DocumentStatus.PENDING


class SlowFiles(Files):
    async def fetch(self, file_id: str, *, max_bytes: int) -> bytes:
        await asyncio.sleep(0.3)
        return await super().fetch(file_id, max_bytes=max_bytes)


async def test_stopping_waits_until_the_resident_is_told(deps: Deps) -> None:
    """Stopped while a document is on its way: the pipeline returns only after the resident's
    photo is deleted too (the task doing that starts when the verdict commits, after the stop)."""
    await import_province(deps, "66")
    await create_escrow_key(deps, "66")
    await create_commune_key(deps, "24175", "a long passphrase for the test")
    await pending_document(deps, "24175")
    directory = DirectoryCache(deps, "66")
    forgotten: list[int] = []

    async def deliver(chat_id: int, outcome: Outcome) -> None:
        return None

    async def forget(chat_id: int, message_id: int) -> None:
        await asyncio.sleep(0.2)
        forgotten.append(message_id)

    worker = DocumentPipeline(
        deps,
        SlowFiles(document_photo(1, card=True)),
        ResidentDesk(deps, bot_id=1, directory=directory),
        directory,
        deliver=deliver,
        forget_message=forget,
        lease=timedelta(seconds=30),
    )
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run(stop, poll=0.05))
    await asyncio.sleep(0.1)  # claimed, still fetching
    stop.set()
    await asyncio.wait_for(running, 10)
    assert forgotten == [1]


async def test_a_file_that_cannot_be_fetched_is_retried_then_refused(deps: Deps) -> None:
    await import_province(deps, "66")
    document_id = await pending_document(deps, "24175")
    worker = pipeline(deps, Files(None))
    for _ in range(6):
        await skip_backoff(deps, document_id)
        await worker.drain()
    async with deps.database.sessions() as session:
        document = await session.get(Document, document_id)
    assert document is not None
    assert document.status is DocumentStatus.REFUSED


async def test_an_unreadable_outbox_row_fails_alone(deps: Deps) -> None:
    async with deps.database.sessions.begin() as session:
        good = await enqueue(
            session, deps, chat_id=1, kind="x", message=OutboxMessage("help.resident", "vi")
        )
        bad = await enqueue(
            session, deps, chat_id=2, kind="x", message=OutboxMessage("help.resident", "vi")
        )
        good_row, bad_row = await session.get(Outbox, good), await session.get(Outbox, bad)
        assert good_row is not None
        assert bad_row is not None
        bad_row.payload_enc = good_row.payload_enc  # bound to another row: cannot be opened here
    due = await OutboxService(deps).claim_due()
    assert [m.chat_id for m in due] == [1]
    async with deps.database.sessions() as session:
        statuses = dict((await session.execute(select(Outbox.chat_id, Outbox.status))).all())
        count = await session.scalar(select(func.count()).select_from(Outbox))
    assert statuses[2] is OutboxStatus.FAILED
    assert count == 2


async def test_a_chat_is_checking_from_its_documents_taken_until_they_are_settled(
    deps: Deps,
) -> None:
    """What holds the chat's checklist edit back until the verdicts are in (handlers/replies)."""
    *_, worker = await two_of_one_chat(deps)
    assert not worker.checking(1)
    assert await worker.process_pending() == 2
    assert worker.checking(1)
    assert not worker.checking(2)
    await worker.drain()
    assert not worker.checking(1)


async def test_a_document_that_cannot_be_committed_does_not_hold_up_its_album(
    deps: Deps,
) -> None:
    """A chat's verdicts that fail together are committed each on its own: the others are
    settled, the failing one is tried again later, and its sealed file is not left behind."""
    bad, good, worker = await two_of_one_chat(deps)

    async def failing_one(judged: list[Any], settled: list[int]) -> None:
        if any(one.document.id == bad for one in judged):
            raise RuntimeError("this one cannot be written")

    settled = await drain_settling(worker, failing_one)
    assert sorted(settled) == [1, 1, 2]
    async with deps.database.sessions() as session:
        rows = {d.id: d for d in await session.scalars(select(Document))}
        blobs = await session.scalar(select(func.count()).select_from(Blob))
    assert rows[good].status is DocumentStatus.STORED
    assert rows[bad].status is DocumentStatus.PENDING  # tried again after its backoff
    assert rows[bad].last_error == "RuntimeError"
    assert blobs == 1
    assert len(blob_files(deps)) == 1


# --- sealed files a crash left behind (issue: "sealed blob files orphaned by a crash") -------


async def _keyed_commune(deps: Deps) -> None:
    await import_province(deps, "66")
    await create_escrow_key(deps, "66")
    await create_commune_key(deps, "24175", "a long passphrase for the test")


async def test_a_crash_between_the_sealed_file_and_its_verdict_leaves_no_file(
    deps: Deps,
) -> None:
    """A worker wrote attempt 1's file and the process died before the verdict: the name was
    recorded with the lease, so the next claim (attempt 2) deletes that file and seals the
    document once; attempt 1, were it still alive, can no longer settle it."""
    await _keyed_commune(deps)
    document_id = await pending_document(deps, "24175")
    await skip_backoff(deps, document_id)
    async with deps.database.sessions.begin() as session:  # taken by a process, attempt 1
        row = await session.get(Document, document_id)
        assert row is not None
        row.attempts = 1
    crashed = blob_name(document_id, 1)
    deps.blobs.write(b"age-encryption.org/v1 sealed, never recorded", crashed)
    worker = pipeline(deps, Files(document_photo(1, card=True)))
    await worker.drain()  # the lease ran out (0 s here): claimed again as attempt 2
    assert not deps.blobs.exists(crashed)
    async with deps.database.sessions() as session:
        document = await session.get(Document, document_id)
        names = list(await session.scalars(select(Blob.name)))
    assert document is not None
    assert document.status is DocumentStatus.STORED
    assert document.attempts == 2
    assert names == [blob_name(document_id, 2)]
    assert [str(p.relative_to(deps.blobs.root)) for p in blob_files(deps)] == names


async def test_an_attempt_fenced_off_by_a_newer_one_cannot_settle(deps: Deps) -> None:
    await _keyed_commune(deps)
    document_id = await pending_document(deps, "24175")
    worker = pipeline(deps, Files(document_photo(1, card=True)))
    [first] = await worker._claim(10)
    await skip_backoff(deps, document_id)
    [second] = await worker._claim(10)  # the first one's lease ran out
    assert (first.attempts, second.attempts) == (1, 2)
    late = await worker._judge(first)  # the slow first attempt finishes now
    assert late is not None
    assert await worker._finish([late]) is None  # refused: a newer attempt holds it
    async with deps.database.sessions() as session:
        document = await session.get(Document, document_id)
    assert document is not None
    assert document.status is DocumentStatus.PENDING


async def test_the_start_up_sweep_removes_only_files_no_row_owns(deps: Deps) -> None:
    await _keyed_commune(deps)
    pending_id = await pending_document(deps, "24175")
    async with deps.database.sessions.begin() as session:
        row = await session.get(Document, pending_id)
        assert row is not None
        row.attempts = 3
        kept_blob = Blob(name=deps.blobs.new_name(), size=1, sha256=b"0" * 32)
        deleted_blob = Blob(
            name=deps.blobs.new_name(), size=1, sha256=b"0" * 32, deleted_at=utcnow()
        )
        session.add_all([kept_blob, deleted_blob])
    owned = {
        kept_blob.name: "a committed blob",
        blob_name(pending_id, 3): "the current attempt of a pending document",
    }
    orphans = {
        deleted_blob.name: "a deletion whose file removal did not run",
        blob_name(pending_id, 2): "an attempt fenced off by a newer one",
        deps.blobs.new_name(): "a file no row has ever named",
    }
    for name in [*owned, *orphans]:
        deps.blobs.write(b"sealed", name)
    assert await sweep_unowned_blobs(deps) == len(orphans)
    left = {str(p.relative_to(deps.blobs.root)) for p in blob_files(deps)}
    assert left == set(owned)
    assert await sweep_unowned_blobs(deps) == 0
