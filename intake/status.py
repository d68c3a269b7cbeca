"""What is configured and how many of each record exist (`hoso status`)."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import func, select

from intake.deps import Deps
from storage.models import (
    Blob,
    Citizen,
    Commune,
    CommuneKey,
    Document,
    Draft,
    Outbox,
    Parcel,
    Province,
    Staff,
    Submission,
    Target,
    Village,
)
from storage.repositories import count_rows, verify_event_chain

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
    audit_chain_broken_at: int | None = None


async def collect_status(deps: Deps) -> Status:
    current, head = await deps.database.schema_revision()
    async with deps.database.sessions() as session:
        provinces = []
        for province in await session.scalars(select(Province).order_by(Province.code)):
            communes = await session.scalar(
                select(func.count()).where(Commune.province_id == province.id)
            )
            keyed = await session.scalar(
                select(func.count(func.distinct(CommuneKey.commune_id)))
                .join(Commune, Commune.id == CommuneKey.commune_id)
                .where(Commune.province_id == province.id, CommuneKey.retired_at.is_(None))
            )
            provinces.append(
                ProvinceStatus(
                    province.code,
                    province.name,
                    int(communes or 0),
                    int(keyed or 0),
                    bool(province.escrow_recipient),
                )
            )
        counts = {
            name: await count_rows(session, model)
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

        async def grouped(column: object) -> dict[str, int]:
            rows = await session.execute(select(column, func.count()).group_by(column))  # type: ignore[call-overload]
            return {str(key): int(value) for key, value in rows}

        blob_bytes = await session.scalar(
            select(func.coalesce(func.sum(Blob.size), 0)).where(Blob.deleted_at.is_(None))
        )
        return Status(
            backend=deps.database.backend,
            schema_current=current,
            schema_head=head,
            field_key_primary=deps.fields.keyring.primary_id,
            field_key_count=len(deps.fields.keyring.key_ids),
            provinces=provinces,
            counts=counts,
            submissions_by_state=await grouped(Submission.state),
            documents_by_status=await grouped(Document.status),
            outbox_by_status=await grouped(Outbox.status),
            blob_bytes=int(blob_bytes or 0),
            audit_chain_broken_at=await verify_event_chain(session),
        )
