"""the audit chain keyed: when the chain became keyed (HMAC under the audit key) and the head's
seal, a MAC over the newest event's id and hash that nobody without the key can recompute

A database with no events yet is keyed from the start; one that has events stays unkeyed until
`hoso init` creates the audit key and re-keys it (storage/repositories/audit.py).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04 10:05:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.add_column(sa.Column("keyed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("seal", sa.LargeBinary(length=32), nullable=True))
    head = sa.table(
        "audit_head",
        sa.column("id", sa.Integer),
        sa.column("last_event_id", sa.BigInteger),
        sa.column("keyed_at", sa.DateTime(timezone=True)),
    )
    op.execute(
        head.update()
        .where(head.c.id == 1, head.c.last_event_id == 0)
        .values(keyed_at=sa.func.current_timestamp())
    )


def downgrade() -> None:
    with op.batch_alter_table("audit_head", schema=None) as batch_op:
        batch_op.drop_column("seal")
        batch_op.drop_column("keyed_at")
