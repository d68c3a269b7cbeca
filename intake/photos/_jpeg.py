"""JPEG at the byte level: the segment layout, its checks, and metadata removal without decoding.

The stripped file keeps SOI, a JFIF header without its thumbnail, the Adobe colour-transform
segment (without it some JPEGs decode to other colours), every table and frame segment and the
entropy-coded scans byte for byte, and EOI. Dropped: every other APPn (EXIF with GPS, XMP, IPTC,
ICC, MPF, maker data), COM, and whatever follows EOI (motion-photo videos, depth maps, other
files). When the EXIF orientation is not 1, a fresh 1-tag EXIF block says so, so viewers still
show the photo upright.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from intake.photos._exif import exif_orientation, orientation_block
from intake.photos._model import DocumentRefused, Limits, RefusalReason
from intake.photos._sniff import HIDDEN_FORMAT, hidden_after

__all__ = ["JpegLayout", "read_jpeg", "strip_jpeg"]

_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")  # a marker after entropy-coded data
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})
_SOS, _EOI, _COM, _APP0, _APP14 = 0xDA, 0xD9, 0xFE, 0xE0, 0xEE
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})
_MAX_SEGMENTS = 2000


@dataclass(frozen=True, slots=True)
class JpegLayout:
    """Where a JPEG's parts are, as read from its bytes."""

    width: int
    height: int
    orientation: int
    keep: tuple[tuple[int, int], ...]  # byte ranges that form the picture, in order
    jfif: bytes | None  # the JFIF header payload, thumbnail removed
    adobe: bytes | None  # the Adobe segment payload (colour transform)
    metadata_bytes: int


def read_jpeg(data: bytes, limits: Limits) -> JpegLayout:
    """The layout of `data`, refused when truncated, malformed, oversized, a bomb or a polyglot."""
    pos, segments = 2, 0
    keep: list[tuple[int, int]] = []
    size: tuple[int, int] | None = None
    exif: bytes | None = None
    jfif: bytes | None = None
    adobe: bytes | None = None
    metadata = 0
    while True:
        segments += 1
        if segments > _MAX_SEGMENTS:
            raise DocumentRefused(RefusalReason.METADATA_BOMB, "too many JPEG segments")
        if pos >= len(data):
            raise DocumentRefused(RefusalReason.TRUNCATED, "JPEG ends before its image")
        if data[pos] != 0xFF:
            raise DocumentRefused(RefusalReason.CORRUPT, f"no JPEG marker at {pos}")
        start = pos
        while pos < len(data) and data[pos] == 0xFF:
            pos += 1
        if pos >= len(data):
            raise DocumentRefused(RefusalReason.TRUNCATED, "JPEG ends in a marker")
        marker = data[pos]
        pos += 1
        if marker == _EOI:
            break
        if marker in _STANDALONE:
            continue
        if pos + 2 > len(data):
            raise DocumentRefused(RefusalReason.TRUNCATED, "JPEG ends in a segment header")
        end = pos + int.from_bytes(data[pos : pos + 2], "big")
        if end > len(data):
            raise DocumentRefused(RefusalReason.TRUNCATED, "JPEG ends inside a segment")
        if end < pos + 2:
            raise DocumentRefused(RefusalReason.CORRUPT, "JPEG segment with a bad length")
        payload = data[pos + 2 : end]
        if _APP0 <= marker <= _APP0 + 15 or marker == _COM:
            metadata += end - start
            if marker == _APP0 and payload.startswith(b"JFIF\x00") and len(payload) >= 14:
                jfif = jfif or payload[:12] + b"\x00\x00"
            elif marker == _APP0 + 1 and payload.startswith(b"Exif\x00\x00") and exif is None:
                exif = payload[6:]
            elif marker == _APP14 and payload.startswith(b"Adobe") and len(payload) >= 12:
                adobe = adobe or payload[:12]
            elif marker == _COM and HIDDEN_FORMAT.search(payload):
                raise DocumentRefused(RefusalReason.POLYGLOT, "another format inside a comment")
            pos = end
            continue
        if marker in _SOF:
            if len(payload) < 6:
                raise DocumentRefused(RefusalReason.CORRUPT, "short JPEG frame header")
            size = (int.from_bytes(payload[3:5], "big"), int.from_bytes(payload[1:3], "big"))
            _check_size(size, limits)
        if marker == _SOS:
            if size is None:
                raise DocumentRefused(RefusalReason.CORRUPT, "JPEG scan before its frame header")
            found = _NEXT_MARKER.search(data, end)
            if found is None:
                raise DocumentRefused(RefusalReason.TRUNCATED, "JPEG ends inside its image data")
            end = found.start()
        keep.append((start, end))
        pos = end
    if size is None or not any(data[s + 1] == _SOS for s, _ in keep):
        raise DocumentRefused(RefusalReason.CORRUPT, "JPEG without image data")
    if metadata > limits.max_metadata_bytes:
        raise DocumentRefused(RefusalReason.METADATA_BOMB, f"{metadata} bytes of JPEG metadata")
    if hidden_after(data, pos):
        raise DocumentRefused(RefusalReason.POLYGLOT, "another format after the JPEG image")
    orientation = exif_orientation(exif, limits) if exif else 1
    return JpegLayout(size[0], size[1], orientation, tuple(keep), jfif, adobe, metadata)


def _check_size(size: tuple[int, int], limits: Limits) -> None:
    width, height = size
    if width == 0 or height == 0:
        raise DocumentRefused(RefusalReason.CORRUPT, "JPEG frame without a size")
    if width * height > limits.max_pixels or max(width, height) > limits.max_side:
        raise DocumentRefused(RefusalReason.TOO_MANY_PIXELS, f"{width}x{height}")


def strip_jpeg(data: bytes, layout: JpegLayout) -> bytes:
    """The same picture, byte for byte in its tables and scans, with no metadata."""
    view = memoryview(data)
    parts: list[bytes | memoryview] = [b"\xff\xd8"]
    if layout.jfif is not None:
        parts.append(_segment(_APP0, layout.jfif))
    if layout.orientation != 1:
        parts.append(_segment(_APP0 + 1, b"Exif\x00\x00" + orientation_block(layout.orientation)))
    if layout.adobe is not None:
        parts.append(_segment(_APP14, layout.adobe))
    parts.extend(view[start:end] for start, end in layout.keep)
    parts.append(b"\xff\xd9")
    return b"".join(parts)


def _segment(marker: int, payload: bytes) -> bytes:
    return bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big") + payload
