"""Submissions: where a finished draft goes (routing, pure) with its receipt code, the review
lifecycle (one pure transition table: who may do what in which state), the review changes that
apply it (and tell the resident), and the views people read (the resident's list, the staff
queue, a card)."""

from intake.submissions._create import create_submission
from intake.submissions._duplicates import flag_duplicates
from intake.submissions._lifecycle import (
    CLOSED,
    FIRST_STATE,
    Party,
    Refusal,
    ReviewAction,
    Transition,
    all_slots,
    is_complete,
    required_slots,
    transition,
)
from intake.submissions._review import (
    MAX_NOTE,
    REJECT_REASONS,
    ReviewError,
    Withdrawal,
    accept,
    ask_for_info,
    assign,
    reject,
    resubmit,
    start_review,
    withdraw,
)
from intake.submissions._routing import (
    LOW_RESOLUTION_PX,
    RECEIPT_ALPHABET,
    new_receipt_code,
    quality_flags,
    route_submission,
)
from intake.submissions._search import MAX_SEARCH, Search, matching, narrowed, read_search
from intake.submissions._views import (
    QUEUE_PAGE,
    Card,
    QueueItem,
    QueuePage,
    SubmissionView,
    card_of,
    list_submissions,
    open_receipts,
    queue,
    queue_item,
)

__all__ = [
    "CLOSED",
    "FIRST_STATE",
    "LOW_RESOLUTION_PX",
    "MAX_NOTE",
    "MAX_SEARCH",
    "QUEUE_PAGE",
    "RECEIPT_ALPHABET",
    "REJECT_REASONS",
    "Card",
    "Party",
    "QueueItem",
    "QueuePage",
    "Refusal",
    "ReviewAction",
    "ReviewError",
    "Search",
    "SubmissionView",
    "Transition",
    "Withdrawal",
    "accept",
    "all_slots",
    "ask_for_info",
    "assign",
    "card_of",
    "create_submission",
    "flag_duplicates",
    "is_complete",
    "list_submissions",
    "matching",
    "narrowed",
    "new_receipt_code",
    "open_receipts",
    "quality_flags",
    "queue",
    "queue_item",
    "read_search",
    "reject",
    "required_slots",
    "resubmit",
    "route_submission",
    "start_review",
    "transition",
    "withdraw",
]
