"""The resident flow, step by step, as tables: every step, button and wrong input."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import replace
from enum import StrEnum
from typing import Any

import pytest

from intake.chat import (
    Actor,
    Command,
    ContactShared,
    DocumentChecked,
    Event,
    KeyboardKind,
    LocationShared,
    Pressed,
    Reply,
    Text,
    Unsupported,
    Upload,
    UploadKind,
)
from intake.flow import (
    AcceptUpload,
    Context,
    Directory,
    DiscardDraft,
    DiscardUpload,
    Draft,
    Place,
    RecordConsent,
    SetLanguage,
    SlotState,
    SlotStatus,
    Step,
    SubmitDraft,
    Whose,
    step,
)
from intake.language import Language, render
from storage.states import CertificateStatus

ACTOR = Actor(user_id=42, chat_id=42, language_code="vi")
HOA_PHU = Place(1, "Xã Hòa Phú", "24175")
HOA_PHU_2 = Place(3, "Phường Hòa Phú", "99001")
KRONG_PAC = Place(2, "Xã Krông Pắc", "24490")
EA_KAR = Place(4, "Xã Ea Kar", "24500")  # imported, no commune key yet
VILLAGES = tuple(Place(100 + n, f"Thôn {n}", f"24175-{n:02d}") for n in range(1, 13))
DIRECTORY = Directory(
    "Tỉnh Đắk Lắk",
    (HOA_PHU, KRONG_PAC, HOA_PHU_2),
    {1: VILLAGES, 2: (Place(200, "Buôn Ea Na", "24490-01"),), 3: ()},
    closed=(EA_KAR,),
)
CTX = Context(DIRECTORY, Language.VI, consented=True)


def text(value: str) -> Text:
    return Text(ACTOR, 1, text=value)


def press(data: str) -> Pressed:
    return Pressed(ACTOR, 1, data=data, message_id=9, callback_id="cb")


def command(name: str, payload: str = "") -> Command:
    return Command(ACTOR, 1, name=name, payload=payload)


def upload(unique: str = "u1", *, size: int = 300_000, group: str | None = None) -> Upload:
    return Upload(
        ACTOR,
        1,
        kind=UploadKind.FILE,
        file_id=f"f-{unique}",
        file_unique_id=unique,
        file_size=size,
        message_id=77,
        media_group_id=group,
    )


def checked(slot: str, unique: str, ok: bool = True, **extra: object) -> DocumentChecked:
    return DocumentChecked(ACTOR, None, slot=slot, file_unique_id=unique, accepted=ok, **extra)  # type: ignore[arg-type]


def keys(replies: tuple[Reply, ...]) -> list[str]:
    return [reply.key for reply in replies]


def renders(replies: tuple[Reply, ...]) -> None:
    """Every reply renders in both languages (no missing key or placeholder)."""
    for reply in replies:
        for language in Language:
            assert render(language, reply.key, reply.params)
            if reply.keyboard is not None:
                for row in reply.keyboard.rows:
                    for button in row:
                        assert button.literal or render(language, button.text_key, button.params)


def at(step_: Step, **fields: object) -> Draft:
    """A draft at `step_` with everything before it answered."""
    base = Draft(
        step=step_,
        commune=HOA_PHU,
        village=VILLAGES[0],
        whose=Whose.SELF,
        holder_name="Nguyễn Văn An",
        cccd="066090012345",
        phone="0912345678",
        certificate_status=CertificateStatus.HELD,
        serial="AA 01234567",
        map_sheet="12",
        parcel_no="345",
    )
    order = [
        (Step.COMMUNE, {"commune": None, "village": None}),
        (Step.VILLAGE, {"village": None}),
        (Step.WHOSE, {"whose": None}),
        (Step.NAME, {"holder_name": None}),
        (Step.CCCD, {"cccd": None}),
        (Step.PHONE, {"phone": None}),
        (Step.CERT_STATUS, {"certificate_status": None, "serial": None}),
        (Step.SERIAL, {"serial": None}),
        (Step.MAP_SHEET, {"map_sheet": None}),
        (Step.PARCEL_NO, {"parcel_no": None}),
    ]
    cleared: dict[str, object] = {}
    reached = False
    for name, clear in order:
        reached = reached or name is step_
        if reached:
            cleared.update(clear)
    return replace(base, **cleared, **fields)  # type: ignore[arg-type]


def run(
    draft: Draft | None, event: Event, ctx: Context = CTX
) -> tuple[Draft | None, list[str], tuple[object, ...]]:
    result = step(draft, event, ctx)
    renders(result.replies)
    return result.draft, keys(result.replies), result.effects


# --- start, consent, global commands ---------------------------------------------------------


def test_start_without_consent_shows_the_notice() -> None:
    draft, replies, effects = run(None, command("start"), replace(CTX, consented=False))
    assert draft is not None
    assert draft.step is Step.CONSENT
    assert replies == ["start.welcome", "consent.notice"]
    assert effects == ()


def test_consent_yes_records_and_asks_commune() -> None:
    draft, replies, effects = run(
        Draft(Step.CONSENT), press("consent:yes"), replace(CTX, consented=False)
    )
    assert effects == (RecordConsent("2026-11"),)
    assert draft is not None
    assert draft.step is Step.COMMUNE
    assert replies == ["commune.ask"]


def test_consent_no_keeps_nothing() -> None:
    draft, replies, effects = run(Draft(Step.CONSENT), press("consent:no"))
    assert draft is None
    assert replies == ["consent.declined"]
    assert effects == (DiscardDraft(),)


@pytest.mark.parametrize(
    "event", [text("vâng"), upload(), press("v:101"), Unsupported(ACTOR, 1, what="sticker")]
)
def test_nothing_but_the_buttons_passes_consent(event: Event) -> None:
    draft, replies, effects = run(Draft(Step.CONSENT), event, replace(CTX, consented=False))
    assert draft == Draft(Step.CONSENT)
    assert replies[-1] == "consent.notice"
    assert effects == ()


def test_deep_link_skips_location() -> None:
    draft, replies, _ = run(None, command("start", "v24175-03"))
    assert draft is not None
    assert (draft.commune, draft.village) == (HOA_PHU, VILLAGES[2])
    assert draft.step is Step.WHOSE
    assert replies == ["start.welcome", "location.from_link", "whose.ask"]


@pytest.mark.parametrize("payload", ["v99999-99", "vx", "v" + "9" * 60])
def test_unknown_deep_link_is_said_and_falls_back_to_asking(payload: str) -> None:
    draft, replies, _ = run(None, command("start", payload))
    assert draft is not None
    assert draft.step is Step.COMMUNE
    assert replies == ["start.welcome", "location.link_unknown", "commune.ask"]


def test_deep_link_scanned_while_the_notice_is_open() -> None:
    open_notice = Draft(Step.CONSENT)
    linked, replies, _ = run(
        open_notice, command("start", "v24175-01"), replace(CTX, consented=False)
    )
    assert linked is not None
    assert linked.village == VILLAGES[0]
    agreed, replies, _ = run(linked, press("consent:yes"))
    assert replies == ["location.from_link", "whose.ask"]


def test_typed_village_name_and_typed_skip() -> None:
    draft, replies, _ = run(at(Step.VILLAGE), text("thon 10"))
    assert draft is not None
    assert draft.village == VILLAGES[9]
    ambiguous, replies, _ = run(at(Step.VILLAGE), text("thôn"))
    assert replies[0] == "answer.use_buttons"
    filled = {
        s: SlotState(SlotStatus.OK, s)
        for s in ("cccd_front", "cccd_back", "cert_cover", "cert_owner")
    }
    skipped, replies, _ = run(docs_with(filled), text("bỏ qua"))
    assert skipped is not None
    assert skipped.step is Step.REVIEW


def test_album_of_both_id_sides_at_the_name_question() -> None:
    first = step(at(Step.NAME), upload("f", group="g"), CTX)
    second = step(first.draft, upload("b", group="g"), CTX)
    assert second.effects == (AcceptUpload("cccd_back", upload("b", group="g")),)
    assert second.draft is not None
    assert second.draft.slots["cccd_front"].file_unique_id == "f"
    back_ok = step(second.draft, checked("cccd_back", "b"), CTX)
    assert back_ok.replies == ()


def test_spare_album_photos_are_answered_once() -> None:
    filled = {
        s: SlotState(SlotStatus.OK, s)
        for s in ("cccd_front", "cccd_back", "cert_cover", "cert_owner")
    }
    filled["cert_changes"] = SlotState(SlotStatus.CHECKING, "x")
    draft = docs_with(filled)
    once = step(draft, upload("s1", group="g9"), CTX)
    assert keys(once.replies) == ["docs.spare"]
    again = step(once.draft, upload("s2", group="g9"), CTX)
    assert again.replies == ()


def test_text_at_a_photo_step_asks_for_a_photo() -> None:
    assert run(docs(), text("ảnh đây"))[1] == [
        "docs.send_photo",
        "docs.checklist",
        "docs.ask.cccd_front",
    ]


@pytest.mark.parametrize("middle", [Step.NAME, Step.DOCUMENTS, Step.REVIEW, Step.VILLAGE])
def test_start_in_the_middle_offers_continue_or_over(middle: Step) -> None:
    draft, replies, _ = run(complete() if middle is Step.REVIEW else at(middle), command("start"))
    assert draft is not None
    assert draft.step is Step.RESTART_CONFIRM
    assert replies == ["restart.ask"]
    resumed, replies, effects = run(draft, press("restart:continue"))
    assert resumed is not None
    assert resumed.step is middle
    assert effects == ()
    fresh, replies, effects = run(draft, press("restart:over"))
    assert fresh is not None
    assert fresh.step is Step.COMMUNE
    assert fresh.holder_name is None
    assert effects == (DiscardDraft(),)


@pytest.mark.parametrize("middle", list(Step))
def test_cancel_anywhere_discards(middle: Step) -> None:
    draft, replies, effects = run(at(middle), command("cancel"))
    assert draft is None
    assert replies == ["cancel.done"]
    assert effects == (DiscardDraft(),)


def test_cancel_with_nothing_in_progress() -> None:
    assert run(None, command("cancel"))[1] == ["cancel.nothing"]


@pytest.mark.parametrize("middle", list(Step))
def test_help_and_language_keep_the_step(middle: Step) -> None:
    before = at(middle)
    draft, replies, _ = run(before, command("help"))
    assert draft == before
    assert replies[0] == "help.resident"
    draft, replies, _ = run(before, command("language"))
    assert replies == ["language.choose"]
    draft, replies, effects = run(before, press("lang:en"))
    assert draft == before
    assert effects == (SetLanguage(Language.EN),)
    assert replies[0] == "language.set"


def test_no_draft_gets_a_hint() -> None:
    for event in (text("xin chào"), upload(), Unsupported(ACTOR, 1, what="voice")):
        assert run(None, event)[1] == ["start.hint"]
    assert run(None, press("v:101"))[1] == ["button.expired"]
    assert run(None, press("submit"))[1] == []  # pressed twice: the receipt is on its way


def test_unknown_command_repeats_question() -> None:
    _, replies, _ = run(at(Step.CCCD), command("frobnicate"))
    assert replies == ["unknown.command", "cccd.ask"]


# --- location ---------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["Hòa Phú", "hoa phu", "xã hoà phú", "HOA PHU"])
def test_commune_search_is_accent_insensitive(typed: str) -> None:
    draft, replies, _ = run(at(Step.COMMUNE), text(typed))
    assert draft is not None
    # "Hòa Phú" names a commune and a ward: both are offered
    assert {c.id for c in draft.candidates} == {1, 3}
    assert replies == ["commune.pick"]
    chosen, replies, _ = run(draft, press("c:3"))
    assert chosen is not None
    assert chosen.commune == HOA_PHU_2


def test_single_commune_match_goes_to_villages() -> None:
    draft, replies, _ = run(at(Step.COMMUNE), text("krong pac"))
    assert draft is not None
    assert draft.commune == KRONG_PAC
    assert draft.step is Step.VILLAGE


@pytest.mark.parametrize(
    ("typed", "reply"), [("Hà Nội", "commune.not_found"), ("   ", "commune.not_found")]
)
def test_commune_not_found(typed: str, reply: str) -> None:
    draft, replies, _ = run(at(Step.COMMUNE), text(typed))
    assert replies[0] == reply
    assert draft is not None
    assert draft.step is Step.COMMUNE


def test_a_commune_not_on_the_channel_is_named_not_lost() -> None:
    result = step(at(Step.COMMUNE), text("ea kar"), CTX)
    said = result.replies[0]
    assert (said.key, said.params) == ("commune.not_receiving", {"commune": "Xã Ea Kar"})
    assert "chưa nhận hồ sơ qua kênh này" in render(Language.VI, said.key, said.params)
    assert result.draft is not None
    assert result.draft.step is Step.COMMUNE  # and it is never offered to choose
    assert DIRECTORY.search_communes("ea kar") == []


@pytest.mark.parametrize("data", ["c:2", "c:999", "c:abc", "v:101", "submit"])
def test_forged_commune_buttons_are_refused(data: str) -> None:
    candidates = at(Step.COMMUNE, candidates=(HOA_PHU, HOA_PHU_2))
    draft, replies, _ = run(candidates, press(data))
    assert draft == candidates
    assert replies[0] == "button.expired"


def test_village_pages_and_choice() -> None:
    start = at(Step.VILLAGE)
    first = step(start, text("x"), CTX)
    assert first.replies[0].key == "answer.use_buttons"
    page_one = step(start, press("vp:1"), CTX)
    assert page_one.draft is not None
    village_buttons = [
        b.literal for row in page_one.replies[-1].keyboard.rows for b in row if b.literal
    ]  # type: ignore[union-attr]
    assert village_buttons == ["Thôn 9", "Thôn 10", "Thôn 11", "Thôn 12"]
    chosen, replies, _ = run(page_one.draft, press("v:110"))
    assert chosen is not None
    assert chosen.village == VILLAGES[9]
    assert chosen.step is Step.WHOSE


@pytest.mark.parametrize("data", ["v:200", "v:99999", "v:", "vp:x"])
def test_forged_or_foreign_village_refused(data: str) -> None:
    draft, replies, _ = run(at(Step.VILLAGE), press(data))
    assert draft is not None
    assert draft.village is None
    assert replies[0] == "button.expired"


def test_village_unknown_goes_to_triage_and_other_commune_goes_back() -> None:
    draft, replies, _ = run(at(Step.VILLAGE), press("v:unknown"))
    assert draft is not None
    assert draft.triage
    assert replies == ["village.triage", "whose.ask"]
    back, replies, _ = run(at(Step.VILLAGE), press("c:change"))
    assert back is not None
    assert back.commune is None
    assert back.step is Step.COMMUNE


# --- whose, name, CCCD, QR, phone ------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "whose"),
    [("Tên tôi", Whose.SELF), ("Mine", Whose.SELF), ("người thân trong gia đình", Whose.FAMILY)],
)
def test_whose(typed: str, whose: Whose) -> None:
    draft, replies, _ = run(at(Step.WHOSE), text(typed))
    assert draft is not None
    assert draft.whose is whose
    assert replies == ["name.ask.self" if whose is Whose.SELF else "name.ask.family"]


def test_whose_rejects_anything_else() -> None:
    assert run(at(Step.WHOSE), text("của ông bà"))[1] == ["answer.use_buttons", "whose.ask"]


@pytest.mark.parametrize("name", ["Nguyễn Văn An", "H'Hen Niê", "  Trần   Thị Bình ", "Y Ni Ksor"])
def test_valid_names(name: str) -> None:
    draft, replies, _ = run(at(Step.NAME), text(name))
    assert draft is not None
    assert draft.holder_name == " ".join(name.split())
    assert replies == ["cccd.ask"]


@pytest.mark.parametrize("name", ["An", "A", "Nguyễn 123", "😀 😀", "x" * 120, "Văn_An Bình"])
def test_invalid_names(name: str) -> None:
    draft, replies, _ = run(at(Step.NAME), text(name))
    assert replies[0] == "name.invalid"
    assert draft is not None
    assert draft.holder_name is None


@pytest.mark.parametrize(
    ("typed", "reply"),
    [
        ("12345", "cccd.invalid.not_12_digits"),
        ("003090012345", "cccd.invalid.unknown_province"),
        ("066490012345", "cccd.invalid.bad_century"),
        ("066299012345", "cccd.invalid.implausible_birth_year"),
    ],
)
def test_invalid_cccd(typed: str, reply: str) -> None:
    draft, replies, _ = run(at(Step.CCCD), text(typed))
    assert replies == [reply, "cccd.ask"]
    assert draft is not None
    assert draft.cccd is None


def test_valid_cccd_goes_to_phone() -> None:
    draft, replies, _ = run(at(Step.CCCD), text("066 090 012 345"))
    assert draft is not None
    assert draft.cccd == "066090012345"
    assert replies == ["phone.ask"]


def test_id_photo_with_qr_is_confirmed_or_typed() -> None:
    draft, replies, effects = run(at(Step.NAME), upload("id1"))
    assert replies == ["cccd.photo_checking"]
    assert isinstance(effects[0], AcceptUpload)
    assert effects[0].slot == "cccd_front"
    assert draft is not None
    verdict = checked("cccd_front", "id1", qr_name="Nguyễn Văn An", qr_cccd="066090012345")
    confirm, replies, _ = run(draft, verdict)
    assert confirm is not None
    assert confirm.step is Step.QR_CONFIRM
    assert replies == ["qr.confirm"]
    yes, replies, _ = run(confirm, press("qr:yes"))
    assert yes is not None
    assert (yes.holder_name, yes.cccd, yes.step) == ("Nguyễn Văn An", "066090012345", Step.PHONE)
    assert yes.slots["cccd_front"].status is SlotStatus.OK
    no, replies, _ = run(confirm, press("qr:no"))
    assert no is not None
    assert (no.holder_name, no.step) == (None, Step.NAME)


def test_id_photo_without_qr_or_refused() -> None:
    draft = step(at(Step.NAME), upload("id1"), CTX).draft
    no_qr, replies, _ = run(draft, checked("cccd_front", "id1"))
    assert replies == ["cccd.photo_ok_no_qr", "name.ask.self"]
    refused, replies, _ = run(draft, checked("cccd_front", "id1", ok=False, issues=("blurry",)))
    assert replies == ["photo.retake", "name.ask.self"]
    assert refused is not None
    assert refused.slots["cccd_front"] == SlotState(SlotStatus.EMPTY, None, ("blurry",))


def test_phone_by_contact_typed_or_skipped() -> None:
    shared, _, _ = run(
        at(Step.PHONE), ContactShared(ACTOR, 1, phone="+84 912 345 678", contact_user_id=42)
    )
    assert shared is not None
    assert shared.phone == "+84912345678"
    typed, _, _ = run(at(Step.PHONE), text("0912.345.678"))
    assert typed is not None
    assert typed.phone == "0912345678"
    skipped, replies, _ = run(at(Step.PHONE), text("Bỏ qua"))
    assert skipped is not None
    assert skipped.phone == ""
    assert replies == ["cert.ask"]
    assert run(at(Step.PHONE), text("gọi tôi"))[1] == ["phone.invalid", "phone.ask"]


# --- certificate ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "status", "next_step"),
    [
        ("Tôi đang giữ sổ", CertificateStatus.HELD, Step.SERIAL),
        ("Sổ đang thế chấp ở ngân hàng", CertificateStatus.AT_BANK, Step.MAP_SHEET),
        ("It is lost", CertificateStatus.LOST, Step.MAP_SHEET),
        ("Chưa được cấp sổ", CertificateStatus.NEVER_ISSUED, Step.MAP_SHEET),
    ],
)
def test_certificate_status(typed: str, status: CertificateStatus, next_step: Step) -> None:
    draft, _, _ = run(at(Step.CERT_STATUS), text(typed))
    assert draft is not None
    assert (draft.certificate_status, draft.step) == (status, next_step)


def test_serial_and_numbers() -> None:
    assert run(at(Step.SERIAL), text("??"))[1] == ["serial.invalid", "serial.ask"]
    draft, _, _ = run(at(Step.SERIAL), text("cs  012345"))
    assert draft is not None
    assert draft.serial == "CS 012345"
    sheet, _, _ = run(at(Step.MAP_SHEET), text("12"))
    assert sheet is not None
    assert (sheet.map_sheet, sheet.step) == ("12", Step.PARCEL_NO)
    unknown, _, _ = run(at(Step.MAP_SHEET), text("Tôi không biết"))
    assert unknown is not None
    assert unknown.map_sheet == ""
    # the serial has the same way out (the officer's card flags it), typed or pressed
    for words in ("Tôi không biết", "không biết", "khong biet", "I don't know"):
        no_serial, replies, _ = run(at(Step.SERIAL), text(words))
        assert no_serial is not None, words
        assert (no_serial.serial, no_serial.step) == ("", Step.MAP_SHEET)
        assert replies == ["map_sheet.ask"]
    asked = step(at(Step.SERIAL), text("??"), CTX).replies[-1]
    assert asked.key == "serial.ask"
    assert asked.keyboard is not None
    assert [b.text_key for row in asked.keyboard.rows for b in row] == ["answer.dont_know"]
    assert run(at(Step.PARCEL_NO), text("thửa số #"))[1] == ["parcel_no.invalid", "parcel_no.ask"]
    parcel, replies, _ = run(at(Step.PARCEL_NO), text("345"))
    assert parcel is not None
    assert parcel.step is Step.DOCUMENTS
    assert replies == ["docs.checklist", "docs.ask.cccd_front"]


# --- documents ---------------------------------------------------------------------------------


def docs_with(slots: dict[str, SlotState]) -> Draft:
    return replace(docs(), slots=slots)


def docs(status: CertificateStatus = CertificateStatus.HELD) -> Draft:
    return at(
        Step.DOCUMENTS,
        certificate_status=status,
        serial="AA 01234567" if status is CertificateStatus.HELD else None,
    )


def test_photos_fill_slots_in_order_and_verdicts_move_on() -> None:
    draft = docs()
    for n, slot in enumerate(["cccd_front", "cccd_back", "cert_cover", "cert_owner"]):
        result = step(draft, upload(f"p{n}"), CTX)
        assert result.effects == (AcceptUpload(slot, upload(f"p{n}")),)
        draft = result.draft  # type: ignore[assignment]
        assert draft.slots[slot].status is SlotStatus.CHECKING
    for n, slot in enumerate(["cccd_front", "cccd_back", "cert_cover", "cert_owner"]):
        result = step(draft, checked(slot, f"p{n}"), CTX)
        draft = result.draft  # type: ignore[assignment]
    assert draft.step is Step.DOCUMENTS
    assert keys(result.replies) == ["docs.checklist", "docs.ask.cert_changes"]
    skipped, replies, _ = run(draft, press("skip:cert_changes"))
    assert skipped is not None
    assert skipped.step is Step.REVIEW
    assert replies == ["docs.checklist", "review.summary"]


def test_album_replies_only_with_the_checklist() -> None:
    result = step(docs(), upload("a1", group="g1"), CTX)
    assert keys(result.replies) == ["docs.checklist"]
    assert result.replies[0].remember_as == "checklist"


def test_refused_photo_asks_for_a_retake_of_that_slot() -> None:
    draft = step(docs(), upload("p0"), CTX).draft
    draft, replies, _ = run(draft, checked("cccd_front", "p0", ok=False, issues=("too_small",)))
    assert replies == ["docs.checklist", "photo.retake", "docs.ask.cccd_front"]
    retaken = step(draft, upload("p1"), CTX)
    assert retaken.effects == (AcceptUpload("cccd_front", upload("p1")),)


def test_same_photo_twice_and_too_big() -> None:
    draft = step(docs(), upload("p0"), CTX).draft
    again, replies, effects = run(draft, upload("p0"))
    assert replies[0] == "photo.duplicate"
    assert effects == ()
    big, replies, effects = run(docs(), upload("big", size=25 * 1024 * 1024))
    assert replies[0] == "photo.too_big"
    assert effects == ()


def test_required_slots_cannot_be_skipped_and_stale_verdicts_are_ignored() -> None:
    draft, replies, _ = run(docs(), press("skip:cccd_front"))
    assert replies[0] == "button.expired"
    stale = step(docs(), checked("cccd_front", "nope"), CTX)
    assert stale.draft == docs()
    assert stale.replies == ()


@pytest.mark.parametrize(
    ("status", "slots"),
    [
        (CertificateStatus.AT_BANK, ["cccd_front", "cccd_back", "bank_receipt"]),
        (CertificateStatus.LOST, ["cccd_front", "cccd_back", "other_paper"]),
    ],
)
def test_bank_and_lost_need_no_certificate_photos(
    status: CertificateStatus, slots: list[str]
) -> None:
    draft = docs(status)
    for n in range(2):
        draft = step(draft, upload(f"p{n}"), CTX).draft  # type: ignore[assignment]
        draft = step(draft, checked(slots[n], f"p{n}"), CTX).draft  # type: ignore[assignment]
    assert draft.step is Step.DOCUMENTS
    done, _, _ = run(draft, press(f"skip:{slots[2]}"))
    assert done is not None
    assert done.step is Step.REVIEW


@pytest.mark.parametrize(
    "event",
    [
        LocationShared(ACTOR, 1, latitude=12.7, longitude=108.1),
        Unsupported(ACTOR, 1, what="voice"),
        ContactShared(ACTOR, 1, phone="0912345678", contact_user_id=42),
        press("consent:yes"),
    ],
)
def test_documents_step_explains_what_it_wants(event: Event) -> None:
    draft, replies, effects = run(docs(), event)
    assert draft == docs()
    assert replies[-2:] == ["docs.checklist", "docs.ask.cccd_front"]
    assert effects == ()


# --- review and submit ----------------------------------------------------------------------


def complete() -> Draft:
    slots = {
        s: SlotState(SlotStatus.OK, s)
        for s in ("cccd_front", "cccd_back", "cert_cover", "cert_owner")
    }
    slots["cert_changes"] = SlotState(SlotStatus.SKIPPED)
    return at(Step.REVIEW, slots=slots)


def test_submit() -> None:
    draft, replies, effects = run(complete(), press("submit"))
    assert draft is None
    assert replies == []  # the receipt comes through the outbox
    assert effects == (SubmitDraft(complete()),)


def test_a_page_is_replaced_from_the_summary() -> None:
    summary = step(complete(), text("?"), CTX).replies[-1]
    assert summary.key == "review.summary"
    assert summary.keyboard is not None
    assert "review.replace_page" in [b.text_key for row in summary.keyboard.rows for b in row]
    menu = step(complete(), press("edit:photos"), CTX)
    assert menu.draft == complete()
    [which] = menu.replies
    assert which.key == "review.which_page"
    assert which.keyboard is not None
    assert [b.data for row in which.keyboard.rows for b in row] == [
        "rp:cccd_front",
        "rp:cccd_back",
        "rp:cert_cover",
        "rp:cert_owner",
    ]  # the pages sent; not the skipped one
    again, replies, effects = run(complete(), press("rp:cert_owner"))
    assert again is not None
    assert again.step is Step.DOCUMENTS
    assert "cert_owner" not in again.slots
    assert replies[-1] == "docs.ask.cert_owner"
    assert effects == (DiscardUpload("cert_owner"),)
    # a forged or stale page is refused, nothing changes
    for forged in ("rp:cert_changes", "rp:nonsense", "rp:" + "x" * 40):
        kept, replies, effects = run(complete(), press(forged))
        assert kept == complete()
        assert replies[0] == "button.expired"
        assert effects == ()


def test_edit_person_goes_back_and_returns_to_review() -> None:
    edited, replies, _ = run(complete(), press("edit:person"))
    assert edited is not None
    assert edited.step is Step.WHOSE
    for event in (text("Tên tôi"), text("Trần Thị Bình"), text("066190012345"), text("Bỏ qua")):
        edited = step(edited, event, CTX).draft  # type: ignore[assignment]
    assert edited.step is Step.REVIEW
    assert edited.holder_name == "Trần Thị Bình"


def test_edit_certificate_drops_certificate_photos() -> None:
    edited, _, effects = run(complete(), press("edit:cert"))
    assert edited is not None
    assert edited.step is Step.CERT_STATUS
    assert set(edited.slots) == {"cccd_front", "cccd_back"}
    assert set(effects) == {DiscardUpload("cert_cover"), DiscardUpload("cert_owner")}
    bank, _, effects = run(edited, text("Sổ đang thế chấp ở ngân hàng"))
    assert bank is not None
    assert bank.step is Step.MAP_SHEET


def test_edit_location() -> None:
    edited, replies, _ = run(complete(), press("edit:location"))
    assert edited is not None
    assert edited.step is Step.VILLAGE  # the commune is kept; "another commune" changes it
    assert edited.holder_name == "Nguyễn Văn An"
    # the village chosen is marked, on its page
    chosen = replace(complete(), village=VILLAGES[9])
    asked = step(chosen, press("edit:location"), CTX)
    assert asked.draft is not None
    assert asked.draft.village_page == 1
    keyboard = asked.replies[-1].keyboard
    assert keyboard is not None
    labels = [b.literal for row in keyboard.rows for b in row if b.literal]
    assert "✅ Thôn 10" in labels
    assert "Thôn 9" in labels
    # "I don't know the village" forgets the one chosen
    unknown, _, _ = run(asked.draft, press("v:unknown"))
    assert unknown is not None
    assert (unknown.village, unknown.triage) == (None, True)


@pytest.mark.parametrize(
    "old",
    [
        "consent:yes",
        "c:1",
        "v:101",
        "qr:yes",
        "skip:cert_changes",
        "restart:over",
        "lang:fr",
        "x" * 64,
    ],
)
def test_old_or_forged_buttons_at_review(old: str) -> None:
    draft, replies, effects = run(complete(), press(old))
    assert draft == complete()
    assert replies[0] == "button.expired"
    assert effects == ()


def test_every_step_survives_every_kind_of_input() -> None:
    events: list[Event] = [
        text(""),
        text("x" * 5000),
        text("Tôi đang giữ sổ"),
        upload("z"),
        press("zzz"),
        press(""),
        command("start"),
        command("help"),
        ContactShared(ACTOR, 1, phone="123", contact_user_id=7),
        LocationShared(ACTOR, 1, latitude=0, longitude=0),
        Unsupported(ACTOR, 1, what="sticker"),
        checked("cccd_back", "zz"),
    ]
    for current in Step:
        for event in events:
            result = step(at(current), event, CTX)
            renders(result.replies)
            if result.draft is not None:
                assert Draft.from_json(result.draft.to_json()) == result.draft


def test_draft_json_round_trip() -> None:
    draft = replace(complete(), candidates=(HOA_PHU,), qr_name="A B", checklist_message_id=5)
    assert Draft.from_json(draft.to_json()) == draft


def test_draft_json_keeps_the_shape_of_stored_drafts() -> None:
    """Drafts were stored as `dataclasses.asdict` gave them; the same fields, values and types
    come out now, so a stored draft and a new one read alike."""
    draft = replace(
        complete(),
        candidates=(HOA_PHU,),
        qr_name="A B",
        checklist_message_id=5,
        resume_step=Step.PHONE,
        slots={
            **complete().slots,
            "cert_changes": SlotState(SlotStatus.EMPTY, None, ("blurry", "dark")),
        },
    )

    def asdict_shape(value: Any) -> Any:
        if isinstance(value, dict):
            return {str(k): asdict_shape(v) for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [asdict_shape(v) for v in value]
        return value.value if isinstance(value, StrEnum) else value

    expected = asdict_shape(dataclasses.asdict(draft))
    assert draft.to_json() == expected
    assert json.dumps(draft.to_json()) == json.dumps(expected)


def test_keyboards_are_big_reply_buttons_for_few_answers() -> None:
    result = step(at(Step.WHOSE), command("help"), CTX)
    assert result.replies[-1].keyboard is not None
    assert result.replies[-1].keyboard.kind is KeyboardKind.REPLY


def test_changing_commune_after_photos_asks_for_them_again() -> None:
    with_photo = step(docs(), upload("p0"), CTX).draft
    assert with_photo is not None
    assert with_photo.sealed_for == HOA_PHU.id
    relocated = replace(with_photo, step=Step.COMMUNE, commune=None, village=None)
    moved, replies, effects = run(relocated, text("Krông Pắc"))
    assert effects == (DiscardUpload("p0"),)
    assert replies[0] == "docs.resend_other_commune"
    assert moved is not None
    assert moved.slots == {}
    same, _, effects = run(relocated, text("xã hòa phú"))
    assert same is not None
    assert same.candidates  # two "Hòa Phú": the resident picks; nothing discarded yet
    assert effects == ()


@pytest.mark.parametrize("data", ["c:²", "v:²", "vp:²", "v:١٢", "c:99999999999"])
def test_numbers_that_are_not_ascii_digits_are_forged(data: str) -> None:
    draft = at(Step.VILLAGE, candidates=(HOA_PHU,))
    _, replies, _ = run(draft, press(data))
    assert replies[0] == "button.expired"


# --- a QR code that disagrees with a typed number ----------------------------------------------


def _all_in_but(slot: str, unique: str) -> Draft:
    """Every page in but `slot`, whose photo (`unique`) is being checked."""
    draft = complete()
    slots = {**draft.slots, slot: SlotState(SlotStatus.CHECKING, unique)}
    return replace(draft, step=Step.DOCUMENTS, slots=slots)


def test_a_cccd_qr_that_disagrees_asks_which_number_and_flags_it() -> None:
    draft = _all_in_but("cccd_front", "f1")
    after, replies, _ = run(draft, checked("cccd_front", "f1", qr_cccd="066090099999"))
    assert after is not None
    assert after.step is Step.QR_CHECK  # asked before the summary
    assert replies == ["qrcheck.cccd"]
    kept, replies, _ = run(after, press("qk:cccd:read"))
    assert kept is not None
    assert (kept.cccd, kept.flags, kept.step) == ("066090099999", ("cccd_mismatch",), Step.REVIEW)
    typed, _, _ = run(after, press("qk:cccd:typed"))
    assert typed is not None
    assert (typed.cccd, typed.flags) == ("066090012345", ("cccd_mismatch",))
    # the same number with spaces is no disagreement
    same, replies, _ = run(draft, checked("cccd_front", "f1", qr_cccd="066 090 012 345"))
    assert same is not None
    assert same.step is Step.REVIEW


def test_the_certificate_qr_fills_an_unknown_serial_or_asks_which_is_right() -> None:
    unknown = replace(_all_in_but("cert_cover", "c1"), serial="")
    after, replies, _ = run(unknown, checked("cert_cover", "c1", qr_serial="AB 7654321"))
    assert after is not None
    assert replies == ["qrcheck.serial_fill"]
    filled, _, _ = run(after, press("qk:serial:read"))
    assert filled is not None
    assert (filled.serial, filled.flags, filled.step) == ("AB 7654321", (), Step.REVIEW)
    declined, _, _ = run(after, press("qk:serial:typed"))
    assert declined is not None
    assert (declined.serial, declined.flags) == ("", ())

    typed = _all_in_but("cert_cover", "c1")  # "AA 01234567" typed
    after, replies, _ = run(typed, checked("cert_cover", "c1", qr_serial="AB 7654321"))
    assert replies == ["qrcheck.serial"]
    assert after is not None
    kept, _, _ = run(after, press("qk:serial:typed"))
    assert kept is not None
    assert (kept.serial, kept.flags) == ("AA 01234567", ("serial_mismatch",))
    agreed, _, _ = run(typed, checked("cert_cover", "c1", qr_serial="AA01234567"))
    assert agreed is not None
    assert agreed.step is Step.REVIEW
    forged, replies, _ = run(after, press("qk:cccd:read"))  # not asked: refused
    assert replies[0] == "button.expired"
