"""What the domain asks the Telegram adapter to show: a message in the user's language, by its
catalog key, with its buttons.

Buttons carry short callback data (≤ 64 bytes) naming an action, never a trusted fact: the
domain re-checks every action against the draft and, for staff, against role and scope.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

__all__ = ["MAX_CALLBACK_BYTES", "Button", "Keyboard", "KeyboardKind", "Reply"]

MAX_CALLBACK_BYTES = 64


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
