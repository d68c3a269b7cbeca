"""Media contents of messages (photo, document, sticker, voice), for bots and users alike."""

from __future__ import annotations

from simulator._files import (
    FileKind,
    FileStore,
    StoredFile,
    file_json,
    guess_mime_type,
    make_photo_sizes,
    make_thumbnail,
    photo_json,
)
from simulator._validation import JsonObject


async def store_photo(files: FileStore, data: bytes) -> list[StoredFile]:
    """Recompress an image into its PhotoSize ladder."""
    return await files.derive("photo", data, make_photo_sizes)


async def store_document(
    files: FileStore, data: bytes, file_name: str | None, mime_type: str | None
) -> StoredFile:
    """Keep the bytes as they are; images also get a thumbnail, as Telegram makes one."""
    mime = guess_mime_type(file_name, mime_type)
    thumbnail_id = None
    if mime.startswith("image/"):
        thumbnails = await files.derive("thumbnail", data, make_thumbnail)
        thumbnail_id = thumbnails[0].unique_id if thumbnails else None
    return files.put(
        FileKind.DOCUMENT, data, mime, file_name=file_name or "file", thumbnail=thumbnail_id
    )


def photo_content(files: FileStore, bot_id: int, sizes: list[StoredFile]) -> JsonObject:
    return {"photo": photo_json(files, bot_id, sizes)}


def document_content(
    files: FileStore, bot_id: int, stored: StoredFile, file_name: str | None = None
) -> JsonObject:
    document: JsonObject = {
        "file_name": file_name or stored.file_name or "file",
        "mime_type": stored.mime_type,
    }
    thumbnail = files.get(stored.thumbnail) if stored.thumbnail else None
    if thumbnail is not None:
        document["thumbnail"] = photo_json(files, bot_id, [thumbnail])[0]
    document.update(file_json(files, bot_id, stored))
    return {"document": document}


def sticker_content(files: FileStore, bot_id: int, data: bytes, emoji: str) -> JsonObject:
    stored = files.put(FileKind.STICKER, data, "image/webp", width=512, height=512)
    sticker: JsonObject = {
        "width": 512,
        "height": 512,
        "emoji": emoji,
        "is_animated": False,
        "is_video": False,
        "type": "regular",
        **file_json(files, bot_id, stored),
    }
    return {"sticker": sticker}


def voice_content(files: FileStore, bot_id: int, data: bytes, duration: int) -> JsonObject:
    stored = files.put(FileKind.VOICE, data, "audio/ogg")
    voice = {"duration": duration, "mime_type": "audio/ogg", **file_json(files, bot_id, stored)}
    return {"voice": voice}
