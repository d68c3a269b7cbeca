"""`hoso staff invite|list|revoke` as an administrator uses them, including bad input."""

from __future__ import annotations

import asyncio
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from bot.cli import main
from bot.config import load_settings
from bot.wiring import open_deps
from intake.staff import redeem_invite

START_LINE = re.compile(r"^or type to the bot: /start i([A-Za-z0-9_-]{24})$", re.MULTILINE)


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # no stray .env from the developer's directory
    for name in (
        "HOSO_DATABASE_URL",
        "HOSO_PROVINCE",
        "HOSO_FIELD_KEYS",
        "HOSO_BLIND_INDEX_KEY",
        "HOSO_BOT_USERNAME",
    ):
        monkeypatch.delenv(name, raising=False)
    return {"HOSO_DATA_DIR": str(tmp_path / "var")}


def run(env: dict[str, str], *args: str) -> Result:
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def province(env: dict[str, str], tmp_path: Path) -> dict[str, str]:
    """Đắk Lắk imported, with two villages in Hòa Phú (24175-01, 24175-02)."""
    assert run(env, "init").exit_code == 0
    assert run(env, "units", "import", "--province", "66").exit_code == 0
    villages = tmp_path / "villages.csv"
    villages.write_text("commune_code,village_name\n24175,Thôn 1\n24175,Thôn 2\n")
    assert run(env, "villages", "import", str(villages)).exit_code == 0
    return env


def invite_token(result: Result) -> str:
    assert result.exit_code == 0, result.output
    found = START_LINE.search(result.output)
    assert found, result.output
    return found.group(1)


def redeem(env: dict[str, str], token: str, telegram_user_id: int) -> int:
    """What the bot does when someone opens the link: returns the new staff id."""

    async def go() -> int:
        settings = load_settings(data_dir=Path(env["HOSO_DATA_DIR"]))
        async with open_deps(settings) as deps, deps.database.sessions.begin() as session:
            staff = await redeem_invite(
                session, token, telegram_user_id=telegram_user_id, language="vi"
            )
            return staff.id

    return asyncio.run(go())


def one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    [line] = result.output.splitlines()
    return line


def test_invite_an_officer_prints_the_start_line_and_the_link(province: dict[str, str]) -> None:
    result = run(
        province,
        "staff",
        "invite",
        "--role",
        "officer",
        "--commune",
        "24175",
        "--bot-username",
        "@hoso_test_bot",
    )
    token = invite_token(result)
    lines = result.output.splitlines()
    assert lines[0] == "invitation: officer — Xã Hòa Phú"
    assert lines[1].startswith("expires:    ")
    assert lines[1].endswith("(Vietnam)")
    assert f"link:       https://t.me/hoso_test_bot?start=i{token}" in lines
    assert lines[-1] == f"or type to the bot: /start i{token}"


def test_invite_without_a_bot_username_still_gives_the_start_line(
    province: dict[str, str],
) -> None:
    result = run(province, "staff", "invite", "--role", "chief", "--village", "24175-02")
    invite_token(result)
    assert "invitation: chief — Thôn 2" in result.output
    assert "https://t.me/" not in result.output
    assert "set HOSO_BOT_USERNAME or --bot-username" in result.output
    named = run(
        {**province, "HOSO_BOT_USERNAME": "hoso_env_bot"},
        *("staff", "invite", "--role", "chief", "--village", "24175-01"),
    )
    assert f"https://t.me/hoso_env_bot?start=i{invite_token(named)}" in named.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--role", "chief", "--commune", "24175"],
            "error: a chief's invitation needs --village CODE",
        ),
        (["--role", "officer", "--commune", "99999"], "error: no commune with code 99999"),
        (["--role", "chief", "--village", "24175-77"], "error: no village with code 24175-77"),
        (["--role", "officer"], "error: name the place: --commune CODE (officer), --village"),
        (["--role", "admin", "--province", "99"], "error: "),  # fails cleanly, whatever it says
    ],
)
def test_invitations_that_cannot_be_made(
    province: dict[str, str], args: list[str], message: str
) -> None:
    assert one_error_line(run(province, "staff", "invite", *args)).startswith(message)


def test_list_redeem_revoke(province: dict[str, str]) -> None:
    empty = run(province, "staff", "list", "--province", "66")
    assert empty.exit_code == 0
    assert empty.output.startswith("no staff yet")
    token = invite_token(
        run(province, "staff", "invite", "--role", "officer", "--commune", "24175")
    )
    staff_id = redeem(province, token, 7001)
    listed = run(province, "staff", "list", "--province", "66")
    assert listed.exit_code == 0
    assert listed.output.split() == [str(staff_id), "officer", "tg:7001", "Xã", "Hòa", "Phú"]
    [member] = json.loads(run(province, "staff", "list", "--province", "66", "--json").output)
    assert {k: member[k] for k in ("id", "telegram_user_id", "role", "commune", "active")} == {
        "id": staff_id,
        "telegram_user_id": 7001,
        "role": "officer",
        "commune": "Xã Hòa Phú",
        "active": True,
    }

    unknown = one_error_line(run(province, "staff", "revoke", "999"))
    assert unknown == "error: no active staff member with id 999"
    revoked = run(province, "staff", "revoke", str(staff_id))
    assert revoked.exit_code == 0
    assert revoked.output == f"revoked staff member {staff_id}\n"
    assert run(province, "staff", "list", "--province", "66").output.startswith("no staff yet")
    everyone = run(province, "staff", "list", "--province", "66", "--all")
    assert everyone.output.rstrip().endswith("Xã Hòa Phú  [revoked]")
    assert str(staff_id) in everyone.output
    again = one_error_line(run(province, "staff", "revoke", str(staff_id)))
    assert again == f"error: no active staff member with id {staff_id}"


def test_list_needs_a_known_province(province: dict[str, str]) -> None:
    assert one_error_line(run(province, "staff", "list")).startswith(
        "error: name the province: --province CODE or HOSO_PROVINCE"
    )
    assert one_error_line(run(province, "staff", "list", "--province", "56")).startswith(
        "error: no province with code 56"
    )
