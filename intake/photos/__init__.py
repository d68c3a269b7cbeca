"""Photo and scan checks over bytes: what a file is, whether it can be read, what is wrong with
it, what its QR code says, and the same file without metadata. No Telegram, no database, no I/O.

    check = check_photo(data, SlotKind.ID_CARD)          # raises DocumentRefused(reason)
    if check.verdict is Verdict.RETAKE: ...              # check.issues: QualityIssue values
    prepared = prepare_document(data, SlotKind.ID_CARD)  # check + stripped bytes, one decode

Every function is pure and thread-safe; decoding, numpy and zxing release the GIL, so the app
runs them in a thread pool.
"""

from intake.photos import thresholds
from intake.photos._check import check_photo, prepare_document, strip_metadata
from intake.photos._model import (
    DEFAULT_LIMITS,
    MAX_UPLOAD_BYTES,
    CccdQr,
    CertificateQr,
    DocumentRefused,
    FileKind,
    Limits,
    PhotoCheck,
    PreparedDocument,
    QrProblem,
    QrReading,
    QrStatus,
    QualityIssue,
    QualityMetrics,
    RefusalReason,
    SlotKind,
    Verdict,
)
from intake.photos._qr import parse_qr_payload
from intake.photos._sniff import sniff_type

__all__ = [
    "DEFAULT_LIMITS",
    "MAX_UPLOAD_BYTES",
    "CccdQr",
    "CertificateQr",
    "DocumentRefused",
    "FileKind",
    "Limits",
    "PhotoCheck",
    "PreparedDocument",
    "QrProblem",
    "QrReading",
    "QrStatus",
    "QualityIssue",
    "QualityMetrics",
    "RefusalReason",
    "SlotKind",
    "Verdict",
    "check_photo",
    "parse_qr_payload",
    "prepare_document",
    "sniff_type",
    "strip_metadata",
    "thresholds",
]
