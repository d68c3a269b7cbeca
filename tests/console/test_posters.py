"""The village QR posters: the PDF rendered to an image by pdftoppm (Debian's poppler-utils), its QR
code read back (zxing-cpp) and found to be the village's deep link; every village in one PDF; a
village name too long for the page wraps inside the margins; a chief prints their own village's
only."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import update

from storage.models import Commune, Province, Village
from storage.states import StaffRole
from tests.fixtures.commune import join as join_staff
from tests.fixtures.console import installed_hoa_phu, signed_in
from tests.fixtures.world import World

PDFTOPPM = shutil.which("pdftoppm")
needs_pdftoppm = pytest.mark.skipif(
    PDFTOPPM is None,
    reason="no pdftoppm on the PATH: the poster test renders the PDF with Debian's poppler-utils "
    "(apt-get install poppler-utils; .ci/run installs it)",
)
LINK = re.compile(r"<code>(https://t\.me/[^<]+)</code>")
DPI = 150
LONG_NAME = (  # as long as a village's name may be (100 characters)
    "Buôn Ea Kmar Kmăng Hdơk Hwiêng Ea Sô Tơ Buôr Kă Thôn Mười Hai Ơi Dài "
    "Nguyễn Minh Tái Định Cư Số Ba A"
)


def page_images(pdf: bytes, folder: Path) -> list[Image.Image]:
    """Each page of the PDF as pdftoppm renders it (grey, DPI dots per inch)."""
    assert PDFTOPPM is not None
    folder.mkdir()
    (folder / "poster.pdf").write_bytes(pdf)
    subprocess.run(
        [PDFTOPPM, "-r", str(DPI), "-gray", "-png", str(folder / "poster.pdf"), str(folder / "p")],
        check=True,
        timeout=60,
    )
    return [Image.open(path).convert("L") for path in sorted(folder.glob("p-*.png"))]


def qr_text(image: Image.Image) -> str:
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1, found
    return str(found[0].text)


def ink_in_margins(image: Image.Image, millimetres: float = 10.0) -> bool:
    """Whether anything is printed within `millimetres` of the page's left, right or bottom
    edge."""
    strip = round(millimetres / 25.4 * DPI)
    width, height = image.size
    for box in (
        (0, 0, strip, height),
        (width - strip, 0, width, height),
        (0, height - strip, width, height),
    ):
        low, _ = image.crop(box).getextrema()
        if low < 200:
            return True
    return False


@needs_pdftoppm
async def test_a_village_poster_scans_to_its_link(world: World, tmp_path: Path) -> None:
    place = await installed_hoa_phu(world)
    thon_1, thon_2 = place.villages[0], place.villages[1]
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    async with world.deps.database.sessions.begin() as session:
        await session.execute(
            update(Village).where(Village.id == thon_2.id).values(name=LONG_NAME)
        )
    async with await signed_in(world, officer) as browser:
        status, page = await browser.get("/console/posters")
        assert status == 200
        links = LINK.findall(page)
        assert len(links) == len(place.villages)
        link = links[0]
        assert link.endswith(f"?start=v{thon_1.code}")

        async with browser.http.get(f"{browser.base}/console/posters/{thon_1.id}.pdf") as response:
            assert response.status == 200
            assert response.content_type == "application/pdf"
            pdf = await response.read()
        [image] = page_images(pdf, tmp_path / "one")
        assert qr_text(image) == link
        assert not ink_in_margins(image)
        text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
        for words in ("NỘP HỒ SƠ ĐẤT ĐAI", thon_1.name, "Xã Hòa Phú", "Thẻ căn cước (CCCD)"):
            assert words in text, words

        async with browser.http.get(f"{browser.base}/console/posters/all.pdf") as response:
            assert response.status == 200
            every = await response.read()
        images = page_images(every, tmp_path / "all")
        assert len(images) == len(place.villages)
        assert [qr_text(i) for i in images] == links
        long_page = images[1]  # the long name wraps, and stays inside the margins
        assert not ink_in_margins(long_page)
        text = PdfReader(io.BytesIO(every)).pages[1].extract_text()
        assert len(LONG_NAME) == 100
        assert LONG_NAME in " ".join(text.split())  # whole, over its lines

        status, page = await browser.get("/console/posters/99999.pdf")
        assert status == 404
        status, page = await browser.get("/console/posters/x.pdf")
        assert status == 404


async def test_a_chief_prints_their_own_village(world: World) -> None:
    place = await installed_hoa_phu(world)
    chief = await join_staff(world.deps, StaffRole.CHIEF, 7101, village="24175-01")
    async with await signed_in(world, chief) as browser:
        status, page = await browser.get("/console/posters")
        assert status == 200
        assert [link.rsplit("=v", 1)[1] for link in LINK.findall(page)] == ["24175-01"]
        status, _ = await browser.get(f"/console/posters/{place.villages[1].id}.pdf")
        assert status == 404
        async with browser.http.get(
            f"{browser.base}/console/posters/{place.villages[0].id}.pdf"
        ) as response:
            assert response.status == 200


@needs_pdftoppm
async def test_the_longest_names_stay_on_the_page(world: World, tmp_path: Path) -> None:
    place = await installed_hoa_phu(world)
    wide = ("MƯỜNG WÔM " * 10)[:100]  # capitals: the widest letters, the longest name
    async with world.deps.database.sessions.begin() as session:
        await session.execute(
            update(Village).where(Village.id == place.villages[0].id).values(name=wide)
        )
        await session.execute(
            update(Commune).where(Commune.id == place.commune.id).values(name=wide)
        )
        await session.execute(update(Province).where(Province.id == place.commune.province_id).values(name=wide))  # fmt: skip
    officer = await join_staff(world.deps, StaffRole.OFFICER, 7001, commune="24175")
    async with await signed_in(world, officer) as browser:
        status, page = await browser.get("/console/posters")
        link = LINK.findall(page)[0]
        async with browser.http.get(
            f"{browser.base}/console/posters/{place.villages[0].id}.pdf"
        ) as response:
            pdf = await response.read()
    [image] = page_images(pdf, tmp_path / "wide")
    assert qr_text(image) == link
    assert not ink_in_margins(image)  # left, right and bottom
    text = " ".join(PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())
    assert wide.strip() in text
    assert "chỉ cán bộ địa chính xã mở được" in text  # the last line is there
