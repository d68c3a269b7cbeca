"""Blind index and key files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from crypto import (
    AuditKey,
    BlindIndex,
    KeyFiles,
    KeyMaterialError,
    Keyring,
    read_secret_file,
    write_secret_file,
)


def test_blind_index_matches_formats_and_differs_by_key() -> None:
    key = BlindIndex.generate_key()
    index = BlindIndex(key)
    assert (
        index.cccd("066 190 012 345")
        == index.cccd("066190012345")
        == index.cccd("066.190.012.345")
    )
    assert len(index.cccd("066190012345")) == BlindIndex.SIZE
    assert index.cccd("066190012345") != index.cccd("066190012346")
    assert index.cccd("066190012345") != BlindIndex(BlindIndex.generate_key()).cccd("066190012345")
    assert index.of("phone", "0912345678") != index.of("cccd", "0912345678")
    assert key.hex() not in repr(index)
    assert repr(key)[2:-1] not in repr(index)


def test_blind_index_key_length_checked() -> None:
    with pytest.raises(KeyMaterialError):
        BlindIndex(b"short")


def test_secret_files_are_0600_and_not_overwritten(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "k"
    write_secret_file(path, b"secret")
    assert path.stat().st_mode & 0o777 == 0o600
    with pytest.raises(KeyMaterialError):
        write_secret_file(path, b"other")
    assert read_secret_file(path) == b"secret"
    os.chmod(path, 0o644)
    with pytest.raises(KeyMaterialError, match="chmod 600"):
        read_secret_file(path)
    with pytest.raises(KeyMaterialError, match="missing"):
        read_secret_file(tmp_path / "nope")


def test_the_audit_key_macs_by_purpose_and_hides_itself() -> None:
    key = AuditKey.generate_key()
    audit = AuditKey(key)
    assert audit.mac("audit event", b"m") != audit.mac("audit head", b"m")
    assert audit.mac("audit event", b"m") != AuditKey(AuditKey.generate_key()).mac(
        "audit event", b"m"
    )
    assert len(audit.mac("audit event", b"m")) == 32
    assert key.hex() not in repr(audit) + str(audit)
    with pytest.raises(KeyMaterialError):
        AuditKey(b"short")


def test_keyfiles_create_once_and_load(tmp_path: Path) -> None:
    files = KeyFiles(tmp_path)
    assert sorted(files.create_missing()) == ["audit-chain.key", "blind-index.key", "field-keys"]
    assert files.create_missing() == []
    assert files.audit_key().mac("x", b"m") == files.audit_key().mac("x", b"m")
    keyring = files.keyring()
    files.save_keyring(keyring.rotated())
    assert files.keyring().primary_id == 2
    assert files.blind_index().cccd("066190012345") == files.blind_index().cccd("066190012345")


def test_keys_from_the_environment(tmp_path: Path) -> None:
    keyring = Keyring.generate()
    files = KeyFiles(
        tmp_path,
        field_keys_env=keyring.to_text().replace("\n", ","),
        blind_index_env="A" * 43 + "=",
        audit_key_env="B" * 43 + "=",
    )
    assert files.create_missing() == []
    assert not (tmp_path / "audit-chain.key").exists()
    assert files.audit_key().mac("x", b"m") != AuditKey(b"\x00" * 32).mac("x", b"m")
    assert files.keyring().primary_id == keyring.primary_id
    files.blind_index()
    with pytest.raises(KeyMaterialError, match="HOSO_FIELD_KEYS"):
        files.save_keyring(keyring.rotated())


def test_truncated_or_garbled_key_files(tmp_path: Path) -> None:
    files = KeyFiles(tmp_path)
    files.create_missing()
    (tmp_path / "field-keys").write_text("1:AAA")
    with pytest.raises(KeyMaterialError):
        files.keyring()
    (tmp_path / "blind-index.key").write_text("AAAA")
    with pytest.raises(KeyMaterialError):
        files.blind_index()
    (tmp_path / "audit-chain.key").write_text("not base64!")
    with pytest.raises(KeyMaterialError, match="audit key is malformed"):
        files.audit_key()
    (tmp_path / "audit-chain.key").write_text("AAAA")
    with pytest.raises(KeyMaterialError, match="32 bytes"):
        files.audit_key()
