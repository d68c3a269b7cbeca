"""Progress: per-village figures (targets, submitted, complete, needs info, accepted), the
households of the target list who have not submitted, and the daily report with its chart."""

from intake.reports._progress import (
    CommuneReport,
    Household,
    VillageFigures,
    commune_report,
    missing_households,
    missing_targets,
    off_list_submissions,
    render_chart,
    report_replies,
    village_figures,
)

__all__ = [
    "CommuneReport",
    "Household",
    "VillageFigures",
    "commune_report",
    "missing_households",
    "missing_targets",
    "off_list_submissions",
    "render_chart",
    "report_replies",
    "village_figures",
]
