"""Hostile files are refused with their reason, in under a second and 200 MB."""

from __future__ import annotations

import contextlib
import os
import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from intake.photos import (
    DocumentRefused,
    Limits,
    RefusalReason,
    SlotKind,
    check_photo,
    prepare_document,
    strip_metadata,
)
from tests.intake.photos import builders

MAX_SECONDS = 1.0
MAX_MEMORY = 200 * 1024 * 1024
_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")

HOSTILE: list[tuple[str, Callable[[], bytes], RefusalReason]] = [
    ("png-50000x50000", builders.png_bomb, RefusalReason.TOO_MANY_PIXELS),
    ("truncated-jpeg", lambda: builders.jpeg(640, 480)[:6000], RefusalReason.TRUNCATED),
    ("zero-bytes", lambda: b"", RefusalReason.EMPTY),
    (
        "random-bytes.jpg",
        lambda: os.urandom(100_000).replace(b"<", b"-"),
        RefusalReason.UNSUPPORTED_TYPE,
    ),
    ("zip.jpg", builders.zip_bytes, RefusalReason.UNSUPPORTED_TYPE),
    (
        "html.jpg",
        lambda: b"<html><script>alert(1)</script></html>",
        RefusalReason.UNSUPPORTED_TYPE,
    ),
    (
        "svg.jpg",
        lambda: b'<svg xmlns="http://www.w3.org/2000/svg" onload="x()"/>',
        RefusalReason.UNSUPPORTED_TYPE,
    ),
    ("jpeg+zip-polyglot", lambda: builders.jpeg() + builders.zip_bytes(), RefusalReason.POLYGLOT),
    (
        "jpeg-html-comment",
        lambda: builders.jpeg(comment=b"<script>x()</script>"),
        RefusalReason.POLYGLOT,
    ),
    ("animated-gif", lambda: builders.animated("GIF"), RefusalReason.ANIMATED),
    ("exif-nested-ifds", builders.exif_bomb, RefusalReason.METADATA_BOMB),
    ("exif-ifd-loop", builders.exif_loop, RefusalReason.METADATA_BOMB),
    ("animated-png", lambda: builders.animated("PNG"), RefusalReason.ANIMATED),
    ("animated-webp", lambda: builders.animated("WEBP"), RefusalReason.ANIMATED),
    (
        "jpeg-60000-wide",
        lambda: _resized_sof(builders.jpeg(), 60_000, 60_000),
        RefusalReason.TOO_MANY_PIXELS,
    ),
    ("jpeg-broken-frame-header", lambda: _broken_sof(builders.jpeg()), RefusalReason.CORRUPT),
    (
        "jpeg-garbage-after-soi",
        lambda: builders.jpeg()[:3] + b"\x11garbage" * 50,
        RefusalReason.CORRUPT,
    ),
    (
        "png-truncated",
        lambda: builders.encode(builders.noise_image(200, 200), "PNG")[:5000],
        RefusalReason.TRUNCATED,
    ),
]


def _resized_sof(data: bytes, width: int, height: int) -> bytes:
    """A JPEG whose frame header claims another size (decoders would allocate for it)."""
    sof = data.index(b"\xff\xc0")
    size = height.to_bytes(2, "big") + width.to_bytes(2, "big")
    return data[: sof + 5] + size + data[sof + 9 :]


def _broken_sof(data: bytes) -> bytes:
    """A JPEG whose frame header is cut to a length that cannot hold a size."""
    sof = data.index(b"\xff\xc0")
    return data[: sof + 2] + b"\x00\x04\x08\x00" + data[sof + 6 :]


def _peak_memory() -> int | None:
    match = re.search(r"VmHWM:\s+(\d+) kB", _STATUS.read_text()) if _STATUS.exists() else None
    return int(match.group(1)) * 1024 if match else None


def _reset_peak() -> int | None:
    """Reset the process's peak RSS (Linux) and return the current one; None where unsupported."""
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return None
    return _peak_memory()


@pytest.mark.parametrize(("make", "reason"), [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_file_is_refused_quickly_in_bounded_memory(
    make: Callable[[], bytes], reason: RefusalReason
) -> None:
    data = make()
    baseline = _reset_peak()
    started = time.perf_counter()
    with pytest.raises(DocumentRefused) as refused:
        prepare_document(data, SlotKind.ID_CARD)
    elapsed = time.perf_counter() - started
    assert refused.value.reason is reason, refused.value.detail
    assert elapsed < MAX_SECONDS
    peak = _peak_memory()
    if baseline is not None and peak is not None:
        assert peak - baseline < MAX_MEMORY


@pytest.mark.parametrize("entry", [check_photo, strip_metadata], ids=["check", "strip"])
def test_every_entry_point_refuses(entry: Callable[[bytes], object]) -> None:
    with pytest.raises(DocumentRefused) as refused:
        entry(builders.jpeg() + builders.zip_bytes())
    assert refused.value.reason is RefusalReason.POLYGLOT


def test_byte_limit_is_checked_before_anything_else() -> None:
    with pytest.raises(DocumentRefused) as refused:
        check_photo(builders.jpeg(), limits=Limits(max_bytes=1000))
    assert refused.value.reason is RefusalReason.TOO_LARGE_BYTES


def test_pixel_limit_is_configurable() -> None:
    with pytest.raises(DocumentRefused) as refused:
        check_photo(builders.jpeg(320, 240), limits=Limits(max_pixels=320 * 240 - 1))
    assert refused.value.reason is RefusalReason.TOO_MANY_PIXELS


def test_trailing_motion_photo_is_dropped_not_refused() -> None:
    video = b"\x00\x00\x00\x18ftypmp42" + os.urandom(5000).replace(b"PK", b"pk")
    data = builders.jpeg() + video
    assert check_photo(data).kind.value == "jpeg"
    assert not strip_metadata(data).endswith(video)


FUZZ_SEEDS = {
    "jpeg": builders.planted_jpeg(orientation=6),
    "progressive-jpeg": builders.encode(builders.noise_image(96, 64), "JPEG", progressive=True),
    "cmyk-jpeg": builders.encode(builders.noise_image(96, 64).convert("CMYK"), "JPEG"),
    "png": builders.encode(builders.noise_image(96, 64), "PNG", exif=builders.gps_exif(3)),
    "webp": builders.encode(builders.noise_image(96, 64).convert("RGBA"), "WEBP", lossless=True),
}


@pytest.mark.parametrize("name", sorted(FUZZ_SEEDS))
def test_damaged_files_end_in_a_verdict_or_a_typed_refusal(name: str) -> None:
    """Flipped, cut and inserted bytes never escape as anything but `DocumentRefused`."""
    rng = random.Random(name)
    original = FUZZ_SEEDS[name]
    for _ in range(60):
        data = bytearray(original)
        where = rng.randrange(len(data))
        match rng.randrange(3):
            case 0:
                data[where] = rng.randrange(256)
            case 1:
                del data[where:]
            case _:
                data[where:where] = rng.randbytes(rng.randint(1, 32))
        for entry in (lambda d: prepare_document(d, SlotKind.ID_CARD), strip_metadata):
            with contextlib.suppress(DocumentRefused):
                entry(bytes(data))
