"""PTB's HTTP transport over aiohttp instead of httpx.

Every Bot API call and file download goes through here. aiohttp is already our web server; as a
client it costs a fraction of httpx's CPU per request (bench/README.md: the bot's CPU per
photo), and under load the bot is CPU-bound on one event loop. The wire format is httpx's:
form-encoded parameters, or multipart when files are uploaded, so Telegram (and the simulator)
see the same requests.

Timeouts follow PTB's meaning: `connect` covers waiting for a pooled connection and opening one
(aiohttp has one budget for both), `read` is the longest silence while reading, and since
aiohttp has no write timeout, an upload as a whole is bounded by the sum of all four.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from http import HTTPStatus
from typing import Any

import aiohttp
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

__all__ = ["AiohttpRequest"]

_PROXY_VARIABLES = ("HTTPS_PROXY", "https_proxy", "ALL_PROXY", "all_proxy")
_BOT_TOKEN = re.compile(r"(/(?:file/)?bot)[^/\s]+")


class AiohttpRequest(BaseRequest):
    """A pooled aiohttp client session for one PTB bot (or for its getUpdates calls)."""

    def __init__(
        self,
        *,
        pool_size: int = 64,
        connect_timeout: float | None = 5.0,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        on_too_many_requests: Callable[[], None] | None = None,
    ) -> None:
        self._pool_size = pool_size
        self._on_too_many_requests = on_too_many_requests  # every 429 (the bot's metrics)
        self._timeouts = {
            "connect": connect_timeout,
            "read": read_timeout,
            "write": write_timeout,
            "pool": pool_timeout,
        }
        self._media_write_timeout = media_write_timeout
        self._session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._timeouts["read"]

    async def initialize(self) -> None:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._pool_size),
                headers={"User-Agent": self.USER_AGENT},
                # HTTPS_PROXY, as httpx honoured it; only when one is set, since reading the
                # environment (and ~/.netrc) on every request doubles a request's CPU
                trust_env=any(os.environ.get(name) for name in _PROXY_VARIABLES),
            )

    async def shutdown(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()

    async def do_request(  # noqa: PLR0917 — PTB's signature
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: object = BaseRequest.DEFAULT_NONE,
        write_timeout: object = BaseRequest.DEFAULT_NONE,
        connect_timeout: object = BaseRequest.DEFAULT_NONE,
        pool_timeout: object = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self._session is None or self._session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        files = request_data.multipart_data if request_data else None
        default_write = self._media_write_timeout if files else self._timeouts["write"]
        connect = _given(connect_timeout, self._timeouts["connect"])
        read = _given(read_timeout, self._timeouts["read"])
        write = _given(write_timeout, default_write)
        pool = _given(pool_timeout, self._timeouts["pool"])
        parts = (connect, read, write, pool)
        timeout = aiohttp.ClientTimeout(
            # only an upload's writing is bounded by the total; a download may take as long as
            # bytes keep coming (sock_read), as with httpx
            total=None if not files or None in parts else sum(p for p in parts if p is not None),
            connect=None if connect is None or pool is None else connect + pool,
            sock_connect=connect,
            sock_read=read,
        )
        try:
            async with self._session.request(
                method, url, data=_body(request_data, files), timeout=timeout
            ) as response:
                if response.status == HTTPStatus.TOO_MANY_REQUESTS and self._on_too_many_requests:
                    self._on_too_many_requests()
                return response.status, await response.read()
        except TimeoutError as error:  # asyncio's and aiohttp's timeouts alike
            raise TimedOut from error
        except aiohttp.ClientError as error:
            detail = _BOT_TOKEN.sub(r"\1<token>", str(error))  # some errors quote the URL
            raise NetworkError(f"aiohttp.{type(error).__name__}: {detail}") from error


def _given(value: object, default: float | None) -> float | None:
    """A timeout the caller gave (seconds, or None for no limit), else `default`: PTB passes a
    default-value marker for "not given", which is neither."""
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        return value
    return default


def _body(request_data: RequestData | None, files: Mapping[str, Any] | None) -> Any:
    """Form fields, or a multipart form when the request uploads files (as httpx sends them)."""
    if request_data is None:
        return None
    fields = request_data.json_parameters
    if not files:
        return fields or None
    form = aiohttp.FormData(quote_fields=False)
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (file_name, content, mime_type) in files.items():
        form.add_field(name, content, filename=file_name, content_type=mime_type)
    return form
