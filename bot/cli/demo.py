"""`hoso demo`: everything embedded, on a demo data directory."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import click

from bot.cli._common import run_use_case
from bot.cli.admin import print_status
from bot.config import load_settings
from bot.wiring import open_deps
from crypto import write_secret_file
from intake.demo import prepare_demo
from intake.status import collect_status

__all__ = ["demo"]


@click.command()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("var/demo"),
    show_default=True,
    help="where the demo keeps its database, keys and documents",
)
@run_use_case
async def demo(data_dir: Path) -> None:
    """Set up and show the demo: Đắk Lắk, the commune of Hòa Phú and its villages.

    \b
    Example:
      make demo        (or: hoso demo --data-dir /tmp/hoso-demo)
    Running it again reuses the same demo data directory.
    """
    os.environ.pop("HOSO_DATABASE_URL", None)  # the demo is always embedded SQLite
    settings = load_settings(data_dir=data_dir, province="66")
    async with open_deps(settings, create_keys=True) as deps:
        setup = await prepare_demo(deps)
        status = await collect_status(deps)
    click.echo(f"demo data directory: {settings.data_dir.resolve()}")
    click.echo(f"demo commune: {setup.commune_name}, villages {', '.join(setup.village_codes)}")
    if setup.passphrase is not None:
        passphrase_file = settings.keys_dir / "DEMO-COMMUNE-PASSPHRASE"
        await asyncio.to_thread(
            write_secret_file, passphrase_file, setup.passphrase.encode() + b"\n", overwrite=True
        )
        click.echo(f"demo commune key passphrase (demo only): {setup.passphrase}")
        click.echo(f"  kept in {passphrase_file}")
    click.echo()
    print_status(status)
