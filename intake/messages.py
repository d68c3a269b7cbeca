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
    "resume.again": {
        Language.VI: "🔄 Xin lỗi, hệ thống vừa bị gián đoạn. Những gì bạn đã gửi vẫn được giữ "
        "an toàn. Đây là bước bạn đang làm:",
        Language.EN: "🔄 Sorry, we were briefly interrupted. What you already sent is safe. "
        "Here is where you were:",
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
    "language.switch": {Language.VI: "🌐 English", Language.EN: "🌐 Tiếng Việt"},
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
    # --- the resident's submission ---------------------------------------------------------
    "start.hint": {
        Language.VI: "Để nộp giấy tờ cho một thửa đất, hãy bấm /start.",
        Language.EN: "To send the documents of a land parcel, press /start.",
    },
    "location.from_link": {
        Language.VI: "Thửa đất ở {village}, {commune}.",
        Language.EN: "The land is in {village}, {commune}.",
    },
    "consent.notice": {
        Language.VI: "Trước khi bắt đầu, xin đọc kỹ:\n"
        "• Bạn sẽ gửi ảnh giấy chứng nhận quyền sử dụng đất (sổ đỏ) và căn cước công dân.\n"
        "• Ảnh được niêm phong ngay khi nhận: chỉ cán bộ địa chính xã mở được, "
        "không ai khác trong thôn xem được.\n"
        "• Sau khi niêm phong, ảnh bạn gửi sẽ được xóa khỏi cuộc trò chuyện này.\n"
        "• Giấy tờ chỉ dùng để cập nhật cơ sở dữ liệu đất đai; giấy tờ của hồ sơ đã xử lý "
        "được xóa sau một thời gian.\n"
        "• Bạn có thể rút hồ sơ bất cứ lúc nào bằng lệnh /withdraw.\n"
        "Bạn có đồng ý không?",
        Language.EN: "Before we start, please read:\n"
        "• You will send photos of the land use right certificate and the citizen ID card.\n"
        "• Photos are sealed as soon as they arrive: only the commune land office can open "
        "them, nobody else in the village can see them.\n"
        "• Once sealed, the photos you sent are deleted from this chat.\n"
        "• The documents are used only to update the land database; documents of processed "
        "submissions are deleted after a while.\n"
        "• You can withdraw at any time with /withdraw.\n"
        "Do you agree?",
    },
    "consent.yes": {Language.VI: "✅ Tôi đồng ý", Language.EN: "✅ I agree"},
    "consent.no": {Language.VI: "Không đồng ý", Language.EN: "I do not agree"},
    "consent.declined": {
        Language.VI: "Không sao. Khi không có sự đồng ý của bạn, chúng tôi không nhận giấy tờ "
        "nào. Khi sẵn sàng, hãy bấm /start.",
        Language.EN: "That's fine. Without your consent we take no documents. When you are "
        "ready, press /start.",
    },
    "commune.ask": {
        Language.VI: "Thửa đất thuộc xã (phường) nào của {province}? Hãy gõ tên xã.",
        Language.EN: "Which commune (xã or phường) of {province} is the land in? Type its name.",
    },
    "commune.pick": {
        Language.VI: "Có mấy xã trùng tên. Bạn chọn xã nào?",
        Language.EN: "Several communes match. Which one?",
    },
    "commune.not_found": {
        Language.VI: "Không tìm thấy xã “{query}”. Hãy kiểm tra lại tên và gõ lại.",
        Language.EN: "No commune called “{query}”. Please check the name and type it again.",
    },
    "commune.too_many": {
        Language.VI: "Có quá nhiều xã khớp. Hãy gõ đầy đủ tên xã.",
        Language.EN: "Too many communes match. Please type the full name.",
    },
    "village.ask": {
        Language.VI: "Thửa đất ở thôn (buôn, tổ dân phố) nào của {commune}?",
        Language.EN: "Which village of {commune} is the land in?",
    },
    "village.unknown": {Language.VI: "Tôi không biết thôn", Language.EN: "I don't know"},
    "village.other_commune": {Language.VI: "↩ Chọn xã khác", Language.EN: "↩ Another commune"},
    "village.triage": {
        Language.VI: "Không sao, cán bộ xã sẽ xác định thôn giúp bạn.",
        Language.EN: "No problem, the commune office will find the village.",
    },
    "nav.previous": {Language.VI: "◀ Trang trước", Language.EN: "◀ Previous"},
    "nav.next": {Language.VI: "Trang sau ▶", Language.EN: "Next ▶"},
    "whose.ask": {
        Language.VI: "Thửa đất này đứng tên ai?",
        Language.EN: "Whose name is this land in?",
    },
    "whose.self": {Language.VI: "Tên tôi", Language.EN: "Mine"},
    "whose.family": {
        Language.VI: "Người thân trong gia đình",
        Language.EN: "A family member",
    },
    "name.ask.self": {
        Language.VI: "Họ và tên của bạn (như trên căn cước)?\n"
        "Bạn cũng có thể gửi ảnh mặt trước căn cước, tôi sẽ đọc mã QR.",
        Language.EN: "Your full name (as on the ID card)?\n"
        "You can also send a photo of the front of your ID card and I will read its QR code.",
    },
    "name.ask.family": {
        Language.VI: "Họ và tên người đứng tên thửa đất (như trên căn cước)?\n"
        "Bạn cũng có thể gửi ảnh mặt trước căn cước của người đó, tôi sẽ đọc mã QR.",
        Language.EN: "Full name of the land user (as on their ID card)?\n"
        "You can also send a photo of the front of their ID card and I will read its QR code.",
    },
    "name.invalid": {
        Language.VI: "Tên chưa đúng. Hãy gõ đầy đủ họ và tên, chỉ có chữ, ví dụ: Nguyễn Văn An.",
        Language.EN: "That is not a full name. Type it in letters, e.g. Nguyễn Văn An.",
    },
    "cccd.ask": {
        Language.VI: "Số căn cước (12 chữ số)?",
        Language.EN: "The ID card number (12 digits)?",
    },
    "cccd.invalid.not_12_digits": {
        Language.VI: "Số căn cước phải có đúng 12 chữ số. Hãy gõ lại.",
        Language.EN: "The ID number must have exactly 12 digits. Please type it again.",
    },
    "cccd.invalid.unknown_province": {
        Language.VI: "Ba số đầu của số căn cước không đúng mã tỉnh. Hãy kiểm tra và gõ lại.",
        Language.EN: "The first three digits are not a province code. Please check and retype.",
    },
    "cccd.invalid.bad_century": {
        Language.VI: "Chữ số thứ tư của số căn cước không đúng. Hãy kiểm tra và gõ lại.",
        Language.EN: "The fourth digit of the ID number is not valid. Please check and retype.",
    },
    "cccd.invalid.implausible_birth_year": {
        Language.VI: "Năm sinh trong số căn cước không hợp lý. Hãy kiểm tra và gõ lại.",
        Language.EN: "The birth year in the ID number is not plausible. Please check and retype.",
    },
    "cccd.photo_checking": {
        Language.VI: "Đã nhận ảnh căn cước, đang kiểm tra…",
        Language.EN: "Got the ID card photo, checking it…",
    },
    "cccd.photo_ok_no_qr": {
        Language.VI: "Ảnh căn cước rõ, nhưng tôi không đọc được mã QR. Hãy gõ giúp.",
        Language.EN: "The ID photo is clear, but I could not read its QR code. Please type it.",
    },
    "qr.confirm": {
        Language.VI: "Tôi đọc được trên căn cước:\nHọ tên: {name}\nSố: {cccd}\nĐúng không?",
        Language.EN: "I read this on the ID card:\nName: {name}\nNumber: {cccd}\nIs it right?",
    },
    "qr.yes": {Language.VI: "✅ Đúng", Language.EN: "✅ Yes"},
    "qr.no": {Language.VI: "Không đúng, tôi sẽ gõ", Language.EN: "No, I will type it"},
    "phone.ask": {
        Language.VI: "Số điện thoại để cán bộ liên hệ khi cần? Bấm nút bên dưới để chia sẻ, "
        "hoặc bỏ qua.",
        Language.EN: "A phone number the office can call if needed? Press the button below to "
        "share it, or skip.",
    },
    "phone.share": {Language.VI: "📱 Chia sẻ số điện thoại", Language.EN: "📱 Share my number"},
    "phone.skip": {Language.VI: "Bỏ qua", Language.EN: "Skip"},
    "phone.invalid": {
        Language.VI: "Số điện thoại chưa đúng. Hãy bấm nút chia sẻ, hoặc gõ dạng 0912345678.",
        Language.EN: "That is not a phone number. Press the share button, or type 0912345678.",
    },
    "cert.ask": {
        Language.VI: "Giấy chứng nhận (sổ đỏ) của thửa đất hiện ở đâu?",
        Language.EN: "Where is the land use right certificate now?",
    },
    "cert.held": {Language.VI: "Tôi đang giữ sổ", Language.EN: "I have it"},
    "cert.at_bank": {Language.VI: "Sổ đang thế chấp ở ngân hàng", Language.EN: "A bank holds it"},
    "cert.lost": {Language.VI: "Sổ bị mất", Language.EN: "It is lost"},
    "cert.never_issued": {Language.VI: "Chưa được cấp sổ", Language.EN: "Never issued"},
    "serial.ask": {
        Language.VI: "Số phát hành (số seri) ở trang 1 của sổ, ví dụ: AA 01234567?",
        Language.EN: "The serial number on page 1 of the certificate, e.g. AA 01234567?",
    },
    "serial.invalid": {
        Language.VI: "Số seri chưa đúng. Hãy gõ chữ và số như trên sổ, ví dụ: AA 01234567.",
        Language.EN: "That serial looks wrong. Type its letters and digits, e.g. AA 01234567.",
    },
    "map_sheet.ask": {
        Language.VI: "Thửa đất thuộc tờ bản đồ số mấy?",
        Language.EN: "Which map sheet number is the parcel on?",
    },
    "map_sheet.invalid": {
        Language.VI: "Số tờ bản đồ chỉ gồm chữ số (tối đa 16 ký tự). Hãy gõ lại.",
        Language.EN: "The map sheet is a number (up to 16 characters). Please type it again.",
    },
    "parcel_no.ask": {
        Language.VI: "Số thửa đất là bao nhiêu?",
        Language.EN: "What is the parcel number?",
    },
    "parcel_no.invalid": {
        Language.VI: "Số thửa chỉ gồm chữ số (tối đa 16 ký tự). Hãy gõ lại.",
        Language.EN: "The parcel number is a number (up to 16 characters). Please type it again.",
    },
    "answer.dont_know": {Language.VI: "Tôi không biết", Language.EN: "I don't know"},
    "answer.use_buttons": {
        Language.VI: "Hãy chọn một nút bên dưới.",
        Language.EN: "Please choose one of the buttons below.",
    },
    "docs.checklist": {
        Language.VI: "Giấy tờ cần gửi:\n{lines}",
        Language.EN: "Documents to send:\n{lines}",
    },
    "docs.wait": {
        Language.VI: "Tôi đang kiểm tra các ảnh (⏳ trong danh sách); sẽ báo ngay khi xong.",
        Language.EN: "I am checking the photos (⏳ in the list) and will tell you at once.",
    },
    "docs.send_photo": {
        Language.VI: "Ở bước này tôi cần một ảnh. Hãy bấm 📎 và chọn ảnh.",
        Language.EN: "At this step I need a photo. Press 📎 and choose it.",
    },
    "docs.spare": {
        Language.VI: "Có ảnh thừa, tôi không dùng đến. Hãy gửi đúng ảnh được hỏi.",
        Language.EN: "Some photos were not needed and are not used. Send only what is asked.",
    },
    "location.link_unknown": {
        Language.VI: "Mã thôn trong đường dẫn không đúng. Hãy chọn nơi có đất bên dưới.",
        Language.EN: "The village code in the link is unknown. Please choose the place below.",
    },
    "docs.all_in": {
        Language.VI: "Đã đủ ảnh. Hãy xem lại và bấm “Gửi hồ sơ”.",
        Language.EN: "All photos are in. Please review and press “Send”.",
    },
    "docs.skip": {Language.VI: "Bỏ qua", Language.EN: "Skip"},
    "docs.ask.cccd_front": {
        Language.VI: "📷 Gửi ảnh MẶT TRƯỚC căn cước. Đặt thẻ trên nền phẳng, đủ sáng, chụp "
        "thấy đủ 4 góc. Gửi dạng tệp (không nén) thì rõ nhất.",
        Language.EN: "📷 Send a photo of the FRONT of the ID card. Lay it flat in good light "
        "with all 4 corners visible. Sending it as a file (uncompressed) is clearest.",
    },
    "docs.ask.cccd_back": {
        Language.VI: "📷 Gửi ảnh MẶT SAU căn cước, thấy đủ 4 góc.",
        Language.EN: "📷 Send a photo of the BACK of the ID card, all 4 corners visible.",
    },
    "docs.ask.cert_cover": {
        Language.VI: "📷 Gửi ảnh TRANG 1 của sổ (trang có số seri), thấy đủ 4 góc.",
        Language.EN: "📷 Send a photo of PAGE 1 of the certificate (with the serial), all 4 "
        "corners visible.",
    },
    "docs.ask.cert_owner": {
        Language.VI: "📷 Gửi ảnh TRANG 2–3 của sổ (người sử dụng đất và thửa đất).",
        Language.EN: "📷 Send a photo of PAGES 2–3 of the certificate (the land user and the "
        "parcel).",
    },
    "docs.ask.cert_changes": {
        Language.VI: "📷 Nếu sổ có trang ghi thay đổi (trang 4), hãy gửi ảnh trang đó; nếu "
        "không có, bấm “Bỏ qua”.",
        Language.EN: "📷 If the certificate has a changes page (page 4), send it; if not, "
        "press “Skip”.",
    },
    "docs.ask.bank_receipt": {
        Language.VI: "📷 Nếu có giấy biên nhận của ngân hàng giữ sổ, hãy gửi ảnh; nếu không, "
        "bấm “Bỏ qua”.",
        Language.EN: "📷 If you have the bank's receipt for the certificate, send a photo; if "
        "not, press “Skip”.",
    },
    "docs.ask.other_paper": {
        Language.VI: "📷 Nếu có giấy tờ khác về thửa đất (giấy mua bán, biên lai thuế…), hãy "
        "gửi ảnh; nếu không, bấm “Bỏ qua”.",
        Language.EN: "📷 If you have another paper about the land (a sale paper, a tax "
        "receipt…), send a photo; if not, press “Skip”.",
    },
    "slot.cccd_front": {Language.VI: "Căn cước — mặt trước", Language.EN: "ID card — front"},
    "slot.cccd_back": {Language.VI: "Căn cước — mặt sau", Language.EN: "ID card — back"},
    "slot.cert_cover": {
        Language.VI: "Sổ — trang 1 (số seri)",
        Language.EN: "Certificate — page 1",
    },
    "slot.cert_owner": {Language.VI: "Sổ — trang 2–3", Language.EN: "Certificate — pages 2–3"},
    "slot.cert_changes": {
        Language.VI: "Sổ — trang thay đổi",
        Language.EN: "Certificate — changes page",
    },
    "slot.bank_receipt": {
        Language.VI: "Biên nhận của ngân hàng",
        Language.EN: "The bank's receipt",
    },
    "slot.other_paper": {Language.VI: "Giấy tờ khác", Language.EN: "Another paper"},
    "slot.optional": {Language.VI: " (nếu có)", Language.EN: " (if any)"},
    "docs.resend_other_commune": {
        Language.VI: "Vì đã đổi xã, các ảnh đã gửi cần gửi lại cho xã mới.",
        Language.EN: "Since the commune changed, the photos must be sent again for the new "
        "commune.",
    },
    "photo.not_now": {
        Language.VI: "Chưa cần ảnh ở bước này. Ảnh sẽ được hỏi sau.",
        Language.EN: "No photo is needed yet; I will ask for the photos later.",
    },
    "photo.too_big": {
        Language.VI: "Tệp này lớn hơn 20 MB, tôi không nhận được. Hãy chụp lại hoặc gửi tệp nhỏ "
        "hơn.",
        Language.EN: "That file is over 20 MB, which I cannot receive. Please send a smaller one.",
    },
    "photo.duplicate": {
        Language.VI: "Ảnh này bạn đã gửi rồi.",
        Language.EN: "You already sent this photo.",
    },
    "photo.retake": {
        Language.VI: "❗ Ảnh “{slot}” chưa dùng được: {issues}. Xin chụp và gửi lại.",
        Language.EN: "❗ The photo “{slot}” cannot be used: {issues}. Please take it again.",
    },
    "issue.blurry": {Language.VI: "ảnh bị mờ", Language.EN: "it is blurry"},
    "issue.too_dark": {Language.VI: "ảnh quá tối", Language.EN: "it is too dark"},
    "issue.overexposed": {Language.VI: "ảnh quá sáng", Language.EN: "it is too bright"},
    "issue.glare": {
        Language.VI: "bị lóa sáng trên giấy tờ",
        Language.EN: "there is glare on the document",
    },
    "issue.too_small": {
        Language.VI: "ảnh quá nhỏ, chữ không đọc được — hãy gửi dạng tệp (không nén)",
        Language.EN: "it is too small to read — please send it as a file (uncompressed)",
    },
    "issue.cut_off": {
        Language.VI: "giấy tờ bị mất góc hoặc mất cạnh",
        Language.EN: "a corner or an edge of the document is cut off",
    },
    "issue.no_document": {
        Language.VI: "không thấy giấy tờ trong ảnh",
        Language.EN: "no document can be seen",
    },
    "issue.empty": {Language.VI: "tệp trống", Language.EN: "the file is empty"},
    "issue.unsupported_type": {
        Language.VI: "tệp không phải ảnh hay bản quét (chỉ nhận JPEG, PNG, WebP, HEIC, PDF)",
        Language.EN: "the file is not a photo or a scan (JPEG, PNG, WebP, HEIC, PDF only)",
    },
    "issue.too_large_bytes": {Language.VI: "tệp quá lớn", Language.EN: "the file is too large"},
    "issue.too_many_pixels": {
        Language.VI: "ảnh có kích thước quá lớn",
        Language.EN: "the image has too many pixels",
    },
    "issue.too_many_pages": {
        Language.VI: "tệp PDF có quá nhiều trang",
        Language.EN: "the PDF has too many pages",
    },
    "issue.truncated": {
        Language.VI: "tệp bị thiếu (gửi chưa hết)",
        Language.EN: "the file is incomplete",
    },
    "issue.corrupt": {
        Language.VI: "tệp bị hỏng, không mở được",
        Language.EN: "the file is damaged and cannot be opened",
    },
    "issue.animated": {Language.VI: "đây là ảnh động", Language.EN: "it is an animated image"},
    "issue.metadata_bomb": {
        Language.VI: "tệp chứa dữ liệu lạ, không an toàn",
        Language.EN: "the file carries unsafe extra data",
    },
    "issue.polyglot": {
        Language.VI: "tệp chứa dữ liệu lạ, không an toàn",
        Language.EN: "the file carries unsafe extra data",
    },
    "issue.encrypted": {
        Language.VI: "tệp PDF có mật khẩu",
        Language.EN: "the PDF is password-protected",
    },
    "issue.unavailable": {
        Language.VI: "không tải được tệp từ Telegram",
        Language.EN: "the file could not be downloaded from Telegram",
    },
    "unsupported.kind": {
        Language.VI: "Tôi không dùng được {what} ở đây.",
        Language.EN: "I cannot use {what} here.",
    },
    "what.sticker": {Language.VI: "nhãn dán", Language.EN: "stickers"},
    "what.voice": {Language.VI: "tin nhắn thoại", Language.EN: "voice messages"},
    "what.video": {Language.VI: "video", Language.EN: "videos"},
    "what.video_note": {Language.VI: "video tròn", Language.EN: "video notes"},
    "what.audio": {Language.VI: "tệp âm thanh", Language.EN: "audio files"},
    "what.animation": {Language.VI: "ảnh động", Language.EN: "animations"},
    "what.poll": {Language.VI: "bình chọn", Language.EN: "polls"},
    "what.dice": {Language.VI: "xúc xắc", Language.EN: "dice"},
    "what.game": {Language.VI: "trò chơi", Language.EN: "games"},
    "what.venue": {Language.VI: "địa điểm", Language.EN: "venues"},
    "what.story": {Language.VI: "tin đăng", Language.EN: "stories"},
    "what.other": {Language.VI: "loại tin nhắn này", Language.EN: "this kind of message"},
    "location.not_needed": {
        Language.VI: "Không cần gửi vị trí; tôi chỉ cần câu trả lời bên dưới.",
        Language.EN: "No location is needed; I only need the answer below.",
    },
    "contact.not_now": {
        Language.VI: "Chưa cần số điện thoại ở bước này.",
        Language.EN: "No phone number is needed at this step.",
    },
    "review.summary": {
        Language.VI: "Xem lại hồ sơ:\n"
        "Nơi có đất: {village}, {commune}\n"
        "Đứng tên: {whose}\n"
        "Họ tên: {name}\n"
        "Số căn cước: {cccd}\n"
        "Điện thoại: {phone}\n"
        "Sổ: {status}\n"
        "Số seri: {serial}\n"
        "Tờ bản đồ: {map_sheet} — Thửa: {parcel_no}\n"
        "Nếu đúng, bấm “Gửi hồ sơ”.",
        Language.EN: "Please check:\n"
        "Land in: {village}, {commune}\n"
        "In whose name: {whose}\n"
        "Name: {name}\n"
        "ID number: {cccd}\n"
        "Phone: {phone}\n"
        "Certificate: {status}\n"
        "Serial: {serial}\n"
        "Map sheet: {map_sheet} — Parcel: {parcel_no}\n"
        "If all is right, press “Send”.",
    },
    "review.village_unknown": {
        Language.VI: "thôn chưa rõ (xã sẽ xác định)",
        Language.EN: "village unknown (the commune will find it)",
    },
    "review.not_given": {Language.VI: "chưa biết", Language.EN: "not known"},
    "review.whose.self": {Language.VI: "bản thân tôi", Language.EN: "myself"},
    "review.whose.family": {
        Language.VI: "người thân trong gia đình",
        Language.EN: "a family member",
    },
    "review.submit": {Language.VI: "📨 Gửi hồ sơ", Language.EN: "📨 Send"},
    "review.edit_person": {Language.VI: "Sửa người đứng tên", Language.EN: "Edit the land user"},
    "review.edit_certificate": {Language.VI: "Sửa thông tin sổ", Language.EN: "Edit certificate"},
    "review.edit_location": {Language.VI: "Sửa nơi có đất", Language.EN: "Edit the location"},
    "submit.sending": {
        Language.VI: "Đang gửi hồ sơ…",
        Language.EN: "Sending your submission…",
    },
    "restart.ask": {
        Language.VI: "Bạn đang có một hồ sơ làm dở. Làm tiếp hay bắt đầu lại?",
        Language.EN: "You have a submission in progress. Continue it or start over?",
    },
    "restart.continue": {Language.VI: "Làm tiếp", Language.EN: "Continue"},
    "restart.over": {Language.VI: "Bắt đầu lại", Language.EN: "Start over"},
    "restart.done": {
        Language.VI: "Đã xóa hồ sơ làm dở. Bắt đầu lại nhé.",
        Language.EN: "The unfinished submission is deleted. Let's start again.",
    },
    "cancel.nothing": {
        Language.VI: "Không có gì đang làm dở.",
        Language.EN: "There is nothing in progress.",
    },
    "cancel.done": {
        Language.VI: "Đã hủy. Không giữ lại gì của hồ sơ làm dở. Bấm /start khi muốn nộp lại.",
        Language.EN: "Cancelled. Nothing of the unfinished submission is kept. Press /start to "
        "begin again.",
    },
    "submit.receipt": {
        Language.VI: "✅ Đã nhận hồ sơ.\nMã biên nhận: {receipt}\nNơi có đất: {place}\n"
        "Cán bộ địa chính xã sẽ xem hồ sơ; bạn sẽ được báo khi có kết quả hoặc khi cần bổ sung. "
        "Xem tình trạng bằng lệnh /status.",
        Language.EN: "✅ Submission received.\nReceipt code: {receipt}\nLand in: {place}\n"
        "The commune land office will review it; you will be told of the result or if anything "
        "is missing. See its status with /status.",
    },
    "status.none": {
        Language.VI: "Bạn chưa nộp hồ sơ nào. Bấm /start để nộp.",
        Language.EN: "You have not sent any submission yet. Press /start to send one.",
    },
    "status.list": {
        Language.VI: "Hồ sơ của bạn:\n{items}",
        Language.EN: "Your submissions:\n{items}",
    },
    "status.item": {
        Language.VI: "• {receipt} — {place} — {date}: {state}",
        Language.EN: "• {receipt} — {place} — {date}: {state}",
    },
    "state.submitted": {Language.VI: "đã nộp, chờ xem xét", Language.EN: "sent, waiting"},
    "state.in_review": {Language.VI: "đang xem xét", Language.EN: "being reviewed"},
    "state.needs_info": {Language.VI: "cần bổ sung", Language.EN: "needs more information"},
    "state.resubmitted": {
        Language.VI: "đã bổ sung, chờ xem lại",
        Language.EN: "completed, waiting",
    },
    "state.accepted": {
        Language.VI: "đã tiếp nhận vào hệ thống đất đai",
        Language.EN: "accepted into the land system",
    },
    "state.rejected": {Language.VI: "không được tiếp nhận", Language.EN: "not accepted"},
    "state.withdrawn": {Language.VI: "đã rút", Language.EN: "withdrawn"},
    "withdraw.none": {
        Language.VI: "Bạn không có hồ sơ nào để rút.",
        Language.EN: "You have no submission to withdraw.",
    },
    "withdraw.choose": {
        Language.VI: "Bạn muốn rút hồ sơ nào?",
        Language.EN: "Which submission do you want to withdraw?",
    },
    "withdraw.confirm": {
        Language.VI: "Rút hồ sơ {receipt}? Giấy tờ đã gửi sẽ bị xóa và xã sẽ không xử lý hồ sơ "
        "này.",
        Language.EN: "Withdraw {receipt}? The documents you sent will be deleted and the commune "
        "will not process it.",
    },
    "withdraw.yes": {Language.VI: "Rút hồ sơ", Language.EN: "Withdraw it"},
    "withdraw.no": {Language.VI: "Không, giữ lại", Language.EN: "No, keep it"},
    "withdraw.kept": {Language.VI: "Hồ sơ được giữ nguyên.", Language.EN: "Nothing was changed."},
    "withdraw.done": {
        Language.VI: "Đã rút hồ sơ {receipt}. Đã xóa {count} giấy tờ.",
        Language.EN: "Submission {receipt} is withdrawn. {count} document(s) were deleted.",
    },
    "withdraw.accepted_kept": {
        Language.VI: "Hồ sơ {receipt} đã được tiếp nhận vào hệ thống đất đai nên giấy tờ được giữ "
        "theo quy định. Nếu cần, hãy liên hệ cán bộ địa chính xã.",
        Language.EN: "Submission {receipt} is already accepted into the land system, so its "
        "documents are kept as required. Please contact the commune land office if needed.",
    },
    "draft.reminder": {
        Language.VI: "Bạn còn một hồ sơ nộp dở. Bấm /start để làm tiếp — những gì đã gửi vẫn được "
        "giữ.",
        Language.EN: "You have an unfinished submission. Press /start to continue — what you "
        "sent is kept.",
    },
    "draft.expired": {
        Language.VI: "Hồ sơ nộp dở đã quá 30 ngày nên đã được xóa. Bấm /start để nộp lại.",
        Language.EN: "Your unfinished submission was over 30 days old and has been deleted. "
        "Press /start to begin again.",
    },
    "button.expired": {
        Language.VI: "Nút này đã cũ. Vui lòng dùng tin nhắn mới nhất.",
        Language.EN: "That button is out of date. Please use the latest message.",
    },
    # --- staff: invites, notifications, review, progress (issue 6) ---------------------------
    "command.assist": {
        Language.VI: "Nộp hộ cho một hộ gia đình",
        Language.EN: "Submit for a household",
    },
    "staff.open": {
        Language.VI: "📂 Mở hồ sơ",
        Language.EN: "📂 Open",
    },
    "staff.none": {
        Language.VI: "không có",
        Language.EN: "none",
    },
    "staff.only": {
        Language.VI: "Lệnh và nút này chỉ dành cho cán bộ. Nếu bạn là người dân, bấm /start để "
        "nộp hồ sơ.",
        Language.EN: "This command or button is for staff only. If you are a resident, press "
        "/start to send your documents.",
    },
    "staff.refused": {
        Language.VI: "Bạn không có quyền làm việc này với hồ sơ hoặc địa bàn này. Việc này đã "
        "được ghi lại.",
        Language.EN: "You may not do this for this submission or place. The attempt has been "
        "recorded.",
    },
    "staff.cancelled": {
        Language.VI: "Đã hủy.",
        Language.EN: "Cancelled.",
    },
    "role.chief": {
        Language.VI: "trưởng thôn",
        Language.EN: "village chief",
    },
    "role.officer": {
        Language.VI: "cán bộ địa chính xã",
        Language.EN: "commune land officer",
    },
    "role.admin": {
        Language.VI: "quản trị tỉnh",
        Language.EN: "province administrator",
    },
    "help.chief": {
        Language.VI: "Lệnh dành cho trưởng thôn:\n• /queue — hồ sơ của thôn theo tình trạng\n• "
        "/progress — tiến độ thôn và các hộ chưa nộp\n• /assist — nộp hộ cho hộ không có điện "
        "thoại thông minh\n• /settings — báo ngay từng hồ sơ hay tóm tắt mỗi ngày\n• /cancel — "
        "hủy việc đang làm",
        Language.EN: "Commands for village chiefs:\n• /queue — your village's submissions by "
        "state\n• /progress — the village's progress and who has not submitted yet\n• /assist — "
        "submit for a household without a smartphone\n• /settings — an alert for each "
        "submission, or one digest a day\n• /cancel — cancel what you are doing",
    },
    "help.officer": {
        Language.VI: "Lệnh dành cho cán bộ địa chính:\n• /queue — danh sách hồ sơ, lọc theo thôn "
        "và tình trạng\n• /progress — tiến độ từng thôn\n• /report — báo cáo hằng ngày kèm biểu "
        "đồ\n• /invite — mời trưởng thôn hoặc cán bộ\n• /assist — nộp hộ cho một hộ gia đình\n• "
        "/settings — ngôn ngữ\n• /cancel — hủy việc đang làm",
        Language.EN: "Commands for land officers:\n• /queue — the submission queue, by village "
        "and state\n• /progress — each village's progress\n• /report — the daily report with a "
        "chart\n• /invite — invite a village chief or an officer\n• /assist — submit for a "
        "household\n• /settings — language\n• /cancel — cancel what you are doing",
    },
    "help.admin": {
        Language.VI: "Lệnh dành cho quản trị tỉnh:\n• /queue — chọn xã để xem hồ sơ\n• "
        "/progress, /report — tiến độ các xã\n• /settings — ngôn ngữ\nMời cán bộ bằng lệnh dòng "
        "lệnh: hoso staff invite.",
        Language.EN: "Commands for province administrators:\n• /queue — choose a commune to see "
        "its queue\n• /progress, /report — the communes' progress\n• /settings — "
        "language\nInvite staff from the command line: hoso staff invite.",
    },
    "invite.unknown": {
        Language.VI: "Lời mời này không đúng. Hãy xin cán bộ địa chính xã một đường dẫn mới.",
        Language.EN: "This invitation is not valid. Please ask the commune land officer for a "
        "new link.",
    },
    "invite.used": {
        Language.VI: "Lời mời này đã được dùng. Mỗi lời mời chỉ dùng được một lần; hãy xin một "
        "đường dẫn mới.",
        Language.EN: "This invitation has already been used. Each invitation works once; please "
        "ask for a new link.",
    },
    "invite.expired": {
        Language.VI: "Lời mời này đã hết hạn. Hãy xin cán bộ địa chính xã một đường dẫn mới.",
        Language.EN: "This invitation has expired. Please ask the commune land officer for a new "
        "link.",
    },
    "invite.welcome_chief": {
        Language.VI: "Chào mừng! Bạn đã là trưởng thôn {place} ({commune}) trên kênh này. Bạn sẽ "
        "được báo khi có hồ sơ mới của thôn.",
        Language.EN: "Welcome! You are now the village chief of {place} ({commune}) here. You "
        "will be told of each new submission from your village.",
    },
    "invite.welcome_officer": {
        Language.VI: "Chào mừng! Bạn đã là cán bộ địa chính của {place} trên kênh này.",
        Language.EN: "Welcome! You are now a land officer of {place} here.",
    },
    "invite.welcome_admin": {
        Language.VI: "Chào mừng! Bạn đã là quản trị của {place} trên kênh này.",
        Language.EN: "Welcome! You are now an administrator of {place} here.",
    },
    "invite.admin_cli": {
        Language.VI: "Quản trị tỉnh mời cán bộ bằng lệnh: hoso staff invite --role officer "
        "--commune MÃ_XÃ",
        Language.EN: "Province administrators invite staff with: hoso staff invite --role "
        "officer --commune CODE",
    },
    "invite.choose": {
        Language.VI: "Mời ai? Chọn thôn để mời trưởng thôn, hoặc mời thêm cán bộ địa chính của "
        "xã.",
        Language.EN: "Whom do you want to invite? Choose a village to invite its chief, or "
        "invite another land officer of the commune.",
    },
    "invite.officer_button": {
        Language.VI: "🧑‍💼 Cán bộ địa chính xã",
        Language.EN: "🧑‍💼 A commune land officer",
    },
    "invite.link": {
        Language.VI: "Lời mời {role} — {place}:\n{link}\nChỉ dùng được một lần, hết hạn lúc "
        "{expires}. Hãy gửi riêng cho đúng người.",
        Language.EN: "Invitation for a {role} — {place}:\n{link}\nIt works once and expires at "
        "{expires}. Send it privately to the right person.",
    },
    "notify.chief_new": {
        Language.VI: "📥 Hồ sơ mới của thôn {village}\nHộ: {name}\nThửa (tờ/thửa): {parcel}\nĐã "
        "có: {docs_in}\nCòn thiếu: {docs_missing}\nLưu ý: {flags}\nMã: {receipt}",
        Language.EN: "📥 New submission from {village}\nHousehold: {name}\nParcel (sheet/number): "
        "{parcel}\nIn: {docs_in}\nMissing: {docs_missing}\nFlags: {flags}\nCode: {receipt}",
    },
    "notify.officer_new": {
        Language.VI: "📥 Hồ sơ mới ở thôn {village} (thôn chưa có trưởng thôn trên kênh)\nHộ: "
        "{name}\nThửa: {parcel}\nĐã có: {docs_in}\nCòn thiếu: {docs_missing}\nLưu ý: "
        "{flags}\nMã: {receipt}",
        Language.EN: "📥 New submission in {village} (the village has no chief here)\nHousehold: "
        "{name}\nParcel: {parcel}\nIn: {docs_in}\nMissing: {docs_missing}\nFlags: {flags}\nCode: "
        "{receipt}",
    },
    "notify.officer_triage": {
        Language.VI: "📥 Hồ sơ mới chưa rõ thôn — cần phân về thôn\nHộ: {name}\nThửa: "
        "{parcel}\nĐã có: {docs_in}\nCòn thiếu: {docs_missing}\nLưu ý: {flags}\nMã: {receipt}",
        Language.EN: "📥 New submission without a village — please assign it\nHousehold: "
        "{name}\nParcel: {parcel}\nIn: {docs_in}\nMissing: {docs_missing}\nFlags: {flags}\nCode: "
        "{receipt}",
    },
    "notify.officer_resubmitted": {
        Language.VI: "🔁 Hồ sơ {receipt} đã được bổ sung và chờ xem lại.",
        Language.EN: "🔁 Submission {receipt} has been completed and waits for review again.",
    },
    "notify.digest": {
        Language.VI: "🗞 Tóm tắt ngày {date} — thôn {village}: {count} hồ sơ mới.\n{items}",
        Language.EN: "🗞 Digest for {date} — {village}: {count} new submission(s).\n{items}",
    },
    "notify.digest_item": {
        Language.VI: "• {receipt} — {name} — thửa {parcel} — còn thiếu: {docs_missing}",
        Language.EN: "• {receipt} — {name} — parcel {parcel} — missing: {docs_missing}",
    },
    "notify.digest_more": {
        Language.VI: "… và {count} hồ sơ khác (xem bằng /queue).",
        Language.EN: "… and {count} more (see /queue).",
    },
    "flag.low_resolution": {
        Language.VI: "ảnh độ phân giải thấp",
        Language.EN: "low-resolution photo",
    },
    "flag.no_phone": {
        Language.VI: "không có số điện thoại",
        Language.EN: "no phone number",
    },
    "resident.in_review": {
        Language.VI: "🔎 Hồ sơ {receipt} đang được cán bộ địa chính xã xem xét.",
        Language.EN: "🔎 Submission {receipt} is being reviewed by the commune land office.",
    },
    "resident.accepted": {
        Language.VI: "✅ Hồ sơ {receipt} đã được tiếp nhận và đưa vào hệ thống thông tin đất đai. "
        "Cảm ơn bạn!",
        Language.EN: "✅ Submission {receipt} is accepted and entered into the land information "
        "system. Thank you!",
    },
    "resident.rejected": {
        Language.VI: "Hồ sơ {receipt} không được tiếp nhận.\nLý do: {reason}\nGhi chú: "
        "{note}\nNếu cần, hãy liên hệ cán bộ địa chính xã hoặc nộp lại bằng /start.",
        Language.EN: "Submission {receipt} was not accepted.\nReason: {reason}\nNote: {note}\nIf "
        "needed, contact the commune land office or submit again with /start.",
    },
    "resident.needs_info": {
        Language.VI: "📝 Xã cần bổ sung cho hồ sơ {receipt}: {slots}.\nGhi chú của cán bộ: "
        "{note}\nBấm nút bên dưới rồi gửi ảnh.",
        Language.EN: "📝 The commune needs more for submission {receipt}: {slots}.\nThe officer's "
        "note: {note}\nPress a button below, then send the photo.",
    },
    "resident.upload_button": {
        Language.VI: "📷 Gửi: {slot}",
        Language.EN: "📷 Send: {slot}",
    },
    "resident.assigned": {
        Language.VI: "📍 Hồ sơ {receipt} đã được chuyển về thôn {village}.",
        Language.EN: "📍 Submission {receipt} has been assigned to {village}.",
    },
    "followup.send": {
        Language.VI: "Hãy gửi ảnh {slot} cho hồ sơ {receipt}. Chụp thẳng, đủ 4 góc, đủ sáng. Bấm "
        "/cancel nếu chưa gửi lúc này.",
        Language.EN: "Please send the photo of {slot} for submission {receipt}: straight on, all "
        "four corners, good light. Press /cancel to do it later.",
    },
    "followup.checking": {
        Language.VI: "Đang kiểm tra ảnh {slot}…",
        Language.EN: "Checking the photo of {slot}…",
    },
    "followup.retake": {
        Language.VI: "Ảnh {slot} chưa dùng được: {issues}. Vui lòng chụp lại và gửi lại.",
        Language.EN: "The photo of {slot} cannot be used: {issues}. Please take it again and "
        "send it.",
    },
    "followup.received_more": {
        Language.VI: "✅ Đã nhận {slot}. Còn cần: {slots}.",
        Language.EN: "✅ {slot} received. Still needed: {slots}.",
    },
    "followup.all_done": {
        Language.VI: "✅ Đã nhận đủ giấy tờ bổ sung. Hồ sơ {receipt} được chuyển lại cho cán bộ "
        "xem xét.",
        Language.EN: "✅ Everything asked for is in. Submission {receipt} goes back to the "
        "officer for review.",
    },
    "followup.cancelled": {
        Language.VI: "Đã hủy. Khi sẵn sàng, bấm lại nút trong tin nhắn của xã.",
        Language.EN: "Cancelled. When you are ready, press the button in the commune's message "
        "again.",
    },
    "reject.duplicate": {
        Language.VI: "trùng với hồ sơ khác",
        Language.EN: "a duplicate of another submission",
    },
    "reject.not_land_document": {
        Language.VI: "không phải giấy tờ đất đai",
        Language.EN: "not a land document",
    },
    "reject.not_this_commune": {
        Language.VI: "đất không thuộc xã này",
        Language.EN: "the land is not in this commune",
    },
    "reject.unreadable": {
        Language.VI: "giấy tờ không đọc được",
        Language.EN: "the documents cannot be read",
    },
    "reject.other": {
        Language.VI: "lý do khác",
        Language.EN: "another reason",
    },
    "review.not_now": {
        Language.VI: "Hồ sơ đang ở tình trạng không cho phép việc này.",
        Language.EN: "The submission's state does not allow this.",
    },
    "review.not_found": {
        Language.VI: "Không tìm thấy hồ sơ này.",
        Language.EN: "This submission was not found.",
    },
    "review.choose_slots": {
        Language.VI: "Hồ sơ {receipt}: chọn giấy tờ còn thiếu hoặc không đọc được, rồi bấm Xong.",
        Language.EN: "Submission {receipt}: choose the missing or unreadable documents, then "
        "press Done.",
    },
    "review.same_village": {
        Language.VI: "Hồ sơ đã ở thôn này.",
        Language.EN: "The submission is already in this village.",
    },
    "review.accept": {
        Language.VI: "✅ Tiếp nhận",
        Language.EN: "✅ Accept",
    },
    "review.needs_info": {
        Language.VI: "📝 Cần bổ sung",
        Language.EN: "📝 Needs info",
    },
    "review.reject": {
        Language.VI: "❌ Không tiếp nhận",
        Language.EN: "❌ Reject",
    },
    "review.assign": {
        Language.VI: "📍 Phân về thôn",
        Language.EN: "📍 Assign a village",
    },
    "review.accept_confirm": {
        Language.VI: "Xác nhận hồ sơ {receipt} đã được nhập vào hệ thống thông tin đất đai?",
        Language.EN: "Confirm that submission {receipt} has been entered into the land "
        "information system?",
    },
    "review.accept_yes": {
        Language.VI: "✅ Đã nhập, tiếp nhận",
        Language.EN: "✅ Entered — accept",
    },
    "review.back": {
        Language.VI: "↩️ Quay lại hồ sơ",
        Language.EN: "↩️ Back to the submission",
    },
    "review.accepted": {
        Language.VI: "Đã tiếp nhận hồ sơ {receipt}; người nộp đã được báo.",
        Language.EN: "Submission {receipt} accepted; the resident is told.",
    },
    "review.slot_chosen": {
        Language.VI: "☑️ {slot}",
        Language.EN: "☑️ {slot}",
    },
    "review.slot_open": {
        Language.VI: "⬜ {slot}",
        Language.EN: "⬜ {slot}",
    },
    "review.slots_done": {
        Language.VI: "Xong",
        Language.EN: "Done",
    },
    "review.ask_note": {
        Language.VI: "Cần bổ sung: {slots}. Hãy gõ một ghi chú ngắn cho người nộp (ví dụ: ảnh bị "
        "lóa ở góc), hoặc bấm Không ghi chú.",
        Language.EN: "Needed: {slots}. Type a short note for the resident (e.g. glare in the "
        "corner), or press No note.",
    },
    "review.no_note": {
        Language.VI: "Không ghi chú",
        Language.EN: "No note",
    },
    "review.reject_reason": {
        Language.VI: "Vì sao không tiếp nhận hồ sơ {receipt}? Người nộp sẽ thấy lý do.",
        Language.EN: "Why is submission {receipt} rejected? The resident will see the reason.",
    },
    "review.ask_reason": {
        Language.VI: "Hãy gõ lý do (người nộp sẽ đọc được).",
        Language.EN: "Type the reason (the resident will read it).",
    },
    "review.rejected": {
        Language.VI: "Đã ghi không tiếp nhận hồ sơ {receipt}; người nộp đã được báo.",
        Language.EN: "Submission {receipt} rejected; the resident is told.",
    },
    "review.needs_info_sent": {
        Language.VI: "Đã gửi yêu cầu bổ sung cho hồ sơ {receipt}.",
        Language.EN: "The request for more information on {receipt} is sent.",
    },
    "review.choose_village": {
        Language.VI: "Phân hồ sơ {receipt} về thôn nào?",
        Language.EN: "Which village should {receipt} go to?",
    },
    "review.assigned": {
        Language.VI: "Đã phân hồ sơ {receipt} về thôn {village}.",
        Language.EN: "Submission {receipt} assigned to {village}.",
    },
    "card.text": {
        Language.VI: "📄 Hồ sơ {receipt} — {state}\nNộp ngày {date} ({assisted})\nThôn: {village} "
        "(theo {route})\nNgười sử dụng đất: {name}\nSố căn cước: {cccd}\nĐiện thoại: "
        "{phone}\nSổ: {cert}\nThửa (tờ/thửa): {parcel}\nGiấy tờ:\n{documents}\nLưu ý: {flags}",
        Language.EN: "📄 Submission {receipt} — {state}\nSent on {date} ({assisted})\nVillage: "
        "{village} (by {route})\nLand user: {name}\nID number: {cccd}\nPhone: "
        "{phone}\nCertificate: {cert}\nParcel (sheet/number): "
        "{parcel}\nDocuments:\n{documents}\nFlags: {flags}",
    },
    "card.text_requested": {
        Language.VI: "📄 Hồ sơ {receipt} — {state}\nNộp ngày {date} ({assisted})\nThôn: {village} "
        "(theo {route})\nNgười sử dụng đất: {name}\nSố căn cước: {cccd}\nĐiện thoại: "
        "{phone}\nSổ: {cert}\nThửa (tờ/thửa): {parcel}\nGiấy tờ:\n{documents}\nLưu ý: "
        "{flags}\nĐang chờ bổ sung: {requested}",
        Language.EN: "📄 Submission {receipt} — {state}\nSent on {date} ({assisted})\nVillage: "
        "{village} (by {route})\nLand user: {name}\nID number: {cccd}\nPhone: "
        "{phone}\nCertificate: {cert}\nParcel (sheet/number): "
        "{parcel}\nDocuments:\n{documents}\nFlags: {flags}\nWaiting for: {requested}",
    },
    "card.document": {
        Language.VI: "• {slot}: {status}",
        Language.EN: "• {slot}: {status}",
    },
    "card.assisted": {
        Language.VI: "nộp hộ, đồng ý trực tiếp",
        Language.EN: "assisted, consent in person",
    },
    "card.self_sent": {
        Language.VI: "người dân tự nộp",
        Language.EN: "sent by the resident",
    },
    "doc.stored": {
        Language.VI: "✅ đã có",
        Language.EN: "✅ in",
    },
    "doc.missing": {
        Language.VI: "— chưa có",
        Language.EN: "— missing",
    },
    "route.chosen": {
        Language.VI: "người nộp chọn",
        Language.EN: "the resident's choice",
    },
    "route.parcel": {
        Language.VI: "danh sách thửa",
        Language.EN: "the parcel list",
    },
    "route.target": {
        Language.VI: "danh sách hộ",
        Language.EN: "the household list",
    },
    "route.triage": {
        Language.VI: "chưa rõ thôn",
        Language.EN: "no village yet",
    },
    "route.staff": {
        Language.VI: "cán bộ phân",
        Language.EN: "an officer's assignment",
    },
    "certstaff.held": {
        Language.VI: "người dân đang giữ",
        Language.EN: "held by the resident",
    },
    "certstaff.at_bank": {
        Language.VI: "đang thế chấp ngân hàng",
        Language.EN: "held by a bank",
    },
    "certstaff.lost": {
        Language.VI: "bị mất",
        Language.EN: "lost",
    },
    "certstaff.never_issued": {
        Language.VI: "chưa được cấp",
        Language.EN: "never issued",
    },
    "queue.header": {
        Language.VI: "📋 Hồ sơ — {place}\nĐang xem: {filter} ({total})\n{counts}",
        Language.EN: "📋 Submissions — {place}\nShowing: {filter} ({total})\n{counts}",
    },
    "queue.count": {
        Language.VI: "• {state}: {count}",
        Language.EN: "• {state}: {count}",
    },
    "queue.item": {
        Language.VI: "{receipt} · {name} · {state}",
        Language.EN: "{receipt} · {name} · {state}",
    },
    "queue.previous": {
        Language.VI: "◀️ Trước",
        Language.EN: "◀️ Previous",
    },
    "queue.next": {
        Language.VI: "Sau ▶️",
        Language.EN: "Next ▶️",
    },
    "queue.choose_village": {
        Language.VI: "🏘 Chọn thôn",
        Language.EN: "🏘 Choose a village",
    },
    "queue.triage": {
        Language.VI: "Chưa rõ thôn",
        Language.EN: "No village yet",
    },
    "queue.all_villages": {
        Language.VI: "Tất cả các thôn",
        Language.EN: "All villages",
    },
    "queue.pick_village": {
        Language.VI: "Xem hồ sơ của thôn nào?",
        Language.EN: "Which village's queue?",
    },
    "queue.pick_commune": {
        Language.VI: "Xem hồ sơ của xã nào?",
        Language.EN: "Which commune's queue?",
    },
    "filter.open": {
        Language.VI: "đang mở",
        Language.EN: "open",
    },
    "filter.submitted": {
        Language.VI: "mới nộp",
        Language.EN: "new",
    },
    "filter.resubmitted": {
        Language.VI: "đã bổ sung",
        Language.EN: "resubmitted",
    },
    "filter.needs_info": {
        Language.VI: "cần bổ sung",
        Language.EN: "needs info",
    },
    "filter.accepted": {
        Language.VI: "đã tiếp nhận",
        Language.EN: "accepted",
    },
    "progress.line": {
        Language.VI: "• {village}: chỉ tiêu {targets}, đã nộp {submitted}, đủ giấy tờ "
        "{complete}, cần bổ sung {needs_info}, đã tiếp nhận {accepted}",
        Language.EN: "• {village}: targets {targets}, submitted {submitted}, complete "
        "{complete}, needs info {needs_info}, accepted {accepted}",
    },
    "progress.commune": {
        Language.VI: "📊 Tiến độ các thôn:\n{lines}\nBấm một thôn để xem các hộ chưa nộp.",
        Language.EN: "📊 Progress by village:\n{lines}\nPress a village to see who has not "
        "submitted yet.",
    },
    "progress.province": {
        Language.VI: "📊 Tiến độ các xã:\n{lines}",
        Language.EN: "📊 Progress by commune:\n{lines}",
    },
    "progress.village": {
        Language.VI: "📊 Thôn {village}\nChỉ tiêu: {targets}\nĐã nộp: {submitted}\nĐủ giấy tờ: "
        "{complete}\nCần bổ sung: {needs_info}\nĐã tiếp nhận: {accepted}\nChưa nộp "
        "({missing}):\n{names}",
        Language.EN: "📊 {village}\nTargets: {targets}\nSubmitted: {submitted}\nComplete: "
        "{complete}\nNeeds info: {needs_info}\nAccepted: {accepted}\nNot yet submitted "
        "({missing}):\n{names}",
    },
    "progress.name": {
        Language.VI: "• {name}",
        Language.EN: "• {name}",
    },
    "progress.more": {
        Language.VI: "… và {count} hộ khác.",
        Language.EN: "… and {count} more households.",
    },
    "report.text": {
        Language.VI: "🗓 Báo cáo ngày {date} — {commune}\n{lines}\nCộng: chỉ tiêu "
        "{total_targets}, đã nộp {total_submitted}, đủ giấy tờ {total_complete}, cần bổ sung "
        "{total_needs_info}, đã tiếp nhận {total_accepted}",
        Language.EN: "🗓 Report for {date} — {commune}\n{lines}\nTotal: targets {total_targets}, "
        "submitted {total_submitted}, complete {total_complete}, needs info {total_needs_info}, "
        "accepted {total_accepted}",
    },
    "report.chart_caption": {
        Language.VI: "Biểu đồ tiến độ so với chỉ tiêu — {commune}",
        Language.EN: "Progress against targets — {commune}",
    },
    "report.title": {
        Language.VI: "Tiến độ {commune} — {date}",
        Language.EN: "Progress of {commune} — {date}",
    },
    "report.targets": {
        Language.VI: "Chỉ tiêu",
        Language.EN: "Targets",
    },
    "report.submitted": {
        Language.VI: "Đã nộp",
        Language.EN: "Submitted",
    },
    "report.accepted": {
        Language.VI: "Đã tiếp nhận",
        Language.EN: "Accepted",
    },
    "settings.show": {
        Language.VI: "Cài đặt — cách nhận thông báo: {mode}.",
        Language.EN: "Settings — how you are notified: {mode}.",
    },
    "settings.mode_instant": {
        Language.VI: "báo ngay từng hồ sơ",
        Language.EN: "an alert for each submission",
    },
    "settings.mode_digest": {
        Language.VI: "tóm tắt mỗi ngày một lần",
        Language.EN: "one digest a day",
    },
    "settings.instant": {
        Language.VI: "🔔 Báo ngay",
        Language.EN: "🔔 Instant alerts",
    },
    "settings.digest": {
        Language.VI: "🗞 Tóm tắt hằng ngày",
        Language.EN: "🗞 Daily digest",
    },
    "settings.lang_vi": {
        Language.VI: "Tiếng Việt",
        Language.EN: "Tiếng Việt",
    },
    "settings.lang_en": {
        Language.VI: "English",
        Language.EN: "English",
    },
    "settings.saved_instant": {
        Language.VI: "Đã lưu: bạn sẽ được báo ngay khi có hồ sơ mới.",
        Language.EN: "Saved: you will be alerted for each new submission.",
    },
    "settings.saved_digest": {
        Language.VI: "Đã lưu: bạn sẽ nhận một bản tóm tắt mỗi ngày.",
        Language.EN: "Saved: you will get one digest a day.",
    },
    "settings.saved_language": {
        Language.VI: "Đã đổi ngôn ngữ.",
        Language.EN: "Language changed.",
    },
    "assist.choose_village": {
        Language.VI: "Nộp hộ cho hộ ở thôn nào?",
        Language.EN: "For a household in which village?",
    },
    "assist.started": {
        Language.VI: "Nộp hộ: bạn sẽ trả lời thay cho hộ gia đình, cùng họ, từng câu một.",
        Language.EN: "Assisted submission: you answer for the household, together with them, one "
        "question at a time.",
    },
    "assist.consent": {
        Language.VI: "Hãy đọc cho hộ gia đình nghe: giấy tờ được niêm phong, chỉ cán bộ địa "
        "chính xã mở được, dùng cho việc làm sạch dữ liệu đất đai, và họ có thể rút hồ sơ bất cứ "
        "lúc nào.\nHộ ở thôn {village} đã đồng ý trực tiếp chưa?",
        Language.EN: "Read this to the household: the documents are sealed, only the commune "
        "land office can open them, they are used for the land-data clean-up, and they may "
        "withdraw at any time.\nHas the household in {village} agreed in person?",
    },
    "assist.consent_yes": {
        Language.VI: "✅ Hộ đã đồng ý trực tiếp",
        Language.EN: "✅ They agreed in person",
    },
    "assist.consent_no": {
        Language.VI: "❌ Hộ không đồng ý",
        Language.EN: "❌ They did not agree",
    },
    "assist.consent_recorded": {
        Language.VI: "Đã ghi nhận sự đồng ý trực tiếp của hộ.",
        Language.EN: "The household's consent in person is recorded.",
    },
    "assist.phone_ask": {
        Language.VI: "Số điện thoại của hộ (nếu có)? Gõ số, hoặc bấm Bỏ qua.",
        Language.EN: "The household's phone number, if any? Type it, or press Skip.",
    },
    "assist.phone_not_yours": {
        Language.VI: "Đây là số của bạn. Hãy gõ số điện thoại của hộ gia đình, hoặc bấm Bỏ qua.",
        Language.EN: "That is your own number. Please type the household's number, or press Skip.",
    },
    "assist.finish_first": {
        Language.VI: "Bạn đang có một hồ sơ nộp dở. Hãy hoàn tất hoặc bấm /cancel trước khi nộp "
        "hộ.",
        Language.EN: "You have an unfinished submission. Finish it or press /cancel before an "
        "assisted one.",
    },
}


def language_of(code: str | None) -> Language:
    """The catalog language for a Telegram `language_code` (Vietnamese unless English)."""
    return Language.EN if code and code.lower().startswith("en") else Language.VI


def render(language: Language | str, key: str, params: Mapping[str, object] | None = None) -> str:
    """The text of `key` in `language`, with its placeholders filled.

    A parameter named `x_key` holds another catalog key, rendered into `{x}`; one named `x_keys`
    holds a list of keys, rendered and joined into `{x}` with commas; one named `x_lines` holds
    (key, params) pairs, rendered and joined into `{x}` line by line.
    """
    texts = CATALOG[key]
    template = texts.get(Language(language), texts[Language.VI])
    if not params:
        return template
    values: dict[str, object] = {}
    for name, value in params.items():
        if name.endswith("_lines") and isinstance(value, list | tuple):
            values[name.removesuffix("_lines")] = "\n".join(
                render(language, item_key, item_params) for item_key, item_params in value
            )
        elif name.endswith("_keys") and isinstance(value, list | tuple):
            values[name.removesuffix("_keys")] = ", ".join(render(language, str(k)) for k in value)
        elif name.endswith("_key"):
            values[name.removesuffix("_key")] = render(language, str(value))
        else:
            values[name] = value
    return template.format(**values)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
