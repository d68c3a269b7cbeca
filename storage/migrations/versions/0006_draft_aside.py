"""a staff member's own draft kept aside while they submit for a household

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


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM draft WHERE aside"))
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_constraint("uq_draft_chat_id_aside", type_="unique")
        batch_op.create_unique_constraint("uq_draft_chat_id", ["chat_id"])
        batch_op.drop_column("aside")
