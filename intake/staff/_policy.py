"""The one policy function: may this actor do this action on this subject?

Every staff command and every staff button goes through `decide` (handlers never decide). The
rules, by role:

- **admin** (a province): everything within their province.
- **officer** (a commune): everything within their commune — the queue, reviewing, assigning a
  village, progress and reports, assisted submissions, inviting chiefs and fellow officers,
  the commune's audit log (the console's), the residents' data-subject requests.
- **chief** (a village): their village's queue, submissions (without ID numbers or the
  documents, which show them) and progress,
  assisted submissions for their village, their own notification settings. Chiefs do not review,
  assign or invite.
- anyone else (a resident, a revoked staff member, a forged button): nothing.

A subject names the place an action concerns; a submission in the commune triage queue has no
village, so only commune-wide staff reach it. Inviting concerns the scope of the invitation: an
officer may invite a chief for a village of their commune, never an officer for another commune,
and only an admin invites admins.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from storage.states import StaffRole

__all__ = ["Action", "Decision", "StaffActor", "Subject", "decide"]


class Action(StrEnum):
    VIEW_QUEUE = "view_queue"
    VIEW_SUBMISSION = "view_submission"
    VIEW_ID_NUMBERS = "view_id_numbers"  # the CCCD and phone on a submission card
    VIEW_DOCUMENTS = "view_documents"  # the documents themselves (the console)
    EXPORT = "export"  # the fields as a table, the documents as a ZIP (console, `hoso pull`)
    REVIEW = "review"  # accept, needs info, reject
    ASSIGN = "assign"  # choose or change a submission's village
    VIEW_PROGRESS = "view_progress"
    RECEIVE_REPORT = "receive_report"
    ASSIST = "assist"  # submit for a household without a smartphone
    INVITE_CHIEF = "invite_chief"
    INVITE_OFFICER = "invite_officer"
    INVITE_ADMIN = "invite_admin"
    SETTINGS = "settings"
    VIEW_AUDIT = "view_audit"  # a commune's audit log (console): officers and admins
    # residents' data-subject requests (a copy, a correction): see and answer them; officers
    # and admins only (a request may hold ID data, which chiefs never see)
    DATA_REQUESTS = "data_requests"


@dataclass(frozen=True, slots=True)
class StaffActor:
    """An active staff member as the policy sees them."""

    staff_id: int
    role: StaffRole
    province_id: int
    commune_id: int | None
    village_id: int | None


@dataclass(frozen=True, slots=True)
class Subject:
    """Where the action takes place: a province, a commune, perhaps a village."""

    province_id: int
    commune_id: int | None = None
    village_id: int | None = None


class Decision(StrEnum):
    ALLOWED = "allowed"
    NOT_STAFF = "not_staff"
    NOT_YOUR_ROLE = "not_your_role"
    OUT_OF_SCOPE = "out_of_scope"

    @property
    def allowed(self) -> bool:
        return self is Decision.ALLOWED


_CHIEF_ACTIONS = frozenset(
    {
        Action.VIEW_QUEUE,
        Action.VIEW_SUBMISSION,
        Action.VIEW_PROGRESS,
        Action.ASSIST,
        Action.SETTINGS,
    }
)
_OFFICER_ACTIONS = frozenset(set(Action) - {Action.INVITE_ADMIN})


def decide(actor: StaffActor | None, action: Action, subject: Subject) -> Decision:
    """The policy (pure): allowed, or why not."""
    if actor is None:
        return Decision.NOT_STAFF
    if actor.province_id != subject.province_id:
        return Decision.OUT_OF_SCOPE
    match actor.role:
        case StaffRole.ADMIN:
            return Decision.ALLOWED
        case StaffRole.OFFICER:
            if action not in _OFFICER_ACTIONS:
                return Decision.NOT_YOUR_ROLE
            if subject.commune_id is None or subject.commune_id != actor.commune_id:
                return Decision.OUT_OF_SCOPE
            return Decision.ALLOWED
        case StaffRole.CHIEF:
            if action not in _CHIEF_ACTIONS:
                return Decision.NOT_YOUR_ROLE
            if action is Action.SETTINGS:
                return Decision.ALLOWED  # one's own settings
            if (
                subject.commune_id != actor.commune_id
                or subject.village_id is None
                or subject.village_id != actor.village_id
            ):
                return Decision.OUT_OF_SCOPE
            return Decision.ALLOWED
    return Decision.NOT_YOUR_ROLE
