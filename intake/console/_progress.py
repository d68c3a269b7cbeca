"""The progress dashboard: per village of a commune (and, for a province's admin, per commune)
the targets, submitted, complete, needs info, accepted and rejected, and today's and this week's
submissions; the chart drawn by the Telegram daily report's own code (intake/reports), here as
an SVG; and for each village the households of the target list who have not submitted yet,
printable for the chief's door-to-door round.

Who sees what: the policy's `view_progress` — an officer their commune, a chief their own
village, an admin every commune of the province (the per-commune table) and one commune's
villages at a time. A province's table counts each commune with the same code as a village's
row (one small set of queries per commune: fine for a province's ~100 communes).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from intake.console._access import ConsoleUser
from intake.console._scope import OutOfScope, Scope, Transaction, reader_language
from intake.language import VIETNAM, render, search_key
from intake.reports import (
    CommuneReport,
    Household,
    VillageFigures,
    chart_labels,
    missing_counts,
    missing_targets,
    render_chart,
    village_figures,
)
from intake.staff._policy import Action, Subject, decide
from storage.deps import Deps
from storage.models import utcnow
from storage.repositories import places
from storage.states import StaffRole

__all__ = ["MAX_MISSING", "CommuneFigures", "ConsoleProgress", "Dashboard", "MissingList"]

MAX_MISSING = 2_000  # households on one printed list (a village has a few hundred)


@dataclass(frozen=True)
class CommuneFigures:
    """One commune's row of a province's table: its totals."""

    commune_id: int
    figures: VillageFigures


@dataclass(frozen=True)
class Dashboard:
    commune_id: int
    commune_name: str
    communes: list[tuple[int, str]]  # an admin's choice of commune; empty for the others
    report: CommuneReport  # the villages' rows and their totals
    missing: dict[int, int]  # village id → target households not yet submitted
    province: list[CommuneFigures]  # an admin's: one row per commune; else empty
    province_name: str
    chief: bool  # the reader is a village chief (their own village only)


@dataclass(frozen=True)
class MissingList:
    commune_name: str
    village_id: int
    village_name: str
    households: list[Household]
    total: int


class ConsoleProgress:
    """The dashboard's use cases (module docstring), each in one transaction."""

    def __init__(self, deps: Deps, *, transaction: Transaction, scope: Scope) -> None:
        self.deps = deps
        self.transaction = transaction
        self.scope = scope

    async def _progress_scope(
        self, session: AsyncSession, user: ConsoleUser, commune_id: int | None
    ) -> tuple[int, str, list[tuple[int, str]], int | None]:
        """The commune the reader's dashboard shows, its name, an admin's choice, and the
        village a chief is limited to; `OutOfScope` when the policy refuses."""
        actor = user.actor
        chosen, name, communes = await self.scope(session, user, commune_id)
        village_id = actor.village_id if actor.role is StaffRole.CHIEF else None
        subject = Subject(actor.province_id, chosen, village_id)
        if not decide(actor, Action.VIEW_PROGRESS, subject).allowed:
            raise OutOfScope(Action.VIEW_PROGRESS, subject)
        return chosen, name, communes, village_id

    async def _commune_report(
        self, session: AsyncSession, user: ConsoleUser, commune_id: int | None
    ) -> tuple[CommuneReport, int, list[tuple[int, str]], int | None]:
        """The reader's commune (or village) figures, the commune, an admin's choice of
        commune, and the village a chief is limited to."""
        chosen, name, communes, village_id = await self._progress_scope(session, user, commune_id)
        now = utcnow()
        figures = await village_figures(
            session,
            chosen,
            village_id=village_id,
            triage_name=render(reader_language(user), "queue.triage"),
            now=now,
        )
        report = CommuneReport(name, now.astimezone(VIETNAM).date(), figures)
        return report, chosen, communes, village_id

    async def dashboard(self, user: ConsoleUser, commune_id: int | None) -> Dashboard:
        """The dashboard's figures."""
        async with self.transaction(user) as session:
            report, chosen, communes, village_id = await self._commune_report(
                session, user, commune_id
            )
            counted = await missing_counts(session, chosen)
            missing = {
                row.village_id: counted.get(row.village_id, 0)
                for row in report.villages
                if row.village_id is not None and row.targets
            }
            province: list[CommuneFigures] = []
            province_name = ""
            if user.actor.role is StaffRole.ADMIN:
                found = await places.province(session, user.actor.province_id)
                province_name = found.name if found else ""
                triage = render(reader_language(user), "queue.triage")
                for other_id, other_name in communes:
                    rows_of = await village_figures(session, other_id, triage_name=triage)
                    totals = CommuneReport(other_name, report.day, rows_of).totals
                    province.append(CommuneFigures(other_id, totals))
        return Dashboard(
            commune_id=chosen,
            commune_name=report.commune_name,
            communes=communes,
            report=report,
            missing=missing,
            province=province,
            province_name=province_name,
            chief=village_id is not None,
        )

    async def chart(self, user: ConsoleUser, commune_id: int | None) -> bytes:
        """The dashboard's chart as SVG, drawn by the daily report's code."""
        async with self.transaction(user) as session:
            report, *_ = await self._commune_report(session, user, commune_id)
        labels = chart_labels(reader_language(user), report)
        return await asyncio.to_thread(render_chart, report, labels, svg=True)

    async def missing_households(
        self, user: ConsoleUser, commune_id: int | None, village_id: int
    ) -> MissingList:
        """A village's target households that have not submitted (the chief's round)."""
        async with self.transaction(user) as session:
            chosen, name, _, own = await self._progress_scope(session, user, commune_id)
            village = await places.village(session, village_id)
            if village is None or village.commune_id != chosen or own not in (None, village.id):
                subject = Subject(user.actor.province_id, chosen, village_id)
                raise OutOfScope(Action.VIEW_PROGRESS, subject, village=village_id)
            households, total = await missing_targets(
                session, self.deps, chosen, village.id, limit=MAX_MISSING
            )
        households.sort(key=lambda h: search_key(h.name))  # a list to read down, by name
        return MissingList(name, village.id, village.name, households, total)
