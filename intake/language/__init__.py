"""Words: the message catalog and `render` (by audience: resident, staff, admin), Vietnamese
text helpers (NFC, accent-insensitive search keys, valid Unicode, Vietnam's time) and the rules
of a CCCD number."""

from intake.language._cccd import CCCD_PROVINCE_CODES, Cccd, CccdProblem, InvalidCccd, parse_cccd
from intake.language._languages import Language, language_of
from intake.language._render import CATALOG, PARTS, placeholders, render
from intake.language._text import VIETNAM, nfc, search_key, valid_text

__all__ = [
    "CATALOG",
    "CCCD_PROVINCE_CODES",
    "PARTS",
    "VIETNAM",
    "Cccd",
    "CccdProblem",
    "InvalidCccd",
    "Language",
    "language_of",
    "nfc",
    "parse_cccd",
    "placeholders",
    "render",
    "search_key",
    "valid_text",
]
