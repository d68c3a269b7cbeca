"""What people see of data-subject requests (pure): a request as staff read it (`RequestView`),
the resident's buttons and questions, and the staff desk's list and card, with each clock as
it stands (running, due today, overdue, met). Every button's data comes from the codec."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from intake.chat import Button, Keyboard, KeyboardKind, Reply
from intake.requests._callbacks import (
    AskRequest,
    DropAsk,
    ListRequests,
    OpenRequest,
    RequestAcknowledge,
    RequestDone,
    resident_data,
    staff_data,
)
from intake.requests._clocks import Clocks, ClockState
from storage.states import DataRequestKind, DataRequestState

__all__ = [
    "MAX_LISTED",
    "RequestView",
    "ask_note",
    "ask_words",
    "choose_commune",
    "clock_line",
    "request_buttons",
    "request_card",
    "requests_list",
]

MAX_LISTED = 20  # requests on one Telegram list (a commune has a handful open)


@dataclass(frozen=True)
class RequestView:
    """A request as staff read it (in Telegram and the console): its words opened, its clocks
    as they stand now, the resident's receipts in the commune (to find what to copy or fix)."""

    code: str
    kind: DataRequestKind
    state: DataRequestState
    commune_id: int
    commune: str
    received_at: datetime  # Vietnam time
    clocks: Clocks
    acknowledge: ClockState
    complete: ClockState
    acknowledged_at: datetime | None  # Vietnam time
    completed_at: datetime | None  # Vietnam time
    details: str | None
    note: str | None
    receipts: tuple[str, ...]

    @property
    def open(self) -> bool:
        return self.state is not DataRequestState.COMPLETED

    @property
    def overdue(self) -> bool:
        return ClockState.OVERDUE in (self.acknowledge, self.complete)


def _inline(*rows: tuple[Button, ...]) -> Keyboard:
    return Keyboard(KeyboardKind.INLINE, tuple(row for row in rows if row))


# --- the resident ---------------------------------------------------------------------------


def request_buttons(commune_id: int | None = None) -> Keyboard:
    """Ask for a copy · ask for a correction (under /mydata and /request)."""
    return _inline(
        (
            Button(
                "request.copy_button",
                data=resident_data(AskRequest(DataRequestKind.COPY, commune_id)),
            ),
        ),
        (
            Button(
                "request.correct_button",
                data=resident_data(AskRequest(DataRequestKind.CORRECTION, commune_id)),
            ),
        ),
    )


def choose_commune(kind: DataRequestKind, communes: Sequence[tuple[int, str]]) -> Reply:
    """The resident has submissions in several communes: one request goes to one of them."""
    return Reply(
        "request.choose_commune",
        {"kind_key": f"request.kind_{kind.value}"},
        keyboard=_inline(
            *(
                (Button("", data=resident_data(AskRequest(kind, commune_id)), literal=name),)
                for commune_id, name in communes
            )
        ),
    )


def ask_words(commune: str, max_length: int) -> Reply:
    return Reply(
        "request.ask_words",
        {"commune": commune, "max": max_length},
        keyboard=_inline((Button("request.drop_button", data=resident_data(DropAsk())),)),
    )


# --- staff ----------------------------------------------------------------------------------

_SIGN = {
    ClockState.RUNNING: "⏳",
    ClockState.DUE_TODAY: "⚠️",
    ClockState.OVERDUE: "🔴",
    ClockState.MET: "✅",
    ClockState.MET_LATE: "☑️",
}


def _day(day: date | datetime | None) -> str:
    return f"{day:%d/%m/%Y}" if day is not None else "—"


def clock_line(
    label: str, due: date, state: ClockState, done: datetime | None
) -> tuple[str, dict[str, object]]:
    """One clock as a line of a message: its sign, what it is, its day, how it stands."""
    return (
        f"requests.clock_{state.value}",
        {
            "sign": _SIGN[state],
            "label_key": f"requests.clock_{label}",
            "day": _day(due),
            "done": _day(done),
        },
    )


def _sign(view: RequestView) -> str:
    if not view.open:
        return "🏁"
    if view.overdue:
        return "🔴"
    if ClockState.DUE_TODAY in (view.acknowledge, view.complete):
        return "⚠️"
    return "📮"


def _clocks(view: RequestView) -> list[tuple[str, dict[str, object]]]:
    return [
        clock_line(
            "acknowledge", view.clocks.acknowledge_by, view.acknowledge, view.acknowledged_at
        ),
        clock_line("complete", view.clocks.complete_by, view.complete, view.completed_at),
    ]


def _params(view: RequestView) -> dict[str, object]:
    return {
        "sign": _sign(view),
        "code": view.code,
        "kind_key": f"request.kind_{view.kind.value}",
        "commune": view.commune,
        "received": f"{view.received_at:%H:%M %d/%m/%Y}",
        "clocks_lines": _clocks(view),
    }


def requests_list(views: Sequence[RequestView]) -> Reply:
    """The open requests, oldest first, each with its clocks and a button that opens it."""
    if not views:
        return Reply("requests.none")
    shown = views[:MAX_LISTED]
    return Reply(
        "requests.list",
        {
            "count": len(views),
            "items_lines": [("requests.item", _params(view)) for view in shown],
            "more": max(0, len(views) - len(shown)),
        },
        keyboard=_inline(
            *(
                (
                    Button(
                        "",
                        data=staff_data(OpenRequest(view.code)),
                        literal=f"{_sign(view)} {view.code}",
                    ),
                )
                for view in shown
            )
        ),
    )


def request_card(view: RequestView, *, may_answer: bool) -> Reply:
    """A request with its clocks, the resident's words and receipts, the officer's answer;
    the buttons the reader may press (acknowledge while received, done while open)."""
    rows: list[tuple[Button, ...]] = []
    if may_answer and view.state is DataRequestState.RECEIVED:
        rows.append(
            (
                Button(
                    "requests.acknowledge_button", data=staff_data(RequestAcknowledge(view.code))
                ),
            )
        )
    if may_answer and view.open:
        rows.append((Button("requests.done_button", data=staff_data(RequestDone(view.code))),))
    rows.append((Button("requests.list_button", data=staff_data(ListRequests())),))
    return Reply(
        "requests.card",
        {
            **_params(view),
            "state_key": f"requests.state_{view.state.value}",
            "receipts": ", ".join(view.receipts) or "—",
            "details": view.details or "—",
            "note": view.note or "—",
        },
        keyboard=_inline(*rows),
    )


def ask_note(code: str) -> Reply:
    return Reply("requests.ask_note", {"code": code})
