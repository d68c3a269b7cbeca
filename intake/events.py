"""What the Telegram adapter hands the domain (events) and what the domain asks it to show
(replies). Plain frozen dataclasses: no Telegram types cross this line.

Buttons carry short callback data (≤ 64 bytes) naming an action, never a trusted fact: the
domain re-checks every action against the draft and, for staff, against role and scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

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

MAX_CALLBACK_BYTES = 64


@dataclass(frozen=True, slots=True)
class Actor:
    """Who sent an update: a Telegram user in a chat."""

    user_id: int
    chat_id: int
    language_code: str | None = None
    private: bool = True


@dataclass(frozen=True, slots=True)
class Event:
    """Base of every event: the update it came from (None for internal events) and the actor."""

    actor: Actor
    update_id: int | None


@dataclass(frozen=True, slots=True)
class Command(Event):
    name: str  # without the slash, lower case
    payload: str = ""  # e.g. the deep-link parameter of /start


@dataclass(frozen=True, slots=True)
class Text(Event):
    text: str


@dataclass(frozen=True, slots=True)
class Pressed(Event):
    """An inline button was pressed."""

    data: str
    message_id: int | None
    callback_id: str


class UploadKind(StrEnum):
    PHOTO = "photo"  # compressed by Telegram
    FILE = "file"  # sent "as file": the original bytes


@dataclass(frozen=True, slots=True)
class Upload(Event):
    kind: UploadKind
    file_id: str
    file_unique_id: str
    file_size: int | None
    message_id: int
    media_group_id: str | None = None
    mime_type: str | None = None
    width: int | None = None
    height: int | None = None


@dataclass(frozen=True, slots=True)
class ContactShared(Event):
    phone: str
    contact_user_id: int | None  # equals the actor's id when they shared their own number


@dataclass(frozen=True, slots=True)
class LocationShared(Event):
    latitude: float
    longitude: float


@dataclass(frozen=True, slots=True)
class Unsupported(Event):
    """Something the bot never takes (sticker, voice, video, …); `what` names it."""

    what: str


@dataclass(frozen=True, slots=True)
class DocumentChecked(Event):
    """The document pipeline's verdict on an upload, fed back into the conversation."""

    slot: str
    file_unique_id: str
    accepted: bool
    issues: tuple[str, ...] = ()
    qr_name: str | None = None
    qr_cccd: str | None = None


class KeyboardKind(StrEnum):
    INLINE = "inline"  # buttons under the message
    REPLY = "reply"  # big buttons replacing the phone's keyboard
    REMOVE = "remove"  # take the reply keyboard away


@dataclass(frozen=True, slots=True)
class Button:
    text_key: str
    data: str = ""  # callback data for inline buttons
    params: Mapping[str, object] = field(default_factory=dict)
    literal: str | None = None  # shown as-is (a village name), instead of a catalog text
    request_contact: bool = False

    def __post_init__(self) -> None:
        if len(self.data.encode()) > MAX_CALLBACK_BYTES:
            raise ValueError("callback data over 64 bytes")


@dataclass(frozen=True, slots=True)
class Keyboard:
    kind: KeyboardKind
    rows: tuple[tuple[Button, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Reply:
    """A message to show in the actor's chat (or, with `edit_message_id`, to edit in place)."""

    key: str
    params: Mapping[str, object] = field(default_factory=dict)
    keyboard: Keyboard | None = None
    edit_message_id: int | None = None
    remember_as: str | None = None  # report the shown message's id back (e.g. "checklist")
    photo: bytes | None = field(default=None, repr=False)  # sent as a photo, the text its caption
