"""What the progress figures count: a commune's villages, its target households per village,
its submissions per village, state and completeness, and the households not yet submitted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from crypto import FieldCipher
from storage.models import Submission, Target, Village
from storage.states import SubmissionState

__all__ = [
    "GroupCount",
    "SubmissionCount",
    "group_counts",
    "household_name",
    "submission_counts",
    "submitted_keys",
    "submitted_since",
    "target_counts",
    "target_groups",
    "target_keys_by_village",
    "village_names",
    "village_targets",
]

SubmissionCount = tuple[int | None, SubmissionState, bool, int]  # village, state, complete, n


async def village_names(
    session: AsyncSession, commune_id: int, village_id: int | None = None
) -> dict[int | None, str]:
    """A commune's villages (or one of them) by id, in their import order."""
    query = select(Village.id, Village.name).where(Village.commune_id == commune_id)
    if village_id is not None:
        query = query.where(Village.id == village_id)
    return {row.id: row.name for row in await session.execute(query.order_by(Village.id))}


async def target_counts(session: AsyncSession, commune_id: int) -> dict[int | None, int]:
    """How many target households each village has (None: known only at commune level)."""
    rows = await session.execute(
        select(Target.village_id, func.count())
        .where(Target.commune_id == commune_id)
        .group_by(Target.village_id)
    )
    return dict(rows.all())


GroupCount = tuple[int | None, int | None, int | None, int]  # village, group, first group, n


async def group_counts(session: AsyncSession, commune_id: int) -> list[GroupCount]:
    """A commune's target parcels counted by village, group and the group first imported."""
    rows = await session.execute(
        select(Target.village_id, Target.parcel_group, Target.first_group, func.count())
        .where(Target.commune_id == commune_id)
        .group_by(Target.village_id, Target.parcel_group, Target.first_group)
    )
    return [(village, group, first, n) for village, group, first, n in rows]


async def target_groups(
    session: AsyncSession, commune_id: int
) -> tuple[dict[tuple[str, str], int], dict[bytes, int]]:
    """The groups of a commune's target parcels, by (map sheet, parcel) and by CCCD index."""
    by_parcel: dict[tuple[str, str], int] = {}
    by_cccd: dict[bytes, int] = {}
    for sheet, parcel, index, group in await session.execute(
        select(Target.map_sheet, Target.parcel_no, Target.cccd_index, Target.parcel_group).where(
            Target.commune_id == commune_id, Target.parcel_group.is_not(None)
        )
    ):
        if group is None:
            continue
        if sheet and parcel:
            by_parcel[(sheet, parcel)] = group
        if index is not None:
            by_cccd[index] = group
    return by_parcel, by_cccd


async def submission_counts(session: AsyncSession, commune_id: int) -> list[SubmissionCount]:
    """A commune's submissions (withdrawn ones left out), counted by village, state and
    completeness."""
    rows = await session.execute(
        select(Submission.village_id, Submission.state, Submission.complete, func.count())
        .where(Submission.commune_id == commune_id, Submission.state != SubmissionState.WITHDRAWN)
        .group_by(Submission.village_id, Submission.state, Submission.complete)
    )
    return [(village, state, complete, n) for village, state, complete, n in rows]


async def submitted_since(
    session: AsyncSession, commune_id: int, since: datetime
) -> dict[int | None, int]:
    """How many submissions (withdrawn ones left out) each village received since `since`."""
    rows = await session.execute(
        select(Submission.village_id, func.count())
        .where(
            Submission.commune_id == commune_id,
            Submission.state != SubmissionState.WITHDRAWN,
            Submission.submitted_at >= since,
        )
        .group_by(Submission.village_id)
    )
    return dict(rows.all())


async def village_targets(session: AsyncSession, commune_id: int, village_id: int) -> list[Target]:
    """A village's target households, in import order."""
    return list(
        await session.scalars(
            select(Target)
            .where(Target.commune_id == commune_id, Target.village_id == village_id)
            .order_by(Target.created_at, Target.id)
        )
    )


async def target_keys_by_village(
    session: AsyncSession, commune_id: int
) -> list[tuple[int | None, bytes | None, str | None, str | None]]:
    """(village, CCCD index, map sheet, parcel) of each of the commune's target households."""
    rows = await session.execute(
        select(Target.village_id, Target.cccd_index, Target.map_sheet, Target.parcel_no).where(
            Target.commune_id == commune_id
        )
    )
    return [(village, index, sheet, parcel) for village, index, sheet, parcel in rows]


async def submitted_keys(
    session: AsyncSession, commune_id: int
) -> tuple[set[bytes], set[tuple[str, str]]]:
    """The CCCD blind indexes and the (map sheet, parcel) pairs of the commune's submissions
    (withdrawn ones left out): a target household counts as submitted by either."""
    indexes: set[bytes] = set()
    parcels: set[tuple[str, str]] = set()
    rows = await session.execute(
        select(Submission.cccd_index, Submission.map_sheet, Submission.parcel_no).where(
            Submission.commune_id == commune_id, Submission.state != SubmissionState.WITHDRAWN
        )
    )
    for index, sheet, parcel in rows:
        if index is not None:  # None: erased (only withdrawn or rejected ones are)
            indexes.add(index)
        if sheet and parcel:
            parcels.add((sheet, parcel))
    return indexes, parcels


def household_name(cipher: FieldCipher, target: Target) -> str:
    return cipher.decrypt(
        target.household_name_enc, table="target", column="household_name_enc", row=target.id
    )


async def target_keys(
    session: AsyncSession, commune_id: int
) -> tuple[set[bytes], set[tuple[str, str]]]:
    """The CCCD blind indexes and (map sheet, parcel) pairs of the commune's target list: a
    submission matching neither is off the list."""
    indexes: set[bytes] = set()
    parcels: set[tuple[str, str]] = set()
    rows = await session.execute(
        select(Target.cccd_index, Target.map_sheet, Target.parcel_no).where(
            Target.commune_id == commune_id
        )
    )
    for index, sheet, parcel in rows:
        if index is not None:
            indexes.add(index)
        if sheet and parcel:
            parcels.add((sheet, parcel))
    return indexes, parcels


async def village_submissions(
    session: AsyncSession, commune_id: int, village_id: int
) -> list[Submission]:
    """The village's submissions (withdrawn ones left out), oldest first."""
    return list(
        await session.scalars(
            select(Submission)
            .where(
                Submission.commune_id == commune_id,
                Submission.village_id == village_id,
                Submission.state != SubmissionState.WITHDRAWN,
            )
            .order_by(Submission.submitted_at, Submission.id)
        )
    )
