"""The public surface: what is exported, frozen results, PDF, and calls from many threads."""

from __future__ import annotations

import dataclasses
import io
from concurrent.futures import ThreadPoolExecutor

import pypdf
import pytest

import intake.photos
from intake.photos import (
    FileKind,
    PhotoCheck,
    QrStatus,
    SlotKind,
    Verdict,
    check_photo,
    prepare_document,
)
from tests.intake.photos import builders


def test_exported_members_are_public_and_documented() -> None:
    for name in intake.photos.__all__:
        member = getattr(intake.photos, name)
        assert not name.startswith("_")
        if callable(member):
            assert member.__doc__, name
    assert sorted(intake.photos.__all__) == sorted(set(intake.photos.__all__))


def test_results_are_frozen() -> None:
    check = check_photo(builders.jpeg())
    with pytest.raises(dataclasses.FrozenInstanceError):
        check.verdict = Verdict.ACCEPTED  # type: ignore[misc]


def test_pdf_is_a_document_of_its_own_kind() -> None:
    writer = pypdf.PdfWriter()
    for _ in range(3):
        writer.add_blank_page(595, 842)
    out = io.BytesIO()
    writer.write(out)
    check = check_photo(out.getvalue(), SlotKind.CERTIFICATE)
    assert check == PhotoCheck(kind=FileKind.PDF, verdict=Verdict.ACCEPTED, page_count=3)
    assert check.qr.status is QrStatus.NOT_SCANNED


def test_prepared_document_is_what_the_check_saw() -> None:
    data = builders.document_photo("clean", 0, "card_front")
    prepared = prepare_document(data, SlotKind.ID_CARD)
    assert prepared.check == check_photo(data, SlotKind.ID_CARD)
    assert prepared.media_type == "image/jpeg"
    assert prepared.data.startswith(b"\xff\xd8")
    assert len(prepared.data) < len(data)


def test_same_answers_from_many_threads() -> None:
    photos = [
        builders.document_photo("clean", 0, "card_front"),
        builders.document_photo("gauss_blur", 3.0, "card_front"),
        builders.document_photo("qr", 150, "card_front"),
        builders.planted_jpeg(),
    ] * 4
    alone = [prepare_document(p, SlotKind.ID_CARD) for p in photos]
    with ThreadPoolExecutor(4) as pool:
        together = list(pool.map(lambda p: prepare_document(p, SlotKind.ID_CARD), photos))
    assert together == alone
