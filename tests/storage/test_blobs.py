"""The blob store cannot be led outside its root and never shows a partial file."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from storage.blobs import BlobPathError, LocalBlobStore


@pytest.fixture
def store(tmp_path: Path) -> LocalBlobStore:
    return LocalBlobStore(tmp_path / "blobs")


def test_write_read_delete(store: LocalBlobStore) -> None:
    blob = store.write(b"sealed bytes")
    assert blob.size == 12
    assert store.read(blob.name) == b"sealed bytes"
    assert store.path_of(blob.name).stat().st_mode & 0o777 == 0o600
    assert store.delete(blob.name)
    assert not store.delete(blob.name)
    assert not store.exists(blob.name)


def test_names_are_generated_and_unique(store: LocalBlobStore) -> None:
    names = {store.write(b"x").name for _ in range(50)}
    assert len(names) == 50
    for name in names:
        assert ".." not in name
        assert not name.startswith("/")


@pytest.mark.parametrize(
    "name",
    [
        "../etc/passwd",
        "/etc/passwd",
        "ab/../../x",
        "ab/" + "a" * 31 + "/",
        "",
        "ab/ABCDEFGHIJKLMNOPQRSTUVWXYZ234567",
        "ab\\cdefghijklmnopqrstuvwxyz2345678",
        "ab/abcdefghijklmnopqrstuvwxyz23456\x00",
    ],
)
def test_crafted_names_are_refused(store: LocalBlobStore, name: str) -> None:
    with pytest.raises(BlobPathError):
        store.path_of(name)
    with pytest.raises(BlobPathError):
        store.read(name)


def test_symlinked_directory_cannot_escape(store: LocalBlobStore, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / ("a" * 32)).write_bytes(b"secret outside the store")
    os.symlink(outside, store.root / "aa")
    with pytest.raises(BlobPathError):
        store.read("aa/" + "a" * 32)


def test_symlinked_file_cannot_escape(store: LocalBlobStore, tmp_path: Path) -> None:
    outside = tmp_path / "target"
    outside.write_bytes(b"secret outside the store")
    (store.root / "bb").mkdir()
    os.symlink(outside, store.root / "bb" / ("b" * 32))
    with pytest.raises(BlobPathError):
        store.read("bb/" + "b" * 32)


def test_interrupted_write_leaves_no_visible_file(
    store: LocalBlobStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash(*_args: object) -> None:
        raise OSError("power cut")

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(OSError, match="power cut"):
        store.write(b"half")
    monkeypatch.undo()
    assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_sweep_removes_leftover_temporaries(store: LocalBlobStore) -> None:
    blob = store.write(b"kept")
    leftover = store.path_of(blob.name).parent / ".tmp-deadbeef"
    leftover.write_bytes(b"partial")
    assert store.sweep_temporary() == 1
    assert store.read(blob.name) == b"kept"
