"""The question the resident sees at each step, with its buttons, and the document checklist."""

from __future__ import annotations

from intake.chat import Button, Keyboard, KeyboardKind, Reply
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
    Restart,
    SkipSlot,
    Submit,
    VillagePage,
    VillageUnknown,
    data_of,
)
from intake.flow._model import Context, Draft, Place, SlotState, SlotStatus, Step
from intake.flow._slots import Slot, slots_for
from intake.language import CATALOG, Language, render
from storage.states import CertificateStatus

__all__ = [
    "ASSISTED",
    "CERT_STATUS_KEYS",
    "LANGUAGE_KEYBOARD",
    "REMOVE_KEYBOARD",
    "WHOSE_KEYS",
    "checklist",
    "next_open_slot",
    "prompt",
    "replace_page_menu",
    "slots_complete",
    "worded",
]

VILLAGES_PER_PAGE = 8

WHOSE_KEYS = {"self": "whose.self", "family": "whose.family"}
CERT_STATUS_KEYS = {
    CertificateStatus.HELD: "cert.held",
    CertificateStatus.AT_BANK: "cert.at_bank",
    CertificateStatus.LOST: "cert.lost",
    CertificateStatus.NEVER_ISSUED: "cert.never_issued",
}
# A text that speaks as the resident ("I have it") has a wording for staff submitting on a
# household's behalf under this prefix ("assist.cert.held": "the household has it").
ASSISTED = "assist."


def worded(key: str, draft: Draft | None) -> str:
    """`key`, or its wording for staff asking on a household's behalf when the draft is an
    assisted one and the catalog has such a wording."""
    if draft is not None and draft.assisted_by is not None and ASSISTED + key in CATALOG:
        return ASSISTED + key
    return key


_MARKS = {
    SlotStatus.EMPTY: "⬜",
    SlotStatus.CHECKING: "⏳",
    SlotStatus.OK: "✅",
    SlotStatus.SKIPPED: "➖",
}


def _inline(*rows: tuple[Button, ...]) -> Keyboard:
    return Keyboard(KeyboardKind.INLINE, tuple(rows))


def _reply_keyboard(*rows: tuple[Button, ...]) -> Keyboard:
    return Keyboard(KeyboardKind.REPLY, tuple(rows))


REMOVE_KEYBOARD = Keyboard(KeyboardKind.REMOVE)
LANGUAGE_KEYBOARD = _inline(
    (
        Button("language.button.vi", data=data_of(ChooseLanguage("vi"))),
        Button("language.button.en", data=data_of(ChooseLanguage("en"))),
    ),
)


def _village_keyboard(draft: Draft, ctx: Context) -> Keyboard:
    villages = ctx.directory.villages.get(draft.commune.id, ()) if draft.commune else ()
    pages = max(1, -(-len(villages) // VILLAGES_PER_PAGE))
    page = min(max(draft.village_page, 0), pages - 1)
    shown = villages[page * VILLAGES_PER_PAGE : (page + 1) * VILLAGES_PER_PAGE]
    chosen = draft.village.id if draft.village else None

    def label(village: Place) -> str:  # the village already chosen is marked
        return f"✅ {village.name}" if village.id == chosen else village.name

    rows: list[tuple[Button, ...]] = [
        tuple(
            Button("", data=data_of(PickVillage(v.id)), literal=label(v)) for v in shown[i : i + 2]
        )
        for i in range(0, len(shown), 2)
    ]
    navigation = []
    if page > 0:
        navigation.append(Button("nav.previous", data=data_of(VillagePage(page - 1))))
    if page < pages - 1:
        navigation.append(Button("nav.next", data=data_of(VillagePage(page + 1))))
    if navigation:
        rows.append(tuple(navigation))
    rows.append((Button("village.unknown", data=data_of(VillageUnknown())),))
    rows.append((Button("village.other_commune", data=data_of(OtherCommune())),))
    return _inline(*rows)


def slot_name(language: Language, slot: str) -> str:
    return render(language, f"slot.{slot}")


def checklist(draft: Draft, language: Language) -> Reply:
    """The checklist message, edited in place as photos arrive."""
    lines = []
    for rule in slots_for(draft.certificate_status or CertificateStatus.HELD):
        state = draft.slots.get(rule.slot, SlotState())
        optional = "" if rule.required else render(language, "slot.optional")
        lines.append(f"{_MARKS[state.status]} {slot_name(language, rule.slot)}{optional}")
    first = draft.checklist_message_id is None  # a new message also clears the reply keyboard
    return Reply(
        "docs.checklist",
        {"lines": "\n".join(lines)},
        keyboard=REMOVE_KEYBOARD if first else None,
        edit_message_id=draft.checklist_message_id,
        remember_as="checklist",
    )


def next_open_slot(draft: Draft) -> Slot | None:
    """The first slot still waiting for a photo (not received, not being checked, not skipped)."""
    if draft.certificate_status is None:
        return None
    for rule in slots_for(draft.certificate_status):
        if draft.slots.get(rule.slot, SlotState()).status is SlotStatus.EMPTY:
            return rule.slot
    return None


def slots_complete(draft: Draft) -> bool:
    if draft.certificate_status is None:
        return False
    done = (SlotStatus.OK, SlotStatus.SKIPPED)
    return all(
        draft.slots.get(rule.slot, SlotState()).status in done
        for rule in slots_for(draft.certificate_status)
    )


def _slot_prompt(draft: Draft, language: Language) -> Reply:
    slot = next_open_slot(draft)
    if slot is None:
        return Reply("docs.wait")
    rule = next(
        r for r in slots_for(draft.certificate_status or CertificateStatus.HELD) if r.slot == slot
    )
    keyboard = (
        None if rule.required else _inline((Button("docs.skip", data=data_of(SkipSlot(slot))),))
    )
    return Reply(f"docs.ask.{slot}", keyboard=keyboard)


def _summary(draft: Draft, language: Language) -> Reply:
    location = draft.village.name if draft.village else render(language, "review.village_unknown")
    status = (
        render(language, worded(CERT_STATUS_KEYS[draft.certificate_status], draft))
        if draft.certificate_status
        else ""
    )
    skipped = render(language, "review.not_given")
    params = {
        "commune": draft.commune.name if draft.commune else "",
        "village": location,
        "whose": (
            render(language, worded(f"review.whose.{draft.whose.value}", draft))
            if draft.whose
            else ""
        ),
        "name": draft.holder_name or "",
        "cccd": draft.cccd or "",
        "phone": draft.phone or skipped,
        "status": status,
        "serial": draft.serial or skipped,
        "map_sheet": draft.map_sheet or skipped,
        "parcel_no": draft.parcel_no or skipped,
    }
    keyboard = _inline(
        (Button("review.submit", data=data_of(Submit())),),
        (
            Button("review.edit_person", data=data_of(Edit("person"))),
            Button("review.edit_certificate", data=data_of(Edit("cert"))),
        ),
        (
            Button("review.edit_location", data=data_of(Edit("location"))),
            Button("review.replace_page", data=data_of(Edit("photos"))),
        ),
    )
    return Reply(worded("review.summary", draft), params, keyboard=keyboard)


def _qr_check(draft: Draft) -> Reply:
    """The first number a QR code read differently: which one is right (or, where none was
    typed, whether to use it)."""
    field = "cccd" if "cccd" in draft.read else "serial"
    read = draft.read[field]
    typed = draft.cccd if field == "cccd" else draft.serial
    if not typed:
        return Reply(
            f"qrcheck.{field}_fill",
            {"read": read},
            _inline(
                (Button("qrcheck.fill_yes", data=data_of(QrKeep(field, use_read=True))),),
                (Button("qrcheck.fill_no", data=data_of(QrKeep(field, use_read=False))),),
            ),
        )
    return Reply(
        worded(f"qrcheck.{field}", draft),
        {"read": read, "typed": typed},
        _inline(
            (
                Button(
                    "qrcheck.use_read",
                    data=data_of(QrKeep(field, use_read=True)),
                    params={"read": read},
                ),
            ),
            (
                Button(
                    worded("qrcheck.use_typed", draft),
                    data=data_of(QrKeep(field, use_read=False)),
                    params={"typed": typed},
                ),
            ),
        ),
    )


def replace_page_menu(draft: Draft) -> Reply:
    """Which page to take again: one button per page sent."""
    sent = [slot for slot, state in draft.slots.items() if state.status is SlotStatus.OK]
    return Reply(
        "review.which_page",
        keyboard=_inline(
            *((Button(f"slot.{slot}", data=data_of(ReplaceSlot(slot))),) for slot in sent)
        ),
    )


def prompt(draft: Draft, ctx: Context) -> tuple[Reply, ...]:
    """The question of the draft's current step (asked again after any detour)."""
    language = ctx.language
    match draft.step:
        case Step.CONSENT if draft.assisted_by is not None:
            return (
                Reply(
                    "assist.consent",
                    {"village": draft.village.name if draft.village else "—"},
                    keyboard=_inline(
                        (Button("assist.consent_yes", data=data_of(Agree(yes=True))),),
                        (Button("assist.consent_no", data=data_of(Agree(yes=False))),),
                    ),
                ),
            )
        case Step.CONSENT:
            other = "en" if language is Language.VI else "vi"
            return (
                Reply(
                    "consent.notice",
                    keyboard=_inline(
                        (Button("consent.yes", data=data_of(Agree(yes=True))),),
                        (Button("consent.no", data=data_of(Agree(yes=False))),),
                        (Button("language.switch", data=data_of(ChooseLanguage(other))),),
                    ),
                ),
            )
        case Step.COMMUNE:
            if draft.candidates:
                rows = tuple(
                    (Button("", data=data_of(PickCommune(c.id)), literal=c.name),)
                    for c in draft.candidates
                )
                return (Reply("commune.pick", keyboard=_inline(*rows)),)
            return (
                Reply("commune.ask", {"province": ctx.directory.province_name}, REMOVE_KEYBOARD),
            )
        case Step.VILLAGE:
            commune = draft.commune.name if draft.commune else ""
            return (Reply("village.ask", {"commune": commune}, _village_keyboard(draft, ctx)),)
        case Step.WHOSE:
            return (
                Reply(
                    "whose.ask",
                    keyboard=_reply_keyboard((Button("whose.self"),), (Button("whose.family"),)),
                ),
            )
        case Step.NAME:
            key = "name.ask.self" if draft.whose == "self" else "name.ask.family"
            return (Reply(key, keyboard=REMOVE_KEYBOARD),)
        case Step.CCCD:
            return (Reply("cccd.ask"),)
        case Step.QR_CONFIRM:
            return (
                Reply(
                    "qr.confirm",
                    {"name": draft.qr_name or "", "cccd": draft.qr_cccd or ""},
                    _inline(
                        (Button("qr.yes", data=data_of(QrCorrect(yes=True))),),
                        (Button("qr.no", data=data_of(QrCorrect(yes=False))),),
                    ),
                ),
            )
        case Step.PHONE if draft.assisted_by is not None:
            return (Reply("assist.phone_ask", keyboard=_reply_keyboard((Button("phone.skip"),))),)
        case Step.PHONE:
            return (
                Reply(
                    "phone.ask",
                    keyboard=_reply_keyboard(
                        (Button("phone.share", request_contact=True),), (Button("phone.skip"),)
                    ),
                ),
            )
        case Step.CERT_STATUS:
            return (
                Reply(
                    "cert.ask",
                    keyboard=_reply_keyboard(
                        *((Button(worded(key, draft)),) for key in CERT_STATUS_KEYS.values())
                    ),
                ),
            )
        case Step.SERIAL:
            return (Reply("serial.ask", keyboard=_reply_keyboard((Button("answer.dont_know"),))),)
        case Step.MAP_SHEET:
            return (
                Reply(
                    "map_sheet.ask",
                    keyboard=_reply_keyboard((Button("answer.dont_know"),)),
                ),
            )
        case Step.PARCEL_NO:
            return (
                Reply(
                    "parcel_no.ask",
                    keyboard=_reply_keyboard((Button("answer.dont_know"),)),
                ),
            )
        case Step.DOCUMENTS:
            return (checklist(draft, language), _slot_prompt(draft, language))
        case Step.QR_CHECK if draft.read:
            return (_qr_check(draft),)
        case Step.REVIEW | Step.QR_CHECK:
            return (checklist(draft, language), _summary(draft, language))
        case Step.RESTART_CONFIRM:
            return (
                Reply(
                    "restart.ask",
                    keyboard=_inline(
                        (Button("restart.continue", data=data_of(Restart(over=False))),),
                        (Button("restart.over", data=data_of(Restart(over=True))),),
                    ),
                ),
            )
