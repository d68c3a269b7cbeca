"""Finding submissions by what staff type: a household name (accent-insensitive, any part), a
receipt code, a CCCD number (12 digits, found through the blind index, and only for those who may
see ID numbers: a match would tell it), or a parcel as "sheet/parcel" or either number alone.
The console's search box and the Telegram staff desk read a text the same way.

A name is encrypted, so the database cannot compare it: the place's names are read, opened and
compared here (`matching`, in a worker thread), and the query narrowed to the ids that matched.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace

from intake.language import nfc, search_key
from storage.deps import Deps
from storage.repositories.queue import QueueQuery

__all__ = ["MAX_SEARCH", "Search", "matching", "narrowed", "read_search"]

MAX_SEARCH = 100  # characters: a name, a receipt or a parcel is far shorter

_RECEIPT = re.compile(r"^[A-Z]{1,4}-[A-Z0-9]{4,10}$")
_PARCEL = re.compile(r"^(\d{1,6})\s*/\s*(\d{1,6})$")
_NUMBER = re.compile(r"^\d{1,6}$")
_CCCD = re.compile(r"^\d{12}$")


@dataclass(frozen=True, slots=True)
class Search:
    """What a search text may be: each part is tried, and a submission matching any is found."""

    name: str | None  # the search key of a name (or part of one)
    receipt: str | None
    cccd: str | None
    map_sheet: str | None
    parcel_no: str | None


def read_search(text: str) -> Search | None:
    """How to look for `text`; None for an empty search."""
    text = nfc(text).strip()
    if not text:
        return None
    upper = text.upper()
    receipt = upper if _RECEIPT.fullmatch(upper) else None
    digits = text.replace(" ", "").replace(".", "")
    cccd = digits if _CCCD.fullmatch(digits) else None
    sheet = parcel = None
    if match := _PARCEL.fullmatch(text):
        sheet, parcel = match.group(1), match.group(2)
    elif _NUMBER.fullmatch(text):
        parcel = text
    key = search_key(text)
    name = key if any(c.isalpha() for c in key) and receipt is None else None
    return Search(name=name, receipt=receipt, cccd=cccd, map_sheet=sheet, parcel_no=parcel)


def matching(
    deps: Deps, names: Sequence[tuple[uuid.UUID, bytes]], key: str
) -> frozenset[uuid.UUID]:
    """The submissions whose opened name contains the search key (accent-insensitive); `names`
    are (id, encrypted holder name) pairs. CPU work: run it in a worker thread."""
    found = set()
    for submission_id, encrypted in names:
        name = deps.fields.decrypt(
            encrypted, table="submission", column="holder_name_enc", row=submission_id
        )
        if key in search_key(name):
            found.add(submission_id)
    return frozenset(found)


def narrowed(
    deps: Deps,
    query: QueueQuery,
    search: Search,
    matched: frozenset[uuid.UUID] | None,
    *,
    show_ids: bool,
) -> QueueQuery:
    """`query` narrowed to what `search` finds; `matched`: the ids whose names matched (None
    when the search has no name part)."""
    return replace(
        query,
        receipt=search.receipt,
        cccd_index=deps.blind.cccd(search.cccd) if search.cccd and show_ids else None,
        map_sheet=search.map_sheet,
        parcel_no=search.parcel_no,
        ids=matched,
        searched=True,
    )
