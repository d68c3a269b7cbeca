"""Key management use cases: commune and escrow keys for documents, field-key rotation.

Commune keys are created with a passphrase; the database keeps the public recipient and the
passphrase-locked identity, and the caller shows the recovery copy exactly once. The escrow key
of the province is created the same way but only its public recipient is kept: its identity is
printed once and must be stored offline by the province.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from crypto import (
    CommuneRecipients,
    FieldCipher,
    Identity,
    KeyFiles,
    check_passphrase,
    create_identity,
    lock_identity,
    unlock_identity,
)
from storage.deps import Deps
from storage.models import ENCRYPTED_COLUMNS
from storage.repositories import keys, places
from storage.repositories.audit import append_event
from storage.repositories.keys import MissingKey
from storage.repositories.places import commune_by_code
from storage.states import ActorKind

__all__ = [
    "EscrowExists",
    "KeyCreated",
    "MissingKey",
    "RotationResult",
    "UnknownCommune",
    "create_commune_key",
    "create_escrow_key",
    "recipients_for_commune",
    "record_field_keys",
    "rotate_field_keys",
    "unlock_commune_key",
]


class UnknownCommune(LookupError):
    def __init__(self, code: str) -> None:
        super().__init__(
            f"there is no commune with code {code!r}: import its province with "
            "`hoso units import --province CODE`"
        )


class EscrowExists(RuntimeError):
    """The province already has an escrow key."""


@dataclass(frozen=True)
class KeyCreated:
    recipient: str
    identity: Identity
    place: str


async def create_commune_key(deps: Deps, commune_code: str, passphrase: str) -> KeyCreated:
    """A new age key for the commune; the returned identity is the one-time recovery copy."""
    check_passphrase(passphrase)
    identity = create_identity()
    locked = lock_identity(identity, passphrase)
    async with deps.database.sessions.begin() as session:
        commune = await commune_by_code(session, commune_code)
        if commune is None:
            raise UnknownCommune(commune_code)
        await keys.add_commune_key(session, commune.id, identity.recipient, locked)
        await append_event(
            session,
            actor_kind=ActorKind.ADMIN_CLI,
            actor_id=None,
            action="commune_key_created",
            commune_id=commune.id,
            data={"recipient": identity.recipient},
        )
        return KeyCreated(identity.recipient, identity, commune.name)


async def create_escrow_key(
    deps: Deps, province_code: str, *, replace: bool = False
) -> KeyCreated:
    identity = create_identity()
    async with deps.database.sessions.begin() as session:
        province = await places.province_by_code(session, province_code)
        if province is None:
            raise MissingKey(
                f"province {province_code!r} is not imported: run `hoso units import` first"
            )
        if province.escrow_recipient and not replace:
            raise EscrowExists(
                f"{province.name} already has an escrow key ({province.escrow_recipient}); "
                "pass --replace to make a new one for future documents"
            )
        province.escrow_recipient = identity.recipient
        await append_event(
            session,
            actor_kind=ActorKind.ADMIN_CLI,
            actor_id=None,
            action="escrow_key_created",
            data={"province": province.code, "recipient": identity.recipient},
        )
        return KeyCreated(identity.recipient, identity, province.name)


async def recipients_for_commune(deps: Deps, commune_id: int) -> CommuneRecipients:
    """Who may open this commune's documents: its active keys and the province escrow."""
    async with deps.database.sessions() as session:
        return await keys.recipients_for_commune(session, commune_id)


async def unlock_commune_key(deps: Deps, commune_code: str, passphrase: str) -> Identity:
    """Unlock the commune's newest key; a wrong passphrase raises CryptoError."""
    async with deps.database.sessions() as session:
        commune = await commune_by_code(session, commune_code)
        if commune is None:
            raise UnknownCommune(commune_code)
        locked = await keys.newest_locked_identity(session, commune.id)
    if locked is None:
        raise MissingKey(f"commune {commune_code} has no key")
    return unlock_identity(locked, passphrase)


async def record_field_keys(deps: Deps) -> None:
    """Make the `field_key` table list the keyring's key ids and its primary key."""
    keyring = deps.fields.keyring
    async with deps.database.sessions.begin() as session:
        await keys.record_field_keys(session, keyring.key_ids, keyring.primary_id)


@dataclass(frozen=True)
class RotationResult:
    primary_key_id: int
    reencrypted: int
    resumed: bool


async def _reencrypt_all(
    deps: Deps, cipher: FieldCipher, batch: int, progress: Callable[[int], None] | None
) -> int:
    done = 0
    for model in ENCRYPTED_COLUMNS:
        last: object = None
        while True:
            async with deps.database.sessions.begin() as session:
                read, last, changed = await keys.reencrypt_batch(
                    session, cipher, model, last, batch
                )
            done += changed
            if progress is not None:
                progress(read)
            if read < batch:
                break
    return done


async def rotate_field_keys(
    deps: Deps,
    keyfiles: KeyFiles,
    *,
    batch: int = 500,
    progress: Callable[[int], None] | None = None,
) -> RotationResult:
    """Make a new primary field key and re-encrypt every field under it, batch by batch.

    Each batch commits on its own, so an interruption loses nothing: the next run first finishes
    the interrupted rotation (and says so) instead of starting another.
    """
    current = FieldCipher(keyfiles.keyring())
    finished = await _reencrypt_all(deps, current, batch, progress)
    if finished:
        return RotationResult(current.keyring.primary_id, finished, resumed=True)
    rotated = current.keyring.rotated()
    keyfiles.save_keyring(rotated)  # saved before use: no value is ever under an unsaved key
    cipher = FieldCipher(rotated)
    await record_field_keys(Deps(deps.database, cipher, deps.blind, deps.blobs))
    count = await _reencrypt_all(deps, cipher, batch, progress)
    return RotationResult(rotated.primary_id, count, resumed=False)
