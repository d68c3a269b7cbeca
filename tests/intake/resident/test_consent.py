"""Consent evidence at the resident desk: the notice exactly as shown is kept once per text
(so once per version and language) with its SHA-256; every consent — given by the resident,
given in person to a chief, withdrawn — is a record with the version, the hash, the time and
the channel, and an audit event with the same; the citizen's consent in force follows the
records; a consent from before the records is shown by its version and date only."""

from __future__ import annotations

import hashlib
import itertools
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from intake.chat import Actor, Command, Pressed
from intake.flow import CONSENT_VERSION, Place
from intake.language import Language, render
from intake.resident import DirectoryCache, ResidentDesk
from storage.deps import Deps
from storage.models import Citizen, ConsentNotice, ConsentRecord, Event
from storage.repositories import consents
from storage.states import ConsentChannel, ConsentKind, StaffRole
from tests.fixtures.commune import (
    CHIEF_1,
    command,
    hoa_phu_with_keys,
    join,
    keys,
    press,
    submit,
    update_ids,
)


def sha(text: str) -> bytes:
    return hashlib.sha256(text.encode()).digest()


async def rows(deps: Deps, model: type[Any]) -> list[Any]:
    async with deps.database.sessions() as session:
        return list(await session.scalars(select(model).order_by(model.id)))


async def agree(desk: ResidentDesk, user_id: int, language: str = "vi", *first: str) -> None:
    """/start, press the buttons `first` (a language), then agree to the notice."""
    actor = Actor(user_id, user_id, language_code=language)
    updates = itertools.count(user_id * 100)
    await desk.handle(Command(actor, next(updates), name="start"))
    for data in (*first, "consent:yes"):
        await desk.handle(Pressed(actor, next(updates), data=data, message_id=1, callback_id="c"))


async def test_a_consent_keeps_the_notice_shown_once_per_text(deps: Deps) -> None:
    await hoa_phu_with_keys(deps)
    desk = ResidentDesk(deps, bot_id=1, directory=DirectoryCache(deps, "66"))
    await agree(desk, 801)
    await agree(desk, 802)
    await agree(desk, 803, "en")
    await agree(desk, 804, "vi", "lang:en")  # switched to English before agreeing

    vi, en = (render(language, "consent.notice") for language in (Language.VI, Language.EN))
    notices = await rows(deps, ConsentNotice)
    assert [(n.version, n.language, n.text, n.sha256) for n in notices] == [
        (CONSENT_VERSION, "vi", vi, sha(vi)),
        (CONSENT_VERSION, "en", en, sha(en)),
    ]
    records = await rows(deps, ConsentRecord)
    citizens = {c.id: c for c in await rows_of_citizens(deps)}
    assert [
        (citizens[r.citizen_id].telegram_user_id, r.kind, r.channel, r.version, r.notice_sha256)
        for r in records
        if r.citizen_id is not None
    ] == [
        (801, ConsentKind.GIVEN, ConsentChannel.SELF, CONSENT_VERSION, sha(vi)),
        (802, ConsentKind.GIVEN, ConsentChannel.SELF, CONSENT_VERSION, sha(vi)),
        (803, ConsentKind.GIVEN, ConsentChannel.SELF, CONSENT_VERSION, sha(en)),
        (804, ConsentKind.GIVEN, ConsentChannel.SELF, CONSENT_VERSION, sha(en)),
    ]
    for record in records:  # the consent in force is the record's
        citizen = citizens[record.citizen_id]
        assert (citizen.consent_version, citizen.consent_at) == (record.version, record.at)
    events = [e for e in await rows(deps, Event) if e.action == "consent_given"]
    assert [e.data for e in events] == [
        {"version": CONSENT_VERSION, "notice_sha256": h.hex(), "channel": "self"}
        for h in (sha(vi), sha(vi), sha(en), sha(en))
    ]


async def rows_of_citizens(deps: Deps) -> list[Citizen]:
    async with deps.database.sessions() as session:
        return list(await session.scalars(select(Citizen)))


async def test_a_consent_in_person_names_the_chief_and_the_notice_read(deps: Deps) -> None:
    place = await hoa_phu_with_keys(deps)
    village = place.villages[0]
    chief = await join(deps, StaffRole.CHIEF, CHIEF_1, village=village.code)
    desk = ResidentDesk(deps, bot_id=1, directory=DirectoryCache(deps, "66"))
    updates = update_ids()
    directory = await desk.directory()
    async with deps.database.sessions.begin() as session:
        await desk.start_assisted(
            session,
            command(updates, CHIEF_1, "assist"),
            directory,
            staff_id=chief.id,
            place=(
                Place(place.commune.id, place.commune.name, place.commune.code),
                Place(village.id, village.name, village.code),
            ),
        )
    agreed = await desk.handle(press(updates, CHIEF_1, "consent:yes"))
    assert keys(agreed)[0] == "assist.consent_recorded"

    read = render("vi", "assist.consent", {"village": village.name})  # as the chat showed it
    (notice,) = await rows(deps, ConsentNotice)
    assert (notice.text, notice.sha256, notice.language) == (read, sha(read), "vi")
    (record,) = await rows(deps, ConsentRecord)
    assert (record.kind, record.channel, record.recorded_by_staff_id) == (
        ConsentKind.GIVEN,
        ConsentChannel.IN_PERSON,
        chief.id,
    )
    assert record.citizen_id is None  # the household's, not the chief's own
    assert record.draft_id is not None
    assert record.submission_id is None
    (event,) = [e for e in await rows(deps, Event) if e.action == "consent_in_person"]
    assert event.actor_id == str(chief.id)
    assert event.data["notice_sha256"] == sha(read).hex()
    assert event.data["channel"] == "in_person"
    # the chief's own consent is not touched
    async with deps.database.sessions() as session:
        own = await session.scalar(select(Citizen).where(Citizen.telegram_user_id == CHIEF_1))
    assert own is not None
    assert own.consent_version is None
    # once the draft is a submission, the consent is the submission's (the desk links it)
    made = await submit(deps, place, village, holder="Hộ Bà Năm", cccd="066090055555")
    async with deps.database.sessions.begin() as session:
        await consents.link_to_submission(session, record.draft_id, made.id)
    (linked,) = await rows(deps, ConsentRecord)
    assert linked.submission_id == made.id


async def test_an_old_consent_is_shown_by_version_and_date_and_withdrawn_without_hash(
    deps: Deps,
) -> None:
    await hoa_phu_with_keys(deps)
    desk = ResidentDesk(deps, bot_id=1, directory=DirectoryCache(deps, "66"))
    async with deps.database.sessions.begin() as session:  # as consents were before 0009
        session.add(
            Citizen(
                id=uuid.uuid4(),
                telegram_user_id=805,
                language="vi",
                consent_version="2025-01",
                consent_at=datetime(2025, 12, 1, 3, tzinfo=UTC),
            )
        )
    updates = update_ids()
    shown = await desk.handle(command(updates, 805, "mydata"))
    consent = shown.replies[-1]
    assert consent.key == "mydata.consent_old"
    assert dict(consent.params) == {"version": "2025-01", "date": "01/12/2025"}

    offer = await desk.handle(command(updates, 805, "delete"))
    assert keys(offer) == ["delete.offer"]
    assert offer.replies[0].keyboard is not None
    first = offer.replies[0].keyboard.rows[0][0].data
    confirm = await desk.handle(press(updates, 805, first))
    assert confirm.replies[0].keyboard is not None
    second = confirm.replies[0].keyboard.rows[0][0].data
    done = await desk.handle(press(updates, 805, second))
    assert keys(done) == ["delete.done"]
    (record,) = await rows(deps, ConsentRecord)
    assert (record.kind, record.version, record.notice_sha256) == (
        ConsentKind.WITHDRAWN,
        "2025-01",
        None,
    )
    (event,) = [e for e in await rows(deps, Event) if e.action == "consent_withdrawn"]
    assert event.data == {"version": "2025-01", "notice_sha256": None, "channel": "self"}
    async with deps.database.sessions() as session:
        citizen = await session.scalar(select(Citizen).where(Citizen.telegram_user_id == 805))
    assert citizen is not None
    assert (citizen.consent_version, citizen.consent_at) == (None, None)
