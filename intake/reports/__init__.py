"""Progress: per-village figures (targets, submitted, complete, needs info, accepted, rejected,
today's and this week's), the
households of the target list who have not submitted, and the daily report with its chart."""

from intake.reports._progress import (
    FIGURES,
    GROUPS,
    CommuneReport,
    Household,
    VillageFigures,
    chart_labels,
    commune_report,
    missing_counts,
    missing_households,
    missing_targets,
    off_list_submissions,
    render_chart,
    report_replies,
    village_figures,
)

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
    "off_list_submissions",
    "render_chart",
    "report_replies",
    "village_figures",
]
