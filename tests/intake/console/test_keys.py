"""The key vault: the commune identity unlocked for one session, held in memory only, dropped
when the session idles; unlocks queue one at a time; wrong passphrases are limited."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from intake.console import MAX_FAILURES, ConsoleUser, KeyVault, Unlock
from intake.staff import actor_of
from storage.deps import Deps
from storage.models import utcnow
from storage.states import StaffRole
from tests.fixtures.commune import hoa_phu_with_keys, join
from tests.fixtures.world import COMMUNE_PASSPHRASE as PASSPHRASE


def user_of(staff: object, session_id: int) -> ConsoleUser:
    return ConsoleUser(
        session_id=session_id,
        staff_id=staff.id,  # type: ignore[attr-defined]
        role=StaffRole.OFFICER,
        display_name="",
        language="vi",
        actor=actor_of(staff),  # type: ignore[arg-type]
        signed_in_at=utcnow(),
    )


async def test_unlocked_for_one_session_and_dropped_when_idle(deps: Deps) -> None:
    place = await hoa_phu_with_keys(deps)
    officer = await join(deps, StaffRole.OFFICER, 7001, commune="24175")
    colleague = await join(deps, StaffRole.OFFICER, 7002, commune="24175")
    now = [0.0]
    vault = KeyVault(deps, idle=timedelta(minutes=30), clock=lambda: now[0])
    one, two = user_of(officer, 1), user_of(colleague, 2)  # two officers at once: they queue
    first, second = await asyncio.gather(
        vault.unlock(one, place.commune.id, PASSPHRASE),
        vault.unlock(two, place.commune.id, PASSPHRASE),
    )
    assert first.outcome is second.outcome is Unlock.UNLOCKED
    assert len(vault.identities(one, place.commune.id)) == 1
    assert vault.identities(one, place.commune.id + 1) == []  # another commune: nothing
    vault.forget(2)
    assert vault.identities(two, place.commune.id) == []
    assert "AGE-SECRET-KEY" not in repr(vault)
    now[0] += 29 * 60
    assert len(vault.identities(one, place.commune.id)) == 1  # a use keeps it
    now[0] += 30 * 60
    assert vault.identities(one, place.commune.id) == []
    assert vault.sessions_held == 0


async def test_wrong_passphrases_are_counted_and_limited(deps: Deps) -> None:
    place = await hoa_phu_with_keys(deps)
    officer = await join(deps, StaffRole.OFFICER, 7001, commune="24175")
    vault = KeyVault(deps)
    user = user_of(officer, 1)
    lefts = []
    for _ in range(MAX_FAILURES):
        result = await vault.unlock(user, place.commune.id, "")
        lefts.append(result.attempts_left)
    assert lefts == [4, 3, 2, 1, 0]
    assert result.outcome is Unlock.LIMITED
    assert (await vault.unlock(user, place.commune.id, PASSPHRASE)).outcome is Unlock.LIMITED
    assert vault.identities(user, place.commune.id) == []
    assert (await vault.unlock(user, 999_999, PASSPHRASE)).outcome is Unlock.NO_KEY


async def test_a_burst_of_guesses_is_taken_one_at_a_time(deps: Deps) -> None:
    place = await hoa_phu_with_keys(deps)
    officer = await join(deps, StaffRole.OFFICER, 7001, commune="24175")
    vault = KeyVault(deps)
    user = user_of(officer, 1)
    burst = await asyncio.gather(
        *(vault.unlock(user, place.commune.id, f"guess {i}") for i in range(8))
    )
    outcomes = sorted(result.outcome.value for result in burst)
    assert outcomes == ["busy"] * 7 + ["wrong"]  # one runs; the others are turned away
    left = [(await vault.unlock(user, place.commune.id, "guess")).attempts_left for _ in "abcd"]
    assert left == [3, 2, 1, 0]  # the burst's one guess counted
