"""What staff read in the web console (pages, buttons, messages) and the `/web` replies in
Telegram that lead there. Submission states, slots, flags and review words are the staff and
resident parts' own (`state.*`, `slot.*`, `flag.*`, `review.*`)."""

from __future__ import annotations

from intake.language._languages import Language

VI, EN = Language.VI, Language.EN

TEXTS: dict[str, dict[Language, str]] = {
    # --- Telegram: /web -----------------------------------------------------------------------
    "web.link": {
        VI: "Đường dẫn đăng nhập trang quản lý hồ sơ (dùng được một lần, trong {minutes} phút):\n"
        "{url}\n\nMở trên máy tính của bạn. Không chuyển tiếp tin nhắn này cho người khác.",
        EN: "Your sign-in link to the web console (single use, valid {minutes} minutes):\n{url}"
        "\n\nOpen it on your computer. Do not forward this message to anyone.",
    },
    "web.unavailable": {
        VI: "Trang quản lý chưa được bật trên máy chủ này. Hãy báo quản trị viên.",
        EN: "The web console is not enabled on this server. Please tell the administrator.",
    },
    # --- frame --------------------------------------------------------------------------------
    "console.title": {VI: "Hồ sơ đất đai — trang cán bộ", EN: "Land records — staff console"},
    "console.sign_out": {VI: "Đăng xuất", EN: "Sign out"},
    "console.staff_officer": {VI: "Cán bộ địa chính", EN: "Land officer"},
    "console.staff_chief": {VI: "Trưởng thôn", EN: "Village chief"},
    "console.staff_admin": {VI: "Quản trị tỉnh", EN: "Province administrator"},
    "console.back_to_queue": {VI: "Về danh sách hồ sơ", EN: "Back to the queue"},
    # --- signing in -----------------------------------------------------------------------------
    "console.signin_title": {VI: "Đăng nhập", EN: "Sign in"},
    "console.signin_confirm": {
        VI: "Bấm nút dưới đây để đăng nhập bằng đường dẫn vừa nhận trong Telegram.",
        EN: "Press the button below to sign in with the link you received in Telegram.",
    },
    "console.signin_button": {VI: "Đăng nhập", EN: "Sign in"},
    "console.ended_none": {
        VI: "Bạn chưa đăng nhập. Trong Telegram, gửi /web cho bot để nhận đường dẫn đăng nhập.",
        EN: "You are not signed in. In Telegram, send /web to the bot to get a sign-in link.",
    },
    "console.ended_idle": {
        VI: "Phiên làm việc đã hết hạn vì 30 phút không thao tác. Gửi /web trong Telegram để "
        "đăng nhập lại.",
        EN: "Your session ended after 30 minutes without activity. Send /web in Telegram to "
        "sign in again.",
    },
    "console.ended_absolute": {
        VI: "Phiên làm việc đã quá 12 giờ. Gửi /web trong Telegram để đăng nhập lại.",
        EN: "Your session is over 12 hours old. Send /web in Telegram to sign in again.",
    },
    "console.ended_revoked": {
        VI: "Tài khoản cán bộ của bạn đã bị thu hồi nên bạn đã được đăng xuất.",
        EN: "Your staff access was revoked, so you have been signed out.",
    },
    "console.link_unknown": {
        VI: "Đường dẫn đăng nhập không đúng. Gửi /web trong Telegram để nhận đường dẫn mới.",
        EN: "This sign-in link is not valid. Send /web in Telegram for a new one.",
    },
    "console.link_used": {
        VI: "Đường dẫn này đã được dùng. Mỗi đường dẫn chỉ đăng nhập được một lần; gửi /web "
        "trong Telegram để nhận đường dẫn mới.",
        EN: "This link has been used. Each link signs in once; send /web in Telegram for a "
        "new one.",
    },
    "console.link_expired": {
        VI: "Đường dẫn đã hết hạn (10 phút). Gửi /web trong Telegram để nhận đường dẫn mới.",
        EN: "This link has expired (10 minutes). Send /web in Telegram for a new one.",
    },
    "console.link_not_staff": {
        VI: "Tài khoản này không còn là cán bộ nên không đăng nhập được.",
        EN: "This account is no longer staff, so it cannot sign in.",
    },
    "console.signed_out": {
        VI: "Bạn đã đăng xuất. Khóa xã đã được khóa lại trên máy chủ.",
        EN: "You are signed out. The commune key has been locked again on the server.",
    },
    # --- problems -----------------------------------------------------------------------------
    "console.problem_title": {VI: "Không thực hiện được", EN: "That did not work"},
    "console.not_found": {
        VI: "Không tìm thấy trang hoặc hồ sơ này (hoặc nó không thuộc địa bàn của bạn).",
        EN: "This page or submission was not found (or it is not in your area).",
    },
    "console.bad_request": {
        VI: "Yêu cầu không hợp lệ. Hãy quay lại và thử lại.",
        EN: "The request is not valid. Please go back and try again.",
    },
    "console.bad_filter": {
        VI: "Bộ lọc trong địa chỉ không đúng. Hãy mở lại danh sách hồ sơ.",
        EN: "The filter in the address is not valid. Please open the queue again.",
    },
    "console.search_too_long": {
        VI: "Từ khóa tìm kiếm quá dài (tối đa 100 ký tự).",
        EN: "The search text is too long (at most 100 characters).",
    },
    "console.too_large": {VI: "Nội dung gửi lên quá lớn.", EN: "What was sent is too large."},
    "console.forbidden": {
        VI: "Yêu cầu không đến từ trang quản lý nên đã bị từ chối.",
        EN: "The request did not come from the console's own pages, so it was refused.",
    },
    "console.stale_form": {
        VI: "Biểu mẫu đã cũ (trang mở từ phiên trước). Hãy tải lại trang rồi làm lại.",
        EN: "The form is out of date (opened in an earlier session). Reload the page and "
        "try again.",
    },
    "console.stale": {
        VI: "Hồ sơ {receipt} vừa được thay đổi (bởi người khác hoặc trong Telegram). Dưới đây "
        "là tình trạng mới nhất; chưa có gì được lưu.",
        EN: "Submission {receipt} has just changed (by someone else or in Telegram). Its "
        "current state is below; nothing was saved.",
    },
    "console.fault": {
        VI: "Máy chủ gặp lỗi. Chưa có gì bị thay đổi; hãy thử lại sau ít phút.",
        EN: "The server ran into a fault. Nothing was changed; please try again in a few minutes.",
    },
    # --- queue --------------------------------------------------------------------------------
    "console.queue_title": {VI: "Danh sách hồ sơ", EN: "Submissions"},
    "console.commune": {VI: "Xã", EN: "Commune"},
    "console.village": {VI: "Thôn", EN: "Village"},
    "console.all_villages": {VI: "Tất cả các thôn", EN: "All villages"},
    "console.no_village": {VI: "Chưa rõ thôn", EN: "No village yet"},
    "console.state": {VI: "Tình trạng", EN: "State"},
    "console.open_states": {VI: "Đang xử lý", EN: "Open"},
    "console.all_states": {VI: "Tất cả", EN: "All"},
    "console.order": {VI: "Sắp xếp", EN: "Order"},
    "console.oldest_first": {VI: "Cũ nhất trước", EN: "Oldest first"},
    "console.newest_first": {VI: "Mới nhất trước", EN: "Newest first"},
    "console.search": {VI: "Tìm", EN: "Search"},
    "console.duplicates": {VI: "Có thể trùng với hồ sơ:", EN: "Possibly the same as:"},
    "console.search_hint": {
        VI: "Tên chủ hộ, mã hồ sơ, số CCCD, tờ/thửa",
        EN: "Holder name, receipt, CCCD number, sheet/parcel",
    },
    "console.filter": {VI: "Lọc", EN: "Filter"},
    "console.total": {VI: "{count} hồ sơ", EN: "{count} submissions"},
    "console.receipt": {VI: "Mã hồ sơ", EN: "Receipt"},
    "console.holder": {VI: "Chủ hộ / người đứng tên", EN: "Holder"},
    "console.parcel": {VI: "Tờ/thửa", EN: "Sheet/parcel"},
    "console.submitted_at": {VI: "Ngày nộp", EN: "Submitted"},
    "console.flags": {VI: "Lưu ý", EN: "Flags"},
    "console.incomplete": {VI: "thiếu giấy tờ", EN: "documents missing"},
    "console.previous": {VI: "Trang trước", EN: "Previous"},
    "console.next": {VI: "Trang sau", EN: "Next"},
    "console.page_of": {VI: "Trang {page}/{pages}", EN: "Page {page} of {pages}"},
    "console.empty": {
        VI: "Không có hồ sơ nào khớp bộ lọc.",
        EN: "No submission matches the filter.",
    },
    # --- a submission -------------------------------------------------------------------------
    "console.next_in_queue": {VI: "Hồ sơ tiếp theo", EN: "Next in queue"},
    "console.documents": {VI: "Giấy tờ", EN: "Documents"},
    "console.fields": {VI: "Thông tin", EN: "Details"},
    "console.documents_not_for_role": {
        VI: "Ảnh giấy tờ chỉ cán bộ địa chính xem được.",
        EN: "Only land officers may see the document images.",
    },
    "console.unlock_title": {VI: "Mở khóa xã để xem giấy tờ", EN: "Unlock the commune key"},
    "console.unlock_explain": {
        VI: "Giấy tờ của {commune} được niêm phong; chỉ khóa của xã mở được. Nhập mật khẩu khóa "
        "xã. Khóa chỉ được giữ trong bộ nhớ máy chủ cho phiên này và bị xóa khi bạn đăng xuất "
        "hoặc sau 30 phút không thao tác.",
        EN: "{commune}'s documents are sealed; only the commune key opens them. Enter the "
        "commune key's passphrase. The key is kept only in the server's memory for this session "
        "and dropped when you sign out or after 30 minutes without activity.",
    },
    "console.passphrase": {VI: "Mật khẩu khóa xã", EN: "Commune key passphrase"},
    "console.unlock": {VI: "Mở khóa", EN: "Unlock"},
    "console.unlock_limit": {
        VI: "Sau {count} lần nhập sai, phải chờ 15 phút.",
        EN: "After {count} wrong attempts you must wait 15 minutes.",
    },
    "console.unlocked": {
        VI: "Đã mở khóa xã cho phiên này.",
        EN: "The commune key is unlocked for this session.",
    },
    "console.unlock_wrong": {
        VI: "Mật khẩu không đúng. Còn {left} lần thử.",
        EN: "Wrong passphrase. {left} attempts left.",
    },
    "console.unlock_limited": {
        VI: "Nhập sai quá nhiều lần. Hãy chờ 15 phút rồi thử lại.",
        EN: "Too many wrong attempts. Wait 15 minutes and try again.",
    },
    "console.unlock_no_key": {
        VI: "Xã này chưa có khóa lưu trên máy chủ. Dùng tệp khóa với lệnh hoso pull.",
        EN: "This commune has no key kept on the server. Use the key file with hoso pull.",
    },
    "console.unlock_busy": {
        VI: "Lần mở khóa trước của bạn vẫn đang chạy. Hãy chờ vài giây rồi tải lại trang.",
        EN: "Your previous unlock is still running. Wait a few seconds and reload the page.",
    },
    "console.lock": {VI: "Khóa lại", EN: "Lock"},
    "console.locked": {VI: "Đã khóa lại khóa xã.", EN: "The commune key is locked again."},
    "console.document_missing": {
        VI: "Không tìm thấy tệp niêm phong của giấy tờ này trên máy chủ.",
        EN: "This document's sealed file is missing on the server.",
    },
    "console.document_damaged": {
        VI: "Tệp niêm phong của giấy tờ này đã bị hỏng hoặc bị sửa.",
        EN: "This document's sealed file is damaged or was altered.",
    },
    "console.document_locked": {
        VI: "Cần mở khóa xã để xem giấy tờ.",
        EN: "Unlock the commune key to see documents.",
    },
    "console.document_unavailable": {
        VI: "Tạm thời không lấy được giấy tờ này từ kho lưu trữ. Hãy thử lại sau ít phút.",
        EN: "This document is unavailable right now: the file store cannot be reached. "
        "Try again in a few minutes.",
    },
    "console.document_wrong_key": {
        VI: "Không mở được giấy tờ này bằng khóa đã mở.",
        EN: "This document does not open with the unlocked key.",
    },
    "console.download_pdf": {VI: "Tải tệp PDF", EN: "Download the PDF"},
    "console.zoom_in": {VI: "Phóng to (+)", EN: "Zoom in (+)"},
    "console.zoom_out": {VI: "Thu nhỏ (-)", EN: "Zoom out (-)"},
    "console.rotate": {VI: "Xoay (o)", EN: "Rotate (o)"},
    "console.fit": {VI: "Vừa khung", EN: "Fit"},
    "console.open_full": {VI: "Mở cỡ gốc", EN: "Full size"},
    "console.older_documents": {
        VI: "{count} giấy tờ cũ (đã được thay hoặc bị trả lại)",
        EN: "{count} earlier documents (replaced or refused)",
    },
    "console.cccd": {VI: "Số CCCD", EN: "CCCD number"},
    "console.serial": {VI: "Số seri giấy chứng nhận", EN: "Certificate serial"},
    "console.map_sheet": {VI: "Tờ bản đồ số", EN: "Map sheet"},
    "console.parcel_no": {VI: "Thửa đất số", EN: "Parcel"},
    "console.phone": {VI: "Số điện thoại", EN: "Phone"},
    "console.certificate": {VI: "Giấy chứng nhận", EN: "Certificate"},
    "console.copy": {VI: "Chép", EN: "Copy"},
    "console.copied": {VI: "Đã chép", EN: "Copied"},
    "console.checklist": {VI: "Giấy tờ đã nộp", EN: "Document checklist"},
    "console.requested": {VI: "đang yêu cầu bổ sung", EN: "requested"},
    "console.actions": {VI: "Xử lý", EN: "Review"},
    "console.confirm_entered": {
        VI: "Tôi đã nhập hồ sơ này vào hệ thống thông tin đất đai.",
        EN: "I have entered this submission into the land information system.",
    },
    "console.which_pages": {VI: "Giấy tờ cần bổ sung", EN: "Pages to ask for"},
    "console.note_for_resident": {
        VI: "Ghi chú cho người nộp (không bắt buộc)",
        EN: "Note for the resident (optional)",
    },
    "console.send_request": {VI: "Gửi yêu cầu bổ sung", EN: "Send the request"},
    "console.choose_village": {VI: "Hãy chọn một thôn.", EN: "Choose a village."},
    "console.shortcuts": {
        VI: "Phím tắt: a tiếp nhận · n yêu cầu bổ sung · r không tiếp nhận · j hồ sơ tiếp theo · "
        "+/- phóng to/thu nhỏ · o xoay ảnh",
        EN: "Shortcuts: a accept · n needs info · r reject · j next · +/- zoom · o rotate",
    },
    "console.history": {VI: "Lịch sử", EN: "History"},
    "console.actor_resident": {VI: "Người nộp", EN: "Resident"},
    "console.actor_system": {VI: "Hệ thống", EN: "System"},
    "console.actor_staff": {VI: "Cán bộ", EN: "Staff"},
    "console.actor_admin_cli": {VI: "Quản trị (dòng lệnh)", EN: "Administrator (command line)"},
    "console.event_submitted": {VI: "nộp hồ sơ", EN: "submitted"},
    "console.event_review_started": {VI: "bắt đầu xem xét", EN: "review started"},
    "console.event_needs_info": {VI: "yêu cầu bổ sung", EN: "asked for more"},
    "console.event_resubmitted": {VI: "đã bổ sung", EN: "sent what was asked"},
    "console.event_accepted": {VI: "tiếp nhận", EN: "accepted"},
    "console.event_rejected": {VI: "không tiếp nhận", EN: "rejected"},
    "console.event_assigned": {VI: "phân về thôn", EN: "assigned to a village"},
    "console.event_withdrawn": {VI: "rút hồ sơ", EN: "withdrawn"},
    "console.event_document_added": {VI: "gửi thêm giấy tờ", EN: "added a document"},
    "console.event_document_viewed": {VI: "xem giấy tờ", EN: "viewed a document"},
    "console.event_staff_refused": {VI: "bị từ chối truy cập", EN: "was refused access"},
    "console.event_withdraw_refused_accepted": {
        VI: "xin rút hồ sơ đã tiếp nhận (không cho rút)",
        EN: "asked to withdraw an accepted one (refused)",
    },
    "console.event_retention_purged": {
        VI: "hết thời hạn lưu: hủy giấy tờ của hồ sơ đã xử lý xong, xóa thông tin cá nhân",
        EN: "retention period over: documents of decided submissions destroyed, personal "
        "fields erased",
    },
    "console.event_consent_given": {VI: "đồng ý cho xử lý dữ liệu", EN: "gave consent"},
    "console.event_consent_in_person": {
        VI: "đồng ý trực tiếp với trưởng thôn",
        EN: "gave consent in person to the chief",
    },
    "console.event_consent_withdrawn": {
        VI: "rút lại sự đồng ý (/delete)",
        EN: "withdrew their consent (/delete)",
    },
    "console.event_erased": {
        VI: "xóa thông tin và giấy tờ của hồ sơ (/delete)",
        EN: "erased the submission's details and documents (/delete)",
    },
    "console.event_data_deleted": {
        VI: "xóa dữ liệu của mình (/delete)",
        EN: "erased their data (/delete)",
    },
    "console.event_mydata_shown": {
        VI: "xem hoso đang giữ gì về mình (/mydata)",
        EN: "saw what hoso holds about them (/mydata)",
    },
    "console.event_data_request_received": {
        VI: "gửi yêu cầu dữ liệu (bản sao, sửa thông tin)",
        EN: "sent a data request (a copy, a correction)",
    },
    "console.event_data_request_acknowledged": {
        VI: "xác nhận yêu cầu dữ liệu",
        EN: "acknowledged a data request",
    },
    "console.event_data_request_completed": {
        VI: "làm xong yêu cầu dữ liệu",
        EN: "completed a data request",
    },
    "console.event_data_request_reminded": {
        VI: "nhắc hạn yêu cầu dữ liệu",
        EN: "reminded of a data request's deadline",
    },
    "console.event_export": {VI: "xuất dữ liệu hồ sơ", EN: "exported submissions"},
    "console.event_audit_exported": {VI: "tải nhật ký (CSV)", EN: "downloaded the audit log"},
    "console.event_console_signed_in": {VI: "đăng nhập trang quản lý", EN: "signed in"},
    "console.event_console_sign_in_refused": {
        VI: "đăng nhập bị từ chối",
        EN: "was refused signing in",
    },
    "console.event_console_signed_out": {VI: "đăng xuất", EN: "signed out"},
    "console.event_console_session_ended": {VI: "hết phiên làm việc", EN: "session ended"},
    "console.event_console_unlocked": {VI: "mở khóa xã", EN: "unlocked the commune key"},
    "console.event_console_unlock_failed": {
        VI: "mở khóa xã sai mật khẩu",
        EN: "wrong passphrase for the commune key",
    },
    "console.event_refused": {VI: "bị từ chối (Telegram)", EN: "was refused (Telegram)"},
    "console.event_settings_changed": {VI: "đổi cách nhận thông báo", EN: "changed alerts"},
    "console.event_invite_created": {VI: "tạo lời mời cán bộ", EN: "made a staff invitation"},
    "console.event_invite_reuse_refused": {
        VI: "dùng lại lời mời (bị từ chối)",
        EN: "reused an invitation (refused)",
    },
    "console.event_staff_joined": {VI: "nhận lời mời, làm cán bộ", EN: "joined as staff"},
    "console.event_staff_revoked": {VI: "bị thu hồi quyền cán bộ", EN: "staff access revoked"},
    "console.event_pull": {VI: "tải hồ sơ về máy (dòng lệnh)", EN: "pulled submissions"},
    "console.event_commune_key_created": {VI: "tạo khóa xã", EN: "commune key made"},
    "console.event_escrow_key_created": {VI: "tạo khóa dự phòng tỉnh", EN: "escrow key made"},
    "console.event_audit_chain_keyed": {
        VI: "khóa chuỗi nhật ký bằng khóa nhật ký",
        EN: "audit chain keyed with the audit key",
    },
    "console.event_units_imported": {
        VI: "nhập danh mục đơn vị hành chính",
        EN: "administrative units imported",
    },
    "console.event_villages_imported": {VI: "nhập danh sách thôn", EN: "villages imported"},
    "console.event_parcels_imported": {VI: "nhập danh sách thửa", EN: "parcels imported"},
    "console.event_targets_imported": {
        VI: "nhập danh sách hộ mục tiêu",
        EN: "target households imported",
    },
    "export.sheet_submissions": {VI: "Hồ sơ", EN: "Submissions"},
    "export.sheet_documents": {VI: "Giấy tờ", EN: "Documents"},
    "export.column.receipt": {VI: "Mã hồ sơ", EN: "Receipt"},
    "export.column.holder": {VI: "Họ tên chủ hộ", EN: "Household name"},
    "export.column.slot": {VI: "Giấy tờ", EN: "Page"},
    "export.column.current": {VI: "Bản dùng", EN: "Current"},
    "export.column.status": {VI: "Tình trạng", EN: "Status"},
    "export.column.received_at": {VI: "Nhận lúc", EN: "Received at"},
    "export.column.file": {VI: "Tệp trong ZIP", EN: "File in the ZIP"},
    "export.column.content_type": {VI: "Loại tệp", EN: "Type"},
    "export.column.issues": {VI: "Lỗi ảnh", EN: "Photo problems"},
    "export.column.sealed_sha256": {VI: "SHA-256 tệp niêm phong", EN: "Sealed file SHA-256"},
    "export.current_yes": {VI: "có", EN: "yes"},
    "export.current_no": {VI: "đã thay", EN: "replaced"},
    "export.status.pending": {VI: "đang kiểm tra", EN: "being checked"},
    "export.status.stored": {VI: "đã lưu", EN: "stored"},
    "export.status.refused": {VI: "bị trả lại", EN: "refused"},
    "export.status.failed": {VI: "không tải được", EN: "could not be fetched"},
    "export.status.deleted": {VI: "đã xóa", EN: "deleted"},
    "export.title": {VI: "Xuất dữ liệu theo bộ lọc", EN: "Export what the filter shows"},
    "export.xlsx": {VI: "Bảng Excel (.xlsx)", EN: "Excel table (.xlsx)"},
    "export.zip_opened": {VI: "Ảnh giấy tờ (ZIP, đã giải mã)", EN: "Documents (ZIP, opened)"},
    "export.zip_sealed": {
        VI: "Ảnh giấy tờ niêm phong (ZIP, tệp .age)",
        EN: "Sealed documents (ZIP, .age files)",
    },
    "export.hint": {
        VI: "Xuất đúng {count} hồ sơ đang lọc. Mỗi lần xuất đều được ghi nhật ký.",
        EN: "Exports exactly the {count} submissions the filter shows. Every export is logged.",
    },
    "export.nothing": {
        VI: "Không có hồ sơ nào khớp bộ lọc này, nên không có gì để xuất. Hãy đổi bộ lọc.",
        EN: "No submission matches this filter, so there is nothing to export. Change the filter.",
    },
    "export.too_many": {
        VI: "Bộ lọc này có {count} hồ sơ, quá {limit} hồ sơ cho một lần xuất. Hãy lọc theo thôn "
        "hoặc theo ngày rồi xuất từng phần.",
        EN: "This filter has {count} submissions, more than {limit} for one export. Filter by "
        "village or by dates and export part by part.",
    },
    "export.unlock_to_open": {
        VI: "Mở khóa để tải ảnh đã giải mã",
        EN: "Unlock to download the opened documents",
    },
    "export.locked": {
        VI: "Để tải ảnh đã giải mã, hãy mở khóa hồ sơ của xã trước (nhập mật khẩu khóa xã). "
        "Tệp niêm phong (.age) thì tải được mà không cần mở khóa.",
        EN: "To download opened documents, unlock the commune's key first (its passphrase). "
        "The sealed files (.age) can be downloaded without it.",
    },
    "export.not_allowed": {
        VI: "Tài khoản của bạn không được xuất dữ liệu này.",
        EN: "Your account may not export this.",
    },
    "poster.title": {VI: "Áp phích nộp hồ sơ đất đai", EN: "Land records submission poster"},
    "poster.heading": {
        VI: "NỘP HỒ SƠ ĐẤT ĐAI QUA TELEGRAM",
        EN: "SEND YOUR LAND RECORDS THROUGH TELEGRAM",
    },
    "poster.place": {VI: "{commune} · {province}", EN: "{commune} · {province}"},
    "poster.scan": {
        VI: "Quét mã bằng camera điện thoại để bắt đầu",
        EN: "Scan the code with your phone's camera to start",
    },
    "poster.step1": {
        VI: "Quét mã QR (hoặc mở đường link trên) để mở Telegram, rồi bấm «Bắt đầu».",
        EN: "Scan the QR code (or open the link above) to open Telegram, then press «Start».",
    },
    "poster.step2": {
        VI: "Trả lời từng câu hỏi: họ tên, số căn cước, số tờ, số thửa.",
        EN: "Answer each question: name, ID card number, map sheet, parcel number.",
    },
    "poster.step3": {
        VI: "Chụp ảnh căn cước và các trang sổ theo hướng dẫn; nhận mã hồ sơ để tra cứu.",
        EN: "Photograph the ID card and the certificate's pages as shown; keep the receipt code.",
    },
    "poster.bring_title": {VI: "Chuẩn bị sẵn:", EN: "Have at hand:"},
    "poster.bring": {
        VI: "• Thẻ căn cước (CCCD) của người đứng tên sổ\n"
        "• Giấy chứng nhận quyền sử dụng đất (sổ đỏ, sổ hồng)",
        EN: "• The ID card (CCCD) of the certificate holder\n"
        "• The land use right certificate (red or pink book)",
    },
    "poster.privacy": {
        VI: "Ảnh giấy tờ được niêm phong ngay khi gửi: chỉ cán bộ địa chính xã mở được.",
        EN: "Photos are sealed as soon as they are sent: only the commune's land office can "
        "open them.",
    },
    "console.posters_title": {VI: "Áp phích QR cho các thôn", EN: "QR posters for the villages"},
    "console.posters_explain": {
        VI: "In áp phích khổ A4 dán ở nhà văn hóa thôn: người dân quét mã để mở Telegram, "
        "thôn đã được chọn sẵn.",
        EN: "Print the A4 poster for the village hall: residents scan the code to open Telegram "
        "with their village already chosen.",
    },
    "console.posters_all": {
        VI: "Tải tất cả các thôn (một tệp PDF)",
        EN: "Download every village (one PDF)",
    },
    "console.poster_link": {VI: "Đường link trên áp phích", EN: "The poster's link"},
    "console.poster_download": {VI: "Tải PDF", EN: "Download PDF"},
    "console.posters_no_bot": {
        VI: "Chưa biết tên bot Telegram nên chưa tạo được đường link trên áp phích.",
        EN: "The Telegram bot's name is not known, so the poster's link cannot be made.",
    },
    "console.posters_none": {VI: "Xã chưa có thôn nào.", EN: "The commune has no villages yet."},
    # --- staff and invitations --------------------------------------------------------------
    "console.staff_title": {VI: "Cán bộ và lời mời", EN: "Staff and invitations"},
    "console.staff_of": {VI: "Cán bộ của {commune}", EN: "The staff of {commune}"},
    "console.staff_explain": {
        VI: "Trưởng thôn và cán bộ địa chính đang làm việc với hồ sơ của xã. Người bị thu hồi "
        "bị đăng xuất khỏi trang này và không dùng được các lệnh cán bộ trong Telegram nữa.",
        EN: "The village chiefs and land officers working on the commune's submissions. A "
        "revoked member is signed out of this console and loses the staff commands in Telegram.",
    },
    "console.staff_name": {VI: "Họ tên", EN: "Name"},
    "console.staff_role": {VI: "Vai trò", EN: "Role"},
    "console.staff_joined": {VI: "Tham gia", EN: "Joined"},
    "console.staff_revoked_at": {VI: "Thu hồi", EN: "Revoked"},
    "console.staff_unnamed": {VI: "Tài khoản Telegram {id}", EN: "Telegram account {id}"},
    "console.staff_you": {VI: "(bạn)", EN: "(you)"},
    "console.staff_none": {VI: "Xã chưa có cán bộ nào.", EN: "The commune has no staff yet."},
    "console.staff_show_revoked": {
        VI: "Xem cả những người đã bị thu hồi",
        EN: "Show revoked members too",
    },
    "console.staff_hide_revoked": {
        VI: "Ẩn những người đã bị thu hồi",
        EN: "Hide revoked members",
    },
    "console.staff_revoked_title": {VI: "Đã thu hồi", EN: "Revoked"},
    "console.staff_revoked_none": {VI: "Chưa thu hồi ai.", EN: "Nobody was revoked."},
    "console.staff_revoke": {VI: "Thu hồi", EN: "Revoke"},
    "console.staff_revoke_confirm": {
        VI: "Thu hồi quyền cán bộ của {name}? Việc này không hoàn tác được: muốn làm lại "
        "phải gửi lời mời mới.",
        EN: "Revoke {name}'s staff access? This cannot be undone: it takes a new invitation.",
    },
    "console.staff_revoke_button": {VI: "Xác nhận thu hồi", EN: "Confirm revocation"},
    "console.staff_revoked_done": {
        VI: "Đã thu hồi quyền {role} của {name}.",
        EN: "{name}'s access as {role} was revoked.",
    },
    "console.staff_not_allowed": {
        VI: "Chỉ cán bộ địa chính xã và quản trị tỉnh mới quản lý được cán bộ.",
        EN: "Only commune land officers and province administrators manage staff.",
    },
    "console.staff_not_self": {
        VI: "Bạn không thể tự thu hồi quyền của mình. Hãy nhờ cán bộ khác hoặc quản trị tỉnh.",
        EN: "You cannot revoke yourself. Ask another officer or the province administrator.",
    },
    "console.staff_not_yours": {
        VI: "Không có cán bộ này trong phạm vi bạn quản lý. Không có gì thay đổi.",
        EN: "There is no such staff member within your scope. Nothing was changed.",
    },
    "console.staff_already_revoked": {
        VI: "Người này đã bị thu hồi quyền từ trước.",
        EN: "This member was already revoked.",
    },
    "console.invite_title": {VI: "Tạo lời mời", EN: "Make an invitation"},
    "console.invite_explain": {
        VI: "Trưởng thôn: chọn thôn của họ. Cán bộ địa chính: làm việc với cả xã. Lời mời dùng "
        "được một lần, trong 72 giờ.",
        EN: "A village chief: choose their village. A land officer: works on the whole commune. "
        "An invitation works once, within 72 hours.",
    },
    "console.invite_role": {VI: "Mời làm", EN: "Invite as"},
    "console.invite_village": {VI: "Thôn (cho trưởng thôn)", EN: "Village (for a chief)"},
    "console.invite_choose": {VI: "— chọn thôn —", EN: "— choose the village —"},
    "console.invite_make": {VI: "Tạo đường dẫn mời", EN: "Make the invitation link"},
    "console.invite_made": {
        VI: "Đã tạo lời mời {role} — {place}.",
        EN: "Invitation made: {role} — {place}.",
    },
    "console.invite_for": {VI: "Lời mời {role} — {place}", EN: "Invitation: {role} — {place}"},
    "console.invite_send": {
        VI: "Gửi riêng đường dẫn này cho đúng người được mời, hoặc cho họ quét mã QR bằng "
        "camera điện thoại để mở Telegram. Dùng được một lần, hết hạn lúc {expires}.",
        EN: "Send this link privately to the one person invited, or let them scan the QR code "
        "with their phone's camera to open Telegram. It works once and expires at {expires}.",
    },
    "console.invite_once": {
        VI: "Đường dẫn chỉ hiện một lần trên trang này: hãy chép hoặc quét ngay.",
        EN: "The link is shown only once on this page: copy or scan it now.",
    },
    "console.invite_link": {VI: "Đường dẫn mời", EN: "Invitation link"},
    "console.invite_qr": {VI: "Mã QR của đường dẫn mời", EN: "The invitation link's QR code"},
    "console.invite_typed": {
        VI: "Hoặc người được mời gõ cho bot: /start {payload}",
        EN: "Or the person invited types to the bot: /start {payload}",
    },
    "console.invite_no_bot": {
        VI: "Chưa biết tên bot Telegram nên chưa tạo được đường dẫn t.me.",
        EN: "The Telegram bot's name is not known, so no t.me link can be made.",
    },
    "console.invite_bad_role": {
        VI: "Hãy chọn vai trò trong danh sách.",
        EN: "Choose a role from the list.",
    },
    "console.invite_choose_village": {
        VI: "Lời mời trưởng thôn cần chọn thôn của họ.",
        EN: "A chief's invitation needs their village.",
    },
    "console.invite_no_village": {
        VI: "Không tìm thấy thôn này. Hãy chọn thôn trong danh sách.",
        EN: "There is no such village. Choose one from the list.",
    },
    "console.invite_no_commune": {
        VI: "Không tìm thấy xã này. Hãy chọn xã trong danh sách.",
        EN: "There is no such commune. Choose one from the list.",
    },
    "console.invite_village_elsewhere": {
        VI: "Thôn này không thuộc {scope}: bạn chỉ mời được trưởng thôn cho các thôn của "
        "{scope}. Không có lời mời nào được tạo.",
        EN: "That village is not in {scope}: you can invite chiefs only for the villages of "
        "{scope}. No invitation was made.",
    },
    "console.invite_commune_elsewhere": {
        VI: "Xã này không thuộc {scope}: bạn chỉ mời được cán bộ địa chính cho {scope}. "
        "Không có lời mời nào được tạo.",
        EN: "That commune is not in {scope}: you can invite officers only for {scope}. "
        "No invitation was made.",
    },
    "console.invite_role_refused": {
        VI: "Bạn không được mời làm {role}: cán bộ địa chính mời trưởng thôn và cán bộ địa "
        "chính của xã mình; chỉ quản trị tỉnh mời được quản trị tỉnh. Không có lời mời nào "
        "được tạo.",
        EN: "You may not invite a {role}: land officers invite the chiefs and officers of "
        "their commune; only province administrators invite administrators. No invitation "
        "was made.",
    },
    "console.progress_title": {VI: "Tiến độ", EN: "Progress"},
    "console.progress_province": {VI: "Các xã của {province}", EN: "The communes of {province}"},
    "console.progress_villages": {VI: "Các thôn của {commune}", EN: "The villages of {commune}"},
    "console.progress_explain": {
        VI: "Đã nộp: trừ hồ sơ đã rút. Hôm nay, 7 ngày: hồ sơ nộp từ 0 giờ hôm nay và trong 7 "
        "ngày gần nhất (giờ Việt Nam). Chưa nộp: hộ trong danh sách mục tiêu chưa có hồ sơ "
        "(theo số CCCD hoặc tờ/thửa); bấm vào số để in danh sách cho trưởng thôn đi vận động.",
        EN: "Submitted: withdrawn ones left out. Today, 7 days: submitted since midnight and in "
        "the last 7 days (Vietnam time). Not yet: target households with no submission (by "
        "CCCD or sheet/parcel); click the number for a list to print for the chief's round.",
    },
    "console.progress_chart": {
        VI: "Biểu đồ: mục tiêu, đã nộp và đã tiếp nhận theo thôn",
        EN: "Chart: targets, submitted and accepted per village",
    },
    "console.figure_targets": {VI: "Mục tiêu", EN: "Targets"},
    "console.figure_submitted": {VI: "Đã nộp", EN: "Submitted"},
    "console.figure_complete": {VI: "Đủ giấy tờ", EN: "Complete"},
    "console.figure_needs_info": {VI: "Cần bổ sung", EN: "Needs info"},
    "console.figure_accepted": {VI: "Đã tiếp nhận", EN: "Accepted"},
    "console.figure_rejected": {VI: "Không tiếp nhận", EN: "Rejected"},
    "console.figure_today": {VI: "Hôm nay", EN: "Today"},
    "console.figure_week": {VI: "7 ngày", EN: "7 days"},
    "console.figure_missing": {VI: "Chưa nộp", EN: "Not yet"},
    "console.groups_title": {VI: "Thửa theo nhóm", EN: "Parcels by group"},
    "console.groups_explain": {
        VI: "Nhóm 1: đúng, đủ, sạch, sống; nhóm 2: đã có cơ sở dữ liệu, cần chỉnh lý; nhóm 3: "
        "chưa có cơ sở dữ liệu (theo cột group của danh sách mục tiêu). Lên nhóm 1: thửa nay ở "
        "nhóm 1 mà lần nhập đầu ở nhóm 2 hoặc 3.",
        EN: "Group 1: correct, complete, clean, live; group 2: in the database, needs "
        "refinement; group 3: no database yet (the target list's group column). Moved to 1: "
        "parcels now in group 1 first imported in group 2 or 3.",
    },
    "console.figure_group1": {VI: "Nhóm 1", EN: "Group 1"},
    "console.figure_group2": {VI: "Nhóm 2", EN: "Group 2"},
    "console.figure_group3": {VI: "Nhóm 3", EN: "Group 3"},
    "console.figure_moved_to_1": {VI: "Lên nhóm 1", EN: "Moved to 1"},
    "console.total_row": {VI: "Cả xã", EN: "Commune"},
    "console.missing_title": {
        VI: "{village}: hộ chưa nộp hồ sơ",
        EN: "{village}: households not yet submitted",
    },
    "console.missing_count": {VI: "{count} hộ chưa nộp", EN: "{count} households not yet"},
    "console.missing_note": {VI: "Ghi chú", EN: "Note"},
    "console.missing_more": {
        VI: "… và {count} hộ khác (lọc theo thôn nhỏ hơn để in hết).",
        EN: "… and {count} more.",
    },
    "console.missing_none": {
        VI: "Mọi hộ trong danh sách mục tiêu của thôn đã nộp hồ sơ.",
        EN: "Every household of the village's target list has submitted.",
    },
    "console.print": {VI: "In danh sách", EN: "Print"},
    "console.sections": {VI: "Các mục", EN: "Sections"},
    "console.nav_queue": {VI: "Hồ sơ", EN: "Queue"},
    "console.nav_progress": {VI: "Tiến độ", EN: "Progress"},
    "console.nav_posters": {VI: "Áp phích QR", EN: "QR posters"},
    "console.nav_staff": {VI: "Cán bộ", EN: "Staff"},
    "console.nav_audit": {VI: "Nhật ký", EN: "Audit log"},
    # --- the audit log ----------------------------------------------------------------------
    "console.audit_title": {VI: "Nhật ký hoạt động", EN: "Audit log"},
    "console.audit_scope": {
        VI: "Mọi việc đã ghi lại ở {commune}, mới nhất trước (giờ Việt Nam).",
        EN: "Everything recorded in {commune}, newest first (Vietnam time).",
    },
    "console.audit_chain_intact": {
        VI: "Chuỗi nhật ký nguyên vẹn: đã kiểm tra {count} sự kiện, không sự kiện nào bị sửa.",
        EN: "The audit chain is intact: {count} events checked, none altered.",
    },
    "console.audit_chain_edited": {
        VI: "Chuỗi nhật ký bị hỏng tại sự kiện #{id}{when}: nội dung sự kiện này đã bị sửa trong "
        "cơ sở dữ liệu. Hãy báo ngay cho quản trị tỉnh.",
        EN: "The audit chain is broken at event #{id}{when}: its content was altered in the "
        "database. Tell the province administrator now.",
    },
    "console.audit_chain_link": {
        VI: "Chuỗi nhật ký bị hỏng tại sự kiện #{id}{when}: sự kiện này không nối tiếp sự kiện "
        "ngay trước nó, tức là có sự kiện đã bị xóa hoặc bị đổi chỗ trong cơ sở dữ liệu. Hãy "
        "báo ngay cho quản trị tỉnh.",
        EN: "The audit chain is broken at event #{id}{when}: it does not follow the event "
        "before it, so an event was removed or moved in the database. Tell the province "
        "administrator now.",
    },
    "console.audit_chain_truncated": {
        VI: "Chuỗi nhật ký bị hỏng sau sự kiện #{id}{when}: các sự kiện mới nhất (đến #{head}) đã "
        "bị xóa khỏi cơ sở dữ liệu. Hãy báo ngay cho quản trị tỉnh.",
        EN: "The audit chain is broken after event #{id}{when}: the newest events (up to "
        "#{head}) were removed from the database. Tell the province administrator now.",
    },
    "console.audit_chain_head": {
        VI: "Chuỗi nhật ký bị hỏng sau sự kiện #{id}{when}: dấu niêm phong của đầu chuỗi không "
        "khớp, tức là đầu chuỗi đã bị lùi lại hoặc bị sửa và các sự kiện mới nhất có thể đã bị "
        "xóa. Hãy báo ngay cho quản trị tỉnh.",
        EN: "The audit chain is broken after event #{id}{when}: the head's seal does not match, "
        "so the head was moved back or rewritten and the newest events may have been removed. "
        "Tell the province administrator now.",
    },
    "console.audit_chain_unkeyed": {
        VI: "Chuỗi nhật ký ({count} sự kiện) không được bảo vệ bằng khóa nhật ký, nên có thể đã "
        "bị viết lại. Hãy báo ngay cho quản trị tỉnh (lệnh `hoso audit verify`).",
        EN: "The audit chain ({count} events) is not protected by the audit key, so it may have "
        "been rewritten. Tell the province administrator now (`hoso audit verify`).",
    },
    "console.audit_actor": {VI: "Người thực hiện", EN: "Actor"},
    "console.audit_anyone": {VI: "Tất cả", EN: "Anyone"},
    "console.audit_staff_unnamed": {VI: "Cán bộ ({id})", EN: "Staff member ({id})"},
    "console.audit_action": {VI: "Việc", EN: "Action"},
    "console.audit_any_action": {VI: "Mọi việc", EN: "Every action"},
    "console.audit_receipt": {VI: "Mã hồ sơ", EN: "Receipt"},
    "console.audit_receipt_hint": {VI: "VD: HP-7Q3K9", EN: "e.g. HP-7Q3K9"},
    "console.audit_total": {VI: "{count} sự kiện", EN: "{count} events"},
    "console.audit_empty": {
        VI: "Không có sự kiện nào khớp bộ lọc.",
        EN: "No event matches this filter.",
    },
    "console.audit_at": {VI: "Thời gian", EN: "Time"},
    "console.audit_note": {VI: "Ghi chú", EN: "Note"},
    "console.audit_data": {VI: "Chi tiết", EN: "Details"},
    "console.audit_csv": {VI: "Tải CSV", EN: "Download CSV"},
    "console.audit_csv_hint": {
        VI: "Tải đúng {count} sự kiện đang lọc, mọi trang (tối đa {limit}).",
        EN: "Downloads exactly the {count} events filtered, every page (at most {limit}).",
    },
    "console.audit_column_id": {VI: "Số sự kiện", EN: "Event"},
    "console.audit_column_at": {VI: "Thời gian (giờ Việt Nam)", EN: "Time (Vietnam)"},
    "console.audit_column_actor_kind": {VI: "Loại người thực hiện", EN: "Kind of actor"},
    "console.audit_column_actor": {VI: "Người thực hiện", EN: "Actor"},
    "console.audit_column_actor_id": {VI: "Mã người thực hiện", EN: "Actor id"},
    "console.audit_column_action": {VI: "Việc", EN: "Action"},
    "console.audit_column_action_code": {VI: "Mã việc", EN: "Action code"},
    "console.audit_column_receipt": {VI: "Mã hồ sơ", EN: "Receipt"},
    "console.audit_column_note": {VI: "Ghi chú", EN: "Note"},
    "console.audit_column_data": {VI: "Chi tiết (JSON)", EN: "Details (JSON)"},
    "console.audit_not_allowed": {
        VI: "Trưởng thôn không xem được nhật ký hoạt động: chỉ cán bộ địa chính của xã và "
        "quản trị tỉnh được xem.",
        EN: "Village chiefs cannot see the audit log: only the commune's land officers and "
        "province administrators can.",
    },
    "console.audit_bad_filter": {
        VI: "Bộ lọc nhật ký trong địa chỉ không đúng. Hãy mở lại trang Nhật ký.",
        EN: "The audit log's filter in the address is not valid. Open the audit log again.",
    },
    "console.audit_bad_action": {
        VI: "Không có việc này trong nhật ký. Hãy chọn một việc trong danh sách.",
        EN: "The log has no such action. Choose one from the list.",
    },
    "console.audit_bad_receipt": {
        VI: "Đây không phải mã hồ sơ. Mã hồ sơ có dạng HP-7Q3K9.",
        EN: "That is not a receipt code. A receipt code looks like HP-7Q3K9.",
    },
    "console.audit_bad_date": {
        VI: "Ngày không đúng. Hãy chọn ngày trong ô lịch (năm-tháng-ngày, VD 2025-03-31).",
        EN: "That day is not valid. Pick it in the date field (year-month-day, e.g. 2025-03-31).",
    },
    "console.audit_bad_page": {
        VI: "Không có trang {page}: bộ lọc này có {pages} trang.",
        EN: "There is no page {page}: this filter has {pages} pages.",
    },
    "console.audit_csv_nothing": {
        VI: "Không có sự kiện nào khớp bộ lọc nên không có gì để tải. Hãy đổi bộ lọc.",
        EN: "No event matches this filter, so there is nothing to download. Change the filter.",
    },
    "console.audit_csv_too_many": {
        VI: "Bộ lọc này có {count} sự kiện, quá {limit} cho một tệp CSV. Hãy lọc theo ngày "
        "hoặc theo việc rồi tải từng phần.",
        EN: "This filter has {count} events, more than {limit} for one CSV. Filter by days or "
        "by action and download it in parts.",
    },
    "console.bad_dates": {
        VI: "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.",
        EN: "The first day must come before (or be) the last day.",
    },
    "console.from": {VI: "Từ ngày", EN: "From"},
    "console.to": {VI: "Đến ngày", EN: "To"},
    # --- data-subject requests (intake/console/_requests.py) -----------------------------------
    "console.nav_requests": {VI: "Yêu cầu dữ liệu", EN: "Data requests"},
    "console.requests_title": {VI: "Yêu cầu dữ liệu", EN: "Data requests"},
    "console.requests_explain": {
        VI: "Người dân xin bản sao giấy tờ, thông tin hoặc yêu cầu sửa thông tin (Luật Bảo vệ "
        "dữ liệu cá nhân 2025). Xã phải xác nhận trong 2 ngày làm việc và làm xong trong 15 "
        "ngày; người dân được báo qua Telegram ở từng bước.",
        EN: "Residents ask for a copy of their documents and data or for a correction "
        "(Personal Data Protection Law 2025). The commune acknowledges within 2 working days "
        "and completes within 15 days; the resident is told in Telegram at each step.",
    },
    "console.requests_open": {VI: "Đang chờ xử lý ({count})", EN: "Open ({count})"},
    "console.requests_none": {
        VI: "Không có yêu cầu nào đang chờ.",
        EN: "No request is waiting.",
    },
    "console.requests_recent": {
        VI: "Đã xong trong 30 ngày qua",
        EN: "Completed in the last 30 days",
    },
    "console.requests_recent_none": {
        VI: "Chưa có yêu cầu nào xong trong 30 ngày qua.",
        EN: "No request was completed in the last 30 days.",
    },
    "console.requests_code": {VI: "Yêu cầu", EN: "Request"},
    "console.requests_received": {VI: "Nhận lúc", EN: "Received"},
    "console.requests_acknowledge_by": {VI: "Hạn xác nhận", EN: "Acknowledge by"},
    "console.requests_complete_by": {VI: "Hạn làm xong", EN: "Complete by"},
    "console.requests_what": {VI: "Nội dung", EN: "What was asked"},
    "console.requests_receipts": {VI: "Hồ sơ:", EN: "Submissions:"},
    "console.requests_answer": {VI: "Xử lý", EN: "Answer"},
    "console.requests_answered": {VI: "Trả lời của xã", EN: "The commune's answer"},
    "console.requests_acknowledge": {VI: "Xác nhận đã nhận", EN: "Acknowledge"},
    "console.requests_complete": {VI: "Đã xong…", EN: "Done…"},
    "console.requests_note": {
        VI: "Lời nhắn cho người dân (đã làm gì, nhận bản sao ở đâu)",
        EN: "Note for the resident (what was done, where to collect a copy)",
    },
    "console.requests_complete_send": {
        VI: "Báo người dân đã xong",
        EN: "Tell the resident it is done",
    },
    "console.requests_clock_running": {VI: "chậm nhất ngày {day}", EN: "by the end of {day}"},
    "console.requests_clock_due_today": {VI: "HÔM NAY ({day})", EN: "TODAY ({day})"},
    "console.requests_clock_overdue": {VI: "QUÁ HẠN (hạn {day})", EN: "OVERDUE (due {day})"},
    "console.requests_clock_met": {VI: "xong {done} (hạn {day})", EN: "done {done} (due {day})"},
    "console.requests_clock_met_late": {
        VI: "xong muộn {done} (hạn {day})",
        EN: "done late {done} (due {day})",
    },
    "console.requests_not_allowed": {
        VI: "Trưởng thôn không xem yêu cầu dữ liệu của người dân: việc này do cán bộ địa chính "
        "xã làm.",
        EN: "Village chiefs do not see residents' data requests: the commune's land officers "
        "handle them.",
    },
    "console.requests_acknowledged": {
        VI: "Đã xác nhận yêu cầu {code}; người dân đã được báo.",
        EN: "Request {code} acknowledged; the resident was told.",
    },
    "console.requests_completed": {
        VI: "Đã xong yêu cầu {code}; người dân đã được báo kèm lời nhắn.",
        EN: "Request {code} completed; the resident was told, with your note.",
    },
}
