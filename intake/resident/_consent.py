"""Consent evidence (DESIGN.md "Personal data"): every consent given or withdrawn is recorded
with the notice's version, the SHA-256 of the text actually shown (rendered in the language it
was shown in, kept once in `consent_notice`), the time and the channel — `self` (the resident
pressed the button) or `in_person` (a staff member recorded a household's consent during
/assist; the record is the draft's, then the submission's it became) — and is an audit event
with the same hash and channel (no personal data).

The citizen's consent in force (`citizen.consent_version`, `consent_at`) is kept in step with
the records, not derived from them: every update reads it (is the notice to be shown?), and
only the functions here write it, in the transaction that writes the record. Consents given
before the records existed have no notice text: they stay as they were, and `/mydata` says
their version and date only.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import Reply
from intake.language import VIETNAM, Language, render
from storage.models import Citizen
from storage.repositories import consents, residents
from storage.repositories.audit import append_event
from storage.states import ActorKind, ConsentChannel, ConsentKind

__all__ = [
    "HASH_SHOWN",
    "consent_reply",
    "give_consent",
    "notice_sha256",
    "record_in_person",
    "withdraw_consent",
]

HASH_SHOWN = 12  # hex digits of a notice's hash shown to the resident


def notice_sha256(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8")).digest()


async def _keep_notice(
    session: AsyncSession,
    version: str,
    language: Language,
    key: str,
    params: Mapping[str, object],
) -> bytes:
    """Keep the notice as shown (once per text); its hash."""
    text = render(language, key, params)
    sha256 = notice_sha256(text)
    await consents.keep_notice(
        session, sha256=sha256, version=version, language=language.value, text=text
    )
    return sha256


async def give_consent(
    session: AsyncSession,
    citizen_id: uuid.UUID,
    *,
    version: str,
    language: Language,
    notice: str,
    notice_params: Mapping[str, object],
    at: datetime,
) -> None:
    """The resident agreed in their chat to the notice shown (`notice`, in `language`)."""
    sha256 = await _keep_notice(session, version, language, notice, notice_params)
    await residents.record_consent(session, citizen_id, version, at)
    await consents.add_record(
        session,
        kind=ConsentKind.GIVEN,
        channel=ConsentChannel.SELF,
        version=version,
        notice_sha256=sha256,
        at=at,
        citizen_id=citizen_id,
    )
    await append_event(
        session,
        actor_kind=ActorKind.RESIDENT,
        actor_id=str(citizen_id),
        action="consent_given",
        data={"version": version, "notice_sha256": sha256.hex(), "channel": "self"},
    )


async def record_in_person(
    session: AsyncSession,
    *,
    staff_id: int,
    draft_id: uuid.UUID,
    commune_id: int | None,
    chat_id: int,
    version: str,
    language: Language,
    notice: str,
    notice_params: Mapping[str, object],
    at: datetime,
) -> None:
    """A household consented in person to the notice the staff member was shown to read."""
    sha256 = await _keep_notice(session, version, language, notice, notice_params)
    await consents.add_record(
        session,
        kind=ConsentKind.GIVEN,
        channel=ConsentChannel.IN_PERSON,
        version=version,
        notice_sha256=sha256,
        at=at,
        draft_id=draft_id,
        recorded_by_staff_id=staff_id,
    )
    await append_event(
        session,
        actor_kind=ActorKind.STAFF,
        actor_id=str(staff_id),
        action="consent_in_person",
        commune_id=commune_id,
        data={
            "version": version,
            "chat_id": chat_id,
            "notice_sha256": sha256.hex(),
            "channel": "in_person",
        },
    )


async def withdraw_consent(session: AsyncSession, citizen: Citizen, at: datetime) -> bool:
    """Record the withdrawal of the citizen's consent in force (with the version and notice
    hash it was given to); False if none was in force."""
    version = citizen.consent_version
    if version is None:
        return False
    latest = await consents.latest_of_citizen(session, citizen.id)
    given = latest is not None and latest.kind is ConsentKind.GIVEN and latest.version == version
    sha256 = latest.notice_sha256 if given and latest is not None else None  # None: given before
    await consents.add_record(
        session,
        kind=ConsentKind.WITHDRAWN,
        channel=ConsentChannel.SELF,
        version=version,
        notice_sha256=sha256,
        at=at,
        citizen_id=citizen.id,
    )
    citizen.consent_version = citizen.consent_at = None
    await append_event(
        session,
        actor_kind=ActorKind.RESIDENT,
        actor_id=str(citizen.id),
        action="consent_withdrawn",
        data={
            "version": version,
            "notice_sha256": sha256.hex() if sha256 else None,
            "channel": "self",
        },
    )
    return True


async def consent_reply(session: AsyncSession, citizen: Citizen) -> Reply:
    """The consent in force as `/mydata` says it: version, date, channel and the notice's hash
    (a consent given before notices were kept: version and date only)."""
    if citizen.consent_version is None:
        return Reply("mydata.no_consent")
    date = f"{citizen.consent_at.astimezone(VIETNAM):%d/%m/%Y}" if citizen.consent_at else "?"
    latest = await consents.latest_of_citizen(session, citizen.id)
    if (
        latest is None
        or latest.kind is not ConsentKind.GIVEN
        or latest.version != citizen.consent_version
        or latest.notice_sha256 is None
    ):
        return Reply("mydata.consent_old", {"version": citizen.consent_version, "date": date})
    return Reply(
        "mydata.consent",
        {
            "version": citizen.consent_version,
            "date": date,
            "channel_key": f"consent.channel_{latest.channel.value}",
            "notice": latest.notice_sha256.hex()[:HASH_SHOWN],
        },
    )
