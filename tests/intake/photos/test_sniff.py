"""The real type of a file comes from its bytes, never from its name."""

from __future__ import annotations

import os

import pillow_heif
import pytest

from intake.photos import FileKind, sniff_type
from tests.intake.photos import builders

IMAGE = builders.noise_image(48, 32)


def _heif() -> bytes:
    out = builders.io.BytesIO()
    pillow_heif.from_pillow(IMAGE).save(out, quality=60)
    return out.getvalue()


CASES = [
    ("jpeg", builders.encode(IMAGE, "JPEG"), FileKind.JPEG),
    ("png", builders.encode(IMAGE, "PNG"), FileKind.PNG),
    ("webp", builders.encode(IMAGE, "WEBP"), FileKind.WEBP),
    ("heic", _heif(), FileKind.HEIF),
    ("pdf", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", FileKind.PDF),
    ("gif", builders.encode(IMAGE, "GIF"), FileKind.GIF),
    ("bmp", builders.encode(IMAGE, "BMP"), FileKind.BMP),
    ("tiff", builders.encode(IMAGE, "TIFF"), FileKind.TIFF),
    ("avif", b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", FileKind.AVIF),
    ("mp4", b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", FileKind.VIDEO),
    ("zip", builders.zip_bytes(), FileKind.ZIP),
    ("html", b"\xef\xbb\xbf  <!DOCTYPE html><html><body>hi</body></html>", FileKind.HTML),
    ("script", b"<script>fetch('/x')</script>", FileKind.HTML),
    ("svg", b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>', FileKind.SVG),
    ("xml", b'<?xml version="1.0"?><root/>', FileKind.XML),
    ("empty", b"", FileKind.EMPTY),
    ("random", os.urandom(4096).replace(b"<", b"x"), FileKind.UNKNOWN),
    ("text", b"just some words", FileKind.UNKNOWN),
    ("jpeg-magic-late", b"xx\xff\xd8\xff\xe0", FileKind.UNKNOWN),
]


@pytest.mark.parametrize(("data", "kind"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_kind_is_read_from_content(data: bytes, kind: FileKind) -> None:
    assert sniff_type(data) is kind


@pytest.mark.parametrize(
    ("kind", "accepted"),
    [
        (k, k in {FileKind.JPEG, FileKind.PNG, FileKind.WEBP, FileKind.HEIF, FileKind.PDF})
        for k in FileKind
    ],
)
def test_only_photos_and_pdf_are_accepted(kind: FileKind, accepted: bool) -> None:
    assert kind.accepted is accepted
