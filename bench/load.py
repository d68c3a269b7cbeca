"""Load benchmark: N residents complete whole submissions at once through the simulator.

The bot runs as its own process (`hoso run`, SQLite in a temporary data directory) against an
in-process simulator; every resident answers each question at a human pace, sends four 1280-px
photos of their own (three of them as albums, everyone at the same moment: the burst) and
submits. Reported:
submissions/min, photos/s in the burst, p50/p99 latency of a text step (message sent → the bot's
next question; p99 also over the steps outside the burst) and of a photo verdict (photo sent →
the next question), CPU per photo in the burst (bot, its event loop, its photo workers, this
process), Bot API calls per burst photo, the p99 of each answer, the outbox's delivery times,
the peak RSS of the bot and of the bot with its workers, 429s the bot received and those it did
not honour, and lost or duplicated documents (must be 0). bench/README.md explains each figure.

    .venv/bin/python bench/load.py --residents 200            # flood limits off
    .venv/bin/python bench/load.py --residents 50 --flood     # Telegram's limits on
    .venv/bin/python bench/load.py --quick                    # < 1 min; JSON on the last line
    .venv/bin/python bench/load.py --processes 2 --database-url postgresql+asyncpg://postgres@127.0.0.1/test

With `--processes N` the bot is N `hoso run` processes in webhook mode behind Debian's HAProxy
(deploy/haproxy.cfg, made fit for 127.0.0.1 as the scale-out tests make it), on one PostgreSQL:
the bench makes a new role and schema in `--database-url`'s database and drops them after. The
photo workers (`--photo-processes`, default 2) are the total, split evenly over the processes,
so that 1, 2 and 3 processes are compared with the same workers. CPU figures are summed over
the processes, peak RSS is the largest process's. `--blob-url s3://bucket/prefix` puts the
sealed documents in object storage (HOSO_S3_* settings are passed through from the bench's
environment), under a prefix of each run's own below it: one prefix per database.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_settings  # noqa: E402
from bot.wiring import open_deps  # noqa: E402
from intake.admin import prepare_demo  # noqa: E402
from simulator import ApiExchange, SimulatorConfig, SimulatorServer, UserSession  # noqa: E402
from storage.models import Blob, Document, Outbox, Submission  # noqa: E402
from storage.states import DocumentStatus  # noqa: E402
from tests.fixtures.balancer import (  # noqa: E402
    HAPROXY,
    SAMPLE_CONFIG,
    Haproxy,
    haproxy_config,
    role_schema,
)
from tests.fixtures.hoso_process import HosoProcess, descendants  # noqa: E402
from tests.fixtures.net import free_port  # noqa: E402
from tests.fixtures.photos import document_photo  # noqa: E402

STEP_TIMEOUT = 120.0
AFTER_BURST = 2.0  # seconds: the replies' edit (0.8 s) and deletion (1.5 s) delays
THINK_SECONDS = (0.5, 1.5)  # between a bot answer and the resident's next action


@dataclass
class Stats:
    text_spans: list[tuple[float, float, str]] = field(default_factory=list)  # sent, answered
    photo_ms: list[float] = field(default_factory=list)
    slowest: list[tuple[float, str]] = field(default_factory=list)


PHOTO_CACHE = Path(tempfile.gettempdir()) / "hoso-bench-photos"


def _photo(seed: int) -> bytes:
    """One resident's photo `seed % 4`: two ID card sides, two pages."""
    return document_photo(seed, card=seed % 4 < 2)


def photos_1280(residents: int) -> list[list[bytes]]:
    """Four document photos per resident, as a phone sends them as files: two ID card sides,
    two pages, different for every resident (as their documents are: the same photos sent by
    everyone would make every submission a possible duplicate of every other, a case of its
    own). Made once in a process pool and kept in a temporary folder for the next runs."""
    PHOTO_CACHE.mkdir(exist_ok=True)
    seeds = range(4 * residents)
    missing = [seed for seed in seeds if not (PHOTO_CACHE / f"{seed}.jpg").exists()]
    if missing:
        with ProcessPoolExecutor() as pool:
            for seed, data in zip(missing, pool.map(_photo, missing, chunksize=16), strict=True):
                (PHOTO_CACHE / f"{seed}.jpg").write_bytes(data)
    return [
        [(PHOTO_CACHE / f"{4 * n + k}.jpg").read_bytes() for k in range(4)]
        for n in range(residents)
    ]


class Resident:
    """One simulated resident: answers at a human pace, then sends photos."""

    def __init__(self, session: UserSession, number: int, stats: Stats) -> None:
        self.session = session
        self.number = number
        self.stats = stats
        self.think = random.Random(number)

    async def until(self, fragment: str) -> None:
        deadline = time.monotonic() + STEP_TIMEOUT
        while True:
            message = await self.session.next_message(
                timeout=max(0.1, deadline - time.monotonic())
            )
            if fragment in message.text:
                return

    async def answer(self, action: Awaitable[object], expect: str, *, photo: bool = False) -> None:
        started = time.perf_counter()
        await action
        await self.until(expect)
        elapsed = (time.perf_counter() - started) * 1000
        if photo:
            self.stats.photo_ms.append(elapsed)
        else:
            self.stats.text_spans.append((started, started + elapsed / 1000, expect))
        self.stats.slowest.append((elapsed, expect))
        await asyncio.sleep(self.think.uniform(*THINK_SECONDS))

    async def until_answer(self, action: Awaitable[object], expect: str) -> None:
        await action
        await self.until(expect)

    async def questions(self, village: str, front: bytes) -> None:
        s, n = self.session, self.number
        await asyncio.sleep(self.think.uniform(*THINK_SECONDS))  # not all in the same instant
        await self.answer(s.send_command("start", f"v{village}"), "Bạn có đồng ý")
        await self.answer(s.press("✅ Tôi đồng ý"), "đứng tên ai")
        await self.answer(s.press("Tên tôi"), "Họ và tên")
        await self.answer(s.send_text(f"Nguyễn Văn Số {chr(65 + n % 26)}"), "Số căn cước")
        await self.answer(s.send_text(f"066090{n:06d}"), "Số điện thoại")
        await self.answer(s.share_contact(f"+8491{n:07d}"), "Giấy chứng nhận")
        await self.answer(s.press("Tôi đang giữ sổ"), "Số phát hành")
        await self.answer(s.send_text(f"AA {n:08d}"), "tờ bản đồ")
        await self.answer(s.send_text("12"), "Số thửa")
        await self.answer(s.send_text(str(100 + n)), "MẶT TRƯỚC")
        send = s.send_document(front, "cccd.jpg", mime_type="image/jpeg")
        await self.answer(send, "MẶT SAU", photo=True)

    async def burst(self, files: list[bytes]) -> float:
        """The other three photos at once, as an album (Telegram delivers three updates);
        returns when the last of their verdicts arrived."""
        await self.session.send_album(files)
        await self.until("trang ghi")
        return time.perf_counter()

    async def finish(self) -> None:
        await asyncio.sleep(self.think.uniform(*THINK_SECONDS))
        await self.answer(self.session.press("Bỏ qua"), "Xem lại hồ sơ")
        await self.answer(self.session.press("📨 Gửi hồ sơ"), "Mã biên nhận")


@dataclass
class Burst:
    """Everyone's album at the same moment; over when the last verdict arrived."""

    expected: int
    begun: float = field(default_factory=time.perf_counter)
    ends: list[float] = field(default_factory=list)
    failed: int = 0
    over: asyncio.Event = field(default_factory=asyncio.Event)

    def settle(self, end: float | None) -> None:
        if end is None:
            self.failed += 1
        else:
            self.ends.append(end)
        if len(self.ends) + self.failed == self.expected:
            self.over.set()

    @property
    def seconds(self) -> float:
        return max(self.ends, default=self.begun) - self.begun


async def warm_photo_sizes(simulator: SimulatorServer, files: list[list[bytes]]) -> None:
    """Have the simulator make every photo's Telegram sizes (and the front's thumbnail) before
    the run: it makes them once per distinct upload, with Pillow, in this process, on the
    bot's machine, where Telegram makes them on its own servers. They are sent to a second
    bot that no process serves, so its updates just wait."""
    token = f"{1234567891}:{'y' * 35}"
    simulator.register_bot(token, first_name="warm-up")
    sender = simulator.add_user("Ảnh trước", language_code="vi", bot_token=token)

    async def one(mine: list[bytes]) -> None:
        await sender.send_document(mine[0], "cccd.jpg", mime_type="image/jpeg")
        await sender.send_album(mine[1:])

    for start in range(0, len(files), 8):
        await asyncio.gather(*(one(mine) for mine in files[start : start + 8]))


def unhonoured(calls: list[tuple[float, object, int, float]]) -> int:
    """Calls to a chat made before the retry_after of an earlier 429 for that chat ran out."""
    banned_until: dict[object, float] = {}
    count = 0
    for at, chat, status, retry_after in calls:
        if chat is None:
            continue
        if at < banned_until.get(chat, 0.0) - 0.05:  # the simulator rounds up to whole seconds
            count += 1
        if status == 429:
            banned_until[chat] = at + retry_after
    return count


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


def cpu_seconds(pid: int, *, task: int | None = None) -> float:
    """User + system CPU time of a process (or of one of its threads) so far."""
    stat = Path(f"/proc/{pid}/task/{task}/stat" if task else f"/proc/{pid}/stat")
    fields = stat.read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_snapshot(bots: list[int]) -> tuple[float, float, float, float]:
    """CPU seconds so far, summed over the bot processes: the processes, their event-loop
    threads, their photo workers; and this process (the simulator and the residents)."""
    process = sum(cpu_seconds(bot) for bot in bots)
    loop_threads = sum(cpu_seconds(bot, task=bot) for bot in bots)
    workers = sum(cpu_seconds(p) for bot in bots for p in descendants(bot))
    return process, loop_threads, workers, cpu_seconds(os.getpid())


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


@asynccontextmanager
async def started_bots(
    env: dict[str, str], data_dir: Path, api_url: str, token: str, processes: int
) -> AsyncIterator[list[int]]:
    """The bot under load, running; yields its processes' pids. No `processes`: one `hoso run`
    with long polling (the embedded default); N: N in webhook mode behind HAProxy."""
    if not processes:
        hoso = Path(sys.executable).with_name("hoso")
        bot = await asyncio.create_subprocess_exec(
            hoso,
            "run",
            env=env,
            cwd=data_dir,
            stderr=open(data_dir / "bot.log", "wb"),  # noqa: SIM115, ASYNC230
        )
        try:
            yield [bot.pid]
        finally:
            bot.terminate()
            await bot.wait()
        return
    if HAPROXY is None:
        raise SystemExit("--processes needs haproxy (Debian's package: make test-tools)")
    port = free_port()
    balancer = Haproxy(data_dir / "haproxy.cfg", data_dir / "haproxy.log", port)
    own = {"HOSO_DATA_DIR", "HOSO_LISTEN_PORT", "HOSO_TELEGRAM_TOKEN", "HOSO_TELEGRAM_API_URL"}
    shared = {k: v for k, v in env.items() if k.startswith("HOSO_") and k not in own}
    shared["HOSO_WEBHOOK_URL"] = f"http://127.0.0.1:{port}"
    bots = [
        HosoProcess(data_dir, token, api_url, extra_env=shared, name=f"bot{n}")
        for n in range(1, processes + 1)
    ]
    try:
        await asyncio.gather(*(bot.start() for bot in bots))
        balancer.config.write_text(
            haproxy_config(
                SAMPLE_CONFIG.read_text(),
                listen_port=port,
                servers=[bot.port for bot in bots],
            )
        )
        await balancer.start(processes)
        yield [bot.process.pid for bot in bots if bot.process is not None]
    finally:
        await asyncio.gather(*(bot.stop() for bot in bots if bot.process), return_exceptions=True)
        await balancer.stop()


async def run(
    residents: int,
    flood: bool,
    database_url: str | None,
    photo_processes: int,
    *,
    processes: int = 0,
    blob_url: str | None = None,
) -> dict[str, object]:
    async with AsyncExitStack() as stack:
        if processes:  # a new role and schema of their own, dropped after
            assert database_url is not None
            database_url = await stack.enter_async_context(role_schema(database_url))
        return await _run(
            residents,
            flood,
            database_url,
            photo_processes,
            processes=processes,
            blob_url=blob_url,
        )


async def _run(
    residents: int,
    flood: bool,
    database_url: str | None,
    photo_processes: int,
    *,
    processes: int,
    blob_url: str | None,
) -> dict[str, object]:
    data_dir = Path(tempfile.mkdtemp(prefix="hoso-load-"))
    if blob_url:  # each run's database its own prefix (storage/blobs: one prefix, one database)
        blob_url = f"{blob_url.rstrip('/')}/{data_dir.name}"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HOSO_")}
    env.update(
        {"HOSO_DATA_DIR": str(data_dir), "HOSO_PROVINCE": "66", "HOSO_LOG_LEVEL": "WARNING"}
    )
    if database_url:
        env["HOSO_DATABASE_URL"] = database_url
    workers_each = photo_processes // processes if processes else photo_processes
    if workers_each:
        env["HOSO_PHOTO_PROCESSES"] = str(workers_each)
    if blob_url:  # the bucket's endpoint and credentials come from the bench's environment
        env["HOSO_BLOB_URL"] = blob_url
        env.update({k: v for k, v in os.environ.items() if k.startswith("HOSO_S3_")})
    settings = load_settings(
        data_dir=data_dir,
        province="66",
        database_url=database_url,
        **({"blob_url": blob_url} if blob_url else {}),
    )
    async with open_deps(settings, create_keys=True) as deps:
        await prepare_demo(deps)  # Đắk Lắk, Hòa Phú and its villages, the keys
    files = photos_1280(residents + 1)  # the warm-up resident is number 0
    calls: list[tuple[float, object, int, float]] = []  # time, chat, status, retry_after
    methods: list[tuple[float, str]] = []  # time (perf_counter, as the burst's), Bot API method

    def record(exchange: ApiExchange) -> None:
        parameters = exchange.response.get("parameters")
        retry_after = parameters.get("retry_after", 0) if isinstance(parameters, dict) else 0
        chat = exchange.params.get("chat_id")
        calls.append((time.monotonic(), chat, exchange.status, float(retry_after)))
        methods.append((time.perf_counter(), exchange.method))

    config = SimulatorConfig(flood_limits=flood)
    async with SimulatorServer(config, recorder=record) as simulator:
        token = f"{1234567890}:{'x' * 35}"
        simulator.register_bot(token, first_name="hoso")
        await warm_photo_sizes(simulator, files)
        env.update(
            {
                "HOSO_TELEGRAM_TOKEN": token,
                "HOSO_TELEGRAM_API_URL": simulator.url,
                "HOSO_LISTEN_PORT": "0",
                # capacity is measured without Telegram's pacing unless the limits are on
                "HOSO_RATE_LIMIT": "true" if flood else "false",
            }
        )
        async with started_bots(env, data_dir, simulator.url, token, processes) as pids:
            stats = Stats()
            warm = Resident(
                simulator.add_user("Khởi động", language_code="vi", bot_token=token), 0, Stats()
            )
            await warm.until_answer(warm.session.send_command("help"), "/start")  # the bot is up
            people = [
                Resident(
                    simulator.add_user(f"Cư dân {n}", language_code="vi", bot_token=token),
                    n,
                    stats,
                )
                for n in range(residents)
            ]
            started = time.perf_counter()
            failures: list[BaseException] = []

            async def phase(
                who: list[Resident], act: Callable[[Resident], Awaitable[None]]
            ) -> list[Resident]:
                """Everyone acts at once; returns who got through."""
                results = await asyncio.gather(*(act(p) for p in who), return_exceptions=True)
                failures.extend(r for r in results if isinstance(r, BaseException))
                return [p for p, r in zip(who, results, strict=True) if r is None]

            ready = await phase(
                people,
                lambda p: p.questions(f"24175-{(p.number % 12) + 1:02d}", files[p.number][0]),
            )
            profile = os.environ.get("HOSO_BENCH_PROFILE")  # a file name; needs py-spy
            # the burst (default) or what follows it: py-spy writes a profile when interrupted
            profiled = os.environ.get("HOSO_BENCH_PROFILE_PHASE", "burst")
            spies: list[asyncio.subprocess.Process] = []

            async def spy() -> None:
                if not profile:
                    return
                targets = [(os.getpid(), f"{profile}.simulator")]
                for number, bot in enumerate(pids):
                    targets.append((bot, f"{profile}.bot{number}" if number else profile))
                    targets += [(pid, f"{profile}.worker{pid}") for pid in descendants(bot)]
                for pid, name in targets:
                    spies.append(
                        await asyncio.create_subprocess_exec(
                            "py-spy", "record", "-p", str(pid), "-o", name, "-f", "speedscope"
                        )
                    )
                await asyncio.sleep(1.0)

            async def unspy() -> None:
                while spies:
                    process = spies.pop()
                    process.send_signal(signal.SIGINT)
                    await process.wait()

            if profiled == "burst":
                await spy()
            cpu_before = cpu_snapshot(pids)
            burst = Burst(len(ready))

            async def burst_then_finish(resident: Resident) -> None:
                """After the burst, each goes on at their own pace: nobody waits for the rest."""
                try:
                    end = await resident.burst(files[resident.number][1:])
                except BaseException:
                    burst.settle(None)
                    raise
                burst.settle(end)
                await resident.finish()

            finishing = asyncio.ensure_future(phase(ready, burst_then_finish))
            await burst.over.wait()
            cpu_after = cpu_snapshot(pids)
            if profiled == "burst":
                await unspy()
            else:
                await spy()
            await finishing
            await unspy()
            elapsed = time.perf_counter() - started
            rss_each = [peak_rss_mb(bot) for bot in pids]
            # peaks summed: shared pages count once per process, so this overstates
            workers_rss = sum(peak_rss_mb(pid) for bot in pids for pid in descendants(bot))
    async with open_deps(settings) as deps, deps.database.sessions() as session:
        submissions = await session.scalar(select(func.count()).select_from(Submission))
        stored = await session.scalar(
            select(func.count())
            .select_from(Document)
            .where(Document.status == DocumentStatus.STORED)
        )
        blobs = await session.scalar(select(func.count()).select_from(Blob))
        # time from a message's commit to its delivery, by kind (receipts, staff alerts)
        queued: dict[str, list[float]] = {}
        for kind, created, sent in await session.execute(
            select(Outbox.kind, Outbox.created_at, Outbox.sent_at).where(
                Outbox.sent_at.is_not(None)
            )
        ):
            queued.setdefault(kind, []).append(1000 * (sent - created).total_seconds())
        duplicated = await session.scalar(
            select(func.count()).select_from(
                select(Document.submission_id, Document.slot)
                .where(Document.status == DocumentStatus.STORED)
                .group_by(Document.submission_id, Document.slot)
                .having(func.count() > 1)
                .subquery()
            )
        )
    text_ms = [1000 * (end - sent) for sent, end, _ in stats.text_spans]
    photo_ms = stats.photo_ms
    burst_end = max(burst.ends, default=burst.begun)
    calm_ms = [  # steps that did not overlap the burst of everyone's photos
        1000 * (end - sent)
        for sent, end, _ in stats.text_spans
        if end < burst.begun or sent > burst_end
    ]
    by_step: dict[str, list[float]] = {}
    for sent, end, step in stats.text_spans:
        by_step.setdefault(step, []).append(1000 * (end - sent))
    photos = max(1, 3 * len(burst.ends))
    # the burst, and the 2 s after it in which its coalesced edits and deletions go out
    in_burst = Counter(
        method for at, method in methods if burst.begun <= at <= burst_end + AFTER_BURST
    )
    return {
        "residents": residents,
        "flood_limits": flood,
        "database": "postgresql" if database_url else "sqlite",
        "processes": processes or "1, polling",
        "photo_processes": photo_processes or "default",
        "blob_store": blob_url or "local folder",
        "finished": submissions,
        "failures": [repr(f)[:200] for f in failures[:3]],
        "seconds": round(elapsed, 2),
        "submissions_per_min": round(60 * (submissions or 0) / elapsed, 1),
        "photos_per_s_burst": round(3 * len(burst.ends) / burst.seconds, 1),
        "burst_seconds": round(burst.seconds, 2),
        "text_step_ms_p50": round(statistics.median(text_ms), 1) if text_ms else None,
        "text_step_ms_p99": round(percentile(text_ms, 0.99), 1),
        "text_step_ms_p99_outside_burst": round(percentile(calm_ms, 0.99), 1),
        "text_steps_outside_burst": len(calm_ms),
        "text_steps": len(text_ms),
        "text_step_ms_p99_by_answer": {
            step: round(percentile(ms, 0.99), 1) for step, ms in by_step.items()
        },
        "photo_verdict_ms_p50": round(statistics.median(photo_ms), 1) if photo_ms else None,
        "photo_verdict_ms_p99": round(percentile(photo_ms, 0.99), 1),
        "burst_cpu_ms_per_photo": {
            name: round(1000 * (after - before) / photos, 2)
            for name, before, after in zip(
                ("bot_process", "bot_event_loop", "photo_workers", "simulator_and_residents"),
                cpu_before,
                cpu_after,
                strict=True,
            )
        },
        # the same code runs on both sides of this ratio, so the machine's speed (which
        # wanders from run to run on a shared VM) cancels: the bot's own cost per photo
        "burst_loop_to_worker_cpu": round(
            (cpu_after[1] - cpu_before[1]) / max(cpu_after[2] - cpu_before[2], 1e-9), 3
        ),
        "burst_bot_api_calls_per_photo": {
            method: round(count / photos, 2) for method, count in in_burst.most_common()
        },
        # the whole run (warm-up aside), for the capacity model in bench/README.md
        "bot_api_calls_per_submission": {
            method: round(count / max(1, submissions or 0), 2)
            for method, count in Counter(method for _, method in methods).most_common()
        },
        "outbox_ms_p50_p99_by_kind": {
            kind: (round(statistics.median(ms), 1), round(percentile(ms, 0.99), 1))
            for kind, ms in sorted(queued.items())
        },
        "bot_peak_rss_mb": round(max(rss_each), 1),
        "bot_with_workers_peak_rss_mb": round(sum(rss_each) + workers_rss, 1),
        "http_429": sum(1 for _, _, status, _ in calls if status == 429),
        "http_429_not_honoured": unhonoured(calls),
        "slowest_steps": [(round(ms), step) for ms, step in sorted(stats.slowest)[-5:]],
        "lost_documents": 4 * (submissions or 0) - (stored or 0),
        "duplicated_documents": (duplicated or 0) + max(0, (blobs or 0) - (stored or 0)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--flood", action="store_true", help="simulator flood limits on")
    parser.add_argument("--quick", action="store_true", help="20 residents, under a minute")
    parser.add_argument(
        "--database-url", help="an EMPTY PostgreSQL database instead of the embedded SQLite"
    )
    parser.add_argument(
        "--photo-processes",
        type=int,
        default=0,
        help="the bot's photo workers (0: its default; with --processes, the total: 2)",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=0,
        help="N hoso run processes in webhook mode behind HAProxy (needs --database-url)",
    )
    parser.add_argument("--blob-url", help="s3://bucket/prefix: documents in object storage")
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        help="runs one after another (SQLite); the last line then holds the medians",
    )
    args = parser.parse_args()
    if args.repeat > 1 and args.database_url and not args.processes:
        parser.error("--repeat needs a fresh database per run: SQLite, or --processes")
    if args.processes:
        if not args.database_url:
            parser.error("--processes needs --database-url (PostgreSQL)")
        args.photo_processes = args.photo_processes or 2
        if args.photo_processes % args.processes:
            parser.error("--photo-processes must be a multiple of --processes")
    residents = 20 if args.quick else args.residents
    results = []
    for _ in range(args.repeat):
        result = asyncio.run(
            run(
                residents,
                args.flood,
                args.database_url,
                args.photo_processes,
                processes=args.processes,
                blob_url=args.blob_url,
            )
        )
        results.append(result)
        print(json.dumps(result, ensure_ascii=False))
    if len(results) > 1:  # the machine is shared and noisy: medians, and the range
        summary: dict[str, object] = {"runs": len(results)}
        for key, value in results[0].items():
            if isinstance(value, int | float) and not isinstance(value, bool):
                values = sorted(float(r[key]) for r in results)  # type: ignore[arg-type]
                summary[key] = {
                    "median": round(statistics.median(values), 3),
                    "min": values[0],
                    "max": values[-1],
                }
        print(json.dumps(summary, ensure_ascii=False))


if __name__ == "__main__":
    main()
