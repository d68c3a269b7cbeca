"""A data-subject request's life as one pure transition table.

`received → acknowledged → completed`. An officer (or admin) acknowledges a received request
(the resident is told it is being handled, and by when it will be done) and completes it with a
note the resident reads. Completing a request not yet acknowledged acknowledges it at the same
moment: the answer meets both clocks, and the resident is told once. Nothing leaves
`completed`. Who may act is the policy's question (intake/staff: `data_requests`).
"""

from __future__ import annotations

from enum import StrEnum

from storage.states import DataRequestState

__all__ = ["MAX_DETAILS", "MAX_NOTE", "RequestAction", "RequestRefusal", "transition"]

MAX_DETAILS = 1000  # characters of the resident's words (a correction)
MAX_NOTE = 1000  # characters of the officer's answer

S = DataRequestState


class RequestAction(StrEnum):
    ACKNOWLEDGE = "acknowledge"
    COMPLETE = "complete"


class RequestRefusal(StrEnum):
    """Why a step cannot be taken; each value is the catalog key that says so."""

    ALREADY_ACKNOWLEDGED = "requests.already_acknowledged"
    ALREADY_COMPLETED = "requests.already_completed"


_TABLE: dict[tuple[DataRequestState, RequestAction], DataRequestState | RequestRefusal] = {
    (S.RECEIVED, RequestAction.ACKNOWLEDGE): S.ACKNOWLEDGED,
    (S.ACKNOWLEDGED, RequestAction.ACKNOWLEDGE): RequestRefusal.ALREADY_ACKNOWLEDGED,
    (S.COMPLETED, RequestAction.ACKNOWLEDGE): RequestRefusal.ALREADY_COMPLETED,
    (S.RECEIVED, RequestAction.COMPLETE): S.COMPLETED,
    (S.ACKNOWLEDGED, RequestAction.COMPLETE): S.COMPLETED,
    (S.COMPLETED, RequestAction.COMPLETE): RequestRefusal.ALREADY_COMPLETED,
}


def transition(
    state: DataRequestState, action: RequestAction
) -> DataRequestState | RequestRefusal:
    """The state `action` leads to from `state`, or why it cannot be taken."""
    return _TABLE[(state, action)]
