"""The queue's filter as it lives in the URL (pure): read from a query string, written back
into links, so that a filtered queue can be shared with a colleague and every link on a page
keeps it.

`village`: "" every village, "none" the commune's triage queue (no village yet), or a village
id. `state`: "" the open ones (everything not closed), "all", or one state. `order`: "oldest"
(default: first come, first served) or "newest". `q`: a search text, read by
`intake.submissions.read_search` as in Telegram. `from`, `to`: the first and last Vietnam
calendar days of submission (YYYY-MM-DD, as a date field sends them), both included.
`commune`: for a province admin, which commune. The exports take the same filter.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from urllib.parse import urlencode

from intake.language import VIETNAM, nfc
from intake.submissions import MAX_SEARCH
from storage.states import SubmissionState

__all__ = ["PAGE_SIZE", "FilterError", "QueueFilter", "end_of", "read_days", "start_of"]

PAGE_SIZE = 25
_MAX_PAGE = 100_000


class FilterError(ValueError):
    """A query string the queue cannot read; `key` is the message to show."""

    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


@dataclass(frozen=True, slots=True)
class QueueFilter:
    village: str = ""
    state: str = ""
    order: str = "oldest"
    q: str = ""
    page: int = 0
    commune: int | None = None
    since: date | None = None
    until: date | None = None

    @classmethod
    def read(cls, query: Mapping[str, str]) -> QueueFilter:
        """The filter of a query string; FilterError for a value no link of ours makes."""
        village = query.get("village", "")
        if village not in ("", "none") and not (village.isdigit() and len(village) < 10):
            raise FilterError("console.bad_filter")
        state = query.get("state", "")
        if state not in ("", "all") and state not in {s.value for s in SubmissionState}:
            raise FilterError("console.bad_filter")
        order = query.get("order", "oldest") or "oldest"
        if order not in ("oldest", "newest"):
            raise FilterError("console.bad_filter")
        q = nfc(query.get("q", ""))
        if len(q) > MAX_SEARCH:
            raise FilterError("console.search_too_long")
        page_text = query.get("page", "0") or "0"
        if not page_text.isdigit() or int(page_text) > _MAX_PAGE:
            raise FilterError("console.bad_filter")
        commune_text = query.get("commune", "")
        if commune_text and not (commune_text.isdigit() and len(commune_text) < 10):
            raise FilterError("console.bad_filter")
        since, until = read_days(query, problem="console.bad_filter")
        return cls(
            since=since,
            until=until,
            village=village,
            state=state,
            order=order,
            q=q,
            page=int(page_text),
            commune=int(commune_text) if commune_text else None,
        )

    def params(self, **changes: object) -> dict[str, str]:
        """The non-default parts, as a query string's parameters (with `changes` applied)."""
        changed = replace(self, **changes)  # type: ignore[arg-type]
        given = {
            "commune": "" if changed.commune is None else str(changed.commune),
            "village": changed.village,
            "state": changed.state,
            "order": "" if changed.order == "oldest" else changed.order,
            "q": changed.q,
            "from": changed.since.isoformat() if changed.since else "",
            "to": changed.until.isoformat() if changed.until else "",
            "page": "" if changed.page == 0 else str(changed.page),
        }
        return {name: value for name, value in given.items() if value}

    def query(self, **changes: object) -> str:
        """`?…` for a link to the queue with this filter (and `changes`), or ""."""
        params = self.params(**changes)
        return "?" + urlencode(params) if params else ""

    @property
    def village_id(self) -> int | None:
        return int(self.village) if self.village.isdigit() else None

    @property
    def triage(self) -> bool:
        return self.village == "none"

    @property
    def states(self) -> tuple[SubmissionState, ...] | None:
        """None: the open ones; otherwise the states asked for."""
        if self.state == "":
            return None
        if self.state == "all":
            return tuple(SubmissionState)
        return (SubmissionState(self.state),)


_YEARS = range(2000, 2101)  # a day of the campaign, give or take: no date arithmetic overflows


def read_days(query: Mapping[str, str], *, problem: str) -> tuple[date | None, date | None]:
    """The `from` and `to` days of a query string (`YYYY-MM-DD`, as a date field sends them;
    empty: none): FilterError(`problem`) for anything else, `console.bad_dates` when the first
    comes after the last."""
    since, until = _day(query.get("from", ""), problem), _day(query.get("to", ""), problem)
    if since is not None and until is not None and since > until:
        raise FilterError("console.bad_dates")
    return since, until


def start_of(day: date | None) -> datetime | None:
    """The first moment of a Vietnam calendar day, or None."""
    return datetime.combine(day, time.min, VIETNAM) if day else None


def end_of(day: date | None) -> datetime | None:
    """The first moment after a Vietnam calendar day, or None."""
    return start_of(day + timedelta(days=1)) if day else None


def _day(text: str, problem: str) -> date | None:
    if not text:
        return None
    try:
        if len(text) == 10 and (day := date.fromisoformat(text)).year in _YEARS:
            return day
    except ValueError:
        pass
    raise FilterError(problem)
