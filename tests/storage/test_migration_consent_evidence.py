"""Migration 0009 on both backends, over a database that has rows: consents given before it stay
as they were (no record is made up for them), submissions referred to by documents keep their
rows (on SQLite the table is not rebuilt), their personal columns may then hold NULL, and going
back down puts an empty value where a field was erased."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, func, select
from sqlalchemy.exc import IntegrityError

import storage.migrations
from storage.db import Database
from storage.models import Citizen, ConsentNotice, ConsentRecord, Document, Submission, UtcDateTime

CONSENTED_AT = datetime(2025, 12, 1, 3, 0, tzinfo=UTC)


def _config(connection: Connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(storage.migrations.__file__).parent))
    config.attributes["connection"] = connection
    return config


async def migrate(database: Database, move: Callable[[Config], None]) -> None:
    async with database.engine.begin() as connection:
        await connection.run_sync(lambda sync: move(_config(sync)))


def _table(name: str, *columns: tuple[str, sa.types.TypeEngine[Any]]) -> sa.TableClause:
    return sa.table(name, *(sa.column(column, kind) for column, kind in columns))


async def old_rows(database: Database) -> tuple[uuid.UUID, uuid.UUID]:
    """A citizen who consented, their submission and a document of it, as 0008 stored them."""
    now = datetime.now(UTC)
    citizen_id, submission_id = uuid.uuid4(), uuid.uuid4()
    text, when, uid, blob = sa.String(), UtcDateTime(), sa.Uuid(), sa.LargeBinary()
    async with database.engine.begin() as connection:
        province = _table(
            "province",
            ("id", sa.Integer()),
            ("code", text),
            ("name", text),
            ("short_name", text),
            ("search_key", text),
            ("created_at", when),
        )
        await connection.execute(
            province.insert().values(
                id=1,
                code="66",
                name="Đắk Lắk",
                short_name="Đắk Lắk",
                search_key="dak lak",
                created_at=now,
            )
        )
        commune = _table(
            "commune",
            ("id", sa.Integer()),
            ("province_id", sa.Integer()),
            ("code", text),
            ("name", text),
            ("short_name", text),
            ("kind", text),
            ("search_key", text),
            ("receipt_prefix", text),
            ("created_at", when),
        )
        await connection.execute(
            commune.insert().values(
                id=1,
                province_id=1,
                code="24175",
                name="Xã Hòa Phú",
                short_name="Hòa Phú",
                kind="Xã",
                search_key="hoa phu",
                receipt_prefix="HP",
                created_at=now,
            )
        )
        citizen = _table(
            "citizen",
            ("id", uid),
            ("telegram_user_id", sa.BigInteger()),
            ("language", text),
            ("consent_version", text),
            ("consent_at", when),
            ("created_at", when),
        )
        await connection.execute(
            citizen.insert().values(
                id=citizen_id,
                telegram_user_id=5001,
                language="vi",
                consent_version="2025-01",
                consent_at=CONSENTED_AT,
                created_at=now,
            )
        )
        submission = _table(
            "submission",
            ("id", uid),
            ("receipt_code", text),
            ("citizen_id", uid),
            ("commune_id", sa.Integer()),
            ("route", text),
            ("state", text),
            ("whose", text),
            ("holder_name_enc", blob),
            ("cccd_enc", blob),
            ("cccd_index", blob),
            ("certificate_status", text),
            ("quality_flags", sa.JSON()),
            ("created_at", when),
            ("submitted_at", when),
            ("updated_at", when),
            ("complete", sa.Boolean()),
            ("requested_slots", sa.JSON()),
        )
        await connection.execute(
            submission.insert().values(
                id=submission_id,
                receipt_code="HP-OLD01",
                citizen_id=citizen_id,
                commune_id=1,
                route="chosen",
                state="submitted",
                whose="self",
                holder_name_enc=b"name",
                cccd_enc=b"cccd",
                cccd_index=b"i" * 16,
                certificate_status="held",
                quality_flags={},
                created_at=now,
                submitted_at=now,
                updated_at=now,
                complete=False,
                requested_slots=[],
            )
        )
        document = _table(
            "document",
            ("id", uid),
            ("submission_id", uid),
            ("slot", text),
            ("status", text),
            ("as_file", sa.Boolean()),
            ("telegram_file_id", text),
            ("file_unique_id", text),
            ("chat_id", sa.BigInteger()),
            ("message_id", sa.BigInteger()),
            ("issues", sa.JSON()),
            ("metrics", sa.JSON()),
            ("attempts", sa.Integer()),
            ("created_at", when),
        )
        await connection.execute(
            document.insert().values(
                id=uuid.uuid4(),
                submission_id=submission_id,
                slot="cccd_front",
                status="stored",
                as_file=True,
                telegram_file_id="f",
                file_unique_id="u",
                chat_id=5001,
                message_id=1,
                issues={},
                metrics={},
                attempts=1,
                created_at=now,
            )
        )
    return citizen_id, submission_id


async def test_old_rows_survive_and_old_consents_stay_as_they_were(database: Database) -> None:
    await migrate(database, lambda config: command.downgrade(config, "0008"))
    citizen_id, submission_id = await old_rows(database)

    await migrate(database, lambda config: command.upgrade(config, "head"))

    async with database.sessions() as session:
        citizen = await session.get(Citizen, citizen_id)
        assert citizen is not None
        assert (citizen.consent_version, citizen.consent_at) == ("2025-01", CONSENTED_AT)
        assert citizen.delete_pending is None
        for model in (ConsentRecord, ConsentNotice):
            assert await session.scalar(select(func.count()).select_from(model)) == 0
        row = await session.get(Submission, submission_id)
        assert row is not None
        assert (row.holder_name_enc, row.cccd_enc, row.erased_at) == (b"name", b"cccd", None)
        documents = await session.scalar(
            select(func.count()).where(Document.submission_id == submission_id)
        )
        assert documents == 1  # still referring to their submission
    async with database.sessions.begin() as session:  # erasable now
        await session.execute(
            sa.update(Submission)
            .where(Submission.id == submission_id)
            .values(holder_name_enc=None, cccd_enc=None, cccd_index=None)
        )

    await migrate(database, lambda config: command.downgrade(config, "0008"))
    async with database.engine.connect() as connection:
        values = (
            await connection.execute(
                sa.text("SELECT holder_name_enc, cccd_enc, cccd_index FROM submission")
            )
        ).one()
    assert [bytes(v) for v in values] == [b"", b"", b""]
    with pytest.raises(IntegrityError):  # NOT NULL again
        async with database.engine.begin() as connection:
            await connection.execute(sa.text("UPDATE submission SET cccd_enc = NULL"))
    await migrate(database, lambda config: command.upgrade(config, "head"))
    current, head = await database.schema_revision()
    assert current == head
