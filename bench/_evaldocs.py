"""Synthetic documents for the photo evaluation set: CCCD-style cards and A4 certificate pages.

Everything is drawn with Pillow from random but plausible Vietnamese text; nothing is downloaded.
A card is drawn at 20 px/mm (1712 × 1080), a page at 200 dpi (1654 × 2339), so both keep their
text sharp after the photographing step scales them down.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import zxingcpp
from PIL import Image, ImageDraw, ImageFont

CARD_SIZE = (1712, 1080)
PAGE_SIZE = (1654, 2339)
_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))

FAMILY_NAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng")
MIDDLE_NAMES = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quang", "Xuân", "Kim")
GIVEN_NAMES = ("An", "Bình", "Cường", "Dũng", "Hà", "Hạnh", "Hùng", "Lan", "Mai", "Nam")
GIVEN_NAMES += ("Phúc", "Quyên", "Sơn", "Tâm", "Thảo", "Tuấn", "Việt", "Yến", "Đạt", "Hải")
PLACES = ("Xã Hòa Phú", "Xã Tân Lập", "Phường Bến Nghé", "Xã Quảng Điền", "Thị trấn Phú Lộc")
PLACES += ("Xã Nghĩa Hưng", "Xã Đồng Tâm", "Phường Hải Châu", "Xã Yên Thế", "Xã Thạch Hà")
PROVINCES = ("Hà Nội", "Hải Phòng", "Thanh Hóa", "Nghệ An", "Huế", "Đà Nẵng", "Quảng Ngãi")
PROVINCES += ("Đắk Lắk", "Lâm Đồng", "TP Hồ Chí Minh", "Cần Thơ", "An Giang", "Cà Mau")
WORDS = [
    "thửa",
    "đất",
    "số",
    "tờ",
    "bản",
    "đồ",
    "diện",
    "tích",
    "hình",
    "thức",
    "sử",
    "dụng",
    "riêng",
    "chung",
    "mục",
    "đích",
    "đất",
    "ở",
    "tại",
    "nông",
    "thôn",
    "thời",
    "hạn",
    "lâu",
    "dài",
    "nguồn",
    "gốc",
    "Nhà",
    "nước",
    "giao",
    "đất",
    "có",
    "thu",
    "tiền",
    "công",
    "nhận",
    "quyền",
    "tài",
    "sản",
    "gắn",
    "liền",
    "với",
    "nhà",
    "ở",
    "công",
    "trình",
    "xây",
    "dựng",
    "rừng",
    "sản",
    "xuất",
    "cây",
    "lâu",
    "năm",
    "ghi",
    "chú",
    "địa",
    "chỉ",
    "thôn",
    "xóm",
    "ấp",
    "bản",
    "người",
    "sử",
    "dụng",
    "chủ",
    "sở",
    "hữu",
    "năm",
    "sinh",
    "số",
    "định",
    "danh",
    "cá",
    "nhân",
    "thường",
    "trú",
    "những",
    "thay",
    "đổi",
    "sau",
    "khi",
    "cấp",
    "nội",
    "dung",
    "cơ",
    "sở",
    "pháp",
    "lý",
    "xác",
    "nhận",
    "của",
    "cơ",
    "quan",
    "có",
    "thẩm",
    "quyền",
    "chuyển",
    "nhượng",
    "thế",
    "chấp",
    "tặng",
    "cho",
    "thừa",
    "kế",
    "đăng",
    "ký",
    "biến",
    "động",
    "văn",
    "phòng",
    "chi",
    "nhánh",
    "Ủy",
    "ban",
    "nhân",
    "dân",
    "cấp",
    "huyện",
    "tỉnh",
    "thành",
    "phố",
]
# Province codes used for generated CCCD numbers (a subset of the 63 valid ones).
CCCD_PROVINCES = ("001", "031", "038", "040", "046", "048", "051", "066", "079", "092", "096")


@dataclass(frozen=True)
class Person:
    """The fields printed on a CCCD card and carried by its QR code."""

    number: str
    old_id: str
    name: str
    birth: str  # DDMMYYYY
    gender: str
    address: str
    issued: str  # DDMMYYYY

    def qr_text(self, extra_fields: int = 0) -> str:
        fields = [self.number, self.old_id, self.name, self.birth, self.gender]
        fields += [self.address, self.issued] + ["" for _ in range(extra_fields)]
        return "|".join(fields)


@functools.cache
def font(size: int, *, bold: bool = False, mono: bool = False) -> ImageFont.FreeTypeFont:
    """DejaVu (it has every Vietnamese glyph) when installed, else Pillow's default font."""
    name = "DejaVuSansMono" if mono else "DejaVuSans"
    name += "-Bold.ttf" if bold else ".ttf"
    for folder in _FONT_DIRS:
        if (folder / name).exists():
            return ImageFont.truetype(str(folder / name), size)
    return ImageFont.load_default(size)


def random_person(rng: np.random.Generator) -> Person:
    female = bool(rng.integers(2))
    year = int(rng.integers(1945, 2006))
    century_gender = (0 if year < 2000 else 2) + int(female)
    number = (
        f"{rng.choice(CCCD_PROVINCES)}{century_gender}{year % 100:02d}{rng.integers(10**6):06d}"
    )
    middle = "Thị" if female else str(rng.choice(MIDDLE_NAMES))
    name = f"{rng.choice(FAMILY_NAMES)} {middle} {rng.choice(GIVEN_NAMES)}"
    house = int(rng.integers(1, 400))
    address = (
        f"Số {house}, Thôn {rng.integers(1, 12)}, {rng.choice(PLACES)}, {rng.choice(PROVINCES)}"
    )
    old_id = f"{rng.integers(10**8, 10**9)}" if rng.random() < 0.6 else ""
    return Person(
        number=number,
        old_id=old_id,
        name=name,
        birth=f"{rng.integers(1, 29):02d}{rng.integers(1, 13):02d}{year}",
        gender="Nữ" if female else "Nam",
        address=address,
        issued=f"{rng.integers(1, 29):02d}{rng.integers(1, 13):02d}{rng.integers(2021, 2026)}",
    )


def qr_image(text: str, module_px: int) -> Image.Image:
    """A QR code (error correction M) with a 2-module quiet zone, `module_px` pixels per module."""
    code = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M")
    modules = np.asarray(code.to_image(scale=1, add_quiet_zones=False))
    modules = np.pad(modules, 2, constant_values=255)
    big = np.repeat(np.repeat(modules, module_px, axis=0), module_px, axis=1)
    return Image.fromarray(big).convert("RGB")


def sentence(rng: np.random.Generator, words: int) -> str:
    return " ".join(str(w) for w in rng.choice(WORDS, size=words))


def _emblem(draw: ImageDraw.ImageDraw, centre: tuple[int, int], radius: int) -> None:
    x, y = centre
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=(200, 30, 30))
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), outline=(230, 190, 40), width=6)
    r = radius * 0.55
    star = [
        (
            x + r * np.sin(k * np.pi / 5) * (1 if k % 2 == 0 else 0.4),
            y - r * np.cos(k * np.pi / 5) * (1 if k % 2 == 0 else 0.4),
        )
        for k in range(10)
    ]
    draw.polygon(star, fill=(250, 215, 60))


def _guilloche(draw: ImageDraw.ImageDraw, rng: np.random.Generator, size: tuple[int, int]) -> None:
    w, h = size
    xs = np.linspace(0, w, 200)
    for k in range(14):
        phase, amp = rng.uniform(0, 6.28), rng.uniform(20, 60)
        ys = h * (k + 0.5) / 14 + amp * np.sin(xs / rng.uniform(60, 160) + phase)
        draw.line(list(zip(xs.tolist(), ys.tolist(), strict=True)), fill=(200, 215, 230), width=3)


def render_card_front(rng: np.random.Generator, person: Person, qr_module_px: int) -> Image.Image:
    """A chip-CCCD-style card front with the QR code at the top right."""
    img = Image.new("RGB", CARD_SIZE, (230, 236, 242))
    draw = ImageDraw.Draw(img)
    _guilloche(draw, rng, CARD_SIZE)
    _emblem(draw, (150, 150), 100)
    draw.text(
        (330, 60),
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        fill=(25, 25, 60),
        font=font(40, bold=True),
    )
    draw.text((330, 115), "Độc lập - Tự do - Hạnh phúc", fill=(25, 25, 60), font=font(36))
    draw.text((330, 175), "CĂN CƯỚC CÔNG DÂN", fill=(200, 30, 30), font=font(60, bold=True))
    qr = qr_image(person.qr_text(), qr_module_px)
    img.paste(qr, (CARD_SIZE[0] - 60 - qr.width, 50))
    draw.rectangle((60, 330, 420, 800), fill=(170, 175, 185))
    draw.ellipse((150, 400, 330, 600), fill=(120, 100, 90))
    draw.rectangle((120, 620, 360, 800), fill=(60, 70, 90))
    dark, x = (20, 20, 30), 470
    number = " ".join((person.number[:3], person.number[3:6], person.number[6:]))
    draw.text((x, 300), "Số / No.:", fill=dark, font=font(34))
    draw.text((x + 190, 288), number, fill=(180, 20, 20), font=font(54, bold=True))
    draw.text((x, 380), "Họ và tên / Full name:", fill=dark, font=font(34))
    draw.text((x, 425), person.name.upper(), fill=dark, font=font(48, bold=True))
    birth = f"{person.birth[:2]}/{person.birth[2:4]}/{person.birth[4:]}"
    draw.text((x, 505), f"Ngày sinh / Date of birth: {birth}", fill=dark, font=font(36))
    line = f"Giới tính / Sex: {person.gender}     Quốc tịch / Nationality: Việt Nam"
    draw.text((x, 565), line, fill=dark, font=font(34))
    draw.text((x, 625), "Quê quán / Place of origin:", fill=dark, font=font(34))
    draw.text((x, 670), f"{rng.choice(PLACES)}, {rng.choice(PROVINCES)}", fill=dark, font=font(38))
    draw.text((x, 735), "Nơi thường trú / Place of residence:", fill=dark, font=font(34))
    draw.text((x, 780), person.address[:48], fill=dark, font=font(38))
    draw.text((x, 830), person.address[48:], fill=dark, font=font(38))
    draw.text((60, 900), "Có giá trị đến / Date of expiry:", fill=dark, font=font(32))
    draw.text((560, 900), f"{person.birth[:2]}/{person.birth[2:4]}/2060", fill=dark, font=font(32))
    return img


def render_card_back(rng: np.random.Generator, person: Person) -> Image.Image:
    """A card back: fingerprint boxes, issue details and a machine-readable zone."""
    img = Image.new("RGB", CARD_SIZE, (234, 234, 228))
    draw = ImageDraw.Draw(img)
    _guilloche(draw, rng, CARD_SIZE)
    dark = (20, 20, 30)
    draw.text((60, 60), "Đặc điểm nhân dạng / Personal identification:", fill=dark, font=font(34))
    draw.text((60, 110), sentence(rng, 6), fill=dark, font=font(36))
    for k, label in enumerate(("Ngón trỏ trái", "Ngón trỏ phải")):
        x0 = 980 + k * 350
        draw.rectangle((x0, 60, x0 + 300, 420), outline=dark, width=4)
        for r in range(10, 140, 14):
            draw.ellipse(
                (x0 + 150 - r, 240 - r * 1.2, x0 + 150 + r, 240 + r * 1.2), outline=(90, 90, 100)
            )
        draw.text((x0 + 20, 430), label, fill=dark, font=font(28))
    issued = f"{person.issued[:2]}/{person.issued[2:4]}/{person.issued[4:]}"
    draw.text((60, 200), f"Ngày, tháng, năm / Date: {issued}", fill=dark, font=font(36))
    draw.text((60, 260), "CỤC TRƯỞNG CỤC CẢNH SÁT", fill=dark, font=font(36, bold=True))
    draw.text(
        (60, 310), "QUẢN LÝ HÀNH CHÍNH VỀ TRẬT TỰ XÃ HỘI", fill=dark, font=font(36, bold=True)
    )
    draw.ellipse((120, 380, 420, 620), outline=(200, 40, 40), width=8)
    mrz = (
        f"IDVNM{person.number[3:]}{person.number}<<{rng.integers(10)}",
        f"{person.birth[6:]}{person.birth[2:4]}{person.birth[:2]}{rng.integers(10)}M2060{rng.integers(10)}VNM<<<<<<<<<<<{rng.integers(10)}",
        person.name.upper().replace(" ", "<<", 1).replace(" ", "<") + "<" * 12,
    )
    for k, line in enumerate(mrz):
        draw.text((60, 780 + k * 90), line[:30], fill=dark, font=font(60, mono=True))
    return img


def _centred(
    draw: ImageDraw.ImageDraw,
    y: int,
    text: str,
    fill: tuple[int, int, int],
    face: ImageFont.FreeTypeFont,
) -> None:
    draw.text(
        ((PAGE_SIZE[0] - draw.textlength(text, font=face)) / 2, y), text, fill=fill, font=face
    )


def render_page(rng: np.random.Generator, serial: str, code: str, with_qr: bool) -> Image.Image:
    """An A4 certificate page in the style of the 2024 GCN, with a QR at the top right."""
    paper = (244, 230, 226) if rng.random() < 0.5 else (242, 238, 228)
    img = Image.new("RGB", PAGE_SIZE, paper)
    draw = ImageDraw.Draw(img)
    w, h = PAGE_SIZE
    draw.rectangle((60, 60, w - 60, h - 60), outline=(170, 40, 40), width=10)
    draw.rectangle((85, 85, w - 85, h - 85), outline=(170, 40, 40), width=3)
    dark = (25, 20, 20)
    _centred(draw, 150, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", dark, font(42, bold=True))
    _centred(draw, 210, "Độc lập - Tự do - Hạnh phúc", dark, font(40))
    _emblem(draw, (w // 2, 420), 120)
    _centred(draw, 590, "GIẤY CHỨNG NHẬN", (190, 25, 25), font(96, bold=True))
    title = "QUYỀN SỬ DỤNG ĐẤT, QUYỀN SỞ HỮU TÀI SẢN GẮN LIỀN VỚI ĐẤT"
    _centred(draw, 720, title, (190, 25, 25), font(38, bold=True))
    if with_qr:
        qr = qr_image(f"{code}|{serial}|{rng.integers(10**6)}|{rng.integers(1, 99)}", 5)
        img.paste(qr, (w - 150 - qr.width, 130))
    y = 830
    for section in range(1, 5):
        draw.text(
            (150, y),
            f"{section}. {sentence(rng, 6).capitalize()}:",
            fill=dark,
            font=font(38, bold=True),
        )
        y += 62
        for _ in range(int(rng.integers(3, 6))):
            draw.text((200, y), sentence(rng, int(rng.integers(6, 10))), fill=dark, font=font(34))
            y += 54
        y += 20
    table_top = min(y + 10, h - 520)
    for row in range(6):
        yy = table_top + row * 60
        draw.line((150, yy, w - 150, yy), fill=dark, width=3)
        if row < 5:
            for col, x in enumerate((160, 560, 960, 1260)):
                draw.text((x, yy + 12), sentence(rng, 2 if col else 3), fill=dark, font=font(30))
    for x in (150, 550, 950, 1250, w - 150):
        draw.line((x, table_top, x, table_top + 300), fill=dark, width=3)
    draw.text((150, h - 200), f"Số vào sổ cấp GCN: {code}", fill=dark, font=font(36))
    draw.text((w - 600, h - 200), serial, fill=(190, 25, 25), font=font(56, bold=True))
    return img
