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
from dataclasses import dataclass, field

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


def read_jpeg(data: bytes, limits: Limits) -> JpegLayout:
    """The layout of `data`, refused when truncated, malformed, oversized, a bomb or a polyglot."""
    found = _Found()
    pos = 2
    for _ in range(_MAX_SEGMENTS):
        start, marker, pos = _marker(data, pos)
        if marker == _EOI:
            return found.layout(data, pos, limits)
        if marker in _STANDALONE:
            continue
        end = _segment_end(data, pos)
        if _APP0 <= marker <= _APP0 + 15 or marker == _COM:
            found.metadata(marker, data[pos + 2 : end], end - start)
        else:
            if marker in _SOF:
                found.size = _frame_size(data[pos + 2 : end], limits)
            elif marker == _SOS:
                end = _scan_end(data, end, found)
            found.keep.append((start, end))
        pos = end
    raise DocumentRefused(RefusalReason.METADATA_BOMB, "too many JPEG segments")


@dataclass(slots=True)
class _Found:
    """What the walk over a JPEG's segments has found so far."""

    keep: list[tuple[int, int]] = field(default_factory=list)
    size: tuple[int, int] | None = None
    exif: bytes | None = None
    jfif: bytes | None = None
    adobe: bytes | None = None
    metadata_bytes: int = 0
    scans: int = 0

    def metadata(self, marker: int, payload: bytes, length: int) -> None:
        self.metadata_bytes += length
        if marker == _APP0 and payload.startswith(b"JFIF\x00") and len(payload) >= 14:
            self.jfif = self.jfif or payload[:12] + b"\x00\x00"  # without its thumbnail
        elif marker == _APP0 + 1 and payload.startswith(b"Exif\x00\x00"):
            self.exif = self.exif or payload[6:]
        elif marker == _APP14 and payload.startswith(b"Adobe") and len(payload) >= 12:
            self.adobe = self.adobe or payload[:12]
        elif marker == _COM and HIDDEN_FORMAT.search(payload):
            raise DocumentRefused(RefusalReason.POLYGLOT, "another format inside a comment")

    def layout(self, data: bytes, end: int, limits: Limits) -> JpegLayout:
        if self.size is None or self.scans == 0:
            raise DocumentRefused(RefusalReason.CORRUPT, "JPEG without image data")
        if self.metadata_bytes > limits.max_metadata_bytes:
            detail = f"{self.metadata_bytes} bytes of JPEG metadata"
            raise DocumentRefused(RefusalReason.METADATA_BOMB, detail)
        if hidden_after(data, end):
            raise DocumentRefused(RefusalReason.POLYGLOT, "another format after the JPEG image")
        orientation = exif_orientation(self.exif, limits) if self.exif else 1
        width, height = self.size
        keep = tuple(self.keep)
        return JpegLayout(width, height, orientation, keep, self.jfif, self.adobe)


def _marker(data: bytes, pos: int) -> tuple[int, int, int]:
    """(where the marker starts, the marker, where its segment starts) at `pos`."""
    if pos >= len(data):
        raise DocumentRefused(RefusalReason.TRUNCATED, "JPEG ends before its image")
    if data[pos] != 0xFF:
        raise DocumentRefused(RefusalReason.CORRUPT, f"no JPEG marker at {pos}")
    start = pos
    while pos < len(data) and data[pos] == 0xFF:  # fill bytes
        pos += 1
    if pos >= len(data):
        raise DocumentRefused(RefusalReason.TRUNCATED, "JPEG ends in a marker")
    marker = data[pos]
    if marker < 0xC0 and marker not in _STANDALONE:
        raise DocumentRefused(RefusalReason.CORRUPT, f"not a JPEG marker: {marker:#04x}")
    return start, marker, pos + 1


def _segment_end(data: bytes, pos: int) -> int:
    if pos + 2 > len(data):
        raise DocumentRefused(RefusalReason.TRUNCATED, "JPEG ends in a segment header")
    end = pos + int.from_bytes(data[pos : pos + 2], "big")
    if end > len(data):
        raise DocumentRefused(RefusalReason.TRUNCATED, "JPEG ends inside a segment")
    if end < pos + 2:
        raise DocumentRefused(RefusalReason.CORRUPT, "JPEG segment with a bad length")
    return end


def _frame_size(payload: bytes, limits: Limits) -> tuple[int, int]:
    if len(payload) < 6:
        raise DocumentRefused(RefusalReason.CORRUPT, "short JPEG frame header")
    width, height = int.from_bytes(payload[3:5], "big"), int.from_bytes(payload[1:3], "big")
    if width == 0 or height == 0:
        raise DocumentRefused(RefusalReason.CORRUPT, "JPEG frame without a size")
    if width * height > limits.max_pixels or max(width, height) > limits.max_side:
        raise DocumentRefused(RefusalReason.TOO_MANY_PIXELS, f"{width}x{height}")
    return width, height


def _scan_end(data: bytes, header_end: int, found: _Found) -> int:
    """Where the entropy-coded data after a scan header ends: at the next marker."""
    if found.size is None:
        raise DocumentRefused(RefusalReason.CORRUPT, "JPEG scan before its frame header")
    following = _NEXT_MARKER.search(data, header_end)
    if following is None:
        raise DocumentRefused(RefusalReason.TRUNCATED, "JPEG ends inside its image data")
    found.scans += 1
    return following.start()


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
