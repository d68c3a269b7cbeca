"""What the Telegram adapter hands the domain: one event per update (and the pipeline's
verdicts, fed back into the conversation as events of their own)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Actor",
    "Command",
    "ContactShared",
    "DocumentChecked",
    "Event",
    "LocationShared",
    "Pressed",
    "Text",
    "Unsupported",
    "Upload",
    "UploadKind",
]


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
    qr_serial: str | None = None  # the 2024 certificate's serial, read from its QR code
