"""Sealed documents and commune identities."""

from __future__ import annotations

import pickle

import pytest

from crypto import (
    CommuneRecipients,
    CryptoError,
    KeyMaterialError,
    create_identity,
    load_identity,
    lock_identity,
    open_document,
    seal_document,
    unlock_identity,
)

DOCUMENT = b"\xff\xd8\xff\xe0" + bytes(range(256)) * 40


@pytest.fixture(scope="module")
def keys() -> dict[str, object]:
    return {name: create_identity() for name in ("a", "a2", "b", "escrow")}


def recipients(keys: dict[str, object], *names: str) -> CommuneRecipients:
    return CommuneRecipients(
        "24175",
        tuple(keys[name].recipient for name in names),  # type: ignore[attr-defined]
        keys["escrow"].recipient,  # type: ignore[attr-defined]
    )


def test_commune_and_escrow_open_other_commune_does_not(keys: dict[str, object]) -> None:
    sealed = seal_document(DOCUMENT, recipients(keys, "a", "a2"))
    assert DOCUMENT[:4] not in sealed[:200]
    for name in ("a", "a2", "escrow"):
        assert open_document(sealed, keys[name]) == DOCUMENT  # type: ignore[arg-type]
    with pytest.raises(CryptoError):
        open_document(sealed, keys["b"])  # type: ignore[arg-type]


def test_flipped_byte_anywhere_fails(keys: dict[str, object]) -> None:
    sealed = seal_document(DOCUMENT[:300], recipients(keys, "a"))
    for index in range(0, len(sealed), 7):
        tampered = bytearray(sealed)
        tampered[index] ^= 0x01
        with pytest.raises(CryptoError):
            open_document(bytes(tampered), keys["a"])  # type: ignore[arg-type]


@pytest.mark.parametrize("sealed", [b"", b"age-encryption.org/v1\n", b"garbage" * 10])
def test_garbage_fails_with_the_one_error(keys: dict[str, object], sealed: bytes) -> None:
    with pytest.raises(CryptoError):
        open_document(sealed, keys["a"])  # type: ignore[arg-type]


def test_recipients_need_a_commune_key_and_valid_keys(keys: dict[str, object]) -> None:
    with pytest.raises(KeyMaterialError):
        CommuneRecipients("24175", (), keys["escrow"].recipient)  # type: ignore[attr-defined]
    with pytest.raises(KeyMaterialError):
        CommuneRecipients("24175", ("age1notakey",), keys["escrow"].recipient)  # type: ignore[attr-defined]


def test_identity_lock_unlock_and_wrong_passphrase() -> None:
    identity = create_identity()
    locked = lock_identity(identity, "a long enough passphrase")
    assert identity.recipient.encode() not in locked
    assert unlock_identity(locked, "a long enough passphrase").recipient == identity.recipient
    with pytest.raises(CryptoError):
        unlock_identity(locked, "the wrong passphrase!")
    with pytest.raises(CryptoError):
        unlock_identity(locked[:-10], "a long enough passphrase")


def test_short_passphrase_refused() -> None:
    with pytest.raises(KeyMaterialError):
        lock_identity(create_identity(), "short")


def test_identity_files_plain_locked_and_damaged() -> None:
    identity = create_identity()
    text = identity.file_text().encode()
    assert load_identity(text).recipient == identity.recipient
    with pytest.raises(KeyMaterialError):
        load_identity(text[: len(text) // 2])  # truncated key file
    with pytest.raises(KeyMaterialError):
        load_identity(b"\xff\xfe garbage")
    with pytest.raises(KeyMaterialError):
        load_identity(b"age-encryption.org/v1\n...")  # locked, no passphrase given


def test_identity_stays_in_memory_and_out_of_reprs() -> None:
    identity = create_identity()
    secret_line = identity.file_text().splitlines()[-1]
    assert secret_line.startswith("AGE-SECRET-KEY-")
    assert secret_line not in repr(identity)
    assert secret_line not in str(identity)
    with pytest.raises(TypeError):
        pickle.dumps(identity)
