"""Retention (DESIGN.md "Personal data"): the documents of accepted and rejected submissions
are destroyed `HOSO_RETENTION_DAYS` days after the decision, the submissions keeping their
metadata and audit trail, and the identity fields of residents with nothing left to keep are
erased; each run is an audit event per commune. The rules are pure (`_rules`: which states,
which day, who has nothing left to keep); the job that applies them runs in every bot process
once a night and from `hoso retention`."""

from intake.retention._purge import DECISION_ACTIONS, Retention
from intake.retention._report import CommuneTally, Erased, Purged, RetentionReport, tally
from intake.retention._rules import (
    FINAL_STATES,
    MAX_DAYS,
    PURGED_STATES,
    RETENTION_HOUR,
    Held,
    cutoff,
    done_with,
    due,
    erasable,
    purgeable,
)

__all__ = [
    "DECISION_ACTIONS",
    "FINAL_STATES",
    "MAX_DAYS",
    "PURGED_STATES",
    "RETENTION_HOUR",
    "CommuneTally",
    "Erased",
    "Held",
    "Purged",
    "Retention",
    "RetentionReport",
    "cutoff",
    "done_with",
    "due",
    "erasable",
    "purgeable",
    "tally",
]
