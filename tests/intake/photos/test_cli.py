"""`hoso inspect` on files and folders: a line per file, JSON on demand, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from tests.intake.photos import builders


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "thon-3").mkdir()
    (tmp_path / "thon-3" / "cccd.jpg").write_bytes(
        builders.document_photo("qr", 150, "card_front")
    )
    (tmp_path / "thon-3" / "blurry.jpg").write_bytes(
        builders.document_photo("gauss_blur", 3.0, "card_front")
    )
    (tmp_path / "photo.jpg").write_bytes(b"<html><body>not a photo</body></html>")
    (tmp_path / "empty.jpg").write_bytes(b"")
    (tmp_path / ".hidden.jpg").write_bytes(b"ignored")
    return tmp_path


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["inspect", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit)
    return result.exit_code, result.stdout, result.stderr


def test_table_has_a_line_per_file(folder: Path) -> None:
    code, out, err = run(str(folder), "--slot", "id")
    assert code == 0
    lines = {line.split()[-1]: line for line in out.splitlines()[1:]}
    assert set(lines) == {
        str(folder / "thon-3" / "cccd.jpg"),
        str(folder / "thon-3" / "blurry.jpg"),
        str(folder / "photo.jpg"),
        str(folder / "empty.jpg"),
    }
    assert lines[str(folder / "thon-3" / "cccd.jpg")].startswith("accepted")
    assert "cccd 0" in lines[str(folder / "thon-3" / "cccd.jpg")]
    assert "blurry" in lines[str(folder / "thon-3" / "blurry.jpg")]
    assert "unsupported_type" in lines[str(folder / "photo.jpg")]
    assert "empty" in lines[str(folder / "empty.jpg")]
    assert "4 path(s)" in err


def test_json_lines(folder: Path) -> None:
    code, out, _ = run(str(folder / "thon-3"), str(folder / "photo.jpg"), "--json", "--slot", "id")
    assert code == 0
    rows = {Path(r["path"]).name: r for r in map(json.loads, out.splitlines())}
    assert rows["cccd.jpg"]["verdict"] == "accepted"
    assert rows["cccd.jpg"]["qr"]["status"] == "cccd"
    assert rows["cccd.jpg"]["qr"]["cccd"]["number"].isdigit()
    assert rows["blurry.jpg"]["verdict"] == "retake"
    assert "blurry" in rows["blurry.jpg"]["issues"]
    assert rows["blurry.jpg"]["metrics"]["sharpness"] < 0.5
    assert rows["photo.jpg"] == {
        "path": str(folder / "photo.jpg"),
        "verdict": "refused",
        "reason": "unsupported_type",
        "detail": "html",
    }


def test_bad_paths_give_a_clear_line_and_fail_only_when_nothing_was_inspected(
    tmp_path: Path,
) -> None:
    (tmp_path / "nothing").mkdir()
    code, out, _ = run(str(tmp_path / "missing.jpg"), str(tmp_path / "nothing"))
    assert code == 1
    assert "no such file or folder" in out
    assert "folder without files" in out
    assert "Traceback" not in out
    (tmp_path / "x.jpg").write_bytes(builders.jpeg())
    code, out, _ = run(str(tmp_path / "missing.jpg"), str(tmp_path / "x.jpg"))
    assert code == 0


def test_progress_bar_on_long_runs(tmp_path: Path) -> None:
    for k in range(60):
        (tmp_path / f"{k:02d}.jpg").write_bytes(b"not an image %d" % k)
    code, out, err = run(str(tmp_path), "--workers", "2")
    assert code == 0
    assert "inspecting" in err
    assert len(out.splitlines()) == 61


def test_help_shows_an_example() -> None:
    result = CliRunner().invoke(main, ["inspect", "--help"])
    assert result.exit_code == 0
    assert "hoso inspect" in result.output
    assert "--json" in result.output
