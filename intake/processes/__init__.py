"""Running bot processes: each one's heartbeat and the reaping of dead ones (their leases taken
over), the replies owed until confirmed sent, the polling inbox that keeps updates until they
are handled, and the workers' wait for work."""

from intake.processes._idle import idle
from intake.processes._inbox import UpdateInbox
from intake.processes._owed import OwedReplies
from intake.processes._registry import (
    LeaseHolder,
    ProcessRegistry,
    Reaped,
    StartRefused,
    is_dead,
    pid_alive,
    this_host,
    updates_refusal,
)

__all__ = [
    "LeaseHolder",
    "OwedReplies",
    "ProcessRegistry",
    "Reaped",
    "StartRefused",
    "UpdateInbox",
    "idle",
    "is_dead",
    "pid_alive",
    "this_host",
    "updates_refusal",
]
