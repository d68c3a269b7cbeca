"""A bot's queue of pending updates, shared by long polling and webhook delivery."""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from simulator._clock import Signal

# What Telegram sends when allowed_updates is empty or was never given.
DEFAULT_ALLOWED = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_connection",
        "business_message",
        "edited_business_message",
        "deleted_business_messages",
        "inline_query",
        "chosen_inline_result",
        "callback_query",
        "shipping_query",
        "pre_checkout_query",
        "purchased_paid_media",
        "poll",
        "poll_answer",
        "my_chat_member",
        "chat_join_request",
        "chat_boost",
        "removed_chat_boost",
    }
)
FIRST_UPDATE_ID = 700_000_001


@dataclass(frozen=True)
class PendingUpdate:
    update_id: int
    kind: str
    payload: dict[str, Any]

    def to_api(self) -> dict[str, Any]:
        return {"update_id": self.update_id, self.kind: self.payload}

    @property
    def chat_id(self) -> int | None:
        """The chat the update belongs to (a callback query's: its message's), if any."""
        chat = self.payload.get("chat")
        if chat is None and isinstance(self.payload.get("message"), dict):
            chat = self.payload["message"].get("chat")
        return chat.get("id") if isinstance(chat, dict) else None


class UpdateQueue:
    """Updates wait here until a getUpdates offset or a 2xx webhook answer confirms them."""

    def __init__(self) -> None:
        self._pending: deque[PendingUpdate] = deque()
        self._next_id = FIRST_UPDATE_ID
        self.allowed: frozenset[str] = DEFAULT_ALLOWED
        self.changed = Signal()

    def __len__(self) -> int:
        return len(self._pending)

    def set_allowed(self, kinds: list[str] | None) -> None:
        self.allowed = frozenset(kinds) if kinds else DEFAULT_ALLOWED

    def push(self, kind: str, payload: dict[str, Any]) -> PendingUpdate | None:
        """Queue an update; None when allowed_updates filters it out (it is never created)."""
        if kind not in self.allowed:
            return None
        update = PendingUpdate(self._next_id, kind, payload)
        self._next_id += 1
        self._pending.append(update)
        self.changed.fire()
        return update

    def confirm(self, offset: int) -> None:
        """Forget updates below a positive offset; a negative one keeps only the last -offset."""
        if offset > 0:
            while self._pending and self._pending[0].update_id < offset:
                self._pending.popleft()
        elif offset < 0:
            while len(self._pending) > -offset:
                self._pending.popleft()

    def remove(self, update_id: int) -> None:
        """Forget one update (a webhook answered it; others before it may still be pending)."""
        for index, update in enumerate(self._pending):
            if update.update_id == update_id:
                del self._pending[index]
                return

    def all(self) -> list[PendingUpdate]:
        return list(self._pending)

    def first(self, limit: int) -> list[PendingUpdate]:
        return [update for _, update in zip(range(limit), self._pending, strict=False)]

    def clear(self) -> None:
        self._pending.clear()
