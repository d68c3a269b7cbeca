"""the blob store's owner and outages: the single row naming this database
(`database_identity`, whose id the blob store's owner marker holds: one store, one database), and
the claims of a document that found the blob store unavailable (`document.store_waits`), which
do not count toward giving the document up

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-04 15:30:00.000000
"""

from __future__ import annotations

import uuid

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    identity = op.create_table(
        "database_identity",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("database_id", sa.Uuid(), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_database_identity")),
    )
    op.bulk_insert(
        identity, [{"id": 1, "database_id": uuid.uuid4(), "created_at": storage.models.utcnow()}]
    )
    op.add_column(
        "document", sa.Column("store_waits", sa.Integer(), nullable=False, server_default="0")
    )


def downgrade() -> None:
    op.drop_column("document", "store_waits")
    op.drop_table("database_identity")
