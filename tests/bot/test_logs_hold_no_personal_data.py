"""`hoso run` at HOSO_LOG_LEVEL=DEBUG: a resident's whole submission, a failure on the way and a
stop leave none of what they sent in the log (name, CCCD, phone, serial, parcel, file ids), in
hoso's own lines or the libraries'."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from simulator import SimulatorConfig, SimulatorServer
from tests.fixtures.hoso_process import HosoProcess, ScriptedResident, prepare_data_dir
from tests.fixtures.net import new_token


def _forms(value: str) -> set[str]:
    """A value as it could appear in a log line: as is, JSON-escaped, without spaces."""
    return {value, json.dumps(value)[1:-1], value.replace(" ", "")}


@pytest.mark.timeout(180)
async def test_a_debug_log_holds_nothing_a_resident_sent(tmp_path: Path) -> None:
    data_dir = tmp_path / "var"
    await prepare_data_dir(data_dir)
    async with SimulatorServer(SimulatorConfig(flood_limits=False)) as simulator:
        token = new_token()
        simulator.register_bot(token, first_name="hoso")
        bot = HosoProcess(data_dir, token, simulator.url, {"HOSO_LOG_LEVEL": "DEBUG"})
        await bot.start()
        try:
            number = 417
            name, cccd = f"Nguyễn Văn Số {chr(65 + number % 26)}P", f"066090{number:06d}"
            # on the way, an answer the bot refuses (a name with digits) and one it cannot
            # read as it came (a lone surrogate)
            resident = ScriptedResident(
                simulator.add_user("Cư dân", language_code="vi"),
                number,
                "24175-01",
                detours={"name": [f"{name} {cccd}", f"{name}\udcff"]},
            )
            receipt = await resident.run()
            sent = [m.raw for m in resident.session.history() if not m.from_bot]
        finally:
            assert await bot.stop() == 0
    logs = bot.logs()
    assert "DEBUG hoso.updates: update handled" in logs  # the level applied to hoso's loggers
    file_ids = {
        part[key]
        for message in sent
        for part in [*(message.get("photo") or []), message.get("document") or {}]
        for key in ("file_id", "file_unique_id")
        if key in part
    }
    assert file_ids, "no photo was sent: the test tests nothing"
    planted = {
        "name": resident.name,
        "cccd": resident.cccd,
        "phone": resident.phone,
        "phone (local)": "0" + resident.phone[3:],
        "serial": resident.serial,
        "serial digits": resident.serial.split()[1],
        **{f"file id {n}": file_id for n, file_id in enumerate(sorted(file_ids))},
    }
    found = {
        what: form for what, value in planted.items() for form in _forms(value) if form in logs
    }
    assert found == {}, found
    assert receipt
