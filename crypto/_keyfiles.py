"""Key files in the data directory: written 0600 and atomically, refused when readable by others.

The server's own secrets are the field keyring, the blind-index key and the audit chain's key.
Each may instead come from the environment (`HOSO_FIELD_KEYS`, `HOSO_BLIND_INDEX_KEY`,
`HOSO_AUDIT_KEY`), in which case no file is needed.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import os
import stat
from pathlib import Path

from crypto._audit import AuditKey
from crypto._blind import BlindIndex
from crypto._errors import KeyMaterialError
from crypto._fields import Keyring

__all__ = ["KeyFiles", "read_secret_file", "write_secret_file"]


def write_secret_file(path: Path, data: bytes, *, overwrite: bool = False) -> None:
    """Write `data` to `path` with mode 0600: temp file, fsync, rename, directory fsync."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    if path.exists() and not overwrite:
        raise KeyMaterialError(f"{path} already exists; refusing to overwrite a key")
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def read_secret_file(path: Path) -> bytes:
    """Read a key file, refusing one that other users could read."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise KeyMaterialError(f"key file {path} is missing: run `hoso init`") from None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyMaterialError(f"key file {path} is readable by others: run `chmod 600 {path}`")
    try:
        return path.read_bytes()
    except OSError as exc:
        raise KeyMaterialError(f"key file {path} cannot be read ({exc.strerror})") from None


class KeyFiles:
    """The server's secret keys in `<data dir>/keys/`, or from the environment."""

    FIELD_KEYRING = "field-keys"
    BLIND_INDEX = "blind-index.key"
    AUDIT_CHAIN = "audit-chain.key"
    # written once the audit chain is keyed under the audit key: never key a chain again
    AUDIT_CHAIN_KEYED = "audit-chain.keyed"

    def __init__(
        self,
        directory: Path,
        *,
        field_keys_env: str | None = None,
        blind_index_env: str | None = None,
        audit_key_env: str | None = None,
    ) -> None:
        self.directory = directory
        self._field_keys_env = field_keys_env
        self._blind_index_env = blind_index_env
        self._audit_key_env = audit_key_env

    def __repr__(self) -> str:
        return f"KeyFiles({str(self.directory)!r})"

    @property
    def keyring_from_env(self) -> bool:
        return self._field_keys_env is not None

    def create_missing(self) -> list[str]:
        """Generate whichever server keys do not exist yet; returns what was created."""
        created = []
        if self._field_keys_env is None and not (self.directory / self.FIELD_KEYRING).exists():
            write_secret_file(
                self.directory / self.FIELD_KEYRING, Keyring.generate().to_text().encode()
            )
            created.append(self.FIELD_KEYRING)
        if self._blind_index_env is None and not (self.directory / self.BLIND_INDEX).exists():
            key = base64.urlsafe_b64encode(BlindIndex.generate_key()) + b"\n"
            write_secret_file(self.directory / self.BLIND_INDEX, key)
            created.append(self.BLIND_INDEX)
        if self._audit_key_env is None and not (self.directory / self.AUDIT_CHAIN).exists():
            key = base64.urlsafe_b64encode(AuditKey.generate_key()) + b"\n"
            write_secret_file(self.directory / self.AUDIT_CHAIN, key)
            created.append(self.AUDIT_CHAIN)
        return created

    def keyring(self) -> Keyring:
        if self._field_keys_env is not None:
            return Keyring.from_text(self._field_keys_env)
        raw = read_secret_file(self.directory / self.FIELD_KEYRING)
        try:
            return Keyring.from_text(raw.decode())
        except UnicodeDecodeError:
            raise KeyMaterialError("the field keyring file is damaged") from None

    def save_keyring(self, keyring: Keyring) -> None:
        if self._field_keys_env is not None:
            raise KeyMaterialError(
                "the field keys come from HOSO_FIELD_KEYS: rotate them where that variable is set"
            )
        write_secret_file(
            self.directory / self.FIELD_KEYRING, keyring.to_text().encode(), overwrite=True
        )

    def blind_index(self) -> BlindIndex:
        return BlindIndex(self._key_bytes(self._blind_index_env, self.BLIND_INDEX, "blind-index"))

    @property
    def audit_chain_keyed(self) -> bool:
        """Whether this data directory's audit chain was keyed under its audit key (a chain
        found unkeyed after that was rewritten, and is reported, never keyed again)."""
        return (self.directory / self.AUDIT_CHAIN_KEYED).exists()

    def mark_audit_chain_keyed(self) -> None:
        if not self.audit_chain_keyed:
            write_secret_file(self.directory / self.AUDIT_CHAIN_KEYED, b"keyed\n")

    def audit_key(self) -> AuditKey:
        return AuditKey(self._key_bytes(self._audit_key_env, self.AUDIT_CHAIN, "audit"))

    def _key_bytes(self, from_env: str | None, file_name: str, what: str) -> bytes:
        encoded = (
            from_env.encode()
            if from_env is not None
            else read_secret_file(self.directory / file_name)
        )
        try:
            return base64.urlsafe_b64decode(encoded.strip())
        except (binascii.Error, ValueError):
            raise KeyMaterialError(f"the {what} key is malformed (expected base64)") from None
