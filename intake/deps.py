"""The services every use case needs, built once at start-up by `bot` and handed in."""

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
