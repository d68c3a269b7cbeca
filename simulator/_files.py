"""Files as Telegram keeps them: content-addressed blobs, per-bot file_ids and download paths."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import mimetypes
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from PIL import Image, ImageOps

PHOTO_SIDES = (90, 320, 800, 1280)  # Telegram's s, m, x, y sizes (long side, px)
THUMBNAIL_SIDE = 320
JPEG_QUALITY = 87
MAX_PIXELS = 50_000_000  # refuse decompression bombs instead of decoding them
MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024  # getFile refuses bigger files
MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # Bot API multipart uploads
MAX_PHOTO_UPLOAD_BYTES = 10 * 1024 * 1024


class FileKind(StrEnum):
    PHOTO = "photo"
    DOCUMENT = "document"
    STICKER = "sticker"
    VOICE = "voice"


_FOLDERS = {
    FileKind.PHOTO: "photos",
    FileKind.DOCUMENT: "documents",
    FileKind.STICKER: "stickers",
    FileKind.VOICE: "voice",
}
_FILE_ID_PREFIX = {
    FileKind.PHOTO: "AgACAgIAAxkBAAI",
    FileKind.DOCUMENT: "BQACAgIAAxkBAAI",
    FileKind.STICKER: "CAACAgIAAxkBAAI",
    FileKind.VOICE: "AwACAgIAAxkBAAI",
}


class ImageError(ValueError):
    """The bytes are not an image Telegram would accept as a photo."""


@dataclass(frozen=True)
class StoredFile:
    """One stored blob; photos keep the unique ids of all sizes of the same photo."""

    unique_id: str
    kind: FileKind
    data: bytes
    mime_type: str
    width: int = 0
    height: int = 0
    photo_set: tuple[str, ...] = ()
    file_name: str | None = None  # of the first upload of these bytes as a document
    thumbnail: str | None = None  # unique id of a document's thumbnail

    @property
    def size(self) -> int:
        return len(self.data)

    @property
    def extension(self) -> str:
        guessed = mimetypes.guess_extension(self.mime_type) or ""
        return {".jpe": ".jpg", ".jpeg": ".jpg", "": ".bin"}.get(guessed, guessed)


@dataclass(frozen=True)
class ImageVariant:
    data: bytes
    width: int
    height: int


def _unique_id(kind: FileKind, data: bytes) -> str:
    digest = hashlib.sha256(kind.value.encode() + b"\0" + data).digest()
    return "AQAD" + base64.urlsafe_b64encode(digest[:12]).decode().rstrip("=")


def _open_image(data: bytes) -> Image.Image:
    try:
        image = Image.open(io.BytesIO(data))
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ImageError(str(error)) from error
    if image.width * image.height > MAX_PIXELS:
        raise ImageError("image has too many pixels")
    try:
        image.load()
        return ImageOps.exif_transpose(image)
    except (OSError, ValueError, SyntaxError) as error:
        raise ImageError(str(error)) from error


def _jpeg(image: Image.Image, side: int) -> ImageVariant:
    copy = image.convert("RGB")
    copy.thumbnail((side, side), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    copy.save(buffer, "JPEG", quality=JPEG_QUALITY)
    return ImageVariant(buffer.getvalue(), copy.width, copy.height)


def make_photo_sizes(data: bytes) -> list[ImageVariant]:
    """The PhotoSize ladder: 90/320/800/1280 px, never above the original, JPEG re-encoded."""
    image = _open_image(data)
    long_side = max(image.size)
    if long_side > 20 * min(image.size):
        raise ImageError("PHOTO_INVALID_DIMENSIONS")
    sides = [side for side in PHOTO_SIDES if side < long_side]
    sides.append(min(long_side, PHOTO_SIDES[-1]))
    return [_jpeg(image, side) for side in dict.fromkeys(sides)]


def make_thumbnail(data: bytes) -> list[ImageVariant]:
    """A 320 px thumbnail for an image sent as a document; none for other files."""
    try:
        return [_jpeg(_open_image(data), THUMBNAIL_SIDE)]
    except ImageError:
        return []


def make_sticker_image() -> bytes:
    """A 512x512 WebP, enough to stand for a sticker."""
    buffer = io.BytesIO()
    Image.new("RGBA", (512, 512), (255, 200, 0, 255)).save(buffer, "WEBP")
    return buffer.getvalue()


def guess_mime_type(filename: str | None, given: str | None) -> str:
    if given and given != "application/octet-stream":
        return given
    guessed = mimetypes.guess_type(filename or "")[0]
    return guessed or "application/octet-stream"


_REMEMBERED_SOURCES = 16


class FileStore:
    """All files of one simulator; file_ids belong to one bot, unique ids to everyone."""

    def __init__(self) -> None:
        self._blobs: dict[str, StoredFile] = {}
        self._file_ids: dict[str, tuple[int, str]] = {}
        self._paths: dict[tuple[int, str], str] = {}
        self._by_path: dict[tuple[int, str], str] = {}
        self._path_counters: dict[int, int] = {}
        self._derived: dict[bytes, asyncio.Future[tuple[str, ...]]] = {}
        self._source_keys: dict[tuple[str, int], tuple[bytes, bytes]] = {}

    async def derive(
        self, purpose: str, source: bytes, make: Callable[[bytes], list[ImageVariant]]
    ) -> list[StoredFile]:
        """The files made from `source` for `purpose` (the photo ladder, a document's
        thumbnail), made once per distinct upload, in a thread (Pillow is slow). The encoders
        are deterministic, so the same bytes would give the same files anyway; Telegram, too,
        recognises a file it already has."""
        key = self._source_key(purpose, source)
        made = self._derived.get(key)
        if made is None:
            made = self._derived[key] = asyncio.get_running_loop().create_future()
            try:
                variants = await asyncio.to_thread(make, source)
            except Exception as error:
                del self._derived[key]
                made.set_exception(error)
                made.exception()  # waiters, if any, see it; nobody else needs to
                raise
            except BaseException:  # cancelled: the waiters are, too
                del self._derived[key]
                made.cancel()
                raise
            made.set_result(tuple(stored.unique_id for stored in self.put_photo(variants)))
        return [self._blobs[unique_id] for unique_id in await asyncio.shield(made)]

    def _source_key(self, purpose: str, source: bytes) -> bytes:
        """The digest of an upload, remembered for the same bytes object: a load test sends one
        file hundreds of times, and hashing it each time was a sixth of the simulator's work.
        The entry holds the object, so its id cannot be reused while remembered."""
        remembered = self._source_keys.get((purpose, id(source)))
        if remembered is not None and remembered[0] is source:
            return remembered[1]
        digest = hashlib.sha256(purpose.encode() + b"\0")
        digest.update(source)
        if len(self._source_keys) >= _REMEMBERED_SOURCES:
            del self._source_keys[next(iter(self._source_keys))]
        key = self._source_keys[(purpose, id(source))] = (source, digest.digest())
        return key[1]

    def put(self, kind: FileKind, data: bytes, mime_type: str, **extra: Any) -> StoredFile:
        unique_id = _unique_id(kind, data)
        stored = self._blobs.get(unique_id)
        if stored is None:
            stored = StoredFile(unique_id, kind, data, mime_type, **extra)
            self._blobs[unique_id] = stored
        return stored

    def put_photo(self, variants: list[ImageVariant]) -> list[StoredFile]:
        ids = tuple(_unique_id(FileKind.PHOTO, v.data) for v in variants)
        return [
            self.put(
                FileKind.PHOTO, v.data, "image/jpeg", width=v.width, height=v.height, photo_set=ids
            )
            for v in variants
        ]

    def get(self, unique_id: str) -> StoredFile | None:
        return self._blobs.get(unique_id)

    def issue_file_id(self, bot_id: int, stored: StoredFile) -> str:
        """A new opaque file_id for this bot; Telegram's differ between sends, too."""
        file_id = _FILE_ID_PREFIX[stored.kind] + secrets.token_urlsafe(42)
        self._file_ids[file_id] = (bot_id, stored.unique_id)
        return file_id

    def resolve(self, bot_id: int, file_id: str) -> StoredFile | None:
        owner = self._file_ids.get(file_id)
        if owner is None or owner[0] != bot_id:
            return None
        return self._blobs[owner[1]]

    def file_path(self, bot_id: int, stored: StoredFile) -> str:
        key = (bot_id, stored.unique_id)
        path = self._paths.get(key)
        if path is None:
            number = self._path_counters.get(bot_id, 0)
            self._path_counters[bot_id] = number + 1
            path = f"{_FOLDERS[stored.kind]}/file_{number}{stored.extension}"
            self._paths[key] = path
            self._by_path[(bot_id, path)] = stored.unique_id
        return path

    def by_path(self, bot_id: int, path: str) -> StoredFile | None:
        unique_id = self._by_path.get((bot_id, path))
        return None if unique_id is None else self._blobs[unique_id]

    def photo_set(self, stored: StoredFile) -> list[StoredFile]:
        return [self._blobs[uid] for uid in stored.photo_set] if stored.photo_set else [stored]


def file_json(store: FileStore, bot_id: int, stored: StoredFile) -> dict[str, Any]:
    """The shared part of PhotoSize, Document, Sticker and Voice objects."""
    return {
        "file_id": store.issue_file_id(bot_id, stored),
        "file_unique_id": stored.unique_id,
        "file_size": stored.size,
    }


def photo_json(store: FileStore, bot_id: int, sizes: list[StoredFile]) -> list[dict[str, Any]]:
    return [
        {**file_json(store, bot_id, size), "width": size.width, "height": size.height}
        for size in sizes
    ]
