"""The quality verdict on a grayscale analysis image: what is measured and what it means.

The analysis image has a fixed long side (`thresholds.ANALYSIS_SIZE`), so a threshold means the
same for a 1280-px Telegram photo and a 4000-px file. It is cut into 8-px blocks, each
described by the brightest and darkest values of its 2×2-averaged pixels (noise averaged away):

* the document is the bright part of the frame: the blocks above an Otsu threshold on the
  blocks' brightest values (text inside a block does not lower its brightest value), limited
  to the largest connected core that is nearly as bright as the paper, plus one block around;
* text is a block of the document's interior whose darkest value is well below its brightest;
* a blown block has a mean of `BLOWN_LEVEL` or more (glare when a few, overexposure when many);
* edge contact is the share of the frame's border blocks that belong to the document;
* sharpness is measured on the document's highest-contrast 16-px cells: the steepest step
  between neighbouring pixels divided by the cell's contrast — 1/px, independent of exposure
  and contrast, about 0.4/σ for a Gaussian blur σ — in four directions; the smallest of the
  four medians catches motion blur, which leaves edges along the motion sharp. (Not the
  variance of the Laplacian that DESIGN.md names: that grows with contrast, so a dim photo
  would read as blurry and a contrasty blurred one as sharp.)
"""

from __future__ import annotations

import functools

import numpy as np
from PIL import Image

from intake.photos import thresholds as t
from intake.photos._model import QrStatus, QualityIssue, QualityMetrics, SlotKind

__all__ = ["fingerprint", "judge", "kind_issues", "measure"]

_CELL = 2 * t.BLOCK
_HASH_SIDE = 16  # the fingerprint compares 16 x 16 neighbouring cells: 256 bits
_DIAGONAL = 0.7071  # a diagonal step spans √2 pixels
_PRIORITY = (
    QualityIssue.NO_DOCUMENT,
    QualityIssue.TOO_DARK,
    QualityIssue.OVEREXPOSED,
    QualityIssue.BLURRY,
    QualityIssue.GLARE,
    QualityIssue.CUT_OFF,
    QualityIssue.TOO_SMALL,
)


def measure(gray: np.ndarray, scale: float) -> QualityMetrics:
    """Measure an upright uint8 analysis image; `scale` is photo pixels per analysis pixel."""
    height, width = gray.shape
    if height < 2 * t.BLOCK or width < 2 * t.BLOCK:
        gray = np.pad(gray, ((0, max(0, 2 * t.BLOCK - height)), (0, max(0, 2 * t.BLOCK - width))))
    hb, wb = gray.shape[0] // t.BLOCK, gray.shape[1] // t.BLOCK
    image = Image.fromarray(np.ascontiguousarray(gray[: hb * t.BLOCK, : wb * t.BLOCK]))
    quads = np.asarray(image.reduce(2))  # 2×2 means: sensor noise averaged away
    top = _block_reduce(np.maximum, quads)  # each block's brightest quad: its paper
    low = _block_reduce(np.minimum, quads)  # each block's darkest quad: its ink, if any
    mean = np.asarray(image.reduce(t.BLOCK))
    document = _document(top)
    area = int(document.sum())
    if area == 0:
        return QualityMetrics(
            (width, height),
            None,
            float(np.median(top)),
            0.0,
            0.0,
            0,
            0.0,
            0.0,
            fingerprint=fingerprint(gray),
        )
    blown = mean >= t.BLOWN_LEVEL
    contrast = top.astype(np.int16) - low
    text = (contrast >= t.TEXT_RELATIVE_CONTRAST * top) & (contrast >= t.TEXT_MIN_CONTRAST)
    interior = _erode(_erode(document))
    rows = np.flatnonzero(document.any(axis=1))
    cols = np.flatnonzero(document.any(axis=0))
    box = (cols[0], rows[0], cols[-1] + 1, rows[-1] + 1)
    x0, y0, x1, y1 = (round(float(v) * t.BLOCK * scale) for v in box)
    long_side = max(x1 - x0, y1 - y0)
    aspect, upright = _shape(document)
    touching = document & ~blown
    border = int(touching[0].sum() + touching[-1].sum() + touching[1:-1, 0].sum())
    border += int(touching[1:-1, -1].sum())
    return QualityMetrics(
        analysis_size=(width, height),
        sharpness=_sharpness(gray, document, contrast),
        paper_level=float(np.median(top[document])),
        blown_share=round(float((blown & document).sum()) / area, 4),
        document_share=round(area / document.size, 4),
        document_long_px=long_side,
        edge_contact=round(border / max(1, 2 * (hb + wb) - 4), 4),
        text_share=round(float((text & interior).sum()) / max(1, int(interior.sum())), 4),
        document_box=(x0, y0, x1, y1),
        document_aspect=aspect,
        document_upright=upright,
        fingerprint=fingerprint(
            gray, (box[0] * t.BLOCK, box[1] * t.BLOCK, box[2] * t.BLOCK, box[3] * t.BLOCK)
        ),
    )


def _shape(document: np.ndarray) -> tuple[float, bool]:
    """The document's long side over its short side, whatever its rotation, and whether its
    long side stands upright (a page held as it is read): those of the smallest rectangle
    around it (over the edges of its convex hull), so that dark parts of the paper (a card's
    photo, its QR code) and a notch at its edge do not change its shape."""
    hull = _hull(_outline(document))
    if len(hull) < 3:  # a shape needs a few blocks
        return 1.0, False
    edges = np.roll(hull, -1, axis=0) - hull
    lengths = np.hypot(edges[:, 0], edges[:, 1])
    keep = lengths > 0
    along = edges[keep] / lengths[keep, None]
    across = np.stack((-along[:, 1], along[:, 0]), axis=1)
    widths = np.ptp(hull @ along.T, axis=0)
    heights = np.ptp(hull @ across.T, axis=0)
    best = int(np.argmin(widths * heights))
    long, short = max(widths[best], heights[best]), min(widths[best], heights[best])
    axis = along[best] if widths[best] >= heights[best] else across[best]
    upright = bool(abs(axis[1]) > abs(axis[0]))
    return (round(float(long / short), 3) if short > 0 else 99.0), upright


def _outline(document: np.ndarray) -> np.ndarray:
    """The corners of each row's first and last document block: all the hull needs."""
    rows = np.flatnonzero(document.any(axis=1))
    if rows.size == 0:
        return np.zeros((0, 2))
    inside = document[rows]
    first = inside.argmax(axis=1)
    last = inside.shape[1] - 1 - inside[:, ::-1].argmax(axis=1)
    points = [
        (x, y)
        for row, left, right in zip(rows, first, last, strict=True)
        for x in (left, right + 1)
        for y in (row, row + 1)
    ]
    return np.array(points, dtype=np.float64)


def _hull(points: np.ndarray) -> np.ndarray:
    """The convex hull (Andrew's monotone chain), counter-clockwise."""
    ordered = sorted({(float(x), float(y)) for x, y in points})
    if len(ordered) < 3:
        return np.array(ordered)

    def turn(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
        return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])

    lower: list[tuple[float, float]] = []
    upper: list[tuple[float, float]] = []
    for point in ordered:
        while len(lower) >= 2 and turn(lower[-2], lower[-1], point) <= 0:
            lower.pop()
        lower.append(point)
    for point in reversed(ordered):
        while len(upper) >= 2 and turn(upper[-2], upper[-1], point) <= 0:
            upper.pop()
        upper.append(point)
    return np.array(lower[:-1] + upper[:-1])


def fingerprint(gray: np.ndarray, box: tuple[int, int, int, int] | None = None) -> str:
    """A 256-bit difference hash of the document (the part of the analysis image in `box`, in
    analysis pixels; the whole image without one), as 64 hex digits.

    The same photo sent again (forwarded, recompressed, resized) differs from itself in at
    most about 10 of the 256 bits; two different cards of the same layout differ in 60 or
    more (bench/README.md): `intake.submissions` finds possible duplicates by it. It tells
    nothing that could be read back.
    """
    if box is not None:
        x0, y0, x1, y1 = box
        if x1 - x0 >= _HASH_SIDE and y1 - y0 >= _HASH_SIDE:
            gray = gray[y0:y1, x0:x1]
    small = np.asarray(
        Image.fromarray(np.ascontiguousarray(gray)).resize(
            (_HASH_SIDE + 1, _HASH_SIDE), Image.Resampling.BOX
        ),
        dtype=np.int16,
    )
    bits = (small[:, 1:] > small[:, :-1]).flatten()
    return f"{int(''.join('1' if bit else '0' for bit in bits), 2):064x}"


def _block_reduce(op: np.ufunc, quads: np.ndarray) -> np.ndarray:
    """`op` (maximum or minimum) over each block of quads, by strided slices (fast in numpy)."""
    n = t.BLOCK // 2
    columns = functools.reduce(op, [quads[:, k::n] for k in range(n)])
    return functools.reduce(op, [columns[k::n] for k in range(n)])


def judge(metrics: QualityMetrics, slot: SlotKind) -> tuple[QualityIssue, ...]:
    """The issues that the measured values show, the most fundamental first."""
    issues: set[QualityIssue] = set()
    if metrics.paper_level < t.MIN_PAPER_LEVEL:
        issues.add(QualityIssue.TOO_DARK)
    overexposed = metrics.blown_share >= t.OVEREXPOSED_BLOWN_SHARE
    if overexposed:
        issues.add(QualityIssue.OVEREXPOSED)
    blurry = metrics.sharpness is not None and metrics.sharpness < t.MIN_SHARPNESS
    if not overexposed and metrics.text_share < t.MIN_TEXT_SHARE:
        # Nothing that looks like text: whatever else is measured is not about a document.
        issues.add(QualityIssue.NO_DOCUMENT)
        if blurry:
            issues.add(QualityIssue.BLURRY)
        return _ordered(issues)
    if not overexposed:  # blown-out paper hides text and edges alike
        if blurry and not issues:
            issues.add(QualityIssue.BLURRY)
        if metrics.blown_share >= t.GLARE_BLOWN_SHARE:
            issues.add(QualityIssue.GLARE)
        if metrics.edge_contact > t.MAX_EDGE_CONTACT:
            issues.add(QualityIssue.CUT_OFF)
    minimum = t.MIN_CARD_PX if slot is SlotKind.ID_CARD else t.MIN_PAGE_PX
    if metrics.document_long_px < minimum:
        issues.add(QualityIssue.TOO_SMALL)
    return _ordered(issues)


def kind_issues(
    metrics: QualityMetrics,
    qr: QrStatus,
    slot: SlotKind,
    issues: tuple[QualityIssue, ...],
) -> tuple[QualityIssue, ...]:
    """Whether the picture is not the kind of paper its slot asks for: a page (by its shape, a
    card being 85.6 × 54 mm and lying across, a page about A4 and standing upright, or by a
    certificate's QR code) where an ID card is asked, or an ID card (by its chip card's QR
    code) where a certificate page is. Judged only on a photo without other issues: a cut-off
    or tiny document has no reliable shape.
    `qr`: what the photo's QR code is, read as either paper (`_check.qr_kind`)."""
    if issues:
        return ()
    if slot is SlotKind.ID_CARD:
        if qr is QrStatus.CERTIFICATE:
            return (QualityIssue.NOT_A_CARD,)
        aspect = metrics.document_aspect
        if qr is not QrStatus.CCCD and aspect is not None:
            limit = t.CARD_MIN_UPRIGHT_ASPECT if metrics.document_upright else t.CARD_MIN_ASPECT
            if aspect < limit:
                return (QualityIssue.NOT_A_CARD,)
    if slot is SlotKind.CERTIFICATE and qr is QrStatus.CCCD:
        return (QualityIssue.NOT_A_PAGE,)
    return ()


def _ordered(issues: set[QualityIssue]) -> tuple[QualityIssue, ...]:
    return tuple(issue for issue in _PRIORITY if issue in issues)


def _document(top: np.ndarray) -> np.ndarray:
    """The document's blocks: the largest bright core, grown by a block into the bright class.

    The core (brighter than `CORE_FRACTION` of the bright class's median) keeps a light desk or
    a lamp's reflection on it from joining the paper; growing by one block gives the paper's
    dimmer rim back.
    """
    threshold = _otsu(top)
    bright = top > threshold
    if not bright.any():
        return bright
    paper = float(np.median(top[bright]))
    core = _largest_component(top > max(threshold, t.CORE_FRACTION * paper))
    grown = core.copy()
    grown[1:] |= core[:-1]
    grown[:-1] |= core[1:]
    grown[:, 1:] |= core[:, :-1]
    grown[:, :-1] |= core[:, 1:]
    return grown & bright


def _otsu(values: np.ndarray) -> int:
    """The level that best splits `values` (0-255) into a dark and a bright class."""
    hist = np.bincount(values.ravel(), minlength=256).astype(np.float64)
    weight = np.cumsum(hist) / hist.sum()
    mass = np.cumsum(hist * np.arange(256)) / hist.sum()
    between = (mass[-1] * weight - mass) ** 2 / np.maximum(weight * (1 - weight), 1e-12)
    return int(np.argmax(between))


def _erode(mask: np.ndarray) -> np.ndarray:
    inner = np.zeros_like(mask)
    inner[1:-1, 1:-1] = mask[1:-1, 1:-1] & mask[:-2, 1:-1] & mask[2:, 1:-1]
    inner[1:-1, 1:-1] &= mask[1:-1, :-2] & mask[1:-1, 2:]
    return inner


def _largest_component(mask: np.ndarray) -> np.ndarray:
    """The largest 4-connected component of a small boolean grid (runs joined by union-find)."""
    width = mask.shape[1] + 1
    edges = np.diff(np.pad(mask.view(np.int8), ((0, 0), (1, 1))), axis=1)
    rows, starts = np.nonzero(edges == 1)
    ends = np.nonzero(edges == -1)[1]
    if len(starts) == 0:
        return np.zeros_like(mask)
    base = rows * width  # runs are in row-major order, so these keys are sorted
    below = base + width
    first = np.searchsorted(base + ends, below + starts, side="right")
    last = np.searchsorted(base + starts, below + ends, side="left")
    counts = np.maximum(last - first, 0)  # runs of the next row that overlap each run
    upper = np.repeat(np.arange(len(starts)), counts)
    lower = np.repeat(first - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
    parent = list(range(len(starts)))
    for a, b in zip(upper.tolist(), lower.tolist(), strict=True):
        ra, rb = _root(parent, a), _root(parent, b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = np.array([_root(parent, k) for k in range(len(parent))])
    lengths = ends - starts
    keep = roots == np.argmax(np.bincount(roots, weights=lengths))
    lengths = lengths[keep]
    offsets = np.arange(int(lengths.sum())) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    out = np.zeros_like(mask)
    out[np.repeat(rows[keep], lengths), np.repeat(starts[keep], lengths) + offsets] = True
    return out


def _root(parent: list[int], k: int) -> int:
    while parent[k] != k:
        parent[k] = parent[parent[k]]
        k = parent[k]
    return k


def _sharpness(gray: np.ndarray, document: np.ndarray, contrast: np.ndarray) -> float | None:
    """Median steepest-step / contrast over the document's high-contrast cells; min of 4 ways."""
    hc, wc = document.shape[0] // 2, document.shape[1] // 2
    if hc < 2 or wc < 2:
        return None
    quarters = [(dy, dx) for dy in (0, 1) for dx in (0, 1)]
    cells = functools.reduce(
        np.maximum, [contrast[dy : 2 * hc : 2, dx : 2 * wc : 2] for dy, dx in quarters]
    )
    inside = functools.reduce(
        np.logical_or, [document[dy : 2 * hc : 2, dx : 2 * wc : 2] for dy, dx in quarters]
    )
    inside[-1, :] = False  # each patch below reaches one pixel into the next cell
    inside[:, -1] = False
    candidates = cells[inside]
    if candidates.size < t.MIN_SHARPNESS_CELLS:
        return None
    k = (candidates.size - 1) * 9 // 10
    floor = max(24.0, 0.5 * float(np.partition(candidates, k)[k]))  # half the 90th percentile
    ys, xs = np.nonzero(inside & (cells >= floor))
    if len(ys) < t.MIN_SHARPNESS_CELLS:
        return None
    pick = slice(None, None, -(-len(ys) // t.SHARPNESS_CELLS))  # spread over the document
    ys, xs = ys[pick], xs[pick]
    offsets = np.arange(_CELL + 1)
    rows = (ys * _CELL)[:, None, None] + offsets[None, :, None]
    cols = (xs * _CELL)[:, None, None] + offsets[None, None, :]
    patch = gray[rows, cols].astype(np.int16)
    contrast_of = cells[ys, xs].astype(np.float32)
    medians = []
    for step, weight in (
        (patch[:, :-1, 1:] - patch[:, :-1, :-1], 1.0),
        (patch[:, 1:, :-1] - patch[:, :-1, :-1], 1.0),
        (patch[:, 1:, 1:] - patch[:, :-1, :-1], _DIAGONAL),
        (patch[:, 1:, :-1] - patch[:, :-1, 1:], _DIAGONAL),
    ):
        steepest = np.abs(step, out=step).reshape(len(ys), -1).max(axis=1)
        medians.append(float(np.median(steepest / contrast_of)) * weight)
    return round(min(medians), 4)
