"""Staff members and their invitations: who is staff with which role and place, who is told of
what (a village's chiefs, a commune's officers), whose daily digest or report is due, whose
command menu must change, and which communes and villages lack staff.

Speed (bench/README.md, item 27): every submission asks which staff to tell; that statement is
built once and run plain, its rows read as plain values.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import ColumnElement, Table, bindparam, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Commune, Invite, Staff, Village
from storage.states import StaffRole

__all__ = [
    "Recipient",
    "StaffView",
    "active_staff_user_ids",
    "add_invite",
    "chiefs_due_a_digest",
    "invite_by_token_hash",
    "list_staff",
    "members_of",
    "menus_due",
    "officers_due_a_report",
    "recipients",
    "staff_by_id",
    "staff_for_user",
    "staff_gaps",
]


async def staff_for_user(session: AsyncSession, telegram_user_id: int) -> Staff | None:
    """The account's active staff row, if any."""
    return await session.scalar(
        select(Staff)
        .where(Staff.telegram_user_id == telegram_user_id, Staff.active.is_(True))
        .order_by(Staff.id.desc())
        .limit(1)
    )


async def staff_by_id(session: AsyncSession, staff_id: int) -> Staff | None:
    return await session.get(Staff, staff_id)


async def active_staff_user_ids(session: AsyncSession) -> frozenset[int]:
    rows = await session.scalars(select(Staff.telegram_user_id).where(Staff.active.is_(True)))
    return frozenset(rows)


async def add_invite(session: AsyncSession, invite: Invite) -> None:
    session.add(invite)


async def invite_by_token_hash(session: AsyncSession, token_hash: bytes) -> Invite | None:
    """The invitation, locked (two redemptions at once: one wins)."""
    query = select(Invite).where(Invite.token_hash == token_hash)
    return await session.scalar(query.with_for_update())


@dataclass(frozen=True)
class StaffView:
    id: int
    telegram_user_id: int
    role: StaffRole
    commune: str | None
    village: str | None
    active: bool
    digest: bool
    created_at: datetime


async def list_staff(
    session: AsyncSession, province_id: int, *, include_revoked: bool = False
) -> list[StaffView]:
    query = (
        select(Staff, Commune.name, Village.name)
        .outerjoin(Commune, Commune.id == Staff.commune_id)
        .outerjoin(Village, Village.id == Staff.village_id)
        .where(Staff.province_id == province_id)
        .order_by(Staff.id)
    )
    if not include_revoked:
        query = query.where(Staff.active.is_(True))
    return [
        StaffView(
            s.id,
            s.telegram_user_id,
            s.role,
            commune,
            village,
            s.active,
            s.daily_digest,
            s.created_at,
        )
        for s, commune, village in await session.execute(query)
    ]


async def members_of(
    session: AsyncSession,
    *,
    province_id: int,
    commune_id: int,
    admins: bool,
    include_revoked: bool,
) -> list[tuple[Staff, str | None]]:
    """A commune's staff (and, with `admins`, the province's administrators), each with their
    village's name, oldest first."""
    place = Staff.commune_id == commune_id
    if admins:
        place = or_(place, Staff.role == StaffRole.ADMIN)
    query = (
        select(Staff, Village.name)
        .outerjoin(Village, Village.id == Staff.village_id)
        .where(Staff.province_id == province_id, place)
        .order_by(Staff.id)
    )
    if not include_revoked:
        query = query.where(Staff.active.is_(True))
    return [(staff, village) for staff, village in await session.execute(query)]


@dataclass(frozen=True)
class Recipient:
    """A staff member to tell, as plain values."""

    telegram_user_id: int
    language: str
    daily_digest: bool


_STAFF = cast(Table, Staff.__table__)
_OF_ROLE = (
    select(_STAFF.c.telegram_user_id, _STAFF.c.language, _STAFF.c.daily_digest)
    .where(
        _STAFF.c.active.is_(True),
        _STAFF.c.role == bindparam("role"),
        _STAFF.c.commune_id == bindparam("commune_id"),
    )
    .order_by(_STAFF.c.id)
)
_OF_VILLAGE = _OF_ROLE.where(_STAFF.c.village_id == bindparam("village_id"))


async def recipients(
    session: AsyncSession, *, commune_id: int, role: StaffRole, village_id: int | None = None
) -> list[Recipient]:
    """The active staff of a role in a commune (or in one of its villages)."""
    values: dict[str, object] = {"role": role, "commune_id": commune_id}
    if village_id is not None:
        values["village_id"] = village_id
    query = _OF_ROLE if village_id is None else _OF_VILLAGE
    rows = await (await session.connection()).execute(query, values)
    return [Recipient(*row) for row in rows]


async def _due(
    session: AsyncSession, role: StaffRole, *conditions: ColumnElement[bool], lock: bool
) -> list[Staff]:
    query = select(Staff).where(Staff.active.is_(True), Staff.role == role, *conditions)
    if lock:  # PostgreSQL: two processes never write the same member's daily message
        query = query.with_for_update(skip_locked=True)
    return list(await session.scalars(query.order_by(Staff.id)))


async def chiefs_due_a_digest(
    session: AsyncSession, *, since: datetime, lock: bool
) -> list[Staff]:
    """Chiefs in digest mode whose last digest was before `since` (or never)."""
    return await _due(
        session,
        StaffRole.CHIEF,
        Staff.daily_digest.is_(True),
        or_(Staff.digest_sent_at.is_(None), Staff.digest_sent_at < since),
        lock=lock,
    )


async def officers_due_a_report(session: AsyncSession, *, day: str, lock: bool) -> list[Staff]:
    """Officers whose report of `day` (a local date, ISO) was not written yet."""
    return await _due(
        session,
        StaffRole.OFFICER,
        or_(Staff.report_sent_on.is_(None), Staff.report_sent_on != day),
        lock=lock,
    )


async def menus_due(session: AsyncSession, *, version: int, limit: int) -> list[Staff]:
    """Members whose command menu must change: active ones without the current version,
    revoked ones whose menu is still set; removals first."""
    rows = await session.scalars(
        select(Staff)
        .where(
            ((Staff.active.is_(True)) & (Staff.menu_version != version))
            | ((Staff.active.is_(False)) & (Staff.menu_version != 0))
        )
        .order_by(Staff.active, Staff.id)
        .limit(limit)
    )
    return list(rows)


async def staff_gaps(session: AsyncSession) -> tuple[list[str], int]:
    """Communes with villages but no active officer, and how many villages have no active
    chief."""
    officers = select(Staff.commune_id).where(
        Staff.active.is_(True), Staff.role == StaffRole.OFFICER
    )
    chiefs = select(Staff.village_id).where(Staff.active.is_(True), Staff.role == StaffRole.CHIEF)
    communes = await session.scalars(
        select(Commune.code)
        .where(
            Commune.id.in_(select(Village.commune_id)),
            Commune.id.not_in(officers.where(Staff.commune_id.is_not(None))),
        )
        .order_by(Commune.code)
    )
    without_chief = await session.scalar(
        select(func.count())
        .select_from(Village)
        .where(Village.id.not_in(chiefs.where(Staff.village_id.is_not(None))))
    )
    return list(communes), without_chief or 0
