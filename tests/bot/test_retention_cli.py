"""`hoso retention` as an administrator runs it: the dry run per commune (now, or as of a day),
the purge itself (files gone, one audit event per commune, nothing more the second time), and
one clear sentence for bad input."""

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import select, update

from bot.cli import main
from bot.config import load_settings
from bot.wiring import open_deps
from crypto import CommuneRecipients, create_identity
from storage.models import Blob, Document, Event, Submission
from storage.states import DocumentStatus, SubmissionState
from tests.fixtures.pull_data import (
    COMMUNE,
    OTHER_COMMUNE,
    VILLAGES_CSV,
    Doc,
    add_submission,
    jpeg,
)

S = SubmissionState
DECIDED = datetime(2026, 1, 1, tzinfo=UTC)  # 07:00 on 1 January in Vietnam


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data directory with the province, its villages and four submissions: three decided
    on 1 January 2026 (two in Hòa Phú, one in another commune), one still in review."""
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's directory
    for name in (
        "HOSO_DATABASE_URL",
        "HOSO_PROVINCE",
        "HOSO_FIELD_KEYS",
        "HOSO_BLIND_INDEX_KEY",
        "HOSO_RETENTION_DAYS",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOSO_DATA_DIR", str(tmp_path / "var"))
    villages = tmp_path / "villages.csv"
    villages.write_bytes(VILLAGES_CSV)
    for args in (["init"], ["units", "import", "--province", "66"], ["villages", "import"]):
        extra = [str(villages)] if args == ["villages", "import"] else []
        assert hoso(*args, *extra).exit_code == 0
    with_services(_four_submissions)
    return tmp_path


def hoso(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def with_services(work: Any) -> Any:
    """Run `work(deps)` on the same data directory the CLI uses."""

    async def run() -> Any:
        async with open_deps(load_settings()) as deps:
            return await work(deps)

    return asyncio.run(run())


async def _four_submissions(deps: Any) -> None:
    recipients = CommuneRecipients(
        COMMUNE, (create_identity().recipient,), create_identity().recipient
    )
    made = {
        ("HP-AAAA1", COMMUNE, "HP-01", S.ACCEPTED): [
            Doc("cccd_front", jpeg("a1")),
            Doc("cccd_back", jpeg("a2")),
        ],
        ("HP-BBBB2", COMMUNE, "HP-02", S.REJECTED): [
            Doc("cccd_front", jpeg("b1")),
            Doc("cert_cover", None, status=DocumentStatus.REFUSED),
        ],
        ("OT-CCCC3", OTHER_COMMUNE, "OT-01", S.ACCEPTED): [Doc("cccd_front", jpeg("c1"))],
        ("HP-DDDD4", COMMUNE, "HP-01", S.IN_REVIEW): [Doc("cccd_front", jpeg("d1"))],
    }
    for (receipt, commune, village, state), documents in made.items():
        submission_id = await add_submission(
            deps,
            receipt,
            documents,
            commune=commune,
            village=village,
            submitted_at=datetime(2025, 12, 20, tzinfo=UTC),
            recipients=recipients,
        )
        async with deps.database.sessions.begin() as session:
            # decided without an audit event (as data from before events were kept): its last
            # change stands for the decision
            await session.execute(
                update(Submission)
                .where(Submission.id == submission_id)
                .values(state=state, updated_at=DECIDED)
            )


def stored_files() -> list[str]:
    async def work(deps: Any) -> list[str]:
        async with deps.database.sessions() as session:
            names = await session.scalars(select(Blob.name))
            return [name for name in names if deps.blobs.exists(name)]

    found: list[str] = with_services(work)
    return found


def retention_events() -> list[tuple[int | None, dict[str, Any]]]:
    async def work(deps: Any) -> list[tuple[int | None, dict[str, Any]]]:
        async with deps.database.sessions() as session:
            events = await session.scalars(
                select(Event).where(Event.action == "retention_purged").order_by(Event.id)
            )
            return [(event.commune_id, event.data) for event in events]

    found: list[tuple[int | None, dict[str, Any]]] = with_services(work)
    return found


def statuses(receipt: str) -> set[DocumentStatus]:
    async def work(deps: Any) -> set[DocumentStatus]:
        async with deps.database.sessions() as session:
            found = await session.scalars(
                select(Document.status)
                .join(Submission, Submission.id == Document.submission_id)
                .where(Submission.receipt_code == receipt)
            )
            return set(found)

    found: set[DocumentStatus] = with_services(work)
    return found


def test_dry_run_shows_each_commune_and_changes_nothing(env: Path) -> None:
    result = hoso("retention", "--dry-run")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(
        "retention: 90 days — documents of submissions accepted or rejected"
    )
    hoa_phu = next(line for line in lines if line.startswith(f"commune {COMMUNE} "))
    assert "Hòa Phú" in hoa_phu
    assert ": 2 submissions, 4 documents, 3 sealed files (" in hoa_phu
    assert "; identity fields of 2 residents (2 submissions)" in hoa_phu
    other = next(line for line in lines if line.startswith(f"commune {OTHER_COMMUNE} "))
    assert ": 1 submission, 1 document, 1 sealed file (" in other
    assert "; identity fields of 1 resident (1 submission)" in other
    assert "total: 3 submissions, 5 documents, 4 sealed files (" in result.output
    assert lines[-1] == "dry run: nothing was changed (`hoso retention` deletes this now)"
    assert "HP-DDDD4" not in result.output
    assert len(stored_files()) == 5
    assert retention_events() == []

    as_json = json.loads(hoso("retention", "--dry-run", "--json").output)
    assert as_json["dry_run"] is True
    assert as_json["retention_days"] == 90
    assert as_json["total"]["submissions"] == 3
    by_code = {c["code"]: c for c in as_json["communes"]}
    assert sorted(by_code[COMMUNE]["purged"]) == ["HP-AAAA1", "HP-BBBB2"]
    assert by_code[COMMUNE]["file_bytes"] > 0


def test_dry_run_on_a_day_kept_through_day_n_gone_on_day_n_plus_one(env: Path) -> None:
    """Decided on 1 January (Vietnam time) with 90 days: kept through 1 April, due on the 2nd."""
    day_n = hoso("retention", "--dry-run", "--on", "2026-04-01")
    assert "accepted or rejected on 2025-12-31 or earlier" in day_n.output
    assert "nothing to delete" in day_n.output
    day_n_plus_1 = hoso("retention", "--dry-run", "--on", "2026-04-02")
    assert "total: 3 submissions" in day_n_plus_1.output
    shorter = hoso(
        "retention", "--dry-run", "--on", "2026-01-03", env={"HOSO_RETENTION_DAYS": "1"}
    )
    assert "total: 3 submissions" in shorter.output


def test_purge_now_removes_the_files_once_with_one_event_per_commune(env: Path) -> None:
    result = hoso("retention")
    assert result.exit_code == 0, result.output
    assert "total: 3 submissions, 5 documents, 4 sealed files (" in result.output
    assert "2 audit events written (one per commune)" in result.output
    assert len(stored_files()) == 1  # only the one in review keeps its file
    assert statuses("HP-AAAA1") == {DocumentStatus.DELETED}
    assert statuses("HP-BBBB2") == {DocumentStatus.DELETED}
    assert statuses("HP-DDDD4") == {DocumentStatus.STORED}
    events = retention_events()
    assert len(events) == 2
    assert sorted(data["submissions"] for _, data in events) == [1, 2]
    again = hoso("retention")
    assert "nothing was due: nothing deleted" in again.output
    assert len(retention_events()) == 2


@pytest.mark.parametrize(
    ("args", "extra_env", "message"),
    [
        (["--on", "2026-12-31"], {}, "--on only goes with --dry-run"),
        (["--dry-run", "--on", "2026-02-30"], {}, "is not a date: write it as YYYY-MM-DD"),
        (["--dry-run", "--on", "tomorrow"], {}, "is not a date"),
        (["--dry-run"], {"HOSO_RETENTION_DAYS": "0"}, "HOSO_RETENTION_DAYS"),
        ([], {"HOSO_RETENTION_DAYS": "3651"}, "HOSO_RETENTION_DAYS"),
    ],
)
def test_bad_input_gets_one_clear_sentence_and_changes_nothing(
    env: Path, args: list[str], extra_env: dict[str, str], message: str
) -> None:
    result = hoso("retention", *args, env=extra_env)
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert len(stored_files()) == 5


def test_help_has_examples(env: Path) -> None:
    result = hoso("retention", "--help")
    assert "Example" in result.output
    assert "never touched" in result.output
    assert "retention" in hoso("--help").output
