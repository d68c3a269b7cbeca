"""One-time sign-in links to the console, as `/web` in Telegram makes them (see `_access` for
what opening one does). Kept apart from the rest of the console's use cases because the staff
desk, which sends them, is imported by them."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import ConsoleLink, Staff, utcnow
from storage.repositories import console as rows

__all__ = ["LINK_TTL", "issue_link", "secret_hash"]

LINK_TTL = timedelta(minutes=10)


def secret_hash(secret: str) -> bytes:
    """What is stored of a link's token or a session's key."""
    return hashlib.sha256(secret.encode()).digest()


async def issue_link(session: AsyncSession, staff: Staff) -> str:
    """A new sign-in token for this staff member (added in the caller's transaction); the
    token is shown once, in the `/web` reply."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    await rows.add_link(
        session,
        ConsoleLink(
            token_hash=secret_hash(token),
            staff_id=staff.id,
            created_at=now,
            expires_at=now + LINK_TTL,
        ),
    )
    return token
