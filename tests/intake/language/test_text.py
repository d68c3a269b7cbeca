"""Text helpers: NFC, accent-insensitive search keys, CCCD validation."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from intake.language import CccdProblem, InvalidCccd, nfc, parse_cccd, search_key

TODAY = date(2026, 11, 21)


@pytest.mark.parametrize(
    "text",
    [
        "Hòa Phú",
        "Hoà Phú",  # old-style tone placement
        unicodedata.normalize("NFD", "Hòa Phú"),
        "hoa phu",
        "  HÒA   PHÚ ",
        "Hoa-Phu",
    ],
)
def test_search_key_matches_all_spellings(text: str) -> None:
    assert search_key(text) == "hoa phu"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("Đắk Lắk", "dak lak"),
        ("đường Đỗ", "duong do"),
        ("Krông Pắc", "krong pac"),
        ("Cư Kuin", "cu kuin"),
        ("Buôn Ma Thuột", "buon ma thuot"),
        ("Thôn 3", "thon 3"),
    ],
)
def test_search_key_examples(text: str, key: str) -> None:
    assert search_key(text) == key


def test_nfc_composes_and_collapses_spaces() -> None:
    decomposed = unicodedata.normalize("NFD", "Nguyễn  Văn\tAn ")
    assert nfc(decomposed) == "Nguyễn Văn An"
    assert unicodedata.is_normalized("NFC", nfc(decomposed))


@pytest.mark.parametrize(
    ("raw", "year", "female"),
    [
        ("066190012345", 1990, True),
        ("066 090 012 345", 1990, False),
        ("066.190.012.345", 1990, True),
        ("001301012345", 2001, True),
        ("079045123456", 1945, False),
        ("０６６１９００１２３４５", 1990, True),  # full-width digits from some keyboards
        ("096226000001", 2026, False),
    ],
)
def test_valid_cccd(raw: str, year: int, female: bool) -> None:
    cccd = parse_cccd(raw, today=TODAY)
    assert cccd.birth_year == year
    assert cccd.female is female
    assert len(cccd.number) == 12
    assert cccd.number not in repr(cccd)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", CccdProblem.NOT_12_DIGITS),
        ("06619001234", CccdProblem.NOT_12_DIGITS),
        ("0661900123456", CccdProblem.NOT_12_DIGITS),
        ("06619001234a", CccdProblem.NOT_12_DIGITS),
        ("003190012345", CccdProblem.UNKNOWN_PROVINCE),
        ("099190012345", CccdProblem.UNKNOWN_PROVINCE),
        ("066490012345", CccdProblem.BAD_CENTURY),
        ("066990012345", CccdProblem.BAD_CENTURY),
        ("066299012345", CccdProblem.IMPLAUSIBLE_BIRTH_YEAR),  # born 2099
        ("066227012345", CccdProblem.IMPLAUSIBLE_BIRTH_YEAR),  # born 2027, after today
    ],
)
def test_invalid_cccd(raw: str, problem: CccdProblem) -> None:
    with pytest.raises(InvalidCccd) as caught:
        parse_cccd(raw, today=TODAY)
    assert caught.value.problem is problem
