"""`hoso backup` and `hoso restore` as an operator runs them, on SQLite and (when
HOSO_TEST_DATABASE_URL is set) on PostgreSQL with hoso in the `public` schema of its own
database: `hoso status` shows the same figures after the restore and the keys are put back;
no key is in the backup; a folder without permission is one sentence and leaves nothing."""

from __future__ import annotations

import asyncio
import base64
import binascii
import contextlib
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from bot.config import load_settings
from bot.wiring import open_deps
from crypto import KeyFiles
from tests.conftest import PG_URL
from tests.fixtures.pull_data import VILLAGES_CSV, Doc, add_submission, jpeg
from tests.fixtures.scratch_databases import create_database, drop_database

PASSPHRASE = "a long passphrase 123"
HOSO = str(Path(sys.executable).with_name("hoso"))


def hoso(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def status_json() -> dict[str, Any]:
    result = hoso("status", "--json")
    assert result.exit_code == 0, result.output
    data: dict[str, Any] = json.loads(result.output)
    return data


@pytest.fixture(
    params=[
        "sqlite",
        pytest.param(
            "postgresql",
            marks=pytest.mark.skipif(not PG_URL, reason="HOSO_TEST_DATABASE_URL is not set"),
        ),
    ]
)
def backend(request: pytest.FixtureRequest) -> Iterator[tuple[str, str | None]]:
    """The backend, and for PostgreSQL two new databases: the live one and the restore's."""
    if request.param == "sqlite":
        yield "sqlite", None
        return
    assert PG_URL is not None
    live, target = asyncio.run(create_database(PG_URL)), asyncio.run(create_database(PG_URL))
    try:
        yield live, target
    finally:
        asyncio.run(drop_database(live))
        asyncio.run(drop_database(target))


@pytest.fixture
def env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, backend: tuple[str, str | None]
) -> dict[str, Any]:
    """A live data directory with a commune, its keys, and sealed submissions."""
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's directory
    for name in (
        "HOSO_DATABASE_URL",
        "HOSO_PROVINCE",
        "HOSO_FIELD_KEYS",
        "HOSO_BLIND_INDEX_KEY",
        "HOSO_AUDIT_KEY",
    ):
        monkeypatch.delenv(name, raising=False)
    if backend[1] is not None:
        monkeypatch.setenv("HOSO_DATABASE_URL", backend[0])
    monkeypatch.setenv("HOSO_DATA_DIR", str(tmp_path / "var"))
    villages = tmp_path / "villages.csv"
    villages.write_bytes(VILLAGES_CSV)
    initialised = hoso("init")
    assert initialised.exit_code == 0, initialised.output
    assert hoso("units", "import", "--province", "66").exit_code == 0
    assert hoso("villages", "import", str(villages)).exit_code == 0
    escrow = hoso("keys", "create-escrow", "--province", "66")
    commune = hoso(
        "keys", "create-commune", "--commune", "24175", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n"
    )
    assert escrow.exit_code == commune.exit_code == 0

    async def submissions() -> None:
        async with open_deps(load_settings()) as deps:
            for number in range(3):
                await add_submission(
                    deps,
                    f"HP-CLI{number:02d}",
                    [Doc("cccd_front", jpeg(f"{number}")), Doc("cccd_back", jpeg(f"b{number}"))],
                    submitted_at=datetime(2025, 3, number + 1, tzinfo=UTC),
                )

    asyncio.run(submissions())
    return {
        "root": tmp_path,
        "target_url": backend[1],
        "secrets": [escrow.output, commune.output],
    }


def restore_env(monkeypatch: pytest.MonkeyPatch, env: dict[str, Any], data_dir: Path) -> None:
    monkeypatch.setenv("HOSO_DATA_DIR", str(data_dir))
    if env["target_url"] is not None:
        monkeypatch.setenv("HOSO_DATABASE_URL", env["target_url"])


def key_material(keys_dir: Path) -> list[bytes]:
    """Each key file's text, each key in it as written, and each key's raw bytes."""
    found = []
    for path in sorted(keys_dir.iterdir()):
        if path.name == KeyFiles.AUDIT_CHAIN_KEYED:  # a marker, not a key
            continue
        text = path.read_bytes()
        found.append(text.strip())
        for token in text.replace(b":", b"\n").split():
            if len(token) < 40:  # a key id
                continue
            found.append(token)
            with contextlib.suppress(binascii.Error):
                found.append(base64.urlsafe_b64decode(token))
    return found


def age_secret_keys(printed: list[str]) -> list[bytes]:
    """The identities `hoso keys create-…` printed once (the recovery copies)."""
    return [
        word.encode()
        for output in printed
        for word in output.split()
        if word.startswith("AGE-SECRET-KEY-")
    ]


def test_backup_and_restore_show_the_same_status_and_hold_no_key(
    env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    root: Path = env["root"]
    before = status_json()

    made = hoso("backup", "backup-1")

    assert made.exit_code == 0, made.output
    assert made.output.startswith(f"backup written to {root / 'backup-1'} in ")
    assert " and 6 sealed files (" in made.output
    assert "The keys are NOT in this backup: keep them separately" in made.output
    for name in ("field-keys", "blind-index.key", "audit-chain.key"):
        assert str(root / "var" / "keys" / name) in made.output
    manifest = json.loads((root / "backup-1" / "manifest.json").read_text())
    assert manifest["status"] == before
    assert manifest["keys_included"] is False

    secrets = key_material(root / "var" / "keys") + age_secret_keys(env["secrets"])
    assert len(secrets) >= 8
    for path in (root / "backup-1").rglob("*"):
        if path.is_file():
            content = path.read_bytes()
            assert not [s for s in secrets if s in content], path

    restore_env(monkeypatch, env, root / "var2")
    restored = hoso("restore", "backup-1")
    assert restored.exit_code == 0, restored.output
    assert "restored the backup of " in restored.output
    assert "put the server keys back into" in restored.output
    assert not (root / "var2" / "keys").exists()

    shutil.copytree(root / "var" / "keys", root / "var2" / "keys")
    assert status_json() == before

    again = hoso("restore", "backup-1")
    assert again.exit_code == 1
    assert again.output.startswith("error: the data directory")
    assert again.output.count("\n") == 1


def test_a_tampered_backup_is_refused_in_one_sentence(
    env: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    root: Path = env["root"]
    assert hoso("backup", "backup-1").exit_code == 0
    blob = next(p for p in (root / "backup-1" / "blobs").rglob("*") if p.is_file())
    sealed = blob.read_bytes()
    blob.write_bytes(sealed[:-1] + bytes([sealed[-1] ^ 0xFF]))  # always a different byte

    restore_env(monkeypatch, env, root / "var2")
    refused = hoso("restore", "backup-1")

    assert refused.exit_code == 1
    assert refused.output.startswith("error: blobs/")
    assert "does not match its manifest's SHA-256" in refused.output
    assert refused.output.count("\n") == 1
    assert not (root / "var2").exists()
    assert [p.name for p in root.iterdir() if p.name.startswith(".")] == []


def _unprivileged(command: list[str]) -> list[str]:
    """Root writes anywhere: drop every capability, so that file permissions count for it too."""
    if os.geteuid() != 0:
        return command
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: a read-only folder cannot stop root")
    return ["setpriv", "--bounding-set=-all", "--", *command]


def test_a_folder_without_permission_is_one_sentence_and_leaves_nothing(
    env: dict[str, Any],
) -> None:
    root: Path = env["root"]
    shelf = root / "shelf"
    shelf.mkdir()
    shelf.chmod(0o500)
    try:
        ran = subprocess.run(
            _unprivileged([HOSO, "backup", str(shelf / "backup-1")]),
            capture_output=True,
            text=True,
            env=dict(os.environ),
            timeout=120,
            check=False,
        )
        listing = list(shelf.iterdir())
    finally:
        shelf.chmod(0o700)

    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert ran.stdout == ""
    assert ran.stderr == (
        f"error: cannot write the backup to {shelf / 'backup-1'}: permission denied in "
        f"{shelf}; choose a folder this user may write to (nothing was kept)\n"
    )
    assert listing == []


def test_both_commands_have_an_example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    listing = hoso("--help").output
    for command in ("backup", "restore"):
        assert command in listing
        assert "Example" in hoso(command, "--help").output


def test_a_restore_without_permission_is_one_sentence_and_leaves_nothing(
    env: dict[str, Any],
) -> None:
    root: Path = env["root"]
    assert hoso("backup", "backup-1").exit_code == 0
    shelf = root / "shelf"
    shelf.mkdir()
    shelf.chmod(0o500)
    restore_to = {**os.environ, "HOSO_DATA_DIR": str(shelf / "var")}
    if env["target_url"] is not None:
        restore_to["HOSO_DATABASE_URL"] = env["target_url"]
    try:
        ran = subprocess.run(
            _unprivileged([HOSO, "restore", str(root / "backup-1")]),
            capture_output=True,
            text=True,
            env=restore_to,
            timeout=120,
            check=False,
        )
        listing = list(shelf.iterdir())
    finally:
        shelf.chmod(0o700)

    assert ran.returncode == 1, ran.stdout + ran.stderr
    assert ran.stderr == (
        f"error: cannot write to {shelf} (Permission denied): restore as a user who may write "
        "there; nothing was restored\n"
    )
    assert listing == []
