"""`/mydata`: what hoso holds about the resident, answered at once (the right to know what is
held, Personal Data Protection Law 91/2025).

In plain language: each submission with its receipt, state, place and date, the fields the
resident gave (the name on the certificate, the CCCD and phone numbers, the certificate's serial,
the map sheet and parcel), which documents are kept (sealed: only the commune's land office can
open them) and which were deleted (a submission erased by `/delete` keeps only its receipt,
state, place and dates, and says so); then the consent given, with the notice's version and
date, how it was given and the start of the notice's hash (intake/resident/_consent.py).
The documents themselves are never sent back in the chat: the answer's buttons ask the
commune's office for a copy or a correction (a data-subject request, intake/requests). Each
answer is an audit event (`mydata_shown`), with the receipts it named.

At most `MAX_SHOWN` submissions are detailed, newest first (a chat message holds 4,096
characters); the rest are counted.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import Reply
from intake.language import VIETNAM
from intake.requests import request_buttons
from intake.resident._consent import consent_reply
from storage.deps import Deps
from storage.models import Citizen
from storage.repositories.audit import append_event
from storage.repositories.submissions import fields_of, held_for_citizen
from storage.states import ActorKind, DocumentStatus

__all__ = ["MAX_SHOWN", "my_data"]

MAX_SHOWN = 5
STORED, DELETED = DocumentStatus.STORED, DocumentStatus.DELETED
Line = tuple[str, dict[str, object]]  # a catalog key and its parameters, one line of a list


async def my_data(session: AsyncSession, deps: Deps, citizen: Citizen) -> list[Reply]:
    held = await held_for_citizen(session, citizen.id)
    await append_event(
        session,
        actor_kind=ActorKind.RESIDENT,
        actor_id=str(citizen.id),
        action="mydata_shown",
        data={"receipts": [submission.receipt_code for submission, *_ in held]},
    )
    consent = await consent_reply(session, citizen)
    if not held:
        return [Reply("mydata.nothing"), consent]
    replies = [Reply("mydata.intro", {"count": len(held)})]
    for submission, commune, village, documents in held[:MAX_SHOWN]:
        if submission.erased_at is not None:
            replies.append(
                Reply(
                    "mydata.erased",
                    {
                        "receipt": submission.receipt_code,
                        "state_key": f"state.{submission.state.value}",
                        "place": village or commune,
                        "date": f"{submission.submitted_at.astimezone(VIETNAM):%d/%m/%Y}",
                        "erased": f"{submission.erased_at.astimezone(VIETNAM):%d/%m/%Y}",
                    },
                )
            )
            continue
        opened = fields_of(deps.fields, submission)
        kept: list[Line] = [(f"slot.{slot}", {}) for slot, s in documents if s is STORED]
        gone: list[Line] = [(f"slot.{slot}", {}) for slot, s in documents if s is DELETED]
        replies.append(
            Reply(
                "mydata.submission",
                {
                    "receipt": submission.receipt_code,
                    "state_key": f"state.{submission.state.value}",
                    "place": village or commune,
                    "date": f"{submission.submitted_at.astimezone(VIETNAM):%d/%m/%Y}",
                    "holder": opened.holder_name,
                    "cccd": opened.cccd,
                    "phone": opened.phone or "—",
                    "serial": opened.serial or "—",
                    "parcel": f"{submission.map_sheet or '?'}/{submission.parcel_no or '?'}",
                    "kept_lines": kept or [("mydata.none", {})],
                    "deleted_lines": gone or [("mydata.none", {})],
                },
            )
        )
    if len(held) > MAX_SHOWN:
        replies.append(Reply("mydata.more", {"count": len(held) - MAX_SHOWN}))
    replies.append(consent)
    # a copy or a correction is a data-subject request to the commune (intake/requests)
    replies.append(Reply("mydata.copy", {"commune": held[0][1]}, keyboard=request_buttons()))
    return replies
