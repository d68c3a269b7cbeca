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

from dataclasses import dataclass

from intake.reports import CommuneReport, Household, VillageFigures

__all__ = ["CommuneFigures", "Dashboard", "MissingList"]


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
