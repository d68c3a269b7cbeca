"""CCCD (citizen ID card) numbers: what a valid one looks like.

A CCCD number has 12 digits: a 3-digit birth-registration province code, a century/gender digit
(0/1 → born 1900-1999 male/female, 2/3 → 2000-2099, 4/5 → 2100-2199, …) and the last two digits
of the birth year, then a 6-digit serial. The province codes are those of the 63 provinces before
the 2025 merger; the 34 merged provinces kept one of those codes, so the set stays valid.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

__all__ = ["CCCD_PROVINCE_CODES", "Cccd", "CccdProblem", "InvalidCccd", "parse_cccd"]

# Birth-registration province codes (Circular 07/2016/TT-BCA, the 63 pre-2025 provinces).
# fmt: off
CCCD_PROVINCE_CODES: frozenset[str] = frozenset([
    "001", "002", "004", "006", "008", "010", "011", "012", "014", "015", "017", "019", "020",
    "022", "024", "025", "026", "027", "030", "031", "033", "034", "035", "036", "037", "038",
    "040", "042", "044", "045", "046", "048", "049", "051", "052", "054", "056", "058", "060",
    "062", "064", "066", "067", "068", "070", "072", "074", "075", "077", "079", "080", "082",
    "083", "084", "086", "087", "089", "091", "092", "093", "094", "095", "096",
])
# fmt: on

_CCCD_SEPARATORS = re.compile(r"[\s.\-]")
_EARLIEST_BIRTH_YEAR = 1900


class CccdProblem(StrEnum):
    """Why a CCCD number was refused."""

    NOT_12_DIGITS = "not_12_digits"
    UNKNOWN_PROVINCE = "unknown_province"
    BAD_CENTURY = "bad_century"
    IMPLAUSIBLE_BIRTH_YEAR = "implausible_birth_year"


class InvalidCccd(ValueError):
    """A CCCD number that fails validation; `problem` says which rule."""

    def __init__(self, problem: CccdProblem) -> None:
        super().__init__(f"invalid CCCD number: {problem.value}")
        self.problem = problem


@dataclass(frozen=True, slots=True)
class Cccd:
    """A validated 12-digit CCCD number and what it encodes."""

    number: str
    province_code: str
    birth_year: int
    female: bool

    def __repr__(self) -> str:  # keep ID numbers out of logs and tracebacks
        return "Cccd(***)"

    __str__ = __repr__


def parse_cccd(raw: str, *, today: date | None = None) -> Cccd:
    """Validate a CCCD number typed or read by a person (spaces, dots and dashes are ignored)."""
    digits = _CCCD_SEPARATORS.sub("", unicodedata.normalize("NFKC", raw))
    if len(digits) != 12 or not digits.isascii() or not digits.isdigit():
        raise InvalidCccd(CccdProblem.NOT_12_DIGITS)
    province = digits[:3]
    if province not in CCCD_PROVINCE_CODES:
        raise InvalidCccd(CccdProblem.UNKNOWN_PROVINCE)
    century_gender = int(digits[3])
    birth_year = 1900 + 100 * (century_gender // 2) + int(digits[4:6])
    current_year = (today or date.today()).year  # noqa: DTZ011 — a calendar year, zone-free
    if birth_year > current_year + 1 and century_gender >= 4:
        raise InvalidCccd(CccdProblem.BAD_CENTURY)
    if not _EARLIEST_BIRTH_YEAR <= birth_year <= current_year:
        raise InvalidCccd(CccdProblem.IMPLAUSIBLE_BIRTH_YEAR)
    return Cccd(
        number=digits,
        province_code=province,
        birth_year=birth_year,
        female=century_gender % 2 == 1,
    )
