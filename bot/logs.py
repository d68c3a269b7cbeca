"""Structured logging: one line per event (JSON by default), secrets redacted everywhere, and
nothing a resident sent at any level.

The redaction runs on the final formatted line, so a token inside a PTB URL
(`…/bot<token>/getUpdates`), an exception text or a traceback is caught as well.

`HOSO_LOG_LEVEL` is the level of hoso's own loggers, which log ids, counts and reasons, never
a name, a number or a file id. The libraries' loggers stay at INFO or above whatever it says:
at DEBUG, PTB writes whole updates and every request's parameters (names, CCCD numbers,
phones, serials), and SQLAlchemy every statement's parameters; those are a debugger's job, not
a log's. (SQLAlchemy's errors leave their parameters out too: `storage/db.py`.)
"""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime

__all__ = ["configure_logging", "redact"]

_TOKEN_PATTERN = re.compile(r"\b\d{6,12}:[A-Za-z0-9_-]{30,}")
_STANDARD = set(logging.LogRecord("", 0, "", 0, "", None, None).__dict__) | {"message", "asctime"}


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    for secret in secrets:
        if secret:
            text = text.replace(secret, "[REDACTED]")
    return _TOKEN_PATTERN.sub("[REDACTED]", text)


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": record.getMessage(),
        }
        entry.update(
            {key: value for key, value in record.__dict__.items() if key not in _STANDARD}
        )
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        extras = " ".join(
            f"{key}={value}" for key, value in record.__dict__.items() if key not in _STANDARD
        )
        line = super().format(record)
        return f"{line} {extras}" if extras else line


class _Redacting(logging.Formatter):
    def __init__(self, inner: logging.Formatter, secrets: list[str]) -> None:
        super().__init__()
        self._inner = inner
        self._secrets = secrets

    def format(self, record: logging.LogRecord) -> str:
        return redact(self._inner.format(record), self._secrets)


def configure_logging(level: str, fmt: str, secrets: Iterable[str] = ()) -> None:
    """Route all logging to stderr through the redacting formatter."""
    inner: logging.Formatter = (
        _JsonFormatter()
        if fmt == "json"
        else _TextFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s")
    )
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_Redacting(inner, [s for s in secrets if s]))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    ours = logging.getLevelName(level)
    root.setLevel(max(ours, logging.INFO))  # the libraries: never their DEBUG (module doc)
    logging.getLogger("hoso").setLevel(ours)
    for quiet in ("httpx", "aiohttp.access", "sqlalchemy"):  # request lines, SQL echo
        logging.getLogger(quiet).setLevel(logging.WARNING)
