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
        "/progress, /report — tiến độ các xã\n• /web — trang quản lý trên máy tính\n• /settings — "
        "ngôn ngữ\nMời cán bộ bằng lệnh dòng "
        "lệnh: hoso staff invite.",
        Language.EN: "Commands for province administrators:\n• /queue — choose a commune to see "
        "its queue\n• /progress, /report — the communes' progress\n• /web — the web console on "
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
}
