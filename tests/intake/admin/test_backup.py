"""Backup and restore through the services, on SQLite and PostgreSQL: a restored copy has the
same `hoso status` figures, every sealed document opens with the commune's key and the audit
chain verifies; a backup taken while submissions keep coming restores consistently; and a backup
that does not verify, a target that is not empty, a full disk — each is refused in one sentence
with nothing half-written left behind."""

from __future__ import annotations

import asyncio
import errno
import json
import os
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

import intake.admin._backup as backup_module
from crypto import Identity, open_document
from intake.admin import (
    BackupError,
    BackupMade,
    collect_status,
    make_backup,
    recipients_for_commune,
    restore_backup,
    status_record,
)
from storage.blobs import BlobStore, LocalBlobStore
from storage.db import AUDIT_KEY, Database, sqlite_url
from storage.deps import Deps
from storage.models import Blob, Commune, Document
from storage.repositories.audit import append_event
from storage.repositories.backup import relations_in
from storage.repositories.documents import delete_documents
from storage.states import ActorKind, DocumentStatus
from tests.conftest import PG_URL
from tests.fixtures.pull_data import COMMUNE, Doc, add_submission, jpeg
from tests.fixtures.scratch_databases import scratch_database
from tests.fixtures.world import install_commune

TIMEOUT = 15.0  # HOSO_PROCESS_TIMEOUT's default


@dataclass
class Sealed:
    identity: Identity
    escrow: Identity
    photos: set[bytes]


async def _recipients(deps: Deps) -> Any:
    async with deps.database.sessions() as session:
        commune_id = await session.scalar(select(Commune.id).where(Commune.code == COMMUNE))
    assert commune_id is not None
    return await recipients_for_commune(deps, commune_id)


async def withdraw(deps: Deps, blob_name: str) -> None:
    """What a withdrawal or a purge does: the documents marked deleted, then the files."""
    async with deps.database.sessions.begin() as session:
        documents = list(
            await session.scalars(
                select(Document)
                .join(Blob, Document.blob_id == Blob.id)
                .where(Blob.name == blob_name)
            )
        )
        names = await delete_documents(session, documents)
    for name in names:
        deps.blobs.delete(name)


async def populate(deps: Deps, count: int = 3) -> Sealed:
    """The commune with its keys; submissions with sealed photos, a pending document each,
    and one photo withdrawn (its row deleted, its file gone)."""
    identity, escrow = await install_commune(deps)
    recipients = await _recipients(deps)
    photos: set[bytes] = set()
    for number in range(count):
        front, back = jpeg(f"front {number}"), jpeg(f"back {number}")
        photos |= {front, back}
        await add_submission(
            deps,
            f"HP-AAA{number:02d}",
            [
                Doc("cccd_front", front),
                Doc("cccd_back", back),
                Doc("gcn_cover", None, status=DocumentStatus.PENDING),
            ],
            village=None,
            recipients=recipients,
        )
    async with deps.database.sessions() as session:
        first = await session.scalar(select(Blob.name).order_by(Blob.created_at, Blob.name))
    assert first is not None
    photos.discard(open_document(deps.blobs.read(first), identity))
    await withdraw(deps, first)
    return Sealed(identity, escrow, photos)


def audit_key_of(deps: Deps) -> Any:
    return deps.database.sessions.kw["info"][AUDIT_KEY]


@asynccontextmanager
async def restore_target(deps: Deps, tmp_path: Path) -> AsyncIterator[tuple[Path, str]]:
    """An empty data directory and database: SQLite in it, or a new PostgreSQL database."""
    data_dir = tmp_path / "restored"
    if deps.database.backend == "sqlite":
        yield data_dir, sqlite_url(data_dir.absolute() / "hoso.db")
        return
    assert PG_URL is not None
    async with scratch_database(PG_URL) as url:
        yield data_dir, url


@asynccontextmanager
async def restored_deps(deps: Deps, data_dir: Path, url: str) -> AsyncIterator[Deps]:
    """The restored copy, opened with the source's keys (as the operator puts them back)."""
    database = Database.connect(url, audit_key=audit_key_of(deps))
    try:
        yield Deps(database, deps.fields, deps.blind, LocalBlobStore(data_dir / "blobs"))
    finally:
        await database.close()


async def opened(restored: Deps, identity: Identity) -> list[bytes]:
    """Every stored document of the restored copy, opened with `identity`."""
    async with restored.database.sessions() as session:
        names = list(
            await session.scalars(
                select(Blob.name)
                .join(Document, Document.blob_id == Blob.id)
                .where(Document.status == DocumentStatus.STORED)
            )
        )
    return [open_document(restored.blobs.read(name), identity) for name in names]


async def target_is_empty(data_dir: Path, url: str) -> bool:
    if data_dir.exists() or any(p.name.startswith(".restored") for p in data_dir.parent.iterdir()):
        return False
    if url.startswith("sqlite"):
        return not (data_dir / "hoso.db").exists()
    database = Database.connect(url)
    try:
        async with database.engine.connect() as connection:
            return await relations_in(connection, "public") == []
    finally:
        await database.close()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


async def test_backup_then_restore_has_the_same_figures_documents_and_chain(
    deps: Deps, tmp_path: Path
) -> None:
    sealed = await populate(deps)
    before = status_record(await collect_status(deps, process_timeout=TIMEOUT))

    made = await make_backup(deps, tmp_path / "out", process_timeout=TIMEOUT)

    assert made.manifest.status == before
    assert made.blob_count == len(sealed.photos) == 5
    assert made.attempts == 1
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == [
        "blobs",
        "database",
        "manifest.json",
    ]
    assert leftovers(tmp_path) == []
    async with restore_target(deps, tmp_path) as (data_dir, url):
        restored = await restore_backup(tmp_path / "out", data_dir=data_dir, database_url=url)
        assert restored.blob_count == 5
        async with restored_deps(deps, data_dir, url) as copy:
            status = await collect_status(copy, process_timeout=TIMEOUT)
            assert status_record(status) == before
            assert status.audit_chain is not None
            assert status.audit_chain.intact
            assert status.audit_chain.events > 0
            assert sorted(await opened(copy, sealed.identity)) == sorted(sealed.photos)
            assert sorted(await opened(copy, sealed.escrow)) == sorted(sealed.photos)
            assert status.documents_by_status == {"pending": 3, "stored": 5, "deleted": 1}
        assert leftovers(tmp_path) == []


async def test_a_backup_taken_while_submissions_keep_coming_restores_consistently(
    deps: Deps, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sealed = await populate(deps, count=1)
    recipients = await _recipients(deps)
    written: set[bytes] = set()
    stop = asyncio.Event()

    async def keep_writing() -> None:
        number = 0
        while not stop.is_set():
            photo = jpeg(f"while {number}")
            written.add(photo)
            await add_submission(
                deps,
                f"HP-W{number:05d}",
                [Doc("cccd_front", photo), Doc("cccd_back", None, status=DocumentStatus.PENDING)],
                village=None,
                recipients=recipients,
            )
            async with deps.database.sessions.begin() as session:
                await append_event(
                    session,
                    actor_kind=ActorKind.SYSTEM,
                    actor_id=None,
                    action="test_write",
                    data={"n": number},
                )
            number += 1
            await asyncio.sleep(0)

    copy = backup_module.copy_blob

    def slow_copy(source: BlobStore, name: str, target: Path) -> Any:
        time.sleep(0.01)  # the copy of the sealed files takes a while: writes go on meanwhile
        return copy(source, name, target)

    monkeypatch.setattr(backup_module, "copy_blob", slow_copy)

    async def submissions() -> int:
        return int((await collect_status(deps, process_timeout=TIMEOUT)).counts["submissions"])

    writer = asyncio.create_task(keep_writing())
    try:
        while await submissions() < 5:  # noqa: ASYNC110 — the writer runs meanwhile
            await asyncio.sleep(0.01)
        made = await make_backup(deps, tmp_path / "out", process_timeout=TIMEOUT)
        after = await submissions()
    finally:
        stop.set()
        await writer
    at_snapshot = made.manifest.status["counts"]["submissions"]
    assert 5 <= at_snapshot < after  # the snapshot is one moment of a database still written

    async with restore_target(deps, tmp_path) as (data_dir, url):
        await restore_backup(tmp_path / "out", data_dir=data_dir, database_url=url)
        async with restored_deps(deps, data_dir, url) as restored:
            status = await collect_status(restored, process_timeout=TIMEOUT)
            assert status_record(status) == made.manifest.status
            assert status.audit_chain is not None
            assert status.audit_chain.intact
            photos = await opened(restored, sealed.identity)
            # one photo per submission: the one left by `populate`, one per write
            assert len(photos) == made.blob_count == at_snapshot
            assert set(photos) <= sealed.photos | written
            on_disk = {
                name for d in restored.blobs.directories() for name in restored.blobs.names_in(d)
            }
            async with restored.database.sessions() as session:
                live = set(
                    await session.scalars(select(Blob.name).where(Blob.deleted_at.is_(None)))
                )
            assert on_disk == live  # no file written after the snapshot came along


async def test_a_sealed_file_deleted_during_the_backup_makes_it_start_again(
    deps: Deps, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await populate(deps, count=2)
    loop = asyncio.get_running_loop()
    copy = backup_module.copy_blob
    withdrawn: list[str] = []

    def copy_while_withdrawn(source: BlobStore, name: str, target: Path) -> Any:
        if not withdrawn:  # the first file is withdrawn between the snapshot and its copy
            withdrawn.append(name)
            asyncio.run_coroutine_threadsafe(withdraw(deps, name), loop).result()
        return copy(source, name, target)

    monkeypatch.setattr(backup_module, "copy_blob", copy_while_withdrawn)
    made = await make_backup(deps, tmp_path / "out", process_timeout=TIMEOUT)

    assert made.attempts == 2
    assert made.blob_count == 2  # four photos, one withdrawn before and one during
    assert withdrawn[0] not in made.manifest.blob_files
    assert made.manifest.status == status_record(
        await collect_status(deps, process_timeout=TIMEOUT)
    )
    async with restore_target(deps, tmp_path) as (data_dir, url):
        await restore_backup(tmp_path / "out", data_dir=data_dir, database_url=url)


async def test_a_damaged_blob_store_is_said_and_nothing_is_kept(
    deps: Deps, tmp_path: Path
) -> None:
    await populate(deps, count=1)
    async with deps.database.sessions() as session:
        name = await session.scalar(select(Blob.name).where(Blob.deleted_at.is_(None)))
    assert name is not None
    sealed = deps.blobs.read(name)

    deps.blobs.path_of(name).unlink()
    with pytest.raises(BackupError, match="missing from the blob store") as lost:
        await make_backup(deps, tmp_path / "out", process_timeout=TIMEOUT)
    deps.blobs.write(sealed[:-1] + bytes([sealed[-1] ^ 1]), name)
    with pytest.raises(BackupError, match="differ from the checksum") as damaged:
        await make_backup(deps, tmp_path / "out", process_timeout=TIMEOUT)

    assert name in str(lost.value)
    assert name in str(damaged.value)
    assert not (tmp_path / "out").exists()
    assert leftovers(tmp_path) == []


def _rewrite_manifest(out: Path, change: Any, *, reseal: bool) -> None:
    """Edit the manifest; `reseal`: recompute its checksum, as a forger would."""
    import hashlib

    path = out / "manifest.json"
    data = json.loads(path.read_text())
    del data["manifest_sha256"]
    change(data)
    if reseal:
        canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        data["manifest_sha256"] = hashlib.sha256(canonical.encode()).hexdigest()
    else:
        data["manifest_sha256"] = json.loads(path.read_text())["manifest_sha256"]
    path.write_text(json.dumps(data))


def _a_blob(out: Path) -> Path:
    return next(p for p in (out / "blobs").rglob("*") if p.is_file())


def _edit_count(data: dict[str, Any]) -> None:
    data["status"]["counts"]["submissions"] += 1


def _flip_byte(out: Path) -> None:
    blob = _a_blob(out)
    body = bytearray(blob.read_bytes())
    body[len(body) // 2] ^= 1
    blob.write_bytes(bytes(body))


def _swap_blob_and_reseal(out: Path) -> None:
    """A blob replaced and the manifest's entry and checksum recomputed to match."""
    import hashlib

    blob = _a_blob(out)
    blob.write_bytes(b"age-encryption.org/v1 forged")
    relative = blob.relative_to(out).as_posix()

    def change(data: dict[str, Any]) -> None:
        data["files"][relative] = {
            "size": blob.stat().st_size,
            "sha256": hashlib.sha256(blob.read_bytes()).hexdigest(),
        }

    _rewrite_manifest(out, change, reseal=True)


TAMPERINGS = {
    "manifest edited": (
        lambda out: _rewrite_manifest(out, _edit_count, reseal=False),
        "does not match its own checksum",
    ),
    "sealed file changed": (_flip_byte, "does not match its manifest's SHA-256"),
    "sealed file missing": (lambda out: _a_blob(out).unlink(), "lacks blobs/"),
    "database missing": (lambda out: (out / "database").rename(out / "db"), "lacks database/"),
    "file added": (
        lambda out: (out / "blobs" / "notes.txt").write_text("x"),
        "holds blobs/notes.txt, which its manifest does not list",
    ),
    "file and manifest rewritten together": (
        _swap_blob_and_reseal,
        "differs from the one its database recorded",
    ),
    "not a backup": (lambda out: (out / "manifest.json").unlink(), "holds no manifest.json"),
}


@pytest.mark.parametrize("tampering", list(TAMPERINGS))
async def test_a_backup_that_does_not_verify_is_refused_and_nothing_is_restored(
    deps: Deps, tmp_path: Path, tampering: str
) -> None:
    await populate(deps, count=1)
    made: BackupMade = await make_backup(deps, tmp_path / "out", process_timeout=TIMEOUT)
    damage, message = TAMPERINGS[tampering]
    damage(made.path)

    async with restore_target(deps, tmp_path) as (data_dir, url):
        with pytest.raises(BackupError, match=message) as refused:
            await restore_backup(made.path, data_dir=data_dir, database_url=url)
        assert "\n" not in str(refused.value)
        assert await target_is_empty(data_dir, url)


async def test_a_target_that_is_not_empty_is_refused(deps: Deps, tmp_path: Path) -> None:
    await populate(deps, count=1)
    made = await make_backup(deps, tmp_path / "out", process_timeout=TIMEOUT)
    async with restore_target(deps, tmp_path) as (data_dir, url):
        data_dir.mkdir()
        (data_dir / "hoso.db").write_bytes(b"something")
        with pytest.raises(BackupError, match=r"is not empty \(it holds hoso\.db\)"):
            await restore_backup(made.path, data_dir=data_dir, database_url=url)
        assert (data_dir / "hoso.db").read_bytes() == b"something"
        (data_dir / "hoso.db").unlink()

        await restore_backup(made.path, data_dir=data_dir, database_url=url)
        again = tmp_path / "again"
        with pytest.raises(BackupError, match=r"not empty|exists"):
            await restore_backup(made.path, data_dir=again, database_url=url)
        assert not again.exists()


async def test_the_backup_folder_must_be_new_or_empty(deps: Deps, tmp_path: Path) -> None:
    await populate(deps, count=1)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(BackupError, match="is not empty"):
        await make_backup(deps, tmp_path / "full", process_timeout=TIMEOUT)
    with pytest.raises(BackupError, match="does not exist"):
        await make_backup(deps, tmp_path / "no" / "such" / "out", process_timeout=TIMEOUT)
    (tmp_path / "empty").mkdir()
    made = await make_backup(deps, tmp_path / "empty", process_timeout=TIMEOUT)
    assert (made.path / "manifest.json").exists()
    assert leftovers(tmp_path) == []


async def test_a_full_disk_is_one_sentence_and_leaves_nothing(
    deps: Deps, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await populate(deps, count=1)

    def disk_full(source: BlobStore, name: str, target: Path) -> Any:
        target.write_bytes(b"half a file")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(backup_module, "copy_blob", disk_full)
    with pytest.raises(BackupError) as refused:
        await make_backup(deps, tmp_path / "out", process_timeout=TIMEOUT)

    assert str(refused.value).startswith(
        f"there is not enough free space in {tmp_path} for the backup (it needs about "
    )
    assert str(refused.value).endswith("MB); nothing was kept")
    assert not (tmp_path / "out").exists()
    assert leftovers(tmp_path) == []


async def test_a_backup_interrupted_midway_leaves_nothing(
    deps: Deps, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    await populate(deps, count=2)
    copy = backup_module.copy_blob
    copying = asyncio.Event()
    loop = asyncio.get_running_loop()

    def slow_copy(source: BlobStore, name: str, target: Path) -> Any:
        loop.call_soon_threadsafe(copying.set)
        time.sleep(0.05)
        return copy(source, name, target)

    monkeypatch.setattr(backup_module, "copy_blob", slow_copy)
    backup = asyncio.create_task(make_backup(deps, tmp_path / "out", process_timeout=TIMEOUT))
    await copying.wait()
    backup.cancel()  # what Ctrl-C does to the command's task
    with pytest.raises(asyncio.CancelledError):
        await backup

    assert not (tmp_path / "out").exists()
    assert leftovers(tmp_path) == []
