"""The HTTP edge of the Bot API: request parsing, /bot<token>/<method>, /file/bot<token>/..."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable

from aiohttp import web
from aiohttp.http_exceptions import HttpProcessingError

from simulator._botapi import METHODS
from simulator._call import Call
from simulator._errors import BotApiError, bad_request, not_found
from simulator._files import MAX_UPLOAD_BYTES
from simulator._signatures import check_types
from simulator._simulator import SIMULATOR_KEY, ApiExchange
from simulator._validation import Params, UploadedFile

log = logging.getLogger(__name__)
MAX_REQUEST_BYTES = MAX_UPLOAD_BYTES + 1024 * 1024  # a 50 MB file plus the other fields
FORM_TYPES = {"application/x-www-form-urlencoded", "multipart/form-data"}


async def read_json(request: web.Request) -> dict[str, object]:
    """A JSON object body; anything else is a 400."""
    raw = await request.read()
    try:
        body = json.loads(raw) if raw.strip() else {}
    except ValueError:
        raise bad_request("can't parse JSON object") from None
    if not isinstance(body, dict):
        raise bad_request("JSON body must be an object")
    return body


async def read_form(request: web.Request) -> list[tuple[str, str | UploadedFile]]:
    """Fields of an urlencoded or multipart body, in order; file parts as UploadedFile."""
    try:
        form = await request.post()
    except (ValueError, HttpProcessingError, RuntimeError):
        raise bad_request(f"can't parse {request.content_type} body") from None
    fields: list[tuple[str, str | UploadedFile]] = []
    for name, value in form.items():
        if isinstance(value, web.FileField):
            fields.append(
                (name, UploadedFile(value.file.read(), value.filename, value.content_type))
            )
        elif isinstance(value, str):
            fields.append((name, value))
        else:
            fields.append((name, UploadedFile(bytes(value), None, None)))
    return fields


async def read_params(request: web.Request) -> Params:
    """Parameters from the query string and a JSON, urlencoded or multipart body."""
    values: dict[str, object] = dict(request.query)
    files: dict[str, UploadedFile] = {}
    if not request.body_exists:
        return Params(values, files)
    if request.content_type == "application/json":
        values.update(await read_json(request))
    elif request.content_type in FORM_TYPES:
        for name, value in await read_form(request):
            if isinstance(value, UploadedFile):
                files[name] = value
            else:
                values[name] = value
    else:
        raise bad_request(f"unsupported Content-Type {request.content_type}")
    return Params(values, files)


async def handle_bot_method(request: web.Request) -> web.Response:
    sim = request.app[SIMULATOR_KEY]
    token, method = request.match_info["token"], request.match_info["method"]
    params = Params({}, {})
    try:
        bot = sim.authenticate(token)
        handler = METHODS.get(method.lower())
        if handler is None:
            raise not_found()
        params = await read_params(request)
        check_types(method, params)
        result = await handler(Call(sim, bot, params))
        status, body = 200, {"ok": True, "result": result}
    except BotApiError as error:
        status, body = error.error_code, error.to_json()
    if request.transport is not None and not request.transport.is_closing():
        # A long poll whose client went away answers no one; only what is received is recorded.
        files = {name: part.filename for name, part in params.files.items()}
        sim.record(ApiExchange(token, method, params.values, files, status, body))
    return web.json_response(body, status=status)


async def handle_file_download(request: web.Request) -> web.Response:
    sim = request.app[SIMULATOR_KEY]
    bot = sim.authenticate(request.match_info["token"])
    stored = sim.files.by_path(bot.id, request.match_info["path"])
    if stored is None:
        raise not_found()
    return web.Response(body=stored.data, content_type=stored.mime_type)


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def error_middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Every failure leaves as Telegram-shaped JSON; nothing escapes as an HTML page."""
    try:
        return await handler(request)
    except BotApiError as error:
        return web.json_response(error.to_json(), status=error.error_code)
    except web.HTTPException as error:
        if error.status < 400:
            raise
        body = {"ok": False, "error_code": error.status, "description": error.reason}
        return web.json_response(body, status=error.status)
    except Exception:
        log.exception("simulator failed on %s %s", request.method, request.path)
        body = {"ok": False, "error_code": 500, "description": "Internal Server Error"}
        return web.json_response(body, status=500)
