"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-21 08:29:23.943082
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import storage.models

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_head",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("last_event_id", sa.BigInteger(), nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_head")),
    )
    op.bulk_insert(
        sa.table(
            "audit_head",
            sa.column("id", sa.Integer),
            sa.column("last_event_id", sa.BigInteger),
            sa.column("hash", sa.LargeBinary),
        ),
        [{"id": 1, "last_event_id": 0, "hash": b"\x00" * 32}],
    )
    op.create_table(
        "blob",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.Column("sha256", sa.LargeBinary(length=32), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_blob")),
        sa.UniqueConstraint("name", name=op.f("uq_blob_name")),
    )
    op.create_table(
        "citizen",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column("language", sa.String(length=2), nullable=False),
        sa.Column("consent_version", sa.String(length=16), nullable=True),
        sa.Column("consent_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_citizen")),
        sa.UniqueConstraint("telegram_user_id", name=op.f("uq_citizen_telegram_user_id")),
    )
    op.create_table(
        "field_key",
        sa.Column("key_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("retired_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_field_key")),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("payload_enc", sa.LargeBinary(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "sent", "failed", name="outboxstatus", native_enum=False, length=16
            ),
            nullable=False,
        ),
        sa.Column("not_before", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("sent_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox")),
    )
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_outbox_chat_id"), ["chat_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_outbox_status_not_before"), ["status", "not_before"], unique=False
        )

    op.create_table(
        "processed_update",
        sa.Column("bot_id", sa.BigInteger(), nullable=False),
        sa.Column("update_id", sa.BigInteger(), nullable=False),
        sa.Column("processed_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("bot_id", "update_id", name=op.f("pk_processed_update")),
    )
    with op.batch_alter_table("processed_update", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_processed_update_processed_at"), ["processed_at"], unique=False
        )

    op.create_table(
        "province",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=3), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("short_name", sa.String(length=100), nullable=False),
        sa.Column("search_key", sa.String(length=100), nullable=False),
        sa.Column("escrow_recipient", sa.String(length=128), nullable=True),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_province")),
        sa.UniqueConstraint("code", name=op.f("uq_province_code")),
    )
    op.create_table(
        "commune",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("short_name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("search_key", sa.String(length=100), nullable=False),
        sa.Column("receipt_prefix", sa.String(length=4), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["province_id"], ["province.id"], name=op.f("fk_commune_province_id_province")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commune")),
        sa.UniqueConstraint("code", name=op.f("uq_commune_code")),
    )
    with op.batch_alter_table("commune", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_commune_province_id"), ["province_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_commune_search_key"), ["search_key"], unique=False)

    op.create_table(
        "commune_key",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=128), nullable=False),
        sa.Column("identity_locked", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("retired_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_commune_key_commune_id_commune")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commune_key")),
        sa.UniqueConstraint("recipient", name=op.f("uq_commune_key_recipient")),
    )
    with op.batch_alter_table("commune_key", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_commune_key_commune_id"), ["commune_id"], unique=False
        )

    op.create_table(
        "village",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("search_key", sa.String(length=100), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_village_commune_id_commune")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_village")),
        sa.UniqueConstraint("code", name=op.f("uq_village_code")),
    )
    with op.batch_alter_table("village", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_village_commune_id"), ["commune_id"], unique=False)

    op.create_table(
        "parcel",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("map_sheet", sa.String(length=16), nullable=False),
        sa.Column("parcel_no", sa.String(length=16), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_parcel_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_parcel_village_id_village")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parcel")),
        sa.UniqueConstraint(
            "commune_id",
            "map_sheet",
            "parcel_no",
            name=op.f("uq_parcel_commune_id_map_sheet_parcel_no"),
        ),
    )
    with op.batch_alter_table("parcel", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parcel_village_id"), ["village_id"], unique=False)

    op.create_table(
        "staff",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=False),
        sa.Column(
            "role",
            sa.Enum("admin", "officer", "chief", name="staffrole", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.Column("display_name", sa.String(length=100), nullable=False),
        sa.Column("daily_digest", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_staff_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["province_id"], ["province.id"], name=op.f("fk_staff_province_id_province")
        ),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_staff_village_id_village")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff")),
    )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_commune_id"), ["commune_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_staff_telegram_user_id"), ["telegram_user_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_staff_village_id"), ["village_id"], unique=False)

    op.create_table(
        "target",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.Column("household_name_enc", sa.LargeBinary(), nullable=False),
        sa.Column("cccd_enc", sa.LargeBinary(), nullable=True),
        sa.Column("cccd_index", sa.LargeBinary(length=16), nullable=True),
        sa.Column("map_sheet", sa.String(length=16), nullable=True),
        sa.Column("parcel_no", sa.String(length=16), nullable=True),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_target_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_target_village_id_village")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_target")),
    )
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_target_cccd_index"), ["cccd_index"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_commune_id"), ["commune_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_target_village_id"), ["village_id"], unique=False)

    op.create_table(
        "invite",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column(
            "role",
            sa.Enum("admin", "officer", "chief", name="staffrole", native_enum=False, length=16),
            nullable=False,
        ),
        sa.Column("province_id", sa.Integer(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.Column("created_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("used_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("used_by_telegram_user_id", sa.BigInteger(), nullable=True),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_invite_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_staff_id"], ["staff.id"], name=op.f("fk_invite_created_by_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["province_id"], ["province.id"], name=op.f("fk_invite_province_id_province")
        ),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_invite_village_id_village")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_invite")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_invite_token_hash")),
    )
    op.create_table(
        "submission",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("receipt_code", sa.String(length=16), nullable=False),
        sa.Column("citizen_id", sa.Uuid(), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=False),
        sa.Column("village_id", sa.Integer(), nullable=True),
        sa.Column(
            "route",
            sa.Enum(
                "chosen",
                "parcel",
                "target",
                "triage",
                "staff",
                name="route",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column(
            "state",
            sa.Enum(
                "submitted",
                "in_review",
                "needs_info",
                "resubmitted",
                "accepted",
                "rejected",
                "withdrawn",
                name="submissionstate",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("whose", sa.String(length=16), nullable=False),
        sa.Column("assisted_by_staff_id", sa.Integer(), nullable=True),
        sa.Column("holder_name_enc", sa.LargeBinary(), nullable=False),
        sa.Column("cccd_enc", sa.LargeBinary(), nullable=False),
        sa.Column("cccd_index", sa.LargeBinary(length=16), nullable=False),
        sa.Column("phone_enc", sa.LargeBinary(), nullable=True),
        sa.Column(
            "certificate_status",
            sa.Enum(
                "held",
                "at_bank",
                "lost",
                "never_issued",
                name="certificatestatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("certificate_serial_enc", sa.LargeBinary(), nullable=True),
        sa.Column("map_sheet", sa.String(length=16), nullable=True),
        sa.Column("parcel_no", sa.String(length=16), nullable=True),
        sa.Column("quality_flags", sa.JSON(), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("submitted_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assisted_by_staff_id"],
            ["staff.id"],
            name=op.f("fk_submission_assisted_by_staff_id_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["citizen.id"], name=op.f("fk_submission_citizen_id_citizen")
        ),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_submission_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["village_id"], ["village.id"], name=op.f("fk_submission_village_id_village")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_submission")),
        sa.UniqueConstraint("receipt_code", name=op.f("uq_submission_receipt_code")),
    )
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_submission_cccd_index"), ["cccd_index"], unique=False)
        batch_op.create_index(batch_op.f("ix_submission_citizen_id"), ["citizen_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_submission_commune_id_village_id_state"),
            ["commune_id", "village_id", "state"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_submission_submitted_at"), ["submitted_at"], unique=False
        )

    op.create_table(
        "draft",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("citizen_id", sa.Uuid(), nullable=False),
        sa.Column("submission_id", sa.Uuid(), nullable=True),
        sa.Column("step", sa.String(length=32), nullable=False),
        sa.Column("payload_enc", sa.LargeBinary(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("reminded_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["citizen_id"], ["citizen.id"], name=op.f("fk_draft_citizen_id_citizen")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submission.id"], name=op.f("fk_draft_submission_id_submission")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft")),
        sa.UniqueConstraint("chat_id", name=op.f("uq_draft_chat_id")),
    )
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_citizen_id"), ["citizen_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_draft_updated_at"), ["updated_at"], unique=False)

    op.create_table(
        "event",
        sa.Column("id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column(
            "actor_kind",
            sa.Enum(
                "system",
                "resident",
                "staff",
                "admin_cli",
                name="actorkind",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("actor_id", sa.String(length=64), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("submission_id", sa.Uuid(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("prev_hash", sa.LargeBinary(length=32), nullable=False),
        sa.Column("hash", sa.LargeBinary(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_event_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submission.id"], name=op.f("fk_event_submission_id_submission")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event")),
    )
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_commune_id"), ["commune_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_event_submission_id"), ["submission_id"], unique=False
        )

    op.create_table(
        "document",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("draft_id", sa.Uuid(), nullable=True),
        sa.Column("submission_id", sa.Uuid(), nullable=True),
        sa.Column("commune_id", sa.Integer(), nullable=True),
        sa.Column("slot", sa.String(length=24), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "pending",
                "stored",
                "refused",
                "failed",
                "deleted",
                name="documentstatus",
                native_enum=False,
                length=16,
            ),
            nullable=False,
        ),
        sa.Column("as_file", sa.Boolean(), nullable=False),
        sa.Column("telegram_file_id", sa.String(length=256), nullable=False),
        sa.Column("file_unique_id", sa.String(length=64), nullable=False),
        sa.Column("file_size", sa.BigInteger(), nullable=True),
        sa.Column("media_group_id", sa.String(length=64), nullable=True),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("content_type", sa.String(length=16), nullable=True),
        sa.Column("blob_id", sa.Uuid(), nullable=True),
        sa.Column("issues", sa.JSON(), nullable=False),
        sa.Column("metrics", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.Column("created_at", storage.models.UtcDateTime(timezone=True), nullable=False),
        sa.Column("stored_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.Column("deleted_at", storage.models.UtcDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(["blob_id"], ["blob.id"], name=op.f("fk_document_blob_id_blob")),
        sa.ForeignKeyConstraint(
            ["commune_id"], ["commune.id"], name=op.f("fk_document_commune_id_commune")
        ),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["draft.id"],
            name=op.f("fk_document_draft_id_draft"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["submission_id"], ["submission.id"], name=op.f("fk_document_submission_id_submission")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_document")),
    )
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_document_draft_id"), ["draft_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_document_file_unique_id"), ["file_unique_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_status_created_at"), ["status", "created_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_document_submission_id"), ["submission_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("document", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_submission_id"))
        batch_op.drop_index(batch_op.f("ix_document_status_created_at"))
        batch_op.drop_index(batch_op.f("ix_document_file_unique_id"))
        batch_op.drop_index(batch_op.f("ix_document_draft_id"))

    op.drop_table("document")
    with op.batch_alter_table("event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_submission_id"))
        batch_op.drop_index(batch_op.f("ix_event_commune_id"))

    op.drop_table("event")
    with op.batch_alter_table("draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_updated_at"))
        batch_op.drop_index(batch_op.f("ix_draft_citizen_id"))

    op.drop_table("draft")
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submission_submitted_at"))
        batch_op.drop_index(batch_op.f("ix_submission_commune_id_village_id_state"))
        batch_op.drop_index(batch_op.f("ix_submission_citizen_id"))
        batch_op.drop_index(batch_op.f("ix_submission_cccd_index"))

    op.drop_table("submission")
    op.drop_table("invite")
    with op.batch_alter_table("target", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_target_village_id"))
        batch_op.drop_index(batch_op.f("ix_target_commune_id"))
        batch_op.drop_index(batch_op.f("ix_target_cccd_index"))

    op.drop_table("target")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_staff_village_id"))
        batch_op.drop_index(batch_op.f("ix_staff_telegram_user_id"))
        batch_op.drop_index(batch_op.f("ix_staff_commune_id"))

    op.drop_table("staff")
    with op.batch_alter_table("parcel", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parcel_village_id"))

    op.drop_table("parcel")
    with op.batch_alter_table("village", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_village_commune_id"))

    op.drop_table("village")
    with op.batch_alter_table("commune_key", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commune_key_commune_id"))

    op.drop_table("commune_key")
    with op.batch_alter_table("commune", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_commune_search_key"))
        batch_op.drop_index(batch_op.f("ix_commune_province_id"))

    op.drop_table("commune")
    op.drop_table("province")
    with op.batch_alter_table("processed_update", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_processed_update_processed_at"))

    op.drop_table("processed_update")
    with op.batch_alter_table("outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_outbox_status_not_before"))
        batch_op.drop_index(batch_op.f("ix_outbox_chat_id"))

    op.drop_table("outbox")
    op.drop_table("field_key")
    op.drop_table("citizen")
    op.drop_table("blob")
    op.drop_table("audit_head")
