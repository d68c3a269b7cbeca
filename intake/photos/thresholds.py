"""Every number the photo checks judge by, in one place (calibration pending)."""

from __future__ import annotations

from typing import Final

ANALYSIS_SIZE: Final = 640
QR_MAX_PIXELS: Final = 16_000_000
BLOCK: Final = 8
MIN_SHARPNESS: Final = 0.55
MIN_PAPER_LEVEL: Final = 110.0
GLARE_BLOWN_SHARE: Final = 0.02
OVEREXPOSED_BLOWN_SHARE: Final = 0.30
BLOWN_LEVEL: Final = 250
MIN_TEXT_SHARE: Final = 0.06
MAX_EDGE_CONTACT: Final = 0.01
MIN_CARD_PX: Final = 400
MIN_PAGE_PX: Final = 720
MIN_PHOTO_PX: Final = 400
TEXT_RELATIVE_CONTRAST: Final = 0.3
TEXT_MIN_CONTRAST: Final = 8
CORE_FRACTION: Final = 0.85
MIN_SHARPNESS_CELLS: Final = 6
SHARPNESS_CELLS: Final = 64
