"""`hoso inspect`: the resident-facing photo checks, run on files an officer already holds."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import click

from intake.photos import (
    DEFAULT_LIMITS,
    DocumentRefused,
    PhotoCheck,
    QrReading,
    QrStatus,
    SlotKind,
    check_photo,
)

__all__ = ["inspect_command"]

_PROGRESS_FROM = 50  # files; fewer finish before a bar would be worth drawing


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one path: a check, a refusal, or why it could not be read."""

    path: str
    check: PhotoCheck | None = None
    refused: DocumentRefused | None = None
    unreadable: str | None = None

    @property
    def status(self) -> str:
        if self.check is not None:
            return self.check.verdict.value
        return "refused" if self.refused is not None else "unreadable"


@click.command("inspect")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="One JSON object per file (JSON Lines).")
@click.option(
    "--slot",
    type=click.Choice([slot.value for slot in SlotKind]),
    default=SlotKind.OTHER.value,
    show_default=True,
    help="What the photos should show: `id` and `certificate` also read the QR code.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 64),
    default=min(4, os.cpu_count() or 1),
    show_default=True,
    help="Files checked at the same time.",
)
def inspect_command(paths: tuple[Path, ...], as_json: bool, slot: str, workers: int) -> None:
    """Check photos and scans the way the bot checks a resident's upload.

    PATH may be files or folders (searched recursively). Each file is judged by its content,
    whatever its name: accepted, retake (with the reasons and the measured values) or refused
    (not a usable image or PDF), plus what its QR code says. Nothing is written anywhere.

    \b
    Examples:
      hoso inspect ~/zalo-photos/thon-3 --slot id
      hoso inspect scan.pdf IMG_0142.HEIC --json | jq -c '{path, verdict, issues}'

    Exits non-zero only when no file at all could be inspected.
    """
    files, missing = _collect(paths)
    outcomes = [Outcome(str(path), unreadable=why) for path, why in missing]
    for outcome in outcomes:
        _emit(outcome, as_json=as_json)
    show_bar = bool(files) and (sys.stderr.isatty() or len(files) >= _PROGRESS_FROM)
    with ThreadPoolExecutor(workers) as pool:
        results = pool.map(lambda path: _inspect(path, SlotKind(slot)), files)
        if not as_json and files:
            click.echo(_HEADER)
        for outcome in _progress(results, len(files), show=show_bar):
            outcomes.append(outcome)
            _emit(outcome, as_json=as_json)
    counts = Counter(outcome.status for outcome in outcomes)
    summary = ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
    click.echo(f"{len(outcomes)} path(s): {summary or 'nothing to inspect'}", err=True)
    if counts["unreadable"] == len(outcomes):
        raise SystemExit(1)


def _collect(paths: Iterable[Path]) -> tuple[list[Path], list[tuple[Path, str]]]:
    """Files to check, in a stable order, and the paths that give none (with why)."""
    files: list[Path] = []
    missing: list[tuple[Path, str]] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and not _hidden(p, path))
            files.extend(found)
            if not found:
                missing.append((path, "folder without files"))
        elif path.is_file():
            files.append(path)
        else:
            missing.append((path, "no such file or folder"))
    return files, missing


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith(".") for part in path.relative_to(root).parts)


def _inspect(path: Path, slot: SlotKind) -> Outcome:
    try:
        with path.open("rb") as handle:  # never more than the limit (plus one byte to tell)
            data = handle.read(DEFAULT_LIMITS.max_bytes + 1)
    except OSError as exc:
        return Outcome(str(path), unreadable=exc.strerror or type(exc).__name__)
    try:
        return Outcome(str(path), check=check_photo(data, slot))
    except DocumentRefused as refused:
        return Outcome(str(path), refused=refused)


def _progress(results: Iterator[Outcome], total: int, *, show: bool) -> Iterator[Outcome]:
    if not show:
        yield from results
        return
    with click.progressbar(results, length=total, label="inspecting", file=sys.stderr) as bar:
        yield from bar


_HEADER = (
    f"{'verdict':<11}{'reasons':<28}{'kind':<6}{'size':>11}{'sharp':>7}{'paper':>6}"
    f"{'blown':>7}{'edge':>6}{'text':>6}{'doc px':>7}  {'qr':<24} path"
)


def _emit(outcome: Outcome, *, as_json: bool) -> None:
    if as_json:
        click.echo(json.dumps(_as_dict(outcome), ensure_ascii=False, default=str))
        return
    check = outcome.check
    if check is None:
        reason = outcome.refused.reason.value if outcome.refused else "unreadable"
        detail = outcome.refused.detail if outcome.refused else outcome.unreadable
        click.echo(f"{outcome.status:<11}{reason:<28}{detail or '':<81}  {outcome.path}")
        return
    reasons = ",".join(issue.value for issue in check.issues) or "-"
    size = f"{check.width}x{check.height}" if check.width else f"{check.page_count} p."
    m = check.metrics
    values = (
        f"{_num(m.sharpness, 2):>7}{m.paper_level:>6.0f}{m.blown_share:>7.3f}"
        f"{m.edge_contact:>6.3f}{m.text_share:>6.2f}{m.document_long_px:>7}"
        if m
        else " " * 39
    )
    click.echo(
        f"{check.verdict.value:<11}{reasons:<28}{check.kind.value:<6}{size:>11}{values}"
        f"  {_qr_brief(check.qr):<24} {outcome.path}"
    )


def _num(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def _qr_brief(qr: QrReading) -> str:
    if qr.status is QrStatus.CCCD and qr.cccd is not None:
        return f"cccd {qr.cccd.number}"
    if qr.status is QrStatus.CERTIFICATE and qr.certificate is not None:
        return f"gcn {qr.certificate.serial}"
    if qr.status is QrStatus.UNPARSED:
        return f"unparsed ({qr.problem})"
    return "-" if qr.status is QrStatus.NOT_SCANNED else qr.status.value


def _as_dict(outcome: Outcome) -> dict[str, Any]:
    out: dict[str, Any] = {"path": outcome.path, "verdict": outcome.status}
    if outcome.check is not None:
        check = outcome.check
        out |= {
            "kind": check.kind.value,
            "issues": [issue.value for issue in check.issues],
            "width": check.width,
            "height": check.height,
            "orientation": check.orientation,
            "page_count": check.page_count,
            "metrics": asdict(check.metrics) if check.metrics else None,
            "qr": {
                "status": check.qr.status.value,
                "problem": check.qr.problem,
                "text": check.qr.raw,
                "cccd": asdict(check.qr.cccd) if check.qr.cccd else None,
                "certificate": asdict(check.qr.certificate) if check.qr.certificate else None,
            },
        }
    elif outcome.refused is not None:
        out |= {"reason": outcome.refused.reason.value, "detail": outcome.refused.detail}
    else:
        out |= {"reason": "unreadable", "detail": outcome.unreadable}
    return out
