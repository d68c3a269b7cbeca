"""QR codes on ID cards and certificates: found with zxing-cpp (QR only), then parsed strictly.

A chip CCCD's QR carries `number|old id|name|DDMMYYYY|gender|address|issue DDMMYYYY`; newer
cards add fields, so seven or more are accepted and the first seven kept, empty ones allowed
(the old ID often is). The number is validated with the CCCD rules (`intake.language.parse_cccd`)
and must agree with the birth date and gender. The 2024 land certificate's QR is `|`-separated
too; hoso keeps its certificate code and serial (`CERTIFICATE_FIELDS` says where they are).
A code that does not parse is reported with its problem and raw text, never guessed at.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import zxingcpp

from intake.language import InvalidCccd, nfc, parse_cccd
from intake.photos._model import CccdQr, CertificateQr, QrProblem, QrReading, QrStatus, SlotKind

__all__ = ["CERTIFICATE_FIELDS", "parse_qr_payload", "scan_qr"]

CCCD_FIELDS = 7
# Positions of the certificate code and the serial in the 2024 certificate's QR text. The
# layout is not published; this is the one observed on sample certificates, kept in one place.
CERTIFICATE_FIELDS = {"certificate_code": 0, "serial": 1}
_SERIAL = re.compile(r"[A-Z]{2} ?\d{6,8}")
_CODE = re.compile(r"[0-9A-Z][0-9A-Z.\-/]{3,39}")
_OLD_ID = re.compile(r"(\d{9}|\d{12})?")
_QR_ONLY = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)
_GENDERS = {"nam": False, "nữ": True, "nu": True}


def scan_qr(gray: np.ndarray) -> list[str]:
    """The texts of the QR codes in a grayscale image (UTF-8, as the cards write them)."""
    found = zxingcpp.read_barcodes(
        gray, formats=_QR_ONLY, try_rotate=False, try_invert=False, try_downscale=False
    )
    texts = []
    for code in found:
        try:
            texts.append(bytes(code.bytes).decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(code.text)
    return texts


def read_qr(gray: np.ndarray, slot: SlotKind) -> QrReading:
    """Scan and parse: the first code that parses for the slot, else the first one found."""
    texts = scan_qr(gray)
    if not texts:
        return QrReading(QrStatus.NOT_FOUND)
    readings = [parse_qr_payload(text, slot) for text in texts]
    return next((r for r in readings if r.status is not QrStatus.UNPARSED), readings[0])


def parse_qr_payload(text: str, slot: SlotKind) -> QrReading:
    """Parse a QR text as the slot's document says it should be (CCCD or certificate)."""
    if slot is SlotKind.ID_CARD:
        return _parse_cccd(text)
    if slot is SlotKind.CERTIFICATE:
        return _parse_certificate(text)
    return QrReading(QrStatus.UNPARSED, raw=text, problem=QrProblem.UNKNOWN_FORMAT)


def _unparsed(text: str, problem: QrProblem) -> QrReading:
    return QrReading(QrStatus.UNPARSED, raw=text, problem=problem)


def _parse_cccd(text: str) -> QrReading:
    fields = [nfc(f) for f in text.split("|")]
    if len(fields) < CCCD_FIELDS:
        return _unparsed(text, QrProblem.FIELD_COUNT)
    number, old_id, name, birth, gender, address, issued = fields[:CCCD_FIELDS]
    if not (len(number) == 12 and number.isascii() and number.isdigit()):
        return _unparsed(text, QrProblem.CCCD_NUMBER)
    try:
        cccd = parse_cccd(number)
    except InvalidCccd:
        return _unparsed(text, QrProblem.CCCD_NUMBER)
    if not _OLD_ID.fullmatch(old_id):
        return _unparsed(text, QrProblem.OLD_ID)
    if not name or any(ch.isdigit() for ch in name):
        return _unparsed(text, QrProblem.NAME)
    birth_date, issue_date = _date(birth), _date(issued) if issued else None
    if birth_date is None:
        return _unparsed(text, QrProblem.BIRTH_DATE)
    if issued and issue_date is None:
        return _unparsed(text, QrProblem.ISSUE_DATE)
    female = _GENDERS.get(gender.casefold()) if gender else cccd.female
    if female is None:
        return _unparsed(text, QrProblem.GENDER)
    consistent = birth_date.year == cccd.birth_year and female == cccd.female
    if not consistent or (issue_date is not None and issue_date < birth_date):
        return _unparsed(text, QrProblem.INCONSISTENT)
    card = CccdQr(number, old_id, name, birth_date, gender, address, issue_date)
    return QrReading(QrStatus.CCCD, raw=text, cccd=card)


def _date(ddmmyyyy: str) -> date | None:
    if len(ddmmyyyy) != 8 or not (ddmmyyyy.isascii() and ddmmyyyy.isdigit()):
        return None
    try:
        return date(int(ddmmyyyy[4:]), int(ddmmyyyy[2:4]), int(ddmmyyyy[:2]))
    except ValueError:
        return None


def _parse_certificate(text: str) -> QrReading:
    fields = [nfc(f).upper() for f in text.split("|")]
    if len(fields) <= max(CERTIFICATE_FIELDS.values()):
        return _unparsed(text, QrProblem.FIELD_COUNT)
    code = fields[CERTIFICATE_FIELDS["certificate_code"]]
    serial = fields[CERTIFICATE_FIELDS["serial"]]
    if not _SERIAL.fullmatch(serial):
        return _unparsed(text, QrProblem.SERIAL)
    if not _CODE.fullmatch(code):
        return _unparsed(text, QrProblem.CERTIFICATE_CODE)
    certificate = CertificateQr(certificate_code=code, serial=serial)
    return QrReading(QrStatus.CERTIFICATE, raw=text, certificate=certificate)
