"""Staff and invitations in the console: the staff of the reader's scope, invitation links made
by the same rules as Telegram's /invite and `hoso staff invite` (intake/staff), and revocation.

Who may do what, always through the one policy (`decide`):

- **the page**: those who may invite an officer into the commune shown — its officers, and the
  province's admins for any of its communes (a picker); a chief is refused.
- **an invitation**: `invite_chief` for a village (judged in the village's own commune and
  province), `invite_officer` for a commune, `invite_admin` for the province. So an officer
  invites chiefs for the villages of their commune and fellow officers of it; only an admin
  invites admins. A chief's invitation names a village; an officer's, the whole commune.
- **revoking**: whoever may invite a member's role to that member's place may revoke them
  (neither Telegram nor the policy names a revocation of its own; `hoso staff revoke` is an
  administrator's, unchecked). Nobody revokes themselves. The revoked member's console sessions
  end at their next request, and their Telegram menu is removed by the menu sync.

Every refusal by the policy changes nothing, is recorded as the console's other refusals are
(`staff_refused`, via console) and is answered with its reason (`StaffRefused`). An invitation
and a revocation are audit events themselves (`invite_created`, `staff_revoked`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from intake.console._access import ConsoleUser
from intake.console._scope import Scope, record_refusal
from intake.language import VIETNAM
from intake.staff._policy import Action, Decision, Subject, decide
from intake.staff._roster import create_invite, invite_link, revoke_staff
from storage.deps import Deps
from storage.models import Staff
from storage.repositories import places
from storage.repositories import staff as rows
from storage.states import StaffRole

__all__ = ["ConsoleStaff", "Invitation", "Member", "Revoked", "StaffList", "StaffRefused"]


_INVITE = {
    StaffRole.CHIEF: Action.INVITE_CHIEF,
    StaffRole.OFFICER: Action.INVITE_OFFICER,
    StaffRole.ADMIN: Action.INVITE_ADMIN,
}
_ORDER = {StaffRole.ADMIN: 0, StaffRole.OFFICER: 1, StaffRole.CHIEF: 2}


class StaffRefused(Exception):
    """Nothing was done: the message to show (`key`, `params`) and the status."""

    def __init__(self, key: str, status: int, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.status = status
        self.params = params


class _PolicyRefused(StaffRefused):
    """The policy refused: recorded once the transaction is rolled back, then answered."""

    def __init__(
        self,
        key: str,
        decision: Decision,
        action: Action,
        subject: Subject,
        *,
        data: dict[str, object],
        **params: object,
    ) -> None:
        super().__init__(key, 403, **params)
        self.decision = decision
        self.action = action
        self.subject = subject
        self.data = data


@dataclass(frozen=True, slots=True)
class Member:
    id: int
    role: StaffRole
    name: str  # "" when unknown (a member who joined by invitation gave none)
    telegram_user_id: int
    village: str | None
    joined: datetime  # Vietnam time
    revoked: datetime | None  # Vietnam time; None while active
    may_revoke: bool


@dataclass(frozen=True)
class StaffList:
    commune_id: int
    commune_name: str
    communes: list[tuple[int, str]]  # an admin's choice of commune; empty for the others
    members: list[Member]  # the active: admins, officers, then chiefs village by village
    revoked: list[Member]  # newest first; empty unless asked for
    show_revoked: bool
    roles: tuple[StaffRole, ...]  # the invitations the reader may make here
    villages: list[tuple[int, str]]  # the villages a chief's invitation may name


@dataclass(frozen=True)
class Invitation:
    role: StaffRole
    place: str  # the village, commune or province, for people to read
    payload: str  # what follows /start
    link: str | None  # https://t.me/<bot>?start=<payload>; None when the bot's name is unknown
    expires_at: datetime  # Vietnam time
    commune_id: int | None  # an admin's: the commune whose page to come back to


@dataclass(frozen=True, slots=True)
class Revoked:
    role: StaffRole
    name: str
    telegram_user_id: int
    commune_id: int | None  # an admin's: the commune whose page to come back to


class ConsoleStaff:
    """The staff page's use cases (module docstring), each in one transaction."""

    def __init__(self, deps: Deps, *, bot_username: str, scope: Scope) -> None:
        self.deps = deps
        self.bot_username = bot_username
        self.scope = scope

    @asynccontextmanager
    async def _transaction(self, user: ConsoleUser) -> AsyncIterator[AsyncSession]:
        """One transaction; a policy refusal is rolled back, then recorded in a transaction of
        its own (the same event as the console's other refusals) and passed on."""
        try:
            async with self.deps.database.sessions.begin() as session:
                yield session
        except _PolicyRefused as refused:
            await record_refusal(
                self.deps,
                user,
                action=refused.action,
                decision=refused.decision.value,
                commune_id=refused.subject.commune_id,
                **refused.data,
            )
            raise StaffRefused(refused.key, refused.status, **refused.params) from None

    # --- the list ------------------------------------------------------------------------------

    async def staff_list(
        self, user: ConsoleUser, commune_id: int | None, *, show_revoked: bool = False
    ) -> StaffList:
        """The staff of a commune the reader may manage (for an admin, with the province's
        admins), and the invitations they may make there."""
        actor = user.actor
        async with self._transaction(user) as session:
            chosen, name, communes = await self.scope(session, user, commune_id)
            subject = Subject(actor.province_id, chosen)
            decision = decide(actor, Action.INVITE_OFFICER, subject)
            if not decision.allowed:
                raise _PolicyRefused(
                    "console.staff_not_allowed",
                    decision,
                    Action.INVITE_OFFICER,
                    subject,
                    data={"page": "staff"},
                )
            found = await rows.members_of(
                session,
                province_id=actor.province_id,
                commune_id=chosen,
                admins=actor.role is StaffRole.ADMIN,
                include_revoked=show_revoked,
            )
            villages = await places.villages_of_commune(session, chosen)
        place = {v.id: i for i, v in enumerate(villages)}  # the villages' own order
        found.sort(
            key=lambda row: (
                _ORDER[row[0].role],
                place.get(row[0].village_id or 0, -1),
                row[0].created_at,
            )
        )
        members = [_member(user, staff, village) for staff, village in found]
        active = [m for m in members if m.revoked is None]
        gone = sorted(
            (m for m in members if m.revoked is not None), key=lambda m: m.revoked or m.joined
        )
        roles = tuple(
            role
            for role, action in _INVITE.items()
            if decide(actor, action, Subject(actor.province_id, chosen)).allowed
        )
        return StaffList(
            commune_id=chosen,
            commune_name=name,
            communes=communes,
            members=active,
            revoked=gone[::-1],
            show_revoked=show_revoked,
            roles=roles,
            villages=[(v.id, v.name) for v in villages],
        )

    # --- invitations ---------------------------------------------------------------------------

    async def invite(
        self, user: ConsoleUser, *, role: str, commune_id: int | None, village_id: int | None
    ) -> Invitation:
        """An invitation link, if the reader may invite `role` there; StaffRefused says why
        not. `commune_id`: an officer's invitation's (the reader's own when None);
        `village_id`: a chief's invitation's village."""
        try:
            wanted = StaffRole(role)
        except ValueError:
            raise StaffRefused("console.invite_bad_role", 400) from None
        if wanted is StaffRole.CHIEF and village_id is None:
            raise StaffRefused("console.invite_choose_village", 400)
        actor = user.actor
        async with self._transaction(user) as session:
            reader_scope = await self._scope_name(session, user)
            village = commune = None
            if wanted is StaffRole.CHIEF:
                village = await places.village(session, village_id) if village_id else None
                if village is None:
                    raise StaffRefused("console.invite_no_village", 404)
                commune = await places.commune(session, village.commune_id)
                province_id = commune.province_id if commune else -1
                subject = Subject(province_id, village.commune_id, village.id)
                elsewhere = "console.invite_village_elsewhere"
            elif wanted is StaffRole.OFFICER:
                if commune_id is None:
                    commune_id, _, _ = await self.scope(session, user, None)
                commune = await places.commune(session, commune_id)
                if commune is None:
                    raise StaffRefused("console.invite_no_commune", 404)
                subject = Subject(commune.province_id, commune.id)
                elsewhere = "console.invite_commune_elsewhere"
            else:
                subject = Subject(actor.province_id)
                elsewhere = "console.invite_role_refused"
            action = _INVITE[wanted]
            decision = decide(actor, action, subject)
            if not decision.allowed:
                key = (
                    elsewhere
                    if decision is Decision.OUT_OF_SCOPE
                    else "console.invite_role_refused"
                )
                raise _PolicyRefused(
                    key,
                    decision,
                    action,
                    subject,
                    data={"village": village_id, "commune": subject.commune_id},
                    scope=reader_scope,
                    role_key=f"role.{wanted.value}",
                )
            province = await places.province(session, subject.province_id)
            creator = await rows.staff_by_id(session, user.staff_id)
            if province is None or creator is None:
                raise StaffRefused("console.not_found", 404)
            issued = await create_invite(
                session,
                role=wanted,
                province=province,
                commune=commune,
                village=village,
                created_by=creator,
            )
        return Invitation(
            role=wanted,
            place=issued.scope,
            payload=issued.start_payload,
            link=invite_link(self.bot_username, issued) if self.bot_username else None,
            expires_at=issued.expires_at.astimezone(VIETNAM),
            commune_id=commune.id if commune and _picks(user) else None,
        )

    async def _scope_name(self, session: AsyncSession, user: ConsoleUser) -> str:
        """The reader's own place, named in a refusal: their commune, or an admin's province."""
        actor = user.actor
        if actor.role is not StaffRole.ADMIN and actor.commune_id is not None:
            commune = await places.commune(session, actor.commune_id)
            return commune.name if commune else ""
        province = await places.province(session, actor.province_id)
        return province.name if province else ""

    # --- revocation ----------------------------------------------------------------------------

    async def revoke(self, user: ConsoleUser, staff_id: int) -> Revoked:
        """Revoke a member the reader may manage (module docstring); StaffRefused says why
        not. A member who does not exist or is not the reader's is answered alike."""
        if staff_id == user.staff_id:
            raise StaffRefused("console.staff_not_self", 409)
        async with self._transaction(user) as session:
            target = await rows.staff_by_id(session, staff_id)
            if target is None:
                raise StaffRefused("console.staff_not_yours", 404)
            action = _INVITE[target.role]
            subject = Subject(target.province_id, target.commune_id, target.village_id)
            decision = decide(user.actor, action, subject)
            if not decision.allowed:
                raise _PolicyRefused(
                    "console.staff_not_yours",
                    decision,
                    action,
                    subject,
                    data={"revoke": staff_id},
                )
            if not target.active:
                raise StaffRefused("console.staff_already_revoked", 409)
            by = await rows.staff_by_id(session, user.staff_id)
            await revoke_staff(session, target.id, by=by)
        back = target.commune_id if _picks(user) else None
        return Revoked(target.role, target.display_name, target.telegram_user_id, back)


def _picks(user: ConsoleUser) -> bool:
    """An admin picks the commune whose page they see (the others see their own)."""
    return user.actor.role is StaffRole.ADMIN


def _member(user: ConsoleUser, staff: Staff, village: str | None) -> Member:
    active = staff.active and staff.revoked_at is None
    may_revoke = (
        active
        and staff.id != user.staff_id
        and decide(
            user.actor,
            _INVITE[staff.role],
            Subject(staff.province_id, staff.commune_id, staff.village_id),
        ).allowed
    )
    return Member(
        id=staff.id,
        role=staff.role,
        name=staff.display_name,
        telegram_user_id=staff.telegram_user_id,
        village=village,
        joined=staff.created_at.astimezone(VIETNAM),
        revoked=(staff.revoked_at or staff.created_at).astimezone(VIETNAM) if not active else None,
        may_revoke=may_revoke,
    )
