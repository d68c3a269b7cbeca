"""`hoso staff`: invite, list and revoke staff (village chiefs, commune officers, admins)."""

from __future__ import annotations

import json
from datetime import timedelta

import click

from bot.cli._common import fail, run_use_case, settings_from_env
from bot.wiring import open_deps
from intake.language import VIETNAM
from intake.staff import invite_from_cli, invite_link, list_staff, revoke_staff
from storage.repositories.places import province_by_code
from storage.states import StaffRole

__all__ = ["staff"]


@click.group()
def staff() -> None:
    """Staff: invitations (single-use, expiring deep links), the list, revocation."""


@staff.command()
@click.option(
    "--role", type=click.Choice([r.value for r in StaffRole]), required=True, help="the role"
)
@click.option("--commune", "commune_code", help="commune code (officer; or with --village)")
@click.option("--village", "village_code", help="village code (chief)")
@click.option("--province", "province_code", help="province code (admin)")
@click.option("--hours", type=click.IntRange(1, 24 * 30), default=72, show_default=True)
@click.option("--bot-username", help="the bot's @username (default: HOSO_BOT_USERNAME)")
@run_use_case
async def invite(
    *,
    role: str,
    commune_code: str | None,
    village_code: str | None,
    province_code: str | None,
    hours: int,
    bot_username: str | None,
) -> None:
    """Make an invitation and print its link; send it privately to that one person.

    \b
    Examples:
      hoso staff invite --role officer --commune 24175
      hoso staff invite --role chief --village 24175-01
      hoso staff invite --role admin --province 66
    """
    settings = settings_from_env()
    async with open_deps(settings) as deps:
        issued = await invite_from_cli(
            deps,
            role=StaffRole(role),
            province_code=province_code or settings.province,
            commune_code=commune_code,
            village_code=village_code,
            ttl=timedelta(hours=hours),
        )
    username = (bot_username or settings.bot_username or "").lstrip("@")
    click.echo(f"invitation: {role} — {issued.scope}")
    click.echo(f"expires:    {issued.expires_at.astimezone(VIETNAM):%Y-%m-%d %H:%M} (Vietnam)")
    if username:
        click.echo(f"link:       {invite_link(username, issued)}")
    else:
        click.echo("link:       (set HOSO_BOT_USERNAME or --bot-username for a t.me link)")
    click.echo(f"or type to the bot: /start {issued.start_payload}")


@staff.command(name="list")
@click.option("--province", "province_code", help="province code (default: HOSO_PROVINCE)")
@click.option("--all", "include_revoked", is_flag=True, help="also revoked members")
@click.option("--json", "as_json", is_flag=True, help="machine-readable output")
@run_use_case
async def list_command(province_code: str | None, include_revoked: bool, as_json: bool) -> None:
    """List the province's staff."""
    settings = settings_from_env()
    code = province_code or settings.province
    if not code:
        fail("name the province: --province CODE or HOSO_PROVINCE")
    async with open_deps(settings) as deps, deps.database.sessions() as session:
        province = await province_by_code(session, str(code))
        if province is None:
            fail(f"no province with code {code}; run `hoso units import --province {code}`")
            return
        members = await list_staff(session, province.id, include_revoked=include_revoked)
    if as_json:
        rows = [
            {
                "id": m.id,
                "telegram_user_id": m.telegram_user_id,
                "role": m.role.value,
                "commune": m.commune,
                "village": m.village,
                "active": m.active,
                "daily_digest": m.digest,
                "since": m.created_at.isoformat(),
            }
            for m in members
        ]
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    if not members:
        click.echo("no staff yet — `hoso staff invite --role officer --commune CODE`")
    for m in members:
        place = " / ".join(p for p in (m.commune, m.village) if p) or "(province)"
        state = "" if m.active else "  [revoked]"
        click.echo(f"{m.id:>5}  {m.role.value:<8} tg:{m.telegram_user_id:<12} {place}{state}")


@staff.command()
@click.argument("staff_id", type=int)
@run_use_case
async def revoke(staff_id: int) -> None:
    """Revoke a staff member (by the id `hoso staff list` shows); their menu is removed."""
    settings = settings_from_env()
    async with open_deps(settings) as deps, deps.database.sessions.begin() as session:
        if not await revoke_staff(session, staff_id):
            fail(f"no active staff member with id {staff_id}")
    click.echo(f"revoked staff member {staff_id}")
