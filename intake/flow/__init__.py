"""The resident's conversation as data: a pure `step(draft, event, context)`."""

from intake.flow.effects import (
    AcceptUpload,
    DiscardDraft,
    DiscardUpload,
    Effect,
    RecordConsent,
    RecordConsentInPerson,
    SetLanguage,
    SubmitDraft,
    Transition,
)
from intake.flow.model import (
    CONSENT_VERSION,
    Context,
    Directory,
    Draft,
    Place,
    SlotState,
    SlotStatus,
    Step,
    Whose,
)
from intake.flow.prompts import LANGUAGE_KEYBOARD, prompt
from intake.flow.slots import QR_SLOTS, Slot, SlotRule, slots_for
from intake.flow.steps import MAX_FILE_BYTES, assisted_draft, step

__all__ = [
    "CONSENT_VERSION",
    "LANGUAGE_KEYBOARD",
    "MAX_FILE_BYTES",
    "QR_SLOTS",
    "AcceptUpload",
    "Context",
    "Directory",
    "DiscardDraft",
    "DiscardUpload",
    "Draft",
    "Effect",
    "Place",
    "RecordConsent",
    "RecordConsentInPerson",
    "SetLanguage",
    "Slot",
    "SlotRule",
    "SlotState",
    "SlotStatus",
    "Step",
    "SubmitDraft",
    "Transition",
    "Whose",
    "assisted_draft",
    "prompt",
    "slots_for",
    "step",
]
