"""Long polling keeps what it took: an update confirmed to Telegram but not yet handled when
the bot dies is handled by the next start, once, in order; a malformed one is skipped."""

from __future__ import annotations

import asyncio

from sqlalchemy import func, select

from bot.runtime import Runtime
from intake.chat import Event
from intake.resident import Outcome
from storage.models import InboxUpdate
from tests.fixtures.conversation import agree, until
from tests.fixtures.world import World, bot_options


async def _kept(world: World) -> int:
    async with world.deps.database.sessions() as session:
        return int(await session.scalar(select(func.count()).select_from(InboxUpdate)) or 0)


async def test_an_update_taken_when_the_bot_dies_is_handled_after_the_restart(
    world: World,
) -> None:
    resident = world.simulator.add_user("Phan Văn Hùng", language_code="vi")
    await agree(resident, "v24175-03")
    await until(resident, "đứng tên ai")
    desk = world.runtime.services.desk
    stuck = asyncio.Event()

    async def never(event: Event) -> Outcome:  # the process dies while handling it
        stuck.set()
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    desk.handle = never  # type: ignore[method-assign]
    await resident.press("Tên tôi")
    await asyncio.wait_for(stuck.wait(), timeout=10)
    await asyncio.sleep(2.5)  # the next long poll has told Telegram it was taken
    assert await _kept(world) == 1
    polling = world.runtime.polling
    assert polling is not None
    for task in list(polling._tasks):  # the process dies: nothing of it runs any more
        task.cancel()
    await world.runtime.stop()
    assert await _kept(world) == 1  # not crossed off: it was never handled

    token = world.runtime.application.bot.token
    world.runtime = Runtime(world.deps, bot_options(token, world.simulator.url))
    await world.runtime.start()
    await until(resident, "Họ và tên")  # the kept press, handled by the restarted bot
    await asyncio.sleep(1.5)
    assert await _kept(world) == 0  # crossed off
    assert [m.text for m in resident.new_messages()] == []  # once
