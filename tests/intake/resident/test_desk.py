"""The resident desk's writes of the chat's draft: a version check, as the ORM's counter did."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from intake.admin import import_province
from intake.chat import Actor, Command, Event
from intake.resident import DirectoryCache, ResidentDesk
from storage.db import CONFLICT_ATTEMPTS as STALE_ATTEMPTS
from storage.deps import Deps
from storage.models import Draft, ProcessedUpdate

RESIDENT = Actor(user_id=501, chat_id=501, language_code="vi")


async def desk(deps: Deps) -> ResidentDesk:
    await import_province(deps, "66")
    return ResidentDesk(deps, bot_id=1, directory=DirectoryCache(deps, "66"))


async def draft_version(deps: Deps) -> int:
    async with deps.database.sessions() as session:
        version = await session.scalar(select(Draft.version).where(Draft.chat_id == 501))
    assert version is not None
    return version


def written_meanwhile(resident_desk: ResidentDesk, times: int) -> list[int]:
    """Make another writer change the draft right after the desk read it, `times` times (in
    the desk's own transaction, which is how it looks to the desk's write on any backend)."""
    read = resident_desk._read  # the seam between read and write
    calls: list[int] = []

    async def reading_then_bumped(session: AsyncSession, event: Event, directory: Any) -> Any:
        found = await read(session, event, directory)
        calls.append(1)
        if len(calls) <= times:
            await session.execute(
                text("UPDATE draft SET version = version + 1 WHERE chat_id = :chat"),
                {"chat": event.actor.chat_id},
            )
        return found

    resident_desk._read = reading_then_bumped  # type: ignore[method-assign]
    return calls


async def test_a_draft_written_meanwhile_is_read_again_not_overwritten(deps: Deps) -> None:
    resident_desk = await desk(deps)
    await resident_desk.handle(Command(RESIDENT, 1, name="start"))
    assert await draft_version(deps) == 1
    calls = written_meanwhile(resident_desk, times=2)

    outcome = await resident_desk.handle(Command(RESIDENT, 2, name="start"))

    assert len(calls) == 3  # twice refused by the version check, then handled on a fresh read
    assert outcome.replies
    assert not outcome.duplicate
    assert await draft_version(deps) == 2  # the refused attempts rolled back, the third wrote
    async with deps.database.sessions() as session:
        handled = await session.scalar(select(func.count()).select_from(ProcessedUpdate))
    assert handled == 2  # the update is recorded once, with the attempt that committed


async def test_a_draft_that_keeps_changing_gives_up_after_the_last_attempt(deps: Deps) -> None:
    resident_desk = await desk(deps)
    await resident_desk.handle(Command(RESIDENT, 1, name="start"))
    written_meanwhile(resident_desk, times=STALE_ATTEMPTS)

    with pytest.raises(StaleDataError):
        await resident_desk.handle(Command(RESIDENT, 2, name="start"))

    assert await draft_version(deps) == 1  # nothing of the failed step was kept
    async with deps.database.sessions() as session:
        handled = await session.scalar(select(func.count()).select_from(ProcessedUpdate))
    assert handled == 1  # so a redelivery of the update is handled, not ignored
