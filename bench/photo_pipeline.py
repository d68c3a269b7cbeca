"""What the whole photo path costs next to one plain decode, and photos/s with 1 and 2 threads.

    .venv/bin/python bench/photo_pipeline.py [--photos 6] [--rounds 25]

On the same clean document photos (JPEG, 1280 px and 2560 px long side, made by the evaluation
set generator), in one run and interleaved photo by photo:

* `decode`: a plain full Pillow decode (`Image.open(...).load()`, RGB) — the physical floor;
* `path`: `prepare_document` (sniff, limits, one grayscale draft decode, quality metrics,
  byte-level metadata removal) + `crypto.seal_document` (age to a commune and the escrow);
* `path_qr`: the same for an ID-card slot: one full-resolution grayscale decode, QR scan.

Medians in milliseconds per photo, the ratio path/decode, and photos/s through a thread pool
of 1 and 2 threads (decoding, numpy, zxing and sealing release the GIL). The last line is one
JSON object.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pyrage
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import make_evalset

from crypto import CommuneRecipients, seal_document
from intake.photos import SlotKind, prepare_document

SIZES = (1280, 2560)


def photos(long_side: int, count: int) -> list[bytes]:
    """Clean card and page photos, `long_side` pixels long."""
    documents = ("card_front", "page", "card_back")
    specs = [
        make_evalset.Spec(7000 + k, documents[k % 3], "id", "clean", 0, False)
        for k in range(count)
    ]
    return [make_evalset.render(spec, 11, long_side)[0] for spec in specs]


def recipients() -> CommuneRecipients:
    keys = [str(pyrage.x25519.Identity.generate().to_public()) for _ in range(2)]
    return CommuneRecipients(commune_code="00001", commune=(keys[0],), escrow=keys[1])


def decode(data: bytes) -> None:
    Image.open(io.BytesIO(data)).load()


def path(data: bytes, to: CommuneRecipients, slot: SlotKind) -> bytes:
    return seal_document(prepare_document(data, slot).data, to)


def median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 3)


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return time.perf_counter() - started


def per_photo(images: list[bytes], to: CommuneRecipients, rounds: int) -> dict[str, float]:
    """Interleaved medians: each round times every photo's decode, path and path with QR."""
    samples: dict[str, list[float]] = {"decode": [], "path": [], "path_qr": []}
    for data in images:  # warm up caches and lazy imports
        path(data, to, SlotKind.ID_CARD)
    for _ in range(rounds):
        for data in images:
            samples["decode"].append(timed(lambda d=data: decode(d)))
            samples["path"].append(timed(lambda d=data: path(d, to, SlotKind.OTHER)))
            samples["path_qr"].append(timed(lambda d=data: path(d, to, SlotKind.ID_CARD)))
    result = {name: median_ms(values) for name, values in samples.items()}
    result["ratio"] = round(result["path"] / result["decode"], 3)
    result["ratio_qr"] = round(result["path_qr"] / result["decode"], 3)
    return result


def throughput(images: list[bytes], to: CommuneRecipients, slot: SlotKind, threads: int) -> float:
    """Photos per second through a pool of `threads` threads: best of three half-second runs
    (other processes on the machine only ever slow a run down)."""
    batch = images * max(1, 60 // len(images))
    best = 0.0
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(lambda d: path(d, to, slot), images))  # start the threads
        for _ in range(3):
            started = time.perf_counter()
            list(pool.map(lambda d: path(d, to, slot), batch))
            best = max(best, len(batch) / (time.perf_counter() - started))
    return round(best, 1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--photos", type=int, default=6, help="photos per size")
    parser.add_argument("--rounds", type=int, default=25)
    args = parser.parse_args(argv)
    started = time.perf_counter()
    to = recipients()
    report: dict[str, object] = {
        "cpus": os.cpu_count(),
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    for size in SIZES:
        images = photos(size, args.photos)
        figures: dict[str, object] = per_photo(images, to, args.rounds)
        figures["kb_per_photo"] = round(sum(map(len, images)) / len(images) / 1024, 1)
        for slot, name in (
            (SlotKind.OTHER, "photos_per_s"),
            (SlotKind.ID_CARD, "photos_per_s_qr"),
        ):
            figures[name] = {f"{n}_thread": throughput(images, to, slot, n) for n in (1, 2)}
        report[f"{size}px"] = figures
        print(f"{size} px: {figures}", file=sys.stderr)
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(json.dumps(report))


if __name__ == "__main__":
    main()
