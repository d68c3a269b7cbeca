"""The values the photo checks take and return: kinds, reasons, limits and results."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class FileKind(StrEnum):
    """What a file is by its content (magic bytes), never by its name or declared MIME type."""

    JPEG = "jpeg"
    PNG = "png"
    WEBP = "webp"
    HEIF = "heif"
    PDF = "pdf"
    # Recognised but refused; named so that a refusal can say what the file really was.
    GIF = "gif"
    BMP = "bmp"
    TIFF = "tiff"
    AVIF = "avif"
    SVG = "svg"
    HTML = "html"
    XML = "xml"
    ZIP = "zip"
    VIDEO = "video"
    EMPTY = "empty"
    UNKNOWN = "unknown"

    @property
    def accepted(self) -> bool:
        return self in _ACCEPTED

    @property
    def media_type(self) -> str:
        return _MEDIA_TYPES.get(self, "application/octet-stream")


_ACCEPTED = frozenset({FileKind.JPEG, FileKind.PNG, FileKind.WEBP, FileKind.HEIF, FileKind.PDF})
_MEDIA_TYPES = {
    FileKind.JPEG: "image/jpeg",
    FileKind.PNG: "image/png",
    FileKind.WEBP: "image/webp",
    FileKind.HEIF: "image/heif",
    FileKind.PDF: "application/pdf",
}


class SlotKind(StrEnum):
    """Which checklist slot a document fills; it decides the size rule and the QR scan."""

    ID_CARD = "id"
    CERTIFICATE = "certificate"
    OTHER = "other"


class RefusalReason(StrEnum):
    """Why a file cannot be taken at all (as opposed to a photo that should be retaken)."""

    EMPTY = "empty"
    UNSUPPORTED_TYPE = "unsupported_type"
    TOO_LARGE_BYTES = "too_large_bytes"
    TOO_MANY_PIXELS = "too_many_pixels"
    TOO_MANY_PAGES = "too_many_pages"
    TRUNCATED = "truncated"
    CORRUPT = "corrupt"
    ANIMATED = "animated"
    METADATA_BOMB = "metadata_bomb"
    POLYGLOT = "polyglot"
    ENCRYPTED = "encrypted"


class QualityIssue(StrEnum):
    """What is wrong with a photo that opened fine; each maps to a retake message."""

    BLURRY = "blurry"
    TOO_DARK = "too_dark"
    OVEREXPOSED = "overexposed"
    GLARE = "glare"
    TOO_SMALL = "too_small"
    CUT_OFF = "cut_off"
    NO_DOCUMENT = "no_document"
    NOT_A_CARD = "not_a_card"  # a page (its shape, or a certificate's QR code) at a card's slot
    NOT_A_PAGE = "not_a_page"  # an ID card (its chip card's QR code) at a certificate's slot


class Verdict(StrEnum):
    """Whether a photo that opened can be kept, or the resident should take it again."""

    ACCEPTED = "accepted"
    RETAKE = "retake"


class DocumentRefused(ValueError):
    """A file refused before any quality judgement; `reason` is stable, `detail` is for logs."""

    def __init__(self, reason: RefusalReason, detail: str = "") -> None:
        super().__init__(f"{reason.value}: {detail}" if detail else reason.value)
        self.reason = reason
        self.detail = detail

    def __reduce__(self) -> tuple[type[DocumentRefused], tuple[RefusalReason, str]]:
        return type(self), (self.reason, self.detail)  # raised in a worker process, too


# The largest file Telegram lets a bot fetch (getFile): the one limit the flow, the pipeline and
# the checks all apply.
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Limits:
    """Resource limits applied before and while a file is decoded."""

    max_bytes: int = MAX_UPLOAD_BYTES
    max_pixels: int = 50_000_000  # 48-50 MP phone sensors; a full RGB decode stays ≤ 150 MB
    max_side: int = 16_384
    max_pdf_pages: int = 50
    max_metadata_bytes: int = 8 * 1024 * 1024  # APPn / chunks; extended XMP with a depth map
    max_ifds: int = 32  # IFD0, Exif, GPS, Interop, IFD1 and a margin
    max_ifd_entries: int = 4096
    max_ifd_depth: int = 4


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True, slots=True)
class QualityMetrics:
    """What the quality check measured on the grayscale analysis image."""

    analysis_size: tuple[int, int]
    sharpness: float | None  # steepest edge / its contrast, 1/px; None without text to measure
    paper_level: float  # median brightness of the document's paper, 0-255
    blown_share: float  # share of the document that is saturated white
    document_share: float  # share of the frame that the document covers
    document_long_px: int  # the document's long side in the photo's own pixels
    edge_contact: float  # share of the frame's border that the document touches
    text_share: float  # share of the document's interior that shows text strokes
    document_box: tuple[int, int, int, int] | None = None  # left, top, right, bottom; photo px
    fingerprint: str | None = None  # the picture's difference hash (`_quality.fingerprint`)
    document_aspect: float | None = None  # long over short side, rotation-independent
    document_upright: bool | None = None  # its long side stands (a page as it is read)


class QrStatus(StrEnum):
    """What the QR scan came to: a parsed CCCD or certificate, nothing, or an unparsed code."""

    NOT_SCANNED = "not_scanned"
    NOT_FOUND = "not_found"
    CCCD = "cccd"
    CERTIFICATE = "certificate"
    UNPARSED = "unparsed"


class QrProblem(StrEnum):
    """Why a QR code that was read could not be taken as the slot's document."""

    FIELD_COUNT = "field_count"
    CCCD_NUMBER = "cccd_number"
    OLD_ID = "old_id"
    NAME = "name"
    BIRTH_DATE = "birth_date"
    GENDER = "gender"
    ISSUE_DATE = "issue_date"
    INCONSISTENT = "inconsistent"
    SERIAL = "serial"
    CERTIFICATE_CODE = "certificate_code"
    UNKNOWN_FORMAT = "unknown_format"


@dataclass(frozen=True, slots=True)
class CccdQr:
    """The first seven fields of a chip CCCD's QR code, validated."""

    number: str = field(repr=False)
    old_id: str = field(repr=False)
    name: str = field(repr=False)
    birth_date: date = field(repr=False)
    gender: str = field(repr=False)
    address: str = field(repr=False)
    issue_date: date | None = field(repr=False)


@dataclass(frozen=True, slots=True)
class CertificateQr:
    """What hoso keeps of a 2024 land certificate's QR code."""

    certificate_code: str
    serial: str


@dataclass(frozen=True, slots=True)
class QrReading:
    """The outcome of a QR scan; `problem` says why a found code did not parse."""

    status: QrStatus
    raw: str | None = field(default=None, repr=False)  # personal data: never in reprs or logs
    cccd: CccdQr | None = None
    certificate: CertificateQr | None = None
    problem: QrProblem | None = None


QR_NOT_SCANNED = QrReading(QrStatus.NOT_SCANNED)


@dataclass(frozen=True, slots=True)
class PhotoCheck:
    """The verdict on one file: what it is, how big, what is wrong and what its QR says."""

    kind: FileKind
    verdict: Verdict
    issues: tuple[QualityIssue, ...] = ()
    width: int | None = None  # after EXIF orientation; None for PDF
    height: int | None = None
    orientation: int = 1
    metrics: QualityMetrics | None = None  # None for PDF
    qr: QrReading = QR_NOT_SCANNED
    page_count: int | None = None  # PDF only

    @property
    def accepted(self) -> bool:
        return self.verdict is Verdict.ACCEPTED


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """A checked document and its bytes with every piece of metadata removed, ready to seal."""

    check: PhotoCheck
    data: bytes = field(repr=False)
    kind: FileKind  # of `data`: a HEIF photo is stored as JPEG

    @property
    def media_type(self) -> str:
        return self.kind.media_type
