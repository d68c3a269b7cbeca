"""Commune and escrow keys through the services; field-key rotation over the database."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from crypto import CryptoError, FieldCipher, KeyFiles, open_document, seal_document
from intake.admin import (
    EscrowExists,
    MissingKey,
    create_commune_key,
    create_escrow_key,
    import_province,
    import_targets,
    recipients_for_commune,
    rotate_field_keys,
    unlock_commune_key,
)
from storage.deps import Deps
from storage.models import Commune, FieldKeyRecord, Target

PASSPHRASE = "correct horse battery staple"


async def commune_id(deps: Deps, code: str) -> int:
    async with deps.database.sessions() as session:
        commune = await session.scalar(select(Commune).where(Commune.code == code))
        assert commune is not None
        return commune.id


async def test_sealing_for_a_commune_needs_both_keys_and_opens(deps: Deps) -> None:
    await import_province(deps, "66")
    hoa_phu = await commune_id(deps, "24175")
    with pytest.raises(MissingKey, match="escrow"):
        await recipients_for_commune(deps, hoa_phu)
    escrow = await create_escrow_key(deps, "66")
    with pytest.raises(EscrowExists):
        await create_escrow_key(deps, "66")
    with pytest.raises(MissingKey, match="create-commune"):
        await recipients_for_commune(deps, hoa_phu)
    created = await create_commune_key(deps, "24175", PASSPHRASE)
    other = await create_commune_key(deps, "24490", PASSPHRASE)
    recipients = await recipients_for_commune(deps, hoa_phu)
    assert recipients.commune == (created.recipient,)
    sealed = seal_document(b"photo bytes", recipients)
    unlocked = await unlock_commune_key(deps, "24175", PASSPHRASE)
    assert open_document(sealed, unlocked) == b"photo bytes"
    assert open_document(sealed, escrow.identity) == b"photo bytes"
    with pytest.raises(CryptoError):
        open_document(sealed, other.identity)
    with pytest.raises(CryptoError):
        await unlock_commune_key(deps, "24175", "not the passphrase")


async def test_rotation_reencrypts_everything_and_resumes(
    deps: Deps, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    keyfiles = KeyFiles(tmp_path / "keys")
    keyfiles.create_missing()
    deps = Deps(deps.database, FieldCipher(keyfiles.keyring()), deps.blind, deps.blobs)
    await import_province(deps, "66")
    rows = "".join(f"24175,Hộ số {n}\n" for n in range(23))
    await import_targets(deps, f"commune_code,household_name\n{rows}".encode(), province_code="66")

    # Interrupt the rotation after the first batch has committed.
    import intake.admin._keys as keys_module

    real = keys_module._reencrypt_all
    calls = {"n": 0}

    async def interrupted(*args: object, **kwargs: object) -> int:
        calls["n"] += 1
        if calls["n"] == 2:  # the pass under the new key

            def stop(_: int) -> None:
                raise KeyboardInterrupt

            kwargs = {**kwargs}
            args = (*args[:3], stop)
        return await real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(keys_module, "_reencrypt_all", interrupted)
    with pytest.raises(KeyboardInterrupt):
        await rotate_field_keys(deps, keyfiles, batch=10)
    monkeypatch.undo()

    assert keyfiles.keyring().primary_id == 2
    cipher = FieldCipher(keyfiles.keyring())
    async with deps.database.sessions() as session:
        targets = list(await session.scalars(select(Target)))
    under = [cipher.key_id_of(target.household_name_enc) for target in targets]
    assert under.count(2) == 10  # one batch committed before the interruption
    assert under.count(1) == 13

    resumed = await rotate_field_keys(deps, keyfiles, batch=10)
    assert (resumed.resumed, resumed.reencrypted, resumed.primary_key_id) == (True, 13, 2)

    fresh = await rotate_field_keys(deps, keyfiles, batch=10)
    assert (fresh.resumed, fresh.reencrypted, fresh.primary_key_id) == (False, 23, 3)
    cipher = FieldCipher(keyfiles.keyring())
    async with deps.database.sessions() as session:
        targets = list(await session.scalars(select(Target)))
        primary = await session.scalar(select(FieldKeyRecord).where(FieldKeyRecord.is_primary))
    assert primary is not None
    assert primary.key_id == 3
    names = sorted(
        cipher.decrypt(t.household_name_enc, table="target", column="household_name_enc", row=t.id)
        for t in targets
    )
    assert names == sorted(f"Hộ số {n}" for n in range(23))
    assert all(cipher.key_id_of(t.household_name_enc) == 3 for t in targets)
    assert uuid.UUID(str(targets[0].id))
