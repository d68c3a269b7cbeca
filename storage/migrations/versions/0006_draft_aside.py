"""a staff member's own draft kept aside while they submit for a household; the bands of the
documents' fingerprints (possible duplicates)

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04 02:05:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("aside", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.drop_constraint("uq_draft_chat_id", type_="unique")
        batch_op.create_unique_constraint("uq_draft_chat_id_aside", ["chat_id", "aside"])
    op.create_table(
        "fingerprint_band",
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("band", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_fingerprint_band_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["document.id"],
            name=op.f("fk_fingerprint_band_document_id_document"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("document_id", "band", name=op.f("pk_fingerprint_band")),
    )
    op.create_index(
        op.f("ix_fingerprint_band_commune_id_band_value"),
        "fingerprint_band",
        ["commune_id", "band", "value"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_fingerprint_band_commune_id_band_value"), table_name="fingerprint_band")
    op.drop_table("fingerprint_band")
    op.execute(sa.text("DELETE FROM draft WHERE aside"))
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_constraint("uq_draft_chat_id_aside", type_="unique")
        batch_op.create_unique_constraint("uq_draft_chat_id", ["chat_id"])
        batch_op.drop_column("aside")
