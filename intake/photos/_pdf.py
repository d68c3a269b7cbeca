"""Scanned certificates sent as PDF: a page count, and a copy that keeps only the pages.

The copy is built page by page, so the document information, XMP metadata, document-level
scripts, open actions, attachments and forms of the original are left behind; each page loses
its annotations, actions and metadata, and every embedded JPEG its APPn and COM segments
(byte-level, as for photos).
"""

from __future__ import annotations

import io

import pypdf
from pypdf.generic import NameObject, StreamObject

from intake.photos._jpeg import read_jpeg, strip_jpeg
from intake.photos._model import DocumentRefused, Limits, RefusalReason

__all__ = ["read_pdf"]

_PAGE_EXTRAS = ("/AA", "/Annots", "/Metadata", "/PieceInfo", "/Thumb")


def read_pdf(data: bytes, limits: Limits, *, strip: bool) -> tuple[int, bytes | None]:
    """The page count and, if `strip`, the metadata-free copy; refusals are typed."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
        pages = _count_pages(reader, limits)
        return pages, _copy_pages(reader, limits) if strip else None
    except DocumentRefused:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on hostile input
        raise DocumentRefused(RefusalReason.CORRUPT, f"{type(exc).__name__}: {exc}") from None


def _count_pages(reader: pypdf.PdfReader, limits: Limits) -> int:
    if reader.is_encrypted and not reader.decrypt(""):
        raise DocumentRefused(RefusalReason.ENCRYPTED, "PDF needs a password")
    pages = len(reader.pages)
    if pages == 0:
        raise DocumentRefused(RefusalReason.CORRUPT, "PDF without pages")
    if pages > limits.max_pdf_pages:
        raise DocumentRefused(RefusalReason.TOO_MANY_PAGES, f"{pages} pages")
    return pages


def _copy_pages(reader: pypdf.PdfReader, limits: Limits) -> bytes:
    writer = pypdf.PdfWriter()
    for page in reader.pages:
        added = writer.add_page(page)
        for key in _PAGE_EXTRAS:
            added.pop(NameObject(key), None)
        _strip_images(added, limits)
    writer.metadata = None
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _strip_images(page: pypdf.PageObject, limits: Limits) -> None:
    resources = page.get("/Resources")
    xobjects = resources.get_object().get("/XObject") if resources is not None else None
    if xobjects is None:
        return
    for ref in xobjects.get_object().values():
        image = ref.get_object()
        if image.get("/Subtype") != "/Image" or image.get("/Filter") not in (
            "/DCTDecode",
            ["/DCTDecode"],
        ):
            continue
        raw = image._data  # the encoded JPEG bytes: pypdf's set_data would re-encode them
        try:
            stripped = strip_jpeg(raw, read_jpeg(raw, limits))
        except DocumentRefused:
            continue
        StreamObject.set_data(image, stripped)
