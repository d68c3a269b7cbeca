"""Bot API methods that carry files: sendPhoto, sendDocument, sendMediaGroup, getFile."""

from __future__ import annotations

import secrets
from typing import Any

from simulator._call import Call
from simulator._errors import bad_request
from simulator._files import (
    MAX_DOWNLOAD_BYTES,
    MAX_PHOTO_UPLOAD_BYTES,
    FileKind,
    ImageError,
    StoredFile,
)
from simulator._markup import Markup
from simulator._media import document_content, photo_content, store_document, store_photo
from simulator._validation import JsonObject, Params, UploadedFile

MEDIA_GROUP_SIZES = range(2, 11)
_UNSUPPORTED_MEDIA = {"audio", "video", "animation", "live_photo"}


def _existing(call: Call, reference: str, kind: FileKind) -> StoredFile:
    """A file sent before, by file_id; URLs fail since the simulator has no network."""
    if reference.startswith(("http://", "https://")):
        raise bad_request("failed to get HTTP URL content")
    stored = call.sim.files.resolve(call.bot.id, reference)
    if stored is None:
        raise bad_request("wrong file identifier/HTTP URL specified")
    if stored.kind is not kind:
        raise bad_request(
            f"can't use file of type {stored.kind.value.title()} as {kind.value.title()}"
        )
    return stored


async def _photo(call: Call, source: UploadedFile | str) -> JsonObject:
    files = call.sim.files
    if isinstance(source, str):
        return photo_content(
            files, call.bot.id, files.photo_set(_existing(call, source, FileKind.PHOTO))
        )
    if len(source.data) > MAX_PHOTO_UPLOAD_BYTES:
        raise bad_request("file is too big")
    try:
        sizes = await store_photo(files, source.data)
    except ImageError as error:
        raise bad_request(
            "PHOTO_INVALID_DIMENSIONS"
            if str(error) == "PHOTO_INVALID_DIMENSIONS"
            else "IMAGE_PROCESS_FAILED"
        ) from None
    return photo_content(files, call.bot.id, sizes)


async def _document(call: Call, source: UploadedFile | str) -> JsonObject:
    files = call.sim.files
    if isinstance(source, str):
        return document_content(files, call.bot.id, _existing(call, source, FileKind.DOCUMENT))
    stored = await store_document(files, source.data, source.filename, source.content_type)
    return document_content(files, call.bot.id, stored, source.filename)


def _input_file(params: Params, name: str) -> UploadedFile | str:
    source = params.get_file(name)
    if source is None:
        raise bad_request(f"there is no {name} in the request")
    return source


async def send_photo(call: Call) -> JsonObject:
    chat = call.chat()
    caption, markup, reply_to = call.caption(), call.markup(), call.reply_to(chat)
    content = await _photo(call, _input_file(call.params, "photo"))
    call.sim.charge_flood(call.bot, chat)
    return call.post(chat, {**content, **caption}, markup, reply_to).to_api()


async def send_document(call: Call) -> JsonObject:
    chat = call.chat()
    caption, markup, reply_to = call.caption(), call.markup(), call.reply_to(chat)
    content = await _document(call, _input_file(call.params, "document"))
    call.sim.charge_flood(call.bot, chat)
    return call.post(chat, {**content, **caption}, markup, reply_to).to_api()


async def send_media_group(call: Call) -> list[JsonObject]:
    chat = call.chat()
    media = call.params.get_array("media", required="there are no media in the request") or []
    if len(media) not in MEDIA_GROUP_SIZES:
        raise bad_request("media group must contain 2-10 items")
    kinds = [item.get("type") if isinstance(item, dict) else None for item in media]
    if any(kind in _UNSUPPORTED_MEDIA for kind in kinds):
        raise bad_request("the simulator sends only photo and document albums")
    if any(kind not in {"photo", "document"} for kind in kinds):
        raise bad_request("can't parse InputMedia JSON object")
    if "document" in kinds and "photo" in kinds:
        raise bad_request("document can't be mixed with other media types")
    reply_to = call.reply_to(chat)
    contents: list[JsonObject] = []
    for item in media:
        reference = item.get("media")
        if not isinstance(reference, str) or not reference:
            raise bad_request('InputMedia: field "media" must be of type String')
        source: UploadedFile | str = (
            call.params.attached(reference) if reference.startswith("attach://") else reference
        )
        build = _photo if item["type"] == "photo" else _document
        contents.append({**(await build(call, source)), **call.caption(item)})
    call.sim.charge_flood(call.bot, chat, messages=len(contents))
    group_id = str(secrets.randbelow(9 * 10**16) + 10**16)
    return [
        call.post(chat, content, Markup(), reply_to, group_id).to_api() for content in contents
    ]


async def get_file(call: Call) -> Any:
    file_id = call.params.get_str("file_id", required="invalid file_id")
    stored = call.sim.files.resolve(call.bot.id, file_id or "")
    if stored is None:
        raise bad_request("invalid file_id")
    if stored.size > MAX_DOWNLOAD_BYTES:
        raise bad_request("file is too big")
    return {
        "file_id": file_id,
        "file_unique_id": stored.unique_id,
        "file_size": stored.size,
        "file_path": call.sim.files.file_path(call.bot.id, stored),
    }
