"""Owed replies: a step's write owes its replies; confirming clears that version's debt only,
once the chat's in-place edit has gone out."""

from __future__ import annotations

from sqlalchemy import select, update

from intake.processes import OwedReplies
from storage.deps import Deps
from storage.models import Citizen, Draft


async def _draft(deps: Deps, owed: int) -> Draft:
    async with deps.database.sessions.begin() as session:
        citizen = Citizen(telegram_user_id=77, language="vi")
        session.add(citizen)
        await session.flush()
        draft = Draft(
            chat_id=77, citizen_id=citizen.id, step="name", payload_enc=b"x", reply_owed=owed
        )
        session.add(draft)
        await session.flush()
        return draft


async def _owed(deps: Deps) -> int | None:
    async with deps.database.sessions() as session:
        return await session.scalar(select(Draft.reply_owed))


async def test_a_paid_debt_is_confirmed_once_the_chat_is_not_editing(deps: Deps) -> None:
    draft = await _draft(deps, owed=4)
    editing = {77}
    owed = OwedReplies(deps, editing=lambda chat: chat in editing)
    owed.paid(77, (draft.id, 4))
    assert await owed.confirm() == 0  # the checklist's edit is still on its way
    assert await _owed(deps) == 4
    editing.clear()
    assert await owed.confirm() == 1
    assert await _owed(deps) is None


async def test_confirming_an_older_version_leaves_a_newer_debt(deps: Deps) -> None:
    draft = await _draft(deps, owed=4)
    owed = OwedReplies(deps)
    owed.paid(77, (draft.id, 4))
    async with deps.database.sessions.begin() as session:  # the next step committed meanwhile
        await session.execute(update(Draft).values(reply_owed=5))
    await owed.confirm()
    assert await _owed(deps) == 5  # still owed: its replies were not confirmed
