"""What is configured, how many of each record exist and which bot processes run (`hoso
status`); and the backlog `/metrics` shows (`measure_backlog`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from intake.processes import is_dead, this_host
from storage.deps import Deps
from storage.models import (
    Citizen,
    Commune,
    Document,
    Draft,
    Parcel,
    Staff,
    Submission,
    Target,
    Village,
    utcnow,
)
from storage.repositories import processes, status
from storage.repositories.audit import ChainState, verify_event_chain
from storage.states import ProcessMode

__all__ = [
    "Backlog",
    "ProcessState",
    "ProcessStatus",
    "ProvinceStatus",
    "Status",
    "collect_status",
    "measure_backlog",
]


@dataclass(frozen=True)
class ProvinceStatus:
    code: str
    name: str
    communes: int
    communes_with_key: int
    escrow_key: bool


class ProcessState(StrEnum):
    """What a process row says of its process."""

    ALIVE = "alive"
    STOPPED = "stopped"  # stopped cleanly; the next live process reaps it (its owed replies)
    DEAD = "dead"  # silent past the timeout, or its pid gone on this host: its leases are taken


@dataclass(frozen=True)
class ProcessStatus:
    """A bot process not yet reaped (intake/processes), as `hoso status` shows it."""

    id: str
    host: str
    pid: int
    mode: ProcessMode
    started_at: datetime
    heartbeat_lag_seconds: float  # since its last heartbeat
    state: ProcessState
    documents_leased: int
    outbox_leased: int


@dataclass(frozen=True)
class Status:
    backend: str
    schema_current: str | None
    schema_head: str | None
    field_key_primary: int
    field_key_count: int
    provinces: list[ProvinceStatus]
    counts: dict[str, int]
    submissions_by_state: dict[str, int] = field(default_factory=dict)
    documents_by_status: dict[str, int] = field(default_factory=dict)
    outbox_by_status: dict[str, int] = field(default_factory=dict)
    blob_bytes: int = 0
    audit_chain: ChainState | None = None
    processes: list[ProcessStatus] = field(default_factory=list)


def _process_status(
    found: processes.ProcessLeases, *, now: datetime, timeout: timedelta, host: str
) -> ProcessStatus:
    row = found.process
    if row.stopped_at is not None:
        state = ProcessState.STOPPED
    elif is_dead(row, now=now, timeout=timeout, host=host):
        state = ProcessState.DEAD
    else:
        state = ProcessState.ALIVE
    return ProcessStatus(
        id=str(row.id),
        host=row.host,
        pid=row.pid,
        mode=row.mode,
        started_at=row.started_at,
        heartbeat_lag_seconds=round(max(0.0, (now - row.heartbeat_at).total_seconds()), 1),
        state=state,
        documents_leased=found.documents,
        outbox_leased=found.outbox,
    )


async def collect_status(deps: Deps, *, process_timeout: float) -> Status:
    """Everything `hoso status` shows; a process silent for `process_timeout` seconds (the
    bots' HOSO_PROCESS_TIMEOUT) looks dead."""
    current, head = await deps.database.schema_revision()
    async with deps.database.sessions() as session:
        provinces = [
            ProvinceStatus(
                province.code, province.name, communes, keyed, bool(province.escrow_recipient)
            )
            for province, communes, keyed in await status.provinces_with_keys(session)
        ]
        counts = {
            name: await status.count_rows(session, model)
            for name, model in (
                ("communes", Commune),
                ("villages", Village),
                ("parcels", Parcel),
                ("targets", Target),
                ("staff", Staff),
                ("residents", Citizen),
                ("drafts", Draft),
                ("submissions", Submission),
                ("documents", Document),
            )
        }
        return Status(
            backend=deps.database.backend,
            schema_current=current,
            schema_head=head,
            field_key_primary=deps.fields.keyring.primary_id,
            field_key_count=len(deps.fields.keyring.key_ids),
            provinces=provinces,
            counts=counts,
            submissions_by_state=await status.submissions_by_state(session),
            documents_by_status=await status.documents_by_status(session),
            outbox_by_status=await status.outbox_by_status(session),
            blob_bytes=await status.blob_bytes(session),
            audit_chain=await verify_event_chain(session),
            processes=[
                _process_status(
                    found,
                    now=utcnow(),
                    timeout=timedelta(seconds=process_timeout),
                    host=this_host(),
                )
                for found in await processes.processes_with_leases(session)
            ],
        )


@dataclass(frozen=True)
class Backlog:
    """Work waiting in the whole database: documents not yet checked, outbox rows not sent."""

    documents_pending: int
    outbox_pending: int
    outbox_oldest_seconds: float  # the oldest unsent row's age; 0 when none waits


async def measure_backlog(deps: Deps) -> Backlog:
    async with deps.database.sessions() as session:
        found = await status.backlog(session)
    oldest = found.outbox_oldest
    age = 0.0 if oldest is None else max(0.0, (utcnow() - oldest).total_seconds())
    return Backlog(found.documents_pending, found.outbox_pending, age)
