"""Progress: per-village figures (targets, submitted, complete, needs info, accepted), the
households of the target list who have not submitted, and the daily report with its chart."""

from intake.reports._progress import (
    CommuneReport,
    VillageFigures,
    commune_report,
    missing_households,
    off_list_submissions,
    render_chart,
    report_replies,
    village_figures,
)

__all__ = [
    "CommuneReport",
    "VillageFigures",
    "commune_report",
    "missing_households",
    "off_list_submissions",
    "render_chart",
    "report_replies",
    "village_figures",
]
