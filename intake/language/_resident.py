"""What residents read: the conversation, its questions and answers, the notices about their
submissions. Vietnamese first; every resident-facing text is here."""

from __future__ import annotations

from intake.language._languages import Language

TEXTS: dict[str, dict[Language, str]] = {
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
    "command.start": {Language.VI: "Bắt đầu nộp hồ sơ", Language.EN: "Start a submission"},
    "command.status": {
        Language.VI: "Xem tình trạng hồ sơ đã nộp",
        Language.EN: "See your submissions",
    },
    "command.help": {Language.VI: "Hướng dẫn", Language.EN: "Help"},
    "command.language": {Language.VI: "Đổi ngôn ngữ", Language.EN: "Change language"},
    "command.mydata": {
        Language.VI: "Xem hoso đang giữ thông tin gì của bạn",
        Language.EN: "See what hoso holds about you",
    },
    "mydata.intro": {
        Language.VI: "🔎 Thông tin hoso đang giữ về bạn ({count} hồ sơ):",
        Language.EN: "🔎 What hoso holds about you ({count} submissions):",
    },
    "mydata.submission": {
        Language.VI: "📄 Hồ sơ {receipt} — {place} — {date}: {state}\n"
        "• Người đứng tên sổ: {holder}\n• Số căn cước: {cccd}\n• Số điện thoại: {phone}\n"
        "• Số seri sổ: {serial}\n• Tờ/thửa: {parcel}\n"
        "Giấy tờ đang giữ (đã niêm phong, chỉ cán bộ địa chính xã mở được):\n{kept}\n"
        "Giấy tờ đã xóa:\n{deleted}",
        Language.EN: "📄 Submission {receipt} — {place} — {date}: {state}\n"
        "• Certificate holder: {holder}\n• ID card number: {cccd}\n• Phone: {phone}\n"
        "• Certificate serial: {serial}\n• Sheet/parcel: {parcel}\n"
        "Documents kept (sealed: only the commune's land office can open them):\n{kept}\n"
        "Documents deleted:\n{deleted}",
    },
    "mydata.none": {Language.VI: "  (không có)", Language.EN: "  (none)"},
    "mydata.more": {
        Language.VI: "… và {count} hồ sơ cũ hơn.",
        Language.EN: "… and {count} older submissions.",
    },
    "mydata.nothing": {
        Language.VI: "🔎 hoso chưa giữ hồ sơ nào của bạn.",
        Language.EN: "🔎 hoso holds no submission of yours.",
    },
    "mydata.consent": {
        Language.VI: "✅ Bạn đã đồng ý cho xử lý dữ liệu cá nhân (thông báo phiên bản {version}, "
        "mã thông báo {notice}…) ngày {date}, {channel}. Muốn rút lại và xóa dữ liệu: /delete.",
        Language.EN: "✅ You consented to the processing of your personal data (notice version "
        "{version}, notice fingerprint {notice}…) on {date}, {channel}. To withdraw it and "
        "erase your data: /delete.",
    },
    "mydata.consent_old": {
        Language.VI: "✅ Bạn đã đồng ý cho xử lý dữ liệu cá nhân (thông báo phiên bản {version}) "
        "ngày {date}. Muốn rút lại và xóa dữ liệu: /delete.",
        Language.EN: "✅ You consented to the processing of your personal data (notice version "
        "{version}) on {date}. To withdraw it and erase your data: /delete.",
    },
    "consent.channel_self": {
        Language.VI: "do bạn tự bấm đồng ý trong cuộc trò chuyện này",
        Language.EN: "by pressing the button yourself in this chat",
    },
    "consent.channel_in_person": {
        Language.VI: "trực tiếp với cán bộ, người đã ghi nhận",
        Language.EN: "in person, recorded by a staff member",
    },
    "mydata.erased": {
        Language.VI: "📄 Hồ sơ {receipt} — {place} — {date}: {state}. Thông tin và giấy tờ của "
        "hồ sơ đã được xóa ngày {erased}.",
        Language.EN: "📄 Submission {receipt} — {place} — {date}: {state}. Its details and "
        "documents were erased on {erased}.",
    },
    "mydata.no_consent": {
        Language.VI: "Bạn chưa đồng ý cho xử lý dữ liệu cá nhân.",
        Language.EN: "You have not consented to the processing of your personal data.",
    },
    "mydata.copy": {
        Language.VI: "Ảnh giấy tờ không gửi lại qua Telegram. Muốn xin bản sao hoặc sửa thông "
        "tin, bấm nút bên dưới (hoặc gõ /request): yêu cầu sẽ gửi tới bộ phận địa chính "
        "{commune}.",
        Language.EN: "Document photos are not sent back through Telegram. For a copy or a "
        "correction, press a button below (or type /request): the request goes to the land "
        "office of {commune}.",
    },
    "command.withdraw": {Language.VI: "Rút một hồ sơ", Language.EN: "Withdraw a submission"},
    "command.delete": {
        Language.VI: "Rút lại sự đồng ý và xóa dữ liệu của bạn",
        Language.EN: "Withdraw your consent and erase your data",
    },
    "delete.nothing": {
        Language.VI: "🙂 hoso không giữ dữ liệu nào của bạn cần xóa: không có hồ sơ, không có "
        "hồ sơ đang làm dở, và bạn chưa đồng ý cho xử lý dữ liệu. Bạn không cần làm gì thêm.",
        Language.EN: "🙂 hoso holds nothing of yours to erase: no submission, nothing in "
        "progress, and no consent given. There is nothing more you need to do.",
    },
    "delete.only_kept": {
        Language.VI: "🙂 Không còn gì để xóa. Hồ sơ {receipts} đã được tiếp nhận vào hệ thống "
        "đất đai nên được giữ lại; muốn hỏi về hồ sơ này, hãy liên hệ bộ phận địa chính xã.",
        Language.EN: "🙂 There is nothing left to erase. Submission {receipts} was accepted "
        "into the land system and is kept; to ask about it, contact the commune's land office.",
    },
    "delete.offer": {
        Language.VI: "🗑 Bạn muốn rút lại sự đồng ý và xóa dữ liệu của mình khỏi hoso?\n"
        "Các hồ sơ chưa được tiếp nhận sẽ bị rút, ảnh giấy tờ và thông tin đã khai sẽ bị xóa.",
        Language.EN: "🗑 Do you want to withdraw your consent and erase your data from hoso?\n"
        "Submissions not yet accepted will be withdrawn, and their photos and details erased.",
    },
    "delete.continue": {Language.VI: "Tiếp tục", Language.EN: "Continue"},
    "delete.keep": {Language.VI: "Không, giữ lại", Language.EN: "No, keep my data"},
    "delete.confirm": {
        Language.VI: "⚠️ Xác nhận lần cuối. Nếu bấm Xóa vĩnh viễn:\n{lost}\n"
        "Việc này không thể hoàn tác.",
        Language.EN: "⚠️ Last confirmation. If you press Erase for good:\n{lost}\n"
        "This cannot be undone.",
    },
    "delete.lost_withdrawn": {
        Language.VI: "• {count} hồ sơ chưa được tiếp nhận sẽ bị rút: ảnh giấy tờ, họ tên, số căn "
        "cước, số điện thoại, số seri sổ, tờ/thửa bị xóa",
        Language.EN: "• {count} submission(s) not yet accepted are withdrawn: their photos, "
        "name, ID card number, phone, certificate serial and sheet/parcel are erased",
    },
    "delete.lost_closed": {
        Language.VI: "• {count} hồ sơ đã rút hoặc không được tiếp nhận: thông tin và giấy tờ "
        "còn lại bị xóa",
        Language.EN: "• {count} withdrawn or not accepted submission(s): their remaining "
        "details and documents are erased",
    },
    "delete.lost_draft": {
        Language.VI: "• hồ sơ đang làm dở bị hủy",
        Language.EN: "• the submission in progress is dropped",
    },
    "delete.lost_consent": {
        Language.VI: "• sự đồng ý của bạn bị rút lại: muốn nộp lại, bạn phải đồng ý lại từ đầu",
        Language.EN: "• your consent is withdrawn: to send documents again you must agree again",
    },
    "delete.kept_line": {
        Language.VI: "• hồ sơ {receipts} đã được tiếp nhận vào hệ thống đất đai nên vẫn được "
        "giữ lại",
        Language.EN: "• submission {receipts} was accepted into the land system and is kept",
    },
    "delete.erase": {Language.VI: "🗑 Xóa vĩnh viễn", Language.EN: "🗑 Erase for good"},
    "delete.kept": {
        Language.VI: "Đã giữ nguyên dữ liệu của bạn, không xóa gì.",
        Language.EN: "Your data is kept as it was; nothing was erased.",
    },
    "delete.cancelled": {
        Language.VI: "Đã hủy việc xóa dữ liệu; không xóa gì.",
        Language.EN: "Erasing your data was cancelled; nothing was erased.",
    },
    "delete.done": {
        Language.VI: "✅ Đã xóa dữ liệu của bạn:\n{done}",
        Language.EN: "✅ Your data is erased:\n{done}",
    },
    "delete.done_withdrawn": {
        Language.VI: "• đã rút hồ sơ {receipts}",
        Language.EN: "• submissions withdrawn: {receipts}",
    },
    "delete.done_erased": {
        Language.VI: "• đã xóa thông tin của {count} hồ sơ và {documents} ảnh giấy tờ",
        Language.EN: "• the details of {count} submission(s) and {documents} document "
        "photo(s) erased",
    },
    "delete.done_draft": {
        Language.VI: "• đã hủy hồ sơ đang làm dở",
        Language.EN: "• the submission in progress dropped",
    },
    "delete.done_consent": {
        Language.VI: "• đã rút lại sự đồng ý của bạn. Khi muốn nộp lại, hãy bấm /start.",
        Language.EN: "• your consent withdrawn. To send documents again, press /start.",
    },
    "delete.done_kept": {
        Language.VI: "Hồ sơ {receipts} đã được tiếp nhận vào hệ thống đất đai nên được giữ lại. "
        "Muốn hỏi hoặc đề nghị về hồ sơ này, hãy liên hệ bộ phận địa chính {commune}.",
        Language.EN: "Submission {receipts} was accepted into the land system and is kept. To "
        "ask about it or make a request, contact the land office of {commune}.",
    },
    "command.cancel": {Language.VI: "Hủy bước đang làm", Language.EN: "Cancel what you are doing"},
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
        "• /mydata — xem hoso đang giữ thông tin gì của bạn\n"
        "• /request — xin bản sao hoặc yêu cầu sửa thông tin\n"
        "• /language — đổi ngôn ngữ\n"
        "• /cancel — hủy bước đang làm\n"
        "• /withdraw — rút hồ sơ\n"
        "• /delete — rút lại sự đồng ý và xóa dữ liệu của bạn\n"
        "Giấy tờ của bạn được niêm phong, chỉ cán bộ địa chính xã mở được.",
        Language.EN: "How to use this:\n"
        "• /start — start a submission for one land parcel\n"
        "• /status — see your submissions\n"
        "• /mydata — see what hoso holds about you\n"
        "• /request — ask for a copy or a correction\n"
        "• /language — change the language\n"
        "• /cancel — cancel what you are doing\n"
        "• /withdraw — withdraw a submission\n"
        "• /delete — withdraw your consent and erase your data\n"
        "Your documents are sealed; only the commune land office can open them.",
    },
    "unknown.command": {
        Language.VI: "Tôi chưa hiểu lệnh này. Gõ /help để xem hướng dẫn.",
        Language.EN: "I don't know that command. Type /help to see what I can do.",
    },
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
    "commune.not_receiving": {
        Language.VI: "{commune} chưa nhận hồ sơ qua kênh này. Vui lòng liên hệ Ủy ban nhân dân "
        "xã để nộp hồ sơ, hoặc gõ tên một xã khác.",
        Language.EN: "{commune} does not receive documents through this channel yet. Please "
        "contact the commune's People's Committee, or type another commune.",
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
    "qrcheck.cccd": {
        Language.VI: "Mã QR trên căn cước ghi số {read}, khác số bạn đã gõ ({typed}). Số nào "
        "đúng? (Cán bộ sẽ đối chiếu lại với ảnh.)",
        Language.EN: "The ID card's QR code says {read}, not the number you typed ({typed}). "
        "Which is right? (The officer will compare it with the photo.)",
    },
    "qrcheck.serial": {
        Language.VI: "Mã QR trên sổ ghi số seri {read}, khác số bạn đã gõ ({typed}). Số nào "
        "đúng? (Cán bộ sẽ đối chiếu lại với ảnh.)",
        Language.EN: "The certificate's QR code says serial {read}, not the one you typed "
        "({typed}). Which is right? (The officer will compare it with the photo.)",
    },
    "qrcheck.serial_fill": {
        Language.VI: "Mã QR trên sổ ghi số seri {read}. Dùng số này cho hồ sơ?",
        Language.EN: "The certificate's QR code says serial {read}. Use it for the submission?",
    },
    "qrcheck.cccd_fill": {
        Language.VI: "Mã QR trên căn cước ghi số {read}. Dùng số này cho hồ sơ?",
        Language.EN: "The ID card's QR code says {read}. Use it for the submission?",
    },
    "qrcheck.use_read": {
        Language.VI: "Số trên giấy tờ: {read}",
        Language.EN: "On the paper: {read}",
    },
    "qrcheck.use_typed": {
        Language.VI: "Số tôi đã gõ: {typed}",
        Language.EN: "The one I typed: {typed}",
    },
    "qrcheck.fill_yes": {Language.VI: "✅ Đúng, dùng số này", Language.EN: "✅ Yes, use it"},
    "qrcheck.fill_no": {Language.VI: "Không dùng", Language.EN: "No"},
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
        Language.VI: "Đã đủ ảnh. Hãy xem lại và bấm “Gửi hồ sơ”; muốn thay một trang, bấm “Thay "
        "một trang”.",
        Language.EN: "All photos are in. Please review and press “Send”; to replace a page, press "
        "“Replace a page”.",
    },
    "docs.skip": {Language.VI: "Bỏ qua", Language.EN: "Skip"},
    "docs.ask.cccd_front": {
        Language.VI: "📷 Gửi ảnh MẶT TRƯỚC căn cước. Đặt thẻ trên nền phẳng, đủ sáng, chụp "
        "thấy đủ 4 góc. Gửi dạng tệp (không nén) thì rõ nhất: bấm 📎, chọn “Tệp” rồi chọn "
        "ảnh (Android: “Thư viện”; iPhone: “Thư viện ảnh hoặc video”).",
        Language.EN: "📷 Send a photo of the FRONT of the ID card. Lay it flat in good light "
        "with all 4 corners visible. Sending it as a file (uncompressed) is clearest: press 📎, "
        "choose “File”, then the photo (Android: “Gallery”; iPhone: “Photo or Video Library”).",
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
        Language.VI: "ảnh quá nhỏ, chữ không đọc được — hãy gửi dạng tệp (không nén): bấm 📎, "
        "chọn “Tệp” rồi chọn ảnh",
        Language.EN: "it is too small to read — please send it as a file (uncompressed): press "
        "📎, choose “File”, then the photo",
    },
    "issue.cut_off": {
        Language.VI: "giấy tờ bị mất góc hoặc mất cạnh",
        Language.EN: "a corner or an edge of the document is cut off",
    },
    "issue.no_document": {
        Language.VI: "không thấy giấy tờ trong ảnh",
        Language.EN: "no document can be seen",
    },
    "issue.not_a_card": {
        Language.VI: "ảnh này giống một trang giấy, không phải thẻ căn cước (nếu đúng là thẻ, hãy "
        "đặt thẻ nằm ngang rồi chụp lại)",
        Language.EN: "this looks like a page, not the ID card (if it is the card, lay it across "
        "and take it again)",
    },
    "issue.not_a_page": {
        Language.VI: "ảnh này là thẻ căn cước, không phải trang sổ",
        Language.EN: "this is the ID card, not a page of the certificate",
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
    "review.replace_page": {Language.VI: "📷 Thay một trang", Language.EN: "📷 Replace a page"},
    "review.which_page": {
        Language.VI: "Bạn muốn chụp lại trang nào?",
        Language.EN: "Which page do you want to send again?",
    },
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
    # --- data-subject requests (intake/requests) ---------------------------------------------
    "command.request": {
        Language.VI: "Xin bản sao hoặc sửa thông tin",
        Language.EN: "Ask for a copy or a correction",
    },
    "request.offer": {
        Language.VI: "📮 Bạn có thể yêu cầu bộ phận địa chính ({communes}):\n"
        "• gửi bản sao giấy tờ và thông tin hoso đang giữ về bạn, hoặc\n"
        "• sửa thông tin bị sai.\n"
        "Xã sẽ xác nhận trong 2 ngày làm việc và làm xong trong 15 ngày. Bấm một nút bên dưới.",
        Language.EN: "📮 You can ask the land office ({communes}):\n"
        "• for a copy of your documents and of what hoso holds about you, or\n"
        "• to correct what is wrong.\n"
        "The commune confirms within 2 working days and completes within 15 days. Press a "
        "button below.",
    },
    "request.copy_button": {
        Language.VI: "📄 Xin bản sao giấy tờ, thông tin",
        Language.EN: "📄 Ask for a copy",
    },
    "request.correct_button": {
        Language.VI: "✏️ Yêu cầu sửa thông tin",
        Language.EN: "✏️ Ask for a correction",
    },
    "request.kind_copy": {
        Language.VI: "xin bản sao giấy tờ, thông tin",
        Language.EN: "a copy of documents and data",
    },
    "request.kind_correction": {
        Language.VI: "sửa thông tin",
        Language.EN: "a correction",
    },
    "request.choose_commune": {
        Language.VI: "Bạn có hồ sơ ở nhiều xã. Gửi yêu cầu {kind} tới xã nào?",
        Language.EN: "You have submissions in several communes. Which one should get your "
        "request ({kind})?",
    },
    "request.ask_words": {
        Language.VI: "✏️ Hãy gõ trong một tin nhắn: thông tin nào bị sai và cần sửa thành gì "
        "(ví dụ: tên chủ sổ viết sai, đúng là Nguyễn Văn An). Bộ phận địa chính {commune} sẽ "
        "nhận được. Tối đa {max} ký tự.",
        Language.EN: "✏️ Type in one message what is wrong and what it should be (e.g. the "
        "owner's name is misspelt, it is Nguyễn Văn An). The land office of {commune} will get "
        "it. At most {max} characters.",
    },
    "request.drop_button": {Language.VI: "Thôi, không sửa", Language.EN: "Never mind"},
    "request.dropped": {
        Language.VI: "Đã bỏ yêu cầu sửa thông tin. Khi cần, gõ /request.",
        Language.EN: "The correction was dropped. Type /request whenever you need it.",
    },
    "request.nothing": {
        Language.VI: "hoso chưa giữ hồ sơ nào của bạn, nên chưa có gì để sao hoặc sửa. Nếu bạn "
        "nghĩ là có, hãy liên hệ bộ phận địa chính xã nơi có đất.",
        Language.EN: "hoso holds no submission of yours, so there is nothing to copy or "
        "correct. If you think there is, contact the land office of the commune where the land "
        "is.",
    },
    "request.already": {
        Language.VI: "Bạn đã có yêu cầu {code} đang được xử lý, hạn xong là {complete_by}. Xã "
        "sẽ báo bạn qua đây.",
        Language.EN: "Your request {code} is already being handled, due by {complete_by}. The "
        "commune will tell you here.",
    },
    "request.too_many": {
        Language.VI: "Bạn đang có {count} yêu cầu chưa xong. Hãy chờ xã trả lời rồi gửi thêm.",
        Language.EN: "You have {count} requests still open. Please wait for the commune's "
        "answer before sending more.",
    },
    "request.finish_draft": {
        Language.VI: "Bạn đang làm dở một hồ sơ. Hãy gửi xong (hoặc /cancel), rồi gõ /request "
        "để yêu cầu sửa thông tin.",
        Language.EN: "You are in the middle of a submission. Send it (or /cancel), then type "
        "/request to ask for a correction.",
    },
    "request.words_too_long": {
        Language.VI: "Tin nhắn dài quá (tối đa {max} ký tự). Hãy viết ngắn lại.",
        Language.EN: "That is too long (at most {max} characters). Please shorten it.",
    },
    "request.receipt": {
        Language.VI: "📮 Đã nhận yêu cầu {code} ({kind}) gửi {commune} lúc {received}.\n"
        "• Xã xác nhận chậm nhất ngày {acknowledge_by}\n"
        "• Xã làm xong chậm nhất ngày {complete_by}\n"
        "hoso sẽ báo bạn ở đây từng bước.",
        Language.EN: "📮 Request {code} ({kind}) to {commune} received at {received}.\n"
        "• The commune confirms by {acknowledge_by}\n"
        "• The commune completes it by {complete_by}\n"
        "hoso will tell you here at each step.",
    },
    "request.acknowledged": {
        Language.VI: "📬 Bộ phận địa chính đã nhận yêu cầu {code} ({kind}) và đang xử lý. Hạn "
        "xong: {complete_by}.",
        Language.EN: "📬 The land office has your request {code} ({kind}) in hand. Due by "
        "{complete_by}.",
    },
    "request.completed": {
        Language.VI: "✅ Yêu cầu {code} ({kind}) đã xong. Lời nhắn của cán bộ địa chính:\n{note}",
        Language.EN: "✅ Request {code} ({kind}) is done. The land officer's note:\n{note}",
    },
}
