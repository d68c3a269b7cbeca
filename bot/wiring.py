"""Builds the services from the settings: the one place that knows where everything lives."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.config import Settings
from crypto import FieldCipher, KeyFiles
from intake.admin import key_audit_chain, record_field_keys, seal_audit_chain
from intake.documents.orphans import claim_blob_store
from storage.db import Database
from storage.deps import Deps
from storage.repositories.audit import KeyedChain

__all__ = ["key_the_audit_chain", "keyfiles_for", "open_deps"]


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
    """Open the blob store (proven usable: BlobStoreUnavailable says why not), the database
    (upgrading its schema) and the key files, and tie the store to the database (another
    database's store: BlobStoreOwned); `create_keys`: first make the missing server keys and
    key an old audit chain, as `hoso init` does (`key_the_audit_chain`)."""
    settings.ensure_data_dir()
    blobs = settings.blob_spec.open()
    await asyncio.to_thread(blobs.probe)
    keyfiles = keyfiles_for(settings)
    if create_keys:
        keyfiles.create_missing()
    cipher = FieldCipher(keyfiles.keyring(), reload=keyfiles.keyring)
    blind = keyfiles.blind_index()
    database = Database.connect(settings.effective_database_url, audit_key=keyfiles.audit_key())
    try:
        await database.upgrade()
        deps = Deps(database, cipher, blind, blobs)
        await claim_blob_store(deps)
        await record_field_keys(deps)
        await seal_audit_chain(deps)
        if create_keys:
            await key_the_audit_chain(keyfiles, deps)
        yield deps
    finally:
        await database.close()


async def key_the_audit_chain(keyfiles: KeyFiles, deps: Deps) -> KeyedChain | None:
    """Key a chain written before the audit key existed, once per data directory: a marker
    beside the keys, written after the keying committed, says it was done (a crash before it
    keys again at the next `hoso init`, finding the chain keyed or not). After it, a chain
    found unkeyed was rewritten by someone with the database: it is reported, never keyed."""
    if keyfiles.audit_chain_keyed:
        return None
    keyed = await key_audit_chain(deps)
    keyfiles.mark_audit_chain_keyed()
    return keyed
