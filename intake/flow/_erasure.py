"""`/delete`, confirmed twice (pure): which move an event makes while a deletion is offered,
and the messages of each move.

A deletion in progress waits on the resident's row as a `DeletePending`: the stage of the
confirmation on screen, the random nonce its button carries, and until when it counts. Only
the button of the confirmation on screen moves on; any other deletion button (an older one,
the other stage's, one pressed after `DELETE_WINDOW`, a forged one) is refused, and any other
input — a text, a photo, a command, another button — cancels the deletion and is then handled
as usual. The first confirmation asks; the second says exactly what will be lost and what is
kept; only then is anything erased.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from intake.chat import Button, Command, Event, Keyboard, KeyboardKind, Pressed, Reply
from intake.flow._callbacks import ConfirmDelete, KeepData, data_of, parse

__all__ = [
    "DELETE_WINDOW",
    "DeleteMove",
    "DeletePending",
    "Erased",
    "Holding",
    "delete_move",
    "erased_replies",
    "first_confirmation",
    "nothing_to_delete",
    "second_confirmation",
]

DELETE_WINDOW = timedelta(minutes=10)
_PENDING = re.compile(r"([12]):([a-z0-9]{8}):([0-9]{1,12})")


@dataclass(frozen=True, slots=True)
class DeletePending:
    """The confirmation on screen: its stage (1 or 2), its button's nonce, until when."""

    stage: int
    nonce: str
    until: datetime

    def to_text(self) -> str:
        return f"{self.stage}:{self.nonce}:{int(self.until.timestamp())}"

    @classmethod
    def from_text(cls, text: str | None) -> DeletePending | None:
        """The stored form read back; None for none or anything malformed."""
        found = _PENDING.fullmatch(text or "")
        if found is None:
            return None
        stage, nonce, until = found.groups()
        return cls(int(stage), nonce, datetime.fromtimestamp(int(until), UTC))


@dataclass(frozen=True, slots=True)
class Holding:
    """What a deletion would touch: the resident's own submissions it withdraws (not yet
    accepted) and those it only erases (rejected, or withdrawn before); the accepted ones it
    keeps (their receipts); drafts in progress; a consent in force."""

    to_withdraw: int = 0
    to_erase: int = 0
    kept: tuple[str, ...] = ()
    drafts: int = 0
    consented: bool = False

    @property
    def anything(self) -> bool:
        """Whether a deletion would erase anything."""
        return bool(self.to_withdraw or self.to_erase or self.drafts or self.consented)


class DeleteMove(StrEnum):
    OFFER = "offer"  # /delete: the first confirmation
    CONFIRM = "confirm"  # the first confirmed: the second, explicit one
    ERASE = "erase"  # the second confirmed
    KEEP = "keep"  # "keep my data"
    REFUSED = "refused"  # a deletion button that is not the one on screen
    CANCELLED = "cancelled"  # other input while a confirmation was on screen


def delete_move(pending: DeletePending | None, event: Event, now: datetime) -> DeleteMove | None:
    """The move `event` makes; None: it has nothing to do with a deletion (none is waiting)."""
    match event:
        case Command(name="delete"):
            return DeleteMove.OFFER
        case Pressed(data=data):
            press = parse(data)
            if isinstance(press, KeepData):
                return DeleteMove.KEEP
            if isinstance(press, ConfirmDelete):
                if pending is None or now > pending.until or press != _button(pending):
                    return DeleteMove.REFUSED
                return DeleteMove.CONFIRM if press.stage == 1 else DeleteMove.ERASE
    return DeleteMove.CANCELLED if pending is not None else None


def _button(pending: DeletePending) -> ConfirmDelete:
    return ConfirmDelete(pending.stage, pending.nonce)


def _keyboard(pending: DeletePending, confirm_key: str) -> Keyboard:
    return Keyboard(
        KeyboardKind.INLINE,
        (
            (Button(confirm_key, data=data_of(_button(pending))),),
            (Button("delete.keep", data=data_of(KeepData())),),
        ),
    )


def nothing_to_delete(holding: Holding) -> Reply:
    """Nothing would be erased: a kind answer (the accepted submissions, if any, are named)."""
    if holding.kept:
        return Reply("delete.only_kept", {"receipts": ", ".join(holding.kept)})
    return Reply("delete.nothing")


def first_confirmation(pending: DeletePending) -> Reply:
    return Reply("delete.offer", keyboard=_keyboard(pending, "delete.continue"))


def second_confirmation(pending: DeletePending, holding: Holding) -> Reply:
    """The last question, explicit about what is lost and what is kept."""
    lost: list[tuple[str, dict[str, object]]] = []
    if holding.to_withdraw:
        lost.append(("delete.lost_withdrawn", {"count": holding.to_withdraw}))
    if holding.to_erase:
        lost.append(("delete.lost_closed", {"count": holding.to_erase}))
    if holding.drafts:
        lost.append(("delete.lost_draft", {}))
    if holding.consented:
        lost.append(("delete.lost_consent", {}))
    if holding.kept:
        lost.append(("delete.kept_line", {"receipts": ", ".join(holding.kept)}))
    return Reply(
        "delete.confirm", {"lost_lines": lost}, keyboard=_keyboard(pending, "delete.erase")
    )


@dataclass(frozen=True, slots=True)
class Erased:
    """What a deletion did."""

    withdrawn: tuple[str, ...]  # receipts withdrawn now
    erased: int  # submissions whose details were erased (those withdrawn now included)
    documents: int  # document rows deleted (photos and files)
    drafts: int
    consent_withdrawn: bool
    kept: tuple[str, ...]  # accepted receipts, kept
    commune: str | None  # where to ask about the kept ones


def erased_replies(done: Erased) -> tuple[Reply, ...]:
    lines: list[tuple[str, dict[str, object]]] = []
    if done.withdrawn:
        lines.append(("delete.done_withdrawn", {"receipts": ", ".join(done.withdrawn)}))
    if done.erased:
        lines.append(("delete.done_erased", {"count": done.erased, "documents": done.documents}))
    if done.drafts:
        lines.append(("delete.done_draft", {}))
    if done.consent_withdrawn:
        lines.append(("delete.done_consent", {}))
    replies = [Reply("delete.done", {"done_lines": lines})]
    if done.kept:
        replies.append(
            Reply(
                "delete.done_kept",
                {"receipts": ", ".join(done.kept), "commune": done.commune or "—"},
            )
        )
    return tuple(replies)
