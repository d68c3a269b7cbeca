"""The resident desk: handles one event from a resident's chat in one transaction.

In that transaction: record the update id (a redelivered update is ignored), load or create the
resident and the chat's draft, run the pure `flow.step`, apply its effects (consent, pending
documents, the submission with its receipt in the outbox) and save the draft: a new draft's row
first, so that its documents can refer to it; an existing one last, with a version check that
makes a concurrent write fail the step, which is then handled again (`run_again_on_conflict`).
On PostgreSQL the transaction first takes the chat's advisory lock (storage/repositories/locks.py),
as the pipeline's verdicts and the staff desk do: a chat's events, reaching several processes,
are handled one after the other, in the order their transactions asked for the lock.
The step's replies are owed until the adapter confirms them sent (intake/processes). The
adapter sends the replies after the commit; the document pipeline and the outbox sender are
woken then.

Before the flow: `/delete` and its confirmations (`_erasure.py`; any other input cancels a
confirmation on screen, and is then handled as usual), an upload for an officer's request
("needs info", `_followup.py`), the submission commands (`/status`, `/withdraw`,
`/mydata`, `_commands.py`) and the data-subject requests (`/request`, intake/requests). The
desk is also the document pipeline's `VerdictSink`: a verdict steps the draft like any other
event, or answers a request.
"""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import Command, DocumentChecked, Event, Pressed, Reply, Upload
from intake.documents import PendingDocument
from intake.documents.pipeline import SettledDocument, add_pending_document
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
    SlotStatus,
    Step,
    SubmitDraft,
    Transition,
    UploadFor,
    assisted_draft,
    parse,
    prompt,
    step,
)
from intake.language import Language, language_of
from intake.notify import OutboxMessage, enqueue, release_waiting
from intake.processes import LeaseHolder
from intake.requests import resident_request
from intake.resident._commands import submission_command
from intake.resident._consent import give_consent, record_in_person
from intake.resident._directory import DirectoryCache
from intake.resident._erasure import deletion_turn
from intake.resident._followup import (
    FollowupResult,
    followup_verdict,
    loose_upload,
    open_followup,
    request_reminders,
    take_followup_upload,
)
from intake.submissions import create_submission
from storage.db import run_again_on_conflict
from storage.deps import Deps
from storage.models import utcnow
from storage.repositories import consents, documents, residents
from storage.repositories.locks import lock_chat
from storage.repositories.residents import CitizenRow, DraftRecord
from storage.repositories.updates import claim_update

__all__ = ["Outcome", "ResidentDesk"]

log = logging.getLogger("hoso.residents")


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


@dataclass(frozen=True)
class _Scope:
    """What every effect of one event is applied within."""

    session: AsyncSession
    citizen: CitizenRow
    event: Event
    outcome: Outcome
    ctx: Context


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

    @property
    def holder_id(self) -> uuid.UUID | None:
        """The process that holds the leases this desk takes (None: leases only expire)."""
        return self._holder.id if self._holder is not None else None

    async def handle(self, event: Event) -> Outcome:
        directory = await self._directory.get()

        async def transaction() -> Outcome:
            async with self._deps.database.sessions.begin() as session:
                await lock_chat(session, event.actor.chat_id)  # first: the chat's order
                if event.update_id is not None and not await claim_update(
                    session, self._bot_id, event.update_id
                ):
                    return Outcome(language_of(event.actor.language_code), duplicate=True)
                return await self.handle_in(session, event, directory)

        # the document pipeline changed this draft meanwhile (another process, or a verdict),
        # or lost a deadlock to it on PostgreSQL: the whole event is handled again
        outcome = await run_again_on_conflict(transaction)
        if not outcome.duplicate:
            await self.after_commit(outcome)
        return outcome

    async def after_commit(self, outcome: Outcome) -> None:
        """Remove deleted blobs and wake the workers, once the transaction has committed."""
        if outcome.blobs_to_delete:  # in a thread: the store may be a bucket, or unreachable
            failed = await asyncio.to_thread(self._deps.blobs.delete_each, outcome.blobs_to_delete)
            if failed:
                log.warning("sealed files not removed: the start-up sweep removes them")
        if self._on_committed is not None:
            self._on_committed(outcome)

    async def handle_in(
        self, session: AsyncSession, event: Event, directory: Directory
    ) -> Outcome:
        """Handle `event` inside the caller's transaction."""
        released = False  # a /start: what waited for this person to open the chat goes out
        if isinstance(event, Command) and event.name == "start":
            released = await release_waiting(session, event.actor.chat_id)
        outcome = await self._handle_in(session, event, directory)
        outcome.new_outbox = outcome.new_outbox or released
        return outcome

    async def _handle_in(
        self, session: AsyncSession, event: Event, directory: Directory
    ) -> Outcome:
        citizen, row, draft, ctx = await self._read(session, event, directory)
        deletion = await deletion_turn(session, self._deps, citizen, event)
        if deletion is not None and not deletion.passthrough:
            outcome = Outcome(
                ctx.language, deletion.replies, blobs_to_delete=deletion.blobs_to_delete
            )
            if deletion.ask_again and draft is not None:
                outcome.replies.extend(prompt(draft, ctx))
            return outcome
        outcome = await self._answer(session, event, citizen, row, draft=draft, ctx=ctx)
        if deletion is not None:  # it cancelled the deletion on screen, then was handled
            outcome.replies[:0] = deletion.replies
        return outcome

    async def _answer(
        self,
        session: AsyncSession,
        event: Event,
        citizen: CitizenRow,
        row: DraftRecord | None,
        *,
        draft: Draft | None,
        ctx: Context,
    ) -> Outcome:
        """The answer to an event that is not about a deletion (or that cancelled one)."""
        special = await self._followup(session, citizen, event, ctx.language, drafting=draft)
        if special is None:
            answer = await submission_command(session, self._deps, citizen.id, event)
            if answer is not None:
                special = Outcome(
                    ctx.language, answer.replies, blobs_to_delete=answer.blobs_to_delete
                )
        if special is None:  # a data-subject request (/request, its buttons, its words)
            asked = await resident_request(
                session, self._deps, citizen.id, event, drafting=draft is not None
            )
            if asked is not None:
                special = Outcome(ctx.language, asked.replies, new_outbox=asked.new_outbox)
        if special is not None:
            if draft is not None:  # then the question the resident was answering, again
                special.replies.extend(prompt(draft, ctx))
            return special
        outcome = await self._step(session, citizen, row, draft=draft, events=(event,), ctx=ctx)
        if isinstance(event, Command) and event.name == "start" and draft is None:
            # an officer's open request is named first; a new submission then begins as usual
            outcome.replies[:0] = await request_reminders(session, citizen.id)
        return outcome

    async def take_verdicts(
        self, session: AsyncSession, settled: Sequence[SettledDocument], directory: Directory
    ) -> list[Outcome]:
        """The pipeline's verdicts, in its transaction (`VerdictSink`): a draft's are stepped
        in order, as one event each, with the draft read and written once (an album's,
        settled together); a submission's answer an officer's request."""
        outcomes: list[Outcome] = []
        drafted: list[DocumentChecked] = []
        for one in settled:
            if one.draft_id is not None:
                drafted.append(one.verdict)
            elif one.submission_id is not None:
                outcomes.append(
                    await self._followup_verdict(
                        session, one.document_id, one.submission_id, one.verdict
                    )
                )
        if drafted:
            citizen, row, draft, ctx = await self._read(session, drafted[0], directory)
            outcomes.append(
                await self._step(session, citizen, row, draft=draft, events=drafted, ctx=ctx)
            )
        return outcomes

    async def _read(
        self, session: AsyncSession, event: Event, directory: Directory
    ) -> tuple[CitizenRow, DraftRecord | None, Draft | None, Context]:
        """The event's resident (a new one is added), their chat's draft and the step's context."""
        citizen, row = await residents.citizen_and_draft(
            session, self._deps.fields, chat_id=event.actor.chat_id, user_id=event.actor.user_id
        )
        if citizen is None:
            citizen = CitizenRow(
                uuid.uuid4(), language_of(event.actor.language_code).value, None, None
            )
            await residents.add_citizen(session, citizen, event.actor.user_id)
        draft = Draft.from_json(json.loads(row.text)) if row is not None else None
        ctx = Context(
            directory=directory,
            language=Language(citizen.language),
            consented=citizen.consent_version == CONSENT_VERSION,
        )
        return citizen, row, draft, ctx

    async def _step(
        self,
        session: AsyncSession,
        citizen: CitizenRow,
        row: DraftRecord | None,
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
        scope = _Scope(session, citizen, events[-1], outcome, ctx)
        await self._save(scope, row, Transition(draft, tuple(replies), tuple(effects)))
        return outcome

    # --- drafts ---------------------------------------------------------------------------

    async def _save(self, scope: _Scope, row: DraftRecord | None, transition: Transition) -> None:
        session, fields = scope.session, self._deps.fields
        if transition.draft is not None and row is None:  # first: its documents refer to it
            row = await residents.insert_draft(
                session,
                fields,
                _text(transition.draft),
                chat_id=scope.event.actor.chat_id,
                citizen_id=scope.citizen.id,
                step=transition.draft.step.value,
                now=utcnow(),
                owed_by=self.holder_id,
            )
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
            await residents.update_draft(
                session,
                fields,
                row,
                _text(transition.draft),
                step=transition.draft.step.value,
                now=utcnow(),
                owed_by=self.holder_id,
            )
            scope.outcome.owed = (row.id, row.version)
            return
        await residents.delete_draft(session, row)
        await self._bring_back(scope)

    async def _bring_back(self, scope: _Scope) -> None:
        """A submission made for a household ended (sent or cancelled): the staff member's own
        conversation set aside for it is theirs again. They are told, and asked its question
        again, through the outbox: after the household's receipt, which goes the same way."""
        session, chat_id = scope.session, scope.event.actor.chat_id
        if not await residents.bring_back(session, chat_id):
            return
        row = await residents.draft_of_chat(session, self._deps.fields, chat_id)
        if row is None:
            return
        own = Draft.from_json(json.loads(row.text))
        language = scope.ctx.language.value
        question = prompt(own, replace(scope.ctx, consented=True))[-1]
        for message in (
            OutboxMessage("assist.own_back", language),
            OutboxMessage(question.key, language, dict(question.params), question.keyboard),
        ):
            await enqueue(session, self._deps, chat_id=chat_id, kind="own_back", message=message)
        scope.outcome.new_outbox = True

    async def _apply(
        self, scope: _Scope, row: DraftRecord | None, draft: Draft | None, effect: Effect
    ) -> None:
        session, citizen, event, outcome = scope.session, scope.citizen, scope.event, scope.outcome
        match effect:
            case RecordConsent(version=version, notice=notice, notice_params=params):
                await give_consent(
                    session,
                    citizen.id,
                    version=version,
                    language=scope.ctx.language,
                    notice=notice,
                    notice_params=params,
                    at=utcnow(),
                )
            case RecordConsentInPerson(
                version=version, staff_id=staff_id, notice=notice, notice_params=params
            ) if row is not None:
                await record_in_person(
                    session,
                    staff_id=staff_id,
                    draft_id=row.id,
                    commune_id=draft.commune.id if draft and draft.commune else None,
                    chat_id=event.actor.chat_id,
                    version=version,
                    language=scope.ctx.language,
                    notice=notice,
                    notice_params=params,
                    at=utcnow(),
                )
            case SetLanguage(language=language):
                (await residents.citizen(session, citizen.id)).language = language.value
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
                found = await documents.documents_of_draft(session, row.id, file_unique_id=unique)
                outcome.blobs_to_delete += await documents.delete_documents(session, found)
            case DiscardDraft() if row is not None:
                found = await documents.documents_of_draft(session, row.id, unsubmitted=True)
                outcome.blobs_to_delete += await documents.delete_documents(session, found)
            case SubmitDraft(draft=finished) if row is not None:
                made = await create_submission(
                    session,
                    self._deps,
                    citizen=await residents.citizen(session, citizen.id),
                    chat_id=event.actor.chat_id,
                    draft_id=row.id,
                    draft=finished,
                )
                if finished.assisted_by is not None:  # the household's consent, in person
                    await consents.link_to_submission(session, row.id, made.id)
                outcome.new_outbox = True

    async def remember_message(self, chat_id: int, name: str, message_id: int) -> None:
        """Store the id of a message the flow edits in place (the checklist)."""
        if name != "checklist":
            return

        async def transaction() -> None:
            async with self._deps.database.sessions.begin() as session:
                await lock_chat(session, chat_id)
                row = await residents.draft_of_chat(session, self._deps.fields, chat_id)
                if row is None:
                    return
                draft = Draft.from_json(json.loads(row.text))
                if draft.checklist_message_id != message_id:
                    remembered = replace(draft, checklist_message_id=message_id)
                    await residents.update_draft(
                        session,
                        self._deps.fields,
                        row,
                        _text(remembered),
                        step=remembered.step.value,
                        now=utcnow(),
                        owe=False,
                    )

        await run_again_on_conflict(transaction)

    async def ask_again(self, chat_id: int) -> Outcome | None:
        """The chat's current question again, for a chat whose replies were owed by a process
        that died (intake/processes); None when nothing is owed any more."""
        directory = await self._directory.get()
        async with self._deps.database.sessions() as session:
            found = await residents.owed_draft(session, self._deps.fields, chat_id)
        if found is None:
            return None
        draft = Draft.from_json(json.loads(found.record.text))
        ctx = Context(
            directory=directory,
            language=Language(found.language),
            consented=found.consent_version == CONSENT_VERSION,
        )
        replies = [Reply("resume.again"), *prompt(draft, ctx)]
        return Outcome(ctx.language, replies, owed=(found.record.id, found.owed))

    # --- assisted submissions and follow-up uploads ----------------------------------------

    async def directory(self) -> Directory:
        """The directory snapshot (read before a transaction: SQLite has one connection)."""
        return await self._directory.get()

    async def assisting(self, session: AsyncSession, chat_id: int) -> bool:
        """Whether the chat's conversation in progress is a submission for a household."""
        row = await residents.draft_of_chat(session, self._deps.fields, chat_id)
        return row is not None and Draft.from_json(json.loads(row.text)).assisted_by is not None

    async def start_assisted(
        self,
        session: AsyncSession,
        event: Event,
        directory: Directory,
        *,
        staff_id: int,
        place: tuple[Place, Place],
        holder_name: str | None = None,
        map_sheet: str | None = None,
        parcel_no: str | None = None,
    ) -> Outcome:
        """A staff member starts a submission for a household in person (policy checked)."""
        citizen, row, own, _ = await self._read(session, event, directory)
        language = Language(citizen.language)
        notes: list[Reply] = []
        if row is not None and own is not None:
            # the staff member's own submission in progress waits aside until this one ends;
            # one for a household in progress is finished first
            if own.assisted_by is not None or await residents.has_aside(
                session, event.actor.chat_id
            ):  # (one aside at a time: the janitor brings it back if its pair expires)
                return Outcome(language, [Reply("assist.finish_first")])
            if any(state.status is SlotStatus.CHECKING for state in own.slots.values()):
                return Outcome(language, [Reply("assist.wait_checks")])
            await residents.set_aside(session, row.id)
            notes.append(Reply("assist.own_aside"))
        commune, village = place
        ctx = Context(directory=directory, language=language, consented=True)
        draft = assisted_draft(
            staff_id,
            commune,
            village,
            holder_name=holder_name,
            map_sheet=map_sheet,
            parcel_no=parcel_no,
        )
        transition = Transition(draft, (*notes, Reply("assist.started"), *prompt(draft, ctx)))
        outcome = Outcome(language, list(transition.replies))
        await self._save(_Scope(session, citizen, event, outcome, ctx), None, transition)
        return outcome

    async def _followup(
        self,
        session: AsyncSession,
        citizen: CitizenRow,
        event: Event,
        language: Language,
        *,
        drafting: Draft | None,
    ) -> Outcome | None:
        """What concerns an officer's open request: its upload buttons, and a photo for it
        (sent after pressing one, or without, when no new submission is being made)."""
        match event:
            case Pressed(data=data) if isinstance(press := parse(data), UploadFor):
                entity = await residents.citizen(session, citizen.id)
                return Outcome(language, await open_followup(session, entity, press))
            case Command(name="cancel") if citizen.followup_submission_id is not None:
                entity = await residents.citizen(session, citizen.id)
                entity.followup_submission_id = entity.followup_slot = None
                return Outcome(language, [Reply("followup.cancelled")])
            case Upload() if citizen.followup_submission_id is not None:
                result = await take_followup_upload(
                    session,
                    await residents.citizen(session, citizen.id),
                    event,
                    lease=self._document_lease,
                    leased_by=self.holder_id,
                )
                if result is None:
                    return None
                return _uploaded(language, result)
            case Upload() if drafting is None or drafting.step is Step.CONSENT:
                result = await loose_upload(
                    session,
                    await residents.citizen(session, citizen.id),
                    event,
                    lease=self._document_lease,
                    leased_by=self.holder_id,
                )
                return None if result is None else _uploaded(language, result)
        return None

    async def _followup_verdict(
        self,
        session: AsyncSession,
        document_id: uuid.UUID,
        submission_id: uuid.UUID,
        verdict: DocumentChecked,
    ) -> Outcome:
        """The verdict on a document sent for "needs info" (in the pipeline's transaction)."""
        citizen = await residents.citizen_by_user(session, verdict.actor.user_id)
        result = await followup_verdict(session, self._deps, document_id, submission_id, verdict)
        language = Language(citizen.language) if citizen else Language.VI
        return Outcome(
            language,
            result.replies,
            blobs_to_delete=result.blobs_to_delete,
            new_outbox=result.new_outbox,
        )


def _text(draft: Draft) -> str:
    return json.dumps(draft.to_json(), ensure_ascii=False)


def _uploaded(language: Language, result: FollowupResult) -> Outcome:
    outcome = Outcome(language, result.replies)
    if result.document is not None:
        outcome.new_documents.append(result.document)
    return outcome
