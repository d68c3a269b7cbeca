"""The commune officer's web console, served by the bot's aiohttp server under `/console/`:
sign-in from Telegram (`/web`), the queue, a submission's documents beside its fields, and
the review actions. It calls only intake/console (DESIGN.md "Console")."""

from console._web import ConsoleOptions, console_app

__all__ = ["ConsoleOptions", "console_app"]
