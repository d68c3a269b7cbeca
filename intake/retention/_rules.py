"""What retention may destroy and when (pure: plain values in, decisions out).

- **Only accepted and rejected submissions are ever purged** (`PURGED_STATES`). A submission
  still waiting, in review, needing information or resubmitted keeps its documents however old
  it is, whatever `HOSO_RETENTION_DAYS` says; a withdrawn one lost its documents when it was
  withdrawn. No setting reaches past this set: the repository's query takes it from here, and
  the purge checks every claimed row against `purgeable` again.
- **When**: a decision (the submission entering accepted or rejected) made on a Vietnam calendar
  day D is purged from day D + N + 1 on (`cutoff`): its documents are kept N whole days after
  the day of the decision. Every run of one day uses the same cutoff, so a second run that day
  (another process, a restart, the CLI) finds nothing more.
- **A resident with nothing left to keep** (`erasable`): no draft in progress, and every
  submission of their own is done with (`done_with`): withdrawn, or accepted/rejected and past
  the cutoff. Their submissions' identity fields are then erased. A submission a chief made for
  a household (/assist) is the household's, not the chief's: its fields go as soon as it
  itself is done with (`done_with`), whatever else the chief's account holds.
- **Held for a data-subject request** (`HOLDING_REQUESTS`): while a resident has a request
  open (received or acknowledged) to a commune, their own submissions in that commune are
  neither purged nor erased, whatever their age (the copy or the correction needs them); once
  the request is completed they are due again, and the next run takes them. The repository's
  queries leave them out, so a held submission never takes a place in a run's batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from intake.language import VIETNAM
from storage.states import DataRequestState, SubmissionState

__all__ = [
    "FINAL_STATES",
    "HOLDING_REQUESTS",
    "MAX_DAYS",
    "PURGED_STATES",
    "RETENTION_HOUR",
    "Held",
    "cutoff",
    "done_with",
    "due",
    "erasable",
    "purgeable",
]

S = SubmissionState
# The only states whose documents retention destroys: the submission is decided (entered into
# the land system, or refused) and its documents have served their purpose.
PURGED_STATES = frozenset({S.ACCEPTED, S.REJECTED})
# The states a submission never leaves (the lifecycle's CLOSED): only a submission in one of
# them can be done with.
FINAL_STATES = PURGED_STATES | {S.WITHDRAWN}
# The states of a data-subject request (intake/requests) that hold what it may need.
HOLDING_REQUESTS = frozenset({DataRequestState.RECEIVED, DataRequestState.ACKNOWLEDGED})
RETENTION_HOUR = 2  # Vietnam time: the nightly run, when nobody is reviewing
MAX_DAYS = 3650  # the configuration's bound (bot/config.py)


def purgeable(state: SubmissionState) -> bool:
    """Whether retention may ever destroy the documents of a submission in `state`."""
    return state in PURGED_STATES


def cutoff(now: datetime, days: int) -> datetime:
    """Decisions made before this moment are old enough: the start (Vietnam time) of the day
    `days` days before `now`'s day. A retention of less than a day is refused."""
    if not 1 <= days <= MAX_DAYS:
        raise ValueError(f"retention must be 1 to {MAX_DAYS} days, not {days}")
    day = now.astimezone(VIETNAM).date() - timedelta(days=days)
    return datetime.combine(day, time(0), VIETNAM).astimezone(UTC)


def due(now: datetime, hour: int, done_on: date | None) -> date | None:
    """The Vietnam day to run for, if the run is due at `now` (its hour has come and it has
    not run that day yet); else None."""
    local = now.astimezone(VIETNAM)
    if local.hour < hour or done_on == local.date():
        return None
    return local.date()


@dataclass(frozen=True, slots=True)
class Held:
    """One submission as retention sees it: its state and, once accepted or rejected, when."""

    state: SubmissionState
    decided_at: datetime | None = None


def done_with(held: Held, before: datetime) -> bool:
    """Whether a submission holds nothing left to keep: withdrawn (its documents went then), or
    accepted/rejected before the cutoff `before` (its documents go in this run)."""
    if held.state is S.WITHDRAWN:
        return True
    return purgeable(held.state) and held.decided_at is not None and held.decided_at < before


def erasable(own: Iterable[Held], *, has_draft: bool, before: datetime) -> bool:
    """Whether a resident has nothing left to keep: no draft in progress and every submission
    of their own done with (a resident with no submission has no fields to erase)."""
    held = list(own)
    return bool(held) and not has_draft and all(done_with(h, before) for h in held)
