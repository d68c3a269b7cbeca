"""The message catalog is complete in both languages and consistent in its placeholders."""

from __future__ import annotations

import re

import pytest

from intake.language import CATALOG, Language, language_of, placeholders, render

# English words that must not leak into the Vietnamese flow (brand and command names aside).
ENGLISH_WORDS = re.compile(
    r"\b(the|and|please|your|you|send|photo|file|button|submit|cancel|error|sorry)\b", re.I
)


@pytest.mark.parametrize("key", sorted(CATALOG))
def test_every_key_has_both_languages_and_same_placeholders(key: str) -> None:
    texts = CATALOG[key]
    assert set(texts) == set(Language)
    assert all(text.strip() for text in texts.values())
    assert placeholders(texts[Language.VI]) == placeholders(texts[Language.EN])


@pytest.mark.parametrize("key", sorted(k for k in CATALOG if not k.startswith("language.button")))
def test_vietnamese_has_no_english_words(key: str) -> None:
    without_commands = re.sub(r"/\w+", "", CATALOG[key][Language.VI])
    assert not ENGLISH_WORDS.search(without_commands), without_commands


def test_language_of_and_render() -> None:
    assert language_of(None) is Language.VI
    assert language_of("en-US") is Language.EN
    assert language_of("vi") is Language.VI
    assert language_of("ru") is Language.VI
    assert render("en", "language.set") == "English it is."


def test_a_village_name_is_never_given_the_word_thon_twice() -> None:
    """Village names carry their kind ("Thôn 1", "Buôn Ea Kmát"): a text must not put "thôn"
    before one ("thôn Thôn 1", or "thôn Buôn Ea Kmát", which is not a thôn)."""
    doubled = [
        key
        for key, texts in CATALOG.items()
        for text in texts.values()
        if re.search(r"(?i)\b(thôn|village)\s+\{(village|place)\}", text)
    ]
    assert doubled == []


@pytest.mark.parametrize(
    "key",
    [
        "request.receipt",  # the resident's
        "requests.new",  # the officers'
        "requests.clock_running",
        "requests.reminder_complete_soon",
        "console.requests_clock_running",
    ],
)
def test_a_due_day_reads_the_same_to_residents_and_staff(key: str) -> None:
    """The officers read a due day in the resident's words: "chậm nhất ngày" (on that day at
    the latest), not another phrase for the same day."""
    vietnamese = CATALOG[key][Language.VI]
    assert "chậm nhất ngày {" in vietnamese
    assert "trước hết ngày" not in vietnamese


def test_the_acknowledge_reminder_says_its_button_opens_the_request() -> None:
    """Its button is `requests.open_button`: the officer acknowledges on the request's card."""
    texts = CATALOG["requests.reminder_acknowledge_soon"]
    assert "Bấm nút để mở yêu cầu, rồi xác nhận ở đó." in texts[Language.VI]
    assert "The button opens the request, where you can acknowledge it." in texts[Language.EN]
