"""data-subject requests: a resident's request to the commune for a copy or a correction, with
its legal clocks (`data_request`), and the request waiting for the resident's words on the
citizen (`request_pending`)

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "data_request",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=16), nullable=False),
        sa.Column("citizen_id", sa.Uuid(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("copy", "correction", name="datarequestkind", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "received",
                "acknowledged",
                "completed",
                name="datarequeststate",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("details_enc", sa.LargeBinary(), nullable=True),
        sa.Column("received_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("acknowledge_by", sa.Date(), nullable=False),
        sa.Column("complete_by", sa.Date(), nullable=False),
        sa.Column("acknowledged_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("acknowledged_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("completed_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("completed_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("note_enc", sa.LargeBinary(), nullable=True),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["citizen.id"], name=op.f("fk_data_request_citizen_id_citizen")
        ),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_data_request_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["acknowledged_by_staff_id"],
            ["staff.id"],
            name=op.f("fk_data_request_acknowledged_by_staff_id_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["completed_by_staff_id"],
            ["staff.id"],
            name=op.f("fk_data_request_completed_by_staff_id_staff"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_data_request")),
        sa.UniqueConstraint("code", name=op.f("uq_data_request_code")),
    )
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        for column in ("citizen_id", "commune_id", "state"):
            batch_op.create_index(batch_op.f(f"ix_data_request_{column}"), [column], unique=False)
    # plain ALTER TABLE … ADD COLUMN on both backends: no table rebuilt (rows refer to citizen)
    op.add_column("citizen", sa.Column("request_pending", sa.String(length=40), nullable=True))


def downgrade() -> None:
    op.drop_column("citizen", "request_pending")
    with op.batch_alter_table("data_request", schema=None) as batch_op:
        for column in ("state", "commune_id", "citizen_id"):
            batch_op.drop_index(batch_op.f(f"ix_data_request_{column}"))
    op.drop_table("data_request")
