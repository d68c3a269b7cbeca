"""Photos are checked and sealed in worker processes; a dead worker costs one attempt, no more."""

from __future__ import annotations

import asyncio
import hashlib
import importlib
import os
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from bot.photo_processes import _PRELOAD, PhotoProcesses
from crypto import CommuneRecipients, create_identity, open_document
from intake.documents import SealedDocument, check_seal_and_store
from intake.photos import (
    DocumentRefused,
    PhotoCheck,
    RefusalReason,
    SlotKind,
    prepare_document,
)
from storage.blobs import LocalBlobStore
from tests.fixtures.photos import document_photo


@pytest.fixture(scope="module")
def processes() -> Iterator[PhotoProcesses]:
    workers = PhotoProcesses(1)
    yield workers
    workers.shutdown()


async def test_a_worker_checks_seals_for_the_commune_only_and_stores(
    processes: PhotoProcesses, tmp_path: Path
) -> None:
    commune, escrow, stranger = create_identity(), create_identity(), create_identity()
    recipients = CommuneRecipients("24175", (commune.recipient,), escrow.recipient)
    store = LocalBlobStore(tmp_path / "blobs")
    photo = document_photo(2, card=False)
    loop = asyncio.get_running_loop()
    name = store.new_name()
    result = await loop.run_in_executor(
        processes, check_seal_and_store, photo, "cert_page1", recipients, store.spec, name
    )
    assert isinstance(result, SealedDocument)
    assert result.check.accepted
    assert result.blob.name == name
    sealed = store.read(result.blob.name)
    assert (len(sealed), hashlib.sha256(sealed).digest()) == (result.blob.size, result.blob.sha256)
    stripped = prepare_document(photo, SlotKind.CERTIFICATE).data
    assert open_document(sealed, commune) == stripped
    assert open_document(sealed, escrow) == stripped
    with pytest.raises(Exception, match="document"):
        open_document(sealed, stranger)


async def test_a_refusal_in_a_worker_keeps_its_reason_and_stores_nothing(
    processes: PhotoProcesses, tmp_path: Path
) -> None:
    recipients = CommuneRecipients(
        "24175", (create_identity().recipient,), create_identity().recipient
    )
    store = LocalBlobStore(tmp_path / "blobs")
    root = store.spec
    loop = asyncio.get_running_loop()
    with pytest.raises(DocumentRefused) as refused:
        await loop.run_in_executor(
            processes,
            check_seal_and_store,
            b"not a photo",
            "cccd_front",
            recipients,
            root,
            store.new_name(),
        )
    assert isinstance(refused.value.reason, RefusalReason)
    blurry = document_photo(0, card=True, blur=6.0)
    retake = await loop.run_in_executor(
        processes, check_seal_and_store, blurry, "cccd_front", recipients, root, store.new_name()
    )
    assert isinstance(retake, PhotoCheck)
    assert not retake.accepted
    assert not any(path.is_file() for path in (tmp_path / "blobs").rglob("*"))


async def test_a_dead_worker_fails_its_task_and_the_next_one_gets_a_fresh_pool(
    processes: PhotoProcesses,
) -> None:
    loop = asyncio.get_running_loop()
    with pytest.raises(BrokenProcessPool):
        await loop.run_in_executor(processes, os._exit, 1)  # a decoder crash, say
    assert await loop.run_in_executor(processes, os.getpid) != os.getpid()


def test_workers_do_not_inherit_the_token_or_the_keys(tmp_path: Path) -> None:
    """In a fresh interpreter, so that the fork server starts here and not in another test."""
    script = (
        "import os\n"
        "from bot.photo_processes import PhotoProcesses\n"
        "workers = PhotoProcesses(1)\n"
        "workers.start()\n"
        "seen = workers.submit(os.getenv, 'HOSO_FIELD_KEYS').result()\n"
        "workers.shutdown()\n"
        "print(repr(seen), repr(os.environ.get('HOSO_FIELD_KEYS')))\n"
    )
    env = {**os.environ, "HOSO_FIELD_KEYS": "k1:c2VjcmV0", "HOSO_TELEGRAM_TOKEN": "1:secret"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == ["None", "'k1:c2VjcmV0'"]


def test_the_fork_server_preloads_modules_that_exist() -> None:
    """A renamed module would make the preload silently do nothing."""
    for name in _PRELOAD:
        importlib.import_module(name)
