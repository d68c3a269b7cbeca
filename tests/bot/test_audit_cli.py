"""`hoso audit verify`, `hoso status` and `hoso init` on the audit chain, as an administrator
meets them: intact, broken and located, an old unkeyed chain keyed by the init that creates its
key, and a missing key."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)
    for name in ("HOSO_DATABASE_URL", "HOSO_FIELD_KEYS", "HOSO_BLIND_INDEX_KEY", "HOSO_AUDIT_KEY"):
        monkeypatch.delenv(name, raising=False)
    return {"HOSO_DATA_DIR": str(tmp_path / "var")}


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def sql(env: dict[str, str], statement: str) -> None:
    """Change the database behind hoso's back, as someone holding the file would."""
    with sqlite3.connect(Path(env["HOSO_DATA_DIR"]) / "hoso.db") as connection:
        connection.execute(statement)


def test_verify_says_intact_then_where_an_edit_broke_it(env: dict[str, str]) -> None:
    assert run(env, "init").exit_code == 0
    assert run(env, "units", "import", "--province", "66").exit_code == 0
    verified = run(env, "audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "audit chain intact: 1 events, head #1, seal " in verified.output
    sql(env, "UPDATE event SET note = 'rewritten' WHERE id = 1")
    broken = run(env, "audit", "verify")
    assert broken.exit_code == 1
    assert "BROKEN at event #1: its content no longer matches its link (edited)" in broken.output
    status = run(env, "status")
    assert "AUDIT        chain BROKEN at event #1" in status.output


def test_removing_the_newest_event_is_found(env: dict[str, str]) -> None:
    run(env, "init")
    run(env, "units", "import", "--province", "66")
    run(env, "units", "import", "--province", "66")
    sql(env, "DELETE FROM event WHERE id = 2")
    broken = run(env, "audit", "verify")
    assert broken.exit_code == 1
    assert "BROKEN after event #1: the head names event #2, which is gone" in broken.output


def test_an_old_chain_is_keyed_once_by_init(env: dict[str, str]) -> None:
    """A data directory from before the keyed chain: events linked without a key, no audit key
    and no marker that the chain was keyed. `hoso init` creates the key, keys the chain and
    leaves the marker; once it is there, an unkeyed chain is reported and never keyed again
    (it would launder a rewritten chain)."""
    keys = Path(env["HOSO_DATA_DIR"]) / "keys"
    run(env, "init")
    sql(env, "UPDATE audit_head SET keyed_at = NULL, seal = NULL")
    run(env, "units", "import", "--province", "66")
    run(env, "units", "import", "--province", "66")
    unkeyed = run(env, "audit", "verify")
    assert unkeyed.exit_code == 1
    assert "NOT KEYED: 2 events linked without the audit key" in unkeyed.output
    again = run(env, "init")  # the marker is there: this init keys nothing
    assert "keys created: none" in again.output
    assert "audit chain keyed" not in again.output
    assert "AUDIT        chain NOT KEYED" in run(env, "status").output

    (keys / "audit-chain.key").unlink()
    (keys / "audit-chain.keyed").unlink()
    init = run(env, "init")
    assert init.exit_code == 0, init.output
    assert "keys created: audit-chain.key" in init.output
    assert "audit chain keyed: 2 existing events re-linked under the new key" in init.output
    assert (keys / "audit-chain.keyed").exists()
    verified = run(env, "audit", "verify")
    assert verified.exit_code == 0, verified.output
    assert "intact: 3 events, head #3" in verified.output  # and the keying's own event


def test_an_init_that_stopped_before_its_marker_keys_the_chain_next_time(
    env: dict[str, str],
) -> None:
    """The key was created (or given in HOSO_AUDIT_KEY) but the keying never committed, say
    the process was killed: no marker, so the next init keys the chain."""
    keys = Path(env["HOSO_DATA_DIR"]) / "keys"
    run(env, "init")
    sql(env, "UPDATE audit_head SET keyed_at = NULL, seal = NULL")
    run(env, "units", "import", "--province", "66")
    (keys / "audit-chain.keyed").unlink()
    init = run(env, "init")
    assert "keys created: none" in init.output
    assert "audit chain keyed: 1 existing events re-linked" in init.output
    assert run(env, "audit", "verify").exit_code == 0


def test_a_missing_audit_key_stops_with_one_sentence(env: dict[str, str]) -> None:
    run(env, "init")
    (Path(env["HOSO_DATA_DIR"]) / "keys" / "audit-chain.key").unlink()
    result = CliRunner().invoke(main, ["audit", "verify"], env=env)
    assert result.exit_code == 1
    assert "audit-chain.key is missing: run `hoso init`" in result.output
    assert "Traceback" not in result.output
