"""PNG, WebP and GIF at the chunk level: size, animation, orientation and metadata removal.

PNG and WebP are stripped by dropping chunks, so the compressed picture stays byte-identical:
PNG keeps only the chunks that define pixels and colour (IHDR, PLTE, tRNS, gAMA, cHRM, sRGB,
sBIT, pHYs, bKGD, IDAT, IEND) and drops text, EXIF, time, ICC and private chunks; WebP keeps
VP8X (its metadata flags cleared), ALPH, VP8 and VP8L and drops EXIF, XMP and ICCP. Everything
after the container's end is dropped as well.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass

from intake.photos._exif import exif_orientation
from intake.photos._model import DocumentRefused, Limits, RefusalReason
from intake.photos._sniff import hidden_after

__all__ = ["ChunkLayout", "gif_is_animated", "read_png", "read_webp", "strip_chunks"]

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_KEEP = frozenset({b"IHDR", b"PLTE", b"tRNS", b"gAMA", b"cHRM", b"sRGB", b"sBIT", b"pHYs"})
_PNG_KEEP |= {b"bKGD", b"IDAT", b"IEND"}
_WEBP_KEEP = frozenset({b"VP8X", b"ALPH", b"VP8 ", b"VP8L"})
_VP8X_METADATA = 0x20 | 0x08 | 0x04  # ICC, EXIF, XMP flags
_MAX_CHUNKS = 100_000


@dataclass(frozen=True, slots=True)
class ChunkLayout:
    """Where a PNG's or WebP's chunks are and what their headers say."""

    width: int
    height: int
    orientation: int
    header: bytes  # the bytes before the first chunk (PNG signature, RIFF header)
    keep: tuple[tuple[int, int], ...]  # the chunks that form the picture
    riff: bool  # WebP: the RIFF size must be rewritten


def _check_size(width: int, height: int, limits: Limits, what: str) -> None:
    if width <= 0 or height <= 0:
        raise DocumentRefused(RefusalReason.CORRUPT, f"{what} without a size")
    if width * height > limits.max_pixels or max(width, height) > limits.max_side:
        raise DocumentRefused(RefusalReason.TOO_MANY_PIXELS, f"{width}x{height}")


def read_png(data: bytes, limits: Limits) -> ChunkLayout:
    """The chunk layout of a PNG, refused when truncated, animated, oversized or a polyglot."""
    pos, keep = 8, list[tuple[int, int]]()
    size: tuple[int, int] | None = None
    orientation, metadata = 1, 0
    while True:
        if len(keep) > _MAX_CHUNKS:
            raise DocumentRefused(RefusalReason.CORRUPT, "too many PNG chunks")
        if pos + 12 > len(data):
            raise DocumentRefused(RefusalReason.TRUNCATED, "PNG ends before IEND")
        length, kind = struct.unpack_from(">I4s", data, pos)
        end = pos + 12 + length
        if end > len(data):
            raise DocumentRefused(RefusalReason.TRUNCATED, f"PNG ends inside {kind!r}")
        if size is None:
            if kind != b"IHDR" or length < 13:
                raise DocumentRefused(RefusalReason.CORRUPT, "PNG without IHDR")
            size = struct.unpack_from(">II", data, pos + 8)
            _check_size(*size, limits, "PNG")
        if kind in (b"acTL", b"fcTL", b"fdAT"):
            raise DocumentRefused(RefusalReason.ANIMATED, "animated PNG")
        if kind in _PNG_KEEP:
            keep.append((pos, end))
        else:
            metadata += length
            if kind == b"eXIf":
                orientation = exif_orientation(data[pos + 8 : end - 4], limits)
        pos = end
        if kind == b"IEND":
            break
    if metadata > limits.max_metadata_bytes:
        raise DocumentRefused(RefusalReason.METADATA_BOMB, f"{metadata} bytes of PNG metadata")
    if hidden_after(data, pos):
        raise DocumentRefused(RefusalReason.POLYGLOT, "another format after the PNG image")
    return ChunkLayout(size[0], size[1], orientation, _PNG_SIGNATURE, tuple(keep), riff=False)


def read_webp(data: bytes, limits: Limits) -> ChunkLayout:
    """The chunk layout of a WebP, refused when truncated, animated, oversized or a polyglot."""
    riff_end = 8 + int.from_bytes(data[4:8], "little")
    if riff_end > len(data):
        raise DocumentRefused(RefusalReason.TRUNCATED, "WebP shorter than its RIFF size")
    pos, keep = 12, list[tuple[int, int]]()
    size: tuple[int, int] | None = None
    orientation, metadata = 1, 0
    while pos + 8 <= riff_end:
        if len(keep) > _MAX_CHUNKS:
            raise DocumentRefused(RefusalReason.CORRUPT, "too many WebP chunks")
        kind, length = struct.unpack_from("<4sI", data, pos)
        body = pos + 8
        end = body + length + (length & 1)
        if body + length > riff_end:
            raise DocumentRefused(RefusalReason.TRUNCATED, f"WebP ends inside {kind!r}")
        if kind in (b"ANIM", b"ANMF"):
            raise DocumentRefused(RefusalReason.ANIMATED, "animated WebP")
        if kind in _WEBP_KEEP:
            keep.append((pos, min(end, riff_end)))
            size = size or _webp_size(kind, data[body : body + length])
        else:
            metadata += length
            if kind == b"EXIF":
                tiff = data[body : body + length]
                tiff = tiff[6:] if tiff.startswith(b"Exif\x00\x00") else tiff
                orientation = exif_orientation(tiff, limits)
        pos = end
    if size is None:
        raise DocumentRefused(RefusalReason.CORRUPT, "WebP without an image chunk")
    _check_size(*size, limits, "WebP")
    if metadata > limits.max_metadata_bytes:
        raise DocumentRefused(RefusalReason.METADATA_BOMB, f"{metadata} bytes of WebP metadata")
    if hidden_after(data, riff_end):
        raise DocumentRefused(RefusalReason.POLYGLOT, "another format after the WebP image")
    return ChunkLayout(size[0], size[1], orientation, data[:12], tuple(keep), riff=True)


def _webp_size(kind: bytes, body: bytes) -> tuple[int, int] | None:
    if kind == b"VP8X" and len(body) >= 10:
        if body[0] & 0x02:
            raise DocumentRefused(RefusalReason.ANIMATED, "animated WebP")
        return 1 + int.from_bytes(body[4:7], "little"), 1 + int.from_bytes(body[7:10], "little")
    if kind == b"VP8 " and len(body) >= 10 and body[3:6] == b"\x9d\x01\x2a":
        return (
            int.from_bytes(body[6:8], "little") & 0x3FFF,
            int.from_bytes(body[8:10], "little") & 0x3FFF,
        )
    if kind == b"VP8L" and len(body) >= 5 and body[0] == 0x2F:
        bits = int.from_bytes(body[1:5], "little")
        return 1 + (bits & 0x3FFF), 1 + ((bits >> 14) & 0x3FFF)
    if kind in (b"VP8 ", b"VP8L"):
        raise DocumentRefused(RefusalReason.CORRUPT, "WebP with a broken frame header")
    return None


def strip_chunks(data: bytes, layout: ChunkLayout) -> bytes:
    """The PNG or WebP with only its picture chunks, compressed data untouched."""
    view = memoryview(data)
    chunks: list[bytes | memoryview] = [view[start:end] for start, end in layout.keep]
    if not layout.riff:
        return layout.header + b"".join(chunks)
    chunks = [_clear_vp8x(c) if c[:4] == b"VP8X" else c for c in chunks]
    body = b"WEBP" + b"".join(chunks)
    return b"RIFF" + len(body).to_bytes(4, "little") + body


def _clear_vp8x(chunk: bytes | memoryview) -> bytes:
    head = bytearray(chunk)
    head[8] &= ~_VP8X_METADATA & 0xFF
    return bytes(head)


def gif_is_animated(data: bytes) -> bool:
    """Whether a GIF has more than one frame (walked block by block, stopping at the second)."""
    pos = 13
    if len(data) < pos:
        return False
    if data[10] & 0x80:
        pos += 3 << ((data[10] & 0x07) + 1)
    frames = 0
    while pos < len(data):
        block = data[pos]
        if block == 0x3B:
            break
        if block == 0x2C:
            frames += 1
            if frames > 1:
                return True
            if pos + 10 > len(data):
                break
            flags = data[pos + 9]
            pos += 10 + ((3 << ((flags & 0x07) + 1)) if flags & 0x80 else 0) + 1
        elif block == 0x21:
            pos += 2
        else:
            break
        while pos < len(data) and data[pos]:  # data sub-blocks
            pos += data[pos] + 1
        pos += 1
    return False
