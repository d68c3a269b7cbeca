"""A document waiting for the pipeline, as the pipeline needs it (no database row attached).

Each attempt at a document writes its sealed file under a name derived from the document's id
and the attempt's number (`blob_name`), both recorded with the lease before the file exists:
a file that a crash left behind is recognised as no committed row's, and removed.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from storage.blobs import BlobStore

__all__ = ["PendingDocument", "blob_name"]


@dataclass(frozen=True)
class PendingDocument:
    id: uuid.UUID
    slot: str
    file_id: str
    file_unique_id: str
    commune_id: int | None
    chat_id: int
    message_id: int
    attempts: int  # this attempt's number: its verdict commits only while it is the latest
    store_waits: int = 0  # the attempts before it that found the blob store unavailable

    @property
    def tries(self) -> int:
        """The attempts that count toward giving up (this one included): not those that
        found the blob store unavailable."""
        return self.attempts - self.store_waits

    @property
    def blob_name(self) -> str:
        """Where this attempt writes the sealed file."""
        return blob_name(self.id, self.attempts)


def blob_name(document_id: uuid.UUID, attempt: int) -> str:
    return BlobStore.derived_name(document_id.bytes + attempt.to_bytes(4, "big"))
