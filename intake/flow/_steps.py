"""`step(draft, event, context) -> Transition`: the resident's conversation as a pure function.

The flow fills the first missing piece of the draft: location, whose land, the land user, the
certificate, the documents, then the review. Editing a section clears it and the same rule
brings the resident back through it and on to the review. Buttons carry action names only;
every press is checked against the current step, and anything else gets the current question
again with a short explanation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from intake.chat import (
    Command,
    ContactShared,
    DocumentChecked,
    Event,
    Pressed,
    Reply,
    Text,
    Upload,
)
from intake.flow._callbacks import (
    Agree,
    ChooseLanguage,
    Edit,
    OtherCommune,
    PickCommune,
    PickVillage,
    QrCorrect,
    QrKeep,
    ReplaceSlot,
    ResidentPress,
    Restart,
    Submit,
    VillagePage,
    VillageUnknown,
    parse,
)
from intake.flow._effects import (
    DiscardDraft,
    DiscardUpload,
    Effect,
    RecordConsent,
    RecordConsentInPerson,
    SetLanguage,
    SubmitDraft,
    Transition,
)
from intake.flow._model import (
    CONSENT_VERSION,
    Context,
    Draft,
    Place,
    SlotStatus,
    Step,
    Whose,
)
from intake.flow._moves import advance, answer_is, ask, explain
from intake.flow._prompts import (
    CERT_STATUS_KEYS,
    LANGUAGE_KEYBOARD,
    REMOVE_KEYBOARD,
    VILLAGES_PER_PAGE,
    WHOSE_KEYS,
    prompt,
    replace_page_menu,
)
from intake.flow._slots import Slot, slots_for
from intake.flow._uploads import checked, documents, id_photo, spare
from intake.language import InvalidCccd, Language, nfc, parse_cccd
from storage.states import CertificateStatus

__all__ = ["assisted_draft", "step"]

MAX_COMMUNE_CHOICES = 8
_NAME = re.compile(r"^[^\W\d_]+(?:[ '’.-][^\W\d_]+)+$")
_SERIAL = re.compile(r"^[A-Z0-9][A-Z0-9 ./-]{3,19}$")
_SHEET = re.compile(r"^[0-9A-Z][0-9A-Z./-]{0,15}$")
_PHONE = re.compile(r"^(?:\+?84|0)\d{9,10}$")


def pressed(event: Event) -> ResidentPress | None:
    """The button an event pressed, as the codec reads its data (None: not a press, or data
    no resident button carries)."""
    return parse(event.data) if isinstance(event, Pressed) else None


def assisted_draft(
    staff_id: int,
    commune: Place | None,
    village: Place | None,
    *,
    holder_name: str | None = None,
    map_sheet: str | None = None,
    parcel_no: str | None = None,
) -> Draft:
    """A chief's (or officer's) submission for a household without a smartphone: the place is
    theirs, the land is the household's (not the staff member's own), consent is in person.
    A household chosen from the target list brings its name and parcel, which are not asked
    again (the summary reads them back, and any can be changed there)."""
    return Draft(
        step=Step.CONSENT,
        commune=commune,
        village=village,
        whose=Whose.FAMILY,
        assisted_by=staff_id,
        holder_name=holder_name,
        map_sheet=map_sheet,
        parcel_no=parcel_no,
    )


def _from_link(draft: Draft, payload: str, ctx: Context) -> tuple[Draft, tuple[Reply, ...]]:
    """Apply a poster's deep link (`v<village code>`); an unknown code is said, not ignored."""
    if not payload.startswith("v"):
        return draft, ()
    found = ctx.directory.village_by_code(payload[1:])
    if found is None:
        return draft, (Reply("location.link_unknown"),)
    return replace(draft, commune=found[0], village=found[1], triage=False), ()


def _new_draft(event: Command, ctx: Context) -> Transition:
    draft, notes = _from_link(Draft(step=Step.CONSENT), event.payload, ctx)
    welcome = Reply("start.welcome", keyboard=REMOVE_KEYBOARD)
    if not ctx.consented:
        return ask(draft, ctx, welcome, *notes)
    before = [welcome, *notes]
    if draft.village is not None and draft.commune is not None:
        before.append(
            Reply(
                "location.from_link",
                {"village": draft.village.name, "commune": draft.commune.name},
            )
        )
    return advance(draft, ctx, *before)


def _start(draft: Draft | None, event: Command, ctx: Context) -> Transition:
    if draft is None:
        return _new_draft(event, ctx)
    if draft.step is Step.CONSENT:  # e.g. the resident scans the poster after a plain /start
        linked, notes = _from_link(draft, event.payload, ctx)
        return ask(linked, ctx, *notes)
    if draft.step is Step.RESTART_CONFIRM:
        return ask(draft, ctx)
    return ask(replace(draft, step=Step.RESTART_CONFIRM, resume_step=draft.step), ctx)


def _global(draft: Draft | None, event: Event, ctx: Context) -> Transition | None:
    """Commands and buttons that work at any step."""
    match event:
        case Command(name="start"):
            return _start(draft, event, ctx)
        case Command(name="cancel"):
            if draft is None:
                return Transition(None, (Reply("cancel.nothing"),))
            return Transition(
                None, (Reply("cancel.done", keyboard=REMOVE_KEYBOARD),), (DiscardDraft(),)
            )
        case Command(name="help"):
            replies = (Reply("help.resident"),)
            return Transition(draft, replies + (prompt(draft, ctx) if draft else ()))
        case Command(name="language"):
            return Transition(draft, (Reply("language.choose", keyboard=LANGUAGE_KEYBOARD),))
        case Pressed(data=data) if isinstance(chosen_language := parse(data), ChooseLanguage):
            chosen = Language(chosen_language.language)
            ctx = replace(ctx, language=chosen)
            again = prompt(draft, ctx) if draft else (Reply("help.resident"),)
            return Transition(draft, (Reply("language.set"), *again), (SetLanguage(chosen),))
        case Command():
            return Transition(
                draft, (Reply("unknown.command"), *(prompt(draft, ctx) if draft else ()))
            )
        case DocumentChecked():
            return checked(draft, event, ctx) if draft else Transition(None)
    return None


# --- one function per step ----------------------------------------------------------------


def _consent(draft: Draft, event: Event, ctx: Context) -> Transition:
    # the consent is to the notice this step shows (its text is kept with the consent)
    notice = prompt(draft, ctx)[0]
    match pressed(event):
        case Agree(yes=True) if draft.assisted_by is not None:
            in_person = RecordConsentInPerson(
                CONSENT_VERSION, draft.assisted_by, notice.key, notice.params
            )
            return advance(draft, ctx, Reply("assist.consent_recorded"), effects=(in_person,))
        case Agree(yes=True):
            before = []
            if draft.village is not None and draft.commune is not None:
                place = {"village": draft.village.name, "commune": draft.commune.name}
                before.append(Reply("location.from_link", place))
            return advance(
                draft,
                replace(ctx, consented=True),
                *before,
                effects=(RecordConsent(CONSENT_VERSION, notice.key, notice.params),),
            )
        case Agree(yes=False):
            declined = Reply("consent.declined", keyboard=REMOVE_KEYBOARD)
            return Transition(None, (declined,), (DiscardDraft(),))
    return explain(draft, event, ctx)


def _choose_commune(draft: Draft, commune: Place, ctx: Context) -> Transition:
    """Set the commune; documents already sealed for another commune must be sent again."""
    draft = replace(draft, commune=commune, candidates=(), village_page=0)
    if draft.sealed_for is None or draft.sealed_for == commune.id:
        return advance(draft, ctx)
    dropped = tuple(
        DiscardUpload(state.file_unique_id)
        for state in draft.slots.values()
        if state.file_unique_id
    )
    draft = replace(draft, slots={}, sealed_for=None, checklist_message_id=None)
    return advance(draft, ctx, Reply("docs.resend_other_commune"), effects=dropped)


def _commune(draft: Draft, event: Event, ctx: Context) -> Transition:
    match event:
        case Text(text=text):
            found = ctx.directory.search_communes(text)
            if not found:
                closed = ctx.directory.search_closed(text)
                said = (
                    Reply("commune.not_receiving", {"commune": closed[0].name})
                    if len(closed) == 1
                    else Reply("commune.not_found", {"query": nfc(text)[:60]})
                )
                return ask(replace(draft, candidates=()), ctx, said)
            if len(found) == 1:
                return _choose_commune(draft, found[0], ctx)
            if len(found) > MAX_COMMUNE_CHOICES:
                return ask(replace(draft, candidates=()), ctx, Reply("commune.too_many"))
            return ask(replace(draft, candidates=tuple(found)), ctx)
        case Pressed(data=data) if isinstance(picked := parse(data), PickCommune):
            chosen = next((c for c in draft.candidates if c.id == picked.commune_id), None)
            if chosen is not None:
                return _choose_commune(draft, chosen, ctx)
    return explain(draft, event, ctx)


def _village(draft: Draft, event: Event, ctx: Context) -> Transition:
    match pressed(event):
        case VillageUnknown():
            return advance(replace(draft, village=None, triage=True), ctx, Reply("village.triage"))
        case OtherCommune():
            return advance(replace(draft, commune=None, village=None, triage=False), ctx)
        case VillagePage(page=page):
            return ask(replace(draft, village_page=page), ctx)
        case PickVillage(village_id=village_id) if draft.commune:
            village = ctx.directory.village(draft.commune.id, village_id)
            if village is not None:
                return advance(replace(draft, village=village, triage=False), ctx)
    match event:
        case Text(text=text) if draft.commune is not None:  # typed instead of pressed
            if answer_is(text, "village.unknown"):
                return advance(
                    replace(draft, village=None, triage=True), ctx, Reply("village.triage")
                )
            found = ctx.directory.search_villages(draft.commune.id, text)
            if len(found) == 1:
                return advance(replace(draft, village=found[0], triage=False), ctx)
    return explain(draft, event, ctx)


def _whose(draft: Draft, event: Event, ctx: Context) -> Transition:
    if isinstance(event, Text):
        for whose, key in WHOSE_KEYS.items():
            if answer_is(event.text, key):
                return advance(replace(draft, whose=Whose(whose)), ctx)
    return explain(draft, event, ctx)


def _name(draft: Draft, event: Event, ctx: Context) -> Transition:
    match event:
        case Text(text=text):
            name = nfc(text)
            if not (2 <= len(name) <= 100 and _NAME.match(name)):
                return ask(draft, ctx, Reply("name.invalid"))
            return advance(replace(draft, holder_name=name), ctx)
        case Upload():
            return id_photo(draft, event, ctx)
    return explain(draft, event, ctx)


def _cccd(draft: Draft, event: Event, ctx: Context) -> Transition:
    match event:
        case Text(text=text):
            try:
                cccd = parse_cccd(text)
            except InvalidCccd as exc:
                return ask(draft, ctx, Reply(f"cccd.invalid.{exc.problem.value}"))
            return advance(replace(draft, cccd=cccd.number), ctx)
        case Upload():
            return id_photo(draft, event, ctx)
    return explain(draft, event, ctx)


def _qr_confirm(draft: Draft, event: Event, ctx: Context) -> Transition:
    match pressed(event):
        case QrCorrect(yes=True):
            confirmed = replace(
                draft, holder_name=draft.qr_name, cccd=draft.qr_cccd, qr_name=None, qr_cccd=None
            )
            return advance(confirmed, ctx)
        case QrCorrect(yes=False):
            return advance(
                replace(draft, qr_name=None, qr_cccd=None, holder_name=None, cccd=None), ctx
            )
    return explain(draft, event, ctx)


def _qr_check(draft: Draft, event: Event, ctx: Context) -> Transition:
    """Which number is right where a QR code read another (the officer is told it differed),
    or whether to use a serial read where none was typed."""
    if not draft.read:  # nothing left to ask: the summary
        return _review(replace(draft, step=Step.REVIEW), event, ctx)
    match pressed(event):
        case QrKeep(field=field, use_read=use_read) if field in draft.read:
            read = {k: v for k, v in draft.read.items() if k != field}
            typed = draft.cccd if field == "cccd" else draft.serial
            flags = draft.flags
            if typed:  # they differed: whichever is kept, the officer compares with the photo
                flags = (*(f for f in flags if f != f"{field}_mismatch"), f"{field}_mismatch")
            updated = replace(draft, read=read, flags=flags)
            if use_read:
                value = draft.read[field]
                updated = (
                    replace(updated, cccd=value)
                    if field == "cccd"
                    else replace(updated, serial=value)
                )
            return advance(updated, ctx)
    return explain(draft, event, ctx)


def _phone(draft: Draft, event: Event, ctx: Context) -> Transition:
    match event:
        case ContactShared(contact_user_id=user) if (
            draft.assisted_by is not None and user == event.actor.user_id
        ):
            return ask(draft, ctx, Reply("assist.phone_not_yours"))
        case ContactShared(phone=phone):
            digits = re.sub(r"[^\d+]", "", phone)
            return advance(replace(draft, phone=digits), ctx)
        case Text(text=text) if answer_is(text, "phone.skip"):
            return advance(replace(draft, phone=""), ctx)
        case Text(text=text):
            digits = re.sub(r"[\s.()-]", "", text)
            if _PHONE.match(digits):
                return advance(replace(draft, phone=digits), ctx)
            return ask(draft, ctx, Reply("phone.invalid"))
    return explain(draft, event, ctx)


def _with_status(draft: Draft, status: CertificateStatus) -> tuple[Draft, tuple[Effect, ...]]:
    """Set the certificate status: its slots replace the old ones; ID photos are kept."""
    wanted = {rule.slot.value for rule in slots_for(status)}
    kept = {name: state for name, state in draft.slots.items() if name in wanted}
    dropped = tuple(
        DiscardUpload(state.file_unique_id)
        for name, state in draft.slots.items()
        if name not in wanted and state.file_unique_id
    )
    serial = draft.serial if status is CertificateStatus.HELD else None
    return replace(draft, certificate_status=status, slots=kept, serial=serial), dropped


def _cert_status(draft: Draft, event: Event, ctx: Context) -> Transition:
    if isinstance(event, Text):
        for status, key in CERT_STATUS_KEYS.items():
            if answer_is(event.text, key):
                updated, dropped = _with_status(draft, status)
                return advance(updated, ctx, effects=dropped)
    return explain(draft, event, ctx)


def _serial(draft: Draft, event: Event, ctx: Context) -> Transition:
    """The certificate's serial, or "I don't know" (kept as "": the officer's card flags it)."""
    if isinstance(event, Text):
        if answer_is(event.text, "answer.dont_know"):
            return advance(replace(draft, serial=""), ctx)
        serial = re.sub(r"\s+", " ", nfc(event.text).upper())
        if _SERIAL.match(serial):
            return advance(replace(draft, serial=serial), ctx)
        return ask(draft, ctx, Reply("serial.invalid"))
    return explain(draft, event, ctx)


def _sheet_or_parcel(event: Event) -> str | None:
    """A typed map sheet or parcel number: the value, "" for "I don't know", None if invalid."""
    if not isinstance(event, Text):
        return None
    if answer_is(event.text, "answer.dont_know"):
        return ""
    value = nfc(event.text).upper().replace(" ", "")
    return value if _SHEET.match(value) else None


def _number_answer(
    draft: Draft, event: Event, ctx: Context, field: Callable[[str], Draft], invalid: str
) -> Transition:
    """The map sheet or parcel question: a number, "I don't know", or ask again."""
    value = _sheet_or_parcel(event)
    if value is not None:
        return advance(field(value), ctx)
    if isinstance(event, Text):
        return ask(draft, ctx, Reply(invalid))
    return explain(draft, event, ctx)


def _map_sheet(draft: Draft, event: Event, ctx: Context) -> Transition:
    def answered(value: str) -> Draft:
        return replace(draft, map_sheet=value)

    return _number_answer(draft, event, ctx, answered, "map_sheet.invalid")


def _parcel_no(draft: Draft, event: Event, ctx: Context) -> Transition:
    def answered(value: str) -> Draft:
        return replace(draft, parcel_no=value)

    return _number_answer(draft, event, ctx, answered, "parcel_no.invalid")


def _review(draft: Draft, event: Event, ctx: Context) -> Transition:
    match pressed(event):
        case Submit():
            # the receipt (through the outbox) is the answer; no "sending…" that would linger
            return Transition(None, (), (SubmitDraft(draft),))
        case Edit(section="person"):
            cleared = replace(draft, whose=None, holder_name=None, cccd=None, phone=None)
            return advance(cleared, ctx)
        case Edit(section="cert"):
            keep = {s: v for s, v in draft.slots.items() if s in (Slot.CCCD_FRONT, Slot.CCCD_BACK)}
            dropped = tuple(
                DiscardUpload(v.file_unique_id)
                for s, v in draft.slots.items()
                if s not in keep and v.file_unique_id
            )
            cleared = replace(
                draft,
                certificate_status=None,
                serial=None,
                map_sheet=None,
                parcel_no=None,
                slots=keep,
            )
            return advance(cleared, ctx, effects=dropped)
        case Edit(section="photos"):
            return Transition(draft, (replace_page_menu(draft),))
        case ReplaceSlot(slot=slot) if (
            state := draft.slots.get(slot)
        ) is not None and state.status is SlotStatus.OK:
            kept = {s: v for s, v in draft.slots.items() if s != slot}
            dropped = (DiscardUpload(state.file_unique_id),) if state.file_unique_id else ()
            return advance(replace(draft, slots=kept), ctx, effects=dropped)
        case Edit(section="location"):
            if draft.commune is None:
                return advance(replace(draft, village=None, triage=False), ctx)
            # the village question again, on the page of the village chosen (marked there);
            # its "another commune" button changes the commune
            villages = ctx.directory.villages.get(draft.commune.id, ())
            index = next((i for i, v in enumerate(villages) if v == draft.village), 0)
            return ask(
                replace(draft, step=Step.VILLAGE, village_page=index // VILLAGES_PER_PAGE), ctx
            )
    if isinstance(event, Upload):
        return spare(draft, event, ctx)
    return explain(draft, event, ctx)


def _restart_confirm(draft: Draft, event: Event, ctx: Context) -> Transition:
    match pressed(event):
        case Restart(over=False):
            resumed = replace(draft, step=draft.resume_step or Step.COMMUNE, resume_step=None)
            return advance(resumed, ctx)
        case Restart(over=True):
            fresh = Draft(step=Step.CONSENT)
            if draft.assisted_by is not None:  # the same village; consent asked again
                fresh = assisted_draft(draft.assisted_by, draft.commune, draft.village)
                return ask(fresh, ctx, Reply("restart.done"), effects=(DiscardDraft(),))
            return advance(fresh, ctx, Reply("restart.done"), effects=(DiscardDraft(),))
    return explain(draft, event, ctx)


_STEPS = {
    Step.CONSENT: _consent,
    Step.COMMUNE: _commune,
    Step.VILLAGE: _village,
    Step.WHOSE: _whose,
    Step.NAME: _name,
    Step.CCCD: _cccd,
    Step.QR_CONFIRM: _qr_confirm,
    Step.QR_CHECK: _qr_check,
    Step.PHONE: _phone,
    Step.CERT_STATUS: _cert_status,
    Step.SERIAL: _serial,
    Step.MAP_SHEET: _map_sheet,
    Step.PARCEL_NO: _parcel_no,
    Step.DOCUMENTS: documents,
    Step.REVIEW: _review,
    Step.RESTART_CONFIRM: _restart_confirm,
}


def step(draft: Draft | None, event: Event, ctx: Context) -> Transition:
    """The resident's conversation: the next draft, the replies and the effects of one event."""
    handled = _global(draft, event, ctx)
    if handled is not None:
        return handled
    if draft is None:
        if isinstance(event, Pressed):
            # a second press of "Send" while the receipt is on its way needs no answer
            again = isinstance(parse(event.data), Submit)
            return Transition(None, () if again else (Reply("button.expired"),))
        return Transition(None, (Reply("start.hint"),))
    return _STEPS[draft.step](draft, event, ctx)
