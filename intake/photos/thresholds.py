"""Every number the photo checks judge by, in one place, with the measurements behind it.

All quality values are measured on the grayscale analysis image (long side `ANALYSIS_SIZE`),
so a threshold means the same for every photo size. They were calibrated on the evaluation set
of `bench/make_evalset.py` (seed 2026, 1,260 photos: 240 clean, 8 defects × 4 strengths × 24,
72 without a document, 180 CCCD fronts with a QR code) with `bench/photo_quality.py --metrics`,
then verified on a second set made with another seed (see bench/README.md). Clean and defective
values below are min … max over the set (targets: the strengths that make a document hard to
read; "mild" ones are generated and reported but not targeted).

| threshold                 | value | clean photos       | defective photos (target strengths)  |
|---------------------------|-------|--------------------|--------------------------------------|
| MIN_SHARPNESS             | 0.59  | 0.619 … 0.923      | blur ≤ 0.491, motion ≤ 0.571         |
| MIN_PAPER_LEVEL           | 100   | 194 … 236          | dark ≤ 71 (mild gain 0.45: 93 … 107) |
| GLARE_BLOWN_SHARE         | 0.01  | 0 (every photo)    | glare spot 0.012 … 0.161             |
| OVEREXPOSED_BLOWN_SHARE   | 0.25  | 0                  | overexposed 0.315 … 0.947; glare ≤ 0.161 |
| MAX_EDGE_CONTACT          | 0.02  | 0 (every photo)    | corner 0.159 …, edge 0.054 …         |
| MIN_CARD_PX               | 400   | cards 528 … 2272   | tiny cards ≤ 264 (mild 336 … 352)    |
| MIN_PAGE_PX               | 720   | pages 848 … 2240   | tiny pages ≤ 512 (mild 624 … 657)    |
| MIN_TEXT_SHARE            | 0.08  | 0.258 … 0.456      | no document 0 … 0.038                |

Why these and not the midpoints: blur and motion sit close to the clean minimum, so the line is
drawn just under it (a soft but readable photo passes; the mildest blurs pass too). Darkness
has a wide gap; the line is low so that a dim but readable photo (paper at 100-190) passes. A
blown-out 1 % of the document already hides a word on a CCCD; overexposure is glare that has
taken a quarter of the paper. The size limits put the smallest text at about 7-9 px: a CCCD's
2 mm field text at 400 px per 85.6 mm, a certificate's 3 mm body text at 720 px per 297 mm.
"""

from __future__ import annotations

from typing import Final

# --- the analysis image ------------------------------------------------------------------------
ANALYSIS_SIZE: Final = 640  # long side; a 1280-px photo is a 1/2 DCT draft, 2560 px a 1/4 one
BLOCK: Final = 8  # analysis pixels per block side (paper, text, edge contact)
QR_MAX_PIXELS: Final = 16_000_000  # above this, the QR scan reads a half-size draft

# --- the document ------------------------------------------------------------------------------
CORE_FRACTION: Final = 0.85  # of the paper's median brightness: the document's core
TEXT_RELATIVE_CONTRAST: Final = 0.3  # a block is text when its ink is 30 % below its paper …
TEXT_MIN_CONTRAST: Final = 8  # … and at least 8 levels (above the noise of 2×2 means)
BLOWN_LEVEL: Final = 250  # a block whose mean is at least this is blown-out white

# --- the verdict -------------------------------------------------------------------------------
MIN_SHARPNESS: Final = 0.59
MIN_SHARPNESS_CELLS: Final = 6  # fewer high-contrast cells: sharpness is not judged
SHARPNESS_CELLS: Final = 64  # at most this many cells are measured, spread over the document
MIN_PAPER_LEVEL: Final = 100.0
GLARE_BLOWN_SHARE: Final = 0.01
OVEREXPOSED_BLOWN_SHARE: Final = 0.25
MAX_EDGE_CONTACT: Final = 0.02
MIN_CARD_PX: Final = 400
MIN_PAGE_PX: Final = 720
MIN_TEXT_SHARE: Final = 0.08
