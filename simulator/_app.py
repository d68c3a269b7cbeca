"""The aiohttp application: Bot API, file downloads, control API and the chat page."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from simulator._control import add_control_routes
from simulator._http import (
    MAX_REQUEST_BYTES,
    error_middleware,
    handle_bot_method,
    handle_file_download,
)
from simulator._simulator import SIMULATOR_KEY, Simulator

WEB_DIR = Path(__file__).with_name("_web")


async def _index(request: web.Request) -> web.FileResponse:
    return web.FileResponse(WEB_DIR / "index.html", headers={"Cache-Control": "no-cache"})


async def _stop_waiting(app: web.Application) -> None:
    app[SIMULATOR_KEY].close()


async def _stop_delivery(app: web.Application) -> None:
    await app[SIMULATOR_KEY].delivery.close()


def create_app(simulator: Simulator | None = None) -> web.Application:
    """The simulator as an aiohttp app; run it with web.run_app or an AppRunner."""
    app = web.Application(client_max_size=MAX_REQUEST_BYTES, middlewares=[error_middleware])
    app[SIMULATOR_KEY] = simulator or Simulator()
    app.router.add_route("GET", "/bot{token}/{method}", handle_bot_method)
    app.router.add_route("POST", "/bot{token}/{method}", handle_bot_method)
    app.router.add_get("/file/bot{token}/{path:.+}", handle_file_download)
    add_control_routes(app)
    app.router.add_get("/", _index)
    app.router.add_static("/static/", WEB_DIR)
    app.on_shutdown.append(_stop_waiting)
    app.on_cleanup.append(_stop_delivery)
    return app
