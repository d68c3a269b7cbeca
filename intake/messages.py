"""The message catalog: every resident- and staff-facing text, Vietnamese first, then English.

One key per message; placeholders use `str.format` names. A test fails when a key misses a
language or the languages disagree on placeholders. Vietnamese texts use no English words.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from enum import StrEnum

__all__ = ["CATALOG", "Language", "language_of", "render"]


class Language(StrEnum):
    VI = "vi"
    EN = "en"


CATALOG: dict[str, dict[Language, str]] = {
    # --- runtime -----------------------------------------------------------------------------
    "error.apology": {
        Language.VI: "Xin lỗi, hệ thống vừa gặp lỗi. Những gì bạn đã gửi vẫn được giữ an toàn. "
        "Vui lòng thử lại sau ít phút.",
        Language.EN: "Sorry, something went wrong on our side. What you already sent is safe. "
        "Please try again in a few minutes.",
    },
    # --- commands (the menu next to the input field) -------------------------------------------
    "command.start": {Language.VI: "Bắt đầu nộp hồ sơ", Language.EN: "Start a submission"},
    "command.status": {
        Language.VI: "Xem tình trạng hồ sơ đã nộp",
        Language.EN: "See your submissions",
    },
    "command.help": {Language.VI: "Hướng dẫn", Language.EN: "Help"},
    "command.language": {Language.VI: "Đổi ngôn ngữ", Language.EN: "Change language"},
    "command.withdraw": {
        Language.VI: "Rút hồ sơ và rút lại sự đồng ý",
        Language.EN: "Withdraw a submission and your consent",
    },
    "command.cancel": {Language.VI: "Hủy bước đang làm", Language.EN: "Cancel what you are doing"},
    "command.queue": {Language.VI: "Danh sách hồ sơ", Language.EN: "Submission queue"},
    "command.progress": {Language.VI: "Tiến độ thôn", Language.EN: "Village progress"},
    "command.report": {Language.VI: "Báo cáo hằng ngày", Language.EN: "Daily report"},
    "command.settings": {Language.VI: "Cài đặt thông báo", Language.EN: "Notification settings"},
    "command.invite": {Language.VI: "Mời cán bộ", Language.EN: "Invite staff"},
    "command.web": {Language.VI: "Mở trang quản lý", Language.EN: "Open the web console"},
    # --- greeting, language, help --------------------------------------------------------------
    "start.welcome": {
        Language.VI: "Xin chào! Đây là kênh nộp giấy tờ đất đai cho chiến dịch làm sạch dữ liệu "
        "đất đai của xã. Tôi sẽ hỏi từng câu một; bạn chỉ cần trả lời hoặc bấm nút.",
        Language.EN: "Hello! This is the channel for sending your land documents to the "
        "commune's land-data campaign. I will ask one question at a time; just answer or press "
        "a button.",
    },
    "language.choose": {
        Language.VI: "Bạn muốn dùng ngôn ngữ nào?",
        Language.EN: "Which language would you like to use?",
    },
    "language.set": {
        Language.VI: "Đã chọn tiếng Việt.",
        Language.EN: "English it is.",
    },
    "language.button.vi": {Language.VI: "Tiếng Việt", Language.EN: "Tiếng Việt"},
    "language.button.en": {Language.VI: "English", Language.EN: "English"},
    "help.resident": {
        Language.VI: "Cách dùng:\n"
        "• /start — bắt đầu nộp hồ sơ cho một thửa đất\n"
        "• /status — xem tình trạng hồ sơ đã nộp\n"
        "• /language — đổi ngôn ngữ\n"
        "• /cancel — hủy bước đang làm\n"
        "• /withdraw — rút hồ sơ\n"
        "Giấy tờ của bạn được niêm phong, chỉ cán bộ địa chính xã mở được.",
        Language.EN: "How to use this:\n"
        "• /start — start a submission for one land parcel\n"
        "• /status — see your submissions\n"
        "• /language — change the language\n"
        "• /cancel — cancel what you are doing\n"
        "• /withdraw — withdraw a submission\n"
        "Your documents are sealed; only the commune land office can open them.",
    },
    "unknown.command": {
        Language.VI: "Tôi chưa hiểu lệnh này. Gõ /help để xem hướng dẫn.",
        Language.EN: "I don't know that command. Type /help to see what I can do.",
    },
    "button.expired": {
        Language.VI: "Nút này đã cũ. Vui lòng dùng tin nhắn mới nhất.",
        Language.EN: "That button is out of date. Please use the latest message.",
    },
}


def language_of(code: str | None) -> Language:
    """The catalog language for a Telegram `language_code` (Vietnamese unless English)."""
    return Language.EN if code and code.lower().startswith("en") else Language.VI


def render(language: Language | str, key: str, params: Mapping[str, object] | None = None) -> str:
    """The text of `key` in `language`, with its placeholders filled."""
    texts = CATALOG[key]
    template = texts.get(Language(language), texts[Language.VI])
    return template.format(**params) if params else template


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
