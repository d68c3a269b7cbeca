"""Keys the database knows of: commune keys (the public recipient and the passphrase-locked
identity), the province's escrow recipient, and which field keys exist and which is primary
(the key bytes are never in the database). Re-encrypting every field under a new key is a walk
over `ENCRYPTED_COLUMNS`, batch by batch."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from crypto import CommuneRecipients, FieldCipher
from storage.models import ENCRYPTED_COLUMNS, Base, Commune, CommuneKey, FieldKeyRecord, Province

__all__ = [
    "MissingKey",
    "add_commune_key",
    "commune_recipients",
    "newest_locked_identity",
    "primary_field_key",
    "recipients_for_commune",
    "record_field_keys",
    "reencrypt_batch",
]


class MissingKey(LookupError):
    """A commune or province lacks the key an operation needs; says which command adds it."""


async def commune_recipients(session: AsyncSession, commune_id: int) -> list[str]:
    """The commune's active keys' recipients, oldest first."""
    rows = await session.scalars(
        select(CommuneKey.recipient)
        .where(CommuneKey.commune_id == commune_id, CommuneKey.retired_at.is_(None))
        .order_by(CommuneKey.id)
    )
    return list(rows)


async def recipients_for_commune(session: AsyncSession, commune_id: int) -> CommuneRecipients:
    """Who may open this commune's documents: its active keys and the province escrow."""
    commune = await session.get(Commune, commune_id)
    if commune is None:
        raise MissingKey("unknown commune")
    province = await session.get(Province, commune.province_id)
    escrow = province.escrow_recipient if province else None
    if not escrow:
        raise MissingKey("the province has no escrow key: run `hoso keys create-escrow`")
    recipients = await commune_recipients(session, commune_id)
    if not recipients:
        raise MissingKey(
            f"commune {commune.code} has no key: run `hoso keys create-commune "
            f"--commune {commune.code}`"
        )
    return CommuneRecipients(commune.code, tuple(recipients), escrow)


async def add_commune_key(
    session: AsyncSession, commune_id: int, recipient: str, identity_locked: bytes
) -> None:
    session.add(
        CommuneKey(commune_id=commune_id, recipient=recipient, identity_locked=identity_locked)
    )


async def newest_locked_identity(session: AsyncSession, commune_id: int) -> bytes | None:
    """The passphrase-locked identity of the commune's newest active key."""
    return await session.scalar(
        select(CommuneKey.identity_locked)
        .where(CommuneKey.commune_id == commune_id, CommuneKey.retired_at.is_(None))
        .order_by(CommuneKey.id.desc())
        .limit(1)
    )


async def primary_field_key(session: AsyncSession) -> FieldKeyRecord | None:
    return await session.scalar(select(FieldKeyRecord).where(FieldKeyRecord.is_primary))


async def record_field_keys(session: AsyncSession, key_ids: Sequence[int], primary: int) -> None:
    """Make the `field_key` table list these key ids, `primary` marked."""
    known = {row.key_id for row in await session.scalars(select(FieldKeyRecord))}
    for key_id in key_ids:
        if key_id not in known:
            session.add(FieldKeyRecord(key_id=key_id, is_primary=False))
    await session.flush()
    await session.execute(
        update(FieldKeyRecord).values(is_primary=FieldKeyRecord.key_id == primary)
    )


async def reencrypt_batch(
    session: AsyncSession, cipher: FieldCipher, model: type[Base], after: Any, batch: int
) -> tuple[int, Any, int]:
    """Re-encrypt under the primary key the fields of up to `batch` rows of `model` whose key
    comes after `after` (None: from the start); returns (rows read, the last key, fields
    re-encrypted)."""
    table = model.__tablename__
    key_column = model.__mapper__.primary_key[0]
    query = select(model).order_by(key_column).limit(batch)
    if after is not None:
        query = query.where(key_column > after)
    rows = list(await session.scalars(query))
    done = 0
    for row in rows:
        row_id = getattr(row, key_column.name)
        for column in ENCRYPTED_COLUMNS[model]:
            value = getattr(row, column)
            if value is not None and cipher.needs_rotation(value):
                setattr(
                    row, column, cipher.reencrypt(value, table=table, column=column, row=row_id)
                )
                done += 1
    last = getattr(rows[-1], key_column.name) if rows else after
    return len(rows), last, done
