"""The web server: the Telegram webhook endpoint, `/healthz` and `/metrics` (bot/metrics.py:
who may read it); the console joins later.

Webhook requests must carry Telegram's `X-Telegram-Bot-Api-Secret-Token`; a missing or wrong one
gets 403, a body that is not a JSON object with an integer `update_id`, or that PTB cannot read
as an update, 400; an oversized body 413, and while the process stops 503 (Telegram retries
later). Refusals are logged without the request's content. An accepted update is handled
(through the per-chat processor) before the 200 is sent; a failure while handling it is the
error handler's (logged, the resident told), and still a 200: Telegram would only send it
again.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web
from telegram.ext import Application

from handlers.updates import read_update

__all__ = ["METRICS_PATH", "WEBHOOK_PATH", "build_web_app", "webhook_secret"]

log = logging.getLogger("hoso.web")
WEBHOOK_PATH = "/telegram/webhook"
METRICS_PATH = "/metrics"
MAX_UPDATE_BYTES = 1 << 20  # Telegram's updates are a few kilobytes; refuse anything near this
_SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"  # noqa: S105 — a header name

HealthCheck = Callable[[], Awaitable[dict[str, Any]]]


def webhook_secret(token: str) -> str:
    """The webhook secret, derived from the token so that every bot process agrees on it."""
    return hmac.new(token.encode(), b"hoso webhook secret", hashlib.sha256).hexdigest()


def _webhook_handler(
    application: Application[Any, Any, Any, Any, Any, Any],
    secret: str,
    accepting: Callable[[], bool],
) -> Callable[[web.Request], Awaitable[web.Response]]:
    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(_SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            log.warning("webhook refused", extra={"reason": "secret", "remote": request.remote})
            return web.json_response({"ok": False, "error": "forbidden"}, status=403)
        try:
            body = await request.read()
            data = json.loads(body)
        except web.HTTPRequestEntityTooLarge:
            log.warning("webhook refused", extra={"reason": "too_large"})
            return web.json_response({"ok": False, "error": "too large"}, status=413)
        except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: deep nesting
            log.warning("webhook refused", extra={"reason": "not_json"})
            return web.json_response({"ok": False, "error": "not json"}, status=400)
        update_id = data.get("update_id") if isinstance(data, dict) else None
        # `true` is an int to Python, not to Telegram; an id must fit the database's BIGINT
        if type(update_id) is not int or not 0 <= update_id < 2**63:
            log.warning("webhook refused", extra={"reason": "not_an_update"})
            return web.json_response({"ok": False, "error": "not an update"}, status=400)
        update = read_update(data, application.bot)
        if update is None:  # wrong types, impossible dates, someone else's private chat, …
            log.warning("webhook refused", extra={"reason": "malformed", "update_id": update_id})
            return web.json_response({"ok": False, "error": "malformed update"}, status=400)
        if not accepting():
            return web.json_response({"ok": False, "error": "stopping"}, status=503)
        # Handled before answering: Telegram forgets an update once it gets 200, so a 200 must
        # mean "committed". A crash before that means no answer, and Telegram sends it again.
        try:
            await application.update_processor.process_update(
                update, application.process_update(update)
            )
        except Exception as error:  # not the handlers' (they report to the error handler)
            log.error(  # noqa: TRY400 — a traceback could quote the update
                "webhook update not handled",
                extra={"update_id": update_id, "error": type(error).__name__},
            )
            return web.json_response({"ok": False, "error": "not handled"}, status=400)
        return web.json_response({"ok": True})

    return receive


def build_web_app(
    *,
    health: HealthCheck,
    application: Application[Any, Any, Any, Any, Any, Any] | None = None,
    secret: str | None = None,
    accepting: Callable[[], bool] = lambda: True,
    metrics: Callable[[web.Request], Awaitable[web.Response]] | None = None,
) -> web.Application:
    app = web.Application(client_max_size=MAX_UPDATE_BYTES)

    async def healthz(_request: web.Request) -> web.Response:
        report = await health()
        return web.json_response(report, status=200 if report.get("ok") else 503)

    app.router.add_get("/healthz", healthz)
    if metrics is not None:
        app.router.add_get(METRICS_PATH, metrics)
    if application is not None and secret is not None:
        app.router.add_post(WEBHOOK_PATH, _webhook_handler(application, secret, accepting))
    return app
