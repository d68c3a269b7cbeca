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


# The pure modules: plain data in, decisions out (DESIGN.md). They may read the persisted
# enumerations (storage.states), nothing else of storage.
PURE = [
    "intake/flow",
    "intake/photos",
    "intake/chat",
    "intake/language",
    "intake/submissions/_lifecycle.py",
    "intake/submissions/_routing.py",
    "intake/staff/_policy.py",
    "intake/staff/_screens.py",
    "intake/staff/_callbacks.py",
    "intake/requests/_clocks.py",
    "intake/requests/_lifecycle.py",
    "intake/requests/_callbacks.py",
    "intake/requests/_screens.py",
    "intake/retention/_rules.py",
    "intake/retention/_report.py",
]
IMPURE_LIBRARIES = {"sqlalchemy", "telegram", "aiohttp", "asyncpg", "aiosqlite"}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


def _pure_files() -> list[Path]:
    files: list[Path] = []
    for entry in PURE:
        path = ROOT / entry
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


@pytest.mark.parametrize("path", _pure_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_the_pure_modules_import_no_database_telegram_or_web(path: Path) -> None:
    assert path.exists()
    modules = imported_modules(path)
    roots = {module.split(".")[0] for module in modules}
    assert roots & IMPURE_LIBRARIES == set()
    storage = {m for m in modules if m.split(".")[0] == "storage"}
    assert {m for m in storage if not m.startswith("storage.states")} == set()


def test_intake_builds_no_sql() -> None:
    """SQL lives in storage/repositories: a service may hold a session (the transaction it
    owns), never build a statement."""
    offenders = []
    for path in sorted((ROOT / "intake").rglob("*.py")):
        for module in imported_modules(path):
            if module.split(".")[0] != "sqlalchemy":
                continue
            if module not in ("sqlalchemy.ext.asyncio", "sqlalchemy.ext.asyncio.AsyncSession"):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert offenders == []


def test_every_intake_module_has_a_home() -> None:
    """intake/ holds sub-packages only; each module of a sub-package is private (`_name`) or
    named in its package's `__all__` (a public submodule). A new module added elsewhere, or
    neither private nor exported, fails here."""
    import importlib

    loose = [p.name for p in (ROOT / "intake").glob("*.py") if p.name != "__init__.py"]
    assert loose == [], "modules directly in intake/: put them in the sub-package of their job"
    unexported = []
    for package in sorted(p for p in (ROOT / "intake").iterdir() if (p / "__init__.py").exists()):
        name = f"intake.{package.name}"
        exported = set(getattr(importlib.import_module(name), "__all__", ()))
        assert exported, f"{name} names no public API (__all__)"
        for module in sorted(package.glob("*.py")):
            stem = module.stem
            if stem == "__init__" or stem.startswith("_") or stem in exported:
                continue
            unexported.append(f"{name}.{stem}")
        for sub in sorted(p for p in package.iterdir() if (p / "__init__.py").exists()):
            if sub.name not in exported and not sub.name.startswith("_"):
                unexported.append(f"{name}.{sub.name}")
    assert unexported == []
