"""A real `hoso run` in a child process against the in-process simulator, for tests that kill
it, restart it or read its log; and the residents who talk to it."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from bot.config import load_settings
from bot.wiring import open_deps
from intake.demo import prepare_demo
from simulator import ChatMessage, UserSession
from tests.bot.conftest import free_port
from tests.e2e.photos import document_photo

__all__ = [
    "HosoProcess",
    "ScriptedResident",
    "alive",
    "descendants",
    "prepare_data_dir",
    "until",
]


async def until(condition: Callable[[], bool], *, within: float = 120.0) -> None:
    """Wait until `condition()` holds (checked every 50 ms); raises after `within` seconds."""
    deadline = asyncio.get_running_loop().time() + within
    while not condition():
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("the condition did not come true in time")
        await asyncio.sleep(0.05)


def descendants(pid: int) -> list[int]:
    """A process's children and theirs (the photo workers, their fork server)."""
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError, IndexError):
            continue  # gone meanwhile
    found, frontier = [], [pid]
    while frontier:
        children = [child for child, parent in parents.items() if parent in frontier]
        found.extend(children)
        frontier = children
    return found


def alive(pid: int) -> bool:
    """Running (a zombie, dead but not yet collected by its parent, is not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"


async def prepare_data_dir(data_dir: Path, database_url: str | None = None) -> None:
    """The demo's province, commune, villages, staff and keys in a fresh data directory."""
    settings = load_settings(data_dir=data_dir, province="66", database_url=database_url)
    async with open_deps(settings, create_keys=True) as deps:
        await prepare_demo(deps)


@dataclass
class HosoProcess:
    """`hoso run` with its environment; started, stopped or killed by the test."""

    data_dir: Path
    token: str
    api_url: str
    extra_env: Mapping[str, str] = field(default_factory=dict)
    process: asyncio.subprocess.Process | None = None
    runs: int = 0
    port: int = 0

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("HOSO_")}
        self.port = free_port()
        env.update(
            {
                "HOSO_DATA_DIR": str(self.data_dir),
                "HOSO_PROVINCE": "66",
                "HOSO_TELEGRAM_TOKEN": self.token,
                "HOSO_TELEGRAM_API_URL": self.api_url,
                "HOSO_LISTEN_PORT": str(self.port),
                "HOSO_LOG_FORMAT": "text",
                **self.extra_env,
            }
        )
        return env

    @property
    def log(self) -> Path:
        return self.data_dir / f"bot-{self.runs}.log"

    async def start(self) -> None:
        self.runs += 1
        hoso = Path(sys.executable).with_name("hoso")
        with self.log.open("wb") as log:
            self.process = await asyncio.create_subprocess_exec(
                hoso, "run", env=self.env(), cwd=self.data_dir, stderr=log
            )
        await self.wait_healthy()

    async def wait_healthy(self, limit: float = 30) -> None:
        deadline = asyncio.get_running_loop().time() + limit
        async with aiohttp.ClientSession() as http:
            while asyncio.get_running_loop().time() < deadline:
                assert self.process is not None
                if self.process.returncode is not None:
                    raise AssertionError(f"hoso run exited: {self.log.read_text()[-3000:]}")
                try:
                    async with http.get(f"http://127.0.0.1:{self.port}/healthz") as response:
                        if response.status == 200:
                            return
                except aiohttp.ClientError:
                    pass
                await asyncio.sleep(0.1)
        raise AssertionError("hoso run did not become healthy")

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    async def kill(self) -> list[int]:
        """SIGKILL, as the kernel's OOM killer or a power cut would; returns the pids of the
        processes it had started (which must not outlive it)."""
        assert self.process is not None
        children = descendants(self.process.pid)
        self.process.kill()
        await self.process.wait()
        return children

    async def stop(self) -> int:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), timeout=60)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()
        return self.process.returncode or 0

    def logs(self) -> str:
        return "".join(
            (self.data_dir / f"bot-{n}.log").read_text(errors="replace")
            for n in range(1, self.runs + 1)
        )


def _photos() -> list[bytes]:
    return [document_photo(n, card=n < 2) for n in range(4)]


PHOTOS = _photos()


class ScriptedResident:
    """A resident who answers whichever question the bot asks (matched by a fragment of its
    text), so that a question asked again after a crash is answered again; finishes at the
    receipt. `number` makes the name, the ID number and the parcel unique."""

    def __init__(
        self,
        session: UserSession,
        number: int,
        village: str,
        *,
        detours: Mapping[str, Sequence[str]] | None = None,
    ) -> None:
        self.session = session
        # texts sent before an answer (e.g. a wrong one first), by the answer's action
        self.detours = dict(detours or {})
        self.number = number
        self.village = village
        self.receipt: str | None = None
        self.album_sent = asyncio.Event()
        self.transcript: list[str] = []
        n = number
        self.name = f"Nguyễn Văn Số {chr(65 + n % 26)}{chr(65 + n // 26 % 26)}"
        self.cccd = f"066090{n:06d}"
        self.phone = f"+8491{n:07d}"
        self.serial = f"AA {n:08d}"
        self.parcel = str(100 + n)
        # the question (a fragment of its text) and the answer, in the flow's order
        self.script: list[tuple[str, str]] = [
            ("Bạn có đồng ý", "consent"),
            ("đứng tên ai", "whose"),
            ("Họ và tên", "name"),
            ("Số căn cước (12", "cccd"),
            ("Số điện thoại để cán bộ", "phone"),
            ("hiện ở đâu", "cert"),
            ("Số phát hành", "serial"),
            ("tờ bản đồ số", "sheet"),
            ("Số thửa đất là", "parcel"),
            ("MẶT TRƯỚC căn cước", "front"),
            ("MẶT SAU căn cước", "album"),
            ("trang ghi thay đổi", "skip"),
            ("Xem lại hồ sơ", "submit"),
        ]

    async def _act(self, action: str) -> None:
        s = self.session
        for text in self.detours.pop(action, ()):
            await s.send_text(text)
        match action:
            case "consent":
                await s.press("✅ Tôi đồng ý")
            case "whose":
                await s.press("Tên tôi")
            case "name":
                await s.send_text(self.name)
            case "cccd":
                await s.send_text(self.cccd)
            case "phone":
                await s.share_contact(self.phone)
            case "cert":
                await s.press("Tôi đang giữ sổ")
            case "serial":
                await s.send_text(self.serial)
            case "sheet":
                await s.send_text("12")
            case "parcel":
                await s.send_text(self.parcel)
            case "front":
                await s.send_document(PHOTOS[0], "cccd.jpg", mime_type="image/jpeg")
            case "album":
                await s.send_album(PHOTOS[1:])
                self.album_sent.set()
            case "skip":
                await s.press("Bỏ qua")
            case "submit":
                await s.press("📨 Gửi hồ sơ")

    async def run(self, *, patience: float = 60.0) -> str:
        """Answer until the receipt arrives; returns the receipt code."""
        await self.session.send_command("start", f"v{self.village}")
        done = -1
        while self.receipt is None:
            message: ChatMessage = await self.session.next_message(timeout=patience)
            text = message.text
            self.transcript.append(text)
            if "Mã biên nhận:" in text:
                self.receipt = text.split("Mã biên nhận:")[1].split()[0]
                break
            asked_again = "hệ thống vừa bị gián đoạn" in text
            matched = [i for i, (fragment, _) in enumerate(self.script) if fragment in text]
            if not matched:
                continue
            index = matched[-1]
            if index > done or asked_again:
                await asyncio.sleep(0.2)  # a person reads before answering
                await self._act(self.script[index][1])
                done = index
        return self.receipt
