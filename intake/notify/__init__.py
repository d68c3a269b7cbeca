"""Telling people: the outbox (messages written in the transaction that causes them, sent later
within Telegram's limits by handlers/outbox.py), who is told of what (a village's chiefs, or
the commune's officers; the resident, or the chief who submitted for them), the buttons those
messages carry, the daily jobs (the chiefs' digests, the officers' report), and forgetting an
erased submission's details in the messages written about it."""

from intake.notify._daily import DailyJobs
from intake.notify._forget import forget_in_outbox
from intake.notify._outbox import (
    DueMessage,
    OutboxMessage,
    OutboxService,
    enqueue,
    notify_officers,
    release_waiting,
)
from intake.notify._tell import (
    SubmissionDigest,
    digest_of,
    notify_new_submission,
    notify_resident,
    open_button,
    parcel_text,
    submission_digest,
    upload_buttons,
)

__all__ = [
    "DailyJobs",
    "DueMessage",
    "OutboxMessage",
    "OutboxService",
    "SubmissionDigest",
    "digest_of",
    "enqueue",
    "forget_in_outbox",
    "notify_new_submission",
    "notify_officers",
    "notify_resident",
    "open_button",
    "parcel_text",
    "release_waiting",
    "submission_digest",
    "upload_buttons",
]
