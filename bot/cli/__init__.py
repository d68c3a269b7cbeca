"""The `hoso` command line: one click group; each command group lives in its own module."""

from __future__ import annotations

import os

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 99})
@click.version_option(package_name="hoso")
def main() -> None:
    """hoso — land-document intake over Telegram for the land-database campaign.

    Configuration comes from HOSO_* environment variables (and an optional .env file);
    see README.md.
    """
    os.umask(0o077)  # the database, blobs and keys hold personal data: owner-only files


# Command groups are registered here, one line each.
from bot.cli.admin import init, parcels, status, targets, units, villages  # noqa: E402
from bot.cli.audit import audit  # noqa: E402
from bot.cli.backup import backup, restore  # noqa: E402
from bot.cli.demo import demo  # noqa: E402
from bot.cli.keys import keys  # noqa: E402
from bot.cli.pull import pull  # noqa: E402
from bot.cli.retention import retention  # noqa: E402
from bot.cli.run import run  # noqa: E402
from bot.cli.staff import staff  # noqa: E402

for _command in (
    demo,
    run,
    init,
    status,
    units,
    villages,
    parcels,
    targets,
    keys,
    pull,
    staff,
    audit,
    retention,
    backup,
    restore,
):
    main.add_command(_command)
from bot.cli.inspect import inspect_command  # noqa: E402

main.add_command(inspect_command)
