"""Set-up commands: init, status, and the imports of units, villages, parcels and targets."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from pathlib import Path

import click

from bot.cli._common import fail, run_use_case, settings_from_env
from bot.cli.audit import describe_chain
from bot.wiring import key_the_audit_chain, keyfiles_for, open_deps
from intake.admin import (
    ImportResult,
    ProcessState,
    ProcessStatus,
    Status,
    collect_status,
    import_parcels,
    import_province,
    import_targets,
    import_villages,
)

__all__ = ["init", "parcels", "status", "targets", "units", "villages"]


@click.command()
@run_use_case
async def init() -> None:
    """Create the data directory, the server keys and the database.

    \b
    Example:
      HOSO_DATA_DIR=/srv/hoso hoso init
    Safe to run again: nothing that exists is replaced.
    """
    settings = settings_from_env()
    settings.ensure_data_dir()
    keyfiles = keyfiles_for(settings)
    created = keyfiles.create_missing()
    async with open_deps(settings) as deps:
        current, _ = await deps.database.schema_revision()
        keyed = await key_the_audit_chain(keyfiles, deps)
    click.echo(f"data directory: {settings.data_dir.resolve()}")
    click.echo(f"database: {deps.database.backend}, schema {current}")
    click.echo(f"keys created: {', '.join(created) if created else 'none (all present)'}")
    if keyed is not None:
        click.echo(
            f"audit chain keyed: {keyed.events} existing events re-linked under the new key"
        )
        if keyed.earlier_fault is not None:
            click.echo(
                f"  it was already broken before ({keyed.earlier_fault} at event "
                f"#{keyed.earlier_broken_at}); the audit_chain_keyed event records it"
            )


def _json_value(value: object) -> str:
    return value.hex() if isinstance(value, bytes) else str(value)


def status_json(status: Status) -> str:
    """`hoso status --json`'s object."""
    return json.dumps(dataclasses.asdict(status), ensure_ascii=False, default=_json_value)


def _process_line(process: ProcessStatus, timeout: float) -> str:
    line = (
        f"  {process.id[:8]}  {process.host} pid {process.pid}  {process.mode:<7}  started "
        f"{process.started_at:%Y-%m-%d %H:%M:%S} UTC  heartbeat "
        f"{process.heartbeat_lag_seconds:g} s ago  leases: {process.documents_leased} "
        f"documents, {process.outbox_leased} outbox"
    )
    if process.state is ProcessState.STOPPED:
        return line + "  (stopped)"
    if process.state is ProcessState.DEAD:
        return line + (
            f"  LOOKS DEAD (no heartbeat within {timeout:g} s, or its pid is gone): the next"
            " live process takes its leases over"
        )
    return line


def print_processes(status: Status, timeout: float) -> None:
    """The bot processes not yet reaped, one line each."""
    if not status.processes:
        click.echo("processes    none running")
        return
    dead = sum(p.state is ProcessState.DEAD for p in status.processes)
    click.echo(f"processes    {len(status.processes)}" + (f" ({dead} look dead)" if dead else ""))
    for process in status.processes:
        click.echo(_process_line(process, timeout))


def print_status(status: Status, blob_store: str | None = None) -> None:
    click.echo(
        f"database     {status.backend}, schema {status.schema_current}"
        f"{'' if status.schema_current == status.schema_head else ' (upgrade pending)'}"
    )
    click.echo(
        f"field keys   primary #{status.field_key_primary}, {status.field_key_count} in keyring"
    )
    if not status.provinces:
        click.echo("provinces    none — run `hoso units import --province CODE`")
    for province in status.provinces:
        click.echo(
            f"province     {province.code} {province.name}: {province.communes} communes, "
            f"{province.communes_with_key} with a key, escrow key "
            f"{'yes' if province.escrow_key else 'MISSING (hoso keys create-escrow)'}"
        )
    for name, count in status.counts.items():
        click.echo(f"{name:<13}{count}")
    for title, groups in (
        ("submissions", status.submissions_by_state),
        ("documents", status.documents_by_status),
        ("outbox", status.outbox_by_status),
    ):
        if groups:
            click.echo(f"{title:<13}" + ", ".join(f"{k} {v}" for k, v in sorted(groups.items())))
    where = "" if blob_store is None else f", in {blob_store}"
    click.echo(f"blobs        {status.blob_bytes} bytes sealed{where}")
    if status.audit_chain is not None:
        title = "audit" if status.audit_chain.intact else "AUDIT"
        click.echo(f"{title:<13}chain {describe_chain(status.audit_chain)}")


@click.command()
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@run_use_case
async def status(as_json: bool) -> None:
    """Show what is configured, how many of each record exist and the bot processes.

    Each bot process not yet reaped: its id, host, pid, mode, start, seconds since its last
    heartbeat, the documents and outbox rows it leases, and whether it looks dead.

    \b
    Example:
      hoso status --json
    """
    settings = settings_from_env()
    async with open_deps(settings) as deps:
        result = await collect_status(deps, process_timeout=settings.process_timeout)
    if as_json:
        click.echo(status_json(result))
    else:
        print_status(result, deps.blobs.location)
        print_processes(result, settings.process_timeout)


@click.group()
def units() -> None:
    """Official administrative units (province and communes)."""


@units.command("import")
@click.option("--province", "province_code", help="official province code, e.g. 66 (Đắk Lắk)")
@run_use_case
async def units_import(province_code: str | None) -> None:
    """Import a province and all its communes with official codes (idempotent).

    \b
    Example:
      hoso units import --province 66
    """
    settings = settings_from_env()
    code = province_code or settings.province
    if not code:
        fail("give --province CODE (or set HOSO_PROVINCE), e.g. --province 66")
        return
    async with open_deps(settings) as deps:
        result = await import_province(deps, code)
    click.echo(
        f"{result.province}: {result.total} communes ({result.added} added, "
        f"{result.updated} updated)"
    )


def _file_import(kind: str, importer: object, example: str) -> click.Group:
    group = click.Group(kind, help=f"The commune's {kind} list.")

    @group.command("import", help=example)
    @click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
    @run_use_case
    async def run(file: Path) -> None:
        settings = settings_from_env()
        data = await asyncio.to_thread(file.read_bytes)
        async with open_deps(settings) as deps:
            result: ImportResult = await importer(deps, data, province_code=settings.province)  # type: ignore[operator]
        extra = "".join(f", {k} {v}" for k, v in result.details.items())
        click.echo(
            f"{kind}: {result.added} added, {result.updated} updated "
            f"in {result.communes} commune(s){extra}"
        )

    return group


villages = _file_import(
    "villages",
    import_villages,
    "Import villages from a CSV file (columns commune_code, village_name[, village_code]).\n\n"
    "\b\nExample:\n  hoso villages import villages.csv",
)
parcels = _file_import(
    "parcels",
    import_parcels,
    "Import the parcel list (commune_code, map_sheet, parcel_no[, village_code]).\n\n"
    "\b\nExample:\n  hoso parcels import parcels.csv",
)
targets = _file_import(
    "targets",
    import_targets,
    "Import the households to collect (commune_code, household_name[, village_code, cccd,"
    " map_sheet, parcel_no]); replaces the listed communes' targets.\n\n"
    "\b\nExample:\n  hoso targets import targets.csv",
)
