"""Both blob stores keep one contract, the object store against a real S3 server (moto); a bad
bucket or address is refused in one sentence, and a bad HOSO_BLOB_URL is a settings error."""

from __future__ import annotations

import errno
import os
import pickle
import re
import time
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from storage.blobs import (
    OWNER_MARKER,
    S3_WRITE_BUDGET_SECONDS,
    BlobPathError,
    BlobStore,
    BlobStoreOwned,
    BlobStoreUnavailable,
    LocalBlobStore,
    S3BlobSpec,
    S3BlobStore,
    parse_blob_url,
)
from tests.fixtures.net import free_port
from tests.fixtures.s3 import SECRET, S3Server


@pytest.fixture(params=["local", "s3"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> BlobStore:
    if request.param == "local":
        return LocalBlobStore(tmp_path / "blobs")
    spec: S3BlobSpec = request.getfixturevalue("s3_spec")
    return spec.open()


def test_write_read_exists_delete(store: BlobStore) -> None:
    blob = store.write(b"sealed bytes")
    assert (blob.size, len(blob.sha256)) == (12, 32)
    assert store.read(blob.name) == b"sealed bytes"
    assert store.exists(blob.name)
    assert store.delete(blob.name) is True
    assert store.delete(blob.name) is False
    assert not store.exists(blob.name)
    with pytest.raises(FileNotFoundError):
        store.read(blob.name)


def test_a_given_name_is_written_whole_and_replaced_whole(store: BlobStore) -> None:
    name = store.derived_name(b"document and attempt")
    assert name == store.derived_name(b"document and attempt")
    store.write(b"first" * 1000, name)
    store.write(b"second", name)
    assert store.read(name) == b"second"


@pytest.mark.parametrize(
    "name", ["../x", "ab/../../etc/passwd", "/etc/passwd", "AB/" + "a" * 32, "ab", "", "ab/x"]
)
def test_crafted_names_are_refused(store: BlobStore, name: str) -> None:
    for use in (store.read, store.exists, store.delete, lambda n: store.write(b"x", n)):
        with pytest.raises(BlobPathError):
            use(name)


def test_names_are_listed_in_pages_and_only_blobs(store: BlobStore) -> None:
    written = sorted(store.write(f"blob {i}".encode()).name for i in range(5))
    store.probe()  # its object is no blob, and is gone anyway
    seen: list[str] = []
    after: str | None = None
    while page := store.names_after(after, 2):
        assert len(page) <= 2
        seen.extend(page)
        after = page[-1]
    assert seen == written


def test_another_process_opens_the_same_store_from_its_spec(store: BlobStore) -> None:
    blob = store.write(b"sealed in a worker")
    again = pickle.loads(pickle.dumps(store.spec)).open()  # noqa: S301 — our own bytes
    assert again.read(blob.name) == b"sealed in a worker"
    assert again.location == store.location


def test_the_s3_store_is_described_without_credentials(s3_spec: S3BlobSpec) -> None:
    store = s3_spec.open()
    assert store.location.startswith(f"{s3_spec.url} at http://127.0.0.1:")
    for shown in (store.location, repr(store), repr(s3_spec)):
        assert SECRET not in shown
        assert "hoso-test-key-id" not in shown


def test_a_missing_bucket_is_refused_in_one_sentence(s3_server: S3Server) -> None:
    store = s3_server.spec("hoso", bucket="no-such-bucket").open()
    with pytest.raises(BlobStoreUnavailable) as refused:
        store.probe()
    message = str(refused.value)
    assert message.startswith("the blob store s3://no-such-bucket/hoso at http://127.0.0.1:")
    assert "the bucket no-such-bucket does not exist; check HOSO_BLOB_URL" in message
    assert "\n" not in message
    assert SECRET not in message


def test_a_closed_port_is_refused_quickly_in_one_sentence(s3_server: S3Server) -> None:
    spec = S3BlobSpec(
        "hoso-test",
        "hoso",
        endpoint=f"http://127.0.0.1:{free_port()}",
        access_key_id="k",
        secret_access_key=SECRET,
    )
    started = time.monotonic()
    with pytest.raises(BlobStoreUnavailable) as refused:
        spec.open().probe()
    assert time.monotonic() - started < 5
    message = str(refused.value)
    assert "cannot be written, read back and deleted (Connection refused)" in message
    assert "\n" not in message
    assert SECRET not in message
    with pytest.raises(OSError, match="Connection refused"):  # at run time: an OSError
        spec.open().write(b"sealed")


@pytest.mark.parametrize(
    ("url", "bucket", "prefix"),
    [
        ("s3://hoso", "hoso", ""),
        ("s3://hoso-docs/", "hoso-docs", ""),
        ("s3://hoso.docs/province/66/", "hoso.docs", "province/66"),
    ],
)
def test_good_blob_urls(url: str, bucket: str, prefix: str) -> None:
    assert parse_blob_url(url) == (bucket, prefix)


@pytest.mark.parametrize(
    "url",
    [
        "/srv/hoso/blobs",
        "http://hoso/blobs",
        "s3://",
        "s3:///prefix",
        "s3://Hoso/x",
        "s3://ab",
        "s3://key:secret@hoso/x",
        "s3://hoso:9000/x",
        "s3://hoso/x?acl=public",
        "s3://hoso/../x",
        "s3://hoso/a b",
    ],
)
def test_a_bad_blob_url_is_a_settings_error(url: str) -> None:
    with pytest.raises(ConfigError, match=r"^bad configuration — HOSO_BLOB_URL: "):
        load_settings(blob_url=url)


def test_settings_choose_the_store(tmp_path: Path) -> None:
    assert load_settings(data_dir=tmp_path).blob_spec.open().location == (
        f"local folder {tmp_path.resolve() / 'blobs'}"
    )
    settings = load_settings(
        data_dir=tmp_path,
        blob_url="s3://hoso/province/66/",
        s3_endpoint="http://127.0.0.1:9000/",
        s3_access_key_id="key-id",
        s3_secret_access_key=SECRET,
    )
    assert settings.blob_spec == S3BlobSpec(
        "hoso", "province/66", "http://127.0.0.1:9000", "us-east-1", "key-id", SECRET
    )
    assert SECRET not in repr(settings)
    with pytest.raises(ConfigError, match="HOSO_S3_ENDPOINT"):
        load_settings(s3_endpoint="127.0.0.1:9000")


def test_the_owner_marker_ties_a_store_to_one_database(store: BlobStore) -> None:
    store.claim_for("hoso database one")
    store.claim_for("hoso database one")  # the same database, again: fine
    with pytest.raises(BlobStoreOwned) as refused:
        store.claim_for("hoso database two")
    advice = "prefix" if isinstance(store, S3BlobStore) else "data directory (HOSO_DATA_DIR)"
    assert str(refused.value) == (
        f"{store.owner_place} belongs to another hoso database: give each database its own "
        f"{advice}"
    )
    assert store.names_after() == []  # the marker is no blob: never listed, never swept
    if isinstance(store, LocalBlobStore):
        assert (store.root / OWNER_MARKER).stat().st_mode & 0o777 == 0o600


def test_a_full_or_failing_disk_is_unavailable_not_a_failure(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pipeline waits such a store out (storage/blobs); other errors stay what they are."""
    store = LocalBlobStore(tmp_path / "blobs")

    def disk_says(code: int) -> None:
        def fsync(_fd: int) -> None:
            raise OSError(code, os.strerror(code))

        monkeypatch.setattr(os, "fsync", fsync)

    for code in (errno.ENOSPC, errno.EIO):
        disk_says(code)
        with pytest.raises(BlobStoreUnavailable, match=re.escape(os.strerror(code))):
            store.write(b"sealed")
    disk_says(errno.EACCES)
    with pytest.raises(PermissionError):
        store.write(b"sealed")
    monkeypatch.undo()
    assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_the_object_store_credentials_come_as_a_pair() -> None:
    for alone in ({"s3_access_key_id": "key-id"}, {"s3_secret_access_key": SECRET}):
        with pytest.raises(ConfigError) as refused:
            load_settings(blob_url="s3://hoso/x", **alone)
        assert str(refused.value) == (
            "bad configuration — HOSO_S3_ACCESS_KEY_ID and HOSO_S3_SECRET_ACCESS_KEY: set "
            "both, or neither (then the AWS_* variables or an instance role are used)"
        )
        assert SECRET not in str(refused.value)
    assert load_settings(blob_url="s3://hoso/x").blob_spec == S3BlobSpec("hoso", "x")


def test_a_write_ends_well_inside_the_document_lease() -> None:
    assert load_settings().document_lease_seconds / 1.5 > S3_WRITE_BUDGET_SECONDS
    assert load_settings(blob_url="s3://hoso/x", document_lease_seconds=20).blob_url
    with pytest.raises(ConfigError, match=r"HOSO_DOCUMENT_LEASE_SECONDS: must be longer than 16"):
        load_settings(blob_url="s3://hoso/x", document_lease_seconds=S3_WRITE_BUDGET_SECONDS)
    assert load_settings(document_lease_seconds=5).document_lease_seconds == 5  # local: no put


def test_deleting_many_goes_on_past_one_that_fails(tmp_path: Path) -> None:
    store = LocalBlobStore(tmp_path / "blobs")
    first, last = store.write(b"one").name, store.write(b"two").name
    stuck = store.new_name()
    store.path_of(stuck).mkdir(parents=True)  # unlinking it fails with an OSError
    assert store.delete_each([first, stuck, "../x", last]) == 2  # the stuck one, the bad name
    assert not store.exists(first)
    assert not store.exists(last)
