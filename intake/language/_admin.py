"""What province admins read in Telegram (the commune list, the province's progress) and the
texts only their role sees."""

from __future__ import annotations

from intake.language._languages import Language

TEXTS: dict[str, dict[Language, str]] = {
    "role.admin": {
        Language.VI: "quản trị tỉnh",
        Language.EN: "province administrator",
    },
    "help.admin": {
        Language.VI: "Lệnh dành cho quản trị tỉnh:\n• /queue — chọn xã để xem hồ sơ\n• "
        "/requests — yêu cầu dữ liệu của người dân các xã\n• /progress, /report — tiến độ các "
        "xã\n• /web — trang quản lý trên máy tính\n• /settings — "
        "ngôn ngữ\nMời cán bộ bằng lệnh dòng "
        "lệnh: hoso staff invite.",
        Language.EN: "Commands for province administrators:\n• /queue — choose a commune to see "
        "its queue\n• /requests — the residents' data requests of every commune\n• /progress, "
        "/report — the communes' progress\n• /web — the web console on "
        "a computer\n• /settings — language\nInvite staff from the command line: hoso staff "
        "invite.",
    },
    "invite.admin_cli": {
        Language.VI: "Quản trị tỉnh mời cán bộ bằng lệnh: hoso staff invite --role officer "
        "--commune MÃ_XÃ",
        Language.EN: "Province administrators invite staff with: hoso staff invite --role "
        "officer --commune CODE",
    },
    "queue.pick_commune": {
        Language.VI: "Xem hồ sơ của xã nào?",
        Language.EN: "Which commune's queue?",
    },
    "progress.province": {
        Language.VI: "📊 Tiến độ các xã:\n{lines}",
        Language.EN: "📊 Progress by commune:\n{lines}",
    },
    "whosestaff.self": {
        Language.VI: "người nộp",
        Language.EN: "the resident who sent it",
    },
    "whosestaff.family": {
        Language.VI: "người thân của người nộp (hoặc hộ được nộp hộ)",
        Language.EN: "a family member of the sender (or the household helped)",
    },
    "pull.problem.missing": {
        Language.VI: "mất tệp trong kho",
        Language.EN: "file missing from the store",
    },
    "pull.problem.damaged": {
        Language.VI: "tệp trong kho bị hỏng",
        Language.EN: "file in the store is damaged",
    },
    "pull.problem.unavailable": {
        Language.VI: "tạm thời không lấy được tệp từ kho, hãy xuất lại sau",
        Language.EN: "document unavailable, try again later",
    },
    "pull.problem.wrong_key": {
        Language.VI: "không mở được bằng khóa đã mở khóa",
        Language.EN: "the unlocked key does not open it",
    },
    "pull.column.receipt": {Language.VI: "Mã hồ sơ", Language.EN: "Receipt"},
    "pull.column.state": {Language.VI: "Trạng thái", Language.EN: "State"},
    "pull.column.state_code": {Language.VI: "Mã trạng thái", Language.EN: "State code"},
    "pull.column.commune_code": {Language.VI: "Mã xã", Language.EN: "Commune code"},
    "pull.column.commune": {Language.VI: "Xã", Language.EN: "Commune"},
    "pull.column.village_code": {Language.VI: "Mã thôn", Language.EN: "Village code"},
    "pull.column.village": {Language.VI: "Thôn", Language.EN: "Village"},
    "pull.column.route": {Language.VI: "Phân thôn theo", Language.EN: "Village by"},
    "pull.column.holder": {
        Language.VI: "Họ tên người sử dụng đất",
        Language.EN: "Land user's name",
    },
    "pull.column.whose": {Language.VI: "Sổ đứng tên", Language.EN: "Certificate in the name of"},
    "pull.column.cccd": {Language.VI: "Số CCCD", Language.EN: "ID number (CCCD)"},
    "pull.column.phone": {Language.VI: "Số điện thoại", Language.EN: "Phone"},
    "pull.column.certificate": {Language.VI: "Tình trạng sổ", Language.EN: "Certificate"},
    "pull.column.certificate_code": {
        Language.VI: "Mã tình trạng sổ",
        Language.EN: "Certificate code",
    },
    "pull.column.serial": {Language.VI: "Số seri GCN", Language.EN: "Certificate serial"},
    "pull.column.map_sheet": {Language.VI: "Số tờ bản đồ", Language.EN: "Map sheet"},
    "pull.column.parcel": {Language.VI: "Số thửa", Language.EN: "Parcel number"},
    "pull.column.group": {Language.VI: "Nhóm thửa (1/2/3)", Language.EN: "Parcel group (1/2/3)"},
    "pull.column.submitted_at": {
        Language.VI: "Thời gian nộp (giờ Việt Nam)",
        Language.EN: "Sent at (Vietnam time)",
    },
    "pull.column.updated_at": {
        Language.VI: "Cập nhật lần cuối (giờ Việt Nam)",
        Language.EN: "Last change (Vietnam time)",
    },
    "pull.column.documents": {Language.VI: "Số tài liệu", Language.EN: "Documents"},
    "pull.column.missing": {Language.VI: "Còn thiếu", Language.EN: "Missing pages"},
    "pull.column.flags": {Language.VI: "Cần lưu ý", Language.EN: "Flags"},
    "pull.column.duplicates": {
        Language.VI: "Có thể trùng với hồ sơ",
        Language.EN: "Possibly the same as",
    },
    "pull.column.problems": {Language.VI: "Sự cố tệp", Language.EN: "File problems"},
    "pull.column.folder": {Language.VI: "Thư mục", Language.EN: "Folder"},
}
