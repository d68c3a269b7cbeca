"""Errors answered in Telegram's shape: {"ok": false, "error_code": ..., "description": ...}."""

from __future__ import annotations

from typing import Any


class BotApiError(Exception):
    """A failed call, carried to the HTTP edge and answered as Telegram answers it."""

    def __init__(
        self, error_code: int, description: str, *, retry_after: int | None = None
    ) -> None:
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.retry_after = retry_after

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.retry_after is not None:
            body["parameters"] = {"retry_after": self.retry_after}
        return body


def bad_request(detail: str) -> BotApiError:
    return BotApiError(400, f"Bad Request: {detail}")


def forbidden(detail: str) -> BotApiError:
    return BotApiError(403, f"Forbidden: {detail}")


def conflict(detail: str) -> BotApiError:
    return BotApiError(409, f"Conflict: {detail}")


def too_many_requests(retry_after: int) -> BotApiError:
    return BotApiError(
        429, f"Too Many Requests: retry after {retry_after}", retry_after=retry_after
    )


def unauthorized() -> BotApiError:
    return BotApiError(401, "Unauthorized")


def not_found() -> BotApiError:
    return BotApiError(404, "Not Found")


CHAT_NOT_FOUND = "chat not found"
QUERY_TOO_OLD = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)


class UserActionError(ValueError):
    """A user-side action that a Telegram client would not allow (no such button, ...)."""
