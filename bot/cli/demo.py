"""`hoso demo`: everything embedded — SQLite, keys, the simulator, the bot — on a demo data
directory, with a demo province, commune, villages and people to play."""

from __future__ import annotations

import asyncio
import os
import secrets
from pathlib import Path

import click

from bot.cli._common import run_use_case
from bot.config import load_settings
from bot.logs import configure_logging
from bot.runtime import BotOptions, Runtime
from bot.wiring import open_deps
from crypto import write_secret_file
from intake.admin import DEMO_CHIEF_USER, DEMO_OFFICER_USER, prepare_demo
from simulator import SimulatorConfig, SimulatorServer

__all__ = ["demo"]

# Fixed ids, so that a second run finds the same residents in the demo database.
DEMO_PEOPLE = (
    (7001, "Nguyễn Văn An", "resident"),
    (7002, "Trần Thị Bình", "resident"),
    (7003, "H'Hen Niê", "resident"),
    (DEMO_CHIEF_USER, "Y Ni Ksor", "village chief of Thôn 1"),
    (DEMO_OFFICER_USER, "Lê Thị Hoa", "commune land officer"),
)


@click.command()
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("var/demo"),
    show_default=True,
    help="where the demo keeps its database, keys and documents",
)
@click.option("--host", default="127.0.0.1", show_default=True, help="address to listen on")
@click.option("--port", default=8081, show_default=True, help="the chat page (simulator) port")
@click.option("--bot-port", default=8080, show_default=True, help="the bot's web server port")
@click.option("--setup-only", is_flag=True, help="prepare the demo data and exit")
@run_use_case
async def demo(data_dir: Path, host: str, port: int, bot_port: int, setup_only: bool) -> None:
    """Run the demo: a local Telegram (the simulator) with its chat page, and the bot.

    \b
    Example:
      make demo        (or: hoso demo --data-dir /tmp/hoso-demo --port 9000)
    Open the printed chat address, pick a person and send /start. Ctrl-C stops everything;
    running it again reuses the same demo data directory.
    """
    os.environ.pop("HOSO_DATABASE_URL", None)  # the demo is always embedded SQLite
    settings = load_settings(data_dir=data_dir, province="66", log_format="text")
    configure_logging("WARNING", "text")
    async with open_deps(settings, create_keys=True) as deps:
        setup = await prepare_demo(deps)
        click.echo(f"demo data directory: {settings.data_dir.resolve()}")
        click.echo(
            f"demo commune: {setup.commune_name} — villages {', '.join(setup.village_codes)}"
        )
        passphrase_file = settings.keys_dir / "DEMO-COMMUNE-PASSPHRASE"
        if setup.passphrase is not None:
            await asyncio.to_thread(
                write_secret_file,
                passphrase_file,
                setup.passphrase.encode() + b"\n",
                overwrite=True,
            )
            click.echo(f"demo commune key passphrase (demo only): {setup.passphrase}")
        else:
            click.echo(f"demo commune key passphrase: in {passphrase_file.resolve()}")
        if setup_only:
            return
        token = f"{secrets.randbelow(10**9) + 10**9}:{secrets.token_urlsafe(27)}"
        async with SimulatorServer(SimulatorConfig(), host=host, port=port) as simulator:
            simulator.register_bot(token, first_name="Hồ sơ đất đai", username="hoso_demo_bot")
            for user_id, name, role in DEMO_PEOPLE:
                simulator.add_user(name, user_id=user_id, label=role, language_code="vi")
            # the demo's chief and officer opened the bot before (real staff join by /start)
            simulator.open_chat(DEMO_CHIEF_USER)
            simulator.open_chat(DEMO_OFFICER_USER)
            runtime = Runtime(
                deps,
                BotOptions(
                    token=token,
                    api_url=simulator.url,
                    listen_host=host,
                    listen_port=bot_port,
                    province=settings.province,
                    retention_days=settings.retention_days,
                ),
            )
            click.echo(f"chat page (simulated Telegram): {simulator.url}/")
            click.echo(f"web console for staff: http://{host}:{bot_port}/console/")
            click.echo(
                "  to sign in as the demo officer: on the chat page pick Lê Thị Hoa, send /web,"
                " open the link; unlock the documents with the commune key passphrase"
            )
            click.echo(f"bot health: http://{host}:{bot_port}/healthz")
            click.echo("press Ctrl-C to stop")
            await runtime.run_until_signal()
