"""`/metrics`: this bot process's figures in Prometheus's text format (prometheus-client).

Each `Runtime` owns its own `CollectorRegistry` (never the library's global one), so several
runtimes in one interpreter (the tests) keep their figures apart. Every process is scraped on
its own; `hoso_process_info` names it (its `process` row's id, host, pid and mode), and the
figures read from the database (`hoso_documents_pending`, `hoso_outbox_*`) are the same from
every process of one database. Labels are closed sets (update kinds, verdicts and their
reasons): no chat id, name, code or text ever becomes a label.

Access: the web server may face the internet behind the load balancer, so `/metrics` answers
- with `HOSO_METRICS_TOKEN` set: only to `Authorization: Bearer <token>` (401 otherwise), from
  anywhere;
- without it: only to a client on the loopback or a private network (RFC 1918, IPv6 unique
  local) that came straight in, not through a proxy (a request carrying `Forwarded`,
  `X-Forwarded-For` or `X-Real-IP` is taken as from outside, since behind a balancer the peer
  is always the balancer's private address); anything else gets 403.

The database figures are read at scrape time, with a time limit (`scrape_timeout`): a slow
database leaves them at their last values and `hoso_backlog_query_ok` at 0, never a hung scrape.
"""

from __future__ import annotations

import asyncio
import hmac
import ipaddress
import logging
from collections.abc import Awaitable, Callable, Mapping
from typing import Protocol
from uuid import UUID

from aiohttp import web
from prometheus_client import (
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    Info,
    ProcessCollector,
    generate_latest,
)
from telegram import Update

from intake.admin import Backlog
from intake.chat import DocumentChecked
from intake.photos import QualityIssue, RefusalReason

__all__ = ["BotMetrics", "metrics_access", "update_kind"]

log = logging.getLogger("hoso.metrics")
# what generate_latest writes (the classic text format; every name here is plain ASCII)
_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
# RFC 1918 and IPv6 unique local addresses (not `is_private`, which also takes in documentation
# and reserved ranges)
_PRIVATE = tuple(
    ipaddress.ip_network(net)
    for net in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
_PROXY_HEADERS = ("Forwarded", "X-Forwarded-For", "X-Real-IP")
# a text step takes ~10-100 ms (bench/README.md); photos and a chat's queue take longer
_STEP_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
_RETAKES = frozenset(QualityIssue)
_REASONS = frozenset({*QualityIssue, *RefusalReason, "unavailable"})


class _Process(Protocol):
    """This process's row (a `ProcessRegistry`)."""

    @property
    def id(self) -> UUID: ...
    @property
    def host(self) -> str: ...
    @property
    def pid(self) -> int: ...
    @property
    def mode(self) -> str: ...


def update_kind(update: object) -> str:
    """A closed set: callback, command, text, photo, document, other (contact, location, …)."""
    if not isinstance(update, Update):
        return "other"
    if update.callback_query is not None:
        return "callback"
    message = update.message
    if message is None:
        return "other"
    if message.photo:
        return "photo"
    if message.document is not None:
        return "document"
    if message.text is not None:
        return "command" if message.text.startswith("/") else "text"
    return "other"


def metrics_access(remote: str | None, headers: Mapping[str, str], token: str | None) -> int:
    """The HTTP status for a scrape: 200, or 401/403 (module docstring)."""
    if token is not None:
        given = headers.get("Authorization", "")
        return 200 if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()) else 401
    if any(name in headers for name in _PROXY_HEADERS):
        return 403
    try:
        address = ipaddress.ip_address(remote or "")
    except ValueError:
        return 403
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return 200 if address.is_loopback or any(address in net for net in _PRIVATE) else 403


class BotMetrics:
    """The figures of one bot process, in its own registry."""

    def __init__(self, *, token: str | None = None, scrape_timeout: float = 2.0) -> None:
        self._token = token
        self._scrape_timeout = scrape_timeout
        # the updates whose error handler ran, until their step is over (`update_handled`)
        self._failing: set[int] = set()
        self.registry = registry = CollectorRegistry()
        ProcessCollector(registry=registry)  # process_cpu_seconds_total, resident memory, …
        self._process = Info("hoso_process", "This bot process.", registry=registry)
        self._updates = Counter(
            "hoso_updates_handled",
            "Telegram updates handled without an error, by kind (errors: hoso_update_errors).",
            ["kind"],
            registry=registry,
        )
        self._failed = Counter(
            "hoso_update_errors",
            "Updates whose handling failed (the error handler ran), by kind.",
            ["kind"],
            registry=registry,
        )
        self._step = Histogram(
            "hoso_step_seconds",
            "Seconds from an update's arrival to its replies sent, by kind.",
            ["kind"],
            buckets=_STEP_BUCKETS,
            registry=registry,
        )
        self._photos = Counter(
            "hoso_photos_checked",
            "Documents checked, by verdict (accepted, retake, refused, unavailable) and reason.",
            ["verdict", "reason"],
            registry=registry,
        )
        self._too_many = Counter(
            "hoso_telegram_429",
            "Bot API answers 429 Too Many Requests (flood control) received.",
            registry=registry,
        )
        self._pipeline = Gauge(
            "hoso_pipeline_documents",
            "Documents this process holds in its pipeline: waiting for a place, or being checked.",
            ["state"],
            registry=registry,
        )
        self._documents_pending = Gauge(
            "hoso_documents_pending",
            "Documents not yet checked, in the whole database.",
            registry=registry,
        )
        self._outbox_backlog = Gauge(
            "hoso_outbox_backlog",
            "Outbox messages not yet sent, in the whole database.",
            registry=registry,
        )
        self._outbox_oldest = Gauge(
            "hoso_outbox_oldest_unsent_seconds",
            "Age of the oldest outbox message not yet sent (0: none).",
            registry=registry,
        )
        self._backlog_ok = Gauge(
            "hoso_backlog_query_ok",
            "1 when the last scrape read the database figures in time, else 0.",
            registry=registry,
        )

    def update_handled(self, update: object, seconds: float) -> None:
        """An update's step is over (bot/processor.py): counted as handled unless its error
        handler ran meanwhile (counted there)."""
        kind = update_kind(update)
        if id(update) in self._failing:
            self._failing.discard(id(update))
        else:
            self._updates.labels(kind).inc()
        self._step.labels(kind).observe(seconds)

    async def update_failed(self, update: object, _context: object) -> None:
        """A PTB error handler: the handling of `update` raised (handlers/errors.py logs it).
        PTB runs it within the update's handling, before `update_handled`."""
        self._failed.labels(update_kind(update)).inc()
        if isinstance(update, Update):
            self._failing.add(id(update))

    def too_many_requests(self) -> None:
        """Telegram answered 429 (handlers/http.py)."""
        self._too_many.inc()

    def document_checked(self, verdict: DocumentChecked) -> None:
        """A document's verdict was committed (intake/documents/pipeline.py)."""
        reason = verdict.issues[0] if verdict.issues else "none"
        if reason not in _REASONS:
            reason = "other"
        if verdict.accepted:
            outcome = "accepted"
        elif reason == "unavailable":
            outcome = "unavailable"
        elif reason in _RETAKES:
            outcome = "retake"
        else:
            outcome = "refused"
        self._photos.labels(outcome, reason).inc()

    def handler(
        self,
        process: _Process,
        pipeline: Callable[[], tuple[int, int]],
        backlog: Callable[[], Awaitable[Backlog]],
    ) -> Callable[[web.Request], Awaitable[web.Response]]:
        """The `/metrics` endpoint; `pipeline` gives the documents waiting and being checked,
        `backlog` reads the database's figures."""

        async def scrape(request: web.Request) -> web.Response:
            status = metrics_access(request.remote, request.headers, self._token)
            if status != 200:
                log.warning("metrics refused", extra={"status": status})
                headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
                return web.Response(status=status, text="forbidden", headers=headers)
            self._process.info(
                {
                    "process": str(process.id),
                    "host": process.host,
                    "pid": str(process.pid),
                    "mode": process.mode,
                }
            )
            waiting, checking = pipeline()
            self._pipeline.labels("waiting").set(waiting)
            self._pipeline.labels("checking").set(checking)
            await self._read_backlog(backlog)
            return web.Response(
                body=generate_latest(self.registry), headers={"Content-Type": _CONTENT_TYPE}
            )

        return scrape

    async def _read_backlog(self, backlog: Callable[[], Awaitable[Backlog]]) -> None:
        try:
            found = await asyncio.wait_for(backlog(), timeout=self._scrape_timeout)
        except Exception as error:  # the figures stay at their last values
            log.warning("metrics: backlog not read", extra={"error": type(error).__name__})
            self._backlog_ok.set(0)
            return
        self._documents_pending.set(found.documents_pending)
        self._outbox_backlog.set(found.outbox_pending)
        self._outbox_oldest.set(found.outbox_oldest_seconds)
        self._backlog_ok.set(1)
