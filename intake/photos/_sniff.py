"""The real type of a file from its first bytes."""

from __future__ import annotations

import re

from intake.photos._model import FileKind

__all__ = ["HIDDEN_FORMAT", "hidden_after", "sniff_type"]

# Formats that a file may hide in a comment or right after its image, so that another program
# opens it as something else: ZIP, RAR, 7z, PDF, markup and scripts.
HIDDEN_FORMAT = re.compile(
    rb"PK\x03\x04|PK\x05\x06|Rar!\x1a|7z\xbc\xaf|%PDF-|<(?i:html|script|svg|\?php)"
)
_ZIP_END = b"PK\x05\x06"  # a ZIP's end-of-central-directory record: 22 bytes + its comment

_HEIF_BRANDS = frozenset({b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"hevm", b"hevs"})
_HEIF_BRANDS |= {b"mif1", b"mif2", b"msf1"}
_AVIF_BRANDS = frozenset({b"avif", b"avis"})
_VIDEO_BRANDS = frozenset({b"isom", b"iso2", b"mp41", b"mp42", b"qt  ", b"3gp4", b"3gp5", b"M4V "})
_MARKUP: tuple[tuple[bytes, FileKind], ...] = (
    (b"<svg", FileKind.SVG),
    (b"<!doctype html", FileKind.HTML),
    (b"<html", FileKind.HTML),
    (b"<head", FileKind.HTML),
    (b"<body", FileKind.HTML),
    (b"<script", FileKind.HTML),
)
_MAGIC = (
    (b"\xff\xd8\xff", FileKind.JPEG),
    (b"\x89PNG\r\n\x1a\n", FileKind.PNG),
    (b"%PDF-", FileKind.PDF),
    (b"GIF87a", FileKind.GIF),
    (b"GIF89a", FileKind.GIF),
    (b"BM", FileKind.BMP),
    (b"II*\x00", FileKind.TIFF),
    (b"MM\x00*", FileKind.TIFF),
    (b"PK\x03\x04", FileKind.ZIP),
    (b"PK\x05\x06", FileKind.ZIP),
)


def sniff_type(data: bytes) -> FileKind:
    """What `data` is, judged by its content alone; `FileKind.UNKNOWN` when nothing matches."""
    if not data:
        return FileKind.EMPTY
    head = data[:32]
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return FileKind.WEBP
    if head[4:8] == b"ftyp":
        return _iso_media(data[: min(len(data), 256)])
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    return _markup(data[:1024])


def _iso_media(head: bytes) -> FileKind:
    """HEIF, AVIF or video: the ISO-BMFF `ftyp` box's major brand, then its compatible brands."""
    size = int.from_bytes(head[:4], "big")
    major = head[8:12]
    compatible = [head[i : i + 4] for i in range(16, min(size, len(head)) - 3, 4)]
    if major in _AVIF_BRANDS:
        return FileKind.AVIF
    if major in _HEIF_BRANDS or any(b in _HEIF_BRANDS - {b"mif1", b"msf1"} for b in compatible):
        return FileKind.HEIF
    if major in _VIDEO_BRANDS or any(b in _VIDEO_BRANDS for b in compatible):
        return FileKind.VIDEO
    if any(b in _AVIF_BRANDS for b in compatible):
        return FileKind.AVIF
    return FileKind.UNKNOWN


def _markup(head: bytes) -> FileKind:
    """SVG, HTML or other XML, after a byte-order mark and leading white space or comments."""
    text = head.lstrip(b"\xef\xbb\xbf").lstrip().lower()
    if not text.startswith(b"<"):
        return FileKind.UNKNOWN
    for tag, kind in _MARKUP:
        if tag in text:
            return kind
    if text.startswith(b"<?xml"):
        return FileKind.XML
    return FileKind.UNKNOWN


def hidden_after(data: bytes, end: int) -> bool:
    """Another file right after an image that ends at `end`, or a ZIP directory at the very end.

    Phones append videos and depth maps after a JPEG; those are dropped, not refused, so only a
    format's start right there or a well-formed ZIP end record (which a ZIP reader would find
    wherever the archive sits) counts; random bytes rarely match either.
    """
    if HIDDEN_FORMAT.match(data[end : end + 64].lstrip(b"\x00\xff\r\n\t ")):
        return True
    record = data.rfind(_ZIP_END, max(end, len(data) - 65_557))
    comment = int.from_bytes(data[record + 20 : record + 22], "little")
    return record >= 0 and record + 22 + comment == len(data)
