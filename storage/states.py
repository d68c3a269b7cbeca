"""The persisted enumerations: what a row's state or kind column may hold.

They live in storage because the models need them; the domain (intake) uses the same classes.
"""

from __future__ import annotations

from enum import StrEnum

__all__ = [
    "ActorKind",
    "CertificateStatus",
    "ConsentChannel",
    "ConsentKind",
    "DataRequestKind",
    "DataRequestState",
    "DocumentStatus",
    "OutboxStatus",
    "ProcessMode",
    "Route",
    "StaffRole",
    "SubmissionState",
]


class SubmissionState(StrEnum):
    """Review states (DESIGN.md): draft → submitted → in_review → needs_info ⇄ resubmitted → …"""

    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"
    NEEDS_INFO = "needs_info"
    RESUBMITTED = "resubmitted"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"


class Route(StrEnum):
    """Which routing rule placed a submission in its queue."""

    CHOSEN = "chosen"  # deep link or the resident's choice of village
    PARCEL = "parcel"  # the commune's imported parcel list
    TARGET = "target"  # a matching household in the imported target list
    TRIAGE = "triage"  # nobody knew: the commune triage queue
    STAFF = "staff"  # assigned or re-routed by an officer


class CertificateStatus(StrEnum):
    HELD = "held"
    AT_BANK = "at_bank"
    LOST = "lost"
    NEVER_ISSUED = "never_issued"


class DocumentStatus(StrEnum):
    PENDING = "pending"  # received, not yet fetched and sealed
    STORED = "stored"  # sealed in the blob store
    REFUSED = "refused"  # failed the checks; the resident was asked to retake it
    FAILED = "failed"  # could not be fetched (e.g. over 20 MB)
    DELETED = "deleted"  # removed (withdrawal, retention); metadata kept


class StaffRole(StrEnum):
    ADMIN = "admin"  # province
    OFFICER = "officer"  # commune land officer (cán bộ địa chính)
    CHIEF = "chief"  # village chief (trưởng thôn)


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"  # gave up after the configured time


class ProcessMode(StrEnum):
    """How a bot process takes Telegram's updates (intake/processes)."""

    POLLING = "polling"  # long polling: the only process on its database
    WEBHOOK = "webhook"  # a webhook behind a load balancer: any number side by side


class ActorKind(StrEnum):
    SYSTEM = "system"
    RESIDENT = "resident"
    STAFF = "staff"
    ADMIN_CLI = "admin_cli"


class ConsentKind(StrEnum):
    GIVEN = "given"
    WITHDRAWN = "withdrawn"


class ConsentChannel(StrEnum):
    """How a consent was given or withdrawn."""

    SELF = "self"  # the resident pressed the button in their chat
    IN_PERSON = "in_person"  # given to a staff member (a chief's /assist), who recorded it


class DataRequestKind(StrEnum):
    """What a resident asked the commune for (a data-subject request, intake/requests)."""

    COPY = "copy"  # a copy of their documents and data
    CORRECTION = "correction"  # a correction of what is held (their words say what)


class DataRequestState(StrEnum):
    RECEIVED = "received"  # the clocks run
    ACKNOWLEDGED = "acknowledged"  # an officer confirmed it to the resident
    COMPLETED = "completed"  # done, with the officer's note to the resident
