"""The review lifecycle as one pure transition table (DESIGN.md "Review states").

`submitted → in_review → needs_info ⇄ resubmitted → accepted | rejected`, and `withdrawn`. A draft
becomes `submitted` when the resident sends it (`FIRST_STATE`). Who may act on which submission
is the policy's question (intake/staff); this table answers what each party may do in each
state, and to which state it leads:

- a **reviewer** (an officer or admin whose scope it is) opens a waiting submission (submitted
  or resubmitted: it goes in review), accepts it (entered into the land system) or rejects it
  while it is not closed, asks for information while it waits or is in review, and assigns or
  re-routes its village while it is not closed (its state stays);
- the **resident** (or the chief who submitted for them) resubmits a submission that needs
  information, once every page asked for is in, and withdraws one that is not closed; an
  accepted one cannot be withdrawn (it is in the land system: its documents are kept);
- a **chief** changes no review state.

Every refusal has its reason. "Complete" — every required slot of the certificate's status has
a document — is computed here and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from intake.flow import slots_for
from storage.states import CertificateStatus, SubmissionState

__all__ = [
    "CLOSED",
    "FIRST_STATE",
    "Party",
    "Refusal",
    "ReviewAction",
    "Transition",
    "all_slots",
    "is_complete",
    "required_slots",
    "transition",
]

S = SubmissionState
FIRST_STATE = S.SUBMITTED
CLOSED = frozenset({S.ACCEPTED, S.REJECTED, S.WITHDRAWN})
_WAITING = frozenset({S.SUBMITTED, S.RESUBMITTED})
_IN_HAND = frozenset({S.SUBMITTED, S.IN_REVIEW, S.RESUBMITTED})


class ReviewAction(StrEnum):
    OPEN = "open"  # a waiting submission goes in review
    ACCEPT = "accept"  # entered into the land system
    ASK_INFO = "ask_info"  # a page is missing or unreadable
    REJECT = "reject"
    ASSIGN = "assign"  # its village chosen or changed
    RESUBMIT = "resubmit"  # every page asked for is in
    WITHDRAW = "withdraw"


class Party(StrEnum):
    REVIEWER = "reviewer"
    RESIDENT = "resident"
    CHIEF = "chief"


class Refusal(StrEnum):
    NOT_YOURS = "not_yours"  # this party never does this
    NOT_NOW = "not_now"  # not in this state
    ACCEPTED_KEPT = "accepted_kept"  # withdrawing an accepted submission


@dataclass(frozen=True, slots=True)
class Transition:
    """An allowed change: the state it leads to (the same one for an assignment)."""

    to: SubmissionState


# (action, party) → {state it may be done in: state it leads to}
_TABLE: dict[tuple[ReviewAction, Party], dict[SubmissionState, SubmissionState]] = {
    (ReviewAction.OPEN, Party.REVIEWER): dict.fromkeys(_WAITING, S.IN_REVIEW),
    (ReviewAction.ACCEPT, Party.REVIEWER): dict.fromkeys(_IN_HAND | {S.NEEDS_INFO}, S.ACCEPTED),
    (ReviewAction.ASK_INFO, Party.REVIEWER): dict.fromkeys(_IN_HAND, S.NEEDS_INFO),
    (ReviewAction.REJECT, Party.REVIEWER): dict.fromkeys(_IN_HAND | {S.NEEDS_INFO}, S.REJECTED),
    (ReviewAction.ASSIGN, Party.REVIEWER): {s: s for s in S if s not in CLOSED},
    (ReviewAction.RESUBMIT, Party.RESIDENT): {S.NEEDS_INFO: S.RESUBMITTED},
    (ReviewAction.WITHDRAW, Party.RESIDENT): dict.fromkeys(
        (s for s in S if s not in CLOSED), S.WITHDRAWN
    ),
}


def transition(state: SubmissionState, action: ReviewAction, party: Party) -> Transition | Refusal:
    """What `party` doing `action` to a submission in `state` leads to, or why not."""
    allowed = _TABLE.get((action, party))
    if allowed is None:
        return Refusal.NOT_YOURS
    if state in allowed:
        return Transition(allowed[state])
    if action is ReviewAction.WITHDRAW and state is S.ACCEPTED:
        return Refusal.ACCEPTED_KEPT
    return Refusal.NOT_NOW


def required_slots(status: CertificateStatus) -> list[str]:
    return [rule.slot.value for rule in slots_for(status) if rule.required]


def all_slots(status: CertificateStatus) -> list[str]:
    return [rule.slot.value for rule in slots_for(status)]


def is_complete(status: CertificateStatus, slots_in: Iterable[str]) -> bool:
    """Whether every required slot of the certificate's status has a document."""
    return set(required_slots(status)) <= set(slots_in)
