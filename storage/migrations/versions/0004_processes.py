"""processes, lease holders, owed replies, the polling inbox

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03 18:55:08.071370
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "inbox",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("bot_id", sa.BigInteger(), nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        sa.Column("payload_enc", sa.LargeBinary(), nullable=False),
        sa.Column("received_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbox")),
        sa.UniqueConstraint("bot_id", "update_id", name=op.f("uq_inbox_bot_id_update_id")),
    )
    op.create_table(
        "process",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("host", sa.String(length=255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("started_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("stopped_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("reaped_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_process")),
    )
    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_process_reaped_at"), ["reaped_at"], unique=False)

    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leased_by", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_document_leased_by"), ["leased_by"], unique=False)

    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reply_owed", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("reply_owed_by", sa.Uuid(), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_draft_reply_owed_by"), ["reply_owed_by"], unique=False
        )

    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.add_column(sa.Column("leased_by", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_outbox_leased_by"), ["leased_by"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_leased_by"))
        batch_op.drop_column("leased_by")

    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_reply_owed_by"))
        batch_op.drop_column("reply_owed_by")
        batch_op.drop_column("reply_owed")

    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_leased_by"))
        batch_op.drop_column("leased_by")

    with op.batch_alter_table("process", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_process_reaped_at"))

    op.drop_table("process")
    op.drop_table("inbox")
