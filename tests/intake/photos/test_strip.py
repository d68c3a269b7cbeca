"""No GPS, EXIF, XMP, IPTC, ICC or comment survives; JPEG pictures stay byte-identical."""

from __future__ import annotations

import io

import numpy as np
import pillow_heif
import pypdf
import pytest
from PIL import Image, PngImagePlugin
from pypdf.generic import ArrayObject, DecodedStreamObject, NameObject, NumberObject, StreamObject

from intake.photos import FileKind, SlotKind, prepare_document, sniff_type, strip_metadata
from tests.intake.photos import builders

# Bytes that betray metadata: EXIF/GPS values, XMP, IPTC, ICC, comments, PNG text, PDF info.
TELLTALES = (
    b"Exif",
    b"PhoneMaker",
    builders.GPS_TEXT,
    b"xmpmeta",
    b"http://ns.adobe.com/xap",
    b"Photoshop 3.0",
    b"ICC_PROFILE",
    b"taken at home",
    b"Ha Noi",
    b"secret note",
    b"Nguyen Van A",
)


def pixels(data: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(data)).convert("RGB"))


def assert_no_metadata(data: bytes) -> None:
    found = [t for t in TELLTALES if t in data]
    assert found == []


@pytest.mark.parametrize("progressive", [False, True], ids=["baseline", "progressive"])
def test_jpeg_loses_every_segment_but_keeps_its_picture_bytes(progressive: bool) -> None:
    base = builders.encode(
        builders.noise_image(400, 300),
        "JPEG",
        quality=88,
        progressive=progressive,
        exif=builders.gps_exif(),
        comment=b"taken at home",
    )
    xmp = b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>GPS 21N</x:xmpmeta>"
    planted = builders.insert_segment(base, 0xE1, xmp)
    stripped = strip_metadata(planted)
    assert_no_metadata(stripped)
    assert np.array_equal(pixels(stripped), pixels(planted))
    scans = planted[planted.index(b"\xff\xda") : planted.rindex(b"\xff\xd9")]
    assert scans in stripped  # the entropy-coded picture, byte for byte
    assert len(stripped) < len(planted)


def test_jpeg_keeps_only_a_fresh_orientation_tag() -> None:
    planted = builders.planted_jpeg(orientation=6)
    stripped = strip_metadata(planted)
    assert dict(Image.open(io.BytesIO(stripped)).getexif()) == {0x0112: 6}
    for telltale in TELLTALES[1:]:
        assert telltale not in stripped
    assert np.array_equal(pixels(stripped), pixels(planted))


def test_jpeg_without_rotation_has_no_exif_at_all() -> None:
    stripped = strip_metadata(builders.planted_jpeg())
    assert_no_metadata(stripped)
    assert not Image.open(io.BytesIO(stripped)).getexif()


def test_jfif_thumbnail_is_dropped() -> None:
    thumbnail = bytes(range(256)) * 3  # 16 x 16 RGB
    jfif = b"JFIF\x00\x01\x02\x00\x00\x48\x00\x48\x10\x10" + thumbnail
    data = builders.jpeg()
    data = data[:2] + data[2 + 2 + int.from_bytes(data[4:6], "big") :]  # drop Pillow's JFIF
    planted = builders.insert_segment(data, 0xE0, jfif)
    stripped = strip_metadata(planted)
    assert thumbnail not in stripped
    assert stripped[6:11] == b"JFIF\x00"
    assert np.array_equal(pixels(stripped), pixels(planted))


def test_png_text_exif_and_time_chunks_are_dropped_losslessly() -> None:
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "secret note")
    info.add_text("Location", "Ha Noi", zip=True)
    info.add_itxt("Author", "Nguyen Van A")
    image = builders.noise_image(120, 80)
    planted = builders.encode(image, "PNG", pnginfo=info, exif=builders.gps_exif())
    planted = planted[:-12] + builders.png_chunk(b"tIME", b"\x07\xea\x0b\x15\x08\x00\x00")
    planted += builders.png_chunk(b"IEND", b"")
    stripped = strip_metadata(planted)
    assert_no_metadata(stripped)
    assert b"tIME" not in stripped
    assert b"eXIf" not in stripped
    assert np.array_equal(pixels(stripped), pixels(planted))
    start = planted.index(b"IDAT") - 4
    idat = planted[start : start + 12 + int.from_bytes(planted[start : start + 4], "big")]
    assert idat in stripped


def test_webp_exif_and_xmp_chunks_are_dropped_losslessly() -> None:
    image = builders.noise_image(120, 80)
    xmp = b"<x:xmpmeta>GPS 21N</x:xmpmeta>"
    planted = builders.encode(image, "WEBP", quality=80, exif=builders.gps_exif(), xmp=xmp)
    assert b"EXIF" in planted
    assert b"XMP " in planted
    stripped = strip_metadata(planted)
    assert_no_metadata(stripped)
    assert b"EXIF" not in stripped
    assert b"XMP " not in stripped
    assert np.array_equal(pixels(stripped), pixels(planted))


def test_heif_becomes_a_jpeg_without_metadata() -> None:
    image = builders.noise_image(160, 120)
    out = io.BytesIO()
    heif = pillow_heif.from_pillow(image)
    heif.save(
        out, quality=90, exif=builders.gps_exif().tobytes(), xmp=b"<x:xmpmeta>GPS</x:xmpmeta>"
    )
    prepared = prepare_document(out.getvalue(), SlotKind.OTHER)
    assert prepared.kind is FileKind.JPEG
    assert sniff_type(prepared.data) is FileKind.JPEG
    assert prepared.check.kind is FileKind.HEIF
    assert_no_metadata(prepared.data)
    original = np.asarray(pillow_heif.open_heif(out.getvalue()).to_pillow().convert("L"))
    converted = np.asarray(Image.open(io.BytesIO(prepared.data)).convert("L"))
    assert np.abs(converted.astype(int) - original).mean() < 4  # one JPEG generation


def test_rotated_png_is_stored_upright_as_jpeg() -> None:
    image = builders.noise_image(120, 80)
    planted = builders.encode(image, "PNG", exif=builders.gps_exif(orientation=6))
    prepared = prepare_document(planted, SlotKind.OTHER)
    assert prepared.kind is FileKind.JPEG
    assert Image.open(io.BytesIO(prepared.data)).size == (80, 120)
    assert_no_metadata(prepared.data)


def _pdf_with_photo(photo: bytes) -> bytes:
    """A one-page PDF that embeds `photo` (a JPEG with metadata) as it is, plus document info."""
    writer = pypdf.PdfWriter()
    page = writer.add_blank_page(400, 300)
    width, height = Image.open(io.BytesIO(photo)).size
    image = StreamObject()
    image.update(
        {
            NameObject("/Type"): NameObject("/XObject"),
            NameObject("/Subtype"): NameObject("/Image"),
            NameObject("/Filter"): NameObject("/DCTDecode"),
            NameObject("/Width"): NumberObject(width),
            NameObject("/Height"): NumberObject(height),
            NameObject("/ColorSpace"): NameObject("/DeviceRGB"),
            NameObject("/BitsPerComponent"): NumberObject(8),
        }
    )
    image.set_data(photo)
    ref = writer._add_object(image)
    page[NameObject("/Resources")] = pypdf.generic.DictionaryObject(
        {NameObject("/XObject"): pypdf.generic.DictionaryObject({NameObject("/Im0"): ref})}
    )
    content = DecodedStreamObject()
    content.set_data(b"q 400 0 0 300 0 0 cm /Im0 Do Q")
    page[NameObject("/Contents")] = writer._add_object(content)
    page[NameObject("/Annots")] = ArrayObject()
    writer.add_metadata({"/Author": "Nguyen Van A", "/Title": "secret note"})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdf_keeps_pages_and_loses_info_and_photo_metadata() -> None:
    planted = _pdf_with_photo(builders.planted_jpeg())
    assert b"Nguyen Van A" in planted
    assert b"PhoneMaker" in planted
    prepared = prepare_document(planted, SlotKind.CERTIFICATE)
    assert prepared.check.page_count == 1
    assert prepared.kind is FileKind.PDF
    assert_no_metadata(prepared.data)
    reader = pypdf.PdfReader(io.BytesIO(prepared.data))
    assert len(reader.pages) == 1
    assert not reader.metadata
    embedded = reader.pages[0]["/Resources"]["/XObject"]["/Im0"].get_object()._data
    assert np.array_equal(pixels(embedded), pixels(builders.planted_jpeg()))


@pytest.mark.parametrize(
    "data",
    [builders.planted_jpeg(), builders.encode(builders.noise_image(50, 40), "PNG")],
    ids=["jpeg", "png"],
)
def test_stripping_twice_changes_nothing(data: bytes) -> None:
    once = strip_metadata(data)
    assert strip_metadata(once) == once
