"""`/status`, `/withdraw` and `/mydata`: what concerns a resident's submissions rather than
their draft.

`/status` lists their submissions; `/withdraw` offers the ones that can still be withdrawn, asks
to confirm, and withdraws (the lifecycle decides: an accepted submission is in the land system
and keeps its documents, which the answer says).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import Button, Command, Event, Keyboard, KeyboardKind, Pressed, Reply
from intake.flow import ConfirmWithdraw, KeepSubmission, Withdraw, data_of, parse
from intake.resident._mydata import my_data
from intake.submissions import SubmissionView, list_submissions, open_receipts, withdraw
from storage.deps import Deps
from storage.repositories import residents

__all__ = ["CommandAnswer", "submission_command"]


@dataclass
class CommandAnswer:
    replies: list[Reply]
    blobs_to_delete: list[str] = field(default_factory=list)


def _status(views: list[SubmissionView]) -> list[Reply]:
    if not views:
        return [Reply("status.none")]
    items = [
        (
            "status.item",
            {
                "receipt": v.receipt_code,
                "place": v.place,
                "date": f"{v.local_date:%d/%m/%Y}",
                "state_key": f"state.{v.state.value}",
            },
        )
        for v in views
    ]
    return [Reply("status.list", {"items_lines": items})]


async def _choose(session: AsyncSession, citizen_id: uuid.UUID) -> list[Reply]:
    codes = set(await open_receipts(session, citizen_id))
    views = [v for v in await list_submissions(session, citizen_id) if v.receipt_code in codes]
    if not views:
        return [Reply("withdraw.none")]
    keyboard = Keyboard(
        KeyboardKind.INLINE,
        tuple(
            (
                Button(
                    "",
                    data=data_of(Withdraw(v.receipt_code)),
                    literal=f"{v.receipt_code} — {v.place} — {v.local_date:%d/%m}",
                ),
            )
            for v in views
        ),
    )
    return [Reply("withdraw.choose", keyboard=keyboard)]


async def submission_command(
    session: AsyncSession, deps: Deps, citizen_id: uuid.UUID, event: Event
) -> CommandAnswer | None:
    """The answer to a submission command or button; None: not one (the flow's event)."""
    match event:
        case Command(name="mydata"):
            citizen = await residents.citizen(session, citizen_id)
            return CommandAnswer(await my_data(session, deps, citizen))
        case Command(name="status"):
            return CommandAnswer(_status(await list_submissions(session, citizen_id)))
        case Command(name="withdraw"):
            return CommandAnswer(await _choose(session, citizen_id))
        case Pressed(data=data):
            press = parse(data)
        case _:
            return None
    match press:
        case Withdraw(receipt=code):
            if code not in await open_receipts(session, citizen_id):
                return CommandAnswer([Reply("button.expired")])
            keyboard = Keyboard(
                KeyboardKind.INLINE,
                (
                    (Button("withdraw.yes", data=data_of(ConfirmWithdraw(code))),),
                    (Button("withdraw.no", data=data_of(KeepSubmission())),),
                ),
            )
            return CommandAnswer([Reply("withdraw.confirm", {"receipt": code}, keyboard)])
        case KeepSubmission():
            return CommandAnswer([Reply("withdraw.kept")])
        case ConfirmWithdraw(receipt=code):
            result = await withdraw(session, await residents.citizen(session, citizen_id), code)
            if result is None:
                return CommandAnswer([Reply("button.expired")])
            if not result.withdrawn:
                return CommandAnswer(
                    [Reply("withdraw.accepted_kept", {"receipt": result.receipt_code})]
                )
            done = Reply(
                "withdraw.done",
                {"receipt": result.receipt_code, "count": result.deleted_documents},
            )
            return CommandAnswer([done], result.blob_names)
    return None
