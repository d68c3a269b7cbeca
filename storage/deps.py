"""The services every use case needs: the database, the field cipher, the blind index and the
blob store. Built once at start-up by `bot` (or a test) and handed in; everything in it is
persistence or its protection, which is why it lives here."""

from __future__ import annotations

from dataclasses import dataclass

from crypto import BlindIndex, FieldCipher
from storage.blobs import BlobStore
from storage.db import Database

__all__ = ["Deps"]


@dataclass(frozen=True)
class Deps:
    database: Database
    fields: FieldCipher
    blind: BlindIndex
    blobs: BlobStore
