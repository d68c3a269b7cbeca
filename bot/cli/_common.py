"""What every command shares: settings from the environment, running a use case, and turning
known failures into one clear sentence and a non-zero exit code (never a traceback)."""

from __future__ import annotations

import asyncio
import functools
import socket
from collections.abc import Callable, Coroutine
from typing import Any, ParamSpec, TypeVar

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

from bot.config import ConfigError, Settings, load_settings
from crypto import CryptoError, KeyMaterialError
from intake.admin import (
    EscrowExists,
    ImportRefused,
    MissingKey,
    UnknownCommune,
    UnknownProvince,
    UnknownVillage,
)
from intake.exports import IdentityMismatch
from intake.processes import StartRefused
from intake.staff import StaffSetupError
from storage.blobs import BlobStoreOwned, BlobStoreUnavailable
from storage.db import DatabaseUrlError, SchemaAhead

__all__ = ["fail", "run_use_case", "settings_from_env"]

P = ParamSpec("P")
T = TypeVar("T")

_CLEAR_ERRORS = (
    ConfigError,
    KeyMaterialError,
    CryptoError,
    UnknownProvince,
    UnknownCommune,
    UnknownVillage,
    IdentityMismatch,
    MissingKey,
    EscrowExists,
    DatabaseUrlError,
    StaffSetupError,
    BlobStoreUnavailable,
    BlobStoreOwned,
    StartRefused,
    SchemaAhead,
)


def fail(message: str) -> None:
    click.echo(f"error: {message}", err=True)
    raise SystemExit(1)


def settings_from_env() -> Settings:
    try:
        return load_settings()
    except ConfigError as exc:
        fail(str(exc))
        raise  # unreachable: fail() exits


def _safe_url(settings: Settings) -> str:
    try:
        return make_url(settings.effective_database_url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return "the configured database"


def run_use_case(
    func: Callable[P, Coroutine[Any, Any, T]],
) -> Callable[P, T]:
    """Run an async command body; map expected failures to a message and exit code 1."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> T:
        try:
            return asyncio.run(func(*args, **kwargs))
        except ImportRefused as exc:
            for problem in exc.problems:
                click.echo(f"  {problem}", err=True)
            fail(f"the file was refused: {exc}")
        except _CLEAR_ERRORS as exc:
            fail(str(exc))
        except (OperationalError, ConnectionError, socket.gaierror) as exc:
            reason = exc.orig if isinstance(exc, OperationalError) else exc
            fail(
                f"cannot use the database at {_safe_url(load_settings())} "
                f"({type(reason).__name__}); check HOSO_DATABASE_URL and that the server runs"
            )
        except SQLAlchemyError as exc:
            fail(f"database error ({type(exc).__name__}); nothing was changed")
        except PermissionError as exc:
            fail(
                f"permission denied: {exc.filename}; run as the user that owns the data directory"
            )
        raise AssertionError("unreachable")

    return wrapper
