"""What village chiefs and commune officers read in Telegram: their commands, alerts, queues,
submission cards, review steps, progress and reports."""

from __future__ import annotations

from intake.language._languages import Language

TEXTS: dict[str, dict[Language, str]] = {
    "command.queue": {Language.VI: "Danh sách hồ sơ", Language.EN: "Submission queue"},
    "command.progress": {Language.VI: "Tiến độ thôn", Language.EN: "Village progress"},
    "command.report": {Language.VI: "Báo cáo hằng ngày", Language.EN: "Daily report"},
    "command.settings": {Language.VI: "Cài đặt thông báo", Language.EN: "Notification settings"},
    "command.invite": {Language.VI: "Mời cán bộ", Language.EN: "Invite staff"},
    "command.web": {Language.VI: "Mở trang quản lý", Language.EN: "Open the web console"},
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
    "help.chief": {
        Language.VI: "Lệnh dành cho trưởng thôn:\n• /queue — hồ sơ của thôn theo tình trạng\n• "
        "/progress — tiến độ thôn và các hộ chưa nộp\n• /assist — nộp hộ cho hộ không có điện "
        "thoại thông minh\n• /web — mở trang quản lý trên máy tính\n• /settings — báo ngay từng "
        "hồ sơ hay tóm tắt mỗi ngày\n• /cancel — hủy việc đang làm",
        Language.EN: "Commands for village chiefs:\n• /queue — your village's submissions by "
        "state\n• /progress — the village's progress and who has not submitted yet\n• /assist — "
        "submit for a household without a smartphone\n• /web — open the web console on a "
        "computer\n• /settings — an alert for each submission, or one digest a day\n• /cancel — "
        "cancel what you are doing",
    },
    "help.officer": {
        Language.VI: "Lệnh dành cho cán bộ địa chính:\n• /queue — danh sách hồ sơ, lọc theo thôn "
        "và tình trạng\n• /requests — yêu cầu của người dân (xin bản sao, sửa thông tin) và "
        "hạn xử lý\n• /progress — tiến độ từng thôn\n• /report — báo cáo hằng ngày kèm biểu "
        "đồ\n• /invite — mời trưởng thôn hoặc cán bộ\n• /assist — nộp hộ cho một hộ gia đình\n• "
        "/web — trang quản lý trên máy tính: xem ảnh giấy tờ bên cạnh thông tin, xử lý hồ sơ\n• "
        "/settings — ngôn ngữ\n• /cancel — hủy việc đang làm\n\nLấy giấy tờ về máy: mở /web, mở "
        "khóa bằng mật khẩu khóa của xã rồi xem hoặc tải từng hồ sơ. Cần lấy cả xã một lần: nhờ "
        "quản trị tỉnh chạy lệnh hoso pull --commune MÃ_XÃ --out THƯ_MỤC (lệnh hỏi mật khẩu "
        "khóa của xã), được mỗi hồ sơ một thư mục và tệp submissions.csv mở bằng Excel.",
        Language.EN: "Commands for land officers:\n• /queue — the submission queue, by village "
        "and state\n• /requests — residents' requests (a copy, a correction) and their "
        "deadlines\n• /progress — each village's progress\n• /report — the daily report with a "
        "chart\n• /invite — invite a village chief or an officer\n• /assist — submit for a "
        "household\n• /web — the web console on a computer: the documents beside the details, "
        "and the review\n• /settings — language\n• /cancel — cancel what you are doing\n\nTo "
        "get the documents: open /web, unlock with the commune key's passphrase, then view or "
        "download each submission. For the whole commune at once, ask the province administrator "
        "to run hoso pull --commune CODE --out FOLDER (it asks for the commune key's "
        "passphrase): one folder per submission and a submissions.csv for Excel.",
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
        Language.VI: "Chào mừng! Bạn đã là trưởng thôn của {place} ({commune}) trên kênh này. "
        "Bạn sẽ được báo khi có hồ sơ mới của thôn.",
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
        Language.VI: "📥 Hồ sơ mới của {village}\nHộ: {name}\nThửa (tờ/thửa): {parcel}\nĐã "
        "có: {docs_in}\nCòn thiếu: {docs_missing}\nLưu ý: {flags}\nMã: {receipt}",
        Language.EN: "📥 New submission from {village}\nHousehold: {name}\nParcel (sheet/number): "
        "{parcel}\nIn: {docs_in}\nMissing: {docs_missing}\nFlags: {flags}\nCode: {receipt}",
    },
    "notify.officer_new": {
        Language.VI: "📥 Hồ sơ mới ở {village} (chưa có trưởng thôn trên kênh)\nHộ: "
        "{name}\nThửa: {parcel}\nĐã có: {docs_in}\nCòn thiếu: {docs_missing}\nLưu ý: "
        "{flags}\nMã: {receipt}",
        Language.EN: "📥 New submission in {village} (the village has no chief here)\nHousehold: "
        "{name}\nParcel: {parcel}\nIn: {docs_in}\nMissing: {docs_missing}\nFlags: {flags}\nCode: "
        "{receipt}",
    },
    "notify.officer_batch": {
        Language.VI: "📥 {count} hồ sơ mới trong mấy phút qua (thôn chưa có trưởng thôn trên "
        "kênh, hoặc chưa rõ thôn):\n{items}{more}\nBấm để mở, hoặc /queue để xem cả danh sách.",
        Language.EN: "📥 {count} new submissions in the last few minutes (villages without a "
        "chief here, or no village yet):\n{items}{more}\nPress one to open it, or /queue for the "
        "whole list.",
    },
    "notify.officer_batch_more": {
        Language.VI: "\n• … và {more} hồ sơ khác",
        Language.EN: "\n• … and {more} more",
    },
    "notify.officer_batch_item": {
        Language.VI: "• {receipt} · {name} · {village}",
        Language.EN: "• {receipt} · {name} · {village}",
    },
    "notify.officer_batch_triage": {
        Language.VI: "• {receipt} · {name} · chưa rõ thôn, cần phân thôn",
        Language.EN: "• {receipt} · {name} · no village yet, please assign one",
    },
    "notify.open_receipt": {
        Language.VI: "📂 Mở {receipt}",
        Language.EN: "📂 Open {receipt}",
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
    "notify.chief_not_started": {
        Language.VI: "⚠️ Trưởng thôn của {village} chưa mở kênh trên Telegram nên chưa nhận được "
        "thông báo hồ sơ. Hãy nhắc họ mở đường dẫn mời và bấm “Bắt đầu”; các thông báo đang chờ "
        "sẽ được gửi ngay khi họ mở.",
        Language.EN: "⚠️ The chief of {village} has not opened the bot yet, so their alerts are "
        "not delivered. Remind them to open their invitation link and press “Start”; the alerts "
        "waiting will be sent as soon as they do.",
    },
    "notify.digest": {
        Language.VI: "🗞 Tóm tắt ngày {date} — {village}: {count} hồ sơ mới.\n{items}",
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
    "flag.no_serial": {
        Language.VI: "người dân không biết số seri sổ",
        Language.EN: "the resident did not know the certificate serial",
    },
    "flag.cccd_mismatch": {
        Language.VI: "số căn cước gõ vào khác số trong mã QR của thẻ — hãy đối chiếu với ảnh",
        Language.EN: "the typed ID number differs from the card's QR code — compare with the "
        "photo",
    },
    "flag.serial_mismatch": {
        Language.VI: "số seri gõ vào khác số trong mã QR của sổ — hãy đối chiếu với ảnh",
        Language.EN: "the typed serial differs from the certificate's QR code — compare with the "
        "photo",
    },
    "flag.duplicate": {
        Language.VI: "có thể trùng hồ sơ khác (cùng một ảnh giấy tờ)",
        Language.EN: "possibly a duplicate (the same document photo as another submission)",
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
        Language.VI: "📍 Hồ sơ {receipt} đã được chuyển về {village}.",
        Language.EN: "📍 Submission {receipt} has been assigned to {village}.",
    },
    "followup.which_page": {
        Language.VI: "📝 Hồ sơ {receipt} đang chờ bạn bổ sung: {slots}. Ảnh vừa gửi là trang nào? "
        "Bấm nút của trang đó rồi gửi lại ảnh.",
        Language.EN: "📝 Submission {receipt} is waiting for: {slots}. Which page was the photo "
        "you sent? Press its button, then send the photo again.",
    },
    "followup.open_request": {
        Language.VI: "📝 Lưu ý: hồ sơ {receipt} đang chờ bạn bổ sung {slots}. Bấm nút bên dưới "
        "rồi gửi ảnh — không cần làm hồ sơ mới.",
        Language.EN: "📝 Note: submission {receipt} is waiting for {slots} from you. Press a "
        "button below, then send the photo — there is no need for a new submission.",
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
        Language.VI: "Đã phân hồ sơ {receipt} về {village}.",
        Language.EN: "Submission {receipt} assigned to {village}.",
    },
    "card.text": {
        Language.VI: "📄 Hồ sơ {receipt} — {state}\nNộp ngày {date} ({assisted})\n{where}\n"
        "Người sử dụng đất: {name}\nSố căn cước: {cccd}\nĐiện thoại: "
        "{phone}\nSổ: {cert}\nSố seri sổ: {serial}\nThửa (tờ/thửa): {parcel}\nGiấy tờ:\n"
        "{documents}\nLưu ý: {flags}{duplicates}",
        Language.EN: "📄 Submission {receipt} — {state}\nSent on {date} ({assisted})\n{where}\n"
        "Land user: {name}\nID number: {cccd}\nPhone: "
        "{phone}\nCertificate: {cert}\nCertificate serial: {serial}\nParcel (sheet/number): "
        "{parcel}\nDocuments:\n{documents}\nFlags: {flags}{duplicates}",
    },
    "card.text_requested": {
        Language.VI: "📄 Hồ sơ {receipt} — {state}\nNộp ngày {date} ({assisted})\n{where}\n"
        "Người sử dụng đất: {name}\nSố căn cước: {cccd}\nĐiện thoại: "
        "{phone}\nSổ: {cert}\nSố seri sổ: {serial}\nThửa (tờ/thửa): {parcel}\nGiấy tờ:\n"
        "{documents}\nLưu ý: {flags}{duplicates}\nĐang chờ bổ sung: {requested}",
        Language.EN: "📄 Submission {receipt} — {state}\nSent on {date} ({assisted})\n{where}\n"
        "Land user: {name}\nID number: {cccd}\nPhone: "
        "{phone}\nCertificate: {cert}\nCertificate serial: {serial}\nParcel (sheet/number): "
        "{parcel}\nDocuments:\n{documents}\nFlags: {flags}{duplicates}\nWaiting for: {requested}",
    },
    "card.duplicates": {
        Language.VI: "\nCó thể trùng với hồ sơ: {receipts}",
        Language.EN: "\nPossibly the same as: {receipts}",
    },
    "card.where": {
        Language.VI: "Thôn: {village} (theo {route})",
        Language.EN: "Village: {village} (by {route})",
    },
    "card.where_unknown": {
        Language.VI: "Thôn: chưa rõ — cán bộ địa chính xã sẽ phân thôn",
        Language.EN: "Village: not known yet — the land officer will assign one",
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
        Language.VI: "📋 Hồ sơ — {place}\nĐang xem: {filter} ({total})\n{counts}{hint}",
        Language.EN: "📋 Submissions — {place}\nShowing: {filter} ({total})\n{counts}{hint}",
    },
    "queue.search_hint": {
        Language.VI: "\n\n🔎 Muốn tìm một hồ sơ: gõ mã hồ sơ, tên chủ hộ hoặc tờ/thửa (ví dụ "
        "12/345).",
        Language.EN: "\n\n🔎 To find one: type its receipt code, the household's name or the "
        "sheet/parcel (e.g. 12/345).",
    },
    "queue.count": {
        Language.VI: "• {state}: {count}",
        Language.EN: "• {state}: {count}",
    },
    "queue.item": {
        Language.VI: "{sign} {receipt} · {name}",
        Language.EN: "{sign} {receipt} · {name}",
    },
    "queue.item_village": {
        Language.VI: "{sign} {receipt} · {name} · {village}",
        Language.EN: "{sign} {receipt} · {name} · {village}",
    },
    "queue.item_no_village": {
        Language.VI: "{sign} {receipt} · {name} · chưa rõ thôn",
        Language.EN: "{sign} {receipt} · {name} · no village yet",
    },
    "search.results": {
        Language.VI: "🔎 “{text}”: {count} hồ sơ. Bấm một hồ sơ để mở.",
        Language.EN: "🔎 “{text}”: {count} submissions. Press one to open it.",
    },
    "search.results_more": {
        Language.VI: "🔎 “{text}”: {count} hồ sơ, đây là {shown} hồ sơ mới nhất. Gõ thêm để tìm "
        "hẹp hơn (cả họ tên, hoặc mã hồ sơ).",
        Language.EN: "🔎 “{text}”: {count} submissions, the {shown} newest below. Type more to "
        "narrow it (the full name, or the receipt code).",
    },
    "search.none": {
        Language.VI: "🔎 Không thấy hồ sơ nào khớp “{text}”. Gõ mã hồ sơ (như HP-7Q3K9), tên chủ "
        "hộ hoặc số thửa (như 12/345); /cancel để thôi tìm.",
        Language.EN: "🔎 No submission matches “{text}”. Type a receipt code (like HP-7Q3K9), a "
        "household's name or a parcel (like 12/345); /cancel to stop searching.",
    },
    "search.too_long": {
        Language.VI: "🔎 Chữ tìm quá dài. Gõ mã hồ sơ, tên chủ hộ hoặc số thửa.",
        Language.EN: "🔎 That search is too long. Type a receipt code, a name or a parcel.",
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
    "progress.village": {
        Language.VI: "📊 {village}\nChỉ tiêu: {targets}\nĐã nộp: {submitted}\nĐủ giấy tờ: "
        "{complete}\nCần bổ sung: {needs_info}\nĐã tiếp nhận: {accepted}\nChưa nộp "
        "({missing}):\n{names}\nĐã nộp nhưng không có trong danh sách hộ ({off_list}):\n{off}",
        Language.EN: "📊 {village}\nTargets: {targets}\nSubmitted: {submitted}\nComplete: "
        "{complete}\nNeeds info: {needs_info}\nAccepted: {accepted}\nNot yet submitted "
        "({missing}):\n{names}\nSubmitted but not on the household list ({off_list}):\n{off}",
    },
    "progress.off_list_item": {
        Language.VI: "• {receipt} {name}",
        Language.EN: "• {receipt} {name}",
    },
    "progress.name": {
        Language.VI: "• {name}",
        Language.EN: "• {name}",
    },
    "progress.more": {
        Language.VI: "… và {count} hộ khác.",
        Language.EN: "… and {count} more households.",
    },
    "report.quiet_villages": {
        Language.VI: "• {count} thôn khác chưa có chỉ tiêu và chưa có hồ sơ",
        Language.EN: "• {count} other villages with no target and no submission yet",
    },
    "report.text": {
        Language.VI: "🗓 Báo cáo ngày {date} — {commune}\n{lines}\nCộng: chỉ tiêu "
        "{total_targets}, đã nộp {total_submitted}, đủ giấy tờ {total_complete}, cần bổ sung "
        "{total_needs_info}, đã tiếp nhận {total_accepted}",
        Language.EN: "🗓 Report for {date} — {commune}\n{lines}\nTotal: targets {total_targets}, "
        "submitted {total_submitted}, complete {total_complete}, needs info {total_needs_info}, "
        "accepted {total_accepted}",
    },
    "report.groups": {
        Language.VI: "Thửa theo nhóm: nhóm 1 {group1}, nhóm 2 {group2}, nhóm 3 {group3}; đã "
        "chuyển từ nhóm 2, 3 lên nhóm 1: {moved_to_1}",
        Language.EN: "Parcels by group: group 1 {group1}, group 2 {group2}, group 3 {group3}; "
        "moved from 2 or 3 to 1: {moved_to_1}",
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
        Language.VI: "tóm tắt mỗi ngày một lần, lúc {hour}:00",
        Language.EN: "one digest a day, at {hour}:00",
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
        Language.VI: "Đã lưu: bạn sẽ nhận một bản tóm tắt mỗi ngày lúc {hour}:00 (giờ Việt "
        "Nam), chỉ những ngày có hồ sơ mới.",
        Language.EN: "Saved: you will get one digest a day at {hour}:00 (Vietnam time), on days "
        "with new submissions.",
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
        "lúc nào.\nHộ ở {village} đã đồng ý trực tiếp chưa?",
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
    "assist.qrcheck.use_typed": {
        Language.VI: "Số đã gõ: {typed}",
        Language.EN: "The one typed: {typed}",
    },
    "assist.cert.held": {Language.VI: "Hộ đang giữ sổ", Language.EN: "The household has it"},
    "assist.cert.at_bank": {
        Language.VI: "Sổ của hộ đang thế chấp ở ngân hàng",
        Language.EN: "A bank holds the household's",
    },
    "assist.cert.lost": {Language.VI: "Hộ bị mất sổ", Language.EN: "The household lost it"},
    "assist.cert.never_issued": {
        Language.VI: "Hộ chưa được cấp sổ",
        Language.EN: "Never issued to the household",
    },
    "assist.review.whose.family": {
        Language.VI: "một người trong hộ gia đình",
        Language.EN: "a member of the household",
    },
    "assist.review.summary": {
        Language.VI: "Xem lại hồ sơ nộp hộ, đọc lại cho hộ nghe:\n"
        "Nơi có đất: {village}, {commune}\n"
        "Đứng tên: {whose}\n"
        "Họ tên: {name}\n"
        "Số căn cước: {cccd}\n"
        "Điện thoại của hộ: {phone}\n"
        "Sổ: {status}\n"
        "Số seri: {serial}\n"
        "Tờ bản đồ: {map_sheet} — Thửa: {parcel_no}\n"
        "Nếu hộ xác nhận đúng, bấm “Gửi hồ sơ”.",
        Language.EN: "Check the assisted submission, reading it back to the household:\n"
        "Land in: {village}, {commune}\n"
        "In whose name: {whose}\n"
        "Name: {name}\n"
        "ID number: {cccd}\n"
        "The household's phone: {phone}\n"
        "Certificate: {status}\n"
        "Serial: {serial}\n"
        "Map sheet: {map_sheet} — Parcel: {parcel_no}\n"
        "If the household confirms it, press “Send”.",
    },
    "assist.submit.receipt": {
        Language.VI: "✅ Đã nhận hồ sơ nộp hộ.\nMã biên nhận: {receipt}\nNơi có đất: {place}\n"
        "Hãy ghi mã biên nhận này cho hộ gia đình. Kết quả và yêu cầu bổ sung của cán bộ địa "
        "chính xã sẽ gửi về đây, để bạn báo lại cho hộ.",
        Language.EN: "✅ Assisted submission received.\nReceipt code: {receipt}\nLand in: "
        "{place}\nWrite the receipt code down for the household. The commune land office's "
        "result and any request for more will come here, for you to pass on.",
    },
    "assist.choose_household": {
        Language.VI: "Nộp hộ ở {village}. {count} hộ trong danh sách chưa nộp — bấm tên hộ đang "
        "ngồi cùng bạn; hộ không có trong danh sách thì bấm “Hộ khác”.",
        Language.EN: "Assisted submission in {village}. {count} households on the list have "
        "not submitted — press the one you are with; for a household not on the list, press "
        "“Another household”.",
    },
    "assist.choose_household_more": {
        Language.VI: "Nộp hộ ở {village}. {count} hộ trong danh sách chưa nộp; đây là {shown} hộ "
        "đầu danh sách (xem hết bằng /progress). Bấm tên hộ đang ngồi cùng bạn, hoặc “Hộ khác”.",
        Language.EN: "Assisted submission in {village}. {count} households on the list have "
        "not submitted; here are the first {shown} (all of them in /progress). Press the one "
        "you are with, or “Another household”.",
    },
    "assist.other_household": {
        Language.VI: "➕ Hộ khác (không có trong danh sách)",
        Language.EN: "➕ Another household (not on the list)",
    },
    "assist.household_gone": {
        Language.VI: "Hộ này vừa có hồ sơ, hoặc không còn trong danh sách. Bấm /assist để chọn "
        "lại.",
        Language.EN: "This household has just submitted, or is no longer on the list. Press "
        "/assist to choose again.",
    },
    "assist.own_aside": {
        Language.VI: "Hồ sơ của riêng bạn đang làm dở được cất lại. Nộp hộ xong (hoặc bấm "
        "/cancel) sẽ quay lại đúng chỗ bạn đang làm.",
        Language.EN: "Your own unfinished submission is kept aside. When this one is sent (or "
        "you press /cancel) it comes back where you left it.",
    },
    "assist.own_back": {
        Language.VI: "↩️ Quay lại hồ sơ của riêng bạn, đúng chỗ đang làm dở:",
        Language.EN: "↩️ Back to your own submission, where you left it:",
    },
    "assist.wait_checks": {
        Language.VI: "Ảnh trong hồ sơ của riêng bạn đang được kiểm tra. Đợi vài giây rồi bấm "
        "/assist lại.",
        Language.EN: "A photo of your own submission is being checked. Wait a few seconds, then "
        "press /assist again.",
    },
    "assist.finish_first": {
        Language.VI: "Bạn đang nộp hộ dở một hồ sơ. Hãy gửi hồ sơ đó hoặc bấm /cancel trước khi "
        "nộp hộ hồ sơ khác.",
        Language.EN: "You are in the middle of a submission for a household. Send it or press "
        "/cancel before starting another.",
    },
    # --- data-subject requests (intake/requests, intake/staff/_requests.py) ------------------
    "command.requests": {
        Language.VI: "Yêu cầu dữ liệu của người dân",
        Language.EN: "Residents' data requests",
    },
    "requests.none": {
        Language.VI: "📮 Không có yêu cầu dữ liệu nào đang chờ.",
        Language.EN: "📮 No data request is waiting.",
    },
    "requests.list": {
        Language.VI: "📮 Yêu cầu dữ liệu đang chờ ({count}), cũ nhất trước:\n\n{items}",
        Language.EN: "📮 Data requests waiting ({count}), oldest first:\n\n{items}",
    },
    "requests.item": {
        Language.VI: "{sign} {code} · {kind} · {commune} · nhận {received}\n{clocks}\n",
        Language.EN: "{sign} {code} · {kind} · {commune} · received {received}\n{clocks}\n",
    },
    "requests.clock_acknowledge": {Language.VI: "Xác nhận", Language.EN: "Acknowledge"},
    "requests.clock_complete": {Language.VI: "Làm xong", Language.EN: "Complete"},
    "requests.clock_running": {
        Language.VI: "   {sign} {label} chậm nhất ngày {day}",
        Language.EN: "   {sign} {label} by the end of {day}",
    },
    "requests.clock_due_today": {
        Language.VI: "   {sign} {label}: hạn là HÔM NAY ({day})",
        Language.EN: "   {sign} {label}: due TODAY ({day})",
    },
    "requests.clock_overdue": {
        Language.VI: "   {sign} {label}: QUÁ HẠN (hạn {day})",
        Language.EN: "   {sign} {label}: OVERDUE (due {day})",
    },
    "requests.clock_met": {
        Language.VI: "   {sign} {label}: xong ngày {done} (hạn {day})",
        Language.EN: "   {sign} {label}: done on {done} (due {day})",
    },
    "requests.clock_met_late": {
        Language.VI: "   {sign} {label}: xong muộn ngày {done} (hạn {day})",
        Language.EN: "   {sign} {label}: done late on {done} (due {day})",
    },
    "requests.card": {
        Language.VI: "{sign} Yêu cầu {code} — {kind}\nXã: {commune}\nNhận lúc: {received}\n"
        "Tình trạng: {state}\n{clocks}\nHồ sơ của người yêu cầu: {receipts}\n"
        "Nội dung người dân gửi: {details}\nTrả lời của xã: {note}",
        Language.EN: "{sign} Request {code} — {kind}\nCommune: {commune}\nReceived: {received}\n"
        "State: {state}\n{clocks}\nThe resident's submissions: {receipts}\n"
        "What the resident wrote: {details}\nThe commune's answer: {note}",
    },
    "requests.state_received": {Language.VI: "mới nhận", Language.EN: "received"},
    "requests.state_acknowledged": {
        Language.VI: "đã xác nhận, đang xử lý",
        Language.EN: "acknowledged, in hand",
    },
    "requests.state_completed": {Language.VI: "đã xong", Language.EN: "completed"},
    "requests.open_button": {Language.VI: "📮 Mở yêu cầu {code}", Language.EN: "📮 Open {code}"},
    "requests.acknowledge_button": {
        Language.VI: "📬 Xác nhận đã nhận",
        Language.EN: "📬 Acknowledge",
    },
    "requests.done_button": {
        Language.VI: "✅ Đã xong (gửi lời nhắn)",
        Language.EN: "✅ Done (send a note)",
    },
    "requests.list_button": {Language.VI: "⬅️ Danh sách yêu cầu", Language.EN: "⬅️ All requests"},
    "requests.acknowledged_done": {
        Language.VI: "Đã báo người dân: xã đã nhận yêu cầu {code}.",
        Language.EN: "The resident was told the commune has request {code} in hand.",
    },
    "requests.ask_note": {
        Language.VI: "Hãy gõ lời nhắn cho người dân về yêu cầu {code}: đã làm gì, nhận bản sao "
        "ở đâu, khi nào (ví dụ: đã sửa tên chủ sổ; bản sao để ở bộ phận một cửa, mang căn cước "
        "khi đến nhận). /cancel để thôi.",
        Language.EN: "Type a note for the resident about request {code}: what was done, where "
        "and when to collect a copy (e.g. the owner's name is corrected; the copy is at the "
        "one-stop desk, bring your ID card). /cancel to stop.",
    },
    "requests.completed_done": {
        Language.VI: "Đã xong yêu cầu {code}; người dân đã được báo kèm lời nhắn.",
        Language.EN: "Request {code} is completed; the resident was told, with your note.",
    },
    "requests.note_needed": {
        Language.VI: "Hãy gõ một lời nhắn cho người dân.",
        Language.EN: "Please type a note for the resident.",
    },
    "requests.note_too_long": {
        Language.VI: "Lời nhắn dài quá (tối đa {max} ký tự). Hãy gõ ngắn lại.",
        Language.EN: "The note is too long (at most {max} characters). Please shorten it.",
    },
    "requests.already_acknowledged": {
        Language.VI: "Yêu cầu này đã được xác nhận rồi.",
        Language.EN: "This request was already acknowledged.",
    },
    "requests.already_completed": {
        Language.VI: "Yêu cầu này đã xong rồi.",
        Language.EN: "This request is already completed.",
    },
    "requests.not_found": {
        Language.VI: "Không tìm thấy yêu cầu này.",
        Language.EN: "That request was not found.",
    },
    "requests.new": {
        Language.VI: "📮 Yêu cầu dữ liệu mới {code}: {kind} ({commune}), nhận lúc {received}.\n"
        "• Xác nhận chậm nhất ngày {acknowledge_by}\n• Làm xong chậm nhất ngày {complete_by}",
        Language.EN: "📮 New data request {code}: {kind} ({commune}), received at {received}.\n"
        "• Acknowledge by the end of {acknowledge_by}\n• Complete by the end of {complete_by}",
    },
    "requests.reminder_acknowledge_soon": {
        Language.VI: "⏰ Hôm nay ({acknowledge_by}) là hạn xác nhận yêu cầu {code} ({kind}, "
        "{commune}). Bấm nút để mở yêu cầu, rồi xác nhận ở đó.",
        Language.EN: "⏰ Today ({acknowledge_by}) is the deadline to acknowledge request {code} "
        "({kind}, {commune}). The button opens the request, where you can acknowledge it.",
    },
    "requests.reminder_acknowledge_overdue": {
        Language.VI: "🔴 Yêu cầu {code} ({kind}, {commune}) đã QUÁ HẠN xác nhận (hạn "
        "{acknowledge_by}). Hạn làm xong: {complete_by}.",
        Language.EN: "🔴 Request {code} ({kind}, {commune}) is OVERDUE for acknowledgement (due "
        "{acknowledge_by}). Complete by {complete_by}.",
    },
    "requests.reminder_complete_soon": {
        Language.VI: "⏰ Yêu cầu {code} ({kind}, {commune}) phải làm xong chậm nhất ngày "
        "{complete_by}.",
        Language.EN: "⏰ Request {code} ({kind}, {commune}) must be completed by the end of "
        "{complete_by}.",
    },
    "requests.reminder_complete_overdue": {
        Language.VI: "🔴 Yêu cầu {code} ({kind}, {commune}) đã QUÁ HẠN làm xong (hạn "
        "{complete_by}).",
        Language.EN: "🔴 Request {code} ({kind}, {commune}) is OVERDUE (due {complete_by}).",
    },
}
