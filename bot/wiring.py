"""Builds the services from the settings: the one place that knows where everything lives."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.config import Settings
from crypto import FieldCipher, KeyFiles
from intake.admin import key_audit_chain, record_field_keys
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
        audit_key_env=settings.audit_key.get_secret_value() if settings.audit_key else None,
    )


@asynccontextmanager
async def open_deps(settings: Settings, *, create_keys: bool = False) -> AsyncIterator[Deps]:
    """Open the database (upgrading its schema), the key files and the blob store;
    `create_keys`: make the missing server keys first, as `hoso init` does (a new audit key
    keys an existing audit chain)."""
    settings.ensure_data_dir()
    keyfiles = keyfiles_for(settings)
    created = keyfiles.create_missing() if create_keys else []
    cipher = FieldCipher(keyfiles.keyring(), reload=keyfiles.keyring)
    blind = keyfiles.blind_index()
    database = Database.connect(settings.effective_database_url, audit_key=keyfiles.audit_key())
    try:
        await database.upgrade()
        deps = Deps(database, cipher, blind, BlobStore(settings.blobs_dir))
        await record_field_keys(deps)
        if KeyFiles.AUDIT_CHAIN in created:
            await key_audit_chain(deps)
        yield deps
    finally:
        await database.close()
