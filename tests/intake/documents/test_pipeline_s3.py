"""The document pipeline with its sealed files in an S3 bucket (moto's server): a photo sealed
into the bucket end to end, an outage that leaves the document pending until the store is
back, and the sweep of objects no row owns."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.photo_processes import PhotoProcesses
from crypto import CommuneRecipients, create_identity, open_document
from intake.admin import create_commune_key, create_escrow_key, import_province
from intake.documents import SealedDocument, blob_name, check_seal_and_store
from intake.documents.orphans import claim_blob_store, sweep_unowned_blobs
from intake.documents.pipeline import MAX_ATTEMPTS
from intake.photos import SlotKind, prepare_document
from storage.blobs import BlobStoreOwned, BlobStoreUnavailable, S3BlobSpec
from storage.deps import Deps
from storage.models import Blob, Document, utcnow
from storage.states import DocumentStatus
from tests.conftest import PG_URL
from tests.fixtures.databases import fresh_database
from tests.fixtures.net import free_port
from tests.fixtures.photos import document_photo
from tests.fixtures.s3 import S3Server, raw_objects, start_moto
from tests.intake.documents.test_pipeline_failures import (
    Files,
    pending_document,
    pipeline,
    skip_backoff,
)

PASSPHRASE = "a long passphrase for the test"


@pytest.fixture
def s3_deps(deps: Deps, s3_spec: S3BlobSpec) -> Deps:
    return dataclasses.replace(deps, blobs=s3_spec.open())


async def document_row(deps: Deps, document_id: uuid.UUID) -> Document:
    async with deps.database.sessions() as session:
        row = await session.get(Document, document_id)
    assert row is not None
    return row


async def test_a_photo_is_sealed_into_the_bucket(s3_deps: Deps, s3_server: S3Server) -> None:
    deps = s3_deps
    await import_province(deps, "66")
    await create_escrow_key(deps, "66")
    commune = await create_commune_key(deps, "24175", PASSPHRASE)
    document_id = await pending_document(deps, "24175")
    photo = document_photo(1, card=True)

    await pipeline(deps, Files(photo)).drain()

    document = await document_row(deps, document_id)
    assert document.status is DocumentStatus.STORED
    async with deps.database.sessions() as session:
        blob = await session.get(Blob, document.blob_id)
    assert blob is not None
    key = f"{deps.blobs.spec.prefix}/{blob.name}"  # type: ignore[union-attr]
    sealed = raw_objects(s3_server)[key]  # read by another client, as the bucket holds it
    assert (len(sealed), hashlib.sha256(sealed).digest()) == (blob.size, blob.sha256)
    assert (
        open_document(sealed, commune.identity) == prepare_document(photo, SlotKind.ID_CARD).data
    )
    assert deps.blobs.names_after() == [blob.name]  # nothing else: no temporary objects


async def test_an_outage_leaves_the_document_pending_until_the_store_is_back(
    deps: Deps, flaky_s3: tuple[S3Server, list[Any]]
) -> None:
    s3, servers = flaky_s3
    deps = dataclasses.replace(deps, blobs=s3.spec(f"test/{uuid.uuid4().hex}").open())
    await import_province(deps, "66")
    await create_escrow_key(deps, "66")
    await create_commune_key(deps, "24175", PASSPHRASE)
    document_id = await pending_document(deps, "24175")
    async with deps.database.sessions.begin() as session:
        row = await session.get(Document, document_id)
        assert row is not None
        row.attempts = MAX_ATTEMPTS - 1  # the outage starts at its last attempt
    worker = pipeline(deps, Files(document_photo(1, card=True)))

    servers[0].stop()
    await worker.drain()
    document = await document_row(deps, document_id)
    assert document.status is DocumentStatus.PENDING  # waits: not given up, not lost
    assert (document.attempts, document.last_error) == (MAX_ATTEMPTS, "blob store unavailable")
    assert document.not_before is not None
    assert document.not_before > utcnow()
    assert document.blob_id is None

    servers.append(start_moto(int(s3.endpoint.rsplit(":", 1)[1])))
    await skip_backoff(deps, document_id)
    await worker.drain()
    document = await document_row(deps, document_id)
    assert document.status is DocumentStatus.STORED
    async with deps.database.sessions() as session:
        blob = await session.get(Blob, document.blob_id)
        assert await session.scalar(select(func.count()).select_from(Blob)) == 1
    assert blob is not None
    assert deps.blobs.names_after() == [blob.name]


async def test_the_sweep_removes_only_objects_no_row_owns(
    s3_deps: Deps, s3_server: S3Server
) -> None:
    deps = s3_deps
    await import_province(deps, "66")
    pending_id = await pending_document(deps, "24175")
    async with deps.database.sessions.begin() as session:
        row = await session.get(Document, pending_id)
        assert row is not None
        row.attempts = 3
        kept = Blob(name=deps.blobs.new_name(), size=1, sha256=b"0" * 32)
        deleted = Blob(name=deps.blobs.new_name(), size=1, sha256=b"0" * 32, deleted_at=utcnow())
        session.add_all([kept, deleted])
    owned = {kept.name, blob_name(pending_id, 3)}
    orphans = {deleted.name, blob_name(pending_id, 2), deps.blobs.new_name()}
    for name in [*owned, *orphans]:
        deps.blobs.write(b"sealed", name)
    prefix = deps.blobs.spec.prefix  # type: ignore[union-attr]
    not_a_blob = f"{prefix}/notes.txt"  # put there by someone else: never touched
    s3_server.client().put_object(Bucket=s3_server.bucket, Key=not_a_blob, Body=b"x")

    assert await sweep_unowned_blobs(deps) == len(orphans)

    assert set(deps.blobs.names_after()) == owned
    assert not_a_blob in raw_objects(s3_server)
    assert await sweep_unowned_blobs(deps) == 0


async def test_a_worker_process_seals_into_the_bucket_and_reports_an_outage(
    s3_spec: S3BlobSpec,
) -> None:
    """The photo processes open the store from its spec; an unreachable store comes back to
    the bot as BlobStoreUnavailable, an OSError, which the pipeline waits out."""
    recipients = CommuneRecipients(
        "24175", (create_identity().recipient,), create_identity().recipient
    )
    closed = dataclasses.replace(s3_spec, endpoint=f"http://127.0.0.1:{free_port()}")
    photo = document_photo(2, card=True)
    workers = PhotoProcesses(1)
    loop = asyncio.get_running_loop()
    try:
        name = s3_spec.open().new_name()
        sealed = await loop.run_in_executor(
            workers, check_seal_and_store, photo, "cccd_front", recipients, s3_spec, name
        )
        with pytest.raises(BlobStoreUnavailable, match="Connection refused"):
            await loop.run_in_executor(
                workers, check_seal_and_store, photo, "cccd_front", recipients, closed, name
            )
    finally:
        workers.shutdown()
    assert isinstance(sealed, SealedDocument)
    assert s3_spec.open().names_after() == [name]


async def test_claims_during_an_outage_do_not_use_up_the_tries(
    deps: Deps, flaky_s3: tuple[S3Server, list[Any]]
) -> None:
    """Many claims that find the store down, then one ordinary failure: the document is tried
    again, not given up (the resident is not told to send it again)."""
    s3, servers = flaky_s3
    deps = dataclasses.replace(deps, blobs=s3.spec(f"test/{uuid.uuid4().hex}").open())
    await import_province(deps, "66")
    await create_escrow_key(deps, "66")
    await create_commune_key(deps, "24175", PASSPHRASE)
    document_id = await pending_document(deps, "24175")
    photo = document_photo(1, card=True)

    servers[0].stop()
    for _ in range(MAX_ATTEMPTS + 1):
        await pipeline(deps, Files(photo)).drain()
        await skip_backoff(deps, document_id)
    document = await document_row(deps, document_id)
    assert document.status is DocumentStatus.PENDING
    assert document.attempts == document.store_waits == MAX_ATTEMPTS + 1

    servers.append(start_moto(int(s3.endpoint.rsplit(":", 1)[1])))
    await pipeline(deps, Files(None)).drain()  # Telegram fails to hand the file over, once
    document = await document_row(deps, document_id)
    assert (document.status, document.last_error) == (DocumentStatus.PENDING, "unavailable")
    assert document.attempts - document.store_waits == 1

    await skip_backoff(deps, document_id)
    await pipeline(deps, Files(photo)).drain()
    assert (await document_row(deps, document_id)).status is DocumentStatus.STORED


async def test_a_prefix_of_another_database_is_refused_and_never_swept(
    s3_deps: Deps, tmp_path: Path
) -> None:
    """Two databases pointed at one prefix: the second is refused in one sentence, and its
    sweep, to which every file of the first looks unowned, removes nothing."""
    first = s3_deps
    await claim_blob_store(first)  # the first start writes the marker
    await import_province(first, "66")
    document_id = await pending_document(first, "24175")
    owned = first.blobs.write(b"sealed", blob_name(document_id, 0)).name  # its attempt's
    orphan = first.blobs.write(b"sealed").name  # no row owns it, in either database
    url = first.blobs.spec.url  # type: ignore[union-attr]

    url_second = PG_URL if first.database.backend == "postgresql" else None
    (tmp_path / "second").mkdir()
    async with fresh_database(url_second, tmp_path / "second", prefix="t2") as database:
        second = dataclasses.replace(first, database=database)
        for start in (claim_blob_store, sweep_unowned_blobs):
            with pytest.raises(BlobStoreOwned) as refused:
                await start(second)
            assert str(refused.value) == (
                f"{url} belongs to another hoso database: give each database its own prefix"
            )

    assert set(first.blobs.names_after()) == {owned, orphan}  # nothing swept
    assert await sweep_unowned_blobs(first) == 1  # the owner sweeps its own orphan only
    assert first.blobs.names_after() == [owned]
