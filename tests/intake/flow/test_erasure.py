"""`/delete`'s confirmations, as tables: the buttons' codec, the stored confirmation, which
move every kind of input makes, and the messages (in both languages)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from intake.chat import Actor, Command, Event, Pressed, Reply, Text, Upload, UploadKind
from intake.flow import (
    DELETE_WINDOW,
    ConfirmDelete,
    DeleteMove,
    DeletePending,
    Erased,
    Holding,
    KeepData,
    RecordConsent,
    RecordConsentInPerson,
    Step,
    assisted_draft,
    data_of,
    delete_move,
    erased_replies,
    first_confirmation,
    nothing_to_delete,
    parse,
    second_confirmation,
    step,
)
from intake.flow import Draft as FlowDraft
from intake.language import Language, render
from tests.intake.flow.test_steps import CTX, HOA_PHU, VILLAGES

ACTOR = Actor(user_id=7, chat_id=7, language_code="vi")
NOW = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)
SHOWN_1 = DeletePending(1, "a1b2c3d4", NOW + DELETE_WINDOW)
SHOWN_2 = DeletePending(2, "e5f6a7b8", NOW + DELETE_WINDOW)


def press(data: str) -> Pressed:
    return Pressed(ACTOR, 1, data=data, message_id=3, callback_id="cb")


def rendered(reply: Reply) -> list[str]:
    """The reply and its buttons in both languages (a missing key or placeholder fails)."""
    texts = []
    for language in Language:
        texts.append(render(language, reply.key, reply.params))
        if reply.keyboard is not None:
            texts += [
                render(language, b.text_key, b.params) for row in reply.keyboard.rows for b in row
            ]
    return texts


def button_data(reply: Reply) -> list[str]:
    assert reply.keyboard is not None
    return [b.data for row in reply.keyboard.rows for b in row]


# --- the buttons' codec -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "press_"),
    [
        ("del:1:a1b2c3d4", ConfirmDelete(1, "a1b2c3d4")),
        ("del:2:00000000", ConfirmDelete(2, "00000000")),
        ("delno", KeepData()),
    ],
)
def test_delete_buttons_round_trip(data: str, press_: object) -> None:
    assert parse(data) == press_
    assert data_of(press_) == data  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "data",
    [
        "del:3:a1b2c3d4",  # no third confirmation
        "del:0:a1b2c3d4",
        "del:1:A1B2C3D4",  # upper case is not a nonce
        "del:1:a1b2c3d",  # too short
        "del:1:a1b2c3d4e",  # too long
        "del:1",
        "del::a1b2c3d4",
        "del:1:a1b2c3d4:x",
        "delno:1",
        "del:2:a1b2-3d4",
    ],
)
def test_forged_delete_data_is_no_button(data: str) -> None:
    assert parse(data) is None


def test_no_data_for_a_malformed_confirmation() -> None:
    with pytest.raises(ValueError, match="no callback data"):
        data_of(ConfirmDelete(3, "a1b2c3d4"))


# --- the stored confirmation ----------------------------------------------------------------


def test_the_confirmation_on_screen_is_stored_and_read_back() -> None:
    text = SHOWN_1.to_text()
    assert text == f"1:a1b2c3d4:{int(SHOWN_1.until.timestamp())}"
    assert len(text) <= 40  # citizen.delete_pending
    assert DeletePending.from_text(text) == SHOWN_1


@pytest.mark.parametrize(
    "text", [None, "", "3:a1b2c3d4:1", "1:a1b2c3d4", "1:A1B2C3D4:5", "1:a1b2c3d4:x", "junk"]
)
def test_a_malformed_stored_confirmation_is_none(text: str | None) -> None:
    assert DeletePending.from_text(text) is None


# --- which move each input makes ------------------------------------------------------------

UPLOAD = Upload(
    ACTOR, 1, kind=UploadKind.FILE, file_id="f", file_unique_id="u", file_size=9, message_id=1
)


@pytest.mark.parametrize(
    ("pending", "event", "now", "move"),
    [
        # /delete always offers (again, with a new confirmation)
        (None, Command(ACTOR, 1, name="delete"), NOW, DeleteMove.OFFER),
        (SHOWN_2, Command(ACTOR, 1, name="delete"), NOW, DeleteMove.OFFER),
        # only the button on screen moves on, and only in time
        (SHOWN_1, press("del:1:a1b2c3d4"), NOW, DeleteMove.CONFIRM),
        (SHOWN_2, press("del:2:e5f6a7b8"), NOW, DeleteMove.ERASE),
        (SHOWN_2, press("del:2:e5f6a7b8"), SHOWN_2.until, DeleteMove.ERASE),
        (SHOWN_2, press("del:2:e5f6a7b8"), SHOWN_2.until + timedelta(seconds=1), "refused"),
        (SHOWN_1, press("del:2:a1b2c3d4"), NOW, "refused"),  # the second stage skipped to
        (SHOWN_2, press("del:1:a1b2c3d4"), NOW, "refused"),  # the first, pressed again
        (SHOWN_2, press("del:2:a1b2c3d4"), NOW, "refused"),  # another confirmation's nonce
        (None, press("del:2:e5f6a7b8"), NOW, "refused"),  # nothing on screen
        (None, press("del:1:a1b2c3d4"), NOW, "refused"),
        # keeping is always possible
        (SHOWN_1, press("delno"), NOW, DeleteMove.KEEP),
        (None, press("delno"), NOW, DeleteMove.KEEP),
        # anything else cancels a confirmation on screen (and is then handled as usual)…
        (SHOWN_1, Text(ACTOR, 1, text="xóa"), NOW, DeleteMove.CANCELLED),
        (SHOWN_2, Command(ACTOR, 1, name="start"), NOW, DeleteMove.CANCELLED),
        (SHOWN_2, Command(ACTOR, 1, name="mydata"), NOW, DeleteMove.CANCELLED),
        (SHOWN_2, press("consent:yes"), NOW, DeleteMove.CANCELLED),
        (SHOWN_2, press("garbage"), NOW, DeleteMove.CANCELLED),
        (SHOWN_1, UPLOAD, NOW, DeleteMove.CANCELLED),
        # …and is nothing to a deletion when none is on screen
        (None, Text(ACTOR, 1, text="xóa"), NOW, None),
        (None, Command(ACTOR, 1, name="withdraw"), NOW, None),
        (None, press("consent:yes"), NOW, None),
        (None, UPLOAD, NOW, None),
    ],
)
def test_moves(
    pending: DeletePending | None, event: Event, now: datetime, move: DeleteMove | None
) -> None:
    assert delete_move(pending, event, now) == move


# --- the messages -----------------------------------------------------------------------------


def test_nothing_to_delete_is_a_kind_answer_naming_what_is_kept() -> None:
    assert nothing_to_delete(Holding()) == Reply("delete.nothing")
    kept = nothing_to_delete(Holding(kept=("HP-AAAAA",)))
    assert kept.key == "delete.only_kept"
    assert all("HP-AAAAA" in text for text in rendered(kept))


@pytest.mark.parametrize(
    ("holding", "anything"),
    [
        (Holding(), False),
        (Holding(kept=("HP-AAAAA",)), False),
        (Holding(to_withdraw=1), True),
        (Holding(to_erase=1), True),
        (Holding(drafts=1), True),
        (Holding(consented=True), True),
    ],
)
def test_what_counts_as_something_to_delete(holding: Holding, anything: bool) -> None:
    assert holding.anything is anything


def test_the_first_confirmation_asks_with_its_own_button() -> None:
    reply = first_confirmation(SHOWN_1)
    assert button_data(reply) == ["del:1:a1b2c3d4", "delno"]
    rendered(reply)


def test_the_second_confirmation_says_what_is_lost_and_what_is_kept() -> None:
    holding = Holding(to_withdraw=2, to_erase=1, kept=("HP-KEEP1",), drafts=1, consented=True)
    reply = second_confirmation(SHOWN_2, holding)
    assert button_data(reply) == ["del:2:e5f6a7b8", "delno"]
    vi = rendered(reply)[0]
    en = render(Language.EN, reply.key, reply.params)
    for expected in (
        "2 hồ sơ chưa được tiếp nhận sẽ bị rút",
        "số căn cước",
        "1 hồ sơ đã rút hoặc không được tiếp nhận",
        "hồ sơ đang làm dở bị hủy",
        "sự đồng ý của bạn bị rút lại",
        "HP-KEEP1 đã được tiếp nhận",
        "không thể hoàn tác",
    ):
        assert expected in vi, expected
    assert "cannot be undone" in en
    only_consent = second_confirmation(SHOWN_2, Holding(consented=True))
    assert "bị rút:" not in rendered(only_consent)[0]


def test_what_was_erased_is_said() -> None:
    done = Erased(
        withdrawn=("HP-AAAAA",),
        erased=2,
        documents=4,
        drafts=1,
        consent_withdrawn=True,
        kept=("HP-KEEP1",),
        commune="Xã Hòa Phú",
    )
    replies = erased_replies(done)
    assert [r.key for r in replies] == ["delete.done", "delete.done_kept"]
    vi = rendered(replies[0])[0]
    assert "HP-AAAAA" in vi
    assert "2 hồ sơ và 4 ảnh" in vi
    assert "/start" in vi
    kept = rendered(replies[1])[0]
    assert "HP-KEEP1" in kept
    assert "Xã Hòa Phú" in kept
    quiet = erased_replies(Erased((), 0, 0, 0, consent_withdrawn=True, kept=(), commune=None))
    assert [r.key for r in quiet] == ["delete.done"]


# --- consent: the notice shown goes with the consent -----------------------------------------


def test_a_consent_names_the_notice_the_step_showed() -> None:
    notice = FlowDraft(Step.CONSENT)
    result = step(notice, press("consent:yes"), CTX)
    assert result.effects == (RecordConsent("2026-11", "consent.notice", {}),)


def test_a_consent_in_person_names_the_notice_read_to_the_household() -> None:
    draft = assisted_draft(5, HOA_PHU, VILLAGES[0])
    result = step(draft, press("consent:yes"), CTX)
    assert result.effects == (
        RecordConsentInPerson("2026-11", 5, "assist.consent", {"village": "Thôn 1"}),
    )
