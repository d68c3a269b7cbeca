"""The village QR posters as a printable A4 PDF (fpdf2): one page per village.

Each page, top to bottom: what it is for ("Nộp hồ sơ đất đai qua Telegram"), the village's name
as large as fits in two lines (from 44 pt down to 26 pt; a longer name wraps onto more lines),
the commune and province, the QR code of the village's deep link
(drawn as vector squares, so it prints sharp at any size) with the link written below it, three
short steps, what to bring, and that only the commune's land office can open the documents.
Nothing ever goes past the margins: each page is first drawn on a scratch document, and when
it would end below the bottom margin (a long name, long commune and province names) the QR
code is drawn smaller (100 mm down to 70 mm), then the name (down to 18 pt).

The poster is for the village's residents: it is always in Vietnamese, whatever the officer's
own language. The font is DejaVu Sans, shipped in console/fonts/ with its licence
(LICENSE-DejaVu.txt): it has every Vietnamese letter, which the PDF core fonts lack.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import as_file, files

import segno
from fpdf import FPDF
from fpdf.enums import Align, XPos, YPos

from intake.console import Poster
from intake.language import Language, render

__all__ = ["poster_pdf"]

_FONT = "DejaVu"
_PAGE_W, _MARGIN = 210.0, 16.0  # mm, A4 portrait
_WIDTH = _PAGE_W - 2 * _MARGIN
_BOTTOM = 297.0 - _MARGIN
_QR_SIZES = (100.0, 90.0, 80.0, 70.0)  # mm: scanned from a few steps away
_NAME_SIZES = (44, 40, 36, 32, 28, 26, 22, 18)  # pt
_INK = (18, 53, 91)  # the console's dark blue
_VI = Language.VI


def poster_pdf(posters: Sequence[Poster]) -> bytes:
    """The PDF, one A4 page per poster."""
    pdf, scratch = _document(), _document()
    for poster in posters:
        name_size, qr_size = _fitting(scratch, poster)
        pdf.add_page()
        _draw(pdf, poster, name_size, qr_size)
    return bytes(pdf.output())


def _document() -> FPDF:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_margins(_MARGIN, _MARGIN, _MARGIN)
    pdf.set_auto_page_break(auto=False)
    fonts = files("console") / "fonts"
    with (
        as_file(fonts / "DejaVuSans.ttf") as regular,
        as_file(fonts / "DejaVuSans-Bold.ttf") as bold,
    ):
        pdf.add_font(_FONT, "", str(regular))
        pdf.add_font(_FONT, "B", str(bold))
    pdf.set_title(render(_VI, "poster.title"))
    pdf.set_creator("hoso")
    return pdf


def _fitting(scratch: FPDF, poster: Poster) -> tuple[int, float]:
    """The name's size and the QR's that end the page above its bottom margin, drawn first on
    a scratch document: the name as large as fits in two lines with the largest QR, else a
    smaller QR, else a smaller name (a long name and long commune and province names)."""
    scratch.add_page()
    two_lines = next(
        (s for s in _NAME_SIZES if _lines(scratch, poster.village_name, s) <= 2), _NAME_SIZES[-1]
    )
    tries = [(two_lines, qr) for qr in _QR_SIZES]
    tries += [(size, _QR_SIZES[-1]) for size in _NAME_SIZES if size < two_lines]
    for name_size, qr_size in tries:
        scratch.add_page()
        if _draw(scratch, poster, name_size, qr_size) <= _BOTTOM:
            return name_size, qr_size
    return tries[-1]


def _draw(pdf: FPDF, poster: Poster, name_size: int, qr_size: float) -> float:
    """Draw the poster on the current page; where its text ends (mm from the top)."""
    pdf.set_text_color(*_INK)
    pdf.set_font(_FONT, "B", 18)
    _block(pdf, _WIDTH, 9, render(_VI, "poster.heading"), Align.C)
    pdf.ln(4)

    pdf.set_font(_FONT, "B", name_size)
    _block(pdf, _WIDTH, name_size * 0.45, poster.village_name, Align.C)
    pdf.ln(2)
    pdf.set_font(_FONT, "", 15)
    place = render(
        _VI, "poster.place", {"commune": poster.commune_name, "province": poster.province_name}
    )
    _block(pdf, _WIDTH, 7, place, Align.C)
    pdf.ln(5)

    _qr(pdf, poster.link, (_PAGE_W - qr_size) / 2, pdf.get_y(), qr_size)
    pdf.set_y(pdf.get_y() + qr_size + 2)
    pdf.set_text_color(0, 0, 0)
    pdf.set_font(_FONT, "", 11)
    _block(pdf, _WIDTH, 5, poster.link.removeprefix("https://"), Align.C)
    pdf.set_font(_FONT, "B", 13)
    _block(pdf, _WIDTH, 7, render(_VI, "poster.scan"), Align.C)
    pdf.ln(4)

    pdf.set_text_color(*_INK)
    for number in (1, 2, 3):
        pdf.set_font(_FONT, "B", 14)
        pdf.cell(10, 7, f"{number}.", new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.set_font(_FONT, "", 14)
        _block(pdf, _WIDTH - 10, 7, render(_VI, f"poster.step{number}"), Align.L)
        pdf.ln(1.5)
    pdf.ln(2)
    pdf.set_font(_FONT, "B", 14)
    _block(pdf, _WIDTH, 7, render(_VI, "poster.bring_title"), Align.L)
    pdf.set_font(_FONT, "", 14)
    _block(pdf, _WIDTH, 7, render(_VI, "poster.bring"), Align.L)
    pdf.ln(3)
    pdf.set_text_color(80, 80, 80)
    pdf.set_font(_FONT, "", 10.5)
    _block(pdf, _WIDTH, 5, render(_VI, "poster.privacy"), Align.C)
    return float(pdf.get_y())


def _block(pdf: FPDF, width: float, height: float, text: str, align: Align) -> None:
    """A block of text that wraps within `width`; the next one starts at the left margin."""
    pdf.multi_cell(width, height, text, align=align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _lines(pdf: FPDF, text: str, size: int) -> int:
    """How many lines `text` takes across the page in bold at `size` pt."""
    pdf.set_font(_FONT, "B", size)
    lines = pdf.multi_cell(_WIDTH, size * 0.45, text, dry_run=True, output="LINES")
    return len(lines) if isinstance(lines, list) else 1


def _qr(pdf: FPDF, link: str, x: float, y: float, size: float) -> None:
    """The link's QR code as filled squares, with its quiet zone inside `size`."""
    code = segno.make(link, error="m")
    border = 4  # modules of white around the code, as the standard asks
    rows = list(code.matrix)
    module = size / (len(rows) + 2 * border)
    pdf.set_fill_color(0, 0, 0)
    for r, row in enumerate(rows):
        c = 0
        while c < len(row):  # one rectangle per run of dark modules
            if not row[c]:
                c += 1
                continue
            start = c
            while c < len(row) and row[c]:
                c += 1
            pdf.rect(
                x + (border + start) * module,
                y + (border + r) * module,
                (c - start) * module,
                module * 1.02,  # a hair of overlap: no white seam between rows when printed
                style="F",
            )
