"""DESIGN.md's import rule between the top-level packages, enforced on the source."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"bot", "handlers", "storage", "crypto", "intake", "console", "simulator"}
ALLOWED = {
    "crypto": set(),
    "storage": {"crypto"},
    "intake": {"storage", "crypto"},
    "handlers": {"intake"},
    "console": {"intake"},
    "bot": OURS - {"bot"},
    "simulator": set(),
}
# handlers and console speak to users: never SQL, crypto or Pillow directly.
FORBIDDEN_LIBRARIES = {
    "handlers": {"sqlalchemy", "PIL", "pyrage", "cryptography"},
    "console": {"sqlalchemy", "PIL", "pyrage", "cryptography"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(OURS))
def test_package_imports_only_what_design_allows(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        roots = imported_roots(path)
        for root in roots & (OURS - {package}):
            if root not in ALLOWED[package]:
                offenders.append(f"{path.relative_to(ROOT)} imports {root}")
        for root in roots & FORBIDDEN_LIBRARIES.get(package, set()):
            offenders.append(f"{path.relative_to(ROOT)} imports {root}")
    assert offenders == []


def test_the_rule_checker_sees_imports(tmp_path: Path) -> None:
    sample = tmp_path / "m.py"
    sample.write_text("import storage.db\nfrom crypto import x\nfrom . import y\n")
    assert imported_roots(sample) == {"storage", "crypto"}
