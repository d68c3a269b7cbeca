"""The Python driver that tests of a bot use."""

from __future__ import annotations

import pytest
import telegram

from simulator import SimulatorServer, UserActionError
from tests.fixtures.simulator import TOKEN


@pytest.fixture
async def bot(server: SimulatorServer) -> telegram.Bot:
    return telegram.Bot(TOKEN, base_url=server.base_url, base_file_url=server.base_file_url)


async def test_next_message_in_order_and_clear_timeout(
    server: SimulatorServer, bot: telegram.Bot
) -> None:
    lan = server.add_user("Lan")
    await lan.send_command("start")
    async with bot:
        await bot.send_message(lan.chat_id, "một")
        await bot.send_message(lan.chat_id, "hai")
    assert (await lan.next_message()).text == "một"
    assert [m.text for m in lan.new_messages()] == ["hai"]
    with pytest.raises(TimeoutError, match=r"no new bot message in chat \d+ within 0.1 s.*'hai'"):
        await lan.next_message(timeout=0.1)
    assert [m.from_bot for m in lan.history()] == [False, True, True]


async def test_press_finds_the_latest_message_with_the_button(
    server: SimulatorServer, bot: telegram.Bot
) -> None:
    lan = server.add_user("Lan", phone_number="0912345678")
    await lan.send_command("start")
    keyboard = telegram.InlineKeyboardMarkup(
        [[telegram.InlineKeyboardButton("Tiếp", callback_data="next")]]
    )
    async with bot:
        older = await bot.send_message(lan.chat_id, "1", reply_markup=keyboard)
        newer = await bot.send_message(lan.chat_id, "2", reply_markup=keyboard)
        await bot.get_updates(offset=-1)
        await lan.press("Tiếp")
        await lan.press(callback_data="next", message_id=older.message_id)
        updates = await bot.get_updates(offset=-2)
        ids = [
            u.callback_query.message.message_id
            for u in updates
            if u.callback_query and u.callback_query.message
        ]
        assert ids == [newer.message_id, older.message_id]
        reply = telegram.ReplyKeyboardMarkup(
            [[telegram.KeyboardButton("Chia sẻ", request_contact=True)], ["Bỏ qua"]]
        )
        await bot.send_message(lan.chat_id, "SĐT?", reply_markup=reply)
        assert lan.reply_keyboard is not None
        assert [[b.text for b in row] for row in lan.reply_keyboard] == [["Chia sẻ"], ["Bỏ qua"]]
        await lan.press("Bỏ qua")
        await lan.press("Chia sẻ")
        updates = await bot.get_updates(offset=-2)
        assert updates[0].message is not None
        assert updates[0].message.text == "Bỏ qua"
        assert updates[1].message is not None
        assert updates[1].message.contact is not None
        assert updates[1].message.contact.user_id == lan.user_id
        with pytest.raises(UserActionError, match=r"no button 'Không có'; on screen: \['Tiếp'"):
            await lan.press("Không có")


async def test_group_chat(server: SimulatorServer, bot: telegram.Bot) -> None:
    chief = server.add_user("Trưởng thôn", label="village chief")
    officer = server.add_user("Cán bộ", label="officer")
    group_id = server.add_group("Thôn Đông", [chief, officer])
    chief_view, officer_view = chief.group(group_id), officer.group(group_id)
    await chief_view.send_command("status@sim123456789_bot")
    async with bot:
        (update,) = await bot.get_updates()
        assert update.message is not None
        assert update.message.chat.type == "group"
        assert update.message.chat.title == "Thôn Đông"
        await bot.send_message(group_id, "Báo cáo")
    assert (await officer_view.next_message()).text == "Báo cáo"
    assert (await chief_view.next_message()).text == "Báo cáo"
    stranger = server.add_user("Khách")
    with pytest.raises(UserActionError, match="not in chat"):
        await stranger.group(group_id).send_text("hi")


async def test_sessions_and_bot_choice(server: SimulatorServer) -> None:
    lan = server.add_user("Lan", user_id=7)
    again = server.session(7)
    assert again.user_id == lan.user_id == lan.chat_id
    with pytest.raises(UserActionError):
        server.session(8)
    server.register_bot("42:second-bot")
    with pytest.raises(UserActionError, match="pass bot_token"):
        server.add_user("Mai")
    mai = server.add_user("Mai", bot_token="42:second-bot")
    await mai.send_text("hi")
    assert server.simulator.bots[42].chats[mai.chat_id].messages
    with pytest.raises(ValueError, match="another token"):
        server.register_bot("42:different")
