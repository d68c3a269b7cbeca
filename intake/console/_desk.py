"""The console's use cases: the queue as filtered in the URL, a submission's page, a document
opened with the session's unlocked key, the review actions, and the exports of the filtered
queue. `ConsoleDesk` is the one entry point console/ calls: the dashboard, the posters, the staff
page, the audit log and the data-subject requests have modules of their own (`_progress`,
`_posters`, `_staff`, `_audit`, `_requests`), which it builds and delegates to.

Everything the console shows or changes goes through the same policy (`decide`) and the same
review lifecycle (intake/submissions) as the Telegram staff desk, in one transaction each, so a
change made in one shows in the other and the resident is told the same words. A submission
outside the reader's scope is answered exactly like one that does not exist (NotFound), and
the attempt is an audit event. Opening a waiting submission puts it in review, as in Telegram.

The name search opens the names of the submissions in the filtered place (they are encrypted
at rest, so the database cannot compare them): ~10,000 names cost tens of milliseconds
(bench/console.py). A CCCD number is found through its blind index, never by decrypting.
"""

from __future__ import annotations

import asyncio
import hashlib
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from sqlalchemy.ext.asyncio import AsyncSession

from crypto import CryptoError, Identity, open_document
from intake.console._access import (
    ConsoleUser,
    Ended,
    SignedIn,
    SignInProblem,
    resume,
    sign_in,
    sign_out,
)
from intake.console._audit import AuditCsvWriter, AuditPage, ConsoleAudit
from intake.console._audit_filter import AuditFilter
from intake.console._exports import MAX_EXPORT, Export, ExportKind, ExportRefused
from intake.console._filters import PAGE_SIZE, QueueFilter, end_of, start_of
from intake.console._keys import KeyVault, UnlockResult
from intake.console._posters import ConsolePosters, PosterSet
from intake.console._progress import ConsoleProgress, Dashboard, MissingList
from intake.console._requests import ConsoleRequests, RequestAnswered, RequestsPage
from intake.console._scope import NotFound, OutOfScope, record_refusal
from intake.console._staff import ConsoleStaff, Invitation, Revoked, StaffList
from intake.exports import ArchiveWriter, read_records, write_xlsx
from intake.language import VIETNAM, Language
from intake.notify import parcel_text
from intake.staff._policy import Action, Subject, decide
from intake.submissions import (
    CLOSED,
    REJECT_REASONS,
    Card,
    ReviewError,
    accept,
    all_slots,
    ask_for_info,
    assign,
    card_of,
    matching,
    narrowed,
    read_search,
    reject,
    start_review,
)
from storage.blobs import BlobPathError, BlobStoreUnavailable
from storage.deps import Deps
from storage.models import Blob, Document, Staff, Submission
from storage.repositories import console as rows
from storage.repositories import places
from storage.repositories import queue as queue_rows
from storage.repositories.audit import append_event
from storage.repositories.queue import QueueQuery
from storage.repositories.submissions import field, submission_by_receipt
from storage.states import ActorKind, DocumentStatus, StaffRole, SubmissionState

__all__ = [
    "ConsoleDesk",
    "DocumentProblem",
    "DocumentUnavailable",
    "DocumentView",
    "EventView",
    "OpenedDocument",
    "QueueRow",
    "QueueView",
    "ReviewDone",
    "Stale",
    "SubmissionPage",
]


@dataclass(frozen=True)
class _Place:
    """A queue the reader may see: its query, the villages to filter by, and what they may
    search for."""

    query: QueueQuery
    villages: list[tuple[int, str]]
    chief: bool
    show_ids: bool
    may_export: bool


class Stale(Exception):
    """The submission changed since the form was shown (by a colleague, or in Telegram)."""


class DocumentProblem(StrEnum):
    MISSING = "missing"  # the sealed file is gone from the store
    DAMAGED = "damaged"  # its bytes differ from those recorded when it was sealed
    LOCKED = "locked"  # the session has not unlocked the commune key
    WRONG_KEY = "wrong_key"  # none of the unlocked keys opens it
    UNAVAILABLE = "unavailable"  # the object store cannot be reached now: try again


class DocumentUnavailable(Exception):
    def __init__(self, problem: DocumentProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True, slots=True)
class QueueRow:
    receipt: str
    state: SubmissionState
    holder_name: str
    village: str | None
    parcel: str
    submitted_at: datetime  # Vietnam time
    flags: tuple[str, ...]
    complete: bool


@dataclass(frozen=True)
class QueueView:
    filter: QueueFilter
    commune_id: int
    commune_name: str
    rows: list[QueueRow]
    total: int
    counts: dict[str, int]
    pages: int
    villages: list[tuple[int, str]]  # the villages the reader may filter by
    communes: list[tuple[int, str]]  # an admin's choice of commune; empty for the others
    may_see_triage: bool
    may_export: bool
    unlocked: bool  # the session holds the commune's key (an opened ZIP needs it)


@dataclass(frozen=True, slots=True)
class DocumentView:
    id: str
    slot: str
    status: DocumentStatus
    content_type: str | None
    issues: tuple[str, ...]
    current: bool  # the newest stored document of its slot (older ones were replaced)
    problem: DocumentProblem | None

    @property
    def is_pdf(self) -> bool:
        return self.content_type == "pdf"


@dataclass(frozen=True, slots=True)
class EventView:
    at: datetime  # Vietnam time
    actor: str  # a staff member's name, or "" (the resident, the system)
    actor_kind: ActorKind
    action: str
    note: str


@dataclass(frozen=True)
class SubmissionPage:
    card: Card
    commune_id: int
    commune_name: str
    map_sheet: str | None
    parcel_no: str | None
    village_id: int | None
    documents: list[DocumentView]
    events: list[EventView]
    villages: list[tuple[int, str]]
    slots: tuple[str, ...]  # the pages a "needs info" may ask for
    reject_reasons: tuple[str, ...]
    may_review: bool
    may_assign: bool
    may_view_documents: bool
    unlocked: bool
    closed: bool
    seen: str  # the version a review form carries (stale forms are refused)
    next_receipt: str | None


@dataclass(frozen=True, slots=True)
class OpenedDocument:
    data: bytes
    content_type: str  # a MIME type
    filename: str


@dataclass(frozen=True, slots=True)
class ReviewDone:
    key: str  # the message to show, e.g. "review.accepted"
    receipt: str
    next_receipt: str | None
    params: dict[str, str]


_MIME = {
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
    "pdf": "application/pdf",
}


def _version(submission: Submission) -> str:
    moment = submission.updated_at
    return f"{submission.state.value}.{int(moment.timestamp() * 1_000_000)}"


class ConsoleDesk:
    """Entry point of the domain for the web console (console/ calls nothing else)."""

    def __init__(
        self, deps: Deps, *, bot_username: str = "", on_changed: Callable[[], None] = lambda: None
    ) -> None:
        self.deps = deps
        self.vault = KeyVault(deps)
        self.on_changed = on_changed  # wakes the outbox sender after a review
        self.progress_desk = ConsoleProgress(
            deps, transaction=self._transaction, scope=self._commune_in_scope
        )
        self.poster_desk = ConsolePosters(
            bot_username, transaction=self._transaction, scope=self._commune_in_scope
        )
        self.staff = ConsoleStaff(deps, bot_username=bot_username, scope=self._commune_in_scope)
        self.audit_log = ConsoleAudit(deps, scope=self._commune_in_scope)
        self.requests_desk = ConsoleRequests(
            deps, scope=self._commune_in_scope, on_changed=self.on_changed
        )

    # --- sessions ------------------------------------------------------------------------------

    async def resume(self, session_key: str | None) -> ConsoleUser | Ended:
        """The request's signed-in user; a session found ended drops its unlocked keys."""
        found = await resume(self.deps, session_key)
        if isinstance(found, Ended) and found.session_id is not None:
            self.vault.forget(found.session_id)
        return found

    async def sign_in(self, token: str, *, remote: str | None) -> SignedIn | SignInProblem:
        return await sign_in(self.deps, token, remote=remote)

    async def sign_out(self, user: ConsoleUser) -> None:
        self.lock(user)
        await sign_out(self.deps, user)

    def lock(self, user: ConsoleUser) -> None:
        """Forget the session's unlocked keys (the officer's 🔒, and at sign-out)."""
        self.vault.forget(user.session_id)

    # --- scope ---------------------------------------------------------------------------------

    async def _commune_in_scope(
        self, session: AsyncSession, user: ConsoleUser, asked: int | None
    ) -> tuple[int, str, list[tuple[int, str]]]:
        """The commune whose queue the reader sees, its name, and (for an admin) the choice."""
        actor = user.actor
        if actor.role is StaffRole.ADMIN:
            communes = await places.communes_of_province(
                session, actor.province_id, offset=0, limit=10_000
            )
            choice = [(c.id, c.name) for c in communes]
            chosen = next(
                (c for c in communes if c.id == asked),
                communes[0] if communes and asked is None else None,
            )
            if chosen is None:  # none, or not one of the province's: never another one
                raise NotFound
            return chosen.id, chosen.name, choice
        if actor.commune_id is None:
            raise NotFound
        commune = await places.commune(session, actor.commune_id)
        if commune is None:
            raise NotFound
        return commune.id, commune.name, []

    @asynccontextmanager
    async def _transaction(self, user: ConsoleUser) -> AsyncIterator[AsyncSession]:
        """One transaction; a request found out of scope (`OutOfScope`) is rolled back,
        recorded as an audit event in a transaction of its own, and answered as NotFound."""
        try:
            async with self.deps.database.sessions.begin() as session:
                yield session
        except OutOfScope as refused:
            await record_refusal(
                self.deps,
                user,
                action=refused.action,
                decision="out_of_scope",
                commune_id=refused.subject.commune_id,
                **refused.data,
            )
            raise NotFound from None

    async def _subject(self, session: AsyncSession, submission: Submission) -> Subject:
        commune = await places.commune(session, submission.commune_id)
        return Subject(
            commune.province_id if commune else -1, submission.commune_id, submission.village_id
        )

    async def _submission(
        self,
        session: AsyncSession,
        user: ConsoleUser,
        receipt: str,
        action: Action,
        *,
        lock: bool = False,
    ) -> tuple[Submission, Subject]:
        """The submission, if the reader may do `action` on it; `lock`: its row is locked
        until the transaction ends (two officers posting at once: the second sees it changed)."""
        submission = await submission_by_receipt(session, receipt.upper(), for_update=lock)
        if submission is None:
            raise NotFound
        subject = await self._subject(session, submission)
        if not decide(user.actor, action, subject).allowed:
            raise OutOfScope(action, subject, receipt=submission.receipt_code)
            raise NotFound
        return submission, subject

    # --- the queue -----------------------------------------------------------------------------

    async def _place(
        self, session: AsyncSession, user: ConsoleUser, commune_id: int, wanted: QueueFilter
    ) -> _Place:
        """The queue a filter names, if the reader may see it (else `OutOfScope`): a chief's
        is their village's unless they name another, which is refused like any other place."""
        actor = user.actor
        chief = actor.role is StaffRole.CHIEF
        village_id = actor.village_id if chief and not wanted.village else wanted.village_id
        subject = Subject(actor.province_id, commune_id, None if wanted.triage else village_id)
        if not decide(actor, Action.VIEW_QUEUE, subject).allowed:
            raise OutOfScope(Action.VIEW_QUEUE, subject)
        villages = await places.villages_of_commune(session, commune_id)
        if village_id is not None and village_id not in {v.id for v in villages}:
            raise NotFound
        query = QueueQuery(
            commune_id=commune_id,
            village_id=village_id,
            triage=wanted.triage,
            states=wanted.states,
            excluded=tuple(CLOSED),
            newest_first=wanted.order == "newest",
            since=start_of(wanted.since),
            until=end_of(wanted.until),
        )
        return _Place(
            query,
            [(v.id, v.name) for v in villages if not chief or v.id == village_id],
            chief,
            # a CCCD is searched only by those who may see it (a match would tell it)
            decide(actor, Action.VIEW_ID_NUMBERS, subject).allowed,
            decide(actor, Action.EXPORT, subject).allowed,
        )

    async def queue(self, user: ConsoleUser, wanted: QueueFilter) -> QueueView:
        async with self._transaction(user) as session:
            commune_id, commune_name, communes = await self._commune_in_scope(
                session, user, wanted.commune
            )
            place = await self._place(session, user, commune_id, wanted)
        query = await self._searched(user, place, wanted.q)
        async with self._transaction(user) as session:
            found, total, counts = await queue_rows.search_queue(
                session, query, offset=wanted.page * PAGE_SIZE, limit=PAGE_SIZE
            )
            shown = [
                QueueRow(
                    receipt=s.receipt_code,
                    state=s.state,
                    holder_name=field(self.deps.fields, s, "holder_name") or "",
                    village=village,
                    parcel=parcel_text(s.map_sheet, s.parcel_no),
                    submitted_at=s.submitted_at.astimezone(VIETNAM),
                    flags=tuple((s.quality_flags or {}).get("flags", ())),
                    complete=s.complete,
                )
                for s, village in found
            ]
        return QueueView(
            filter=wanted,
            commune_id=commune_id,
            commune_name=commune_name,
            rows=shown,
            total=total,
            counts=counts,
            pages=max(1, -(-total // PAGE_SIZE)),
            villages=place.villages,
            communes=communes,
            may_see_triage=not place.chief,
            may_export=place.may_export,
            unlocked=self.vault.unlocked(user, commune_id),
        )

    async def _searched(self, user: ConsoleUser, place: _Place, text: str) -> QueueQuery:
        """The query narrowed by a search text (`intake.submissions.read_search`). A name
        search reads the place's encrypted names in a short transaction of its own and compares
        them in a worker thread, outside any transaction (so the database is not held while
        they are opened)."""
        search = read_search(text)
        if search is None:
            return place.query
        matched = None
        if search.name is not None:
            async with self._transaction(user) as session:
                names = await queue_rows.names_in_scope(session, place.query)
            matched = await asyncio.to_thread(matching, self.deps, names, search.name)
        return narrowed(self.deps, place.query, search, matched, show_ids=place.show_ids)

    # --- progress (intake/console/_progress.py) ------------------------------------------------

    async def progress(self, user: ConsoleUser, commune_id: int | None) -> Dashboard:
        return await self.progress_desk.dashboard(user, commune_id)

    async def progress_chart(self, user: ConsoleUser, commune_id: int | None) -> bytes:
        return await self.progress_desk.chart(user, commune_id)

    async def missing_households(
        self, user: ConsoleUser, commune_id: int | None, village_id: int
    ) -> MissingList:
        return await self.progress_desk.missing_households(user, commune_id, village_id)

    # --- staff and invitations (intake/console/_staff.py) ---------------------------------------

    async def staff_list(
        self, user: ConsoleUser, commune_id: int | None, *, show_revoked: bool = False
    ) -> StaffList:
        return await self.staff.staff_list(user, commune_id, show_revoked=show_revoked)

    async def invite(
        self, user: ConsoleUser, *, role: str, commune_id: int | None, village_id: int | None
    ) -> Invitation:
        return await self.staff.invite(
            user, role=role, commune_id=commune_id, village_id=village_id
        )

    async def revoke(self, user: ConsoleUser, staff_id: int) -> Revoked:
        return await self.staff.revoke(user, staff_id)

    # --- the audit log (intake/console/_audit.py) ----------------------------------------------

    async def audit(self, user: ConsoleUser, wanted: AuditFilter) -> AuditPage:
        return await self.audit_log.page(user, wanted)

    async def audit_csv(self, user: ConsoleUser, wanted: AuditFilter) -> AuditCsvWriter:
        return self.audit_log.writer(await self.audit_log.csv(user, wanted))

    async def audit_exported(
        self, user: ConsoleUser, sent: AuditCsvWriter, *, complete: bool
    ) -> None:
        await self.audit_log.exported(user, sent, complete=complete)

    # --- data-subject requests (intake/console/_requests.py) -----------------------------------

    async def data_requests(self, user: ConsoleUser, commune_id: int | None) -> RequestsPage:
        return await self.requests_desk.page(user, commune_id)

    async def answer_request(
        self, user: ConsoleUser, code: str, *, action: str, note: str
    ) -> RequestAnswered:
        return await self.requests_desk.answer(user, code, action=action, note=note)

    # --- village QR posters (intake/console/_posters.py) ---------------------------------------

    async def posters(
        self, user: ConsoleUser, commune_id: int | None, village_id: int | None = None
    ) -> PosterSet:
        return await self.poster_desk.posters(user, commune_id, village_id)

    # --- exports (intake/console/_exports.py) ------------------------------------------------

    async def export(self, user: ConsoleUser, wanted: QueueFilter, kind: ExportKind) -> Export:
        """What the filter selects, read for an export; ExportRefused with the reason."""
        async with self._transaction(user) as session:
            commune_id, _, _ = await self._commune_in_scope(session, user, wanted.commune)
            place = await self._place(session, user, commune_id, wanted)
            commune = await places.commune(session, commune_id)
        if not place.may_export or commune is None:
            await record_refusal(
                self.deps,
                user,
                action=Action.EXPORT,
                decision="not_your_role",
                commune_id=commune_id,
            )
            raise ExportRefused("export.not_allowed", 403)
        identities: tuple[Identity, ...] = ()
        if kind is ExportKind.ZIP:
            identities = tuple(self.vault.identities(user, commune_id))
            if not identities:
                raise ExportRefused("export.locked", 409)
        query = await self._searched(user, place, wanted.q)
        async with self._transaction(user) as session:
            total = await queue_rows.count_queue(session, query)
        if total == 0:
            raise ExportRefused("export.nothing", 200)
        if total > MAX_EXPORT:
            raise ExportRefused("export.too_many", 413, count=total, limit=MAX_EXPORT)
        records = await read_records(self.deps, query)
        return Export(kind, commune_id, commune.code, wanted, records, identities)

    async def write_xlsx(self, export: Export, path: Path, language: Language) -> int:
        """The export's XLSX written to `path` (in a worker thread); the number of rows."""
        return await asyncio.to_thread(write_xlsx, path, export.records, language)

    def archive(self, export: Export, language: Language) -> ArchiveWriter:
        """The export's ZIP, to be streamed (`ArchiveWriter.chunks`, blocking: run it in a
        worker thread)."""
        return ArchiveWriter(self.deps.blobs, export.records, export.identities, language)

    async def exported(
        self, user: ConsoleUser, export: Export, *, complete: bool, **counts: int
    ) -> None:
        """The audit event of one export (module docstring of intake/console/_exports.py)."""
        shown = export.filter.params(page=0, q="")
        async with self._transaction(user) as session:
            await append_event(
                session,
                actor_kind=ActorKind.STAFF,
                actor_id=str(user.staff_id),
                action="export",
                commune_id=export.commune_id,
                data={
                    "kind": export.kind.value,
                    "via": "console",
                    "filter": shown,
                    "searched": bool(export.filter.q),
                    "rows": len(export.records),
                    "complete": complete,
                    **counts,
                    "receipts": [record.receipt_code for record in export.records],
                },
            )

    # --- a submission --------------------------------------------------------------------------

    async def submission(
        self, user: ConsoleUser, receipt: str, wanted: QueueFilter
    ) -> SubmissionPage:
        """The page of one submission; opening a waiting one puts it in review (the resident
        is told)."""
        async with self._transaction(user) as session:
            submission, subject = await self._submission(
                session, user, receipt, Action.VIEW_SUBMISSION
            )
            actor = user.actor
            may_review = decide(actor, Action.REVIEW, subject).allowed
            staff = await session.get(Staff, user.staff_id)
            started = False
            if may_review and staff is not None:
                started = await start_review(session, self.deps, submission, staff)
            show_ids = decide(actor, Action.VIEW_ID_NUMBERS, subject).allowed
            may_view_documents = decide(actor, Action.VIEW_DOCUMENTS, subject).allowed
            card = await card_of(session, self.deps, submission, show_ids=show_ids)
            commune = await places.commune(session, submission.commune_id)
            villages = await places.villages_of_commune(session, submission.commune_id)
            documents = await rows.documents_with_blobs(session, submission.id)
            events = await self._events(session, submission.id)
            position = queue_rows.Position.of(submission)
            unlocked = self.vault.unlocked(user, submission.commune_id)
            page = SubmissionPage(
                card=card,
                commune_id=submission.commune_id,
                commune_name=commune.name if commune else "",
                map_sheet=submission.map_sheet,
                parcel_no=submission.parcel_no,
                village_id=submission.village_id,
                documents=[],
                events=events,
                villages=[(v.id, v.name) for v in villages],
                slots=tuple(all_slots(submission.certificate_status)),
                reject_reasons=REJECT_REASONS,
                may_review=may_review,
                may_assign=decide(actor, Action.ASSIGN, subject).allowed,
                may_view_documents=may_view_documents,
                unlocked=unlocked,
                closed=submission.state in CLOSED,
                seen=_version(submission),
                next_receipt=None,
            )
        if started:
            self.on_changed()
        if may_view_documents:  # the sealed files are read and hashed outside the transaction
            views = await asyncio.to_thread(_document_views, self.deps, documents, unlocked)
            page = replace(page, documents=views)
        return replace(page, next_receipt=await self._next(user, wanted, position))

    async def _events(self, session: AsyncSession, submission_id: uuid.UUID) -> list[EventView]:
        events = await rows.events_of_submission(session, submission_id)
        names: dict[str, str] = {}
        for event in events:
            staff_id = event.actor_id or ""
            if (
                event.actor_kind is ActorKind.STAFF
                and staff_id.isdigit()
                and staff_id not in names
            ):
                staff = await session.get(Staff, int(staff_id))
                names[staff_id] = staff.display_name if staff else ""
        return [
            EventView(
                at=e.at.astimezone(VIETNAM),
                actor=names.get(e.actor_id or "", ""),
                actor_kind=e.actor_kind,
                action=e.action,
                note=e.note,
            )
            for e in events
        ]

    async def _next(
        self, user: ConsoleUser, wanted: QueueFilter, after: queue_rows.Position
    ) -> str | None:
        """The submission after `after` in the queue the reader came from (their filter, which
        is checked like the queue's own)."""
        async with self._transaction(user) as session:
            place = await self._place(session, user, after.commune_id, wanted)
        query = await self._searched(user, place, wanted.q)
        async with self._transaction(user) as session:
            return await queue_rows.next_in_queue(session, query, after)

    # --- documents -----------------------------------------------------------------------------

    async def document(self, user: ConsoleUser, document_id: str) -> OpenedDocument:
        """A document opened with the session's unlocked key; an audit event records who saw
        which document when."""
        try:
            wanted = uuid.UUID(document_id)
        except ValueError:
            raise NotFound from None
        async with self._transaction(user) as session:
            found = await rows.document_with_blob(session, wanted)
            if found is None:
                raise NotFound
            document, blob, submission = found
            subject = await self._subject(session, submission)
            if not decide(user.actor, Action.VIEW_DOCUMENTS, subject).allowed:
                raise OutOfScope(Action.VIEW_DOCUMENTS, subject, document=str(document.id))
            if document.status is not DocumentStatus.STORED:
                raise NotFound
            identities = self.vault.identities(user, submission.commune_id)
            if not identities:
                raise DocumentUnavailable(DocumentProblem.LOCKED)
        # opened outside the transaction (the database is not held while the file is read)
        data = await asyncio.to_thread(_open, self.deps, blob, identities)
        async with self._transaction(user) as session:  # recorded before it is sent
            await append_event(
                session,
                actor_kind=ActorKind.STAFF,
                actor_id=str(user.staff_id),
                action="document_viewed",
                commune_id=submission.commune_id,
                submission_id=submission.id,
                data={"document": str(document.id), "slot": document.slot, "via": "console"},
            )
        kind = document.content_type or "jpeg"
        extension = "jpg" if kind == "jpeg" else kind
        return OpenedDocument(
            data,
            _MIME.get(kind, "application/octet-stream"),
            f"{submission.receipt_code}-{document.slot}.{extension}",
        )

    async def unlock(self, user: ConsoleUser, commune_id: int, passphrase: str) -> UnlockResult:
        """Unlock a commune's key for this session, if the reader may see its documents."""
        async with self._transaction(user) as session:
            commune = await places.commune(session, commune_id)
            if commune is None:
                raise NotFound
            subject = Subject(commune.province_id, commune.id)
            if not decide(user.actor, Action.VIEW_DOCUMENTS, subject).allowed:
                raise OutOfScope(Action.VIEW_DOCUMENTS, subject)
        return await self.vault.unlock(user, commune_id, passphrase)

    # --- review --------------------------------------------------------------------------------

    async def review(
        self,
        user: ConsoleUser,
        receipt: str,
        *,
        action: str,
        seen: str,
        wanted: QueueFilter,
        reason: str = "",
        note: str = "",
        slots: Sequence[str] = (),
        village_id: int | None = None,
        confirmed: bool = False,
    ) -> ReviewDone:
        """Accept, ask for pages, reject or assign, as the Telegram desk does. ReviewError with
        the message key when the lifecycle refuses; Stale when the form is out of date."""
        needed = Action.ASSIGN if action == "assign" else Action.REVIEW
        async with self._transaction(user) as session:
            submission, _ = await self._submission(session, user, receipt, needed, lock=True)
            if seen != _version(submission):
                raise Stale
            staff = await session.get(Staff, user.staff_id)
            if staff is None:
                raise NotFound
            note = note.strip()
            params = {"receipt": submission.receipt_code}
            match action:
                case "accept":
                    if not confirmed:
                        raise ReviewError("console.confirm_entered")
                    await accept(session, self.deps, submission, staff, note)
                    key = "review.accepted"
                case "needs_info":
                    await ask_for_info(
                        session, self.deps, submission, staff, slots=slots, note=note
                    )
                    key = "review.needs_info_sent"
                case "reject":
                    if reason == "other" and not note:
                        raise ReviewError("review.ask_reason")
                    await reject(session, self.deps, submission, staff, reason=reason, note=note)
                    key = "review.rejected"
                case "assign":
                    village = await places.village(session, village_id) if village_id else None
                    if village is None:
                        raise ReviewError("console.choose_village")
                    await assign(session, self.deps, submission, staff, village)
                    key, params["village"] = "review.assigned", village.name
                case _:
                    raise ReviewError("button.expired")
            position = queue_rows.Position.of(submission)
        self.on_changed()
        next_receipt = await self._next(user, wanted, position)
        return ReviewDone(key, params["receipt"], next_receipt, params)


def _document_views(
    deps: Deps, documents: Sequence[tuple[Document, Blob | None]], unlocked: bool
) -> list[DocumentView]:
    """The documents in slot order, newest first within a slot; a missing or damaged sealed
    file is found here (read and hashed, not opened), so the page can say which."""
    newest: set[str] = set()
    views = []
    for document, blob in sorted(documents, key=lambda pair: pair[0].created_at, reverse=True):
        problem = None
        if document.status is DocumentStatus.STORED:
            read = _read(deps, blob)
            problem = read if isinstance(read, DocumentProblem) else None
            if problem is None and not unlocked:
                problem = DocumentProblem.LOCKED
        current = document.status is DocumentStatus.STORED and document.slot not in newest
        if current:
            newest.add(document.slot)
        views.append(
            DocumentView(
                id=str(document.id),
                slot=document.slot,
                status=document.status,
                content_type=document.content_type,
                issues=tuple((document.issues or {}).get("issues", ())),
                current=current,
                problem=problem,
            )
        )
    views.reverse()
    return views


def _read(deps: Deps, blob: Blob | None) -> bytes | DocumentProblem:
    """A document's sealed bytes, checked against the hash recorded when it was sealed."""
    if blob is None or blob.deleted_at is not None:
        return DocumentProblem.MISSING
    try:
        data = deps.blobs.read(blob.name)
    except FileNotFoundError:
        return DocumentProblem.MISSING
    except BlobPathError:
        return DocumentProblem.DAMAGED
    except BlobStoreUnavailable:
        return DocumentProblem.UNAVAILABLE
    if hashlib.sha256(data).digest() != blob.sha256:
        return DocumentProblem.DAMAGED
    return data


def _open(deps: Deps, blob: Blob | None, identities: Sequence[Identity]) -> bytes:
    sealed = _read(deps, blob)
    if isinstance(sealed, DocumentProblem):
        raise DocumentUnavailable(sealed)
    for identity in identities:
        try:
            return open_document(sealed, identity)
        except CryptoError:
            continue
    raise DocumentUnavailable(DocumentProblem.WRONG_KEY)
