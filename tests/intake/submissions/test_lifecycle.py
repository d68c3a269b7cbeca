"""The review lifecycle as a table: every state × every action × every party, allowed (and to
which state) or refused (and why); and "complete" by the certificate's status."""

from __future__ import annotations

import pytest

from intake.submissions import (
    CLOSED,
    FIRST_STATE,
    Party,
    Refusal,
    ReviewAction,
    Transition,
    is_complete,
    transition,
)
from storage.states import CertificateStatus, SubmissionState

STATES = {
    "sub": SubmissionState.SUBMITTED,
    "rev": SubmissionState.IN_REVIEW,
    "ni": SubmissionState.NEEDS_INFO,
    "back": SubmissionState.RESUBMITTED,
    "acc": SubmissionState.ACCEPTED,
    "rej": SubmissionState.REJECTED,
    "wd": SubmissionState.WITHDRAWN,
}
REFUSALS = {"-": Refusal.NOT_NOW, "x": Refusal.NOT_YOURS, "k": Refusal.ACCEPTED_KEPT}

# A state's abbreviation: allowed, leading there · "-" not in this state · "x" never this
# party's · "k" withdrawing what is in the land system (its documents are kept)
TABLE = """
# action    party       sub   rev   ni    back  acc   rej   wd
open        reviewer    rev   -     -     rev   -     -     -
accept      reviewer    acc   acc   acc   acc   -     -     -
ask_info    reviewer    ni    ni    -     ni    -     -     -
reject      reviewer    rej   rej   rej   rej   -     -     -
assign      reviewer    sub   rev   ni    back  -     -     -
resubmit    reviewer    x     x     x     x     x     x     x
withdraw    reviewer    x     x     x     x     x     x     x

open        resident    x     x     x     x     x     x     x
accept      resident    x     x     x     x     x     x     x
ask_info    resident    x     x     x     x     x     x     x
reject      resident    x     x     x     x     x     x     x
assign      resident    x     x     x     x     x     x     x
resubmit    resident    -     -     back  -     -     -     -
withdraw    resident    wd    wd    wd    wd    k     -     -

open        chief       x     x     x     x     x     x     x
accept      chief       x     x     x     x     x     x     x
ask_info    chief       x     x     x     x     x     x     x
reject      chief       x     x     x     x     x     x     x
assign      chief       x     x     x     x     x     x     x
resubmit    chief       x     x     x     x     x     x     x
withdraw    chief       x     x     x     x     x     x     x
"""


def _rows() -> dict[tuple[ReviewAction, Party], list[str]]:
    rows: dict[tuple[ReviewAction, Party], list[str]] = {}
    for line in TABLE.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        action, party, *codes = line.split()
        key = (ReviewAction(action), Party(party))
        assert key not in rows, key
        assert len(codes) == len(STATES), line
        rows[key] = codes
    return rows


ROWS = _rows()
CASES = [
    pytest.param(action, party, state, code, id=f"{action}-{party}-{name}")
    for (action, party), codes in ROWS.items()
    for (name, state), code in zip(STATES.items(), codes, strict=True)
]


def test_the_table_covers_every_action_party_and_state() -> None:
    assert set(ROWS) == {(a, p) for a in ReviewAction for p in Party}
    assert set(STATES.values()) == set(SubmissionState)


@pytest.mark.parametrize(("action", "party", "state", "code"), CASES)
def test_lifecycle(action: ReviewAction, party: Party, state: SubmissionState, code: str) -> None:
    expected = REFUSALS.get(code) or Transition(STATES[code])
    assert transition(state, action, party) == expected


def test_a_submission_starts_submitted_and_nothing_leaves_a_closed_state() -> None:
    assert FIRST_STATE is SubmissionState.SUBMITTED
    for state in CLOSED:
        for action in ReviewAction:
            for party in Party:
                assert isinstance(transition(state, action, party), Refusal)


@pytest.mark.parametrize(
    ("status", "slots_in", "complete"),
    [
        (CertificateStatus.HELD, [], False),
        (CertificateStatus.HELD, ["cccd_front", "cccd_back", "cert_cover"], False),
        (CertificateStatus.HELD, ["cccd_front", "cccd_back", "cert_cover", "cert_owner"], True),
        (CertificateStatus.AT_BANK, ["cccd_front", "cccd_back"], True),  # receipt optional
        (CertificateStatus.LOST, ["cccd_front"], False),
        (CertificateStatus.NEVER_ISSUED, ["cccd_back", "cccd_front", "other_paper"], True),
    ],
)
def test_complete_means_every_required_slot_has_a_document(
    status: CertificateStatus, slots_in: list[str], complete: bool
) -> None:
    assert is_complete(status, slots_in) is complete
