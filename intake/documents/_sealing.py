"""Checking and sealing one upload: the CPU-bound part of the document pipeline.

A function of bytes, the blob store's spec and a blob name, so that it can run in worker
processes (bot/photo_processes.py) and decode, measure, encrypt and write without holding the
event loop's GIL. The worker writes the sealed file itself (atomically, as `storage.blobs`
always does: a local file, or one put into the bucket) before it returns, and sends back only
the check and the blob's name, size and digest: the photo's bytes cross between the processes
once, not twice, and the sealed bytes never come back to the
bot process. The bot chooses the name, records the blob in the same transaction as the verdict,
and deletes the file when that transaction does not commit or the result never arrives
(intake/documents/pipeline.py). Imports only the photo checks, the crypto and the blob store, which
keeps each worker small.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from crypto import CommuneRecipients, seal_document
from intake.flow import slot_kind
from intake.photos import FileKind, PhotoCheck, prepare_document
from storage.blobs import BlobSpec, BlobStore, StoredBlob

__all__ = ["SealedDocument", "check_seal_and_store"]


@dataclass(frozen=True)
class SealedDocument:
    """What comes back from a worker: the check and the stored blob, never the document."""

    check: PhotoCheck
    kind: FileKind  # of the sealed document: a HEIF photo is stored as JPEG
    blob: StoredBlob


@lru_cache(maxsize=4)
def _store(spec: BlobSpec) -> BlobStore:
    return spec.open()


def check_seal_and_store(
    data: bytes, slot: str, recipients: CommuneRecipients, blobs: BlobSpec, name: str
) -> SealedDocument | PhotoCheck:
    """The stripped document sealed for the commune and written to the blob store `blobs`
    opens as `name`; or, when the photo must be retaken, what the check found (nothing
    written). Raises DocumentRefused for a file that is not a readable photo or scan, and an
    OSError when the store cannot take it (the document is tried again later)."""
    prepared = prepare_document(data, slot_kind(slot))
    if not prepared.check.accepted:
        return prepared.check
    blob = _store(blobs).write(seal_document(prepared.data, recipients), name)
    return SealedDocument(prepared.check, prepared.kind, blob)
