"""The commands with the sealed files in a bucket (`HOSO_BLOB_URL`, moto's server): start-up
refuses an unusable store in one sentence, `hoso status` says which store is in use (never
its credentials), and `hoso restore` refuses a bucket it cannot restore into."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from storage.blobs import S3BlobSpec
from tests.fixtures.net import free_port
from tests.fixtures.s3 import KEY_ID, SECRET, S3Server


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, s3_spec: S3BlobSpec) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's directory
    for name in ("HOSO_DATABASE_URL", "HOSO_PROVINCE", "HOSO_FIELD_KEYS", "HOSO_BLIND_INDEX_KEY"):
        monkeypatch.delenv(name, raising=False)
    return {
        "HOSO_DATA_DIR": str(tmp_path / "var"),
        "HOSO_BLOB_URL": s3_spec.url,
        "HOSO_S3_ENDPOINT": s3_spec.endpoint or "",
        "HOSO_S3_ACCESS_KEY_ID": KEY_ID,
        "HOSO_S3_SECRET_ACCESS_KEY": SECRET,
    }


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_status_names_the_bucket_and_never_its_credentials(
    env: dict[str, str], s3_spec: S3BlobSpec
) -> None:
    assert run(env, "init").exit_code == 0
    status = run(env, "status")
    assert status.exit_code == 0, status.output
    assert f"blobs        0 bytes sealed, in {s3_spec.url} at {s3_spec.endpoint}" in status.output
    as_json = run(env, "status", "--json").output  # the figures a backup's manifest holds
    for output in (status.output, as_json):
        assert SECRET not in output
        assert KEY_ID not in output


def test_a_missing_bucket_stops_start_up_in_one_sentence(
    env: dict[str, str], s3_server: S3Server
) -> None:
    env["HOSO_BLOB_URL"] = "s3://no-such-bucket/hoso"
    for command in ("init", "status", "run"):
        result = run({**env, "HOSO_TELEGRAM_TOKEN": "1:x"}, command)
        assert result.exit_code == 1
        assert result.output == (
            f"error: the blob store s3://no-such-bucket/hoso at {s3_server.endpoint} cannot be "
            "used: the bucket no-such-bucket does not exist; check HOSO_BLOB_URL, "
            "HOSO_S3_ENDPOINT and the HOSO_S3_* credentials\n"
        ), command


def test_an_unreachable_store_stops_start_up_in_one_sentence(env: dict[str, str]) -> None:
    env["HOSO_S3_ENDPOINT"] = f"http://127.0.0.1:{free_port()}"
    result = run(env, "status")
    assert result.exit_code == 1
    assert result.output.startswith("error: the blob store s3://")
    assert "cannot be written, read back and deleted (Connection refused)" in result.output
    assert result.output.count("\n") == 1
    assert "Traceback" not in result.output


def test_a_bad_blob_url_is_a_settings_error(env: dict[str, str]) -> None:
    env["HOSO_BLOB_URL"] = "/srv/hoso/blobs"
    result = run(env, "status")
    assert result.exit_code == 1
    assert result.output.startswith("error: bad configuration — HOSO_BLOB_URL: ")


def test_restore_refuses_a_bucket(env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "backup").mkdir()
    result = run(env, "restore", str(tmp_path / "backup"))
    assert result.exit_code == 1
    assert result.output.startswith("error: hoso restore writes the sealed files into ")
    assert "unset HOSO_BLOB_URL to restore" in result.output


def test_a_prefix_of_another_database_is_refused_before_anything_is_swept(
    env: dict[str, str], s3_spec: S3BlobSpec, tmp_path: Path
) -> None:
    assert run(env, "init").exit_code == 0  # the first database takes the prefix
    unowned = s3_spec.open().write(b"sealed").name  # no row of either database owns it
    other = {**env, "HOSO_DATA_DIR": str(tmp_path / "other"), "HOSO_TELEGRAM_TOKEN": "1:x"}
    for command in ("init", "status", "run"):  # another database (SQLite in another folder)
        result = run(other, command)
        assert result.exit_code == 1
        assert result.output.splitlines()[-1] == (  # `run` logs its start as JSON lines first
            f"error: {s3_spec.url} belongs to another hoso database: give each database its "
            "own prefix"
        ), command
        assert "Traceback" not in result.output
    assert s3_spec.open().names_after() == [unowned]  # its sweep never ran
    assert run(env, "status").exit_code == 0  # the first is still at home there
