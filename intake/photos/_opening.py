"""Opening an image safely: limits first, metadata stripped before decoding, one decode.

Pillow only ever sees the stripped bytes (JPEG, PNG, WebP) with its format pinned, so EXIF,
XMP, ICC and maker data are never parsed at all. A JPEG is decoded once: as a grayscale draft
at the analysis size (libjpeg scales in the DCT), or, when the QR code is wanted, in grayscale
at full resolution, from which the analysis image is reduced.
"""

from __future__ import annotations

import io
import struct
from dataclasses import dataclass

import numpy as np
import pillow_heif
from PIL import Image

from intake.photos import thresholds
from intake.photos._containers import gif_is_animated, read_png, read_webp, strip_chunks
from intake.photos._jpeg import read_jpeg, strip_jpeg
from intake.photos._model import DocumentRefused, FileKind, Limits, RefusalReason

__all__ = ["Opened", "encode_jpeg", "open_image", "refuse_unsupported", "stored_region"]

_HEIF_SEQUENCES = frozenset({b"hevc", b"hevx", b"hevm", b"hevs", b"msf1"})
_TRANSPOSE = {  # EXIF orientation → the transposition that shows the photo upright
    2: Image.Transpose.FLIP_LEFT_RIGHT,
    3: Image.Transpose.ROTATE_180,
    4: Image.Transpose.FLIP_TOP_BOTTOM,
    5: Image.Transpose.TRANSPOSE,
    6: Image.Transpose.ROTATE_270,
    7: Image.Transpose.TRANSVERSE,
    8: Image.Transpose.ROTATE_90,
}
_JPEG_QUALITY = 90  # for the rare photo that must be re-encoded (HEIF, a rotated PNG or WebP)


@dataclass(frozen=True, slots=True)
class Opened:
    """A decoded image: its metadata-free bytes, the analysis image and, if asked, the QR image."""

    kind: FileKind
    width: int  # upright, after the orientation
    height: int
    orientation: int
    clean: bytes | None  # the stored form, no metadata (None when not asked to store)
    clean_kind: FileKind
    analysis: np.ndarray  # uint8 grayscale, upright, long side ≤ thresholds.ANALYSIS_SIZE
    scale: float  # photo pixels per analysis pixel
    # grayscale for the QR scan, as stored (not rotated); kept as an image, since turning all of
    # it into an array copies every pixel and the scan wants only the document's region
    qr_image: Image.Image | None


def refuse_unsupported(kind: FileKind, data: bytes) -> DocumentRefused:
    """The refusal for a file that is not one of the accepted kinds."""
    if kind is FileKind.EMPTY:
        return DocumentRefused(RefusalReason.EMPTY)
    if kind is FileKind.GIF and gif_is_animated(data):
        return DocumentRefused(RefusalReason.ANIMATED, "animated GIF")
    return DocumentRefused(RefusalReason.UNSUPPORTED_TYPE, kind.value)


def open_image(
    data: bytes, kind: FileKind, limits: Limits, *, want_qr: bool, store: bool = True
) -> Opened:
    """Check, strip and decode an image file; every failure is a `DocumentRefused`.

    `store=False` skips the re-encoding that a HEIF file or a rotated PNG/WebP would need.
    """
    try:
        if kind is FileKind.JPEG:
            return _open_jpeg(data, limits, want_qr=want_qr)
        if kind is FileKind.HEIF:
            return _open_heif(data, limits, want_qr=want_qr, store=store)
        if kind in (FileKind.PNG, FileKind.WEBP):
            return _open_chunked(data, kind, limits, want_qr=want_qr, store=store)
    except DocumentRefused:
        raise
    except Image.DecompressionBombError as exc:
        raise DocumentRefused(RefusalReason.TOO_MANY_PIXELS, str(exc)) from None
    except (OSError, SyntaxError, ValueError, EOFError, RuntimeError, struct.error) as exc:
        reason = RefusalReason.TRUNCATED if "truncat" in str(exc) else RefusalReason.CORRUPT
        raise DocumentRefused(reason, f"{type(exc).__name__}: {exc}") from None
    raise refuse_unsupported(kind, data)


def _open_jpeg(data: bytes, limits: Limits, *, want_qr: bool) -> Opened:
    layout = read_jpeg(data, limits)
    clean = strip_jpeg(data, layout)
    image = Image.open(io.BytesIO(clean), formats=["JPEG"])
    width, height = image.size
    if want_qr:
        shrink = 2 if width * height > thresholds.QR_MAX_PIXELS else 1
        image.draft("L", (-(-width // shrink), -(-height // shrink)))
    else:
        image.draft("L", _fit(width, height, thresholds.ANALYSIS_SIZE))
    gray = image.convert("L") if image.mode != "L" else _loaded(image)
    qr_image = gray if want_qr else None
    analysis = _analysis(gray, layout.orientation)
    return _opened(
        FileKind.JPEG,
        (width, height),
        layout.orientation,
        clean=(clean, FileKind.JPEG),
        analysis=analysis,
        qr_image=qr_image,
    )


def _open_chunked(
    data: bytes, kind: FileKind, limits: Limits, *, want_qr: bool, store: bool
) -> Opened:
    layout = read_png(data, limits) if kind is FileKind.PNG else read_webp(data, limits)
    stripped = strip_chunks(data, layout)
    image = _flatten(_loaded(Image.open(io.BytesIO(stripped), formats=[kind.name])))
    clean: bytes | None = stripped
    clean_kind = kind
    if layout.orientation != 1:  # no viewer would rotate it: store it upright, as JPEG
        upright = _upright(image, layout.orientation)
        clean, clean_kind = (encode_jpeg(upright) if store else None), FileKind.JPEG
    gray = image.convert("L")
    return _opened(
        kind,
        image.size,
        layout.orientation,
        clean=(clean, clean_kind),
        analysis=_analysis(gray, layout.orientation),
        qr_image=gray if want_qr else None,
    )


def _open_heif(data: bytes, limits: Limits, *, want_qr: bool, store: bool) -> Opened:
    if data[8:12] in _HEIF_SEQUENCES:
        raise DocumentRefused(RefusalReason.ANIMATED, "HEIF image sequence")
    heif = pillow_heif.open_heif(data, convert_hdr_to_8bit=True)
    width, height = heif.size
    if width * height > limits.max_pixels or max(width, height) > limits.max_side:
        raise DocumentRefused(RefusalReason.TOO_MANY_PIXELS, f"{width}x{height}")
    image = _flatten(heif.to_pillow())  # libheif applies the rotation and mirroring itself
    image.info.clear()
    gray = image.convert("L")
    return _opened(
        FileKind.HEIF,
        image.size,
        1,
        clean=(encode_jpeg(image) if store else None, FileKind.JPEG),
        analysis=_analysis(gray, 1),
        qr_image=gray if want_qr else None,
    )


def encode_jpeg(image: Image.Image) -> bytes:
    """A JPEG of `image` with no metadata at all (Pillow would copy a comment from `info`)."""
    out = io.BytesIO()
    image.save(out, "JPEG", quality=_JPEG_QUALITY, optimize=False)
    encoded = out.getvalue()
    return strip_jpeg(encoded, read_jpeg(encoded, Limits()))


def _opened(
    kind: FileKind,
    size: tuple[int, int],
    orientation: int,
    *,
    clean: tuple[bytes | None, FileKind],
    analysis: np.ndarray,
    qr_image: Image.Image | None,
) -> Opened:
    width, height = size if orientation < 5 else size[::-1]
    scale = max(width, height) / max(analysis.shape)
    return Opened(kind, width, height, orientation, *clean, analysis, scale, qr_image)


def _loaded(image: Image.Image) -> Image.Image:
    image.load()
    return image


def _fit(width: int, height: int, size: int) -> tuple[int, int]:
    factor = min(1.0, size / max(width, height))
    return max(1, round(width * factor)), max(1, round(height * factor))


def _analysis(gray: Image.Image, orientation: int) -> np.ndarray:
    """The upright grayscale analysis image, its long side box-averaged to ANALYSIS_SIZE."""
    target = _fit(*gray.size, thresholds.ANALYSIS_SIZE)
    factor = gray.width // target[0]
    if (target[0] * factor, target[1] * factor) == gray.size:
        gray = gray.reduce(factor) if factor > 1 else gray
    else:  # integer reduction first (fast), then box averaging
        gray = gray.resize(target, Image.Resampling.BOX, reducing_gap=1.0)
    return np.asarray(_upright(gray, orientation))


def _upright(image: Image.Image, orientation: int) -> Image.Image:
    step = _TRANSPOSE.get(orientation)
    return image if step is None else image.transpose(step)


def _flatten(image: Image.Image) -> Image.Image:
    """RGB or L; transparency over white paper, palettes and 16-bit samples converted."""
    if image.mode in ("RGB", "L"):
        return image
    if image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info:
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, rgba).convert("RGB")
    return image.convert("RGB")


def stored_region(opened: Opened, box: tuple[int, int, int, int], margin: float) -> np.ndarray:
    """The part of the QR image under an upright photo-pixel box (grown by `margin` × long side).

    Mirrored orientations (2, 4, 5, 7; rare) get the whole image.
    """
    image = opened.qr_image
    assert image is not None  # noqa: S101 — only called when the QR image was decoded
    grow = margin * max(opened.width, opened.height)
    left, top = max(0.0, box[0] - grow), max(0.0, box[1] - grow)
    right, bottom = min(opened.width, box[2] + grow), min(opened.height, box[3] + grow)
    w, h = opened.width, opened.height  # upright
    corners = {
        1: (left, top, right, bottom),
        3: (w - right, h - bottom, w - left, h - top),
        6: (top, w - right, bottom, w - left),
        8: (h - bottom, left, h - top, right),
    }.get(opened.orientation)
    if corners is None:
        return np.asarray(image)
    stored_w = w if opened.orientation < 5 else h
    factor = image.width / stored_w  # the QR image may be a half-size draft
    x0, y0, x1, y1 = (round(v * factor) for v in corners)
    # inside the image: a crop outside it would be padded with black, not clipped
    return np.asarray(image.crop((x0, y0, min(x1, image.width), min(y1, image.height))))


def qr_pixels(opened: Opened) -> np.ndarray:
    """The whole QR image as an array (when no document was found to narrow it down)."""
    assert opened.qr_image is not None  # noqa: S101 — only called when it was decoded
    return np.asarray(opened.qr_image)
