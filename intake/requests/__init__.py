"""Data-subject requests (Personal Data Protection Law 91/2025, Decree 356/2025): a resident
asks their commune for a copy of their documents and data or for a correction; the request
lands in the officers' queue (Telegram's /requests, the console's page) with its legal clocks —
acknowledge within 2 working days, complete within 15 days (`_clocks`, pure, with the holiday
table) — and the officers are reminded before each deadline (`_reminders`). Its life is one
pure table (`_lifecycle`); its buttons one codec (`_callbacks`); what people see of it pure
screens (`_screens`); its changes, with their audit events and the resident told through the
outbox, `_service`; the resident's side in their desk's transaction, `_resident`."""

from intake.requests._callbacks import (
    AskRequest,
    DropAsk,
    ListRequests,
    OpenRequest,
    RequestAcknowledge,
    RequestDone,
    StaffRequestPress,
    parse_resident,
    parse_staff,
    resident_data,
    staff_data,
)
from intake.requests._clocks import (
    DAYS_OFF,
    WORKED_WEEKENDS,
    Clocks,
    ClockState,
    Reminder,
    ReminderPlan,
    clock_state,
    clocks_for,
    covers,
    is_working_day,
    plan_reminders,
    reminder_time,
)
from intake.requests._lifecycle import (
    MAX_DETAILS,
    MAX_NOTE,
    RequestAction,
    RequestRefusal,
    transition,
)
from intake.requests._reminders import RequestReminders
from intake.requests._resident import MAX_OPEN, WORDS_WAIT, RequestAnswer, resident_request
from intake.requests._screens import (
    RequestView,
    ask_note,
    request_buttons,
    request_card,
    requests_list,
)
from intake.requests._service import (
    CODE_PREFIX,
    RequestError,
    acknowledge,
    complete,
    open_request,
    request_view,
)

__all__ = [
    "CODE_PREFIX",
    "DAYS_OFF",
    "MAX_DETAILS",
    "MAX_NOTE",
    "MAX_OPEN",
    "WORDS_WAIT",
    "WORKED_WEEKENDS",
    "AskRequest",
    "ClockState",
    "Clocks",
    "DropAsk",
    "ListRequests",
    "OpenRequest",
    "Reminder",
    "ReminderPlan",
    "RequestAcknowledge",
    "RequestAction",
    "RequestAnswer",
    "RequestDone",
    "RequestError",
    "RequestRefusal",
    "RequestReminders",
    "RequestView",
    "StaffRequestPress",
    "acknowledge",
    "ask_note",
    "clock_state",
    "clocks_for",
    "complete",
    "covers",
    "is_working_day",
    "open_request",
    "parse_resident",
    "parse_staff",
    "plan_reminders",
    "reminder_time",
    "request_buttons",
    "request_card",
    "request_view",
    "requests_list",
    "resident_data",
    "resident_request",
    "staff_data",
    "transition",
]
