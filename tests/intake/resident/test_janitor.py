"""Reminders and expiry of idle drafts, decided from the database (so they survive restarts)."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from sqlalchemy import func, select

from intake.notify import OutboxService
from intake.resident import DraftJanitor
from storage.deps import Deps
from storage.models import Citizen, Document, Draft, Outbox, utcnow
from storage.repositories.residents import has_draft, set_aside
from storage.states import DocumentStatus


async def make_draft(deps: Deps, user_id: int, age: timedelta) -> uuid.UUID:
    async with deps.database.sessions.begin() as session:
        citizen = Citizen(telegram_user_id=user_id, language="vi")
        session.add(citizen)
        await session.flush()
        draft_id = uuid.uuid4()
        payload = deps.fields.encrypt(
            json.dumps({"step": "name"}), table="draft", column="payload_enc", row=draft_id
        )
        session.add(
            Draft(
                id=draft_id,
                chat_id=user_id,
                citizen_id=citizen.id,
                step="name",
                payload_enc=payload,
                updated_at=utcnow() - age,
            )
        )
        await session.flush()
        session.add(
            Document(
                draft_id=draft_id,
                slot="cccd_front",
                status=DocumentStatus.PENDING,
                telegram_file_id="f",
                file_unique_id=f"u{user_id}",
                chat_id=user_id,
                message_id=1,
            )
        )
    return draft_id


async def test_remind_once_then_expire(deps: Deps) -> None:
    await make_draft(deps, 1, timedelta(hours=1))
    await make_draft(deps, 2, timedelta(hours=30))
    await make_draft(deps, 3, timedelta(days=31))
    janitor = DraftJanitor(deps)
    first = await janitor.run_once()
    assert (first.reminded, first.expired) == (1, 1)
    again = await janitor.run_once()
    assert (again.reminded, again.expired) == (0, 0)  # one reminder only
    due = await OutboxService(deps).claim_due()
    assert sorted((m.chat_id, m.message.key) for m in due) == [
        (2, "draft.reminder"),
        (3, "draft.expired"),
    ]
    async with deps.database.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(Draft)) == 2
        statuses = dict((await session.execute(select(Document.chat_id, Document.status))).all())
        assert await session.scalar(select(func.count()).select_from(Outbox)) == 2
    assert statuses[3] is DocumentStatus.DELETED
    assert statuses[2] is DocumentStatus.PENDING
    later = await janitor.run_once(utcnow() + timedelta(days=31))
    assert later.expired == 2


async def test_an_expired_draft_gives_back_the_one_set_aside_for_it(deps: Deps) -> None:
    """A chief's own draft set aside for /assist is theirs again when the household's expires
    (never left aside for good, where the next /assist could not set another aside)."""
    own = await make_draft(deps, 5, timedelta(days=2))
    async with deps.database.sessions.begin() as session:
        await set_aside(session, own)
        citizen_id = await session.scalar(select(Draft.citizen_id).where(Draft.id == own))
        household = uuid.uuid4()
        session.add(
            Draft(
                id=household,
                chat_id=5,
                citizen_id=citizen_id,
                step="name",
                payload_enc=deps.fields.encrypt(
                    json.dumps({"step": "name"}),
                    table="draft",
                    column="payload_enc",
                    row=household,
                ),
                updated_at=utcnow() - timedelta(days=31),
            )
        )
    assert (await DraftJanitor(deps).run_once()).expired == 1
    async with deps.database.sessions() as session:
        left = (await session.execute(select(Draft.id, Draft.aside))).all()
        assert [tuple(row) for row in left] == [(own, False)]
        assert await has_draft(session, 5)
