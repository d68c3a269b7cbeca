"""Field encryption: round trips, tampering, associated data, rotation, no key in reprs."""

from __future__ import annotations

import logging
import uuid

import pytest

from crypto import CryptoError, FieldCipher, FieldKey, KeyMaterialError, Keyring

ROW = uuid.UUID("12345678-1234-5678-1234-567812345678")
WHERE = {"table": "submission", "column": "holder_name_enc", "row": ROW}


@pytest.fixture
def cipher() -> FieldCipher:
    return FieldCipher(Keyring.generate())


@pytest.mark.parametrize("value", ["Nguyễn Văn An", "", "0" * 5000, "😀 ừ"])
def test_round_trip(cipher: FieldCipher, value: str) -> None:
    assert cipher.decrypt(cipher.encrypt(value, **WHERE), **WHERE) == value


def test_same_value_encrypts_differently(cipher: FieldCipher) -> None:
    assert cipher.encrypt("An", **WHERE) != cipher.encrypt("An", **WHERE)


def test_every_flipped_byte_fails_with_the_one_error(cipher: FieldCipher) -> None:
    ciphertext = cipher.encrypt("Trần Thị Bình", **WHERE)
    for index in range(len(ciphertext)):
        tampered = bytearray(ciphertext)
        tampered[index] ^= 0x01
        with pytest.raises(CryptoError):
            cipher.decrypt(bytes(tampered), **WHERE)


@pytest.mark.parametrize(
    "other",
    [
        {"table": "target"},
        {"column": "cccd_enc"},
        {"row": uuid.UUID(int=ROW.int + 1)},
    ],
)
def test_wrong_associated_data_fails(cipher: FieldCipher, other: dict[str, object]) -> None:
    ciphertext = cipher.encrypt("Lê Văn Cường", **WHERE)
    with pytest.raises(CryptoError):
        cipher.decrypt(ciphertext, **{**WHERE, **other})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data", [b"", b"\x01", b"\x02" + b"\x00" * 40, b"\x01\x00\x00\x00\x09" + b"x" * 40]
)
def test_garbage_and_unknown_key_fail(cipher: FieldCipher, data: bytes) -> None:
    with pytest.raises(CryptoError):
        cipher.decrypt(data, **WHERE)


def test_a_different_keyring_cannot_open(cipher: FieldCipher) -> None:
    ciphertext = cipher.encrypt("secret", **WHERE)
    with pytest.raises(CryptoError):
        FieldCipher(Keyring.generate()).decrypt(ciphertext, **WHERE)


def test_rotation_keeps_old_readable_and_writes_under_new_key(cipher: FieldCipher) -> None:
    old = cipher.encrypt("before", **WHERE)
    rotated = FieldCipher(cipher.keyring.rotated())
    assert rotated.keyring.primary_id == 2
    assert rotated.decrypt(old, **WHERE) == "before"
    assert rotated.needs_rotation(old)
    new = rotated.encrypt("after", **WHERE)
    assert rotated.key_id_of(new) == 2
    assert not rotated.needs_rotation(new)
    moved = rotated.reencrypt(old, **WHERE)
    assert rotated.key_id_of(moved) == 2
    assert rotated.decrypt(moved, **WHERE) == "before"
    with pytest.raises(CryptoError):  # the old keyring does not know key 2
        cipher.decrypt(new, **WHERE)


def test_keyring_text_round_trip_keeps_primary() -> None:
    keyring = Keyring.generate().rotated().rotated()
    again = Keyring.from_text(keyring.to_text())
    assert again.primary_id == 3
    assert again.key_ids == [1, 2, 3]


@pytest.mark.parametrize("text", ["", "# only a comment", "1:not-base64!!", "x:AAAA", "1:AAAA"])
def test_malformed_keyring_is_a_key_material_error(text: str) -> None:
    with pytest.raises(KeyMaterialError):
        Keyring.from_text(text)


def test_no_key_material_in_repr_str_or_logs(caplog: pytest.LogCaptureFixture) -> None:
    key = FieldKey.generate(7)
    keyring = Keyring([key], 7)
    cipher = FieldCipher(keyring)
    secret_forms = [key.secret.hex(), repr(key.secret)[2:-1], keyring.to_text().split(":")[1][:20]]
    with caplog.at_level(logging.DEBUG):
        logging.getLogger("test").info("state %r %s %r %s", key, key, keyring, cipher)
        try:
            cipher.decrypt(b"\x01\x00\x00\x00\x07" + b"\x00" * 40, **WHERE)
        except CryptoError:
            logging.getLogger("test").exception("failed")
    shown = caplog.text + repr(key) + str(keyring) + repr(cipher)
    for form in secret_forms:
        assert form not in shown


def test_a_process_learns_keys_rotated_by_another() -> None:
    old = Keyring.generate()
    rotated = old.rotated()
    running = FieldCipher(old, reload=lambda: rotated)
    written_elsewhere = FieldCipher(rotated).encrypt("Hộ ông An", **WHERE)
    assert running.decrypt(written_elsewhere, **WHERE) == "Hộ ông An"
    assert running.key_id_of(running.encrypt("mới", **WHERE)) == rotated.primary_id
    unknown = FieldCipher(Keyring.generate().rotated().rotated()).encrypt("x", **WHERE)
    with pytest.raises(CryptoError):
        running.decrypt(unknown, **WHERE)
