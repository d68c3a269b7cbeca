"""Progress figures per village, who has not submitted yet, the daily report and its chart.
Read-only: the figures are counted by storage/repositories/reports.py.

Definitions (per village; a commune's triage queue is one more row):
- targets: households/parcels in the commune's imported target list for the village;
- submitted: submissions routed there, except withdrawn ones;
- complete: of those, the ones with every required document in;
- needs info: waiting for the resident; accepted: entered into the land system; rejected;
- today, this week: submitted since the start of today (Vietnam time) and of the 7 days
  ending today, withdrawn ones left out;
- group 1, 2, 3: the target parcels in each of the campaign's groups (the target list's
  optional `group`), and moved to 1: those now in group 1 that were first imported in 2 or 3.
A target counts as submitted when a submission of its commune (not withdrawn) has the same CCCD
(by blind index) or the same map sheet and parcel number.

The chart is drawn with matplotlib's object API on the Agg canvas (no pyplot, no global state),
so it can run in a worker thread.
"""

from __future__ import annotations

import asyncio
import io
import uuid
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import Reply
from intake.language import VIETNAM, Language, render
from storage.deps import Deps
from storage.models import utcnow
from storage.repositories import places, reports
from storage.repositories.submissions import field as opened_field
from storage.states import SubmissionState

__all__ = [
    "FIGURES",
    "GROUPS",
    "CommuneReport",
    "Household",
    "VillageFigures",
    "chart_labels",
    "commune_report",
    "missing_counts",
    "missing_households",
    "missing_targets",
    "render_chart",
    "report_replies",
    "village_figures",
]


FIGURES = (
    "targets",
    "submitted",
    "complete",
    "needs_info",
    "accepted",
    "rejected",
    "today",
    "week",
)
_REPORTED_TOTALS = ("targets", "submitted", "complete", "needs_info", "accepted")  # the text's
GROUPS = ("group1", "group2", "group3", "moved_to_1")  # shown where the list gives groups


@dataclass(frozen=True)
class VillageFigures:
    village_id: int | None  # None: the commune's triage queue
    name: str
    targets: int = 0
    submitted: int = 0
    complete: int = 0
    needs_info: int = 0
    accepted: int = 0
    rejected: int = 0
    today: int = 0
    week: int = 0
    group1: int = 0
    group2: int = 0
    group3: int = 0
    moved_to_1: int = 0

    @property
    def active(self) -> bool:
        """Has the village a target or a submission to report?"""
        return bool(self.targets or self.submitted)

    def params(self) -> dict[str, object]:
        return {
            "village": self.name,
            "targets": self.targets,
            "submitted": self.submitted,
            "complete": self.complete,
            "needs_info": self.needs_info,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "today": self.today,
            "week": self.week,
            **{name: getattr(self, name) for name in GROUPS},
        }


async def village_figures(
    session: AsyncSession,
    commune_id: int,
    *,
    village_id: int | None = None,
    triage_name: str = "—",
    now: datetime | None = None,
) -> list[VillageFigures]:
    """Figures for every village of the commune (or one village), in village order; `now`
    (default: the current time) fixes which day is today."""
    names = await reports.village_names(session, commune_id, village_id)
    targets = await reports.target_counts(session, commune_id)
    counts: dict[int | None, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    today = datetime.combine((now or utcnow()).astimezone(VIETNAM).date(), time.min, VIETNAM)
    for vid, n in (await reports.submitted_since(session, commune_id, today)).items():
        counts[vid]["today"] = n
    week = today - timedelta(days=6)
    for vid, n in (await reports.submitted_since(session, commune_id, week)).items():
        counts[vid]["week"] = n
    for vid, state, complete, n in await reports.submission_counts(session, commune_id):
        bucket = counts[vid]
        bucket["submitted"] += n
        if complete:
            bucket["complete"] += n
        if state is SubmissionState.NEEDS_INFO:
            bucket["needs_info"] += n
        if state is SubmissionState.ACCEPTED:
            bucket["accepted"] += n
        if state is SubmissionState.REJECTED:
            bucket["rejected"] += n
    for vid, group, first, n in await reports.group_counts(session, commune_id):
        if group in (1, 2, 3):
            counts[vid][f"group{group}"] += n
        if group == 1 and first in (2, 3):
            counts[vid]["moved_to_1"] += n
    figures = [
        VillageFigures(vid, name, targets.get(vid, 0), **counts.get(vid, {}))
        for vid, name in names.items()
    ]
    if village_id is None and (counts.get(None) or targets.get(None)):
        figures.append(VillageFigures(None, triage_name, targets.get(None, 0), **counts[None]))
    return figures


async def missing_counts(session: AsyncSession, commune_id: int) -> dict[int | None, int]:
    """How many target households of each village have no submission yet (matched as
    `missing_targets` matches them), for the whole commune at once."""
    indexes, parcels = await reports.submitted_keys(session, commune_id)
    counts: dict[int | None, int] = defaultdict(int)
    for village, index, sheet, parcel in await reports.target_keys_by_village(session, commune_id):
        submitted = (index is not None and index in indexes) or (
            bool(sheet and parcel) and (sheet, parcel) in parcels
        )
        if not submitted:
            counts[village] += 1
    return dict(counts)


async def missing_households(
    session: AsyncSession, deps: Deps, commune_id: int, village_id: int, *, limit: int = 30
) -> tuple[list[str], int]:
    """Names of the village's target households with no submission yet (first `limit`), and
    how many there are."""
    missing, total = await missing_targets(session, deps, commune_id, village_id, limit=limit)
    return [household.name for household in missing], total


@dataclass(frozen=True)
class Household:
    """A household of the target list, as staff may read it (no ID number)."""

    target_id: uuid.UUID
    name: str
    village_id: int | None
    map_sheet: str | None
    parcel_no: str | None


async def missing_targets(
    session: AsyncSession, deps: Deps, commune_id: int, village_id: int, *, limit: int = 30
) -> tuple[list[Household], int]:
    """The village's target households with no submission yet, matched by CCCD (blind index)
    or by parcel, whatever their route (first `limit`, in import order), and how many."""
    targets = await reports.village_targets(session, commune_id, village_id)
    if not targets:
        return [], 0
    indexes, parcels = await reports.submitted_keys(session, commune_id)
    missing = [
        t
        for t in targets
        if not (t.cccd_index is not None and t.cccd_index in indexes)
        and not (t.map_sheet and t.parcel_no and (t.map_sheet, t.parcel_no) in parcels)
    ]
    households = [
        Household(
            t.id, reports.household_name(deps.fields, t), t.village_id, t.map_sheet, t.parcel_no
        )
        for t in missing[:limit]
    ]
    return households, len(missing)


async def off_list_submissions(
    session: AsyncSession, deps: Deps, commune_id: int, village_id: int, *, limit: int = 30
) -> tuple[list[tuple[str, str]], int]:
    """The village's submissions that match no household of the target list (by CCCD or by
    parcel): (receipt, holder name) of the first `limit`, and how many there are."""
    indexes, parcels = await reports.target_keys(session, commune_id)
    off = [
        s
        for s in await reports.village_submissions(session, commune_id, village_id)
        if s.cccd_index not in indexes
        and not (s.map_sheet and s.parcel_no and (s.map_sheet, s.parcel_no) in parcels)
    ]
    shown = [
        (s.receipt_code, opened_field(deps.fields, s, "holder_name") or "") for s in off[:limit]
    ]
    return shown, len(off)


@dataclass(frozen=True)
class CommuneReport:
    commune_name: str
    day: date
    villages: Sequence[VillageFigures]
    totals: VillageFigures = field(init=False)

    def __post_init__(self) -> None:
        total = VillageFigures(
            None,
            self.commune_name,
            **{name: sum(getattr(v, name) for v in self.villages) for name in FIGURES + GROUPS},
        )
        object.__setattr__(self, "totals", total)

    @property
    def has_groups(self) -> bool:
        """Does the commune's target list give its parcels' groups?"""
        return bool(self.totals.group1 or self.totals.group2 or self.totals.group3)


async def commune_report(
    session: AsyncSession,
    commune_id: int,
    commune_name: str,
    day: date,
    *,
    triage_name: str,
    now: datetime | None = None,
) -> CommuneReport:
    figures = await village_figures(session, commune_id, triage_name=triage_name, now=now)
    return CommuneReport(commune_name, day, figures)


def chart_labels(language: Language, report: CommuneReport) -> dict[str, str]:
    """The chart's legend and title, in the reader's language."""
    return {
        "targets": render(language, "report.targets"),
        "submitted": render(language, "report.submitted"),
        "accepted": render(language, "report.accepted"),
        "title": render(
            language,
            "report.title",
            {"commune": report.commune_name, "date": f"{report.day:%d/%m/%Y}"},
        ),
    }


def render_chart(report: CommuneReport, labels: dict[str, str], *, svg: bool = False) -> bytes:
    """A PNG (the Telegram report's) or an SVG (the console's dashboard): per village, targets
    (outline), submitted and accepted (bars), in village order from the top. Each bar is an
    SVG group named `<series>-<village's position>` (`submitted-0`: the first village's), so
    that what is drawn can be checked against the figures."""
    from matplotlib.figure import Figure  # noqa: PLC0415 — heavy; only the report needs it

    rows = list(reversed(report.villages))
    height = max(3.0, 0.42 * len(rows) + 1.6)
    figure = Figure(figsize=(8, height), dpi=100)
    axes = figure.add_subplot()
    positions = list(range(len(rows)))
    series: tuple[tuple[str, dict[str, Any]], ...] = (
        ("targets", {"height": 0.8, "color": "none", "edgecolor": "#555555"}),
        ("submitted", {"height": 0.5, "color": "#4C9BE8"}),
        ("accepted", {"height": 0.25, "color": "#2E8B57"}),
    )
    for name, style in series:
        bars = axes.barh(positions, [getattr(r, name) for r in rows], label=labels[name], **style)
        for position, bar in zip(positions, bars, strict=True):
            bar.set_gid(f"{name}-{len(rows) - 1 - position}")
    axes.set_yticks(positions, [r.name for r in rows], fontsize=8)
    axes.set_title(labels["title"], fontsize=11)
    axes.legend(loc="lower right", fontsize=8)
    axes.grid(axis="x", alpha=0.3)
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="svg" if svg else "png", metadata={"Date": None} if svg else {})
    return buffer.getvalue()


async def report_replies(
    session: AsyncSession, commune_id: int, language: Language, now: datetime
) -> list[Reply]:
    """The daily report: a text with per-village figures and a chart image."""
    commune = await places.commune(session, commune_id)
    if commune is None:
        raise LookupError("no such commune")
    now = now.astimezone(VIETNAM)  # the report's day is Vietnam's
    report = await commune_report(
        session,
        commune_id,
        commune.name,
        now.date(),
        triage_name=render(language, "queue.triage"),
        now=now,
    )
    chart = await asyncio.to_thread(render_chart, report, chart_labels(language, report))
    # villages with nothing to report (no target, no submission) are counted, not listed
    active = [f for f in report.villages if f.active]
    lines: list[tuple[str, dict[str, object]]] = [("progress.line", f.params()) for f in active]
    if len(active) < len(report.villages):
        lines.append(("report.quiet_villages", {"count": len(report.villages) - len(active)}))
    if report.has_groups:
        lines.append(("report.groups", {name: getattr(report.totals, name) for name in GROUPS}))
    return [
        Reply(
            "report.text",
            {
                "commune": commune.name,
                "date": f"{now:%d/%m/%Y}",
                "lines_lines": lines or [("staff.none", {})],
                **{f"total_{k}": getattr(report.totals, k) for k in _REPORTED_TOTALS},
            },
        ),
        Reply("report.chart_caption", {"commune": commune.name}, photo=chart),
    ]
