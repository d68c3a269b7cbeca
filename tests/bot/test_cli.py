"""The admin CLI as an administrator uses it, including every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main

PASSPHRASE = "a passphrase for the commune"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's directory
    for name in ("HOSO_DATABASE_URL", "HOSO_PROVINCE", "HOSO_FIELD_KEYS", "HOSO_BLIND_INDEX_KEY"):
        monkeypatch.delenv(name, raising=False)
    return {"HOSO_DATA_DIR": str(tmp_path / "var")}


def run(env: dict[str, str], *args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, input=stdin, catch_exceptions=False)


def test_help_lists_commands_and_every_command_has_an_example(env: dict[str, str]) -> None:
    result = run(env, "--help")
    for name in ("init", "status", "units", "villages", "parcels", "targets", "keys"):
        assert name in result.output
    for args in (
        ["init"],
        ["status"],
        ["units", "import"],
        ["villages", "import"],
        ["parcels", "import"],
        ["targets", "import"],
        ["keys", "create-commune"],
        ["keys", "create-escrow"],
        ["keys", "rotate-fields"],
        ["keys", "verify"],
    ):
        assert "Example" in run(env, *args, "--help").output, args


def test_set_up_a_province_end_to_end(env: dict[str, str], tmp_path: Path) -> None:
    assert "keys created: field-keys, blind-index.key" in run(env, "init").output
    assert "none (all present)" in run(env, "init").output
    assert "102 communes (102 added" in run(env, "units", "import", "--province", "66").output
    assert "(0 added, 0 updated)" in run(env, "units", "import", "--province", "66").output
    escrow = run(env, "keys", "create-escrow", "--province", "66")
    assert escrow.exit_code == 0
    assert "AGE-SECRET-KEY-" in escrow.output  # the one-time recovery copy
    commune = run(
        env, "keys", "create-commune", "--commune", "24175", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n"
    )
    assert commune.exit_code == 0, commune.output
    assert "RECOVERY COPY" in commune.output
    villages = tmp_path / "villages.csv"
    villages.write_text("commune_code,village_name\n24175,Thôn 1\n24175,Thôn 2\n")
    assert "2 added" in run(env, "villages", "import", str(villages)).output
    status = json.loads(run(env, "status", "--json").output)
    assert status["counts"]["villages"] == 2
    assert status["provinces"][0]["communes_with_key"] == 1
    assert status["provinces"][0]["escrow_key"] is True
    assert status["audit_chain"]["fault"] is None
    assert status["audit_chain"]["events"] > 0
    text = run(env, "status").output
    assert "chain intact" in text
    assert "AGE-SECRET-KEY" not in text
    verified = run(env, "keys", "verify", "--commune", "24175", stdin=f"{PASSPHRASE}\n")
    assert "unlocks age1" in verified.output
    wrong = run(env, "keys", "verify", "--commune", "24175", stdin="wrong passphrase here\n")
    assert wrong.exit_code == 1
    assert "wrong key or damaged data" in wrong.output
    assert "Traceback" not in wrong.output
    rotated = run(env, "keys", "rotate-fields")
    assert "new primary key #2" in rotated.output


@pytest.mark.parametrize(
    ("extra_env", "args", "message"),
    [
        ({"HOSO_LISTEN_PORT": "eighty"}, ["status"], "HOSO_LISTEN_PORT"),
        ({"HOSO_RETENTION_DAYS": "0"}, ["status"], "HOSO_RETENTION_DAYS"),
        ({"HOSO_PROVINCE": "Dak Lak"}, ["status"], "HOSO_PROVINCE"),
        (
            {"HOSO_DATA_DIR": "/dev/null/var"},
            ["init"],
            "HOSO_DATA_DIR=/dev/null/var cannot be written",
        ),
        ({"HOSO_DATABASE_URL": "mysql://x/y"}, ["init"], "unsupported database"),
        (
            {"HOSO_DATABASE_URL": "postgresql+asyncpg://nobody@127.0.0.1:1/none"},
            ["init"],
            "cannot use the database",
        ),
        ({}, ["status"], "key file"),  # not initialised yet
        ({}, ["units", "import", "--province", "99"], "no province with code '99'"),
        ({}, ["units", "import"], "give --province"),
        ({"HOSO_FIELD_KEYS": "1:short"}, ["status"], "field key"),
    ],
)
def test_bad_configuration_gets_one_clear_sentence(
    env: dict[str, str], extra_env: dict[str, str], args: list[str], message: str
) -> None:
    if "key file" not in message:
        run(env, "init")
    result = CliRunner().invoke(main, args, env={**env, **extra_env}, catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_csv_lists_lines_and_changes_nothing(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "init")
    run(env, "units", "import", "--province", "66")
    bad = tmp_path / "bad.csv"
    bad.write_text("commune_code,village_name\n24175,Thôn 1\n00000,Thôn 2\n24175,\n")
    result = run(env, "villages", "import", str(bad))
    assert result.exit_code == 1
    assert "line 3: commune_code '00000'" in result.output
    assert "line 4: village_name is empty" in result.output
    assert "nothing was imported" in result.output
    assert json.loads(run(env, "status", "--json").output)["counts"]["villages"] == 0
    missing = run(env, "villages", "import", str(tmp_path / "nope.csv"))
    assert missing.exit_code == 2
    assert "does not exist" in missing.output


def test_truncated_key_file_and_short_passphrase(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "init")
    run(env, "units", "import", "--province", "66")
    short = run(env, "keys", "create-commune", "--commune", "24175", stdin="short\nshort\n")
    assert short.exit_code == 1
    assert "at least 12 characters" in short.output
    unknown = run(
        env, "keys", "create-commune", "--commune", "1", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n"
    )
    assert "no commune with code '1'" in unknown.output
    keyring = tmp_path / "var" / "keys" / "field-keys"
    keyring.write_bytes(keyring.read_bytes()[:10])
    broken = run(env, "status")
    assert broken.exit_code == 1
    assert "malformed" in broken.output


def test_files_are_private(env: dict[str, str], tmp_path: Path) -> None:
    run(env, "init")
    for path in (tmp_path / "var").rglob("*"):
        assert path.stat().st_mode & 0o077 == 0, path
