"""The audit log's filter as it lives in the URL (pure): read from a query string, written back
into links, so that every link on the page keeps it; and the actions the log can be filtered by.

`actor`: "" anyone, `staff:<id>`, or a kind of actor (`resident`, `system`, `admin_cli`).
`receipt`: a receipt code as typed (read as the queue's search reads one). `action`: one of
`ACTIONS`. `from`, `to`: the first and last Vietnam calendar days (YYYY-MM-DD, as a date field
sends them), both included. `page`: from 0. `commune`: for a province admin, which commune.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from urllib.parse import urlencode

from intake.console._filters import FilterError, end_of, read_days, start_of
from intake.submissions import MAX_SEARCH, read_search
from storage.repositories.audit import AuditQuery
from storage.states import ActorKind

__all__ = ["ACTIONS", "ACTOR_KINDS", "AuditFilter"]

_MAX_PAGE = 100_000

# Every action the code records, in reading order: a submission's life, documents, the
# console, staff, the administrator's command line. tests/console/test_audit.py checks the
# code records no other.
ACTIONS: tuple[str, ...] = (
    "submitted",
    "review_started",
    "needs_info",
    "resubmitted",
    "document_added",
    "accepted",
    "rejected",
    "assigned",
    "withdrawn",
    "withdraw_refused_accepted",
    "retention_purged",
    "consent_given",
    "consent_in_person",
    "consent_withdrawn",
    "mydata_shown",
    "data_request_received",
    "data_request_acknowledged",
    "data_request_completed",
    "data_request_reminded",
    "erased",
    "data_deleted",
    "document_viewed",
    "export",
    "audit_exported",
    "console_signed_in",
    "console_sign_in_refused",
    "console_signed_out",
    "console_session_ended",
    "console_unlocked",
    "console_unlock_failed",
    "staff_refused",
    "refused",
    "settings_changed",
    "invite_created",
    "invite_reuse_refused",
    "staff_joined",
    "staff_revoked",
    "pull",
    "commune_key_created",
    "escrow_key_created",
    "units_imported",
    "villages_imported",
    "parcels_imported",
    "targets_imported",
    "audit_chain_keyed",
)
# the kinds of actor chosen as a whole (staff members are chosen one by one)
ACTOR_KINDS = {kind.value: kind for kind in ActorKind if kind is not ActorKind.STAFF}


@dataclass(frozen=True, slots=True)
class AuditFilter:
    """The filter as it lives in the URL (pure). `actor`: "" anyone, `staff:<id>`, or a kind
    (`resident`, `system`, `admin_cli`); `receipt`: a receipt code as typed; `action`: one of
    `ACTIONS`; `from`, `to`: Vietnam days, both included; `commune`: an admin's choice."""

    actor: str = ""
    receipt: str = ""
    action: str = ""
    since: date | None = None
    until: date | None = None
    page: int = 0
    commune: int | None = None

    @classmethod
    def read(cls, query: Mapping[str, str]) -> AuditFilter:
        """The filter of a query string; FilterError with the message for what is wrong."""
        actor = query.get("actor", "")
        staff_id = actor.removeprefix("staff:")
        if actor and actor not in ACTOR_KINDS and not (staff_id.isdigit() and len(staff_id) < 10):
            raise FilterError("console.audit_bad_filter")
        typed = query.get("receipt", "").strip()
        receipt = ""
        if typed:
            search = read_search(typed) if len(typed) <= MAX_SEARCH else None
            if search is None or search.receipt is None:
                raise FilterError("console.audit_bad_receipt")
            receipt = search.receipt
        action = query.get("action", "")
        if action and action not in ACTIONS:
            raise FilterError("console.audit_bad_action")
        page = query.get("page", "0") or "0"
        if not page.isdigit() or int(page) > _MAX_PAGE:
            raise FilterError("console.audit_bad_filter")
        commune = query.get("commune", "")
        if commune and not (commune.isdigit() and len(commune) < 10):
            raise FilterError("console.audit_bad_filter")
        since, until = read_days(query, problem="console.audit_bad_date")
        return cls(
            actor=actor,
            receipt=receipt,
            action=action,
            since=since,
            until=until,
            page=int(page),
            commune=int(commune) if commune else None,
        )

    def params(self, **changes: object) -> dict[str, str]:
        """The non-default parts, as a query string's parameters (with `changes` applied)."""
        changed = replace(self, **changes)  # type: ignore[arg-type]
        given = {
            "commune": "" if changed.commune is None else str(changed.commune),
            "actor": changed.actor,
            "receipt": changed.receipt,
            "action": changed.action,
            "from": changed.since.isoformat() if changed.since else "",
            "to": changed.until.isoformat() if changed.until else "",
            "page": "" if changed.page == 0 else str(changed.page),
        }
        return {name: value for name, value in given.items() if value}

    def query(self, **changes: object) -> str:
        """`?…` for a link with this filter (and `changes`), or ""."""
        params = self.params(**changes)
        return "?" + urlencode(params) if params else ""

    def of_commune(self, commune_id: int) -> AuditQuery:
        """The repository's query for this filter in one commune."""
        kind = ActorKind.STAFF if self.actor.startswith("staff:") else ACTOR_KINDS.get(self.actor)
        return AuditQuery(
            commune_id=commune_id,
            actor_kind=kind,
            actor_id=self.actor.removeprefix("staff:") if kind is ActorKind.STAFF else None,
            action=self.action or None,
            receipt=self.receipt or None,
            since=start_of(self.since),
            before=end_of(self.until),
        )
