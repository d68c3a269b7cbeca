"""Every number the photo checks judge by, in one place, with the measurements behind it.

All quality values are measured on the grayscale analysis image (long side `ANALYSIS_SIZE`),
so a threshold means the same for every photo size. They were calibrated on the evaluation set
of `bench/make_evalset.py` (seed 2026: 1,260 photos) with `bench/photo_quality.py --metrics`,
then checked on a second set drawn with seed 7 (bench/README.md has both runs). Ranges are
min … max over both sets: 840 clean photos (480 clean + 360 CCCD fronts with a QR code) and,
per defect, 144 photos at target strengths (those that make a document hard to read) and 48
at the mild strength, which is reported but not targeted.

| threshold               | value | clean photos     | defective photos, target strengths      |
|-------------------------|-------|------------------|-----------------------------------------|
| MIN_SHARPNESS           | 0.59  | 0.619 … 0.923    | Gaussian ≤ 0.492, motion ≤ 0.571        |
| MIN_PAPER_LEVEL         | 100   | 183 … 238        | dark ≤ 71 (mild, gain 0.45: 93 … 107)   |
| GLARE_BLOWN_SHARE       | 0.01  | 0 in every photo | glare 0.0115 … 0.224 (mild ≤ 0.025)     |
| OVEREXPOSED_BLOWN_SHARE | 0.25  | 0 in every photo | overexposed 0.315 … 0.965; glare ≤ 0.224 |
| MAX_EDGE_CONTACT        | 0.02  | 0 in every photo | corner ≥ 0.159, edge ≥ 0.054 (mild 0.036) |
| MIN_CARD_PX             | 400   | cards 528 … 2400 | tiny cards ≤ 272 (mild 336 … 352)       |
| MIN_PAGE_PX             | 720   | pages 848 … 2368 | tiny pages ≤ 512 (mild 625 … 658)       |
| MIN_TEXT_SHARE          | 0.08  | 0.258 … 0.475    | no document 0 … 0.038                   |

Why these and not midpoints: blur sits close to the clean minimum, so the line is drawn just
under it (a soft but readable photo passes, and so do most mild blurs). Darkness has a wide gap;
the line is low so that a dim but readable photo (paper at 100-180) passes. A blown-out 1 % of
the document already hides a word on a CCCD; overexposure is glare that has taken a quarter of
the paper. The size limits put the smallest text at about 7-9 px: a CCCD's 2 mm field text at
400 px per 85.6 mm, a certificate's 3 mm body text at 720 px per 297 mm. The synthetic set
never puts white paper on a white desk, hands or other papers in the frame: expect real photos
to need a second calibration on a few hundred labelled ones.
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
# the document's shape (its smallest enclosing rectangle, long over short side): a CCCD is 85.6
# × 54 mm (1.586), an A4 page — the 2024 certificate — 1.414, an older certificate's page about
# 1.39. Photographed with tilt and perspective, cards (all lying across) measured 1.400 … 1.691
# over seeds 2026 and 7, 1 in 300 under 1.43; pages (all standing) 1.297 … 1.492. A document
# lying across is "not a card" below the first line (squarish: under every card); a standing
# one below the second, which a card turned upright would pass 299 times in 300 (and the
# retake message says to lay the card across) while 4 pages in 5 are caught.
CARD_MIN_ASPECT: Final = 1.35
CARD_MIN_UPRIGHT_ASPECT: Final = 1.43
