"""The quality verdict: each defect on a representative photo, clean photos accepted, and the
rules table by table."""

from __future__ import annotations

import dataclasses
import io

import numpy as np
import pytest
from PIL import Image

from intake.photos import (
    DEFAULT_LIMITS,
    FileKind,
    QualityIssue,
    QualityMetrics,
    SlotKind,
    Verdict,
    check_photo,
)
from intake.photos import thresholds as t
from intake.photos._opening import open_image, stored_region
from intake.photos._quality import judge
from tests.intake.photos import builders

CLEAN = [
    ("card_front", SlotKind.ID_CARD),
    ("card_back", SlotKind.ID_CARD),
    ("page", SlotKind.CERTIFICATE),
]
DEFECTS = [
    ("gauss_blur", 3.0, "card_front", QualityIssue.BLURRY),
    ("gauss_blur", 2.2, "page", QualityIssue.BLURRY),
    ("motion_blur", 9, "page", QualityIssue.BLURRY),
    ("dark", 0.2, "card_back", QualityIssue.TOO_DARK),
    ("overexposed", 2.4, "page", QualityIssue.OVEREXPOSED),
    ("glare", 0.14, "card_front", QualityIssue.GLARE),
    ("cut_corner", 0.12, "page", QualityIssue.CUT_OFF),
    ("cut_edge", 0.10, "card_front", QualityIssue.CUT_OFF),
    ("tiny", 260, "card_front", QualityIssue.TOO_SMALL),
    ("tiny", 380, "page", QualityIssue.TOO_SMALL),
    ("no_document", "objects", "none", QualityIssue.NO_DOCUMENT),
    ("no_document", "background", "none", QualityIssue.NO_DOCUMENT),
]


@pytest.mark.parametrize(("document", "slot"), CLEAN, ids=[c[0] for c in CLEAN])
def test_clean_photo_is_accepted(document: str, slot: SlotKind) -> None:
    check = check_photo(builders.document_photo("clean", 0, document), slot)
    assert check.verdict is Verdict.ACCEPTED, check.metrics
    assert check.issues == ()


@pytest.mark.parametrize(
    ("defect", "strength", "document", "issue"),
    DEFECTS,
    ids=[f"{d[0]}-{d[1]}-{d[2]}" for d in DEFECTS],
)
def test_defect_is_named(
    defect: str, strength: float | str, document: str, issue: QualityIssue
) -> None:
    slot = SlotKind.ID_CARD if document.startswith("card") else SlotKind.CERTIFICATE
    check = check_photo(builders.document_photo(defect, strength, document), slot)
    assert check.verdict is Verdict.RETAKE
    assert issue in check.issues, check.metrics


@pytest.mark.parametrize("orientation", [3, 6, 8])
def test_exif_orientation_is_applied_before_judging(orientation: int) -> None:
    upright = builders.document_photo("clean", 0, "card_front")
    image = Image.open(io.BytesIO(upright))
    turn = {
        3: Image.Transpose.ROTATE_180,
        6: Image.Transpose.ROTATE_90,
        8: Image.Transpose.ROTATE_270,
    }
    exif = Image.Exif()
    exif[0x0112] = orientation
    sideways = builders.encode(image.transpose(turn[orientation]), "JPEG", quality=92, exif=exif)
    reference, check = check_photo(upright), check_photo(sideways)
    assert (check.width, check.height, check.orientation) == (
        image.width,
        image.height,
        orientation,
    )
    assert check.metrics is not None
    assert reference.metrics is not None
    assert check.metrics.analysis_size == reference.metrics.analysis_size
    assert check.metrics.edge_contact == reference.metrics.edge_contact == 0
    assert check.issues == reference.issues == ()


# --- the rules, on measured values -------------------------------------------------------------

GOOD = QualityMetrics(
    analysis_size=(640, 480),
    sharpness=0.75,
    paper_level=215.0,
    blown_share=0.0,
    document_share=0.5,
    document_long_px=1000,
    edge_contact=0.0,
    text_share=0.35,
)
RULES = [
    ("good", {}, SlotKind.ID_CARD, ()),
    ("blurry", {"sharpness": t.MIN_SHARPNESS - 0.01}, SlotKind.ID_CARD, (QualityIssue.BLURRY,)),
    ("just-sharp", {"sharpness": t.MIN_SHARPNESS}, SlotKind.ID_CARD, ()),
    ("unmeasurable-sharpness", {"sharpness": None}, SlotKind.ID_CARD, ()),
    ("dark", {"paper_level": t.MIN_PAPER_LEVEL - 1}, SlotKind.ID_CARD, (QualityIssue.TOO_DARK,)),
    (
        "dark-and-soft",
        {"paper_level": 40.0, "sharpness": 0.2},
        SlotKind.ID_CARD,
        (QualityIssue.TOO_DARK,),
    ),
    ("glare", {"blown_share": t.GLARE_BLOWN_SHARE}, SlotKind.ID_CARD, (QualityIssue.GLARE,)),
    (
        "overexposed",
        {"blown_share": t.OVEREXPOSED_BLOWN_SHARE, "edge_contact": 0.3},
        SlotKind.ID_CARD,
        (QualityIssue.OVEREXPOSED,),
    ),
    (
        "cut-off",
        {"edge_contact": t.MAX_EDGE_CONTACT + 0.001},
        SlotKind.ID_CARD,
        (QualityIssue.CUT_OFF,),
    ),
    ("touching-nothing", {"edge_contact": t.MAX_EDGE_CONTACT}, SlotKind.ID_CARD, ()),
    (
        "small-card",
        {"document_long_px": t.MIN_CARD_PX - 1},
        SlotKind.ID_CARD,
        (QualityIssue.TOO_SMALL,),
    ),
    (
        "card-size-page",
        {"document_long_px": t.MIN_CARD_PX},
        SlotKind.CERTIFICATE,
        (QualityIssue.TOO_SMALL,),
    ),
    ("page", {"document_long_px": t.MIN_PAGE_PX}, SlotKind.CERTIFICATE, ()),
    (
        "no-text",
        {"text_share": t.MIN_TEXT_SHARE - 0.001, "edge_contact": 0.5},
        SlotKind.OTHER,
        (QualityIssue.NO_DOCUMENT,),
    ),
    (
        "no-text-soft",
        {"text_share": 0.0, "sharpness": 0.1},
        SlotKind.OTHER,
        (QualityIssue.NO_DOCUMENT, QualityIssue.BLURRY),
    ),
    (
        "no-text-dark",
        {"text_share": 0.0, "paper_level": 30.0},
        SlotKind.OTHER,
        (QualityIssue.NO_DOCUMENT, QualityIssue.TOO_DARK),
    ),
    (
        "blown-text",
        {"text_share": 0.0, "blown_share": 0.9},
        SlotKind.OTHER,
        (QualityIssue.OVEREXPOSED,),
    ),
    (
        "several",
        {"sharpness": 0.3, "edge_contact": 0.2, "document_long_px": 300},
        SlotKind.ID_CARD,
        (QualityIssue.BLURRY, QualityIssue.CUT_OFF, QualityIssue.TOO_SMALL),
    ),
]


@pytest.mark.parametrize(
    ("changes", "slot", "issues"), [r[1:] for r in RULES], ids=[r[0] for r in RULES]
)
def test_rules(
    changes: dict[str, object], slot: SlotKind, issues: tuple[QualityIssue, ...]
) -> None:
    assert judge(dataclasses.replace(GOOD, **changes), slot) == issues  # type: ignore[arg-type]


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_qr_region_maps_back_to_the_stored_pixels(orientation: int) -> None:
    upright = Image.open(io.BytesIO(builders.document_photo("qr", 150, "card_front"))).convert("L")
    turn = {
        3: Image.Transpose.ROTATE_180,
        6: Image.Transpose.ROTATE_90,
        8: Image.Transpose.ROTATE_270,
    }
    back = {
        3: Image.Transpose.ROTATE_180,
        6: Image.Transpose.ROTATE_270,
        8: Image.Transpose.ROTATE_90,
    }
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored = upright.transpose(turn[orientation]) if orientation in turn else upright
    data = builders.encode(stored, "PNG", exif=exif)  # lossless: pixels can be compared
    opened = open_image(data, FileKind.PNG, DEFAULT_LIMITS, want_qr=True)
    box = (100, 60, 700, 500)
    region = Image.fromarray(stored_region(opened, box, 0.0))
    if orientation in back:
        region = region.transpose(back[orientation])
    assert np.array_equal(np.asarray(region), np.asarray(upright.crop(box)))


@pytest.mark.parametrize("index", [0, 1, 4, 5])  # pages under the line (4 in 5 are)
def test_a_page_at_a_card_slot_is_not_a_card(index: int) -> None:
    check = check_photo(builders.document_photo("clean", 0, "page", index), SlotKind.ID_CARD)
    assert check.issues == (QualityIssue.NOT_A_CARD,)
    assert check.metrics is not None
    assert check.metrics.document_upright  # a page stands; its shape is under the card's
    assert (check.metrics.document_aspect or 0) < t.CARD_MIN_UPRIGHT_ASPECT


@pytest.mark.parametrize("document", ["card_front", "card_back"])
@pytest.mark.parametrize("index", range(4))
def test_cards_of_every_tilt_keep_the_shape_of_a_card(document: str, index: int) -> None:
    """The shape is measured whatever the card's rotation (the set tilts it by up to 7°)."""
    check = check_photo(builders.document_photo("clean", 0, document, index), SlotKind.ID_CARD)
    assert check.issues == ()
    assert check.metrics is not None
    assert not check.metrics.document_upright
    assert (check.metrics.document_aspect or 0) >= t.CARD_MIN_ASPECT


def test_a_chip_card_at_a_certificate_slot_is_not_a_page() -> None:
    front = builders.document_photo("clean", 0, "card_front")
    assert check_photo(front, SlotKind.CERTIFICATE).issues == (QualityIssue.NOT_A_PAGE,)
    assert check_photo(front, SlotKind.OTHER).issues == ()  # any paper goes in "other"


def test_the_shape_is_not_judged_on_a_photo_with_other_issues() -> None:
    cut = builders.document_photo("cut_edge", 0.10, "page")
    assert check_photo(cut, SlotKind.ID_CARD).issues == (QualityIssue.CUT_OFF,)
