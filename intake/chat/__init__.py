"""What passes between the Telegram adapter and the domain: events in (one per update, and the
document pipeline's verdicts), replies out. Plain frozen dataclasses: no Telegram types cross
this line, and the pure modules (the flow, the staff screens) speak only these."""

from intake.chat._events import (
    Actor,
    Command,
    ContactShared,
    DocumentChecked,
    Event,
    LocationShared,
    Pressed,
    Text,
    Unsupported,
    Upload,
    UploadKind,
)
from intake.chat._replies import MAX_CALLBACK_BYTES, Button, Keyboard, KeyboardKind, Reply

__all__ = [
    "MAX_CALLBACK_BYTES",
    "Actor",
    "Button",
    "Command",
    "ContactShared",
    "DocumentChecked",
    "Event",
    "Keyboard",
    "KeyboardKind",
    "LocationShared",
    "Pressed",
    "Reply",
    "Text",
    "Unsupported",
    "Upload",
    "UploadKind",
]
