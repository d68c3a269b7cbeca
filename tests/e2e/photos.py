"""Simple photographed-document images for the end-to-end tests and the load benchmark.

Deliberately independent of the evaluation-set generator in bench/: a light card or page with
lines of text on a darker table, which the photo checks accept; blurred, it is refused.
"""

from __future__ import annotations

import functools
import io

import numpy as np
import zxingcpp
from PIL import Image, ImageDraw, ImageFilter, ImageFont

__all__ = ["document_photo"]

_WORDS = ["CỘNG", "HÒA", "XÃ", "HỘI", "CHỦ", "NGHĨA", "VIỆT", "NAM", "GIẤY", "CHỨNG", "NHẬN"]


def _qr(text: str, module_px: int) -> Image.Image:
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = np.pad(
        np.asarray(code.to_image(scale=1, add_quiet_zones=False)), 2, constant_values=255
    )
    return Image.fromarray(np.repeat(np.repeat(modules, module_px, 0), module_px, 1)).convert(
        "RGB"
    )


@functools.cache
def document_photo(
    seed: int, *, card: bool, long_side: int = 1280, blur: float = 0.0, qr: str | None = None
) -> bytes:
    """JPEG bytes of one document photo; the seed varies the text (and so the bytes)."""
    rng = np.random.default_rng(seed)
    width, height = long_side, int(long_side * 0.75)
    table = rng.normal(0, 6, (height, width, 3)) + np.array([96, 84, 72])
    image = Image.fromarray(table.clip(0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(image)
    if card:
        doc_w, doc_h = int(width * 0.7), int(width * 0.7 / 1.586)
    else:
        doc_w, doc_h = int(height * 0.62), int(height * 0.88)
    left, top = (width - doc_w) // 2, (height - doc_h) // 2
    draw.rectangle([left, top, left + doc_w, top + doc_h], fill=(236, 234, 228))
    font = ImageFont.load_default(size=max(14, doc_h // 18))
    y = top + doc_h // 12
    while y < top + doc_h - doc_h // 10:
        line = " ".join(str(word) for word in rng.choice(_WORDS, 6))
        draw.text((left + doc_w // 14, y), line, fill=(25, 25, 30), font=font)
        y += doc_h // 11
    if qr is not None:  # top right, as on the chip CCCD's front
        code = _qr(qr, module_px=max(3, doc_h // 110))
        image.paste(code, (left + doc_w - code.width - doc_w // 30, top + doc_h // 30))
    if blur:
        image = image.filter(ImageFilter.GaussianBlur(blur))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=88)
    return out.getvalue()
