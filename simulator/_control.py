"""The control API under /sim/: users, groups, settings, and what users do in chats."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from aiohttp import web

from simulator._errors import BotApiError, UserActionError, bad_request
from simulator._http import FORM_TYPES, read_form, read_json
from simulator._simulator import SIMULATOR_KEY, Simulator
from simulator._state import BotState, Chat
from simulator._validation import Params, UploadedFile
from simulator._views import event_view, history_view, message_view

MAX_EVENT_WAIT = 60.0


@dataclass(frozen=True)
class _Act:
    """One user action request: who does it, where, with what."""

    sim: Simulator
    bot: BotState
    chat_id: int
    user_id: int
    params: Params
    uploads: list[UploadedFile]


Action = Callable[[_Act], Awaitable[Any]]


def _ok(result: Any, status: int = 200) -> web.Response:
    return web.json_response({"ok": True, "result": result}, status=status)


async def _params(request: web.Request) -> tuple[Params, list[UploadedFile]]:
    """JSON, urlencoded or multipart input; file parts are kept in order."""
    if not request.body_exists:
        return Params(dict(request.query), {}), []
    if request.content_type == "application/json":
        return Params(await read_json(request), {}), []
    if request.content_type in FORM_TYPES:
        fields = await read_form(request)
        values = {name: value for name, value in fields if isinstance(value, str)}
        uploads = [value for _, value in fields if isinstance(value, UploadedFile)]
        return Params(values, {}), uploads
    raise bad_request(f"unsupported Content-Type {request.content_type}")


def _bot(sim: Simulator, request: web.Request) -> BotState:
    try:
        bot = sim.bots.get(int(request.match_info["bot_id"]))
    except ValueError:
        bot = None
    if bot is None:
        raise BotApiError(404, "Not Found: no such bot")
    return bot


def _chat(sim: Simulator, bot: BotState, request: web.Request) -> Chat:
    try:
        chat = sim.chat(bot, int(request.match_info["chat_id"]))
    except ValueError:
        chat = None
    if chat is None:
        raise BotApiError(404, "Not Found: no such chat")
    return chat


async def state(request: web.Request) -> web.Response:
    return _ok(request.app[SIMULATOR_KEY].describe())


async def list_or_add(request: web.Request) -> web.Response:
    """GET or POST /sim/bots, /sim/users, /sim/groups."""
    sim = request.app[SIMULATOR_KEY]
    what = request.match_info["what"]
    if request.method == "GET":
        return _ok(sim.describe()[what])
    params, _ = await _params(request)
    try:
        if what == "bots":
            bot = sim.register_bot(
                params.get_str("token", required=True) or "",
                first_name=params.get_str("first_name"),
                username=params.get_str("username"),
            )
            return _ok(bot.describe(), 201)
        if what == "users":
            user = sim.add_user(
                params.get_str("first_name", required=True) or "",
                user_id=params.get_int("id"),
                last_name=params.get_str("last_name"),
                username=params.get_str("username"),
                language_code=params.get_str("language_code") or "vi",
                phone_number=params.get_str("phone_number"),
                label=params.get_str("label"),
            )
            return _ok(user.describe(), 201)
        members = params.get_array("member_ids") or []
        if not all(isinstance(member, int) for member in members):
            raise bad_request("member_ids must be user ids")
        group = sim.add_group(
            params.get_str("title", required=True) or "", members, chat_id=params.get_int("id")
        )
        return _ok(group.describe(), 201)
    except ValueError as error:
        raise bad_request(str(error)) from None


async def settings(request: web.Request) -> web.Response:
    sim = request.app[SIMULATOR_KEY]
    if request.method == "POST":
        params, _ = await _params(request)
        if params.has("flood_limits"):
            sim.set_flood_limits(params.get_bool("flood_limits"))
        time_scale = params.get_float("time_scale")
        if time_scale is not None:
            try:
                sim.set_time_scale(time_scale)
            except ValueError as error:
                raise bad_request(str(error)) from None
    return _ok(sim.settings())


async def history(request: web.Request) -> web.Response:
    sim = request.app[SIMULATOR_KEY]
    bot = _bot(sim, request)
    return _ok(history_view(bot, _chat(sim, bot, request)))


async def events(request: web.Request) -> web.Response:
    """Long poll: the chat's events after `after`, waiting up to `timeout` seconds."""
    sim = request.app[SIMULATOR_KEY]
    bot = _bot(sim, request)
    chat = _chat(sim, bot, request)
    params = Params(dict(request.query), {})
    after = params.get_int("after") or 0
    timeout = min(max(params.get_float("timeout") or 0.0, 0.0), MAX_EVENT_WAIT)
    found = await chat.log.wait_after(after, timeout)
    views = [event_view(chat, event) for event in found]
    return _ok({"events": views, "last_seq": chat.log.last_seq})


async def _text(a: _Act) -> Any:
    text = a.params.get_str("text", required="message text is empty") or ""
    reply = a.params.get_int("reply_to_message_id")
    return [a.sim.actions.send_text(a.bot, a.chat_id, a.user_id, text, reply_to_message_id=reply)]


async def _press(a: _Act) -> Any:
    message_id = a.params.get_int("message_id", required=True) or 0
    data, text = a.params.get_str("callback_data"), a.params.get_str("text")
    if data is None and text is None:
        raise bad_request("give callback_data or text")
    query_id = a.sim.actions.press(
        a.bot, a.chat_id, a.user_id, message_id, callback_data=data, text=text
    )
    return {"callback_query_id": query_id}


async def _photos(a: _Act) -> Any:
    images = [upload.data for upload in a.uploads]
    caption = a.params.get_str("caption")
    return await a.sim.actions.send_photos(a.bot, a.chat_id, a.user_id, images, caption=caption)


async def _documents(a: _Act) -> Any:
    items = [(f.data, f.filename or "file", f.content_type) for f in a.uploads]
    caption = a.params.get_str("caption")
    return await a.sim.actions.send_documents(a.bot, a.chat_id, a.user_id, items, caption=caption)


async def _contact(a: _Act) -> Any:
    phone = a.params.get_str("phone_number")
    return [a.sim.actions.share_contact(a.bot, a.chat_id, a.user_id, phone)]


async def _location(a: _Act) -> Any:
    latitude = a.params.get_float("latitude", required=True) or 0.0
    longitude = a.params.get_float("longitude", required=True) or 0.0
    return [a.sim.actions.share_location(a.bot, a.chat_id, a.user_id, latitude, longitude)]


async def _sticker(a: _Act) -> Any:
    emoji = a.params.get_str("emoji") or "👍"
    return [a.sim.actions.send_sticker(a.bot, a.chat_id, a.user_id, emoji)]


async def _voice(a: _Act) -> Any:
    duration = a.params.get_int("duration") or 2
    return [a.sim.actions.send_voice(a.bot, a.chat_id, a.user_id, duration)]


async def _block(a: _Act) -> Any:
    blocked = a.params.get_bool("blocked") if a.params.has("blocked") else True
    a.sim.actions.set_blocked(a.bot, a.chat_id, a.user_id, blocked)
    return {"blocked": blocked}


ACTIONS: dict[str, Action] = {
    "text": _text,
    "press": _press,
    "photos": _photos,
    "documents": _documents,
    "contact": _contact,
    "location": _location,
    "sticker": _sticker,
    "voice": _voice,
    "block": _block,
}


async def act(request: web.Request) -> web.Response:
    """POST /sim/bots/{bot_id}/chats/{chat_id}/{action}: a user does something in a chat."""
    sim = request.app[SIMULATOR_KEY]
    bot = _bot(sim, request)
    chat = _chat(sim, bot, request)
    action = ACTIONS.get(request.match_info["action"])
    if action is None:
        raise BotApiError(404, "Not Found")
    params, uploads = await _params(request)
    user_id = params.get_int("user_id") or (chat.id if not chat.is_group else None)
    if user_id is None:
        raise bad_request("user_id is required in a group")
    try:
        result = await action(_Act(sim, bot, chat.id, user_id, params, uploads))
    except UserActionError as error:
        raise bad_request(str(error)) from None
    if isinstance(result, list):
        result = [message_view(message) for message in result]
    return _ok(result)


async def download(request: web.Request) -> web.StreamResponse:
    stored = request.app[SIMULATOR_KEY].files.get(request.match_info["unique_id"])
    if stored is None:
        raise BotApiError(404, "Not Found")
    headers = {}
    name = request.query.get("name")
    if name:
        headers["Content-Disposition"] = f"inline; filename*=UTF-8''{quote(name, safe='')}"
    return web.Response(body=stored.data, content_type=stored.mime_type, headers=headers)


def add_control_routes(app: web.Application) -> None:
    router = app.router
    router.add_get("/sim/state", state)
    router.add_get("/sim/{what:bots|users|groups}", list_or_add)
    router.add_post("/sim/{what:bots|users|groups}", list_or_add)
    router.add_get("/sim/settings", settings)
    router.add_post("/sim/settings", settings)
    chat = "/sim/bots/{bot_id}/chats/{chat_id}"
    router.add_get(f"{chat}/history", history)
    router.add_get(f"{chat}/events", events)
    router.add_post(chat + "/{action}", act)
    router.add_get("/sim/files/{unique_id}", download)
