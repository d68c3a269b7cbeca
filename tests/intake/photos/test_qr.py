"""QR codes: CCCD and certificate texts parsed strictly; anything else reported, not guessed."""

from __future__ import annotations

from datetime import date

import pytest

from intake.photos import (
    QrProblem,
    QrStatus,
    SlotKind,
    check_photo,
    parse_qr_payload,
)
from tests.intake.photos import builders

ADDRESS = "Số 12, Thôn 3, Xã Hòa Phú, Đà Nẵng"
VALID = f"079090001234|025123456|Nguyễn Văn An|01011990|Nam|{ADDRESS}|15082021"

CCCD_CASES = [
    ("valid", VALID, QrStatus.CCCD, None),
    ("newer-card-extra-fields", VALID + "|Kinh|Không|extra", QrStatus.CCCD, None),
    ("empty-old-id", VALID.replace("|025123456|", "||"), QrStatus.CCCD, None),
    ("empty-address-and-issue", "079090001234||Nguyễn Văn An|01011990|Nam||", QrStatus.CCCD, None),
    (
        "female-2000s",
        f"001305000123||Trần Thị Mai|02022005|Nữ|{ADDRESS}|01012022",
        QrStatus.CCCD,
        None,
    ),
    ("decomposed-unicode", VALID.replace("ễ", "e\u0302\u0303"), QrStatus.CCCD, None),
    ("six-fields", VALID.rsplit("|", 1)[0], QrStatus.UNPARSED, QrProblem.FIELD_COUNT),
    (
        "unknown-province",
        VALID.replace("079090", "003090"),
        QrStatus.UNPARSED,
        QrProblem.CCCD_NUMBER,
    ),
    (
        "eleven-digits",
        VALID.replace("079090001234", "07909000123"),
        QrStatus.UNPARSED,
        QrProblem.CCCD_NUMBER,
    ),
    (
        "spaced-number",
        VALID.replace("079090001234", "079 090 001234"),
        QrStatus.UNPARSED,
        QrProblem.CCCD_NUMBER,
    ),
    ("bad-old-id", VALID.replace("025123456", "12ab"), QrStatus.UNPARSED, QrProblem.OLD_ID),
    ("no-name", VALID.replace("Nguyễn Văn An", ""), QrStatus.UNPARSED, QrProblem.NAME),
    (
        "impossible-birth-date",
        VALID.replace("01011990", "31021990"),
        QrStatus.UNPARSED,
        QrProblem.BIRTH_DATE,
    ),
    (
        "bad-issue-date",
        VALID.replace("15082021", "2021-08-15"),
        QrStatus.UNPARSED,
        QrProblem.ISSUE_DATE,
    ),
    ("unknown-gender", VALID.replace("|Nam|", "|M|"), QrStatus.UNPARSED, QrProblem.GENDER),
    (
        "birth-year-disagrees",
        VALID.replace("01011990", "01011991"),
        QrStatus.UNPARSED,
        QrProblem.INCONSISTENT,
    ),
    (
        "gender-disagrees",
        VALID.replace("|Nam|", "|Nữ|"),
        QrStatus.UNPARSED,
        QrProblem.INCONSISTENT,
    ),
    (
        "issued-before-birth",
        VALID.replace("15082021", "15081980"),
        QrStatus.UNPARSED,
        QrProblem.INCONSISTENT,
    ),
    ("url", "https://example.com/?q=1", QrStatus.UNPARSED, QrProblem.FIELD_COUNT),
    ("garbage-pipes", "|||||||", QrStatus.UNPARSED, QrProblem.CCCD_NUMBER),
]


@pytest.mark.parametrize(
    ("text", "status", "problem"), [c[1:] for c in CCCD_CASES], ids=[c[0] for c in CCCD_CASES]
)
def test_cccd_qr(text: str, status: QrStatus, problem: QrProblem | None) -> None:
    reading = parse_qr_payload(text, SlotKind.ID_CARD)
    assert (reading.status, reading.problem) == (status, problem)
    assert reading.raw == text


def test_cccd_fields_are_kept_normalised() -> None:
    card = parse_qr_payload(VALID.replace("ễ", "e\u0302\u0303") + "|x|y", SlotKind.ID_CARD).cccd
    assert card is not None
    assert card.number == "079090001234"
    assert card.old_id == "025123456"
    assert card.name == "Nguyễn Văn An"
    assert (card.birth_date, card.issue_date) == (date(1990, 1, 1), date(2021, 8, 15))
    assert card.address == ADDRESS


def test_personal_data_stays_out_of_reprs() -> None:
    reading = parse_qr_payload(VALID, SlotKind.ID_CARD)
    assert "079090001234" not in repr(reading)
    assert "Nguyễn" not in repr(reading)


CERTIFICATE_CASES = [
    ("valid", "1234567|AA 01234567|123|4", QrStatus.CERTIFICATE, None),
    ("lower-case-serial", "1234567|ck 012345|x", QrStatus.CERTIFICATE, None),
    ("one-field", "1234567", QrStatus.UNPARSED, QrProblem.FIELD_COUNT),
    ("bad-serial", "1234567|01234567|x", QrStatus.UNPARSED, QrProblem.SERIAL),
    ("bad-code", "??|AA 01234567", QrStatus.UNPARSED, QrProblem.CERTIFICATE_CODE),
    ("a-cccd-instead", VALID, QrStatus.UNPARSED, QrProblem.SERIAL),
]


@pytest.mark.parametrize(
    ("text", "status", "problem"),
    [c[1:] for c in CERTIFICATE_CASES],
    ids=[c[0] for c in CERTIFICATE_CASES],
)
def test_certificate_qr(text: str, status: QrStatus, problem: QrProblem | None) -> None:
    reading = parse_qr_payload(text, SlotKind.CERTIFICATE)
    assert (reading.status, reading.problem) == (status, problem)


def test_certificate_keeps_code_and_serial() -> None:
    certificate = parse_qr_payload("1234567|ck 012345|x", SlotKind.CERTIFICATE).certificate
    assert certificate is not None
    assert (certificate.certificate_code, certificate.serial) == ("1234567", "CK 012345")


def test_card_photo_qr_is_read() -> None:
    photo = builders.document_photo("qr", 150, "card_front")
    check = check_photo(photo, SlotKind.ID_CARD)
    assert check.qr.status is QrStatus.CCCD
    assert check.qr.cccd is not None
    assert len(check.qr.cccd.number) == 12


def test_qr_is_scanned_only_for_id_and_certificate_slots() -> None:
    photo = builders.document_photo("qr", 150, "card_front")
    assert check_photo(photo, SlotKind.OTHER).qr.status is QrStatus.NOT_SCANNED


def test_photo_without_qr_says_so() -> None:
    photo = builders.document_photo("clean", 0, "card_back")
    assert check_photo(photo, SlotKind.ID_CARD).qr.status is QrStatus.NOT_FOUND
