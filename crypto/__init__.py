"""Protection of residents' data: documents sealed with age, fields encrypted with AES-256-GCM,
a blind index for equality lookups, and the audit chain's key. Imports nothing else of hoso.

Two purpose-named entry points cover the document side: `seal_document(data, recipients)` and
`open_document(sealed, identity)`; a `CommuneRecipients` can only name a commune's keys plus the
escrow key. Every failed open raises the one `CryptoError`.
"""

from crypto._audit import AuditKey
from crypto._blind import BlindIndex
from crypto._errors import CryptoError, KeyMaterialError
from crypto._fields import FieldCipher, FieldKey, Keyring
from crypto._identity import (
    MIN_PASSPHRASE_LENGTH,
    Identity,
    check_passphrase,
    create_identity,
    is_locked,
    load_identity,
    lock_identity,
    parse_recipient,
    unlock_identity,
)
from crypto._keyfiles import KeyFiles, read_secret_file, write_secret_file
from crypto._sealing import CommuneRecipients, open_document, seal_document

__all__ = [
    "MIN_PASSPHRASE_LENGTH",
    "AuditKey",
    "BlindIndex",
    "CommuneRecipients",
    "CryptoError",
    "FieldCipher",
    "FieldKey",
    "Identity",
    "KeyFiles",
    "KeyMaterialError",
    "Keyring",
    "check_passphrase",
    "create_identity",
    "is_locked",
    "load_identity",
    "lock_identity",
    "open_document",
    "parse_recipient",
    "read_secret_file",
    "seal_document",
    "unlock_identity",
    "write_secret_file",
]
