"""A document waiting for the pipeline, as the pipeline needs it (no database row attached)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["PendingDocument"]


@dataclass(frozen=True)
class PendingDocument:
    id: Any
    slot: str
    file_id: str
    file_unique_id: str
    commune_id: int | None
    chat_id: int
    message_id: int
    attempts: int
