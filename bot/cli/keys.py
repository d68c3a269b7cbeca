"""Key commands: commune and escrow keys for sealing documents, field-key rotation."""

from __future__ import annotations

import click

from bot.cli._common import fail, run_use_case, settings_from_env
from bot.wiring import keyfiles_for, open_deps
from crypto import MIN_PASSPHRASE_LENGTH
from intake.admin import (
    create_commune_key,
    create_escrow_key,
    rotate_field_keys,
    unlock_commune_key,
)

__all__ = ["keys"]

_RECOVERY_NOTICE = (
    "RECOVERY COPY — shown only this once. Print it or write it down and keep it in the {place}"
    " safe. With it, the documents can be opened even if the passphrase is forgotten;"
    " without it and the passphrase, they cannot be opened by anyone."
)


@click.group()
def keys() -> None:
    """Keys that seal documents and encrypt fields."""


def _print_recovery(text: str, place: str) -> None:
    click.echo()
    click.echo(_RECOVERY_NOTICE.format(place=place))
    click.echo("-" * 72)
    click.echo(text.rstrip())
    click.echo("-" * 72)


@keys.command("create-commune")
@click.option("--commune", "commune_code", required=True, help="official commune code")
@click.option(
    "--passphrase",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help=f"asked twice; at least {MIN_PASSPHRASE_LENGTH} characters",
)
@run_use_case
async def create_commune(commune_code: str, passphrase: str) -> None:
    """Create the commune's key; its land office opens documents with it.

    \b
    Example:
      hoso keys create-commune --commune 24145
    The passphrase is asked twice and unlocks the key in the console and `hoso pull`.
    """
    settings = settings_from_env()
    async with open_deps(settings) as deps:
        created = await create_commune_key(deps, commune_code, passphrase)
    click.echo(f"commune key for {created.place}: {created.recipient}")
    _print_recovery(created.identity.file_text(), "commune office")


@keys.command("create-escrow")
@click.option("--province", "province_code", help="official province code (default HOSO_PROVINCE)")
@click.option("--replace", is_flag=True, help="make a new escrow key for future documents")
@run_use_case
async def create_escrow(province_code: str | None, replace: bool) -> None:
    """Create the province escrow key; every document is sealed to it as well.

    \b
    Example:
      hoso keys create-escrow --province 66
    Only its public part stays on the server; keep the printed identity offline.
    """
    settings = settings_from_env()
    code = province_code or settings.province
    if not code:
        fail("give --province CODE (or set HOSO_PROVINCE)")
        return
    async with open_deps(settings) as deps:
        created = await create_escrow_key(deps, f"{int(code):02d}", replace=replace)
    click.echo(f"escrow key for {created.place}: {created.recipient}")
    _print_recovery(created.identity.file_text(), "province archive")


@keys.command("rotate-fields")
@click.option("--batch", default=500, show_default=True, help="rows per transaction")
@run_use_case
async def rotate_fields(batch: int) -> None:
    """Make a new field key and re-encrypt every field under it, in batches.

    \b
    Example:
      hoso keys rotate-fields
    If interrupted, run it again: it first finishes the interrupted rotation.
    """
    settings = settings_from_env()
    keyfiles = keyfiles_for(settings)
    rows = 0

    def progress(count: int) -> None:
        nonlocal rows
        rows += count
        click.echo(f"\r  {rows} rows checked", nl=False, err=True)

    async with open_deps(settings) as deps:
        result = await rotate_field_keys(deps, keyfiles, batch=batch, progress=progress)
    click.echo("", err=True)
    if result.resumed:
        click.echo(
            f"finished an interrupted rotation: {result.reencrypted} values now under key "
            f"#{result.primary_key_id}; run again to rotate to a new key"
        )
    else:
        click.echo(
            f"new primary key #{result.primary_key_id}; {result.reencrypted} values re-encrypted"
        )


@keys.command("verify")
@click.option("--commune", "commune_code", required=True, help="official commune code")
@click.option("--passphrase", prompt=True, hide_input=True, help="the commune key's passphrase")
@run_use_case
async def verify(commune_code: str, passphrase: str) -> None:
    """Check that a passphrase unlocks the commune's key (nothing is changed).

    \b
    Example:
      hoso keys verify --commune 24175
    """
    settings = settings_from_env()
    async with open_deps(settings) as deps:
        identity = await unlock_commune_key(deps, commune_code, passphrase)
    click.echo(f"the passphrase unlocks {identity.recipient}")
