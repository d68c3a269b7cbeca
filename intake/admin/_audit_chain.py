"""The audit chain's keeping from the command line: its verification (`hoso audit verify`, `hoso
status`) and its keying when `hoso init` creates the audit key (storage/repositories/audit.py
says why only then)."""

from __future__ import annotations

import logging

from storage.deps import Deps
from storage.repositories.audit import (
    ChainState,
    KeyedChain,
    append_event,
    key_event_chain,
    seal_new_chain,
    verify_event_chain,
)
from storage.states import ActorKind

__all__ = ["check_audit_chain", "key_audit_chain", "seal_audit_chain"]

log = logging.getLogger("hoso.audit")


async def check_audit_chain(deps: Deps) -> ChainState:
    async with deps.database.sessions() as session:
        return await verify_event_chain(session)


async def seal_audit_chain(deps: Deps) -> None:
    """At every start: a new chain's empty head sealed under the key (`seal_new_chain`)."""
    async with deps.database.sessions.begin() as session:
        await seal_new_chain(session)


async def key_audit_chain(deps: Deps) -> KeyedChain | None:
    """Key a chain written before the audit key existed, recording it as an event; None when
    the chain was keyed already (or had nothing in it when its migration keyed it)."""
    async with deps.database.sessions.begin() as session:
        keyed = await key_event_chain(session)
        if keyed is None:
            return None
        await append_event(
            session,
            actor_kind=ActorKind.ADMIN_CLI,
            actor_id=None,
            action="audit_chain_keyed",
            data={
                "events": keyed.events,
                "earlier_fault": keyed.earlier_fault,
                "earlier_broken_at": keyed.earlier_broken_at,
            },
        )
    if keyed.earlier_fault is not None:
        log.warning(
            "the audit chain was already broken before it was keyed (%s at event %s); "
            "its audit_chain_keyed event records it",
            keyed.earlier_fault,
            keyed.earlier_broken_at,
        )
    return keyed
