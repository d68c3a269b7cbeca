"""Builds the services from the settings: the one place that knows where everything lives."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.config import Settings
from crypto import FieldCipher, KeyFiles
from intake.admin import record_field_keys
from storage.blobs import BlobStore
from storage.db import Database
from storage.deps import Deps

__all__ = ["keyfiles_for", "open_deps"]


def keyfiles_for(settings: Settings) -> KeyFiles:
    return KeyFiles(
        settings.keys_dir,
        field_keys_env=settings.field_keys.get_secret_value() if settings.field_keys else None,
        blind_index_env=(
            settings.blind_index_key.get_secret_value() if settings.blind_index_key else None
        ),
    )


@asynccontextmanager
async def open_deps(settings: Settings, *, create_keys: bool = False) -> AsyncIterator[Deps]:
    """Open the database (upgrading its schema), the key files and the blob store."""
    settings.ensure_data_dir()
    keyfiles = keyfiles_for(settings)
    if create_keys:
        keyfiles.create_missing()
    cipher = FieldCipher(keyfiles.keyring(), reload=keyfiles.keyring)
    blind = keyfiles.blind_index()
    database = Database.connect(settings.effective_database_url)
    try:
        await database.upgrade()
        deps = Deps(database, cipher, blind, BlobStore(settings.blobs_dir))
        await record_field_keys(deps)
        yield deps
    finally:
        await database.close()
