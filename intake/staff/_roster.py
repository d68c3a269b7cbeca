"""Staff and invitations: who is staff, with which role and scope, and how they join.

A staff member joins through an invite deep link (`start=i<token>`): single use, expiring, made
by an officer or admin (in Telegram with /invite) or by the CLI (`hoso staff invite`). Only the
token's SHA-256 is stored. One Telegram account holds one staff role: redeeming a new invite
replaces the account's earlier role (recorded as an event), which is how a chief becomes an
officer. Revoking keeps the row (history refers to it) and marks it inactive.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy.ext.asyncio import AsyncSession

from intake.staff._policy import StaffActor
from storage.deps import Deps
from storage.models import Commune, Invite, Province, Staff, Village, utcnow
from storage.repositories import places
from storage.repositories import staff as rows
from storage.repositories.audit import append_event
from storage.repositories.staff import StaffView
from storage.states import ActorKind, StaffRole

__all__ = [
    "DEFAULT_INVITE_TTL",
    "INVITE_PREFIX",
    "MENU_VERSION",
    "InviteError",
    "InviteProblem",
    "IssuedInvite",
    "MenuChange",
    "StaffMenus",
    "StaffRoster",
    "StaffSetupError",
    "StaffView",
    "actor_of",
    "create_invite",
    "invite_from_cli",
    "invite_link",
    "list_staff",
    "redeem_invite",
    "revoke_staff",
    "staff_for_user",
    "staff_gaps",
]

DEFAULT_INVITE_TTL = timedelta(hours=72)
INVITE_PREFIX = "i"


class InviteProblem(StrEnum):
    UNKNOWN = "unknown"
    USED = "used"
    EXPIRED = "expired"


class InviteError(Exception):
    def __init__(self, problem: InviteProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def _hash(token: str) -> bytes:
    return hashlib.sha256(token.encode()).digest()


def actor_of(staff: Staff) -> StaffActor:
    return StaffActor(staff.id, staff.role, staff.province_id, staff.commune_id, staff.village_id)


async def staff_for_user(session: AsyncSession, telegram_user_id: int) -> Staff | None:
    """The account's active staff row, if any."""
    return await rows.staff_for_user(session, telegram_user_id)


@dataclass(frozen=True)
class IssuedInvite:
    token: str  # shown once; only its hash is stored
    role: StaffRole
    scope: str  # the place's name, for people to read
    expires_at: datetime

    @property
    def start_payload(self) -> str:
        return INVITE_PREFIX + self.token


def invite_link(bot_username: str, invite: IssuedInvite) -> str:
    return f"https://t.me/{bot_username}?start={invite.start_payload}"


async def create_invite(
    session: AsyncSession,
    *,
    role: StaffRole,
    province: Province,
    commune: Commune | None,
    village: Village | None,
    created_by: Staff | None,
    ttl: timedelta = DEFAULT_INVITE_TTL,
) -> IssuedInvite:
    """A new invitation; the caller has checked that the creator may make it."""
    if role is StaffRole.CHIEF and village is None:
        raise ValueError("a chief's invitation names a village")
    if role is StaffRole.OFFICER and commune is None:
        raise ValueError("an officer's invitation names a commune")
    token = secrets.token_urlsafe(18)  # 24 characters of [A-Za-z0-9_-]: a valid start payload
    expires_at = utcnow() + ttl
    await rows.add_invite(
        session,
        Invite(
            token_hash=_hash(token),
            role=role,
            province_id=province.id,
            commune_id=commune.id if commune else None,
            village_id=village.id if village else None,
            created_by_staff_id=created_by.id if created_by else None,
            expires_at=expires_at,
        ),
    )
    await append_event(
        session,
        actor_kind=ActorKind.STAFF if created_by else ActorKind.ADMIN_CLI,
        actor_id=str(created_by.id) if created_by else None,
        action="invite_created",
        commune_id=commune.id if commune else None,
        data={"role": role.value, "village_id": village.id if village else None},
    )
    scope = village.name if village else commune.name if commune else province.name
    return IssuedInvite(token, role, scope, expires_at)


async def redeem_invite(
    session: AsyncSession, token: str, *, telegram_user_id: int, language: str
) -> Staff:
    """Make the account staff with the invitation's role and scope (single use)."""
    invite = await rows.invite_by_token_hash(session, _hash(token))
    if invite is None:
        raise InviteError(InviteProblem.UNKNOWN)
    if invite.used_at is not None:
        await append_event(
            session,
            actor_kind=ActorKind.STAFF,
            actor_id=f"tg:{telegram_user_id}",
            action="invite_reuse_refused",
            commune_id=invite.commune_id,
            data={"invite_id": invite.id},
        )
        raise InviteError(InviteProblem.USED)
    if invite.expires_at <= utcnow():
        raise InviteError(InviteProblem.EXPIRED)
    invite.used_at = utcnow()
    invite.used_by_telegram_user_id = telegram_user_id
    previous = await staff_for_user(session, telegram_user_id)
    if previous is not None:
        previous.active, previous.revoked_at = False, utcnow()
    staff = Staff(
        telegram_user_id=telegram_user_id,
        role=invite.role,
        province_id=invite.province_id,
        commune_id=invite.commune_id,
        village_id=invite.village_id,
        language=language,
    )
    session.add(staff)
    await session.flush()
    await append_event(
        session,
        actor_kind=ActorKind.STAFF,
        actor_id=str(staff.id),
        action="staff_joined",
        commune_id=invite.commune_id,
        data={
            "role": invite.role.value,
            "village_id": invite.village_id,
            "invite_id": invite.id,
            "replaces": previous.id if previous else None,
        },
    )
    return staff


async def list_staff(
    session: AsyncSession, province_id: int, *, include_revoked: bool = False
) -> list[StaffView]:
    return await rows.list_staff(session, province_id, include_revoked=include_revoked)


async def revoke_staff(session: AsyncSession, staff_id: int, *, by: Staff | None = None) -> bool:
    """Deactivate a staff member; False when there is no such active member."""
    staff = await rows.staff_by_id(session, staff_id)
    if staff is None or not staff.active:
        return False
    staff.active, staff.revoked_at, staff.awaiting = False, utcnow(), None
    await append_event(
        session,
        actor_kind=ActorKind.STAFF if by else ActorKind.ADMIN_CLI,
        actor_id=str(by.id) if by else None,
        action="staff_revoked",
        commune_id=staff.commune_id,
        data={"staff_id": staff.id, "role": staff.role.value},
    )
    return True


class StaffRoster:
    """Which Telegram accounts are staff, cached briefly: it only routes a private chat's text
    to the staff desk; every decision re-reads the staff row in its own transaction."""

    TTL = 30.0

    def __init__(self, deps: Deps) -> None:
        self._deps = deps
        self._users: frozenset[int] = frozenset()
        self._loaded = -1e9

    async def is_staff(self, telegram_user_id: int) -> bool:
        if time.monotonic() - self._loaded > self.TTL:
            async with self._deps.database.sessions() as session:
                self._users = await rows.active_staff_user_ids(session)
            self._loaded = time.monotonic()
        return telegram_user_id in self._users

    def forget(self) -> None:
        """Reload on next use (after an invite was redeemed or a member revoked here)."""
        self._loaded = -1e9


MENU_VERSION = 3  # bump when the staff commands change: every menu is set again


@dataclass(frozen=True)
class MenuChange:
    """A staff member's command menu to set (active) or to remove (revoked)."""

    staff_id: int
    chat_id: int
    role: StaffRole
    language: str
    active: bool


class StaffMenus:
    """Which staff members' command menus must change in Telegram: active ones whose menu is
    not the current version, revoked ones whose menu is still set (removals first, so that a
    re-invited account gets its new menu after the old one is removed)."""

    def __init__(self, deps: Deps) -> None:
        self._deps = deps

    async def due(self, limit: int = 50) -> list[MenuChange]:
        async with self._deps.database.sessions() as session:
            due = await rows.menus_due(session, version=MENU_VERSION, limit=limit)
        return [MenuChange(s.id, s.telegram_user_id, s.role, s.language, s.active) for s in due]

    async def done(self, change: MenuChange) -> None:
        """The menu was set (or removed) in Telegram."""
        async with self._deps.database.sessions.begin() as session:
            staff = await rows.staff_by_id(session, change.staff_id)
            if staff is not None and staff.active == change.active:
                staff.menu_version = MENU_VERSION if change.active else 0


class StaffSetupError(ValueError):
    """An invitation or revocation asked for from the CLI cannot be made; says why."""


async def invite_from_cli(
    deps: Deps,
    *,
    role: StaffRole,
    province_code: str | None,
    commune_code: str | None,
    village_code: str | None,
    ttl: timedelta = DEFAULT_INVITE_TTL,
) -> IssuedInvite:
    """An invitation made by an administrator at the command line (no staff creator)."""
    async with deps.database.sessions.begin() as session:
        village = commune = province = None
        if village_code:
            village = await places.village_by_code(session, village_code)
            if village is None:
                raise StaffSetupError(f"no village with code {village_code}")
        if commune_code:
            commune = await places.commune_by_code(session, commune_code)
            if commune is None:
                raise StaffSetupError(f"no commune with code {commune_code}")
        if village is not None:
            if commune is not None and village.commune_id != commune.id:
                raise StaffSetupError(f"village {village_code} is not in commune {commune_code}")
            commune = await places.commune(session, village.commune_id)
        if commune is not None:
            province = await places.province(session, commune.province_id)
        elif province_code:
            province = await places.province_by_code(session, province_code)
            if province is None:
                raise StaffSetupError(f"no province with code {province_code}")
        if province is None:
            raise StaffSetupError(
                "name the place: --commune CODE (officer), --village CODE "
                "(chief) or --province CODE (admin)"
            )
        if role is StaffRole.CHIEF and village is None:
            raise StaffSetupError("a chief's invitation needs --village CODE")
        if role is StaffRole.OFFICER and commune is None:
            raise StaffSetupError("an officer's invitation needs --commune CODE")
        if role is StaffRole.ADMIN:
            commune = village = None
        if role is StaffRole.OFFICER:
            village = None  # an officer serves the whole commune
        return await create_invite(
            session,
            role=role,
            province=province,
            commune=commune,
            village=village,
            created_by=None,
            ttl=ttl,
        )


async def staff_gaps(deps: Deps) -> tuple[list[str], int]:
    """Communes with villages but no active officer (their submissions reach nobody), and how
    many villages have no active chief (their alerts go to the commune's officers)."""
    async with deps.database.sessions() as session:
        return await rows.staff_gaps(session)
