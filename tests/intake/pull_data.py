"""Submissions with sealed documents, written straight into the database for the pull tests."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

from sqlalchemy import select

from crypto import CommuneRecipients, seal_document
from intake.deps import Deps
from intake.imports import import_villages
from intake.keys import recipients_for_commune
from storage.models import Blob, Citizen, Commune, Document, Submission, Village
from storage.states import CertificateStatus, DocumentStatus, Route, SubmissionState

COMMUNE = "24175"  # Xã Hòa Phú, Đắk Lắk
OTHER_COMMUNE = "24490"
VILLAGES_CSV = (
    "commune_code,village_name,village_code\n"
    "24175,Thôn Hòa Bình,HP-01\n"
    "24175,Buôn Ea Kmát,HP-02\n"
    "24490,Thôn Đoàn Kết,OT-01\n"
).encode()


def jpeg(tag: str) -> bytes:
    """Bytes that start like a JPEG and differ per tag (the pull never decodes them)."""
    return b"\xff\xd8\xff\xe0" + tag.encode() + secrets.token_bytes(64)


@dataclass
class Doc:
    slot: str
    data: bytes | None
    content_type: str | None = "jpeg"
    status: DocumentStatus = DocumentStatus.STORED
    issues: dict[str, object] = field(default_factory=dict)


async def add_villages(deps: Deps) -> None:
    await import_villages(deps, VILLAGES_CSV, province_code="66")


async def add_submission(
    deps: Deps,
    receipt: str,
    documents: list[Doc],
    *,
    commune: str = COMMUNE,
    village: str | None = "HP-01",
    holder: str = "Nguyễn Thị Hoà",
    cccd: str = "066190012345",
    phone: str | None = "0912345678",
    serial: str | None = "CS 123456",
    submitted_at: datetime | None = None,
    recipients: CommuneRecipients | None = None,
) -> uuid.UUID:
    """A submission of `commune` with `documents` sealed to the commune's recipients."""
    async with deps.database.sessions() as session:
        commune_row = await session.scalar(select(Commune).where(Commune.code == commune))
        assert commune_row is not None
        village_id = None
        if village is not None:
            village_id = await session.scalar(select(Village.id).where(Village.code == village))
    if recipients is None and any(d.data is not None for d in documents):
        recipients = await recipients_for_commune(deps, commune_row.id)
    submitted = submitted_at or datetime.now(UTC)
    submission_id = uuid.uuid4()

    def enc(value: str | None, column: str) -> bytes | None:
        if value is None:
            return None
        return deps.fields.encrypt(value, table="submission", column=column, row=submission_id)

    async with deps.database.sessions.begin() as session:
        citizen = Citizen(telegram_user_id=secrets.randbelow(10**12))
        session.add(citizen)
        await session.flush()
        session.add(
            Submission(
                id=submission_id,
                receipt_code=receipt,
                citizen_id=citizen.id,
                commune_id=commune_row.id,
                village_id=village_id,
                route=Route.CHOSEN if village else Route.TRIAGE,
                state=SubmissionState.SUBMITTED,
                whose="self",
                holder_name_enc=enc(holder, "holder_name_enc"),
                cccd_enc=enc(cccd, "cccd_enc"),
                cccd_index=deps.blind.cccd(cccd),
                phone_enc=enc(phone, "phone_enc"),
                certificate_status=CertificateStatus.HELD,
                certificate_serial_enc=enc(serial, "certificate_serial_enc"),
                map_sheet="12",
                parcel_no="345",
                created_at=submitted,
                submitted_at=submitted,
                updated_at=submitted,
            )
        )
        await session.flush()
        for number, doc in enumerate(documents):
            blob_id = None
            if doc.data is not None:
                assert recipients is not None
                stored = deps.blobs.write(seal_document(doc.data, recipients))
                blob = Blob(name=stored.name, size=stored.size, sha256=stored.sha256)
                session.add(blob)
                await session.flush()
                blob_id = blob.id
            session.add(
                Document(
                    submission_id=submission_id,
                    commune_id=commune_row.id,
                    slot=doc.slot,
                    status=doc.status,
                    telegram_file_id=f"file-{receipt}-{number}",
                    file_unique_id=f"u-{receipt}-{number}",
                    chat_id=1,
                    message_id=number,
                    content_type=doc.content_type,
                    blob_id=blob_id,
                    issues=doc.issues,
                    metrics={"blur": 123.4} if doc.data is not None else {},
                    created_at=submitted,
                    stored_at=submitted if doc.data is not None else None,
                )
            )
    return submission_id
