"""The document pipeline and the outbox when things go wrong: nothing hangs, nothing leaks."""

from __future__ import annotations

import uuid
from datetime import timedelta

from sqlalchemy import func, select

from intake.deps import Deps
from intake.directory import DirectoryCache
from intake.documents import DocumentPipeline, FileUnavailable
from intake.keys import create_escrow_key
from intake.outbox import OutboxMessage, OutboxService, enqueue
from intake.residents import Outcome, ResidentDesk
from intake.units import import_province
from storage.models import Commune, Document, Outbox
from storage.states import DocumentStatus, OutboxStatus
from tests.e2e.photos import document_photo


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
        bad.payload_enc = good.payload_enc  # bound to another row: cannot be opened here
    due = await OutboxService(deps).claim_due()
    assert [m.chat_id for m in due] == [1]
    async with deps.database.sessions() as session:
        statuses = dict((await session.execute(select(Outbox.chat_id, Outbox.status))).all())
        count = await session.scalar(select(func.count()).select_from(Outbox))
    assert statuses[2] is OutboxStatus.FAILED
    assert count == 2
