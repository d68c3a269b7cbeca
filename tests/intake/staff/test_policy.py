"""The staff policy as a table: every actor × every action × every kind of place.

The world: province 1 with communes 10 (villages 100, 101) and 11 (village 110); province 2 with
commune 20 (village 200). The actors: an admin of province 1, an officer of commune 10, the chief
of village 100, someone who is not staff (a resident, a revoked member, a forged button) and an
admin of province 2.
"""

from __future__ import annotations

import pytest

from intake.staff import Action, Decision, StaffActor, Subject, decide
from storage.states import StaffRole

ACTORS: dict[str, StaffActor | None] = {
    "admin": StaffActor(1, StaffRole.ADMIN, 1, None, None),
    "officer": StaffActor(2, StaffRole.OFFICER, 1, 10, None),
    "chief": StaffActor(3, StaffRole.CHIEF, 1, 10, 100),
    "not_staff": None,
    "foreign_admin": StaffActor(4, StaffRole.ADMIN, 2, None, None),
}

# The table's columns, in order.
SCOPES: dict[str, Subject] = {
    "own_village": Subject(1, 10, 100),  # the chief's village
    "other_village": Subject(1, 10, 101),  # another village of commune 10
    "triage": Subject(1, 10, None),  # commune 10's triage queue: no village yet
    "other_commune": Subject(1, 11, 110),  # same province
    "other_province": Subject(2, 20, 200),
    "province": Subject(1),  # province 1 as a whole: the admins' commune list and progress
}

CODES = {
    "Y": Decision.ALLOWED,
    "S": Decision.OUT_OF_SCOPE,
    "R": Decision.NOT_YOUR_ROLE,
    "N": Decision.NOT_STAFF,
}

# Y allowed · S out of scope · R not your role · N not staff
TABLE = """
# actor         action            own   other triage other other whole
#                                 vill. vill.       comm. prov. prov.
admin           view_queue        Y     Y     Y     Y     S     Y
admin           view_submission   Y     Y     Y     Y     S     Y
admin           view_id_numbers   Y     Y     Y     Y     S     Y
admin           view_documents    Y     Y     Y     Y     S     Y
admin           export            Y     Y     Y     Y     S     Y
admin           review            Y     Y     Y     Y     S     Y
admin           assign            Y     Y     Y     Y     S     Y
admin           view_progress     Y     Y     Y     Y     S     Y
admin           receive_report    Y     Y     Y     Y     S     Y
admin           assist            Y     Y     Y     Y     S     Y
admin           invite_chief      Y     Y     Y     Y     S     Y
admin           invite_officer    Y     Y     Y     Y     S     Y
admin           invite_admin      Y     Y     Y     Y     S     Y
admin           settings          Y     Y     Y     Y     S     Y
admin           view_audit        Y     Y     Y     Y     S     Y
admin           data_requests     Y     Y     Y     Y     S     Y

officer         view_queue        Y     Y     Y     S     S     S
officer         view_submission   Y     Y     Y     S     S     S
officer         view_id_numbers   Y     Y     Y     S     S     S
officer         view_documents    Y     Y     Y     S     S     S
officer         export            Y     Y     Y     S     S     S
officer         review            Y     Y     Y     S     S     S
officer         assign            Y     Y     Y     S     S     S
officer         view_progress     Y     Y     Y     S     S     S
officer         receive_report    Y     Y     Y     S     S     S
officer         assist            Y     Y     Y     S     S     S
officer         invite_chief      Y     Y     Y     S     S     S
officer         invite_officer    Y     Y     Y     S     S     S
officer         invite_admin      R     R     R     R     S     R
officer         settings          Y     Y     Y     S     S     S
officer         view_audit        Y     Y     Y     S     S     S
officer         data_requests     Y     Y     Y     S     S     S

chief           view_queue        Y     S     S     S     S     S
chief           view_submission   Y     S     S     S     S     S
chief           view_id_numbers   R     R     R     R     S     R
chief           view_documents    R     R     R     R     S     R
chief           export            R     R     R     R     S     R
chief           review            R     R     R     R     S     R
chief           assign            R     R     R     R     S     R
chief           view_progress     Y     S     S     S     S     S
chief           receive_report    R     R     R     R     S     R
chief           assist            Y     S     S     S     S     S
chief           invite_chief      R     R     R     R     S     R
chief           invite_officer    R     R     R     R     S     R
chief           invite_admin      R     R     R     R     S     R
chief           settings          Y     Y     Y     Y     S     Y
chief           view_audit        R     R     R     R     S     R
chief           data_requests     R     R     R     R     S     R

not_staff       view_queue        N     N     N     N     N     N
not_staff       view_submission   N     N     N     N     N     N
not_staff       view_id_numbers   N     N     N     N     N     N
not_staff       view_documents    N     N     N     N     N     N
not_staff       export            N     N     N     N     N     N
not_staff       review            N     N     N     N     N     N
not_staff       assign            N     N     N     N     N     N
not_staff       view_progress     N     N     N     N     N     N
not_staff       receive_report    N     N     N     N     N     N
not_staff       assist            N     N     N     N     N     N
not_staff       invite_chief      N     N     N     N     N     N
not_staff       invite_officer    N     N     N     N     N     N
not_staff       invite_admin      N     N     N     N     N     N
not_staff       settings          N     N     N     N     N     N
not_staff       view_audit        N     N     N     N     N     N
not_staff       data_requests     N     N     N     N     N     N

foreign_admin   view_queue        S     S     S     S     Y     S
foreign_admin   view_submission   S     S     S     S     Y     S
foreign_admin   view_id_numbers   S     S     S     S     Y     S
foreign_admin   view_documents    S     S     S     S     Y     S
foreign_admin   export            S     S     S     S     Y     S
foreign_admin   review            S     S     S     S     Y     S
foreign_admin   assign            S     S     S     S     Y     S
foreign_admin   view_progress     S     S     S     S     Y     S
foreign_admin   receive_report    S     S     S     S     Y     S
foreign_admin   assist            S     S     S     S     Y     S
foreign_admin   invite_chief      S     S     S     S     Y     S
foreign_admin   invite_officer    S     S     S     S     Y     S
foreign_admin   invite_admin      S     S     S     S     Y     S
foreign_admin   settings          S     S     S     S     Y     S
foreign_admin   view_audit        S     S     S     S     Y     S
foreign_admin   data_requests     S     S     S     S     Y     S
"""


def _rows() -> dict[tuple[str, Action], tuple[str, ...]]:
    rows: dict[tuple[str, Action], tuple[str, ...]] = {}
    for line in TABLE.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        actor, action, *codes = line.split()
        key = (actor, Action(action))
        assert key not in rows, f"{key} twice in the table"
        assert len(codes) == len(SCOPES), line
        rows[key] = tuple(codes)
    return rows


ROWS = _rows()
CASES = [
    pytest.param(actor, action, scope, CODES[codes[column]], id=f"{actor}-{action}-{scope}")
    for (actor, action), codes in ROWS.items()
    for column, scope in enumerate(SCOPES)
]


def test_the_table_covers_every_actor_and_every_action() -> None:
    assert set(ROWS) == {(actor, action) for actor in ACTORS for action in Action}


@pytest.mark.parametrize(("actor", "action", "scope", "expected"), CASES)
def test_policy_table(actor: str, action: Action, scope: str, expected: Decision) -> None:
    assert decide(ACTORS[actor], action, SCOPES[scope]) is expected


@pytest.mark.parametrize(
    ("actor", "action", "subject", "expected"),
    [
        # a resident pressing a forged "accept" button
        (None, Action.REVIEW, Subject(1, 10, 100), Decision.NOT_STAFF),
        # a chief may look at their village's submissions but never review them
        ("chief", Action.REVIEW, Subject(1, 10, 100), Decision.NOT_YOUR_ROLE),
        ("chief", Action.VIEW_ID_NUMBERS, Subject(1, 10, 100), Decision.NOT_YOUR_ROLE),
        # … nor open another village's
        ("chief", Action.VIEW_SUBMISSION, Subject(1, 10, 101), Decision.OUT_OF_SCOPE),
        # a village id that is the chief's, in another commune (a forged subject)
        ("chief", Action.VIEW_SUBMISSION, Subject(1, 11, 100), Decision.OUT_OF_SCOPE),
        # only admins invite admins
        ("officer", Action.INVITE_ADMIN, Subject(1, 10), Decision.NOT_YOUR_ROLE),
        # an officer's scope is their commune, not the province
        ("officer", Action.VIEW_QUEUE, Subject(1), Decision.OUT_OF_SCOPE),
        ("officer", Action.INVITE_OFFICER, Subject(1, 11), Decision.OUT_OF_SCOPE),
        # an admin's scope is their province
        ("admin", Action.REVIEW, Subject(2, 20, 200), Decision.OUT_OF_SCOPE),
        ("admin", Action.VIEW_QUEUE, Subject(1), Decision.ALLOWED),
        # a data-subject request may hold ID data: never a chief's, even of their village
        ("chief", Action.DATA_REQUESTS, Subject(1, 10, 100), Decision.NOT_YOUR_ROLE),
        ("officer", Action.DATA_REQUESTS, Subject(1, 11), Decision.OUT_OF_SCOPE),
    ],
)
def test_decision_reasons(
    actor: str | None, action: Action, subject: Subject, expected: Decision
) -> None:
    decision = decide(ACTORS[actor] if actor else None, action, subject)
    assert decision is expected
    assert decision.allowed is (expected is Decision.ALLOWED)
