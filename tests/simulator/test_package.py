"""The package's public surface and its isolation from the rest of hoso."""

from __future__ import annotations

import ast
from pathlib import Path

import simulator

OURS = {"bot", "handlers", "storage", "crypto", "intake", "console"}


def test_exported_members() -> None:
    assert sorted(simulator.__all__) == sorted(
        name for name in vars(simulator) if not name.startswith("_") and name != "driver"
    )
    for name in simulator.__all__:
        assert getattr(simulator, name) is not None


def test_imports_nothing_of_hoso() -> None:
    for path in Path(simulator.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not {name.split(".")[0] for name in names} & OURS, path
