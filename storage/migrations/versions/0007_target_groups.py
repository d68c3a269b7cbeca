"""a target parcel's group in the campaign's own terms (1: "đúng, đủ, sạch, sống"; 2: in the
database, needs refinement; 3: no database yet) and the group it had when first imported

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04 06:05:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.add_column(sa.Column("parcel_group", sa.SmallInteger(), nullable=True))
        batch_op.add_column(sa.Column("first_group", sa.SmallInteger(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_column("first_group")
        batch_op.drop_column("parcel_group")
