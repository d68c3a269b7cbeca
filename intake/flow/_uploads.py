"""Photos and files in the conversation: which slot an upload fills, the verdicts coming back
from the document pipeline, albums, and the documents step itself."""

from __future__ import annotations

from dataclasses import replace

from intake.chat import DocumentChecked, Event, Pressed, Reply, Text, Upload
from intake.flow._callbacks import SkipSlot, data_of, parse
from intake.flow._effects import AcceptUpload, DiscardUpload, Effect, Transition
from intake.flow._model import Context, Draft, SlotState, SlotStatus, Step
from intake.flow._moves import advance, answer_is, ask, explain
from intake.flow._prompts import checklist, next_open_slot, prompt, slots_complete
from intake.flow._slots import Slot, slots_for
from intake.photos import MAX_UPLOAD_BYTES
from storage.states import CertificateStatus

__all__ = [
    "checked",
    "documents",
    "id_photo",
    "replace_press",
    "spare",
    "upload",
]


def id_photo(draft: Draft, event: Upload, ctx: Context) -> Transition:
    """A photo at the name/number questions is taken as the ID card's front (its QR helps);
    the next photo of the same album as its back."""
    front = draft.slots.get(Slot.CCCD_FRONT, SlotState())
    slot = Slot.CCCD_FRONT
    if event.media_group_id is not None and front.status is not SlotStatus.EMPTY:
        back = draft.slots.get(Slot.CCCD_BACK, SlotState())
        if back.status is not SlotStatus.EMPTY:
            return spare(draft, event, ctx)
        slot = Slot.CCCD_BACK
    before = (Reply("cccd.photo_checking"),) if slot is Slot.CCCD_FRONT else ()
    return upload(draft, event, ctx, slot=slot, before=before)


def upload(
    draft: Draft,
    event: Upload,
    ctx: Context,
    *,
    slot: Slot | None = None,
    before: tuple[Reply, ...] = (),
) -> Transition:
    if event.file_size is not None and event.file_size > MAX_UPLOAD_BYTES:
        return ask(draft, ctx, Reply("photo.too_big"))
    if any(state.file_unique_id == event.file_unique_id for state in draft.slots.values()):
        return ask(draft, ctx, Reply("photo.duplicate"))
    target = slot or next_open_slot(draft)
    if target is None:
        return spare(draft, event, ctx)
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


def spare(draft: Draft, event: Upload, ctx: Context) -> Transition:
    """A photo with no slot left for it; an album is answered once, not once per photo."""
    key = "docs.all_in" if slots_complete(draft) else "docs.spare"
    if event.media_group_id is None:
        return ask(draft, ctx, Reply(key))
    if event.media_group_id == draft.spare_group:
        return Transition(draft)
    return Transition(replace(draft, spare_group=event.media_group_id), (Reply(key),))


def documents(draft: Draft, event: Event, ctx: Context) -> Transition:
    match event:
        case Upload():
            return upload(draft, event, ctx)
        case Text(text=text) if answer_is(text, "docs.skip") and next_open_slot(draft):
            skip = data_of(SkipSlot(str(next_open_slot(draft))))
            return documents(draft, replace_press(event, skip), ctx)
        case Pressed(data=data) if isinstance(skipped := parse(data), SkipSlot):
            slot = skipped.slot
            rules = {
                rule.slot.value: rule
                for rule in slots_for(draft.certificate_status or CertificateStatus.HELD)
            }
            rule = rules.get(slot)
            state = draft.slots.get(slot, SlotState())
            if rule is not None and not rule.required and state.status is SlotStatus.EMPTY:
                slots = {**draft.slots, slot: SlotState(SlotStatus.SKIPPED)}
                return advance(replace(draft, slots=slots), ctx)
    return explain(draft, event, ctx)


def replace_press(event: Text, data: str) -> Pressed:
    """A typed button label, treated as the press of that button."""
    return Pressed(event.actor, event.update_id, data=data, message_id=None, callback_id="")


def _same_number(a: str, b: str) -> bool:
    return a.replace(" ", "").upper() == b.replace(" ", "").upper()


def _read(draft: Draft, event: DocumentChecked) -> dict[str, str]:
    """The numbers the document's QR code gives that differ from the typed answers (or fill
    the serial that was not known): the resident is asked about them before the summary."""
    read = dict(draft.read)
    if event.qr_cccd and draft.cccd and not _same_number(event.qr_cccd, draft.cccd):
        read["cccd"] = event.qr_cccd
    serial = event.qr_serial
    if (
        serial
        and draft.certificate_status is CertificateStatus.HELD
        and not (draft.serial and _same_number(serial, draft.serial))
    ):
        read["serial"] = serial
    return read


def checked(draft: Draft, event: DocumentChecked, ctx: Context) -> Transition:
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
    updated = replace(draft, slots=slots, read=_read(draft, event))
    if event.qr_cccd and draft.step in (Step.NAME, Step.CCCD) and draft.cccd is None:
        return advance(replace(updated, qr_name=event.qr_name, qr_cccd=event.qr_cccd), ctx)
    if draft.step in (Step.NAME, Step.CCCD):
        if event.slot != Slot.CCCD_FRONT:
            return Transition(updated)  # the back of the card, from the same album
        return ask(updated, ctx, Reply("cccd.photo_ok_no_qr"))
    if draft.step is Step.DOCUMENTS:
        if slots_complete(updated):
            return advance(updated, ctx)
        if any(s.status is SlotStatus.CHECKING for s in updated.slots.values()):
            return Transition(updated, (checklist(updated, ctx.language),))
        return ask(updated, ctx)
    return Transition(updated)
