"""The tables of DESIGN.md as typed SQLAlchemy 2 models.

Personal values (names, ID numbers, phones, serials, draft contents, notification texts) are
stored only as field ciphertexts in `*_enc` columns, bound to table, column and row id, which is
why the tables that hold them use client-generated UUID keys. `ENCRYPTED_COLUMNS` lists them all
for key rotation and for the tests that read the raw database file.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    SmallInteger,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    Uuid,
    false,
)
from sqlalchemy import Enum as SAEnum
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from storage.states import (
    ActorKind,
    CertificateStatus,
    ConsentChannel,
    ConsentKind,
    DataRequestKind,
    DataRequestState,
    DocumentStatus,
    OutboxStatus,
    ProcessMode,
    Route,
    StaffRole,
    SubmissionState,
)

__all__ = [
    "ENCRYPTED_COLUMNS",
    "AuditHead",
    "Base",
    "Blob",
    "Citizen",
    "Commune",
    "CommuneKey",
    "ConsentNotice",
    "ConsentRecord",
    "DataRequest",
    "DatabaseIdentity",
    "Document",
    "Draft",
    "Event",
    "FieldKeyRecord",
    "InboxUpdate",
    "Invite",
    "Outbox",
    "Parcel",
    "ProcessRecord",
    "ProcessedUpdate",
    "Province",
    "Staff",
    "Submission",
    "Target",
    "Village",
    "utcnow",
]


def utcnow() -> datetime:
    return datetime.now(UTC)


class UtcDateTime(TypeDecorator[datetime]):
    """An aware UTC datetime on every backend (SQLite stores it naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; use an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _state(enum: type[StrEnum]) -> SAEnum:
    return SAEnum(
        enum,
        native_enum=False,
        length=16,
        values_callable=lambda members: [member.value for member in members],
        validate_strings=True,
    )


NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 — read by SQLAlchemy at class creation
        datetime: UtcDateTime,
        dict[str, Any]: JSON,
        bytes: LargeBinary,
    }


class Province(Base):
    __tablename__ = "province"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(3), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(100))
    search_key: Mapped[str] = mapped_column(String(100))
    escrow_recipient: Mapped[str | None] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Commune(Base):
    __tablename__ = "commune"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"), index=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    short_name: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(20))
    search_key: Mapped[str] = mapped_column(String(100), index=True)
    receipt_prefix: Mapped[str] = mapped_column(String(4))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Village(Base):
    __tablename__ = "village"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    search_key: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Parcel(Base):
    """A commune's imported parcel list: (map sheet, parcel number) → village."""

    __tablename__ = "parcel"
    __table_args__ = (UniqueConstraint("commune_id", "map_sheet", "parcel_no"),)
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"))
    map_sheet: Mapped[str] = mapped_column(String(16))
    parcel_no: Mapped[str] = mapped_column(String(16))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)


class Target(Base):
    """A household/parcel the commune must collect (imported list)."""

    __tablename__ = "target"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)
    household_name_enc: Mapped[bytes]
    cccd_enc: Mapped[bytes | None]
    cccd_index: Mapped[bytes | None] = mapped_column(LargeBinary(16), index=True)
    map_sheet: Mapped[str | None] = mapped_column(String(16))
    parcel_no: Mapped[str | None] = mapped_column(String(16))
    # the campaign's group of the parcel (1, 2 or 3; None: not given), and the group it had
    # when the list first named it (a re-import keeps it: "moved from 2 or 3 to 1")
    parcel_group: Mapped[int | None] = mapped_column(SmallInteger)
    first_group: Mapped[int | None] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Staff(Base):
    __tablename__ = "staff"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    role: Mapped[StaffRole] = mapped_column(_state(StaffRole))
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("commune.id"), index=True)
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"), index=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    language: Mapped[str] = mapped_column(String(2), default="vi")
    daily_digest: Mapped[bool] = mapped_column(Boolean, default=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]
    # what the next text from this staff member answers (a note for "needs info", a reason)
    awaiting: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    digest_sent_at: Mapped[datetime | None]  # the last daily digest (chiefs)
    report_sent_on: Mapped[str | None] = mapped_column(String(10))  # local date (officers)
    menu_version: Mapped[int] = mapped_column(Integer, default=0)  # command menu set in Telegram


class Invite(Base):
    """A single-use, expiring staff invitation; only the token's hash is stored."""

    __tablename__ = "invite"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    role: Mapped[StaffRole] = mapped_column(_state(StaffRole))
    province_id: Mapped[int] = mapped_column(ForeignKey("province.id"))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("commune.id"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))
    created_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    used_by_telegram_user_id: Mapped[int | None] = mapped_column(BigInteger)


class ConsoleLink(Base):
    """A one-time sign-in link to the console, sent by `/web` (only its token's hash kept)."""

    __tablename__ = "console_link"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    token_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]


class ConsoleSession(Base):
    """A signed-in console session. The cookie holds a random key; only its hash is kept, so
    the database alone cannot be used to sign in."""

    __tablename__ = "console_session"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_hash: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    ended_reason: Mapped[str | None] = mapped_column(String(16))


class Citizen(Base):
    """A resident's Telegram account, language and consent. `consent_version`/`consent_at`
    are the consent in force, kept in step with the `consent_record` rows by the one service
    that writes both (intake/resident/_consent.py): read on every update, never derived."""

    __tablename__ = "citizen"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, unique=True)
    language: Mapped[str] = mapped_column(String(2), default="vi")
    consent_version: Mapped[str | None] = mapped_column(String(16))
    consent_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # an upload the commune asked for ("needs info"): the next photo goes to this slot
    followup_submission_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)  # no FK: a cycle
    followup_slot: Mapped[str | None] = mapped_column(String(24))
    # a /delete waiting for its confirmation: "<stage>:<nonce>:<until>" (intake/flow/_erasure.py)
    delete_pending: Mapped[str | None] = mapped_column(String(40))
    # a data-subject request waiting for the resident's words: "<kind>:<commune id>:<until>"
    # (intake/requests)
    request_pending: Mapped[str | None] = mapped_column(String(40))


class Draft(Base):
    """One conversation in progress; its contents are one encrypted JSON payload."""

    __tablename__ = "draft"
    # one conversation per chat, and at most one set aside: a staff member's own, while they
    # submit for a household (/assist) in the same chat
    __table_args__ = (UniqueConstraint("chat_id", "aside"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    aside: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    citizen_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("citizen.id"), index=True)
    submission_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("submission.id"))
    step: Mapped[str] = mapped_column(String(32))
    payload_enc: Mapped[bytes]
    version: Mapped[int] = mapped_column(Integer, default=1)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    reminded_at: Mapped[datetime | None]
    # the version whose replies were committed and not yet confirmed sent, and the process
    # that owes them: after a crash, another process sends the current question again
    reply_owed: Mapped[int | None] = mapped_column(Integer)
    reply_owed_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 — SQLAlchemy's own protocol


class Submission(Base):
    __tablename__ = "submission"
    __table_args__ = (Index(None, "commune_id", "village_id", "state"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    receipt_code: Mapped[str] = mapped_column(String(16), unique=True)
    citizen_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("citizen.id"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"))
    village_id: Mapped[int | None] = mapped_column(ForeignKey("village.id"))
    route: Mapped[Route] = mapped_column(_state(Route))
    state: Mapped[SubmissionState] = mapped_column(_state(SubmissionState))
    whose: Mapped[str] = mapped_column(String(16))
    assisted_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # the personal fields are None once erased (`erased_at`: by /delete, or by retention)
    holder_name_enc: Mapped[bytes | None]
    cccd_enc: Mapped[bytes | None]
    cccd_index: Mapped[bytes | None] = mapped_column(LargeBinary(16), index=True)
    phone_enc: Mapped[bytes | None]
    certificate_status: Mapped[CertificateStatus] = mapped_column(_state(CertificateStatus))
    certificate_serial_enc: Mapped[bytes | None]
    map_sheet: Mapped[str | None] = mapped_column(String(16))
    parcel_no: Mapped[str | None] = mapped_column(String(16))
    quality_flags: Mapped[dict[str, Any]] = mapped_column(default=dict)
    complete: Mapped[bool] = mapped_column(Boolean, default=False)  # every required slot in
    requested_slots: Mapped[list[str]] = mapped_column(JSON, default=list)  # by "needs info"
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    erased_at: Mapped[datetime | None]


class Blob(Base):
    """A sealed file in the blob store, under a generated name."""

    __tablename__ = "blob"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[bytes] = mapped_column(LargeBinary(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    deleted_at: Mapped[datetime | None]


class Document(Base):
    """A photo or file in one slot of a draft or submission, from receipt to sealing."""

    __tablename__ = "document"
    __table_args__ = (Index(None, "status", "created_at"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    draft_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("draft.id", ondelete="SET NULL"), index=True
    )
    submission_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("submission.id"), index=True
    )
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("commune.id"))
    slot: Mapped[str] = mapped_column(String(24))
    status: Mapped[DocumentStatus] = mapped_column(_state(DocumentStatus))
    as_file: Mapped[bool] = mapped_column(Boolean, default=False)
    telegram_file_id: Mapped[str] = mapped_column(String(256))
    file_unique_id: Mapped[str] = mapped_column(String(64), index=True)
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    media_group_id: Mapped[str | None] = mapped_column(String(64))
    chat_id: Mapped[int] = mapped_column(BigInteger)
    message_id: Mapped[int] = mapped_column(BigInteger)
    content_type: Mapped[str | None] = mapped_column(String(16))
    blob_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("blob.id"))
    issues: Mapped[dict[str, Any]] = mapped_column(default=dict)
    metrics: Mapped[dict[str, Any]] = mapped_column(default=dict)
    # claims so far: the fencing number of the attempts and their files' names
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    # of those, the ones that found the blob store unavailable: not counted toward giving up
    store_waits: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    not_before: Mapped[datetime | None]  # a worker's lease, or the time of the next retry
    leased_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)  # a ProcessRecord
    last_error: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    stored_at: Mapped[datetime | None]
    deleted_at: Mapped[datetime | None]


class FingerprintBand(Base):
    """One 16-bit band of a stored document's fingerprint (`intake.photos` metrics): two
    pictures within 15 bits of each other share a band, so a possible duplicate is found by
    an indexed look-up and then compared whole."""

    __tablename__ = "fingerprint_band"
    __table_args__ = (Index(None, "commune_id", "band", "value"),)
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("document.id", ondelete="CASCADE"), primary_key=True
    )
    band: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"))
    value: Mapped[int] = mapped_column(Integer)


class Event(Base):
    """Review history and audit: append-only, each row hashing the previous one."""

    __tablename__ = "event"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor_kind: Mapped[ActorKind] = mapped_column(_state(ActorKind))
    actor_id: Mapped[str | None] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(40))
    commune_id: Mapped[int | None] = mapped_column(ForeignKey("commune.id"), index=True)
    submission_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("submission.id"), index=True
    )
    note: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    prev_hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))


class AuditHead(Base):
    """The single row holding the audit chain's head; locked while a transaction's events are
    chained to it, just before its commit (storage/repositories/audit.py). `keyed_at`: since
    when the chain is keyed; `seal`: the MAC of the head itself, so removing the newest events
    is detected."""

    __tablename__ = "audit_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_event_id: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[bytes] = mapped_column(LargeBinary(32))
    keyed_at: Mapped[datetime | None] = mapped_column(default=None)
    seal: Mapped[bytes | None] = mapped_column(LargeBinary(32), default=None)


class DatabaseIdentity(Base):
    """The single row naming this database (made by migration 0011): the blob store's
    owner marker holds its id, so that no two databases share a store (and sweep each other's
    files)."""

    __tablename__ = "database_identity"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    database_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConsentNotice(Base):
    """A privacy notice exactly as it was shown (rendered, in the language shown), stored once:
    consents refer to it by its SHA-256."""

    __tablename__ = "consent_notice"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[bytes] = mapped_column(LargeBinary(32), unique=True)
    version: Mapped[str] = mapped_column(String(16))
    language: Mapped[str] = mapped_column(String(2))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ConsentRecord(Base):
    """One consent given or withdrawn: the notice's version and hash, the channel, who recorded
    it and when. Append-only. A resident's own (`citizen_id`); one given in person for a
    household (`channel` in_person, `recorded_by_staff_id`) is the draft's, then the
    submission's it was given for. `notice_sha256` is None only for the withdrawal of a consent
    given before notices were kept."""

    __tablename__ = "consent_record"
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    kind: Mapped[ConsentKind] = mapped_column(_state(ConsentKind))
    channel: Mapped[ConsentChannel] = mapped_column(_state(ConsentChannel))
    version: Mapped[str] = mapped_column(String(16))
    notice_sha256: Mapped[bytes | None] = mapped_column(ForeignKey("consent_notice.sha256"))
    citizen_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("citizen.id"), index=True)
    draft_id: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)  # no FK: drafts go
    submission_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("submission.id"), index=True
    )
    recorded_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)


class DataRequest(Base):
    """A resident's data-subject request to a commune (a copy, a correction) and its legal
    clocks (intake/requests). The two due days are Vietnam dates computed at receipt and kept,
    so that a later change of the holiday table moves no clock already shown. The resident's
    words (`details_enc`) and the officer's answer (`note_enc`) are field ciphertexts;
    `reminders_sent` holds the officers' reminders already written (`Reminder` flags)."""

    __tablename__ = "data_request"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    citizen_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("citizen.id"), index=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    kind: Mapped[DataRequestKind] = mapped_column(_state(DataRequestKind))
    state: Mapped[DataRequestState] = mapped_column(_state(DataRequestState), index=True)
    details_enc: Mapped[bytes | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledge_by: Mapped[date]
    complete_by: Mapped[date]
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    completed_at: Mapped[datetime | None]
    completed_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    note_enc: Mapped[bytes | None]
    reminders_sent: Mapped[int] = mapped_column(Integer, default=0)


class Outbox(Base):
    """A message that must reach someone (receipt, staff notification, review decision)."""

    __tablename__ = "outbox"
    # (status, chat_id, id): the sender takes each chat's oldest unsent row
    __table_args__ = (Index(None, "status", "not_before"), Index(None, "status", "chat_id", "id"))
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(32))
    payload_enc: Mapped[bytes]
    status: Mapped[OutboxStatus] = mapped_column(_state(OutboxStatus))
    not_before: Mapped[datetime] = mapped_column(default=utcnow)
    leased_by: Mapped[uuid.UUID | None] = mapped_column(Uuid, index=True)  # a ProcessRecord
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    sent_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(String(200))


class ProcessRecord(Base):
    """A running bot process: its heartbeat tells the others it is alive. A process that stops
    beating (or stopped) is reaped by a live one, which takes over its leases."""

    __tablename__ = "process"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    mode: Mapped[ProcessMode] = mapped_column(_state(ProcessMode))
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime] = mapped_column(default=utcnow)
    stopped_at: Mapped[datetime | None]
    reaped_at: Mapped[datetime | None] = mapped_column(index=True)


class InboxUpdate(Base):
    """An update taken from Telegram by long polling and not yet handled: written before
    Telegram is told to forget it, crossed off once handled, handled again after a crash."""

    __tablename__ = "inbox"
    __table_args__ = (UniqueConstraint("bot_id", "update_id"),)
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    bot_id: Mapped[int] = mapped_column(BigInteger)
    update_id: Mapped[int] = mapped_column(BigInteger)
    payload_enc: Mapped[bytes]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class ProcessedUpdate(Base):
    """Telegram update ids already handled: a redelivered update is ignored."""

    __tablename__ = "processed_update"
    bot_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    processed_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class CommuneKey(Base):
    """A commune's age key: the public recipient and the passphrase-locked identity."""

    __tablename__ = "commune_key"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commune_id: Mapped[int] = mapped_column(ForeignKey("commune.id"), index=True)
    recipient: Mapped[str] = mapped_column(String(128), unique=True)
    identity_locked: Mapped[bytes]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[datetime | None]


class FieldKeyRecord(Base):
    """Which field keys exist and which is primary; the key bytes are never in the database."""

    __tablename__ = "field_key"
    key_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    is_primary: Mapped[bool] = mapped_column(Boolean, default=False)
    retired_at: Mapped[datetime | None]


# Every column holding a field ciphertext, per model: used by key rotation and by the tests.
ENCRYPTED_COLUMNS: dict[type[Base], tuple[str, ...]] = {
    Target: ("household_name_enc", "cccd_enc"),
    Draft: ("payload_enc",),
    Submission: ("holder_name_enc", "cccd_enc", "phone_enc", "certificate_serial_enc"),
    Outbox: ("payload_enc",),
    InboxUpdate: ("payload_enc",),
    DataRequest: ("details_enc", "note_enc"),
}
