"""`hoso retention`: run the retention job now, or show what its next run would delete."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date, datetime, time, timedelta

import click

from bot.cli._common import fail, run_use_case, settings_from_env
from bot.wiring import open_deps
from intake.language import VIETNAM
from intake.retention import RETENTION_HOUR, CommuneTally, Retention, RetentionReport

__all__ = ["retention"]

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _day(text: str) -> date:
    try:
        if _DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    fail(f"--on {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2026-12-31")
    raise AssertionError("unreachable")


def _size(count: int) -> str:
    for unit, scale in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if count >= scale:
            return f"{count / scale:.1f} {unit}"
    return f"{count} bytes"


def _n(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _line(tally: CommuneTally) -> str:
    return (
        f"{_n(tally.submissions, 'submission')}, {_n(tally.documents, 'document')}, "
        f"{_n(tally.files, 'sealed file')} ({_size(tally.file_bytes)}); identity fields of "
        f"{_n(tally.residents, 'resident')} ({_n(len(tally.erased), 'submission')})"
    )


def _print(report: RetentionReport, *, dry_run: bool) -> None:
    last_day = (report.cutoff.astimezone(VIETNAM) - timedelta(days=1)).date()
    click.echo(
        f"retention: {report.days} days — documents of submissions accepted or rejected on "
        f"{last_day.isoformat()} or earlier (Vietnam time)"
    )
    if report.empty:
        click.echo("nothing to delete" if dry_run else "nothing was due: nothing deleted")
        return
    for tally in report.communes:
        click.echo(f"commune {tally.code} {tally.name}: {_line(tally)}")
    if len(report.communes) > 1:
        click.echo(f"total: {_line(report.total())}")
    if dry_run:
        click.echo("dry run: nothing was changed (`hoso retention` deletes this now)")
    else:
        click.echo(
            f"deleted: the sealed files are gone from the blob store; "
            f"{len(report.communes)} audit events written (one per commune)"
        )


def _json(report: RetentionReport, *, dry_run: bool) -> str:
    return json.dumps(
        {
            "dry_run": dry_run,
            "retention_days": report.days,
            "decided_before": report.cutoff.isoformat(),
            "communes": [dataclasses.asdict(tally) for tally in report.communes],
            "total": {
                key: value
                for key, value in dataclasses.asdict(report.total()).items()
                if key not in ("commune_id", "code", "name")
            },
        },
        ensure_ascii=False,
    )


@click.command()
@click.option("--dry-run", is_flag=True, help="show what a run would delete; change nothing")
@click.option(
    "--on",
    "on_day",
    metavar="YYYY-MM-DD",
    help="with --dry-run: what the run on that day (Vietnam time) would delete",
)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@run_use_case
async def retention(dry_run: bool, on_day: str | None, as_json: bool) -> None:
    """Delete the documents of submissions accepted or rejected HOSO_RETENTION_DAYS ago.

    Sealed files are removed from the blob store and their rows marked deleted; each
    submission keeps its metadata and its audit trail. The fields of residents with nothing
    left to keep (no draft, every submission of their own withdrawn or past retention) are
    erased. Submissions not yet accepted or rejected are never touched. The running bot does
    the same every night from 02:00 (Vietnam time); this runs it now, one audit event per
    commune.

    \b
    Examples:
      hoso retention --dry-run
      hoso retention --dry-run --on 2026-12-31
      hoso retention
    """
    if on_day is not None and not dry_run:
        fail("--on only goes with --dry-run: a purge runs as of today, never ahead of time")
        return
    settings = settings_from_env()
    now = None
    if on_day is not None:
        now = datetime.combine(_day(on_day), time(RETENTION_HOUR), VIETNAM)
    async with open_deps(settings) as deps:
        job = Retention(deps, days=settings.retention_days)
        report = await (job.plan(now) if dry_run else job.purge())
    if as_json:
        click.echo(_json(report, dry_run=dry_run))
    else:
        _print(report, dry_run=dry_run)
