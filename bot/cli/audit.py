"""`hoso audit verify`: whether the audit chain is whole, and where it breaks."""

from __future__ import annotations

import click

from bot.cli._common import fail, run_use_case, settings_from_env
from bot.wiring import open_deps
from intake.admin import check_audit_chain
from storage.repositories.audit import ChainFault, ChainState

__all__ = ["audit", "describe_chain"]

_FAULTS = {
    ChainFault.EDITED: "BROKEN at event #{at}: its content no longer matches its link (edited)",
    ChainFault.LINK: (
        "BROKEN at event #{at}: it does not follow the event before it "
        "(an event was removed or moved)"
    ),
    ChainFault.TRUNCATED: (
        "BROKEN after event #{at}: the head names event #{head}, which is gone "
        "(the newest events were removed)"
    ),
    ChainFault.HEAD: (
        "BROKEN after event #{at}: the head's seal does not match "
        "(the head was rewound or rewritten: the newest events may have been removed)"
    ),
    ChainFault.UNKEYED: (
        "NOT KEYED: {events} events linked without the audit key, in a data directory whose "
        "chain was keyed (or a new one, keyed from the start): the chain was rewritten by "
        "someone with the database; compare it with a backup"
    ),
}


def describe_chain(state: ChainState) -> str:
    """One line: intact with its size and head, or the fault and where it is."""
    if state.fault is not None:
        return _FAULTS[state.fault].format(
            at=state.broken_at, head=state.head_event_id, events=state.events
        )
    seal = state.head_seal.hex()[:16] if state.head_seal else "none yet"
    return f"intact: {state.events} events, head #{state.head_event_id}, seal {seal}"


@click.group()
def audit() -> None:
    """The audit log's chain of events."""


@audit.command()
@run_use_case
async def verify() -> None:
    """Check every event's link under the audit key and the head's seal.

    Exits 1 and says where when the chain is broken. The head's seal it prints changes with
    every event: kept elsewhere (a printout, a message), it shows later whether the database
    was put back to an older copy.

    \b
    Example:
      hoso audit verify
    """
    async with open_deps(settings_from_env()) as deps:
        state = await check_audit_chain(deps)
    line = f"audit chain {describe_chain(state)}"
    if not state.intact:
        fail(line)
        return
    click.echo(line)
