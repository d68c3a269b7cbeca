"""`/delete` at the resident desk: forged, stale and late buttons are refused and erase nothing;
any other input cancels and is then handled as usual; a draft in progress goes with the rest
(its question is not asked again); the submissions a staff member made for households are the
households' and are left alone."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

import pytest
from sqlalchemy import func, select, update

from intake.chat import Actor, Text
from intake.resident import DirectoryCache, Outcome, ResidentDesk
from storage.deps import Deps
from storage.models import Citizen, Draft, Submission
from storage.states import StaffRole, SubmissionState
from tests.fixtures.commune import (
    CHIEF_1,
    RESIDENT,
    command,
    hoa_phu_with_keys,
    join,
    keys,
    press,
    submit,
)


def data_of_first_button(outcome: Outcome) -> str:
    keyboard = outcome.replies[0].keyboard
    assert keyboard is not None
    return keyboard.rows[0][0].data


async def resident_with_a_submission(deps: Deps) -> tuple[ResidentDesk, Submission]:
    place = await hoa_phu_with_keys(deps)
    made = await submit(deps, place, place.villages[0], holder="Đào Văn Tư", cccd="066090077777")
    return ResidentDesk(deps, bot_id=1, directory=DirectoryCache(deps, "66")), made


async def erased(deps: Deps, submission: Submission) -> bool:
    async with deps.database.sessions() as session:
        row = await session.get(Submission, submission.id)
    assert row is not None
    return row.erased_at is not None


async def pending(deps: Deps, user_id: int = RESIDENT) -> str | None:
    async with deps.database.sessions() as session:
        return await session.scalar(
            select(Citizen.delete_pending).where(Citizen.telegram_user_id == user_id)
        )


async def offered(desk: ResidentDesk, updates: Iterator[int]) -> tuple[str, str]:
    """/delete, then the first confirmation pressed: the two buttons' data."""
    first = data_of_first_button(await desk.handle(command(updates, RESIDENT, "delete")))
    second = data_of_first_button(await desk.handle(press(updates, RESIDENT, first)))
    return first, second


@pytest.mark.parametrize(
    "forge",
    [
        lambda first, second: second.replace("del:2:", "del:1:"),  # stage of another
        lambda first, second: second[:-1] + ("0" if second[-1] != "0" else "1"),  # nonce
        lambda first, second: first.replace("del:1:", "del:2:"),  # the first's nonce
        lambda first, second: first,  # the first confirmation's button, pressed again
        lambda first, second: "del:2:zzzzzzzz",
    ],
)
async def test_a_forged_or_stale_button_is_refused_and_erases_nothing(
    deps: Deps, forge: Callable[[str, str], str]
) -> None:
    desk, made = await resident_with_a_submission(deps)
    updates = itertools.count(1)
    first, second = await offered(desk, updates)
    refused = await desk.handle(press(updates, RESIDENT, forge(first, second)))
    assert keys(refused) == ["button.expired"]
    assert await pending(deps) is None  # the confirmation on screen is cancelled too
    again = await desk.handle(press(updates, RESIDENT, second))
    assert keys(again) == ["button.expired"]
    assert not await erased(deps, made)


async def test_a_button_pressed_too_late_is_refused(deps: Deps) -> None:
    desk, made = await resident_with_a_submission(deps)
    updates = itertools.count(1)
    _, second = await offered(desk, updates)
    shown = await pending(deps)
    assert shown is not None
    stage, nonce, _ = shown.split(":")
    async with deps.database.sessions.begin() as session:
        await session.execute(
            update(Citizen)
            .where(Citizen.telegram_user_id == RESIDENT)
            .values(delete_pending=f"{stage}:{nonce}:1000")  # long ago
        )
    assert keys(await desk.handle(press(updates, RESIDENT, second))) == ["button.expired"]
    assert not await erased(deps, made)


async def test_other_input_cancels_and_is_handled_as_usual(deps: Deps) -> None:
    desk, made = await resident_with_a_submission(deps)
    updates = itertools.count(1)
    _, second = await offered(desk, updates)
    status = await desk.handle(command(updates, RESIDENT, "status"))
    assert keys(status) == ["delete.cancelled", "status.list"]
    assert keys(await desk.handle(press(updates, RESIDENT, second))) == ["button.expired"]
    await desk.handle(command(updates, RESIDENT, "delete"))
    typed = await desk.handle(Text(Actor(RESIDENT, RESIDENT), next(updates), text="ừ xóa đi"))
    assert keys(typed)[0] == "delete.cancelled"
    assert not await erased(deps, made)


async def test_a_draft_in_progress_goes_with_the_rest(deps: Deps) -> None:
    desk, made = await resident_with_a_submission(deps)
    updates = itertools.count(1)
    await desk.handle(command(updates, RESIDENT, "start"))
    await desk.handle(press(updates, RESIDENT, "consent:yes"))  # a new draft, consented
    offer = await desk.handle(command(updates, RESIDENT, "delete"))
    assert keys(offer) == ["delete.offer"]  # the confirmation only: not the draft's question
    confirm = await desk.handle(press(updates, RESIDENT, data_of_first_button(offer)))
    assert keys(confirm) == ["delete.confirm"]
    lost = [key for key, _ in confirm.replies[0].params["lost_lines"]]  # type: ignore[attr-defined]
    assert lost == ["delete.lost_withdrawn", "delete.lost_draft", "delete.lost_consent"]
    done = await desk.handle(press(updates, RESIDENT, data_of_first_button(confirm)))
    assert keys(done) == ["delete.done"]  # no question of a draft that is gone
    async with deps.database.sessions() as session:
        drafts = await session.scalar(select(func.count()).select_from(Draft))
    assert drafts == 0
    assert await erased(deps, made)
    # kept: asked again, and the draft's question follows when there is one
    await desk.handle(command(updates, RESIDENT, "start"))
    await desk.handle(press(updates, RESIDENT, "consent:yes"))
    await desk.handle(command(updates, RESIDENT, "delete"))
    kept = await desk.handle(press(updates, RESIDENT, "delno"))
    assert keys(kept) == ["delete.kept", "commune.ask"]


async def test_the_submissions_made_for_households_are_theirs(deps: Deps) -> None:
    place = await hoa_phu_with_keys(deps)
    chief = await join(deps, StaffRole.CHIEF, CHIEF_1, village=place.villages[0].code)
    village = place.villages[0]
    own = await submit(
        deps, place, village, holder="Y Ni Ksor", cccd="066190088888", citizen_user_id=CHIEF_1
    )
    helped = await submit(
        deps, place, village, holder="Hộ Bà Năm", cccd="066090055555", citizen_user_id=CHIEF_1
    )
    async with deps.database.sessions.begin() as session:
        await session.execute(
            update(Submission)
            .where(Submission.id == helped.id)
            .values(assisted_by_staff_id=chief.id)
        )
    desk = ResidentDesk(deps, bot_id=1, directory=DirectoryCache(deps, "66"))
    updates = itertools.count(1)
    offer = await desk.handle(command(updates, CHIEF_1, "delete"))
    confirm = await desk.handle(press(updates, CHIEF_1, data_of_first_button(offer)))
    lost = confirm.replies[0].params["lost_lines"]
    assert lost == [("delete.lost_withdrawn", {"count": 1})]  # their own one only
    await desk.handle(press(updates, CHIEF_1, data_of_first_button(confirm)))
    assert await erased(deps, own)
    assert not await erased(deps, helped)
    async with deps.database.sessions() as session:
        row = await session.get(Submission, helped.id)
    assert row is not None
    assert row.state is SubmissionState.SUBMITTED
    assert row.holder_name_enc is not None
