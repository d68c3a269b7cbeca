"""A stolen database file, blob directory or bucket reveals no name, ID number, phone or
photo."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

from PIL import Image
from sqlalchemy import text

from crypto import CommuneRecipients, create_identity, seal_document
from intake.admin import import_province
from intake.documents import SealedDocument, check_seal_and_store
from storage.blobs import S3BlobSpec
from storage.deps import Deps
from storage.models import Citizen, Submission, Target
from storage.states import CertificateStatus, Route, SubmissionState
from tests.fixtures.photos import document_photo
from tests.fixtures.rawscan import assert_nowhere, raw_blobs, raw_database
from tests.fixtures.s3 import S3Server, raw_objects

NAME = "Phạm Thị Hồng Nhung"
CCCD = "066190012345"
PHONE = "0912345678"
SERIAL = "DA 123456"


def photo(fmt: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, fmt)
    return out.getvalue()


async def test_raw_database_and_blobs_hold_no_plaintext(deps: Deps, tmp_path: Path) -> None:
    if deps.database.backend != "sqlite":
        import pytest

        pytest.skip("reads the SQLite file itself")
    await import_province(deps, "66")
    fields, blind = deps.fields, deps.blind
    async with deps.database.sessions.begin() as session:
        commune_id = (
            await session.execute(text("SELECT id FROM commune WHERE code = '24175'"))
        ).scalar_one()
        citizen = Citizen(telegram_user_id=5550001, language="vi")
        session.add(citizen)
        await session.flush()
        sid = uuid.uuid4()

        def enc(column: str, value: str, table: str = "submission", row: object = sid) -> bytes:
            return fields.encrypt(value, table=table, column=column, row=row)  # type: ignore[arg-type]

        session.add(
            Submission(
                id=sid,
                receipt_code="HP-7Q3K9",
                citizen_id=citizen.id,
                commune_id=commune_id,
                route=Route.CHOSEN,
                state=SubmissionState.SUBMITTED,
                whose="self",
                holder_name_enc=enc("holder_name_enc", NAME),
                cccd_enc=enc("cccd_enc", CCCD),
                cccd_index=blind.cccd(CCCD),
                phone_enc=enc("phone_enc", PHONE),
                certificate_status=CertificateStatus.HELD,
                certificate_serial_enc=enc("certificate_serial_enc", SERIAL),
            )
        )
        tid = uuid.uuid4()
        session.add(
            Target(
                id=tid,
                commune_id=commune_id,
                household_name_enc=enc("household_name_enc", NAME, "target", tid),
                cccd_enc=enc("cccd_enc", CCCD, "target", tid),
                cccd_index=blind.cccd(CCCD),
            )
        )
    recipients = CommuneRecipients(
        "24175", (create_identity().recipient,), create_identity().recipient
    )
    for fmt in ("JPEG", "PNG"):
        deps.blobs.write(seal_document(photo(fmt), recipients))
    await deps.database.close()  # flush the WAL into the main file too

    raw = raw_database(tmp_path / "hoso.db")
    blobs = raw_blobs(deps.blobs.root)
    assert b"HP-7Q3K9" in raw  # the check can see what is stored
    # digits long enough not to turn up by chance (a timestamp's microseconds held "0912" once)
    secrets = (NAME, CCCD, PHONE, SERIAL, "Phạm", "Nhung", "912345678", "190012345")
    assert_nowhere(secrets, raw, blobs)
    for magic in (b"\xff\xd8\xff", b"\x89PNG", b"JFIF", b"IHDR"):
        assert magic not in blobs


def planted_photo() -> bytes:
    """A real ID photo that carries the planted values in a JPEG comment."""
    image = Image.open(io.BytesIO(document_photo(3, card=True)))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=90, comment=f"{NAME} {CCCD} {PHONE} {SERIAL}".encode())
    return out.getvalue()


def test_the_bucket_holds_no_plaintext(s3_server: S3Server, s3_spec: S3BlobSpec) -> None:
    """Objects in the bucket (`HOSO_BLOB_URL`), read with another client as a thief of the
    bucket would: sealed as the worker processes seal them, nothing readable in any."""
    recipients = CommuneRecipients(
        "24175", (create_identity().recipient,), create_identity().recipient
    )
    photo = planted_photo()
    assert NAME.encode() in photo  # the check can see what was sent
    store = s3_spec.open()
    sealed = check_seal_and_store(photo, "cccd_front", recipients, s3_spec, store.new_name())
    assert isinstance(sealed, SealedDocument)
    store.write(seal_document(photo, recipients))  # and as written by anything else

    objects = {
        key: data for key, data in raw_objects(s3_server).items() if key.startswith(s3_spec.prefix)
    }
    assert len(objects) == 2
    secrets = (NAME, CCCD, PHONE, SERIAL, "Phạm", "Nhung", "912345678", "190012345")
    assert_nowhere(secrets, *objects.values(), "\n".join(objects).encode())
    for data in objects.values():
        for magic in (b"\xff\xd8\xff", b"JFIF", b"Exif"):
            assert magic not in data
