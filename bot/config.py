"""Configuration: `HOSO_*` environment variables and an optional `.env`, validated at start.

Secrets are `SecretStr`: they never appear in repr, logs or error messages. A bad value stops
the program with one sentence naming the variable (see `ConfigError`).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from storage.blobs import (
    S3_WRITE_BUDGET_SECONDS,
    BlobSpec,
    LocalBlobSpec,
    S3BlobSpec,
    parse_blob_url,
)

__all__ = ["ConfigError", "Settings", "load_settings"]


class ConfigError(Exception):
    """The configuration cannot be used; the message names the variable and the fix."""


class Settings(BaseSettings):
    """Everything hoso reads from its environment."""

    model_config = SettingsConfigDict(
        env_prefix="HOSO_", env_file=".env", env_file_encoding="utf-8", extra="ignore"
    )

    data_dir: Path = Field(default=Path("var"), description="database, blobs and key files")
    database_url: str | None = Field(
        default=None, description="default: SQLite file hoso.db in the data directory"
    )
    province: str | None = Field(
        default=None, description="official code of the province this installation serves"
    )
    telegram_token: SecretStr | None = None
    telegram_api_url: str | None = Field(
        default=None, description="another Bot API server (the simulator, a local server)"
    )
    webhook_url: str | None = None
    public_url: str | None = Field(
        default=None,
        description="where staff open the web console (https in production); default: the "
        "webhook's address, else http://listen_host:listen_port",
    )
    listen_host: str = "127.0.0.1"
    listen_port: int = Field(default=8080, ge=0, le=65535)
    field_keys: SecretStr | None = Field(
        default=None, description="field keyring instead of a file"
    )
    blind_index_key: SecretStr | None = Field(
        default=None, description="blind-index key (base64) instead of a file"
    )
    audit_key: SecretStr | None = Field(
        default=None, description="the audit chain's key (base64) instead of a file"
    )
    rate_limit: bool = Field(
        default=True, description="pace outgoing messages at Telegram's limits (off: benchmarks)"
    )
    retention_days: int = Field(default=90, ge=1, le=3650)
    report_hour: int = Field(
        default=17, ge=0, le=23, description="hour (Vietnam time) of the officers' daily report"
    )
    digest_hour: int = Field(
        default=18, ge=0, le=23, description="hour (Vietnam time) of the chiefs' daily digest"
    )
    outbox_give_up_hours: float = Field(
        default=24.0, gt=0, le=24 * 14, description="a notification not sent by then fails"
    )
    photo_processes: int = Field(
        default=0,
        ge=0,
        le=64,
        description="worker processes checking and sealing photos (0: one per core but one)",
    )
    process_timeout: float = Field(
        default=15.0,
        ge=1.0,
        le=600.0,
        description="seconds without a heartbeat after which a bot process is taken for dead",
    )
    document_lease_seconds: float = Field(
        default=30.0,
        ge=2.0,
        le=3600.0,
        description="seconds a process holds a document it checks before another may take it",
    )
    outbox_lease_seconds: float = Field(
        default=300.0,
        ge=10.0,
        le=3600.0,
        description="seconds a process holds a message it sends before another may take it "
        "(longer than a sending pass, about 5 s, and a 429's wait)",
    )
    metrics_token: SecretStr | None = Field(
        default=None,
        description="bearer token `/metrics` asks for; unset: it answers only to loopback and "
        "private-network clients that come straight in, not through a proxy",
    )
    blob_url: str | None = Field(
        default=None,
        description="s3://bucket/prefix: sealed files in an S3-compatible bucket instead of "
        "the data directory's blobs/ folder",
    )
    s3_endpoint: str | None = Field(
        default=None, description="the object store's address, e.g. http://127.0.0.1:9000"
    )
    s3_region: str = "us-east-1"
    s3_access_key_id: SecretStr | None = None
    s3_secret_access_key: SecretStr | None = None
    bot_username: str | None = Field(
        default=None, description="the bot's @username, for invitation links made by the CLI"
    )
    delete_resident_photos: bool = True
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["json", "text"] = "json"

    @field_validator("province")
    @classmethod
    def _province_code(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        if not value.isdigit() or len(value) > 3:
            raise ValueError("must be the province's official numeric code, e.g. 66")
        return f"{int(value):02d}"

    @field_validator("blob_url")
    @classmethod
    def _blob_url(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        bucket, prefix = parse_blob_url(value)
        return f"s3://{bucket}/{prefix}" if prefix else f"s3://{bucket}"

    @field_validator("s3_endpoint")
    @classmethod
    def _s3_endpoint(cls, value: str | None) -> str | None:
        if value is None or value == "":
            return None
        parts = urlsplit(value)
        if parts.scheme not in {"http", "https"} or not parts.hostname or parts.username:
            raise ValueError("must be http(s)://host[:port], without credentials")
        return value.rstrip("/")

    @model_validator(mode="after")
    def _object_store(self) -> Settings:
        if (self.s3_access_key_id is None) != (self.s3_secret_access_key is None):
            raise ValueError(
                "HOSO_S3_ACCESS_KEY_ID and HOSO_S3_SECRET_ACCESS_KEY: set both, or neither "
                "(then the AWS_* variables or an instance role are used)"
            )
        if self.blob_url is not None and self.document_lease_seconds <= S3_WRITE_BUDGET_SECONDS:
            raise ValueError(
                f"HOSO_DOCUMENT_LEASE_SECONDS: must be longer than {S3_WRITE_BUDGET_SECONDS:g} "
                "seconds with HOSO_BLOB_URL, the longest an object store's write may take"
            )
        return self

    @property
    def blob_spec(self) -> BlobSpec:
        """Where the sealed files go: the bucket of HOSO_BLOB_URL, else the local folder."""
        if self.blob_url is None:
            return LocalBlobSpec(str(self.blobs_dir.resolve()))
        bucket, prefix = parse_blob_url(self.blob_url)
        key_id, secret = self.s3_access_key_id, self.s3_secret_access_key
        return S3BlobSpec(
            bucket,
            prefix,
            endpoint=self.s3_endpoint,
            region=self.s3_region,
            access_key_id=key_id.get_secret_value() if key_id else None,
            secret_access_key=secret.get_secret_value() if secret else None,
        )

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite+aiosqlite:///{self.data_dir.resolve() / 'hoso.db'}"

    @property
    def keys_dir(self) -> Path:
        return self.data_dir / "keys"

    @property
    def blobs_dir(self) -> Path:
        return self.data_dir / "blobs"

    def ensure_data_dir(self) -> None:
        """Create the data directory and prove it is writable."""
        try:
            self.data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
            probe = self.data_dir / f".probe-{secrets.token_hex(4)}"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise ConfigError(
                f"HOSO_DATA_DIR={self.data_dir} cannot be written ({exc.strerror}): "
                "choose a directory this user may write to"
            ) from None


def load_settings(**overrides: object) -> Settings:
    """Read and validate the environment; a bad variable raises ConfigError naming it."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            if not error["loc"]:  # a rule over several variables: its message names them
                problems.append(error["msg"].removeprefix("Value error, "))
                continue
            name = "HOSO_" + "_".join(str(part) for part in error["loc"]).upper()
            problems.append(f"{name}: {error['msg']}")
        raise ConfigError("bad configuration — " + "; ".join(problems)) from None
