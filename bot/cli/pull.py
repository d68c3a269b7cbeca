"""`hoso pull`: the officer takes a commune's submissions home, opened or sealed."""

from __future__ import annotations

import re
import sys
from datetime import date
from pathlib import Path

import click

from bot.cli._common import fail, run_use_case, settings_from_env
from bot.wiring import open_deps
from crypto import CryptoError, Identity, KeyMaterialError, is_locked, load_identity
from intake.admin import (
    CSV_FILE,
    MissingKey,
    PullFolder,
    plan_pull,
    pull_into_folder,
    unlock_commune_key,
)
from intake.exports import SubmissionRecord
from storage.deps import Deps

__all__ = ["pull"]

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def _parse_day(text: str) -> date:
    try:
        if _DAY.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:
        pass
    fail(f"--since {text!r} is not a date: write it as YYYY-MM-DD, e.g. 2025-03-01")
    raise AssertionError("unreachable")


def _read_identity(path: Path) -> Identity:
    try:
        data = path.read_bytes()
    except OSError as exc:
        fail(f"cannot read the identity file {path} ({exc.strerror})")
        raise
    passphrase = None
    if is_locked(data):
        passphrase = click.prompt(
            f"Passphrase of {path.name}", hide_input=True, err=True, prompt_suffix=": "
        )
    try:
        return load_identity(data, passphrase)
    except CryptoError:
        fail(f"the passphrase does not unlock the identity file {path}")
    except KeyMaterialError as exc:
        fail(f"the identity file {path} cannot be used: {exc}")
    raise AssertionError("unreachable")


_PASSPHRASE_TRIES = 3


async def _unlock_stored_key(deps: Deps, commune_code: str) -> Identity:
    """The commune's key as the console unlocks it: the passphrase-locked copy kept in the
    database, opened with the passphrase asked here (three tries)."""
    for _ in range(_PASSPHRASE_TRIES):
        passphrase = click.prompt(
            f"Passphrase of commune {commune_code}'s key", hide_input=True, err=True
        )
        try:
            return await unlock_commune_key(deps, commune_code, passphrase)
        except MissingKey:
            fail(
                f"commune {commune_code} keeps no passphrase-locked key here: give --identity"
                " FILE (the commune's key file), or --sealed to pull sealed files"
            )
        except CryptoError:
            click.echo("that passphrase does not unlock the key", err=True)
    fail(f"{_PASSPHRASE_TRIES} wrong passphrases: nothing was pulled")
    raise AssertionError("unreachable")


def _show(record: SubmissionRecord | None) -> str | None:
    return record.receipt_code if record else None


@click.command()
@click.option("--commune", "commune_code", required=True, help="official commune code")
@click.option(
    "--identity",
    "identity_file",
    type=click.Path(path_type=Path),
    help="the commune's age identity file, plain or passphrase-locked (not with --sealed);"
    " without it, the passphrase of the commune's key kept on the server is asked",
)
@click.option("--since", help="only submissions from this day on (YYYY-MM-DD, Vietnam time)")
@click.option("--village", "village_code", help="only this village (its code)")
@click.option(
    "--out", "out_dir", required=True, type=click.Path(path_type=Path), help="folder to pull into"
)
@click.option("--sealed", is_flag=True, help="write the sealed .age files; needs no identity")
@run_use_case
async def pull(
    *,
    commune_code: str,
    identity_file: Path | None,
    since: str | None,
    village_code: str | None,
    out_dir: Path,
    sealed: bool,
) -> None:
    """Take a commune's submissions home: a folder per submission and submissions.csv.

    Each folder ("HP-XXXXX – household name") holds the current documents (opened with the
    commune's key, or with --sealed the .age files that `age -d -i IDENTITY` opens) and
    submission.json; submissions.csv has Vietnamese headers and values, times in Vietnam time.
    Without --identity or --sealed, the passphrase of the commune's key is asked, as in the web
    console. Run it again to fetch what is new or changed; an interrupted pull finishes the rest.

    \b
    Examples:
      hoso pull --commune 24175 --out ~/hoso --since 2025-03-01
      hoso pull --commune 24175 --identity hoa-phu.key --out ~/hoso
    """
    since_day = _parse_day(since) if since is not None else None
    if sealed and identity_file is not None:
        fail("--sealed pulls the sealed files and needs no --identity: give one or the other")
    settings = settings_from_env()
    async with open_deps(settings) as deps:
        plan = await plan_pull(deps, commune_code, village_code=village_code, since=since_day)
        if sealed:
            identity = None
        elif identity_file is not None:
            identity = _read_identity(identity_file)
        else:
            identity = await _unlock_stored_key(deps, plan.commune_code)
        folder = PullFolder(out_dir)
        try:
            folder.prepare()
        except OSError as exc:
            fail(f"cannot write to {out_dir} ({exc.strerror})")
        try:
            with click.progressbar(
                length=len(plan.submissions),
                label="pulling",
                file=sys.stderr,
                item_show_func=_show,
            ) as bar:
                result = await pull_into_folder(
                    deps, plan, folder, identity, progress=lambda record: bar.update(1, record)
                )
        except OSError as exc:
            fail(f"{exc.filename}: {exc.strerror}; finished folders are kept, run the pull again")
            raise
    click.echo(
        f"{result.pulled} submission(s) pulled, {result.skipped} already up to date,"
        f" into {out_dir}"
    )
    if result.problems:
        click.echo(
            f"{result.problems} document(s) missing, damaged or unavailable (the blob store "
            "could not be reached: pull again later): see 'problem' in submission.json"
        )
    click.echo(f"{CSV_FILE}: {result.csv_rows} submission(s)")
