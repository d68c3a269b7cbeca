"""A request's life as a table, and its buttons' codec: every press round-trips, fits
Telegram's 64 bytes, and anything forged or foreign is refused."""

from __future__ import annotations

import pytest

from intake.chat import MAX_CALLBACK_BYTES
from intake.requests import (
    AskRequest,
    DropAsk,
    ListRequests,
    OpenRequest,
    RequestAcknowledge,
    RequestAction,
    RequestDone,
    RequestRefusal,
    parse_resident,
    parse_staff,
    resident_data,
    staff_data,
    transition,
)
from intake.staff import parse as parse_staff_button
from storage.states import DataRequestKind, DataRequestState

S, A = DataRequestState, RequestAction


@pytest.mark.parametrize(
    ("state", "action", "result"),
    [
        (S.RECEIVED, A.ACKNOWLEDGE, S.ACKNOWLEDGED),
        (S.RECEIVED, A.COMPLETE, S.COMPLETED),  # the answer acknowledges too
        (S.ACKNOWLEDGED, A.COMPLETE, S.COMPLETED),
        (S.ACKNOWLEDGED, A.ACKNOWLEDGE, RequestRefusal.ALREADY_ACKNOWLEDGED),
        (S.COMPLETED, A.ACKNOWLEDGE, RequestRefusal.ALREADY_COMPLETED),
        (S.COMPLETED, A.COMPLETE, RequestRefusal.ALREADY_COMPLETED),
    ],
)
def test_lifecycle(
    state: DataRequestState, action: RequestAction, result: DataRequestState | RequestRefusal
) -> None:
    assert transition(state, action) == result


def test_every_state_and_action_is_in_the_table() -> None:
    for state in S:
        for action in A:
            assert transition(state, action) is not None


RESIDENT = [
    AskRequest(DataRequestKind.COPY),
    AskRequest(DataRequestKind.CORRECTION),
    AskRequest(DataRequestKind.COPY, 24175),
    AskRequest(DataRequestKind.CORRECTION, 999_999_999),
    DropAsk(),
]
STAFF = [
    ListRequests(),
    OpenRequest("YC-7Q3K9"),
    RequestAcknowledge("YC-7Q3K9"),
    RequestDone("YCXX-ABCDEFGHJK"),
]


@pytest.mark.parametrize("press", RESIDENT, ids=repr)
def test_resident_presses_round_trip(press: object) -> None:
    data = resident_data(press)  # type: ignore[arg-type]
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert parse_resident(data) == press
    assert parse_staff(data) is None


@pytest.mark.parametrize("press", STAFF, ids=repr)
def test_staff_presses_round_trip(press: object) -> None:
    data = staff_data(press)  # type: ignore[arg-type]
    assert data.startswith("s:dr:")  # the staff desk's, under its prefix
    assert len(data.encode()) <= MAX_CALLBACK_BYTES
    assert parse_staff(data) == press
    assert parse_resident(data) is None
    assert parse_staff_button(data) is None  # the staff codec does not take it for its own


@pytest.mark.parametrize(
    "data",
    [
        "dr:",
        "dr:z",
        "dr:c:0",  # no commune has id 0
        "dr:c:-1",
        "dr:c:abc",
        "dr:c:1234567890",  # too long for an id
        "dr:f:1:2",
        "dr:x:1",
        "s:dr:",
        "s:dr:l:1",
        "s:dr:a",
        "s:dr:a:yc-7q3k9",  # codes are upper case
        "s:dr:a:YC-7Q3K9:1",
        "s:dr:z:YC-7Q3K9",
        "s:dr:o:" + "Y" * 60,
        "s:o:YC-7Q3K9",
        "consent:yes",
    ],
)
def test_forged_or_foreign_data_is_refused(data: str) -> None:
    assert parse_resident(data) is None
    assert parse_staff(data) is None
