"""The retention job against a real database and blob store, with a clock that moves: what it
destroys on day N + 1 and not on day N, the files gone from disk, the metadata and the audit
trail kept, nothing more on a second run, submissions not yet decided never touched, the fields
of residents with nothing left to keep erased, one audit event per commune, a dry run that
changes nothing, and what an open data-subject request may need held until it is completed."""

from __future__ import annotations

import asyncio
import json
import uuid
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select, update

from crypto import seal_document
from intake.admin import recipients_for_commune
from intake.language import VIETNAM, Language
from intake.reports import report_replies
from intake.requests import acknowledge, complete, open_request
from intake.retention import Retention
from intake.submissions import (
    accept,
    ask_for_info,
    card_of,
    reject,
    resubmit,
    start_review,
    withdraw,
)
from storage.deps import Deps
from storage.models import (
    Blob,
    Citizen,
    Commune,
    DataRequest,
    Document,
    Draft,
    Event,
    FingerprintBand,
    Outbox,
    Staff,
    Submission,
)
from storage.repositories import data_requests, fingerprints
from storage.repositories.audit import verify_event_chain
from storage.states import (
    ActorKind,
    DataRequestKind,
    DocumentStatus,
    StaffRole,
    SubmissionState,
)
from tests.fixtures.commune import CHIEF_1, OFFICER, HoaPhu, join, submit

S = SubmissionState
DAYS = 30
PAGES = ("cccd_front", "cccd_back", "cert_cover")
FINGERPRINT = "ab" * 32


@pytest.fixture
async def officer(deps: Deps, hoa_phu: HoaPhu) -> Staff:
    return await join(deps, StaffRole.OFFICER, OFFICER, commune="24175")


async def add_sealed(deps: Deps, made: Submission, slots: tuple[str, ...] = PAGES) -> list[str]:
    """Sealed documents of the submission, as the pipeline stores them; their blob names."""
    recipients = await recipients_for_commune(deps, made.commune_id)
    names = []
    async with deps.database.sessions.begin() as session:
        for number, slot in enumerate(slots):
            stored = deps.blobs.write(seal_document(f"{slot} photo".encode(), recipients))
            blob = Blob(name=stored.name, size=stored.size, sha256=stored.sha256)
            session.add(blob)
            await session.flush()
            document = Document(
                submission_id=made.id,
                commune_id=made.commune_id,
                slot=slot,
                status=DocumentStatus.STORED,
                telegram_file_id=f"AgACAgIAAxk-{made.receipt_code}-{number}",
                file_unique_id=f"u-{made.receipt_code}-{number}",
                chat_id=5001,
                message_id=number,
                content_type="jpeg",
                blob_id=blob.id,
                metrics={"sharpness": 321.0, "fingerprint": FINGERPRINT},
            )
            session.add(document)
            await session.flush()
            await fingerprints.record(session, document.id, made.commune_id, FINGERPRINT)
            names.append(stored.name)
    return names


async def decide(deps: Deps, made: Submission, officer: Staff, state: SubmissionState) -> None:
    """Take a submission through the review lifecycle to `state`, as the desks do."""
    async with deps.database.sessions.begin() as session:
        row = await session.get(Submission, made.id)
        staff = await session.get(Staff, officer.id)
        assert row is not None
        assert staff is not None
        if state is S.WITHDRAWN:
            citizen = await session.get(Citizen, row.citizen_id)
            assert citizen is not None
            assert await withdraw(session, citizen, row.receipt_code) is not None
            return
        if state is S.SUBMITTED:
            return
        await start_review(session, deps, row, staff)
        if state is S.ACCEPTED:
            await accept(session, deps, row, staff)
        elif state is S.REJECTED:
            await reject(session, deps, row, staff, reason="duplicate")
        elif state in (S.NEEDS_INFO, S.RESUBMITTED):
            await ask_for_info(session, deps, row, staff, slots=["cccd_back"])
            if state is S.RESUBMITTED:
                assert await resubmit(session, row)


async def made_in(
    deps: Deps,
    place: HoaPhu,
    officer: Staff,
    state: SubmissionState,
    *,
    user: int,
    holder: str = "Nguyễn Văn An",
    cccd: str = "066090012345",
) -> tuple[Submission, list[str]]:
    made = await submit(
        deps,
        place,
        place.villages[0],
        holder=holder,
        cccd=cccd,
        citizen_user_id=user,
        map_sheet="12",
        parcel_no="345",
    )
    names = await add_sealed(deps, made)
    await decide(deps, made, officer, state)
    return made, names


async def decided_at(deps: Deps, made: Submission) -> datetime:
    """The time of the review's decision, as the audit trail recorded it."""
    async with deps.database.sessions() as session:
        at = await session.scalar(
            select(Event.at).where(
                Event.submission_id == made.id, Event.action.in_(("accepted", "rejected"))
            )
        )
    assert at is not None
    return at


def day(moment: datetime, days: int, at: time) -> datetime:
    """`at` (Vietnam time) on the day `days` days after `moment`'s Vietnam day."""
    return datetime.combine(moment.astimezone(VIETNAM).date() + timedelta(days=days), at, VIETNAM)


async def documents_of(deps: Deps, made: Submission) -> list[Document]:
    async with deps.database.sessions() as session:
        found = await session.scalars(
            select(Document).where(Document.submission_id == made.id).order_by(Document.slot)
        )
        return list(found)


async def submission(deps: Deps, made: Submission) -> Submission:
    async with deps.database.sessions() as session:
        row = await session.get(Submission, made.id)
        assert row is not None
        return row


async def outbox_texts(deps: Deps) -> str:
    """Every message written so far, opened, as one text."""
    async with deps.database.sessions() as session:
        rows = await session.execute(select(Outbox.id, Outbox.payload_enc))
        return "\n".join(
            deps.fields.decrypt(payload, table="outbox", column="payload_enc", row=row_id)
            for row_id, payload in rows
        )


async def retention_events(deps: Deps) -> list[Event]:
    async with deps.database.sessions() as session:
        found = await session.scalars(
            select(Event).where(Event.action == "retention_purged").order_by(Event.id)
        )
        return list(found)


async def test_purged_on_day_n_plus_one_and_nothing_on_day_n(
    deps: Deps, hoa_phu: HoaPhu, officer: Staff
) -> None:
    accepted, accepted_files = await made_in(deps, hoa_phu, officer, S.ACCEPTED, user=5001)
    rejected, rejected_files = await made_in(
        deps, hoa_phu, officer, S.REJECTED, user=5002, holder="Trần Thị Bình", cccd="066190054321"
    )
    when = max(await decided_at(deps, accepted), await decided_at(deps, rejected))
    job = Retention(deps, days=DAYS)

    for moment in (day(when, 0, time(23, 59)), day(when, DAYS, time(23, 59, 59))):
        nothing = await job.purge(moment)
        assert nothing.empty, moment
    assert await retention_events(deps) == []  # a run that finds nothing writes nothing
    assert all(deps.blobs.exists(name) for name in accepted_files + rejected_files)
    assert {d.status for d in await documents_of(deps, accepted)} == {DocumentStatus.STORED}

    report = await job.purge(day(when, DAYS + 1, time(0, 0)))
    assert [(c.code, c.submissions, c.documents, c.files) for c in report.communes] == [
        ("24175", 2, 6, 6)
    ]
    assert report.communes[0].file_bytes > 0
    assert sorted(report.communes[0].purged) == sorted(
        [accepted.receipt_code, rejected.receipt_code]
    )
    # the files are gone from disk, not only marked
    for name in accepted_files + rejected_files:
        assert not deps.blobs.exists(name)
        assert not deps.blobs.path_of(name).exists()
    for made in (accepted, rejected):
        documents = await documents_of(deps, made)
        assert [d.slot for d in documents] == sorted(PAGES)  # the rows and their metadata stay
        assert {d.status for d in documents} == {DocumentStatus.DELETED}
        assert all(d.deleted_at is not None for d in documents)
        assert all(d.telegram_file_id == "" for d in documents)  # Telegram's copy unreachable
        assert all("fingerprint" not in d.metrics for d in documents)
        assert all(d.metrics["sharpness"] == 321.0 for d in documents)
        row = await submission(deps, made)  # the submission keeps its metadata
        assert row.receipt_code == made.receipt_code
        assert row.state in (S.ACCEPTED, S.REJECTED)
        assert (row.map_sheet, row.parcel_no) == ("12", "345")
    async with deps.database.sessions() as session:
        blobs = list(await session.scalars(select(Blob)))
        bands = await session.scalar(select(func.count()).select_from(FingerprintBand))
        trail = await session.scalar(
            select(func.count()).where(Event.submission_id == accepted.id)
        )
        assert (await verify_event_chain(session)).fault is None
    assert blobs
    assert all(blob.deleted_at is not None for blob in blobs)
    assert bands == 0
    assert trail == 3  # submitted, review started, accepted: the audit trail is kept

    # one event for the commune, with the counts; a second run deletes nothing more
    events = await retention_events(deps)
    assert len(events) == 1
    event = events[0]
    assert (event.actor_kind, event.actor_id, event.commune_id) == (
        ActorKind.SYSTEM,
        None,
        hoa_phu.commune.id,
    )
    assert event.data["submissions"] == 2
    assert event.data["documents"] == 6
    assert event.data["files"] == 6
    assert event.data["bytes"] == report.communes[0].file_bytes
    assert event.data["retention_days"] == DAYS
    assert event.data["residents_erased"] == 2
    again = await job.purge(day(when, DAYS + 1, time(12, 0)))
    assert again.empty
    later = await job.purge(day(when, DAYS + 40, time(12, 0)))
    assert later.empty
    assert len(await retention_events(deps)) == 1


async def test_submissions_not_yet_decided_are_never_touched(
    deps: Deps, hoa_phu: HoaPhu, officer: Staff
) -> None:
    """However old, and whatever the retention, only accepted and rejected are purged; one
    resident holds them all, so the open ones also keep that resident's fields."""
    waiting = {}
    for state in (S.SUBMITTED, S.IN_REVIEW, S.NEEDS_INFO, S.RESUBMITTED, S.WITHDRAWN):
        waiting[state] = await made_in(deps, hoa_phu, officer, state, user=5001)
    accepted, _ = await made_in(deps, hoa_phu, officer, S.ACCEPTED, user=5001)
    async with deps.database.sessions.begin() as session:  # all of them years old
        old = datetime(2020, 1, 1, tzinfo=VIETNAM)
        await session.execute(
            update(Submission).values(submitted_at=old, created_at=old, updated_at=old)
        )
        await session.execute(update(Document).values(created_at=old, stored_at=old))
    report = await Retention(deps, days=1).purge(datetime.now(VIETNAM) + timedelta(days=3650))
    assert report.communes[0].purged == (accepted.receipt_code,)
    assert report.communes[0].residents == 0  # they still have submissions in review
    for state, (made, names) in waiting.items():
        row = await submission(deps, made)
        assert row.state is state
        assert row.erased_at is None
        assert row.holder_name_enc is not None
        statuses = {d.status for d in await documents_of(deps, made)}
        if state is S.WITHDRAWN:  # deleted when it was withdrawn, not by retention
            assert statuses == {DocumentStatus.DELETED}
            continue
        assert statuses == {DocumentStatus.STORED}, state
        assert all(deps.blobs.exists(name) for name in names), state


async def test_fields_erased_only_for_residents_with_nothing_left_to_keep(
    deps: Deps, hoa_phu: HoaPhu, officer: Staff
) -> None:
    async def made(state: SubmissionState, user: int, holder: str) -> Submission:
        return (await made_in(deps, hoa_phu, officer, state, user=user, holder=holder))[0]

    done = await made(S.ACCEPTED, 5001, "Lê Văn Một")
    gave_up = await made(S.WITHDRAWN, 5001, "Lê Văn Một")
    # a resident with a submission still in review keeps their fields (the old one's too)
    kept_old = await made(S.ACCEPTED, 5002, "Phạm Thị Hai")
    in_review = await made(S.IN_REVIEW, 5002, "Phạm Thị Hai")
    # a resident writing a new draft keeps theirs
    drafting = await made(S.REJECTED, 5003, "Hoàng Văn Ba")
    # withdrawn and nothing else: erased at the next run already
    withdrawn_only = await made(S.WITHDRAWN, 5004, "Đỗ Thị Bốn")
    # a household a chief submitted for is the household's: erased though the chief drafts
    chief = await join(deps, StaffRole.CHIEF, CHIEF_1, village=hoa_phu.villages[0].code)
    household = await made(S.ACCEPTED, CHIEF_1, "Vũ Văn Năm")
    erased_names = ("Lê Văn Một", "Đỗ Thị Bốn", "Vũ Văn Năm")
    written = await outbox_texts(deps)
    assert all(name in written for name in erased_names)
    async with deps.database.sessions.begin() as session:
        await session.execute(
            update(Submission)
            .where(Submission.id == household.id)
            .values(assisted_by_staff_id=chief.id)
        )
        for user, made in ((5003, drafting), (CHIEF_1, household)):
            draft_id = uuid.uuid4()
            session.add(
                Draft(
                    id=draft_id,
                    chat_id=user,
                    citizen_id=made.citizen_id,
                    step="name",
                    payload_enc=deps.fields.encrypt(
                        json.dumps({}), table="draft", column="payload_enc", row=draft_id
                    ),
                )
            )
    when = await decided_at(deps, household)
    job = Retention(deps, days=DAYS)

    early = await job.purge(day(when, DAYS, time(12)))
    assert early.communes[0].erased == (withdrawn_only.receipt_code,)
    assert early.communes[0].submissions == 0

    report = await job.purge(day(when, DAYS + 1, time(2)))
    tally = report.communes[0]
    assert sorted(tally.erased) == sorted(
        [done.receipt_code, gave_up.receipt_code, household.receipt_code]
    )
    assert tally.residents == 2  # resident 5001 and the household
    for made in (done, gave_up, household, withdrawn_only):
        row = await submission(deps, made)
        assert row.erased_at is not None
        assert (row.holder_name_enc, row.cccd_enc, row.cccd_index) == (None, None, None)
        assert (row.phone_enc, row.certificate_serial_enc) == (None, None)
        # what the submission was about stays: its place, parcel, state, dates, receipt
        assert (row.map_sheet, row.parcel_no) == ("12", "345")
        assert row.receipt_code == made.receipt_code
    for made in (kept_old, in_review, drafting):
        row = await submission(deps, made)
        assert row.erased_at is None
        assert row.holder_name_enc is not None
        assert row.cccd_index == deps.blind.cccd("066090012345")
    # the staff alerts written about the erased ones no longer name them; the others do
    texts = await outbox_texts(deps)
    assert not any(name in texts for name in erased_names)
    assert "Phạm Thị Hai" in texts
    assert "Hoàng Văn Ba" in texts
    # a second run erases nothing more
    assert (await job.purge(day(when, DAYS + 1, time(3)))).empty


async def test_a_dry_run_shows_the_next_run_and_changes_nothing(
    deps: Deps, hoa_phu: HoaPhu, officer: Staff
) -> None:
    made, names = await made_in(deps, hoa_phu, officer, S.ACCEPTED, user=5001)
    job = Retention(deps, days=DAYS)
    when = day(await decided_at(deps, made), DAYS + 1, time(2))
    planned = await job.plan(when)
    assert [(c.submissions, c.documents, c.files, c.residents) for c in planned.communes] == [
        (1, 3, 3, 1)
    ]
    assert all(deps.blobs.exists(name) for name in names)
    assert {d.status for d in await documents_of(deps, made)} == {DocumentStatus.STORED}
    assert (await submission(deps, made)).erased_at is None
    assert await retention_events(deps) == []
    done = await job.purge(when)
    assert done.communes == planned.communes
    assert (await job.plan(when)).empty


async def ask(
    deps: Deps, made: Submission, commune: Commune, kind: DataRequestKind, at: datetime
) -> DataRequest:
    """The submitter of `made` asks `commune` for a copy or a correction."""
    async with deps.database.sessions.begin() as session:
        return await open_request(
            session,
            deps,
            citizen_id=made.citizen_id,
            commune=(commune.id, commune.name),
            kind=kind,
            details="Tên chủ sổ sai" if kind is DataRequestKind.CORRECTION else None,
            now=at,
        )


async def answer(
    deps: Deps, asked: DataRequest, officer: Staff, at: datetime, *, done: bool
) -> None:
    """The officer acknowledges the request, or completes it with a note."""
    async with deps.database.sessions.begin() as session:
        request = await data_requests.request_by_code(session, asked.code, for_update=True)
        assert request is not None
        if done:
            await complete(session, deps, request, officer, note="Đã sửa", now=at)
        else:
            await acknowledge(session, deps, request, officer, at)


@pytest.mark.parametrize(
    ("kind", "acknowledged"),
    [(DataRequestKind.COPY, False), (DataRequestKind.CORRECTION, True)],
)
async def test_an_open_data_request_holds_what_it_needs_until_it_is_completed(
    deps: Deps, hoa_phu: HoaPhu, officer: Staff, kind: DataRequestKind, acknowledged: bool
) -> None:
    """A resident who asks on the last day keeps their documents and fields on day N + 1 and
    after while the request is open, received or acknowledged; the run after it is completed
    takes them; the dry run says so each time. Another resident's go on day N + 1 as ever."""
    asking, asking_files = await made_in(deps, hoa_phu, officer, S.ACCEPTED, user=5001)
    other, other_files = await made_in(
        deps, hoa_phu, officer, S.REJECTED, user=5002, holder="Trần Thị Bình", cccd="066190054321"
    )
    when = max(await decided_at(deps, asking), await decided_at(deps, other))
    request = await ask(deps, asking, hoa_phu.commune, kind, day(when, DAYS, time(16)))
    if acknowledged:
        await answer(deps, request, officer, day(when, DAYS, time(17)), done=False)
    job = Retention(deps, days=DAYS)

    next_day = day(when, DAYS + 1, time(2))
    planned = await job.plan(next_day)
    report = await job.purge(next_day)
    assert report.communes == planned.communes
    assert report.communes[0].purged == (other.receipt_code,)
    assert report.communes[0].erased == (other.receipt_code,)
    assert not any(deps.blobs.exists(name) for name in other_files)
    for moment in (day(when, DAYS + 1, time(12)), day(when, DAYS + 20, time(2))):
        assert (await job.plan(moment)).empty, moment
        assert (await job.purge(moment)).empty, moment
    assert all(deps.blobs.exists(name) for name in asking_files)
    assert {d.status for d in await documents_of(deps, asking)} == {DocumentStatus.STORED}
    held = await submission(deps, asking)
    assert held.erased_at is None
    assert held.holder_name_enc is not None
    assert held.cccd_index == deps.blind.cccd("066090012345")

    await answer(deps, request, officer, day(when, DAYS + 20, time(10)), done=True)
    next_run = day(when, DAYS + 21, time(2))
    planned = await job.plan(next_run)
    assert [(c.submissions, c.documents, c.files, c.residents) for c in planned.communes] == [
        (1, 3, 3, 1)
    ]
    report = await job.purge(next_run)
    assert report.communes == planned.communes
    assert report.communes[0].purged == (asking.receipt_code,)
    assert report.communes[0].erased == (asking.receipt_code,)
    assert not any(deps.blobs.exists(name) for name in asking_files)
    assert {d.status for d in await documents_of(deps, asking)} == {DocumentStatus.DELETED}
    assert (await submission(deps, asking)).erased_at is not None


async def test_a_data_request_holds_only_its_residents_own_submissions_in_its_commune(
    deps: Deps, hoa_phu: HoaPhu, officer: Staff
) -> None:
    """A request to another commune holds nothing here; a chief's own request holds none of
    the households the chief submitted for (/assist), which are the households'."""
    elsewhere, _ = await made_in(deps, hoa_phu, officer, S.ACCEPTED, user=5001)
    chief = await join(deps, StaffRole.CHIEF, CHIEF_1, village=hoa_phu.villages[0].code)
    household, _ = await made_in(
        deps, hoa_phu, officer, S.ACCEPTED, user=CHIEF_1, holder="Vũ Văn Năm", cccd="066190054321"
    )
    async with deps.database.sessions.begin() as session:
        await session.execute(
            update(Submission)
            .where(Submission.id == household.id)
            .values(assisted_by_staff_id=chief.id)
        )
        other = Commune(
            province_id=hoa_phu.commune.province_id,
            code="24176",
            name="Xã Hòa Thắng",
            short_name="Hòa Thắng",
            kind="xã",
            search_key="xa hoa thang",
            receipt_prefix="HT",
        )
        session.add(other)
    when = max(await decided_at(deps, elsewhere), await decided_at(deps, household))
    asked = day(when, DAYS, time(16))
    await ask(deps, elsewhere, other, DataRequestKind.COPY, asked)
    await ask(deps, household, hoa_phu.commune, DataRequestKind.CORRECTION, asked)

    report = await Retention(deps, days=DAYS).purge(day(when, DAYS + 1, time(2)))
    assert sorted(report.communes[0].purged) == sorted(
        [elsewhere.receipt_code, household.receipt_code]
    )
    assert sorted(report.communes[0].erased) == sorted(
        [elsewhere.receipt_code, household.receipt_code]
    )


async def test_runs_in_batches_and_two_at_once_do_nothing_twice(
    deps: Deps, hoa_phu: HoaPhu, officer: Staff
) -> None:
    made = [
        (await made_in(deps, hoa_phu, officer, S.ACCEPTED, user=5001 + n))[0] for n in range(3)
    ]
    when = day(await decided_at(deps, made[-1]), DAYS + 1, time(2))
    small = Retention(deps, days=DAYS, batch=1)
    first = await small.run_once(when)
    assert first.total().submissions == 1
    assert len(await retention_events(deps)) == 1
    # two processes at once (PostgreSQL: claims skip each other's rows; SQLite: one waits)
    one, other = Retention(deps, days=DAYS, batch=1), Retention(deps, days=DAYS, batch=1)
    reports = await asyncio.gather(one.purge(when), other.purge(when))
    assert sum(r.total().submissions for r in reports) == 2
    assert sum(r.total().documents for r in reports) == 6
    async with deps.database.sessions() as session:
        live = await session.scalar(
            select(func.count()).where(Document.status != DocumentStatus.DELETED)
        )
    events = await retention_events(deps)
    assert live == 0
    assert sum(e.data["submissions"] for e in events) == 3  # each destroyed once


async def test_the_nightly_worker_runs_once_a_day_from_its_hour(
    deps: Deps, hoa_phu: HoaPhu, officer: Staff
) -> None:
    made, _ = await made_in(deps, hoa_phu, officer, S.ACCEPTED, user=5001)
    clock = [day(await decided_at(deps, made), DAYS + 1, time(1, 30))]
    job = Retention(deps, days=DAYS, now=lambda: clock[0])
    stop = asyncio.Event()
    worker = asyncio.create_task(job.run(stop, poll=0.01))
    await asyncio.sleep(0.1)
    assert await retention_events(deps) == []  # before 02:00
    clock[0] = clock[0].replace(hour=2)
    for _ in range(200):
        if await retention_events(deps):
            break
        await asyncio.sleep(0.02)
    stop.set()
    await worker
    assert len(await retention_events(deps)) == 1
    assert {d.status for d in await documents_of(deps, made)} == {DocumentStatus.DELETED}


def test_a_retention_outside_the_bounds_is_refused(deps: Deps) -> None:
    for days in (0, -5, 3651):
        with pytest.raises(ValueError, match="1 to 3650 days"):
            Retention(deps, days=days)


async def test_what_staff_read_still_works_once_fields_are_erased(
    deps: Deps, hoa_phu: HoaPhu, officer: Staff
) -> None:
    made, _ = await made_in(deps, hoa_phu, officer, S.ACCEPTED, user=5001)
    when = day(await decided_at(deps, made), DAYS + 1, time(2))
    assert (await Retention(deps, days=DAYS).purge(when)).total().residents == 1
    async with deps.database.sessions() as session:
        row = await session.get(Submission, made.id)
        assert row is not None
        card = await card_of(session, deps, row, show_ids=True)
        replies = await report_replies(session, hoa_phu.commune.id, Language.VI, when)
    assert (card.receipt, card.state, card.parcel) == (made.receipt_code, S.ACCEPTED, "12/345")
    assert card.holder_name == ""
    assert (card.cccd, card.phone, card.serial) == ("", None, None)
    assert {status for _, status in card.documents} == {"missing"}  # none stored any more
    assert replies


async def test_a_decision_without_its_event_counts_from_the_last_change(
    deps: Deps, hoa_phu: HoaPhu, officer: Staff
) -> None:
    """Rows decided before the audit trail recorded decisions (restored, imported) are purged
    late rather than never: their last change stands for the decision."""
    made, names = await made_in(deps, hoa_phu, officer, S.IN_REVIEW, user=5001)
    changed = datetime(2026, 1, 1, 9, tzinfo=VIETNAM)
    async with deps.database.sessions.begin() as session:
        await session.execute(
            update(Submission)
            .where(Submission.id == made.id)
            .values(state=S.ACCEPTED, updated_at=changed)
        )
    job = Retention(deps, days=DAYS)
    assert (await job.purge(day(changed, DAYS, time(23)))).empty
    report = await job.purge(day(changed, DAYS + 1, time(2)))
    assert report.communes[0].purged == (made.receipt_code,)
    assert not any(deps.blobs.exists(name) for name in names)
