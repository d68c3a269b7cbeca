"""The web console's use cases: sign-in links and sessions (`_access`), the queue's filter as
it lives in the URL (`_filters`, pure), the commune keys unlocked in memory for a session
(`_keys`), and the desk that reads the queue, shows a submission with its documents and applies
the review actions through the same policy and lifecycle as the Telegram desk (`_desk`), and
the exports that follow the queue's filter (`_exports`).
The web pages themselves are console/'s."""

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
from intake.console._desk import (
    ConsoleDesk,
    DocumentProblem,
    DocumentUnavailable,
    DocumentView,
    EventView,
    NotFound,
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

__all__ = [
    "ABSOLUTE_TIMEOUT",
    "FAILURE_WINDOW",
    "IDLE_TIMEOUT",
    "LINK_TTL",
    "MAX_EXPORT",
    "MAX_FAILURES",
    "PAGE_SIZE",
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
    "KeyVault",
    "MissingList",
    "NotFound",
    "OpenedDocument",
    "Poster",
    "PosterSet",
    "PostersUnavailable",
    "QueueFilter",
    "QueueRow",
    "QueueView",
    "ReviewDone",
    "SessionEnded",
    "SignInProblem",
    "SignedIn",
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
