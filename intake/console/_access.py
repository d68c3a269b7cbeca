"""Who is signed in to the console: one-time sign-in links sent by `/web`, sessions kept as
database rows, and their timeouts.

- A link's token is 32 random bytes (URL-safe); only its SHA-256 is stored. It is valid for 10
  minutes and opens one session, once; opening it is a form post from a confirmation page, so
  a link preview fetching the address does not use it up.
- A session's key (the cookie's value) is 32 random bytes; only its SHA-256 is stored, so a copy
  of the database does not sign anyone in. A session ends after 30 minutes without a request,
  12 hours after sign-in in any case, at sign-out, and at the first request after its staff
  member was revoked.
- The CSRF token of a session is derived from its key (HMAC), so it needs no row and changes
  with every session.
- Every sign-in, refused sign-in and sign-out is an audit event.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from intake.console._links import secret_hash
from intake.staff._policy import StaffActor
from intake.staff._roster import actor_of
from storage.deps import Deps
from storage.models import ConsoleSession, Staff, utcnow
from storage.repositories import console as rows
from storage.repositories.audit import append_event
from storage.states import ActorKind, StaffRole

__all__ = [
    "ABSOLUTE_TIMEOUT",
    "IDLE_TIMEOUT",
    "ConsoleUser",
    "Ended",
    "SessionEnded",
    "SignInProblem",
    "SignedIn",
    "csrf_token",
    "resume",
    "sign_in",
    "sign_out",
]

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
_MAX_SECRET = 100  # a token or key longer than this is not ours


def csrf_token(session_key: str) -> str:
    """The session's CSRF token: derived from its key, never stored."""
    return hmac.new(session_key.encode(), b"hoso console csrf", hashlib.sha256).hexdigest()


@dataclass(frozen=True, slots=True)
class ConsoleUser:
    """The staff member behind a console session, as the pages and the policy need them."""

    session_id: int
    staff_id: int
    role: StaffRole
    display_name: str
    language: str
    actor: StaffActor
    signed_in_at: datetime


def _user(row: ConsoleSession, staff: Staff) -> ConsoleUser:
    return ConsoleUser(
        session_id=row.id,
        staff_id=staff.id,
        role=staff.role,
        display_name=staff.display_name,
        language=staff.language,
        actor=actor_of(staff),
        signed_in_at=row.created_at,
    )


class SignInProblem(StrEnum):
    UNKNOWN = "unknown"  # no such link (mistyped, or from another installation)
    USED = "used"
    EXPIRED = "expired"
    NOT_STAFF = "not_staff"  # revoked since the link was sent


@dataclass(frozen=True, slots=True)
class SignedIn:
    session_key: str  # the cookie's value; shown once
    user: ConsoleUser


class SessionEnded(StrEnum):
    NONE = "none"  # no cookie, or one naming no session
    IDLE = "idle"
    ABSOLUTE = "absolute"
    REVOKED = "revoked"


@dataclass(frozen=True, slots=True)
class Ended:
    """No signed-in user: why, and which session ended now (its unlocked keys must go)."""

    reason: SessionEnded
    session_id: int | None = None


async def sign_in(
    deps: Deps, token: str, *, remote: str | None = None
) -> SignedIn | SignInProblem:
    """Use a sign-in link: a new session, or why not (both are audit events)."""
    if not token or len(token) > _MAX_SECRET:
        return SignInProblem.UNKNOWN
    now = utcnow()
    async with deps.database.sessions.begin() as session:
        link = await rows.link_by_hash(session, secret_hash(token))
        if link is None:
            return SignInProblem.UNKNOWN
        staff = await session.get(Staff, link.staff_id)
        problem = None
        if link.used_at is not None:
            problem = SignInProblem.USED
        elif link.expires_at <= now:
            problem = SignInProblem.EXPIRED
        elif staff is None or not staff.active:
            problem = SignInProblem.NOT_STAFF
        elif not await rows.use_link(session, link, now):
            problem = SignInProblem.USED  # opened twice at the same moment: the other won
        if problem is not None or staff is None:
            await append_event(
                session,
                actor_kind=ActorKind.STAFF,
                actor_id=str(link.staff_id),
                action="console_sign_in_refused",
                commune_id=staff.commune_id if staff else None,
                data={"reason": (problem or SignInProblem.NOT_STAFF).value, "remote": remote},
            )
            return problem or SignInProblem.NOT_STAFF
        key = secrets.token_urlsafe(32)
        row = ConsoleSession(
            key_hash=secret_hash(key), staff_id=staff.id, created_at=now, last_seen_at=now
        )
        await rows.add_session(session, row)
        await session.flush()
        await append_event(
            session,
            actor_kind=ActorKind.STAFF,
            actor_id=str(staff.id),
            action="console_signed_in",
            commune_id=staff.commune_id,
            data={"session": row.id, "remote": remote},
        )
        return SignedIn(key, _user(row, staff))


async def resume(deps: Deps, session_key: str | None) -> ConsoleUser | Ended:
    """The signed-in user of a request, with the session touched; or why there is none (a
    session found ended by a timeout or a revocation is ended now)."""
    if not session_key or len(session_key) > _MAX_SECRET:
        return Ended(SessionEnded.NONE)
    now = utcnow()
    async with deps.database.sessions.begin() as session:
        found = await rows.session_for_update(session, secret_hash(session_key))
        if found is None:
            return Ended(SessionEnded.NONE)
        row, staff = found
        ended = None
        if not staff.active:
            ended = SessionEnded.REVOKED
        elif now - row.created_at >= ABSOLUTE_TIMEOUT:
            ended = SessionEnded.ABSOLUTE
        elif now - row.last_seen_at >= IDLE_TIMEOUT:
            ended = SessionEnded.IDLE
        if ended is not None:
            await rows.end_session(session, row, now, ended.value)
            await append_event(
                session,
                actor_kind=ActorKind.STAFF,
                actor_id=str(staff.id),
                action="console_session_ended",
                commune_id=staff.commune_id,
                data={"session": row.id, "reason": ended.value},
            )
            return Ended(ended, row.id)
        row.last_seen_at = now
        return _user(row, staff)


async def sign_out(deps: Deps, user: ConsoleUser) -> None:
    now = utcnow()
    async with deps.database.sessions.begin() as session:
        row = await session.get(ConsoleSession, user.session_id)
        if row is None:
            return
        await rows.end_session(session, row, now, "signed_out")
        await append_event(
            session,
            actor_kind=ActorKind.STAFF,
            actor_id=str(user.staff_id),
            action="console_signed_out",
            commune_id=user.actor.commune_id,
            data={"session": user.session_id},
        )
