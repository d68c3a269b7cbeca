"""The officer's pull: a commune's (or a village's) submissions since a day, with their
fields decrypted and their documents opened with the commune identity (or left sealed), one
submission at a time, through the same records as the console's exports (intake/exports).

`plan_pull` reads everything in scope in one short read transaction; `intake.exports`'s
`open_documents` then reads and opens one submission's blobs; the pull writer puts them on
disk. A day given by the officer (`since`) is a Vietnam calendar day (UTC+7; Vietnam has no
daylight saving time).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time

from crypto import Identity
from intake.admin._keys import UnknownCommune
from intake.exports import IdentityMismatch, SubmissionRecord, read_records
from intake.language import VIETNAM
from storage.deps import Deps
from storage.repositories import places, pull
from storage.repositories.audit import append_event
from storage.repositories.places import commune_by_code
from storage.repositories.queue import QueueQuery
from storage.states import ActorKind, SubmissionState

__all__ = [
    "PullPlan",
    "UnknownVillage",
    "check_identity",
    "plan_pull",
    "record_pull",
]


class UnknownVillage(LookupError):
    def __init__(self, code: str, commune_code: str) -> None:
        super().__init__(f"there is no village {code!r} in commune {commune_code}")


@dataclass(frozen=True)
class PullPlan:
    commune_id: int
    commune_code: str
    village_code: str | None
    since: date | None
    submissions: tuple[SubmissionRecord, ...]


async def plan_pull(
    deps: Deps, commune_code: str, *, village_code: str | None = None, since: date | None = None
) -> PullPlan:
    """Every submission of the commune (and village) submitted on or after `since`, in every
    state, oldest first."""
    async with deps.database.sessions() as session:
        commune = await commune_by_code(session, commune_code)
        if commune is None:
            raise UnknownCommune(commune_code)
        village_id = None
        if village_code is not None:
            village = await pull.village_of_commune(session, village_code, commune.id)
            if village is None:
                raise UnknownVillage(village_code, commune.code)
            village_id = village.id
    query = QueueQuery(
        commune_id=commune.id,
        village_id=village_id,
        triage=False,
        states=tuple(SubmissionState),
        excluded=(),
        newest_first=False,
        since=datetime.combine(since, time.min, VIETNAM) if since is not None else None,
    )
    records = await read_records(deps, query)
    return PullPlan(commune.id, commune.code, village_code, since, records)


async def check_identity(deps: Deps, plan: PullPlan, identity: Identity) -> None:
    """Refuse, before anything is written, an identity that is none of the commune's keys."""
    async with deps.database.sessions() as session:
        known = await pull.commune_key_recipients(session, plan.commune_id)
        commune = await places.commune(session, plan.commune_id)
    if identity.recipient not in known:
        raise IdentityMismatch(plan.commune_code, commune.name if commune else "")


async def record_pull(
    deps: Deps,
    plan: PullPlan,
    *,
    receipts: Sequence[str],
    skipped: int,
    sealed: bool,
    recipient: str | None,
    complete: bool,
) -> None:
    """The audit event of one pull: which submissions left the server, how and with which key."""
    async with deps.database.sessions.begin() as session:
        await append_event(
            session,
            actor_kind=ActorKind.ADMIN_CLI,
            actor_id=None,
            action="pull",
            commune_id=plan.commune_id,
            data={
                "count": len(receipts),
                "skipped": skipped,
                "sealed": sealed,
                "village": plan.village_code,
                "since": plan.since.isoformat() if plan.since else None,
                "recipient": recipient,
                "complete": complete,
                "receipts": list(receipts),
            },
        )
