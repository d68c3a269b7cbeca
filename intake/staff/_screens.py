"""What staff see in Telegram: each screen (text and buttons) made from plain data (pure).

The desk loads what a screen shows and asks the policy; a screen only arranges it: the queue
with its filters and pages, a submission's card with the review buttons the reader may press,
the needs-info slot picker, the reasons to reject, the villages to assign, progress, settings,
invitations and assisted submissions. Every button's data comes from the staff codec.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from intake.chat import Button, Keyboard, KeyboardKind, Reply
from intake.flow import Place
from intake.staff._callbacks import (
    Accept,
    AcceptConfirmed,
    AllVillages,
    Assign,
    AssignTo,
    AssistHousehold,
    AssistOther,
    AssistVillage,
    ChooseCommune,
    ChooseVillage,
    InviteChief,
    InviteOfficer,
    NeedsInfoDone,
    NeedsInfoSlots,
    Open,
    Queue,
    QueuePlace,
    Reject,
    RejectFor,
    Setting,
    SkipNote,
    Triage,
    VillageProgress,
    data_of,
)
from intake.submissions import Card, QueueItem, QueuePage
from storage.states import SubmissionState

__all__ = [
    "MAX_BUTTONS",
    "QueueScreen",
    "accept_confirm",
    "ask_note",
    "assign_menu",
    "assist_households",
    "assist_villages",
    "card_screen",
    "commune_picker",
    "invite_menu",
    "needs_info_menu",
    "queue_screen",
    "reject_menu",
    "search_results",
    "settings_screen",
    "village_picker",
    "village_progress_buttons",
]

MAX_BUTTONS = 40  # villages listed as buttons; a commune has tens of them
MAX_HOUSEHOLDS = 12  # households offered for /assist: a phone screen of them
COMMUNES_PER_PAGE = 10
_STATE_FILTERS = ("submitted", "resubmitted", "needs_info", "accepted")


def _inline(*rows: tuple[Button, ...]) -> Keyboard:
    return Keyboard(KeyboardKind.INLINE, tuple(row for row in rows if row))


@dataclass(frozen=True)
class QueueScreen:
    """A queue page and where it is: a commune, a village, the triage queue or all."""

    commune_id: int
    place: QueuePlace
    place_name: str
    state: str | None
    page: int
    page_size: int
    content: QueuePage
    may_choose_village: bool  # officers and admins switch villages; a chief has one
    searching: bool = False  # a typed text finds submissions (the header says so)


# A row's state as one sign, so that a row stays short enough for a phone's button width.
STATE_SIGNS = {
    SubmissionState.SUBMITTED: "🆕",
    SubmissionState.IN_REVIEW: "👀",
    SubmissionState.NEEDS_INFO: "❓",
    SubmissionState.RESUBMITTED: "🔁",
    SubmissionState.ACCEPTED: "✅",
    SubmissionState.REJECTED: "⛔",
    SubmissionState.WITHDRAWN: "↩️",
}


def _item(item: QueueItem, *, with_village: bool) -> tuple[Button, ...]:
    """One short row: sign, receipt, name, and the village when the list spans villages."""
    params = {"sign": STATE_SIGNS[item.state], "receipt": item.receipt, "name": item.holder_name}
    key = "queue.item"
    if with_village and item.village:
        key, params["village"] = "queue.item_village", item.village
    elif with_village:
        key = "queue.item_no_village"
    return (Button(key, data=data_of(Open(item.receipt)), params=params),)


def queue_screen(screen: QueueScreen) -> Reply:
    with_village = isinstance(screen.place, AllVillages)
    rows: list[tuple[Button, ...]] = [
        _item(item, with_village=with_village) for item in screen.content.items
    ]

    def page(state: str | None, number: int) -> str:
        return data_of(Queue(screen.commune_id, screen.place, state, number))

    paging = []
    if screen.page > 0:
        paging.append(Button("queue.previous", data=page(screen.state, screen.page - 1)))
    if (screen.page + 1) * screen.page_size < screen.content.total:
        paging.append(Button("queue.next", data=page(screen.state, screen.page + 1)))
    rows.append(tuple(paging))
    filters = [Button(f"filter.{s}", data=page(s, 0)) for s in _STATE_FILTERS if s != screen.state]
    if screen.state is not None:
        filters.insert(0, Button("filter.open", data=page(None, 0)))
    rows.append(tuple(filters[:2]))
    rows.append(tuple(filters[2:]))
    if screen.may_choose_village:
        rows.append(
            (Button("queue.choose_village", data=data_of(ChooseVillage(screen.commune_id))),)
        )
    count_lines = [
        ("queue.count", {"state_key": f"state.{s}", "count": n})
        for s, n in sorted(screen.content.counts.items())
    ]
    return Reply(
        "queue.header",
        {
            "place": screen.place_name,
            "filter_key": f"filter.{screen.state or 'open'}",
            "total": screen.content.total,
            "counts_lines": count_lines or [("staff.none", {})],
            "hint_lines": [("queue.search_hint", {})] if screen.searching else [],
        },
        keyboard=_inline(*rows),
    )


def search_results(text: str, items: Sequence[QueueItem], total: int) -> Reply:
    """What a typed search found (more than one; one opens at once), newest first."""
    key = "search.results" if total <= len(items) else "search.results_more"
    return Reply(
        key,
        {"text": text, "count": total, "shown": len(items)},
        keyboard=_inline(*(_item(item, with_village=True) for item in items)),
    )


def village_picker(commune_id: int, villages: Sequence[Place]) -> Reply:
    def queue(place: QueuePlace) -> str:
        return data_of(Queue(commune_id, place, None, 0))

    rows = [(Button("queue.triage", data=queue(Triage.TRIAGE)),)]
    rows += [(Button("", data=queue(v.id), literal=v.name),) for v in villages[:MAX_BUTTONS]]
    rows.append((Button("queue.all_villages", data=queue(AllVillages.ALL)),))
    return Reply("queue.pick_village", keyboard=_inline(*rows))


def commune_picker(communes: Sequence[Place], page: int, *, more: bool) -> Reply:
    """A page of the province's communes (admins)."""
    rows: list[tuple[Button, ...]] = [
        (Button("", data=data_of(Queue(c.id, AllVillages.ALL, None, 0)), literal=c.name),)
        for c in communes[:COMMUNES_PER_PAGE]
    ]
    paging = []
    if page > 0:
        paging.append(Button("queue.previous", data=data_of(ChooseCommune(page - 1))))
    if more:
        paging.append(Button("queue.next", data=data_of(ChooseCommune(page + 1))))
    rows.append(tuple(paging))
    return Reply("queue.pick_commune", keyboard=_inline(*rows))


def card_screen(card: Card, *, may_review: bool, may_assign: bool, closed: bool) -> Reply:
    """A submission's card with the review buttons the reader may press."""
    receipt = card.receipt
    rows: list[tuple[Button, ...]] = []
    if may_review and not closed:
        if card.state is not SubmissionState.NEEDS_INFO:
            rows.append(
                (
                    Button("review.accept", data=data_of(Accept(receipt))),
                    Button("review.needs_info", data=data_of(NeedsInfoSlots(receipt, 0))),
                )
            )
        rows.append((Button("review.reject", data=data_of(Reject(receipt))),))
    if may_assign and not closed:
        rows.append((Button("review.assign", data=data_of(Assign(receipt))),))
    key = "card.text_requested" if card.requested else "card.text"
    params = card.params()
    params["requested_keys"] = [f"slot.{s}" for s in card.requested]
    return Reply(key, params, keyboard=_inline(*rows) if rows else None)


def _back(receipt: str) -> tuple[Button, ...]:
    return (Button("review.back", data=data_of(Open(receipt))),)


def accept_confirm(receipt: str) -> Reply:
    return Reply(
        "review.accept_confirm",
        {"receipt": receipt},
        keyboard=_inline(
            (Button("review.accept_yes", data=data_of(AcceptConfirmed(receipt))),),
            _back(receipt),
        ),
    )


def needs_info_menu(
    receipt: str, slots: Sequence[str], mask: int, *, edit_message_id: int | None
) -> Reply:
    """Tick the missing or unreadable slots (bit i of `mask`: the i-th slot); the menu is
    edited in place as slots are ticked."""
    rows: list[tuple[Button, ...]] = []
    for index, slot in enumerate(slots):
        chosen = bool(mask & (1 << index))
        rows.append(
            (
                Button(
                    "review.slot_chosen" if chosen else "review.slot_open",
                    data=data_of(NeedsInfoSlots(receipt, mask ^ (1 << index))),
                    params={"slot_key": f"slot.{slot}"},
                ),
            )
        )
    if mask:
        rows.append((Button("review.slots_done", data=data_of(NeedsInfoDone(receipt, mask))),))
    rows.append(_back(receipt))
    return Reply(
        "review.choose_slots",
        {"receipt": receipt},
        keyboard=_inline(*rows),
        edit_message_id=edit_message_id if mask else None,
    )


def ask_note(slots: Sequence[str]) -> Reply:
    return Reply(
        "review.ask_note",
        {"slots_keys": [f"slot.{s}" for s in slots]},
        keyboard=_inline((Button("review.no_note", data=data_of(SkipNote())),)),
    )


def reject_menu(receipt: str, reasons: Sequence[str]) -> Reply:
    rows: list[tuple[Button, ...]] = [
        (Button(f"reject.{reason}", data=data_of(RejectFor(receipt, reason))),)
        for reason in (*reasons, "other")
    ]
    rows.append(_back(receipt))
    return Reply("review.reject_reason", {"receipt": receipt}, keyboard=_inline(*rows))


def assign_menu(receipt: str, villages: Sequence[Place], current: int | None) -> Reply:
    rows: list[tuple[Button, ...]] = [
        (Button("", data=data_of(AssignTo(receipt, v.id)), literal=v.name),)
        for v in villages[:MAX_BUTTONS]
        if v.id != current
    ]
    rows.append(_back(receipt))
    return Reply("review.choose_village", {"receipt": receipt}, keyboard=_inline(*rows))


def village_progress_buttons(villages: Sequence[Place]) -> Keyboard:
    """One button per village: its progress and the households still missing."""
    return _inline(
        *(
            (Button("", data=data_of(VillageProgress(v.id)), literal=f"📋 {v.name}"),)
            for v in villages[:MAX_BUTTONS]
        )
    )


def settings_screen(*, chief: bool, daily_digest: bool, digest_hour: int) -> Reply:
    rows: list[tuple[Button, ...]] = []
    if chief:
        rows.append(
            (
                Button("settings.instant", data=data_of(Setting("instant"))),
                Button("settings.digest", data=data_of(Setting("digest"))),
            )
        )
    rows.append(
        (
            Button("settings.lang_vi", data=data_of(Setting("vi"))),
            Button("settings.lang_en", data=data_of(Setting("en"))),
        )
    )
    mode = (
        ("settings.mode_digest", {"hour": digest_hour})
        if daily_digest
        else (
            "settings.mode_instant",
            {},
        )
    )
    return Reply(
        "settings.show",
        {"mode_lines": [mode if chief else ("staff.none", {})]},
        keyboard=_inline(*rows),
    )


def invite_menu(villages: Sequence[Place]) -> Reply:
    rows: list[tuple[Button, ...]] = [
        (Button("", data=data_of(InviteChief(v.id)), literal=f"👤 {v.name}"),)
        for v in villages[:MAX_BUTTONS]
    ]
    rows.append((Button("invite.officer_button", data=data_of(InviteOfficer())),))
    return Reply("invite.choose", keyboard=_inline(*rows))


def assist_households(
    village_id: int, village: str, households: Sequence[tuple[uuid.UUID, str]], total: int
) -> Reply:
    """Whom to submit for: the village's households of the target list who have not submitted
    (the first ones, in list order), then anyone else."""
    rows = [
        (Button("", data=data_of(AssistHousehold(target_id)), literal=name),)
        for target_id, name in households[:MAX_HOUSEHOLDS]
    ]
    rows.append((Button("assist.other_household", data=data_of(AssistOther(village_id))),))
    key = "assist.choose_household" if total <= MAX_HOUSEHOLDS else "assist.choose_household_more"
    params = {"village": village, "count": total, "shown": min(total, MAX_HOUSEHOLDS)}
    return Reply(key, params, keyboard=_inline(*rows))


def assist_villages(villages: Sequence[Place]) -> Reply:
    rows = [
        (Button("", data=data_of(AssistVillage(v.id)), literal=v.name),)
        for v in villages[:MAX_BUTTONS]
    ]
    return Reply("assist.choose_village", keyboard=_inline(*rows))
