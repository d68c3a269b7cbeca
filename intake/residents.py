"""The resident desk: handles one event from a resident's chat in one transaction.

In that transaction: record the update id (a redelivered update is ignored), load or create the
citizen and the draft, run the pure `flow.step`, apply its effects (consent, pending documents,
the submission with its receipt in the outbox) and save the draft: a new draft's row first, so
that its documents can refer to it; an existing one last, with a version check that makes a
concurrent write fail the step, which is then handled again. The adapter sends the replies
after the commit; the document pipeline and the outbox sender are woken then.
`/status` and `/withdraw` concern submissions, not the draft, and are answered here.
"""

from __future__ import annotations

import asyncio
import json
import logging
import random
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta
from typing import cast

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.exc import StaleDataError

from intake.deps import Deps
from intake.directory import DirectoryCache
from intake.events import (
    Button,
    Command,
    DocumentChecked,
    Event,
    Keyboard,
    KeyboardKind,
    Pressed,
    Reply,
    Upload,
)
from intake.flow import (
    CONSENT_VERSION,
    AcceptUpload,
    Context,
    Directory,
    DiscardDraft,
    DiscardUpload,
    Draft,
    Effect,
    Place,
    RecordConsent,
    RecordConsentInPerson,
    SetLanguage,
    SubmitDraft,
    Transition,
    assisted_draft,
    prompt,
    step,
)
from intake.followup import followup_verdict, open_followup, take_followup_upload
from intake.messages import Language, language_of
from intake.pending import PendingDocument, add_pending_document
from intake.processes import LeaseHolder
from intake.submissions import (
    SubmissionView,
    create_submission,
    delete_documents,
    list_submissions,
    open_submissions,
    withdraw_submission,
)
from storage.db import is_conflict
from storage.models import Citizen, Document, utcnow
from storage.models import Draft as DraftRow
from storage.repositories import append_event, claim_update
from storage.states import ActorKind

__all__ = ["Outcome", "ResidentDesk"]

log = logging.getLogger("hoso.residents")
# Every update and every verdict reads and writes its chat's draft: these statements are built
# once (building one costs more than running it), and the draft's row is read and written as
# plain values, not through the ORM's unit of work (which cost twice as much). Its version is
# checked on every write, as the ORM's version counter did. A new resident's row and their
# consent, which 200 residents arriving at once all write, are plain statements too.
_DRAFTS = cast(Table, DraftRow.__table__)
_DRAFT_COLUMNS = (_DRAFTS.c.id, _DRAFTS.c.version, _DRAFTS.c.payload_enc)
_CITIZENS = cast(Table, Citizen.__table__)
_CITIZEN_AND_DRAFT = (
    select(
        _CITIZENS.c.id,
        _CITIZENS.c.language,
        _CITIZENS.c.consent_version,
        _CITIZENS.c.followup_submission_id,
        *_DRAFT_COLUMNS,
    )
    .select_from(_CITIZENS)
    .outerjoin(_DRAFTS, _DRAFTS.c.chat_id == bindparam("chat_id"))
    .where(_CITIZENS.c.telegram_user_id == bindparam("user_id"))
)
_INSERT_CITIZEN = insert(_CITIZENS)
_CONSENT = (
    update(_CITIZENS)
    .where(_CITIZENS.c.id == bindparam("citizen_id"))
    .values(consent_version=bindparam("version"), consent_at=bindparam("at"))
)
_DRAFT_OF_CHAT = select(*_DRAFT_COLUMNS).where(_DRAFTS.c.chat_id == bindparam("chat_id"))
_INSERT_DRAFT = insert(_DRAFTS)
_DRAFT_WRITE = (
    update(_DRAFTS)
    .where(_DRAFTS.c.id == bindparam("draft_id"), _DRAFTS.c.version == bindparam("read"))
    .values(
        step=bindparam("new_step"),
        payload_enc=bindparam("new_payload"),
        version=bindparam("new_version"),
        updated_at=bindparam("now"),
        reminded_at=None,
    )
)
# a step's write: its replies are owed until confirmed sent (intake/owed.py)
_UPDATE_DRAFT = _DRAFT_WRITE.values(
    reply_owed=bindparam("new_version"), reply_owed_by=bindparam("holder")
)
# a bookkeeping write (the checklist's message id): what is owed stays as it is
_REMEMBER_IN_DRAFT = _DRAFT_WRITE
_OWED_QUESTION = (
    select(
        _DRAFTS.c.id,
        _DRAFTS.c.version,
        _DRAFTS.c.payload_enc,
        _DRAFTS.c.reply_owed,
        _CITIZENS.c.language,
        _CITIZENS.c.consent_version,
    )
    .join(_CITIZENS, _CITIZENS.c.id == _DRAFTS.c.citizen_id)
    .where(_DRAFTS.c.chat_id == bindparam("chat_id"), _DRAFTS.c.reply_owed.is_not(None))
)
_DELETE_DRAFT = delete(_DRAFTS).where(
    _DRAFTS.c.id == bindparam("draft_id"), _DRAFTS.c.version == bindparam("read")
)
_DRAFT = ("draft", "payload_enc")
# A draft changed by another transaction meanwhile (on PostgreSQL: a verdict of the same album
# committing on another connection) fails the step's optimistic version check (a deadlock with
# it, PostgreSQL's own check, fails it the same way: `is_conflict`); the step is then
# handled again on the fresh draft, after a short random pause so that the album's verdicts and
# steps stop colliding. Five photos of one album can collide several times in a row.
STALE_ATTEMPTS = 8


async def stale_pause(attempt: int) -> None:
    await asyncio.sleep(random.uniform(0, 0.005 * attempt))  # noqa: S311 — jitter, not secrecy


@dataclass
class Outcome:
    """What the adapter must do after the commit."""

    language: Language
    replies: list[Reply] = field(default_factory=list)
    duplicate: bool = False
    blobs_to_delete: list[str] = field(default_factory=list)
    new_documents: list[PendingDocument] = field(default_factory=list)
    new_outbox: bool = False
    staff_changed: bool = False  # someone joined or left the staff: menus and the roster
    owed: tuple[uuid.UUID, int] | None = None  # the draft and version whose replies these are


def _status_replies(views: list[SubmissionView]) -> list[Reply]:
    if not views:
        return [Reply("status.none")]
    items = [
        (
            "status.item",
            {
                "receipt": v.receipt_code,
                "place": v.place,
                "date": f"{v.local_date:%d/%m/%Y}",
                "state_key": f"state.{v.state.value}",
            },
        )
        for v in views
    ]
    return [Reply("status.list", {"items_lines": items})]


@dataclass(frozen=True)
class _CitizenRow:
    """The resident as read with the draft, as plain values: most events only read these, and
    the few that change the resident take the ORM entity (`_entity`)."""

    id: uuid.UUID
    language: str
    consent_version: str | None
    followup_submission_id: uuid.UUID | None


async def _entity(session: AsyncSession, citizen: _CitizenRow) -> Citizen:
    entity = await session.get(Citizen, citizen.id)
    assert entity is not None  # noqa: S101 — read in this transaction
    return entity


@dataclass
class _DraftRecord:
    """The chat's draft row as read or written in this transaction."""

    id: uuid.UUID
    version: int
    payload_enc: bytes


@dataclass(frozen=True)
class _Scope:
    """What every effect of one event is applied within."""

    session: AsyncSession
    citizen: _CitizenRow
    event: Event
    outcome: Outcome


class ResidentDesk:
    """Entry point of the domain for residents' private chats."""

    def __init__(
        self,
        deps: Deps,
        *,
        bot_id: int,
        directory: DirectoryCache,
        on_committed: Callable[[Outcome], None] | None = None,
        document_lease: timedelta = timedelta(seconds=30),
        holder: LeaseHolder | None = None,
    ) -> None:
        self._deps = deps
        self._holder = holder
        self._document_lease = document_lease
        self._bot_id = bot_id
        self._directory = directory
        self._on_committed = on_committed

    async def handle(self, event: Event) -> Outcome:
        directory = await self._directory.get()
        for attempt in range(1, STALE_ATTEMPTS + 1):
            try:
                async with self._deps.database.sessions.begin() as session:
                    if event.update_id is not None and not await claim_update(
                        session, self._bot_id, event.update_id
                    ):
                        return Outcome(language_of(event.actor.language_code), duplicate=True)
                    outcome = await self.handle_in(session, event, directory)
                break
            except Exception as error:
                # the document pipeline changed this draft meanwhile (another process, or a
                # verdict), or lost a deadlock to it on PostgreSQL: the whole event is handled
                # again on the fresh draft
                if not is_conflict(error) or attempt == STALE_ATTEMPTS:
                    raise
                await stale_pause(attempt)
        self.after_commit(outcome)
        return outcome

    def after_commit(self, outcome: Outcome) -> None:
        """Remove deleted blobs and wake the workers, once the transaction has committed."""
        for name in outcome.blobs_to_delete:
            try:
                self._deps.blobs.delete(name)
            except OSError:
                log.warning("blob not deleted", extra={"blob": name})
        if self._on_committed is not None:
            self._on_committed(outcome)

    async def handle_in(
        self, session: AsyncSession, event: Event, directory: Directory
    ) -> Outcome:
        """Handle `event` inside the caller's transaction."""
        citizen, row, draft, ctx = await self._read(session, event, directory)
        special = await self._followup(session, citizen, event, ctx.language)
        if special is None:
            special = await self._submission_commands(session, citizen, event, ctx.language)
        if special is not None:
            if draft is not None:  # then the question the resident was answering, again
                special.replies.extend(prompt(draft, ctx))
            return special
        return await self._step(session, citizen, row, draft=draft, events=(event,), ctx=ctx)

    async def handle_verdicts(
        self, session: AsyncSession, verdicts: Sequence[DocumentChecked], directory: Directory
    ) -> Outcome:
        """The pipeline's verdicts on documents of one chat's draft, in the caller's
        transaction: stepped in order, as one event each, with the draft read and written once
        (an album's verdicts, settled together)."""
        citizen, row, draft, ctx = await self._read(session, verdicts[0], directory)
        return await self._step(session, citizen, row, draft=draft, events=verdicts, ctx=ctx)

    async def _read(
        self, session: AsyncSession, event: Event, directory: Directory
    ) -> tuple[_CitizenRow, _DraftRecord | None, Draft | None, Context]:
        """The event's resident (a new one is added), their chat's draft and the step's context."""
        citizen, row = await self._citizen_and_draft(session, event)
        draft = self._load(row) if row is not None else None
        ctx = Context(
            directory=directory,
            language=Language(citizen.language),
            consented=citizen.consent_version == CONSENT_VERSION,
        )
        return citizen, row, draft, ctx

    async def _step(
        self,
        session: AsyncSession,
        citizen: _CitizenRow,
        row: _DraftRecord | None,
        *,
        draft: Draft | None,
        events: Sequence[Event],
        ctx: Context,
    ) -> Outcome:
        """Step the draft through `events` and save it once. The effects are applied after the
        last step, on its draft: several events are stepped at once only where that is the same
        (verdicts, whose steps have none)."""
        replies: list[Reply] = []
        effects: list[Effect] = []
        for event in events:
            transition = step(draft, event, ctx)
            draft = transition.draft
            replies += transition.replies
            effects += transition.effects
        outcome = Outcome(ctx.language, replies)
        scope = _Scope(session, citizen, events[-1], outcome)
        await self._save(scope, row, Transition(draft, tuple(replies), tuple(effects)))
        return outcome

    # --- drafts ---------------------------------------------------------------------------

    def _load(self, row: _DraftRecord) -> Draft:
        text = self._deps.fields.decrypt(
            row.payload_enc, table=_DRAFT[0], column=_DRAFT[1], row=row.id
        )
        return Draft.from_json(json.loads(text))

    def _sealed(self, draft_id: uuid.UUID, draft: Draft) -> bytes:
        return self._deps.fields.encrypt(
            json.dumps(draft.to_json(), ensure_ascii=False),
            table=_DRAFT[0],
            column=_DRAFT[1],
            row=draft_id,  # bound into the ciphertext
        )

    async def _insert(self, scope: _Scope, draft: Draft) -> _DraftRecord:
        row = _DraftRecord(uuid.uuid4(), 1, b"")
        row.payload_enc = self._sealed(row.id, draft)
        now = utcnow()
        connection = await scope.session.connection()
        await connection.execute(
            _INSERT_DRAFT,
            {
                "id": row.id,
                "chat_id": scope.event.actor.chat_id,
                "citizen_id": scope.citizen.id,
                "step": draft.step.value,
                "payload_enc": row.payload_enc,
                "version": row.version,
                "created_at": now,
                "updated_at": now,
                "reply_owed": row.version,
                "reply_owed_by": self.holder_id,
            },
        )
        return row

    @property
    def holder_id(self) -> uuid.UUID | None:
        """The process that holds the leases this desk takes (None: leases only expire)."""
        return self._holder.id if self._holder is not None else None

    async def _update(
        self, session: AsyncSession, row: _DraftRecord, draft: Draft, *, owe: bool = True
    ) -> None:
        """Write the draft over the version read; if another transaction wrote it meanwhile,
        `StaleDataError`, and the event is handled again on the fresh draft. A step's write
        (`owe`) records that its replies are owed until they are confirmed sent."""
        payload = self._sealed(row.id, draft)
        connection = await session.connection()
        values = {
            "draft_id": row.id,
            "read": row.version,
            "new_step": draft.step.value,
            "new_payload": payload,
            "new_version": row.version + 1,
            "now": utcnow(),
        }
        if owe:
            values["holder"] = self.holder_id
        result = await connection.execute(_UPDATE_DRAFT if owe else _REMEMBER_IN_DRAFT, values)
        if result.rowcount != 1:
            raise StaleDataError("the draft changed meanwhile")
        row.version += 1
        row.payload_enc = payload

    async def _save(self, scope: _Scope, row: _DraftRecord | None, transition: Transition) -> None:
        session = scope.session
        if transition.draft is not None and row is None:  # first: its documents refer to it
            row = await self._insert(scope, transition.draft)
            scope.outcome.owed = (row.id, row.version)
            for effect in transition.effects:
                await self._apply(scope, row, transition.draft, effect)
            return
        for effect in transition.effects:
            await self._apply(scope, row, transition.draft, effect)
        if row is None:
            return
        # An existing draft is written last, after the effects' documents: a verdict locks its
        # document and then the draft, and on PostgreSQL the other order could deadlock.
        if session.new or session.dirty or session.deleted:
            await session.flush()
        if transition.draft is not None:
            await self._update(session, row, transition.draft)
            scope.outcome.owed = (row.id, row.version)
            return
        connection = await session.connection()
        result = await connection.execute(_DELETE_DRAFT, {"draft_id": row.id, "read": row.version})
        if result.rowcount != 1:
            raise StaleDataError("the draft changed meanwhile")

    async def _apply(
        self, scope: _Scope, row: _DraftRecord | None, draft: Draft | None, effect: Effect
    ) -> None:
        session, citizen, event, outcome = scope.session, scope.citizen, scope.event, scope.outcome
        match effect:
            case RecordConsent(version=version):
                await (await session.connection()).execute(
                    _CONSENT, {"citizen_id": citizen.id, "version": version, "at": utcnow()}
                )
                await append_event(
                    session,
                    actor_kind=ActorKind.RESIDENT,
                    actor_id=str(citizen.id),
                    action="consent_given",
                    data={"version": version},
                )
            case RecordConsentInPerson(version=version, staff_id=staff_id):
                await append_event(
                    session,
                    actor_kind=ActorKind.STAFF,
                    actor_id=str(staff_id),
                    action="consent_in_person",
                    commune_id=draft.commune.id if draft and draft.commune else None,
                    data={"version": version, "chat_id": event.actor.chat_id},
                )
            case SetLanguage(language=language):
                (await _entity(session, citizen)).language = language.value
                outcome.language = language
            case AcceptUpload(slot=slot, upload=upload) if row is not None and draft is not None:
                pending = await add_pending_document(
                    session,
                    upload,
                    slot=slot,
                    commune_id=draft.commune.id if draft.commune else None,
                    lease=self._document_lease,
                    leased_by=self.holder_id,
                    draft_id=row.id,
                )
                outcome.new_documents.append(pending)
            case DiscardUpload(file_unique_id=unique) if row is not None:
                documents = list(
                    await session.scalars(
                        select(Document).where(
                            Document.draft_id == row.id, Document.file_unique_id == unique
                        )
                    )
                )
                outcome.blobs_to_delete += await delete_documents(session, documents)
            case DiscardDraft() if row is not None:
                documents = list(
                    await session.scalars(
                        select(Document).where(
                            Document.draft_id == row.id, Document.submission_id.is_(None)
                        )
                    )
                )
                outcome.blobs_to_delete += await delete_documents(session, documents)
            case SubmitDraft(draft=finished) if row is not None:
                await create_submission(
                    session,
                    self._deps,
                    citizen=await _entity(session, citizen),
                    chat_id=event.actor.chat_id,
                    draft_id=row.id,
                    draft=finished,
                )
                outcome.new_outbox = True

    async def remember_message(self, chat_id: int, name: str, message_id: int) -> None:
        """Store the id of a message the flow edits in place (the checklist)."""
        if name != "checklist":
            return
        for attempt in range(1, STALE_ATTEMPTS + 1):
            try:
                async with self._deps.database.sessions.begin() as session:
                    found = (await session.execute(_DRAFT_OF_CHAT, {"chat_id": chat_id})).first()
                    if found is None:
                        return
                    row = _DraftRecord(*found)
                    draft = self._load(row)
                    if draft.checklist_message_id != message_id:
                        await self._update(
                            session,
                            row,
                            replace(draft, checklist_message_id=message_id),
                            owe=False,
                        )
            except Exception as error:
                if not is_conflict(error) or attempt == STALE_ATTEMPTS:
                    raise
                await stale_pause(attempt)
            else:
                return

    async def ask_again(self, chat_id: int) -> Outcome | None:
        """The chat's current question again, for a chat whose replies were owed by a process
        that died (intake/processes.py); None when nothing is owed any more."""
        directory = await self._directory.get()
        async with self._deps.database.sessions() as session:
            found = (await session.execute(_OWED_QUESTION, {"chat_id": chat_id})).first()
        if found is None:
            return None
        draft_id, version, payload, owed, language, consent = found
        draft = self._load(_DraftRecord(draft_id, version, payload))
        ctx = Context(
            directory=directory,
            language=Language(language),
            consented=consent == CONSENT_VERSION,
        )
        replies = [Reply("resume.again"), *prompt(draft, ctx)]
        return Outcome(ctx.language, replies, owed=(draft_id, owed))

    # --- assisted submissions and follow-up uploads ----------------------------------------

    async def directory(self) -> Directory:
        """The directory snapshot (read before a transaction: SQLite has one connection)."""
        return await self._directory.get()

    async def start_assisted(
        self,
        session: AsyncSession,
        event: Event,
        directory: Directory,
        *,
        staff_id: int,
        place: tuple[Place, Place],
    ) -> Outcome:
        """A staff member starts a submission for a household in person (policy checked)."""
        citizen, row = await self._citizen_and_draft(session, event)
        language = Language(citizen.language)
        if row is not None:
            return Outcome(language, [Reply("assist.finish_first")])
        commune, village = place
        ctx = Context(directory=directory, language=language, consented=True)
        draft = assisted_draft(staff_id, commune, village)
        transition = Transition(draft, (Reply("assist.started"), *prompt(draft, ctx)))
        outcome = Outcome(language, list(transition.replies))
        await self._save(_Scope(session, citizen, event, outcome), None, transition)
        return outcome

    async def _followup(
        self, session: AsyncSession, citizen: _CitizenRow, event: Event, language: Language
    ) -> Outcome | None:
        match event:
            case Pressed(data=data) if data.startswith("up:"):
                entity = await _entity(session, citizen)
                return Outcome(language, await open_followup(session, entity, data))
            case Command(name="cancel") if citizen.followup_submission_id is not None:
                entity = await _entity(session, citizen)
                entity.followup_submission_id = entity.followup_slot = None
                return Outcome(language, [Reply("followup.cancelled")])
            case Upload() if citizen.followup_submission_id is not None:
                result = await take_followup_upload(
                    session,
                    await _entity(session, citizen),
                    event,
                    lease=self._document_lease,
                    leased_by=self.holder_id,
                )
                if result is None:
                    return None
                outcome = Outcome(language, result.replies)
                if result.document is not None:
                    outcome.new_documents.append(result.document)
                return outcome
        return None

    async def followup_verdict(
        self, session: AsyncSession, row: Document, verdict: DocumentChecked
    ) -> Outcome | None:
        """The pipeline's verdict on a document sent for "needs info" (in its transaction)."""
        citizen = await session.scalar(
            select(Citizen).where(Citizen.telegram_user_id == verdict.actor.user_id)
        )
        result = await followup_verdict(session, self._deps, row, verdict)
        language = Language(citizen.language) if citizen else Language.VI
        return Outcome(
            language,
            result.replies,
            blobs_to_delete=result.blobs_to_delete,
            new_outbox=result.new_outbox,
        )

    # --- citizens and their submissions ---------------------------------------------------

    async def _citizen_and_draft(
        self, session: AsyncSession, event: Event
    ) -> tuple[_CitizenRow, _DraftRecord | None]:
        """The resident (created on first contact) and their chat's draft, in one query."""
        found = (
            await session.execute(
                _CITIZEN_AND_DRAFT,
                {"chat_id": event.actor.chat_id, "user_id": event.actor.user_id},
            )
        ).first()
        if found is not None:
            draft_id, version, payload = found[4:]
            draft = None if draft_id is None else _DraftRecord(draft_id, version, payload)
            return _CitizenRow(*found[:4]), draft
        citizen = _CitizenRow(
            uuid.uuid4(), language_of(event.actor.language_code).value, None, None
        )
        await (await session.connection()).execute(  # its row first: the draft's refers to it
            _INSERT_CITIZEN,
            {
                "id": citizen.id,
                "telegram_user_id": event.actor.user_id,
                "language": citizen.language,
            },
        )
        return citizen, None

    async def _submission_commands(
        self, session: AsyncSession, citizen: _CitizenRow, event: Event, language: Language
    ) -> Outcome | None:
        match event:
            case Command(name="status"):
                return Outcome(
                    language, _status_replies(await list_submissions(session, citizen.id))
                )
            case Command(name="withdraw"):
                codes = set(await open_submissions(session, citizen.id))
                views = [
                    v
                    for v in await list_submissions(session, citizen.id)
                    if v.receipt_code in codes
                ]
                if not views:
                    return Outcome(language, [Reply("withdraw.none")])
                keyboard = Keyboard(
                    KeyboardKind.INLINE,
                    tuple(
                        (
                            Button(
                                "",
                                data=f"wd:{v.receipt_code}",
                                literal=f"{v.receipt_code} — {v.place} — {v.local_date:%d/%m}",
                            ),
                        )
                        for v in views
                    ),
                )
                return Outcome(language, [Reply("withdraw.choose", keyboard=keyboard)])
            case Pressed(data=data) if data.startswith("wd:"):
                code = data[3:]
                if code not in await open_submissions(session, citizen.id):
                    return Outcome(language, [Reply("button.expired")])
                keyboard = Keyboard(
                    KeyboardKind.INLINE,
                    (
                        (Button("withdraw.yes", data=f"wdok:{code}"),),
                        (Button("withdraw.no", data="wdno"),),
                    ),
                )
                return Outcome(language, [Reply("withdraw.confirm", {"receipt": code}, keyboard)])
            case Pressed(data="wdno"):
                return Outcome(language, [Reply("withdraw.kept")])
            case Pressed(data=data) if data.startswith("wdok:"):
                result = await withdraw_submission(
                    session, await _entity(session, citizen), data[5:]
                )
                if result is None:
                    return Outcome(language, [Reply("button.expired")])
                if not result.withdrawn:
                    return Outcome(
                        language,
                        [Reply("withdraw.accepted_kept", {"receipt": result.receipt_code})],
                    )
                return Outcome(
                    language,
                    [
                        Reply(
                            "withdraw.done",
                            {"receipt": result.receipt_code, "count": result.deleted_documents},
                        )
                    ],
                    blobs_to_delete=result.blob_names,
                )
        return None
