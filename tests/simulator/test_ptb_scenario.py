"""Real python-telegram-bot drives every implemented method, by long polling and by webhook."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiohttp import web
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    ForceReply,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InputMediaPhoto,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    ReplyParameters,
    Update,
)
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from simulator import ApiExchange, SimulatorServer
from simulator._botapi import METHODS
from tests.fixtures.apischema import ApiSchema
from tests.fixtures.simulator import TOKEN, jpeg

SECRET = "s3cr3t-token_1"
DELIVERY_METHODS = {"getupdates", "setwebhook", "deletewebhook"}


async def on_start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    assert update.effective_chat is not None
    await context.bot.send_chat_action(update.effective_chat.id, "typing")
    payload = " ".join(context.args or [])
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("Đồng ý", callback_data="agree")],
            [InlineKeyboardButton("Chính sách", url="https://example.org/privacy")],
        ]
    )
    await update.message.reply_text(
        f"<b>Xin chào</b> {payload}", parse_mode="HTML", reply_markup=keyboard
    )
    share = KeyboardButton("Gửi số điện thoại", request_contact=True)
    await update.message.reply_text(
        "Chia sẻ số điện thoại?",
        reply_markup=ReplyKeyboardMarkup([[share]], one_time_keyboard=True, resize_keyboard=True),
    )


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("Đã nhận")
    if query.data == "agree":
        done = InlineKeyboardMarkup([[InlineKeyboardButton("Xong", callback_data="done")]])
        await query.edit_message_text(f"Bạn chọn: {query.data}", reply_markup=done)
    else:
        await query.edit_message_reply_markup(None)


async def on_contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None
    assert update.message.contact is not None
    await update.message.reply_text(
        f"Số: {update.message.contact.phone_number}", reply_markup=ReplyKeyboardRemove()
    )
    await update.message.reply_text("Họ và tên?", reply_markup=ForceReply())


async def on_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    assert message is not None
    if message.media_group_id:
        album = context.chat_data.setdefault("album", [])
        album.append(message.photo[-1].file_id)
        if len(album) == 2:
            await message.reply_media_group([InputMediaPhoto(file_id) for file_id in album])
        return
    largest = message.photo[-1]
    data = await (await largest.get_file()).download_as_bytearray()
    sent = await message.reply_photo(largest.file_id, caption=f"{len(data)} bytes")
    await context.bot.edit_message_caption(
        sent.chat_id, sent.message_id, caption=f"ảnh {largest.width}px"
    )


async def on_document(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    assert message is not None
    assert message.document is not None
    data = await (await message.document.get_file()).download_as_bytearray()
    await message.reply_document(bytes(data), filename=f"echo-{message.document.file_name}")


async def on_location(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    assert message is not None
    assert message.location is not None
    await message.reply_text(
        f"{message.location.latitude:.4f}",
        reply_parameters=ReplyParameters(message.message_id),
    )


async def on_not_a_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    assert message is not None
    await message.reply_text("Đó không phải là ảnh")
    await message.delete()


async def on_text(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.message
    assert message is not None
    assert message.text is not None
    sent = await message.reply_text(f"echo: {message.text}")
    if message.text == "xoá":
        await sent.delete()
    elif message.text == "xoá hết":  # this reply and the message it answers, in one call
        await context.bot.delete_messages(message.chat_id, [message.message_id, sent.message_id])


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    context.bot_data.setdefault("errors", []).append(context.error)


def build_application(
    server: SimulatorServer, *, polling: bool
) -> Application[Any, Any, Any, Any, Any, Any]:
    builder = (
        ApplicationBuilder()
        .token(TOKEN)
        .base_url(server.base_url)
        .base_file_url(server.base_file_url)
    )
    if not polling:
        builder = builder.updater(None)
    application = builder.build()
    application.add_handler(CommandHandler("start", on_start))
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(filters.CONTACT, on_contact))
    application.add_handler(MessageHandler(filters.PHOTO, on_photo))
    application.add_handler(MessageHandler(filters.Document.ALL, on_document))
    application.add_handler(MessageHandler(filters.LOCATION, on_location))
    application.add_handler(MessageHandler(filters.Sticker.ALL | filters.VOICE, on_not_a_photo))
    application.add_handler(MessageHandler(filters.TEXT, on_text))
    application.add_error_handler(on_error)
    return application


@asynccontextmanager
async def webhook_receiver(
    application: Application[Any, Any, Any, Any, Any, Any], schema: ApiSchema, seen: list[str]
) -> AsyncIterator[str]:
    """A tiny bot web server, as PTB's custom-webhook examples build one."""

    async def receive(request: web.Request) -> web.Response:
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != SECRET:
            return web.Response(status=403)
        data = await request.json()
        seen.extend(schema.check_value(data, ["Update"], "webhook"))
        await application.update_queue.put(Update.de_json(data, application.bot))
        return web.Response()

    app = web.Application()
    app.router.add_post("/hook", receive)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    host, port = runner.addresses[0][:2]
    try:
        yield f"http://{host}:{port}/hook"
    finally:
        await runner.cleanup()


async def converse(server: SimulatorServer) -> None:
    """A user goes through every kind of message; the bot answers with every method."""
    lan = server.add_user("Lan", last_name="Nguyễn", phone_number="+84912345678")
    await lan.send_command("start", "v042")
    welcome = await lan.next_message()
    assert welcome.text == "Xin chào v042"
    assert welcome.raw["entities"] == [{"offset": 0, "length": 8, "type": "bold"}]
    assert [b.text for b in welcome.buttons] == ["Đồng ý", "Chính sách"]
    assert (await lan.next_message()).text == "Chia sẻ số điện thoại?"
    assert lan.reply_keyboard is not None

    await lan.press("Đồng ý")
    assert (await lan.next_callback_answer()).text == "Đã nhận"
    await lan.wait_until(lambda: lan.history()[1].text == "Bạn chọn: agree")
    await lan.press("Xong")
    await lan.wait_until(lambda: lan.history()[1].buttons == [])

    await lan.press("Gửi số điện thoại")
    assert (await lan.next_message()).text.startswith("Số: ")
    assert lan.reply_keyboard is None
    assert (await lan.next_message()).raw["force_reply"] is True

    await lan.send_photo(jpeg(2000, 1500), caption="sổ đỏ")
    echoed = await lan.next_message()
    assert [size["width"] for size in echoed.photo] == [90, 320, 800, 1280]
    await lan.wait_until(lambda: lan.history()[-1].text == "ảnh 1280px")

    pdf = b"%PDF-1.4\n" + bytes(range(256)) * 40
    await lan.send_document(pdf, "sổ đỏ.pdf")
    document = await lan.next_message()
    assert document.document is not None
    assert document.document["file_name"] == "echo-sổ đỏ.pdf"
    assert lan.file_bytes(document) == pdf

    await lan.send_album([jpeg(900, 700, "red"), jpeg(700, 900, "blue")])
    first, second = await lan.next_message(), await lan.next_message()
    assert first.media_group_id is not None
    assert first.media_group_id == second.media_group_id

    location_id = await lan.share_location(21.0285, 105.8542)
    reply = await lan.next_message()
    assert reply.raw["reply_to_message"]["message_id"] == location_id

    sticker_id = await lan.send_sticker()
    assert (await lan.next_message()).text == "Đó không phải là ảnh"
    voice_id = await lan.send_voice()
    assert (await lan.next_message()).text == "Đó không phải là ảnh"
    await lan.wait_until(
        lambda: not {sticker_id, voice_id} & {m.message_id for m in lan.history()}
    )

    await lan.send_text("xoá")
    deleted = await lan.next_message()
    await lan.wait_until(lambda: deleted.message_id not in {m.message_id for m in lan.history()})

    asked = await lan.send_text("xoá hết")
    answer = await lan.next_message()
    await lan.wait_until(
        lambda: not {asked, answer.message_id} & {m.message_id for m in lan.history()}
    )


async def bot_housekeeping(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
    bot = application.bot
    scope = BotCommandScopeAllPrivateChats()
    commands = [BotCommand("start", "Bắt đầu"), BotCommand("status", "Tình trạng hồ sơ")]
    assert await bot.set_my_commands(commands, scope=scope, language_code="vi")
    assert await bot.get_my_commands(scope=scope, language_code="vi") == tuple(commands)
    assert await bot.delete_my_commands(scope=scope, language_code="vi")
    assert await bot.get_my_commands() == ()
    assert (await bot.get_me()).id == int(TOKEN.split(":")[0])
    await bot.get_webhook_info()
    assert await bot.close()
    assert await bot.log_out()


@pytest.mark.parametrize("polling", [True, False], ids=["long-polling", "webhook"])
async def test_every_method_through_ptb(
    server: SimulatorServer,
    exchanges: list[ApiExchange],
    schema: ApiSchema,
    check_traffic: Callable[[], list[ApiExchange]],
    polling: bool,
) -> None:
    application = build_application(server, polling=polling)
    webhook_errors: list[str] = []
    async with application:
        try:
            if polling:
                assert application.updater is not None
                await application.updater.start_polling(poll_interval=0, timeout=2)
                await application.start()
                await converse(server)
                await bot_housekeeping(application)
            else:
                async with webhook_receiver(application, schema, webhook_errors) as url:
                    await application.bot.set_webhook(url, secret_token=SECRET)
                    await application.start()
                    await converse(server)
                    info = await application.bot.get_webhook_info()
                    assert info.url == url
                    assert info.pending_update_count == 0
                    await bot_housekeeping(application)
                    await application.bot.delete_webhook(drop_pending_updates=True)
        finally:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            if application.running:
                await application.stop()
    assert application.bot_data.get("errors", []) == []
    assert webhook_errors == []
    used = {exchange.method.lower() for exchange in check_traffic()}
    delivery = {"getupdates", "deletewebhook"} if polling else {"setwebhook", "deletewebhook"}
    assert used == (set(METHODS) - DELIVERY_METHODS) | delivery
    assert [(e.method, e.response) for e in exchanges if e.status != 200] == []
