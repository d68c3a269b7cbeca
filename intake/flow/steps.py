"""`step(draft, event, context) -> Transition`: the resident's conversation as a pure function.

The flow fills the first missing piece of the draft: location, whose land, the land user, the
certificate, the documents, then the review. Editing a section clears it and the same rule
brings the resident back through it and on to the review. Buttons carry action names only;
every press is checked against the current step, and anything else gets the current question
again with a short explanation.
"""

from __future__ import annotations

import re
from dataclasses import replace

from intake.events import (
    Command,
    ContactShared,
    DocumentChecked,
    Event,
    LocationShared,
    Pressed,
    Reply,
    Text,
    Unsupported,
    Upload,
)
from intake.flow.effects import (
    AcceptUpload,
    DiscardDraft,
    DiscardUpload,
    Effect,
    RecordConsent,
    SetLanguage,
    SubmitDraft,
    Transition,
)
from intake.flow.model import (
    CONSENT_VERSION,
    Context,
    Draft,
    Place,
    SlotState,
    SlotStatus,
    Step,
    Whose,
)
from intake.flow.prompts import (
    CERT_STATUS_KEYS,
    LANGUAGE_KEYBOARD,
    REMOVE_KEYBOARD,
    WHOSE_KEYS,
    checklist,
    next_open_slot,
    prompt,
    slots_complete,
)
from intake.flow.slots import Slot, slots_for
from intake.messages import CATALOG, Language
from intake.text import InvalidCccd, nfc, parse_cccd
from storage.states import CertificateStatus

__all__ = ["MAX_FILE_BYTES", "step"]

MAX_FILE_BYTES = 20 * 1024 * 1024  # Telegram's getFile limit for bots
MAX_COMMUNE_CHOICES = 8
_NAME = re.compile(r"^[^\W\d_]+(?:[ '’.-][^\W\d_]+)+$")
_SERIAL = re.compile(r"^[A-Z0-9][A-Z0-9 ./-]{3,19}$")
_SHEET = re.compile(r"^[0-9A-Z][0-9A-Z./-]{0,15}$")
_PHONE = re.compile(r"^(?:\+?84|0)\d{9,10}$")


def _with(
    draft: Draft, ctx: Context, *before: Reply, effects: tuple[Effect, ...] = ()
) -> Transition:
    """Stay at (or move to) `draft.step` and ask its question after `before`."""
    return Transition(draft, (*before, *prompt(draft, ctx)), effects)


def _answer_is(text: str, key: str) -> bool:
    """Does a typed answer (or a reply-keyboard press) match a catalog label in any language?"""
    return nfc(text).casefold() in {label.casefold() for label in CATALOG[key].values()}


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
    else:
        target = Step.REVIEW
    return _with(replace(draft, step=target), ctx, *before, effects=effects)


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
        return _with(draft, ctx, welcome, *notes)
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
        return _with(linked, ctx, *notes)
    if draft.step is Step.RESTART_CONFIRM:
        return _with(draft, ctx)
    return _with(replace(draft, step=Step.RESTART_CONFIRM, resume_step=draft.step), ctx)


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
        case Pressed(data="lang:vi" | "lang:en" as data):
            chosen = Language(data.removeprefix("lang:"))
            ctx = replace(ctx, language=chosen)
            again = prompt(draft, ctx) if draft else (Reply("help.resident"),)
            return Transition(draft, (Reply("language.set"), *again), (SetLanguage(chosen),))
        case Command():
            return Transition(
                draft, (Reply("unknown.command"), *(prompt(draft, ctx) if draft else ()))
            )
        case DocumentChecked():
            return _checked(draft, event, ctx) if draft else Transition(None)
    return None


def _explain(draft: Draft, event: Event, ctx: Context) -> Transition:
    """Anything the current step does not take: say what is expected, ask again."""
    match event:
        case Pressed():
            return _with(draft, ctx, Reply("button.expired"))
        case Upload():
            return _with(draft, ctx, Reply("photo.not_now"))
        case Unsupported(what=what):
            return _with(draft, ctx, Reply("unsupported.kind", {"what_key": f"what.{what}"}))
        case LocationShared():
            return _with(draft, ctx, Reply("location.not_needed"))
        case ContactShared():
            return _with(draft, ctx, Reply("contact.not_now"))
        case Text() if draft.step is Step.DOCUMENTS:
            return _with(draft, ctx, Reply("docs.send_photo"))
        case _:
            return _with(draft, ctx, Reply("answer.use_buttons"))


# --- one function per step ----------------------------------------------------------------


def _consent(draft: Draft, event: Event, ctx: Context) -> Transition:
    match event:
        case Pressed(data="consent:yes"):
            before = []
            if draft.village is not None and draft.commune is not None:
                place = {"village": draft.village.name, "commune": draft.commune.name}
                before.append(Reply("location.from_link", place))
            return advance(
                draft,
                replace(ctx, consented=True),
                *before,
                effects=(RecordConsent(CONSENT_VERSION),),
            )
        case Pressed(data="consent:no"):
            declined = Reply("consent.declined", keyboard=REMOVE_KEYBOARD)
            return Transition(None, (declined,), (DiscardDraft(),))
    return _explain(draft, event, ctx)


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
                return _with(
                    replace(draft, candidates=()),
                    ctx,
                    Reply("commune.not_found", {"query": nfc(text)[:60]}),
                )
            if len(found) == 1:
                return _choose_commune(draft, found[0], ctx)
            if len(found) > MAX_COMMUNE_CHOICES:
                return _with(replace(draft, candidates=()), ctx, Reply("commune.too_many"))
            return _with(replace(draft, candidates=tuple(found)), ctx)
        case Pressed(data=data) if data.startswith("c:") and data[2:].isdigit():
            chosen = next((c for c in draft.candidates if c.id == int(data[2:])), None)
            if chosen is not None:
                return _choose_commune(draft, chosen, ctx)
    return _explain(draft, event, ctx)


def _village(draft: Draft, event: Event, ctx: Context) -> Transition:
    match event:
        case Pressed(data="v:unknown"):
            return advance(replace(draft, triage=True), ctx, Reply("village.triage"))
        case Pressed(data="c:change"):
            return advance(replace(draft, commune=None, village=None, triage=False), ctx)
        case Pressed(data=data) if data.startswith("vp:") and data[3:].isdigit():
            return _with(replace(draft, village_page=int(data[3:])), ctx)
        case Pressed(data=data) if data.startswith("v:") and data[2:].isdigit() and draft.commune:
            village = ctx.directory.village(draft.commune.id, int(data[2:]))
            if village is not None:
                return advance(replace(draft, village=village, triage=False), ctx)
        case Text(text=text) if draft.commune is not None:  # typed instead of pressed
            if _answer_is(text, "village.unknown"):
                return advance(replace(draft, triage=True), ctx, Reply("village.triage"))
            found = ctx.directory.search_villages(draft.commune.id, text)
            if len(found) == 1:
                return advance(replace(draft, village=found[0], triage=False), ctx)
    return _explain(draft, event, ctx)


def _whose(draft: Draft, event: Event, ctx: Context) -> Transition:
    if isinstance(event, Text):
        for whose, key in WHOSE_KEYS.items():
            if _answer_is(event.text, key):
                return advance(replace(draft, whose=Whose(whose)), ctx)
    return _explain(draft, event, ctx)


def _id_photo(draft: Draft, event: Upload, ctx: Context) -> Transition:
    """A photo at the name/number questions is taken as the ID card's front (its QR helps);
    the next photo of the same album as its back."""
    front = draft.slots.get(Slot.CCCD_FRONT, SlotState())
    slot = Slot.CCCD_FRONT
    if event.media_group_id is not None and front.status is not SlotStatus.EMPTY:
        back = draft.slots.get(Slot.CCCD_BACK, SlotState())
        if back.status is not SlotStatus.EMPTY:
            return _spare(draft, event, ctx)
        slot = Slot.CCCD_BACK
    before = (Reply("cccd.photo_checking"),) if slot is Slot.CCCD_FRONT else ()
    return _upload(draft, event, ctx, slot=slot, before=before)


def _name(draft: Draft, event: Event, ctx: Context) -> Transition:
    match event:
        case Text(text=text):
            name = nfc(text)
            if not (2 <= len(name) <= 100 and _NAME.match(name)):
                return _with(draft, ctx, Reply("name.invalid"))
            return advance(replace(draft, holder_name=name), ctx)
        case Upload():
            return _id_photo(draft, event, ctx)
    return _explain(draft, event, ctx)


def _cccd(draft: Draft, event: Event, ctx: Context) -> Transition:
    match event:
        case Text(text=text):
            try:
                cccd = parse_cccd(text)
            except InvalidCccd as exc:
                return _with(draft, ctx, Reply(f"cccd.invalid.{exc.problem.value}"))
            return advance(replace(draft, cccd=cccd.number), ctx)
        case Upload():
            return _id_photo(draft, event, ctx)
    return _explain(draft, event, ctx)


def _qr_confirm(draft: Draft, event: Event, ctx: Context) -> Transition:
    match event:
        case Pressed(data="qr:yes"):
            confirmed = replace(
                draft, holder_name=draft.qr_name, cccd=draft.qr_cccd, qr_name=None, qr_cccd=None
            )
            return advance(confirmed, ctx)
        case Pressed(data="qr:no"):
            return advance(
                replace(draft, qr_name=None, qr_cccd=None, holder_name=None, cccd=None), ctx
            )
    return _explain(draft, event, ctx)


def _phone(draft: Draft, event: Event, ctx: Context) -> Transition:
    match event:
        case ContactShared(phone=phone):
            digits = re.sub(r"[^\d+]", "", phone)
            return advance(replace(draft, phone=digits), ctx)
        case Text(text=text) if _answer_is(text, "phone.skip"):
            return advance(replace(draft, phone=""), ctx)
        case Text(text=text):
            digits = re.sub(r"[\s.()-]", "", text)
            if _PHONE.match(digits):
                return advance(replace(draft, phone=digits), ctx)
            return _with(draft, ctx, Reply("phone.invalid"))
    return _explain(draft, event, ctx)


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
            if _answer_is(event.text, key):
                updated, dropped = _with_status(draft, status)
                return advance(updated, ctx, effects=dropped)
    return _explain(draft, event, ctx)


def _serial(draft: Draft, event: Event, ctx: Context) -> Transition:
    if isinstance(event, Text):
        serial = re.sub(r"\s+", " ", nfc(event.text).upper())
        if _SERIAL.match(serial):
            return advance(replace(draft, serial=serial), ctx)
        return _with(draft, ctx, Reply("serial.invalid"))
    return _explain(draft, event, ctx)


def _sheet_or_parcel(event: Event) -> str | None:
    """A typed map sheet or parcel number: the value, "" for "I don't know", None if invalid."""
    if not isinstance(event, Text):
        return None
    if _answer_is(event.text, "answer.dont_know"):
        return ""
    value = nfc(event.text).upper().replace(" ", "")
    return value if _SHEET.match(value) else None


def _map_sheet(draft: Draft, event: Event, ctx: Context) -> Transition:
    value = _sheet_or_parcel(event)
    if value is not None:
        return advance(replace(draft, map_sheet=value), ctx)
    if isinstance(event, Text):
        return _with(draft, ctx, Reply("map_sheet.invalid"))
    return _explain(draft, event, ctx)


def _parcel_no(draft: Draft, event: Event, ctx: Context) -> Transition:
    value = _sheet_or_parcel(event)
    if value is not None:
        return advance(replace(draft, parcel_no=value), ctx)
    if isinstance(event, Text):
        return _with(draft, ctx, Reply("parcel_no.invalid"))
    return _explain(draft, event, ctx)


def _upload(
    draft: Draft,
    event: Upload,
    ctx: Context,
    *,
    slot: Slot | None = None,
    before: tuple[Reply, ...] = (),
) -> Transition:
    if event.file_size is not None and event.file_size > MAX_FILE_BYTES:
        return _with(draft, ctx, Reply("photo.too_big"))
    if any(state.file_unique_id == event.file_unique_id for state in draft.slots.values()):
        return _with(draft, ctx, Reply("photo.duplicate"))
    target = slot or next_open_slot(draft)
    if target is None:
        return _spare(draft, event, ctx)
    previous = draft.slots.get(target)
    effects: list[Effect] = [AcceptUpload(target.value, event)]
    if previous is not None and previous.file_unique_id:
        effects.insert(0, DiscardUpload(previous.file_unique_id))
    slots = {**draft.slots, target.value: SlotState(SlotStatus.CHECKING, event.file_unique_id)}
    updated = replace(draft, slots=slots, sealed_for=draft.commune.id if draft.commune else None)
    if draft.step is not Step.DOCUMENTS:
        return Transition(updated, before, tuple(effects))
    # In an album every photo arrives as its own update: only the checklist changes (the
    # adapter coalesces its edits); the next question follows the verdicts.
    return Transition(updated, (checklist(updated, ctx.language),), tuple(effects))


def _spare(draft: Draft, event: Upload, ctx: Context) -> Transition:
    """A photo with no slot left for it; an album is answered once, not once per photo."""
    key = "docs.all_in" if slots_complete(draft) else "docs.spare"
    if event.media_group_id is None:
        return _with(draft, ctx, Reply(key))
    if event.media_group_id == draft.spare_group:
        return Transition(draft)
    return Transition(replace(draft, spare_group=event.media_group_id), (Reply(key),))


def _documents(draft: Draft, event: Event, ctx: Context) -> Transition:
    match event:
        case Upload():
            return _upload(draft, event, ctx)
        case Text(text=text) if _answer_is(text, "docs.skip") and next_open_slot(draft):
            return _documents(draft, replace_press(event, f"skip:{next_open_slot(draft)}"), ctx)
        case Pressed(data=data) if data.startswith("skip:"):
            slot = data[5:]
            rules = {
                rule.slot.value: rule
                for rule in slots_for(draft.certificate_status or CertificateStatus.HELD)
            }
            rule = rules.get(slot)
            state = draft.slots.get(slot, SlotState())
            if rule is not None and not rule.required and state.status is SlotStatus.EMPTY:
                slots = {**draft.slots, slot: SlotState(SlotStatus.SKIPPED)}
                return advance(replace(draft, slots=slots), ctx)
    return _explain(draft, event, ctx)


def replace_press(event: Text, data: str) -> Pressed:
    """A typed button label, treated as the press of that button."""
    return Pressed(event.actor, event.update_id, data=data, message_id=None, callback_id="")


def _review(draft: Draft, event: Event, ctx: Context) -> Transition:
    match event:
        case Pressed(data="submit"):
            # the receipt (through the outbox) is the answer; no "sending…" that would linger
            return Transition(None, (), (SubmitDraft(draft),))
        case Pressed(data="edit:person"):
            cleared = replace(draft, whose=None, holder_name=None, cccd=None, phone=None)
            return advance(cleared, ctx)
        case Pressed(data="edit:cert"):
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
        case Pressed(data="edit:location"):
            return advance(replace(draft, commune=None, village=None, triage=False), ctx)
        case Upload():
            return _spare(draft, event, ctx)
    return _explain(draft, event, ctx)


def _restart_confirm(draft: Draft, event: Event, ctx: Context) -> Transition:
    match event:
        case Pressed(data="restart:continue"):
            resumed = replace(draft, step=draft.resume_step or Step.COMMUNE, resume_step=None)
            return advance(resumed, ctx)
        case Pressed(data="restart:over"):
            fresh = Draft(step=Step.CONSENT)
            return advance(fresh, ctx, Reply("restart.done"), effects=(DiscardDraft(),))
    return _explain(draft, event, ctx)


def _checked(draft: Draft, event: DocumentChecked, ctx: Context) -> Transition:
    """A verdict arrived for a photo in one of the draft's slots."""
    state = draft.slots.get(event.slot)
    if state is None or state.file_unique_id != event.file_unique_id:
        return Transition(draft)  # the slot was emptied or replaced meanwhile
    if not event.accepted:
        slots = {**draft.slots, event.slot: SlotState(SlotStatus.EMPTY, None, event.issues)}
        updated = replace(draft, slots=slots)
        retake = Reply(
            "photo.retake",
            {
                "slot_key": f"slot.{event.slot}",
                "issues_keys": [f"issue.{i}" for i in event.issues],
            },
        )
        if draft.step is Step.DOCUMENTS:
            return Transition(
                updated, (checklist(updated, ctx.language), retake, *prompt(updated, ctx)[1:])
            )
        return Transition(updated, (retake, *prompt(updated, ctx)))
    slots = {**draft.slots, event.slot: SlotState(SlotStatus.OK, event.file_unique_id)}
    updated = replace(draft, slots=slots)
    if event.qr_cccd and draft.step in (Step.NAME, Step.CCCD) and draft.cccd is None:
        return advance(replace(updated, qr_name=event.qr_name, qr_cccd=event.qr_cccd), ctx)
    if draft.step in (Step.NAME, Step.CCCD):
        if event.slot != Slot.CCCD_FRONT:
            return Transition(updated)  # the back of the card, from the same album
        return _with(updated, ctx, Reply("cccd.photo_ok_no_qr"))
    if draft.step is Step.DOCUMENTS:
        if slots_complete(updated):
            return advance(updated, ctx)
        if any(s.status is SlotStatus.CHECKING for s in updated.slots.values()):
            return Transition(updated, (checklist(updated, ctx.language),))
        return _with(updated, ctx)
    return Transition(updated)


_STEPS = {
    Step.CONSENT: _consent,
    Step.COMMUNE: _commune,
    Step.VILLAGE: _village,
    Step.WHOSE: _whose,
    Step.NAME: _name,
    Step.CCCD: _cccd,
    Step.QR_CONFIRM: _qr_confirm,
    Step.PHONE: _phone,
    Step.CERT_STATUS: _cert_status,
    Step.SERIAL: _serial,
    Step.MAP_SHEET: _map_sheet,
    Step.PARCEL_NO: _parcel_no,
    Step.DOCUMENTS: _documents,
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
            return Transition(None, () if event.data == "submit" else (Reply("button.expired"),))
        return Transition(None, (Reply("start.hint"),))
    return _STEPS[draft.step](draft, event, ctx)
