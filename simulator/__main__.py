"""python -m simulator: run the simulator alone, for anyone testing a bot against it."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from aiohttp import web

from simulator._app import create_app
from simulator._simulator import Simulator, SimulatorConfig


def _user_flag(value: str) -> dict[str, Any]:
    """--user "id:first name[:language[:label]]"."""
    parts = value.split(":", 3)
    if len(parts) < 2 or not parts[0].isdigit() or not parts[1]:
        raise argparse.ArgumentTypeError('expected "id:first name[:language[:label]]"')
    user: dict[str, Any] = {"id": int(parts[0]), "first_name": parts[1]}
    if len(parts) > 2 and parts[2]:
        user["language_code"] = parts[2]
    if len(parts) > 3 and parts[3]:
        user["label"] = parts[3]
    return user


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m simulator", description="A local stand-in for the Telegram Bot API."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument(
        "--users",
        type=Path,
        help='JSON file: [{"id": 1, "first_name": "Lan", "language_code": "vi", '
        '"phone_number": "+84...", "label": "resident"}, ...]',
    )
    parser.add_argument(
        "--user", action="append", type=_user_flag, default=[], help='"id:name[:lang[:label]]"'
    )
    parser.add_argument("--bot", action="append", default=[], help="register a bot token")
    parser.add_argument("--no-flood-limits", action="store_true", help="never answer 429")
    parser.add_argument("--time-scale", type=float, default=1.0, help="simulated s per real s")
    return parser


def _load_users(path: Path | None) -> list[dict[str, Any]]:
    if path is None:
        return []
    users = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(users, list) or not all(isinstance(u, dict) for u in users):
        raise ValueError(f"{path}: expected a JSON list of user objects")
    return users


def build(args: argparse.Namespace) -> Simulator:
    if args.time_scale <= 0:
        raise ValueError("--time-scale must be positive")
    config = SimulatorConfig(flood_limits=not args.no_flood_limits, time_scale=args.time_scale)
    sim = Simulator(config)
    for token in args.bot:
        sim.register_bot(token)
    for user in [*_load_users(args.users), *args.user]:
        sim.add_user(
            str(user.get("first_name", "")),
            user_id=user.get("id"),
            last_name=user.get("last_name"),
            username=user.get("username"),
            language_code=user.get("language_code", "vi"),
            phone_number=user.get("phone_number"),
            label=user.get("label"),
        )
    return sim


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        sim = build(args)
    except (OSError, ValueError) as error:
        print(f"simulator: {error}", file=sys.stderr)
        return 2
    url = f"http://{args.host}:{args.port}"
    print(f"Chat page:     {url}/", flush=True)
    print(f"Bot API:       base_url={url}/bot  base_file_url={url}/file/bot", flush=True)
    web.run_app(create_app(sim), host=args.host, port=args.port, print=None)
    return 0


if __name__ == "__main__":
    sys.exit(main())
