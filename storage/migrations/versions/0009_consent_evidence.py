"""consent evidence: the notices as shown (`consent_notice`, once per text, by SHA-256) and
every consent given or withdrawn (`consent_record`); the /delete confirmation waiting on the
citizen; a submission's personal fields may be erased (NULL) and say when (`erased_at`)

Consents given before this revision have no notice text: the citizens keep their version and
date as they are, and no record is made up for them.

Making the submission's columns NULL-able on SQLite does not rebuild the table (which batch
mode would do): the rows of `document`, `draft` and `event` refer to `submission`, and SQLite
enforces foreign keys here, so dropping the old table would fail (or, with ON DELETE actions,
change the referring rows). It uses SQLite's own procedure for removing a NOT NULL constraint
(https://www.sqlite.org/lang_altertable.html, "otheralter"): the table's definition is edited
in `sqlite_schema`, the schema version bumped, and the file checked.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-04 12:00:00.000000
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

_ERASABLE = ("holder_name_enc", "cccd_enc", "cccd_index")


def upgrade() -> None:
    op.create_table(
        "consent_notice",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.LargeBinary(length=32), nullable=False),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_notice")),
        sa.UniqueConstraint("sha256", name=op.f("uq_consent_notice_sha256")),
    )
    op.create_table(
        "consent_record",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("given", "withdrawn", name="consentkind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column(
            "channel",
            sa.Enum("self", "in_person", name="consentchannel", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("version", sa.String(length=16), nullable=False),
        sa.Column("notice_sha256", sa.LargeBinary(length=32), nullable=True),
        sa.Column("citizen_id", sa.Uuid(), nullable=True),
        sa.Column("draft_id", sa.Uuid(), nullable=True),
        sa.Column("submission_id", sa.Uuid(), nullable=True),
        sa.Column("recorded_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["citizen.id"], name=op.f("fk_consent_record_citizen_id_citizen")
        ),
        sa.ForeignKeyConstraint(
            ["notice_sha256"],
            ["consent_notice.sha256"],
            name=op.f("fk_consent_record_notice_sha256_consent_notice"),
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_staff_id"],
            ["staff.id"],
            name=op.f("fk_consent_record_recorded_by_staff_id_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"],
            ["submission.id"],
            name=op.f("fk_consent_record_submission_id_submission"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_consent_record")),
    )
    for column in ("citizen_id", "draft_id", "submission_id"):
        op.create_index(
            op.f(f"ix_consent_record_{column}"), "consent_record", [column], unique=False
        )
    # added columns: plain ALTER TABLE … ADD COLUMN on both backends (no table rebuilt)
    op.add_column("citizen", sa.Column("delete_pending", sa.String(length=40), nullable=True))
    op.add_column(
        "submission",
        sa.Column("erased_at", storage.models.UtcDateTime(timezone=True), nullable=True),
    )
    _set_erasable(nullable=True)


def downgrade() -> None:
    # an erased submission cannot hold NULL below this revision: empty values stand for it
    submission = sa.table("submission", *(sa.column(name, sa.LargeBinary) for name in _ERASABLE))
    for name in _ERASABLE:
        op.execute(submission.update().where(submission.c[name].is_(None)).values({name: b""}))
    _set_erasable(nullable=False)
    op.drop_column("submission", "erased_at")
    op.drop_column("citizen", "delete_pending")
    for column in ("submission_id", "draft_id", "citizen_id"):
        op.drop_index(op.f(f"ix_consent_record_{column}"), table_name="consent_record")
    op.drop_table("consent_record")
    op.drop_table("consent_notice")


def _set_erasable(*, nullable: bool) -> None:
    """The submission's erasable columns NULL-able (or not again)."""
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        for name in _ERASABLE:
            op.alter_column("submission", name, nullable=nullable)
        return
    found = bind.exec_driver_sql(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'submission'"
    ).scalar_one()
    sql = str(found)
    for name in _ERASABLE:
        column = re.compile(rf"(\n\s*{name} BLOB)( NOT NULL)?,")
        matches = column.findall(sql)
        if len(matches) != 1:
            raise RuntimeError(f"submission.{name}: its definition was not found once")
        sql = column.sub(r"\1," if nullable else r"\1 NOT NULL,", sql)
    version = bind.exec_driver_sql("PRAGMA schema_version").scalar_one()
    bind.exec_driver_sql("PRAGMA writable_schema = ON")
    try:
        bind.exec_driver_sql(
            "UPDATE sqlite_schema SET sql = ? WHERE type = 'table' AND name = 'submission'",
            (sql,),
        )
        bind.exec_driver_sql(f"PRAGMA schema_version = {int(version) + 1}")
    finally:
        bind.exec_driver_sql("PRAGMA writable_schema = OFF")
    problems = bind.exec_driver_sql("PRAGMA integrity_check").scalars().all()
    if problems != ["ok"]:
        raise RuntimeError(f"the database fails its integrity check: {problems[:3]}")
