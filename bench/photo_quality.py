"""How well the photo checks judge: clean photos accepted, defects caught, QR codes read.

    .venv/bin/python bench/photo_quality.py [--evalset DIR] [--per-cell 24] [--workers 2]
                                           [--metrics FILE]

Reads the evaluation set made by `make_evalset.py` (and makes it first when DIR has no
manifest), runs `check_photo` on every photo with its slot, and prints, per defect and strength,
how many photos were caught (the expected issue among the reasons) and how many were refused for
any reason; then the clean acceptance, the catch rate at target strengths and the QR read rate
(QR at least 120 px wide); then the clean pages checked at a card's slot and the clean card
fronts at a certificate's slot: how many are named as the wrong paper. `--metrics FILE` writes
every photo's measured values as JSON lines, which is what `intake/photos/thresholds.py` was
calibrated on. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import make_evalset

from intake.photos import (
    DocumentRefused,
    QrStatus,
    QualityIssue,
    SlotKind,
    check_photo,
)

EXPECTED = {
    "gauss_blur": QualityIssue.BLURRY,
    "motion_blur": QualityIssue.BLURRY,
    "dark": QualityIssue.TOO_DARK,
    "overexposed": QualityIssue.OVEREXPOSED,
    "glare": QualityIssue.GLARE,
    "cut_corner": QualityIssue.CUT_OFF,
    "cut_edge": QualityIssue.CUT_OFF,
    "tiny": QualityIssue.TOO_SMALL,
    "no_document": QualityIssue.NO_DOCUMENT,
}
QR_MIN_PX = 120


def judge_one(root: Path, info: dict[str, object]) -> dict[str, object]:
    """Run the check on one photo of the set; the manifest line plus what the check said."""
    data = (root / str(info["file"])).read_bytes()
    started = time.perf_counter()
    try:
        check = check_photo(data, SlotKind(str(info["slot"])))
    except DocumentRefused as refused:
        return info | {"refused": refused.reason.value, "issues": [], "ms": 0.0}
    elapsed = (time.perf_counter() - started) * 1000
    qr_ok = check.qr.status is QrStatus.CCCD and check.qr.raw == info["qr_text"]
    metrics = asdict(check.metrics) if check.metrics else {}
    return info | {
        "refused": None,
        "issues": [issue.value for issue in check.issues],
        "qr_status": check.qr.status.value,
        "qr_ok": qr_ok,
        "ms": round(elapsed, 2),
        "metrics": metrics,
    }


# The paper of the other kind: a clean page sent where the ID card is asked, a clean card front
# (with its chip card's QR code) where a certificate page is.
SWAPPED = {"page": SlotKind.ID_CARD, "card_front": SlotKind.CERTIFICATE}
WRONG_PAPER = {"page": QualityIssue.NOT_A_CARD, "card_front": QualityIssue.NOT_A_PAGE}


def judge_swapped(root: Path, info: dict[str, object]) -> dict[str, object] | None:
    """A clean page or card front checked at the other paper's slot: caught or not."""
    document = str(info["document"])
    if info["defect"] not in ("clean", "qr") or document not in SWAPPED:
        return None
    data = (root / str(info["file"])).read_bytes()
    check = check_photo(data, SWAPPED[document])
    return {
        "document": document,
        "qr_px": info["qr_px"],
        "caught": WRONG_PAPER[document] in check.issues,
    }


def report_swapped(rows: list[dict[str, object]]) -> dict[str, object]:
    pages = [bool(r["caught"]) for r in rows if r["document"] == "page"]
    cards = [
        bool(r["caught"])
        for r in rows
        if r["document"] == "card_front" and int(str(r["qr_px"] or 0)) >= QR_MIN_PX
    ]
    print(
        f"\nwrong paper: pages at a card's slot {sum(pages)}/{len(pages)} caught; chip card "
        f"fronts (QR ≥ {QR_MIN_PX} px) at a certificate's slot {sum(cards)}/{len(cards)} caught"
    )
    return {
        "pages_at_card_slot": {"n": len(pages), "caught": sum(pages)},
        "cards_at_page_slot": {"n": len(cards), "caught": sum(cards)},
    }


def ensure_evalset(root: Path, per_cell: int, workers: int) -> list[dict[str, object]]:
    manifest = root / "manifest.jsonl"
    if not manifest.exists():
        print(f"generating the evaluation set in {root} …", file=sys.stderr)
        make_evalset.main([str(root), "--per-cell", str(per_cell), "--workers", str(workers)])
    return [json.loads(line) for line in manifest.read_text(encoding="utf-8").splitlines()]


def caught(row: dict[str, object]) -> bool:
    return EXPECTED[str(row["defect"])].value in row["issues"]  # type: ignore[operator]


def report(rows: list[dict[str, object]]) -> dict[str, object]:
    """Print the tables and return the summary."""
    groups: dict[tuple[str, str], list[dict[str, object]]] = defaultdict(list)
    for row in rows:
        groups[(str(row["defect"]), str(row["strength"]))].append(row)
    clean = groups.pop(("clean", "0"), [])
    accepted = sum(1 for r in clean if not r["issues"] and not r["refused"])
    print(
        f"{'class':<14}{'strength':>10}{'target':>8}{'n':>6}{'caught':>8}{'rate':>8}{'refused':>9}"
    )
    summary: dict[str, object] = {
        "clean": {
            "n": len(clean),
            "accepted": accepted,
            "rate": round(accepted / max(1, len(clean)), 4),
        }
    }
    print(
        f"{'clean':<14}{'':>10}{'':>8}{len(clean):>6}{accepted:>8}"
        f"{accepted / max(1, len(clean)):>8.1%}{'(accepted)':>11}"
    )
    targets: dict[str, list[bool]] = defaultdict(list)
    for (defect, strength), members in sorted(groups.items()):
        if defect == "qr":
            continue
        hits = sum(caught(r) for r in members)
        refused = sum(1 for r in members if r["issues"] or r["refused"])
        is_target = bool(members[0]["target"])
        if is_target:
            targets[defect] += [caught(r) for r in members]
        print(
            f"{defect:<14}{strength:>10}{'yes' if is_target else 'mild':>8}{len(members):>6}"
            f"{hits:>8}{hits / len(members):>8.1%}{refused:>9}"
        )
    summary["defects_at_target"] = {
        d: {"n": len(v), "caught": sum(v), "rate": round(sum(v) / len(v), 4)}
        for d, v in sorted(targets.items())
    }
    qr_rows = [r for r in rows if r["qr_px"] is not None and r["defect"] in ("clean", "qr")]
    readable = [r for r in qr_rows if int(str(r["qr_px"])) >= QR_MIN_PX]
    read = sum(bool(r.get("qr_ok")) for r in readable)
    print(f"\nQR (clean card fronts, QR ≥ {QR_MIN_PX} px): {read}/{len(readable)} read")
    by_width: dict[int, list[bool]] = defaultdict(list)
    for r in rows:
        if r["defect"] == "qr":
            by_width[int(str(r["strength"]))].append(bool(r.get("qr_ok")))
    for width, oks in sorted(by_width.items()):
        print(f"  QR {width:>4} px: {sum(oks)}/{len(oks)} read")
    summary["qr"] = {
        "n": len(readable),
        "read": read,
        "rate": round(read / max(1, len(readable)), 4),
        "by_width": {w: round(sum(v) / len(v), 4) for w, v in sorted(by_width.items())},
    }
    times = sorted(float(str(r["ms"])) for r in rows if not r["refused"])
    summary["check_ms_median"] = times[len(times) // 2] if times else None
    false_alarms: dict[str, int] = defaultdict(int)
    for r in clean:
        for issue in r["issues"]:  # type: ignore[attr-defined]
            false_alarms[issue] += 1
    summary["clean_false_alarms"] = dict(false_alarms)
    return summary


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--evalset", type=Path, default=make_evalset.DEFAULT_OUT)
    parser.add_argument("--per-cell", type=int, default=24)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--metrics", type=Path, help="write per-photo measured values (JSON lines)"
    )
    args = parser.parse_args(argv)
    manifest = ensure_evalset(args.evalset, args.per_cell, args.workers)
    started = time.perf_counter()
    with ThreadPoolExecutor(args.workers) as pool:
        rows = list(pool.map(lambda info: judge_one(args.evalset, info), manifest))
        swapped = [
            row
            for row in pool.map(lambda info: judge_swapped(args.evalset, info), manifest)
            if row is not None
        ]
    elapsed = time.perf_counter() - started
    if args.metrics:
        args.metrics.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows))
    summary = report(rows)
    summary["wrong_paper"] = report_swapped(swapped)
    summary["photos"] = len(rows)
    summary["seconds"] = round(elapsed, 1)
    print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
