"""The web console's use cases: sign-in links and sessions (`_access`), the queue's filter as it
lives in the URL (`_filters`, pure), the commune keys unlocked in memory for a session
(`_keys`), the desk that reads the queue, shows a submission with its documents and applies the
review actions through the same policy and lifecycle as the Telegram desk (`_desk`), the
exports that follow the queue's filter (`_exports`), the progress dashboard (`_progress`), the
village QR posters (`_posters`), the staff page's list, invitation links and revocation
(`_staff`), the audit log (`_audit`, `_audit_filter`), the residents' data-subject requests
(`_requests`), and what they share: the reader's scope and language and the record of a refused
request (`_scope`). The web pages themselves are console/'s."""

from intake.console._access import (
    ABSOLUTE_TIMEOUT,
    IDLE_TIMEOUT,
    ConsoleUser,
    Ended,
    SessionEnded,
    SignedIn,
    SignInProblem,
    csrf_token,
    resume,
    sign_in,
    sign_out,
)
from intake.console._audit import (
    AUDIT_PAGE_SIZE,
    MAX_CSV,
    AuditCsv,
    AuditCsvWriter,
    AuditPage,
    AuditRefused,
    AuditRow,
    ChainCheck,
)
from intake.console._audit_filter import ACTIONS, AuditFilter
from intake.console._desk import (
    ConsoleDesk,
    DocumentProblem,
    DocumentUnavailable,
    DocumentView,
    EventView,
    OpenedDocument,
    QueueRow,
    QueueView,
    ReviewDone,
    Stale,
    SubmissionPage,
)
from intake.console._exports import MAX_EXPORT, Export, ExportKind, ExportRefused
from intake.console._filters import PAGE_SIZE, FilterError, QueueFilter
from intake.console._keys import FAILURE_WINDOW, MAX_FAILURES, KeyVault, Unlock, UnlockResult
from intake.console._links import LINK_TTL, issue_link
from intake.console._posters import Poster, PosterSet, PostersUnavailable
from intake.console._progress import Dashboard, MissingList
from intake.console._requests import RequestAnswered, RequestsPage, RequestsRefused
from intake.console._scope import NotFound
from intake.console._staff import Invitation, Member, Revoked, StaffList, StaffRefused

__all__ = [
    "ABSOLUTE_TIMEOUT",
    "ACTIONS",
    "AUDIT_PAGE_SIZE",
    "FAILURE_WINDOW",
    "IDLE_TIMEOUT",
    "LINK_TTL",
    "MAX_CSV",
    "MAX_EXPORT",
    "MAX_FAILURES",
    "PAGE_SIZE",
    "AuditCsv",
    "AuditCsvWriter",
    "AuditFilter",
    "AuditPage",
    "AuditRefused",
    "AuditRow",
    "ChainCheck",
    "ConsoleDesk",
    "ConsoleUser",
    "Dashboard",
    "DocumentProblem",
    "DocumentUnavailable",
    "DocumentView",
    "Ended",
    "EventView",
    "Export",
    "ExportKind",
    "ExportRefused",
    "FilterError",
    "Invitation",
    "KeyVault",
    "Member",
    "MissingList",
    "NotFound",
    "OpenedDocument",
    "Poster",
    "PosterSet",
    "PostersUnavailable",
    "QueueFilter",
    "QueueRow",
    "QueueView",
    "RequestAnswered",
    "RequestsPage",
    "RequestsRefused",
    "ReviewDone",
    "Revoked",
    "SessionEnded",
    "SignInProblem",
    "SignedIn",
    "StaffList",
    "StaffRefused",
    "Stale",
    "SubmissionPage",
    "Unlock",
    "UnlockResult",
    "csrf_token",
    "issue_link",
    "resume",
    "sign_in",
    "sign_out",
]
