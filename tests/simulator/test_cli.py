"""python -m simulator."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from simulator.__main__ import _parser, build, main


def test_build_from_flags_and_users_file(tmp_path: Path) -> None:
    users = tmp_path / "users.json"
    users.write_text(
        json.dumps(
            [{"id": 10, "first_name": "Hùng", "label": "trưởng thôn", "phone_number": "+849"}]
        ),
        encoding="utf-8",
    )
    args = _parser().parse_args(
        [
            "--users",
            str(users),
            "--user",
            "11:Lan:en:cư dân",
            "--no-flood-limits",
            "--time-scale",
            "4",
            "--bot",
            "5:abc",
        ]
    )
    sim = build(args)
    assert sim.settings() == {"flood_limits": False, "time_scale": 4.0}
    assert [(u.id, u.first_name, u.language_code, u.label) for u in sim.users.values()] == [
        (10, "Hùng", "vi", "trưởng thôn"),
        (11, "Lan", "en", "cư dân"),
    ]
    assert list(sim.bots) == [5]


def test_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _parser().parse_args(["--user", "Lan"])
    bad = tmp_path / "users.json"
    bad.write_text("{}", encoding="utf-8")
    assert main(["--users", str(bad)]) == 2
    assert main(["--time-scale", "0"]) == 2
    assert "simulator:" in capsys.readouterr().err


def test_runs_alone_and_prints_the_chat_page_url() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--port", str(port), "--user", "1:Lan"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        assert process.stdout.readline().strip() == f"Chat page:     http://127.0.0.1:{port}/"
        deadline = time.monotonic() + 10
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as page:
                    assert '<meta charset="utf-8">' in page.read().decode()
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
    finally:
        process.terminate()
        process.wait(10)
