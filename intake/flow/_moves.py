"""The moves every step shares: ask the current question, advance to the next missing answer,
explain what is expected, recognise a typed button label."""

from __future__ import annotations

from dataclasses import replace

from intake.chat import (
    ContactShared,
    Event,
    LocationShared,
    Pressed,
    Reply,
    Text,
    Unsupported,
    Upload,
)
from intake.flow._effects import Effect, Transition
from intake.flow._model import Context, Draft, Step
from intake.flow._prompts import ASSISTED, prompt, slots_complete
from intake.language import CATALOG, nfc, search_key
from storage.states import CertificateStatus

__all__ = ["advance", "answer_is", "ask", "explain"]


def ask(
    draft: Draft, ctx: Context, *before: Reply, effects: tuple[Effect, ...] = ()
) -> Transition:
    """Stay at (or move to) `draft.step` and ask its question after `before`."""
    return Transition(draft, (*before, *prompt(draft, ctx)), effects)


# What people type for "I don't know" besides the button's words (compared accent-free)
_DONT_KNOW = frozenset(
    {"khong biet", "ko biet", "k biet", "chua biet", "i don t know", "don t know", "no idea"}
)


def answer_is(text: str, key: str) -> bool:
    """Does a typed answer (or a reply-keyboard press) match a catalog label in any language,
    in the resident's wording or in staff's on a household's behalf ("assist." + key)?
    "I don't know" is also recognised typed in a shorter or unaccented form ("không biết")."""
    labels = [*CATALOG[key].values(), *CATALOG.get(ASSISTED + key, {}).values()]
    if nfc(text).casefold() in {label.casefold() for label in labels}:
        return True
    return key == "answer.dont_know" and search_key(text) in _DONT_KNOW


def advance(
    draft: Draft, ctx: Context, *before: Reply, effects: tuple[Effect, ...] = ()
) -> Transition:
    """Move to the first step whose answer is missing, and ask it."""
    if draft.commune is None:
        target = Step.COMMUNE
    elif draft.village is None and not draft.triage:
        target = Step.VILLAGE
    elif draft.whose is None:
        target = Step.WHOSE
    elif draft.qr_cccd is not None:
        target = Step.QR_CONFIRM
    elif draft.holder_name is None:
        target = Step.NAME
    elif draft.cccd is None:
        target = Step.CCCD
    elif draft.phone is None:
        target = Step.PHONE
    elif draft.certificate_status is None:
        target = Step.CERT_STATUS
    elif draft.serial is None and draft.certificate_status is CertificateStatus.HELD:
        target = Step.SERIAL
    elif draft.map_sheet is None:
        target = Step.MAP_SHEET
    elif draft.parcel_no is None:
        target = Step.PARCEL_NO
    elif not slots_complete(draft):
        target = Step.DOCUMENTS
    elif draft.read:
        target = Step.QR_CHECK
    else:
        target = Step.REVIEW
    return ask(replace(draft, step=target), ctx, *before, effects=effects)


def explain(draft: Draft, event: Event, ctx: Context) -> Transition:
    """Anything the current step does not take: say what is expected, ask again."""
    match event:
        case Pressed():
            return ask(draft, ctx, Reply("button.expired"))
        case Upload():
            return ask(draft, ctx, Reply("photo.not_now"))
        case Unsupported(what=what):
            return ask(draft, ctx, Reply("unsupported.kind", {"what_key": f"what.{what}"}))
        case LocationShared():
            return ask(draft, ctx, Reply("location.not_needed"))
        case ContactShared():
            return ask(draft, ctx, Reply("contact.not_now"))
        case Text() if draft.step is Step.DOCUMENTS:
            return ask(draft, ctx, Reply("docs.send_photo"))
        case _:
            return ask(draft, ctx, Reply("answer.use_buttons"))
