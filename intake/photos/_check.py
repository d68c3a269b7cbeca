"""The three entry points: check a file, strip a file, or both in one pass with one decode."""

from __future__ import annotations

from intake.photos._containers import read_png, read_webp, strip_chunks
from intake.photos._jpeg import read_jpeg, strip_jpeg
from intake.photos._model import (
    DEFAULT_LIMITS,
    QR_NOT_SCANNED,
    DocumentRefused,
    FileKind,
    Limits,
    PhotoCheck,
    PreparedDocument,
    QrReading,
    QrStatus,
    QualityIssue,
    RefusalReason,
    SlotKind,
    Verdict,
)
from intake.photos._opening import open_image, qr_pixels, refuse_unsupported, stored_region
from intake.photos._pdf import read_pdf
from intake.photos._qr import parse_qr_payload, read_qr
from intake.photos._quality import judge, kind_issues, measure
from intake.photos._sniff import sniff_type

__all__ = ["check_photo", "prepare_document", "strip_metadata"]

# the papers that may carry a QR code: the chip CCCD, the 2024 certificate
_SCANNED_KINDS = frozenset({SlotKind.ID_CARD, SlotKind.CERTIFICATE})
_QR_MARGIN = 0.03  # of the photo's long side around the document, for the QR scan


def check_photo(
    data: bytes, slot: SlotKind = SlotKind.OTHER, *, limits: Limits = DEFAULT_LIMITS
) -> PhotoCheck:
    """Judge a file: refused (raises `DocumentRefused`), or a verdict with reasons and values."""
    return _run(data, slot, limits, store=False)[0]


def prepare_document(
    data: bytes, slot: SlotKind = SlotKind.OTHER, *, limits: Limits = DEFAULT_LIMITS
) -> PreparedDocument:
    """Check and strip in one pass (one decode); the bytes are what may be sealed and stored."""
    check, clean, kind = _run(data, slot, limits, store=True)
    assert clean is not None  # noqa: S101 — `store=True` always yields the bytes
    return PreparedDocument(check=check, data=clean, kind=kind)


def strip_metadata(
    data: bytes, kind: FileKind | None = None, *, limits: Limits = DEFAULT_LIMITS
) -> bytes:
    """`data` without GPS, EXIF, XMP, IPTC, ICC or comments; JPEG, PNG and WebP losslessly.

    HEIF comes back as JPEG (no one at the commune opens HEIF), and so does a PNG or WebP whose
    EXIF orientation asked for a rotation; a JPEG keeps its orientation in a fresh 1-tag EXIF.
    """
    kind = kind or sniff_type(data)
    _check_bytes(data, limits)
    if kind is FileKind.JPEG:
        return strip_jpeg(data, read_jpeg(data, limits))
    if kind in (FileKind.PNG, FileKind.WEBP):
        layout = read_png(data, limits) if kind is FileKind.PNG else read_webp(data, limits)
        if layout.orientation == 1:
            return strip_chunks(data, layout)
    if kind is FileKind.PDF:
        clean = read_pdf(data, limits, strip=True)[1]
        assert clean is not None  # noqa: S101 — `strip=True` always yields the bytes
        return clean
    if not kind.accepted:
        raise refuse_unsupported(kind, data)
    clean = open_image(data, kind, limits, want_qr=False).clean
    assert clean is not None  # noqa: S101 — `store=True` always yields the bytes
    return clean


def qr_kind(qr: QrReading) -> QrStatus:
    """Which paper's QR code the photo shows, whichever slot it was sent at: a code that does
    not parse as the slot's paper may be the other's (a CCCD sent as a certificate page)."""
    if qr.status is not QrStatus.UNPARSED or not qr.raw:
        return qr.status
    for kind in (SlotKind.ID_CARD, SlotKind.CERTIFICATE):
        reading = parse_qr_payload(qr.raw, kind)
        if reading.status is not QrStatus.UNPARSED:
            return reading.status
    return QrStatus.UNPARSED


def _check_bytes(data: bytes, limits: Limits) -> None:
    if len(data) > limits.max_bytes:
        raise DocumentRefused(RefusalReason.TOO_LARGE_BYTES, f"{len(data)} bytes")


def _run(
    data: bytes, slot: SlotKind, limits: Limits, *, store: bool
) -> tuple[PhotoCheck, bytes | None, FileKind]:
    _check_bytes(data, limits)
    kind = sniff_type(data)
    if not kind.accepted:
        raise refuse_unsupported(kind, data)
    if kind is FileKind.PDF:
        pages, clean = read_pdf(data, limits, strip=store)
        check = PhotoCheck(kind=kind, verdict=Verdict.ACCEPTED, page_count=pages)
        return check, clean, FileKind.PDF
    want_qr = slot in _SCANNED_KINDS
    opened = open_image(data, kind, limits, want_qr=want_qr, store=store)
    metrics = measure(opened.analysis, opened.scale)
    issues = judge(metrics, slot)
    qr = QR_NOT_SCANNED
    if opened.qr_image is not None:
        box = metrics.document_box
        if box is None or QualityIssue.NO_DOCUMENT in issues:
            qr = read_qr(qr_pixels(opened), slot)
        else:  # only where the document is: a quarter to a half of the pixels
            qr = read_qr(stored_region(opened, box, _QR_MARGIN), slot)
    issues = (*issues, *kind_issues(metrics, qr_kind(qr), slot, issues))
    check = PhotoCheck(
        kind=kind,
        verdict=Verdict.RETAKE if issues else Verdict.ACCEPTED,
        issues=issues,
        width=opened.width,
        height=opened.height,
        orientation=opened.orientation,
        metrics=metrics,
        qr=qr,
    )
    return check, opened.clean, opened.clean_kind
