"""`/delete`: a resident withdraws their consent and has what hoso holds about them erased,
after two confirmations (the moves and their messages are pure: intake/flow/_erasure.py).

What is erased, in the transaction of the second confirmation:

- every own submission not yet accepted is withdrawn through the review lifecycle (an audit
  event each; it leaves the officer's open queue and the village's figures); the accepted ones
  are in the land system and are kept whole (the answer names them and where to ask);
- of every own submission not accepted (those withdrawn now, and the rejected or earlier
  withdrawn ones): the document rows are deleted (the sealed files are removed from the blob
  store after the commit), the encrypted fields (name, CCCD, phone, serial) and the CCCD's
  blind index are set to NULL, the map sheet and parcel too; the receipt, state, place, dates
  and audit trail stay (`erased_at` says when); an `erased` audit event each;
- the values said about those receipts in the outbox (staff alerts, digests) become "—";
- every draft of the resident (their documents too), and an officer's request waiting for them;
- their own words in their data-subject requests (a correction's text; intake/requests): the
  requests themselves, their clocks and the officers' answers stay, as the commune's record
  of a legal duty it must still answer;
- the consent, withdrawn and recorded as consents are (intake/resident/_consent.py).

"Own" leaves out the submissions a staff member made in person for a household (/assist):
they are the household's, not the staff member's, even though they came from that chat.
The citizen row itself stays (the Telegram account, its language and the consent records are
the evidence that consent was given and withdrawn). Audit events hold counts and receipts,
never a personal value.
"""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import Event, Reply
from intake.flow import (
    DELETE_WINDOW,
    DeleteMove,
    DeletePending,
    Draft,
    Erased,
    Holding,
    delete_move,
    erased_replies,
    first_confirmation,
    nothing_to_delete,
    second_confirmation,
)
from intake.notify import forget_in_outbox, parcel_text
from intake.resident._consent import withdraw_consent
from intake.submissions import CLOSED, withdraw
from storage.deps import Deps
from storage.models import Citizen, Submission, utcnow
from storage.repositories import data_requests, documents, residents
from storage.repositories import submissions as submission_rows
from storage.repositories.audit import append_event
from storage.repositories.residents import CitizenRow, DraftRecord
from storage.states import ActorKind, SubmissionState

__all__ = ["DeletionTurn", "deletion_turn"]


@dataclass
class DeletionTurn:
    """What a deletion move answers. `passthrough`: the event (which cancelled a deletion) is
    then handled as usual; `erased`: the resident's data is erased (drafts too);
    `ask_again`: the draft's question follows (nothing to delete, or kept, or refused)."""

    replies: list[Reply]
    blobs_to_delete: list[str] = field(default_factory=list)
    passthrough: bool = False
    erased: bool = False
    ask_again: bool = False


async def deletion_turn(
    session: AsyncSession, deps: Deps, citizen: CitizenRow, event: Event
) -> DeletionTurn | None:
    """The answer to /delete, to its buttons, or to what cancels it; None: none of these."""
    now = utcnow()
    pending = DeletePending.from_text(citizen.delete_pending)
    move = delete_move(pending, event, now)
    if move is None:
        return None
    if move is DeleteMove.CANCELLED:
        await residents.set_delete_pending(session, citizen.id, None)
        return DeletionTurn([Reply("delete.cancelled")], passthrough=True)
    entity = await residents.citizen(session, citizen.id)
    entity.delete_pending = None
    match move:
        case DeleteMove.OFFER | DeleteMove.CONFIRM:
            holding = await _holding(session, deps, entity)
            if not holding.anything:
                return DeletionTurn([nothing_to_delete(holding)], ask_again=True)
            stage = 1 if move is DeleteMove.OFFER else 2
            shown = DeletePending(stage, secrets.token_hex(4), now + DELETE_WINDOW)
            entity.delete_pending = shown.to_text()
            if stage == 1:
                return DeletionTurn([first_confirmation(shown)])
            return DeletionTurn([second_confirmation(shown, holding)])
        case DeleteMove.ERASE:
            done, names = await _erase(session, deps, entity)
            return DeletionTurn(list(erased_replies(done)), names, erased=True)
        case DeleteMove.KEEP:
            return DeletionTurn([Reply("delete.kept")], ask_again=True)
    return DeletionTurn([Reply("button.expired")], ask_again=True)  # REFUSED


async def _own_drafts(session: AsyncSession, deps: Deps, citizen: Citizen) -> list[DraftRecord]:
    """The resident's drafts, not those a staff member is making for a household."""
    return [
        record
        for record in await residents.drafts_of_citizen(session, deps.fields, citizen.id)
        if Draft.from_json(json.loads(record.text)).assisted_by is None
    ]


async def _holding(session: AsyncSession, deps: Deps, citizen: Citizen) -> Holding:
    own = await submission_rows.own_submissions(session, citizen.id)
    return Holding(
        to_withdraw=sum(1 for s in own if s.state not in CLOSED),
        to_erase=sum(1 for s in own if s.state in CLOSED and s.state is not _ACCEPTED),
        kept=tuple(s.receipt_code for s in own if s.state is _ACCEPTED),
        drafts=len(await _own_drafts(session, deps, citizen)),
        consented=citizen.consent_version is not None,
    )


_ACCEPTED = SubmissionState.ACCEPTED


async def _erase(session: AsyncSession, deps: Deps, citizen: Citizen) -> tuple[Erased, list[str]]:
    """Withdraw, erase and forget (module docstring); the blob names to remove after commit."""
    now = utcnow()
    own = await submission_rows.own_submissions(session, citizen.id)
    names: list[str] = []
    withdrawn: list[str] = []
    for submission in own:
        if submission.state in CLOSED:
            continue
        result = await withdraw(session, citizen, submission.receipt_code)
        if result is not None and result.withdrawn:
            withdrawn.append(result.receipt_code)
            names += result.blob_names
    erasing = [s for s in own if s.state is not _ACCEPTED]
    said = {s.receipt_code: _said(deps, s) for s in erasing}
    await submission_rows.erase_fields(session, [s.id for s in erasing], now, keep_parcel=False)
    for submission in erasing:
        count, gone = await documents.erase_documents(session, submission_ids=[submission.id])
        names += gone
        await append_event(
            session,
            actor_kind=ActorKind.RESIDENT,
            actor_id=str(citizen.id),
            action="erased",
            commune_id=submission.commune_id,
            submission_id=submission.id,
            data={"documents": count},
        )
    if erasing:
        await forget_in_outbox(
            session,
            deps,
            said,
            chat_ids=[citizen.telegram_user_id],  # a private chat's id is the user's id
            commune_ids=sorted({s.commune_id for s in erasing}),
            since=min(s.created_at for s in erasing),
        )
    drafts = [record.id for record in await _own_drafts(session, deps, citizen)]
    _, gone = await documents.erase_documents(session, draft_ids=drafts)
    names += gone
    await residents.delete_drafts(session, drafts)
    if citizen.followup_submission_id in {s.id for s in erasing}:
        citizen.followup_submission_id = citizen.followup_slot = None
    request_words = await data_requests.erase_words_of(session, citizen.id)
    consent_withdrawn = await withdraw_consent(session, citizen, now)
    kept = tuple(s.receipt_code for s in own if s.state is _ACCEPTED)
    await append_event(
        session,
        actor_kind=ActorKind.RESIDENT,
        actor_id=str(citizen.id),
        action="data_deleted",
        data={
            "withdrawn": withdrawn,
            "erased": [s.receipt_code for s in erasing],
            "kept": list(kept),
            "files": len(names),
            "drafts": len(drafts),
            "request_words": request_words,
            "consent_withdrawn": consent_withdrawn,
        },
    )
    done = Erased(
        withdrawn=tuple(withdrawn),
        erased=len(erasing),
        documents=len(names),
        drafts=len(drafts),
        consent_withdrawn=consent_withdrawn,
        kept=kept,
        commune=await _commune_of(session, own, kept),
    )
    return done, names


def _said(deps: Deps, submission: Submission) -> frozenset[str]:
    """The values a message may have said about the submission (to forget them)."""
    opened = submission_rows.fields_of(deps.fields, submission)
    values = {opened.holder_name, opened.cccd, opened.phone, opened.serial}
    values.add(parcel_text(submission.map_sheet, submission.parcel_no))
    return frozenset(v for v in values if v and v != "—")


async def _commune_of(
    session: AsyncSession, own: list[Submission], kept: tuple[str, ...]
) -> str | None:
    """The commune of the (first) kept submission: where to ask about it."""
    for submission in own:
        if submission.receipt_code in kept:
            found = await submission_rows.commune_for_receipt(session, submission.commune_id)
            return found[0] if found else None
    return None
