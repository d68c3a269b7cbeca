"""Staff: who they are and how they join (the roster and its invitations), the one policy
function that decides every staff action (pure), the staff buttons' codec and screens (pure),
and the desk that handles a staff member's event: load → policy and lifecycle → save → show."""

from intake.staff import _screens as screens
from intake.staff._callbacks import StaffPress, data_of, parse
from intake.staff._desk import STAFF_COMMANDS, StaffDesk, event_is_plain, role_commands
from intake.staff._policy import Action, Decision, StaffActor, Subject, decide
from intake.staff._roster import (
    DEFAULT_INVITE_TTL,
    INVITE_PREFIX,
    MENU_VERSION,
    InviteError,
    InviteProblem,
    IssuedInvite,
    MenuChange,
    StaffMenus,
    StaffRoster,
    StaffSetupError,
    actor_of,
    create_invite,
    invite_from_cli,
    invite_link,
    list_staff,
    redeem_invite,
    revoke_staff,
    staff_for_user,
    staff_gaps,
)

__all__ = [
    "DEFAULT_INVITE_TTL",
    "INVITE_PREFIX",
    "MENU_VERSION",
    "STAFF_COMMANDS",
    "Action",
    "Decision",
    "InviteError",
    "InviteProblem",
    "IssuedInvite",
    "MenuChange",
    "StaffActor",
    "StaffDesk",
    "StaffMenus",
    "StaffPress",
    "StaffRoster",
    "StaffSetupError",
    "Subject",
    "actor_of",
    "create_invite",
    "data_of",
    "decide",
    "event_is_plain",
    "invite_from_cli",
    "invite_link",
    "list_staff",
    "parse",
    "redeem_invite",
    "revoke_staff",
    "role_commands",
    "screens",
    "staff_for_user",
    "staff_gaps",
]
