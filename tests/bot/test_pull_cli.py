"""`hoso pull` as an officer runs it: plain and locked identity files, filters, sealed files,
resumption after an interruption, and one clear sentence for every kind of bad input."""

from __future__ import annotations

import asyncio
import csv
import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select

from bot.cli import main
from bot.config import load_settings
from bot.wiring import open_deps
from crypto import CommuneRecipients, create_identity
from intake.admin import PullFolder
from storage.models import Commune, CommuneKey, Event
from tests.fixtures.age_lock import lock_identity_cheaply
from tests.fixtures.pull_data import VILLAGES_CSV, Doc, add_submission, jpeg

PASSPHRASE = "a long passphrase 123"


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory with the province and its villages imported."""
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's directory
    for name in ("HOSO_DATABASE_URL", "HOSO_PROVINCE", "HOSO_FIELD_KEYS", "HOSO_BLIND_INDEX_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOSO_DATA_DIR", str(tmp_path / "var"))
    villages = tmp_path / "villages.csv"
    villages.write_bytes(VILLAGES_CSV)
    for args in (["init"], ["units", "import", "--province", "66"], ["villages", "import"]):
        extra = [str(villages)] if args == ["villages", "import"] else []
        assert hoso(*args, *extra).exit_code == 0
    return tmp_path


def hoso(*args: str, stdin: str | None = None) -> Result:
    return CliRunner().invoke(main, list(args), input=stdin, catch_exceptions=False)


def with_services(work: Any) -> Any:
    """Run `work(deps)` on the same data directory the CLI uses."""

    async def run() -> Any:
        async with open_deps(load_settings()) as deps:
            return await work(deps)

    return asyncio.run(run())


def pull_events() -> list[dict[str, Any]]:
    async def work(deps: Any) -> list[dict[str, Any]]:
        async with deps.database.sessions() as session:
            events = await session.scalars(select(Event).where(Event.action == "pull"))
            return [event.data for event in events]

    result: list[dict[str, Any]] = with_services(work)
    return result


def add_three(photos: dict[str, bytes], recipients: CommuneRecipients | None = None) -> None:
    async def work(deps: Any) -> None:
        for number, (receipt, village) in enumerate(
            [("HP-AAAA1", "HP-01"), ("HP-BBBB2", "HP-01"), ("HP-CCCC3", "HP-02")], start=1
        ):
            await add_submission(
                deps,
                receipt,
                [Doc("cccd_front", photos[receipt])],
                village=village,
                holder=f"Trần Văn Đức {number}",
                submitted_at=datetime(2025, 3, number, tzinfo=UTC),
                recipients=recipients,
            )

    with_services(work)


def test_pull_with_plain_and_locked_identity_sealed_and_resumed(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert hoso("keys", "create-escrow", "--province", "66").exit_code == 0
    created = hoso(
        "keys", "create-commune", "--commune", "24175", stdin=f"{PASSPHRASE}\n{PASSPHRASE}\n"
    )
    identity = env / "hoa-phu.txt"  # the recovery copy, as the officer saved it
    identity.write_text(created.output.split("-" * 72)[1].strip() + "\n")

    async def locked_key(deps: Any) -> bytes:
        async with deps.database.sessions() as session:
            value: bytes = await session.scalar(select(CommuneKey.identity_locked))
            return value

    locked = env / "hoa-phu.key.age"  # the passphrase-locked form, as `age -p` makes it
    locked.write_bytes(with_services(locked_key))
    photos = {r: jpeg(r) for r in ("HP-AAAA1", "HP-BBBB2", "HP-CCCC3")}
    add_three(photos)
    folder = {r: f"{r} – Trần Văn Đức {n}" for n, r in enumerate(photos, start=1)}

    result = hoso("pull", "--commune", "24175", "--identity", str(identity), "--out", "out")
    assert result.exit_code == 0, result.output
    assert "3 submission(s) pulled, 0 already up to date" in result.output
    for receipt, photo in photos.items():
        assert (env / "out" / folder[receipt] / "cccd_front.jpg").read_bytes() == photo
    rows = list(
        csv.DictReader((env / "out" / "submissions.csv").read_text("utf-8-sig").split("\n"))
    )
    assert [row["Họ tên người sử dụng đất"] for row in rows] == [
        f"Trần Văn Đức {n}" for n in (1, 2, 3)
    ]
    again = hoso("pull", "--commune", "24175", "--identity", str(identity), "--out", "out")
    assert "0 submission(s) pulled, 3 already up to date" in again.output

    filtered = hoso(
        "pull", "--commune", "24175", "--identity", str(locked), "--village", "HP-01",
        "--since", "2025-03-02", "--out", "filtered", stdin=f"{PASSPHRASE}\n",
    )  # fmt: skip
    assert filtered.exit_code == 0, filtered.output
    assert PASSPHRASE not in filtered.output  # hidden input
    assert sorted(p.name for p in (env / "filtered").iterdir()) == [
        folder["HP-BBBB2"],
        "submissions.csv",
    ]

    sealed = hoso("pull", "--commune", "24175", "--sealed", "--out", "sealed")
    assert sealed.exit_code == 0, sealed.output
    age_file = env / "sealed" / folder["HP-CCCC3"] / "cccd_front.jpg.age"
    assert age_file.read_bytes()[:22] == b"age-encryption.org/v1\n"
    if shutil.which("age") is not None:  # the standard tool opens them too
        opened = subprocess.run(
            ["age", "-d", "-i", str(identity), str(age_file)], capture_output=True, check=True
        )
        assert opened.stdout == photos["HP-CCCC3"]

    # Interrupted after the first submission (Ctrl-C); run again, it finishes the rest.
    real_write = PullFolder.write

    def interrupted(self: PullFolder, pulled: Any) -> Path:
        if any(self.root.iterdir()):
            raise KeyboardInterrupt
        return real_write(self, pulled)

    with monkeypatch.context() as patch:
        patch.setattr(PullFolder, "write", interrupted)
        stopped = hoso("pull", "--commune", "24175", "--identity", str(identity), "--out", "again")
    assert stopped.exit_code == 1
    assert [p.name for p in (env / "again").iterdir()] == [folder["HP-AAAA1"]]
    resumed = hoso("pull", "--commune", "24175", "--identity", str(identity), "--out", "again")
    assert "2 submission(s) pulled, 1 already up to date" in resumed.output
    assert sorted(p.name for p in (env / "again").iterdir()) == [
        *folder.values(),
        "submissions.csv",
    ]
    info = json.loads((env / "again" / folder["HP-CCCC3"] / "submission.json").read_text("utf-8"))
    assert info["holder_name"] == "Trần Văn Đức 3"

    events = pull_events()
    assert [(e["count"], e["sealed"], e["complete"]) for e in events] == [
        (3, False, True),
        (0, False, True),
        (1, False, True),
        (3, True, True),
        (1, False, False),
        (2, False, True),
    ]
    assert (events[2]["village"], events[2]["since"]) == ("HP-01", "2025-03-02")


def test_pull_is_listed_with_an_example(env: Path) -> None:
    assert "pull" in hoso("--help").output
    assert "Example" in hoso("pull", "--help").output


def test_bad_input_gets_one_clear_sentence(env: Path) -> None:
    # Documents sealed to a key that is not the one the officer brings.
    commune_key, other = create_identity(), create_identity()
    add_three(
        {r: jpeg(r) for r in ("HP-AAAA1", "HP-BBBB2", "HP-CCCC3")},
        CommuneRecipients("24175", (commune_key.recipient,), create_identity().recipient),
    )
    locked = lock_identity_cheaply(commune_key, PASSPHRASE)  # each wrong guess: ms, not 1.4 s

    async def register(deps: Any) -> None:  # the commune's key, as `keys create-commune` would
        async with deps.database.sessions.begin() as session:
            commune = await session.scalar(select(Commune).where(Commune.code == "24175"))
            session.add(
                CommuneKey(
                    commune_id=commune.id, recipient=commune_key.recipient, identity_locked=locked
                )
            )

    # Without --identity the passphrase of the commune's key kept on the server is asked; before
    # the key is registered there is none to ask for.
    unkeyed = hoso("pull", "--commune", "24175", "--out", "out", stdin=f"{PASSPHRASE}\n")
    assert unkeyed.exit_code == 1
    assert "keeps no passphrase-locked key here: give --identity FILE" in unkeyed.output
    with_services(register)
    (env / "other.txt").write_text(other.file_text())
    (env / "garbage.txt").write_text("hello\n")
    (env / "locked.age").write_bytes(locked)
    (env / "a-file").write_text("")
    cases = [
        (["--commune", "99999", "--sealed"], None, "no commune with code '99999'"),
        (["--sealed", "--village", "NOPE"], None, "no village 'NOPE' in commune 24175"),
        (["--sealed", "--since", "2025-02-30"], None, "--since '2025-02-30' is not a date"),
        (["--sealed", "--since", "1/3/2025"], None, "write it as YYYY-MM-DD"),
        ([], "wrong one\nwrong two\nwrong three\n", "3 wrong passphrases: nothing was pulled"),
        (["--sealed", "--identity", "other.txt"], None, "needs no --identity"),
        (["--identity", "missing.txt"], None, "cannot read the identity file missing.txt"),
        (["--identity", "garbage.txt"], None, "exactly one AGE-SECRET-KEY line"),
        (["--identity", "locked.age"], "not the passphrase\n", "passphrase does not unlock"),
        (["--sealed", "--out", "a-file/out"], None, "cannot write to a-file/out"),
        (["--identity", "other.txt"], None, "this identity does not open commune 24175's"),
    ]
    for args, stdin, message in cases:
        options = ["--commune", "24175", "--out", "out", *args]
        result = hoso("pull", *options, stdin=stdin)
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output, (args, result.output)
        assert "Traceback" not in result.output
    assert not (env / "out").exists() or not any((env / "out").iterdir())
    assert pull_events() == []  # every one was refused before anything left the server
    (env / "right.txt").write_text(commune_key.file_text())
    right = hoso("pull", "--commune", "24175", "--identity", "right.txt", "--out", "out")
    assert right.exit_code == 0, right.output
    pulled = env / "out" / "HP-AAAA1 – Trần Văn Đức 1" / "cccd_front.jpg"
    assert pulled.read_bytes().startswith(b"\xff\xd8")
    # the passphrase alone, as in the console, opens the key kept on the server
    asked = hoso("pull", "--commune", "24175", "--out", "asked", stdin=f"{PASSPHRASE}\n")
    assert asked.exit_code == 0, asked.output
    assert "Passphrase of commune 24175's key" in asked.output
    assert PASSPHRASE not in asked.output
    assert (env / "asked" / "HP-AAAA1 – Trần Văn Đức 1" / "cccd_front.jpg").read_bytes() == (
        pulled.read_bytes()
    )
