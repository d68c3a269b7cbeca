"""Photos, documents, albums and file ids as Telegram makes them."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable

import aiohttp
import pytest
import telegram
from PIL import Image

from simulator import ApiExchange, SimulatorServer, UserActionError, UserSession
from simulator._files import FileStore, ImageError, ImageVariant, make_photo_sizes
from tests.fixtures.simulator import TOKEN, RawBotApi, jpeg


@pytest.fixture
async def bot(server: SimulatorServer) -> telegram.Bot:
    return telegram.Bot(TOKEN, base_url=server.base_url, base_file_url=server.base_file_url)


@pytest.fixture
async def lan(server: SimulatorServer) -> UserSession:
    session = server.add_user("Lan")
    await session.send_command("start")
    return session


async def updates(bot: telegram.Bot) -> list[telegram.Update]:
    found = await bot.get_updates(timeout=1)
    if found:
        await bot.get_updates(offset=found[-1].update_id + 1)
    return list(found)


@pytest.mark.parametrize(
    ("size", "sides"),
    [
        ((4000, 3000), [90, 320, 800, 1280]),
        ((1280, 720), [90, 320, 800, 1280]),
        ((900, 1000), [90, 320, 800, 1000]),
        ((500, 200), [90, 320, 500]),
        ((60, 40), [60]),
    ],
)
async def test_user_photo_becomes_jpeg_sizes_never_above_original(
    bot: telegram.Bot, lan: UserSession, size: tuple[int, int], sides: list[int]
) -> None:
    async with bot:
        await updates(bot)
        await lan.send_photo(jpeg(*size))
        (update,) = await updates(bot)
        assert update.message is not None
        photo = update.message.photo
        assert [max(p.width, p.height) for p in photo] == sides
        for size_ in photo:
            data = await (await bot.get_file(size_.file_id)).download_as_bytearray()
            assert len(data) == size_.file_size
            with Image.open(io.BytesIO(bytes(data))) as image:
                assert image.format == "JPEG"
                assert image.size == (size_.width, size_.height)


async def test_document_stays_byte_identical(bot: telegram.Bot, lan: UserSession) -> None:
    original = jpeg(3000, 2000)
    async with bot:
        await updates(bot)
        await lan.send_document(original, "CCCD mặt trước.jpg")
        (update,) = await updates(bot)
        assert update.message is not None
        document = update.message.document
        assert document is not None
        assert (document.file_name, document.mime_type, document.file_size) == (
            "CCCD mặt trước.jpg",
            "image/jpeg",
            len(original),
        )
        assert document.thumbnail is not None
        assert document.thumbnail.width == 320
        data = await (await bot.get_file(document.file_id)).download_as_bytearray()
        assert bytes(data) == original


async def test_same_content_same_unique_id_but_new_file_ids(
    bot: telegram.Bot, lan: UserSession
) -> None:
    image = jpeg(800, 600)
    async with bot:
        await updates(bot)
        await lan.send_document(image, "a.jpg")
        await lan.send_document(image, "b.jpg")
        await lan.send_document(jpeg(800, 601), "c.jpg")
        await lan.send_photo(image)
        await lan.send_photo(image)
        docs, photos = [], []
        for update in await updates(bot):
            assert update.message is not None
            if update.message.document:
                docs.append(update.message.document)
            else:
                photos.append(update.message.photo[-1])
        assert docs[0].file_unique_id == docs[1].file_unique_id != docs[2].file_unique_id
        assert docs[0].file_id != docs[1].file_id
        assert photos[0].file_unique_id == photos[1].file_unique_id != docs[0].file_unique_id
        # A file_id sent back by the bot names the same file.
        sent = await bot.send_document(lan.chat_id, docs[0].file_id)
        assert sent.document is not None
        assert sent.document.file_unique_id == docs[0].file_unique_id


async def test_album_shares_media_group_id_in_separate_updates(
    bot: telegram.Bot, lan: UserSession
) -> None:
    async with bot:
        await updates(bot)
        await lan.send_album([jpeg(600, 400, c) for c in ("red", "green", "blue")], caption="GCN")
        found = await updates(bot)
        assert len(found) == 3
        messages = [u.message for u in found if u.message is not None]
        assert len({m.media_group_id for m in messages}) == 1
        assert messages[0].media_group_id is not None
        assert [m.caption for m in messages] == ["GCN", None, None]
        assert len({u.update_id for u in found}) == 3


async def test_album_size_is_two_to_ten(lan: UserSession) -> None:
    with pytest.raises(UserActionError):
        await lan.send_album([jpeg(10, 10)] * 11)
    with pytest.raises(UserActionError, match="not a photo"):
        await lan.send_photo(b"not an image")


async def test_get_file_refuses_over_20_mb(bot: telegram.Bot, lan: UserSession) -> None:
    big = bytes(20 * 1024 * 1024 + 1)
    async with bot:
        await updates(bot)
        await lan.send_document(big, "big.pdf")
        (update,) = await updates(bot)
        assert update.message is not None
        assert update.message.document is not None
        with pytest.raises(telegram.error.BadRequest, match="File is too big"):
            await bot.get_file(update.message.document.file_id)


async def test_bot_side_files(
    bot: telegram.Bot,
    lan: UserSession,
    raw: RawBotApi,
    check_traffic: Callable[[], list[ApiExchange]],
) -> None:
    async with bot:
        status, body = await raw.json(
            "sendPhoto", chat_id=lan.chat_id, photo="https://x.org/a.jpg"
        )
        assert (status, body["description"]) == (
            400,
            "Bad Request: failed to get HTTP URL content",
        )
        status, body = await raw.json("sendDocument", chat_id=lan.chat_id, document="AgACnope")
        assert body["description"] == "Bad Request: wrong file identifier/HTTP URL specified"
        status, body = await raw.json("sendPhoto", chat_id=lan.chat_id)
        assert body["description"] == "Bad Request: there is no photo in the request"
        form = aiohttp.FormData({"chat_id": str(lan.chat_id)})
        form.add_field("photo", b"GIF89a-broken", filename="x.gif")
        assert (await raw.call("sendPhoto", data=form))[1]["description"] == (
            "Bad Request: IMAGE_PROCESS_FAILED"
        )
        photo = await bot.send_photo(
            lan.chat_id, jpeg(2000, 1000), caption="<i>ảnh</i>", parse_mode="HTML"
        )
        assert [p.width for p in photo.photo] == [90, 320, 800, 1280]
        assert photo.caption == "ảnh"
        status, body = await raw.json(
            "sendDocument", chat_id=lan.chat_id, document=photo.photo[0].file_id
        )
        assert body["description"] == "Bad Request: can't use file of type Photo as Document"
        album = await bot.send_media_group(
            lan.chat_id,
            [
                telegram.InputMediaDocument(b"one", filename="1.txt"),
                telegram.InputMediaDocument(b"two", filename="2.txt"),
            ],
        )
        assert {m.media_group_id for m in album} == {album[0].media_group_id}
        status, body = await raw.json(
            "sendMediaGroup",
            chat_id=lan.chat_id,
            media=[{"type": "photo", "media": photo.photo[0].file_id}],
        )
        assert body["description"] == "Bad Request: media group must contain 2-10 items"
        mixed = [
            {"type": "photo", "media": photo.photo[0].file_id},
            {"type": "document", "media": album[0].document.file_id},
        ]  # type: ignore[union-attr]
        status, body = await raw.json("sendMediaGroup", chat_id=lan.chat_id, media=mixed)
        assert body["description"] == "Bad Request: document can't be mixed with other media types"
    check_traffic()


async def test_file_download_path(
    server: SimulatorServer, bot: telegram.Bot, lan: UserSession
) -> None:
    async with bot, aiohttp.ClientSession() as session:
        sent = await bot.send_document(lan.chat_id, b"hello", filename="a.txt")
        assert sent.document is not None
        file = await bot.get_file(sent.document.file_id)
        assert file.file_path is not None
        path = file.file_path.removeprefix(f"{server.base_file_url}{TOKEN}/")
        assert path.startswith("documents/")
        async with session.get(f"{server.url}/file/bot{TOKEN}/{path}") as response:
            assert (response.status, await response.read()) == (200, b"hello")
        async with session.get(f"{server.url}/file/bot{TOKEN}/documents/nope.txt") as response:
            assert response.status == 404
        async with session.get(f"{server.url}/file/bot123456789:wrong-secret/{path}") as response:
            assert response.status == 401


def counted(made: list[bytes]) -> Callable[[bytes], list[ImageVariant]]:
    """The simulator's photo sizes, each source recorded in `made`."""

    def counting(data: bytes) -> list[ImageVariant]:
        made.append(data)
        return make_photo_sizes(data)

    return counting


async def test_the_same_bytes_are_recompressed_once_even_when_sent_at_once() -> None:
    files = FileStore()
    photo = jpeg(1600, 1200)
    made: list[bytes] = []
    counting = counted(made)
    first, second = await asyncio.gather(
        files.derive("photo", photo, counting), files.derive("photo", photo, counting)
    )
    third = await files.derive("photo", photo, counting)
    assert len(made) == 1
    assert (
        [s.unique_id for s in first]
        == [s.unique_id for s in second]
        == [s.unique_id for s in third]
    )
    assert [s.width for s in first] == [90, 320, 800, 1280]


async def test_a_failed_recompression_reaches_every_waiter_and_is_not_kept() -> None:
    files = FileStore()
    attempts: list[bytes] = []

    def failing(data: bytes) -> list[ImageVariant]:
        attempts.append(data)
        raise ImageError("PHOTO_INVALID_DIMENSIONS")

    results = await asyncio.gather(
        files.derive("photo", b"x", failing),
        files.derive("photo", b"x", failing),
        return_exceptions=True,
    )
    assert all(isinstance(r, ImageError) for r in results)
    with pytest.raises(ImageError):
        await files.derive("photo", b"x", failing)
    assert len(attempts) == 2  # once for the two at the same time, once again later


async def test_an_upload_is_known_by_its_content_not_by_the_object_holding_it() -> None:
    files = FileStore()
    photo = jpeg(1600, 1200)
    made: list[bytes] = []
    counting = counted(made)
    first = await files.derive("photo", photo, counting)
    copy = await files.derive("photo", bytes(bytearray(photo)), counting)  # another object
    other = await files.derive("photo", jpeg(1600, 1201), counting)
    again = await files.derive("photo", photo, counting)
    assert len(made) == 2
    assert [s.unique_id for s in first] == [s.unique_id for s in copy]
    assert [s.unique_id for s in first] == [s.unique_id for s in again]
    assert first[-1].unique_id != other[-1].unique_id
