"""What is configured and how many of each record exist (`hoso status`)."""

from __future__ import annotations

from dataclasses import dataclass, field

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
)
from storage.repositories import status
from storage.repositories.audit import ChainState, verify_event_chain

__all__ = ["ProvinceStatus", "Status", "collect_status"]


@dataclass(frozen=True)
class ProvinceStatus:
    code: str
    name: str
    communes: int
    communes_with_key: int
    escrow_key: bool


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


async def collect_status(deps: Deps) -> Status:
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
        )
