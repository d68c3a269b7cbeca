"""Files for the photo tests, generated in memory: plain images, planted metadata, hostile files.

Document photos come from the evaluation-set generator in bench/ (loaded by path), so the tests
judge the same kind of photo that the thresholds were calibrated on.
"""

from __future__ import annotations

import functools
import importlib.util
import io
import struct
import sys
import zipfile
import zlib
from pathlib import Path
from types import ModuleType

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[3]
GPS_TEXT = b"GPSLatitude-21.0285"


@functools.cache
def evalset() -> ModuleType:
    """bench/make_evalset.py as a module."""
    path = ROOT / "bench" / "make_evalset.py"
    spec = importlib.util.spec_from_file_location("make_evalset", path)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["make_evalset"] = module
    spec.loader.exec_module(module)
    return module


@functools.cache
def document_photo(defect: str, strength: float | str, document: str, index: int = 0) -> bytes:
    """One photo of the evaluation set's kind (seeded, so always the same bytes)."""
    module = evalset()
    slot = "certificate" if document in ("page", "none") else "id"
    spec = module.Spec(9000 + index, document, slot, defect, strength, True)
    return bytes(module.render(spec, 77)[0])


def noise_image(width: int, height: int, seed: int = 1, mode: str = "RGB") -> Image.Image:
    """A textured image (smooth gradient plus noise) so encoders have real work to do."""
    rng = np.random.default_rng(seed)
    ramp = np.linspace(40, 210, width, dtype=np.float32)[None, :, None]
    pixels = ramp + rng.normal(0, 25, (height, width, 3)).astype(np.float32)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return image.convert(mode)


def encode(image: Image.Image, fmt: str, **options: object) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **options)
    return out.getvalue()


def jpeg(width: int = 320, height: int = 240, **options: object) -> bytes:
    return encode(noise_image(width, height), "JPEG", quality=85, **options)


def insert_segment(jpeg_bytes: bytes, marker: int, payload: bytes) -> bytes:
    """`jpeg_bytes` with one more APPn/COM segment right after SOI."""
    segment = bytes((0xFF, marker)) + (len(payload) + 2).to_bytes(2, "big") + payload
    return jpeg_bytes[:2] + segment + jpeg_bytes[2:]


def gps_exif(orientation: int = 1) -> Image.Exif:
    """EXIF with a camera, a GPS position and a comment in the user comment."""
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x0110] = "Phone 12"
    if orientation != 1:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1] = "N"
    gps[2] = (21.0, 1.0, 42.6)
    gps[3] = "E"
    gps[4] = (105.0, 50.0, 3.1)
    exif.get_ifd(0x8769)[0x9286] = b"ASCII\x00\x00\x00" + GPS_TEXT
    return exif


def planted_jpeg(orientation: int = 1) -> bytes:
    """A JPEG carrying EXIF with GPS, XMP, IPTC, an ICC profile and a comment."""
    base = jpeg(exif=gps_exif(orientation), comment=b"taken at home, see GPS")
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta><exif:GPSLatitude>21,1.7N</x:xmpmeta>"
    iptc = b"Photoshop 3.0\x008BIM\x04\x04\x00\x00\x00\x00\x00\x0c\x1c\x02\x5a\x00\x06Ha Noi"
    icc = b"ICC_PROFILE\x00\x01\x01" + b"\x00" * 128
    return insert_segment(insert_segment(insert_segment(base, 0xE1, xmp), 0xED, iptc), 0xE2, icc)


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_bomb(side: int = 50_000) -> bytes:
    """A valid 1-bit grayscale PNG of side × side pixels whose IDAT compresses to kilobytes.

    After a full flush deflate starts afresh, so one compressed block of rows is repeated.
    """
    rows_per_block = 1000
    block = (b"\x00" * (1 + (side + 7) // 8)) * rows_per_block
    packer = zlib.compressobj(9)
    head = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    repeat = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    tail = packer.compress(block) + packer.flush()
    blocks = side // rows_per_block
    checksum = 1
    for _ in range(blocks):
        checksum = zlib.adler32(block, checksum)
    body = head + repeat * (blocks - 2) + tail[:-4] + checksum.to_bytes(4, "big")
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)
    idat = png_chunk(b"IDAT", body)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + idat + png_chunk(b"IEND", b"")


def exif_bomb(depth: int = 3000) -> bytes:
    """A JPEG whose EXIF is a chain of `depth` IFDs, each pointing at the next as its Exif IFD."""
    ifds = []
    for k in range(depth):
        following = 8 + 18 * (k + 1) if k + 1 < depth else 0
        ifds.append(struct.pack(">HHHII", 1, 0x8769, 4, 1, following) + b"\x00\x00\x00\x00")
    tiff = b"MM\x00*" + struct.pack(">I", 8) + b"".join(ifds)
    return insert_segment(jpeg(), 0xE1, b"Exif\x00\x00" + tiff)


def exif_loop() -> bytes:
    """A JPEG whose IFD0 names itself as its own next IFD."""
    ifd = struct.pack(">HHHIHH", 1, 0x0112, 3, 1, 6, 0) + struct.pack(">I", 8)
    return insert_segment(jpeg(), 0xE1, b"Exif\x00\x00MM\x00*" + struct.pack(">I", 8) + ifd)


def zip_bytes() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("payload.html", "<script>alert(1)</script>")
    return out.getvalue()


def animated(fmt: str) -> bytes:
    """A three-frame animation: GIF, PNG (APNG) or WEBP."""
    frames = [noise_image(64, 48, seed=k, mode="P" if fmt == "GIF" else "RGB") for k in range(3)]
    return encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=100)
