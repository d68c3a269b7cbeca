"""The `hoso` console script's entry point, kept free of imports.

Worker processes (bot/photo_processes.py) begin, as multiprocessing does, by importing the
script that started the bot; the script imports only this module, so a worker does not load the
whole bot (database, Telegram, reports) to check photos.
"""

from __future__ import annotations


def main() -> None:
    from bot.cli import main as cli  # noqa: PLC0415 — the point of this module

    cli()
