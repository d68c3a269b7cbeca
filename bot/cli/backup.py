"""`hoso backup OUT` and `hoso restore BACKUP` (intake/admin/_backup.py and _restore.py say how):
a consistent, verified copy while the bot runs, and its restore into an empty data directory.
Both say where the keys are, which a backup never holds."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from bot.cli._common import fail, run_use_case, settings_from_env
from bot.config import Settings
from bot.wiring import open_deps
from crypto import KeyFiles
from intake.admin import BackupError, Manifest, make_backup, restore_backup

__all__ = ["backup", "restore"]


def _server_keys(settings: Settings) -> list[str]:
    """Where each server key is: its file, or the variable that holds it."""
    keys_dir = settings.keys_dir.resolve()
    return [
        variable if value is not None else str(keys_dir / name)
        for name, variable, value in (
            (KeyFiles.FIELD_KEYRING, "HOSO_FIELD_KEYS", settings.field_keys),
            (KeyFiles.BLIND_INDEX, "HOSO_BLIND_INDEX_KEY", settings.blind_index_key),
            (KeyFiles.AUDIT_CHAIN, "HOSO_AUDIT_KEY", settings.audit_key),
        )
    ]


def _megabytes(count: int) -> str:
    return f"{count / 1e6:.1f} MB"


def _figures(manifest: Manifest) -> list[str]:
    """The manifest's `hoso status` figures, in two lines or three."""
    status = manifest.status
    counts: dict[str, Any] = status.get("counts", {})
    lines = ["  " + ", ".join(f"{name} {count}" for name, count in counts.items())]
    by_state: dict[str, Any] = status.get("submissions_by_state", {})
    if by_state:
        lines.append(
            "  submissions: " + ", ".join(f"{k} {v}" for k, v in sorted(by_state.items()))
        )
    chain = status.get("audit_chain")
    if isinstance(chain, dict) and "events" in chain:
        if chain.get("fault") is None:
            lines.append(f"  audit chain: intact, {chain['events']} events")
        else:
            at = chain.get("broken_at")
            lines.append(
                f"  audit chain: BROKEN ({chain['fault']}"
                f"{'' if at is None else f' at event #{at}'}): `hoso audit verify` says more"
            )
    return lines


@click.command()
@click.argument("out", type=click.Path(path_type=Path))
@run_use_case
async def backup(out: Path) -> None:
    """Copy the database and the sealed files into the new folder OUT, while the bot runs.

    The database is copied as one snapshot (SQLite's online backup, or pg_dump on
    PostgreSQL), then the sealed files it refers to; manifest.json lists the figures of
    `hoso status` at the snapshot and every file's SHA-256. The keys are not copied: keep
    them separately. OUT must not exist yet (or be empty); a failed backup leaves nothing.

    \b
    Example:
      hoso backup /mnt/backup/hoso-2026-12-04
    """
    settings = settings_from_env()
    async with open_deps(settings) as deps:
        try:
            made = await make_backup(deps, out, process_timeout=settings.process_timeout)
        except BackupError as exc:
            fail(str(exc))
            raise
    manifest = made.manifest
    click.echo(
        f"backup written to {made.path} in {made.seconds:.1f} s: the {manifest.backend} "
        f"database (schema {manifest.schema_revision}, {_megabytes(made.database_bytes)}) and "
        f"{made.blob_count} sealed files ({_megabytes(made.blob_bytes)})"
    )
    for line in _figures(manifest):
        click.echo(line)
    click.echo(f"manifest.json SHA-256 {manifest.sha256}")
    click.echo()
    click.echo(
        "The keys are NOT in this backup: keep them separately (other media, another place)."
        f" The server keys are {', '.join(_server_keys(settings))}; without them the"
        " backup's names, ID numbers and audit chain cannot be read or checked. The commune"
        " keys' recovery copies and the province escrow key, printed once when they were"
        " made, are kept offline; without them (or a commune's passphrase) no sealed"
        " document opens."
    )


@click.command()
@click.argument(
    "source", metavar="BACKUP", type=click.Path(path_type=Path, file_okay=False, exists=True)
)
@run_use_case
async def restore(source: Path) -> None:
    """Restore a backup into an empty data directory (HOSO_DATA_DIR) and database.

    The backup is refused unless it verifies: its manifest, and every file's SHA-256.
    On PostgreSQL it goes into the (empty) schema of the database HOSO_DATABASE_URL names.
    The keys are not in a backup: put them back afterwards, then run `hoso status`.
    The sealed files go into the data directory's blobs/ folder only: restoring into an
    object store (HOSO_BLOB_URL) is not supported, so it must be unset.

    \b
    Example:
      HOSO_DATA_DIR=/srv/hoso hoso restore /mnt/backup/hoso-2026-12-04
    """
    settings = settings_from_env()
    if settings.blob_url is not None:
        fail(
            f"hoso restore writes the sealed files into {settings.blobs_dir.resolve()} only, "
            f"not into the object store HOSO_BLOB_URL={settings.blob_url}: unset HOSO_BLOB_URL "
            "to restore"
        )
        return
    try:
        restored = await restore_backup(
            source, data_dir=settings.data_dir, database_url=settings.effective_database_url
        )
    except BackupError as exc:
        fail(str(exc))
        raise
    manifest = restored.manifest
    click.echo(
        f"restored the backup of {manifest.created_at} (hoso {manifest.hoso_version}, schema "
        f"{manifest.schema_revision}) into {restored.data_dir} in {restored.seconds:.1f} s: "
        f"the database into {restored.database}, {restored.blob_count} sealed files"
    )
    click.echo("figures at the backup (`hoso status` shows the same once the keys are back):")
    for line in _figures(manifest):
        click.echo(line)
    click.echo()
    keys_dir = settings.keys_dir.resolve()
    click.echo(
        "The keys were not in the backup: before starting hoso, put the server keys back into"
        f" {keys_dir}/ ({KeyFiles.FIELD_KEYRING}, {KeyFiles.BLIND_INDEX},"
        f" {KeyFiles.AUDIT_CHAIN}; mode 0600), or set HOSO_FIELD_KEYS, HOSO_BLIND_INDEX_KEY"
        " and HOSO_AUDIT_KEY, then run `hoso status` to compare the figures and check the"
        " audit chain."
    )
