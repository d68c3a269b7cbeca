"""Console bench: the queue page and a document shown, with 10,000 submissions in one commune.

    .venv/bin/python bench/console.py                      # SQLite in a temp dir, ~70 s
    .venv/bin/python bench/console.py --database-url postgresql+asyncpg://postgres@127.0.0.1/test
    .venv/bin/python bench/console.py --submissions 2000 --requests 50   # a quick look
    .venv/bin/python bench/console.py --profile out.pstats   # cProfile of the measured requests

The issue's targets: with 10,000 submissions in one commune, the queue page p95 < 200 ms and a
document shown (decrypted and sent, a 1280-px photo) p95 < 100 ms, on SQLite and PostgreSQL.

Setup (timed apart, not part of the figures): a fresh data directory and database (an SQLite
file, or a new schema in the given PostgreSQL database, dropped afterwards), migrated; the demo
commune Hòa Phú with its twelve villages, the province escrow and a passphrase-locked commune
key (tests/fixtures/world.py); a commune land officer; N submissions in transactions of 500 —
generated Vietnamese (and Ê Đê) names, CCCD numbers, phones, certificate serials, map sheets and
parcels, spread over the villages (5 % without one, the triage queue), states by age (older
ones more often closed), submitted over the last 60 days — with their fields encrypted by the
repository's own helper (`_seal`: bound to table, column and row, exactly as
`add_submission` does, so the name search opens them) and the CCCD's blind index, each with its
citizen and its `submitted` audit event (chained as the app chains them). 250 open
submissions get their four required pages as stored documents: 50 distinct 1280-px JPEGs
(tests/fixtures/photos.py, 200-240 KB) in turn, each sealed for the commune's recipients
(`recipients_for_commune` + `seal_document`) into the blob store, 1,000 documents in all.

Then the real HTTP stack: the console sub-app under `/console` in an aiohttp server on
127.0.0.1 (no Telegram), a client with its own cookie jar that signs in with a link issued as
`/web` issues it, and unlocks the commune key with its passphrase (age's scrypt, timed apart).
Requests go one at a time (one officer), in rounds: each round asks for every queue kind once,
one document and one submission page, so that the machine's wandering spreads over all of
them; the first `--warmup` rounds are not counted. Queue kinds: the default queue (open states,
oldest first), one village, newest first, page 5, a name search ("nguyen van": the names in
scope are decrypted), a CCCD (blind index) and a parcel ("12/345"). A document is
`GET /console/d/<id>` round-robin over the 1,000 (session, read, hash check, age decrypt,
audit event, the bytes sent); a submission page `GET /console/s/<receipt>` round-robin over the
250 with documents (the first view of a `submitted` one starts its review). Latency is the
client's, from the request to the last byte of the body; `server` is the time inside the
application (a middleware around the console), for where the rest goes. The client shares the
server's process and event loop (requests one at a time, so it only adds its own parsing).

Then the exports (issue 19), after the requests: the XLSX of every submission
(`/console/export/xlsx?state=all`, 10,000 rows by default) and the opened ZIP of the same
filter, whose documents are those stored for `--with-documents` submissions (250 by default:
1,000 documents, ~220 MB) beside the other submissions' `submission.json`. Each is timed from
the request to the last byte, read by the client in 64 KiB pieces and written to a temporary
file, then checked (the XLSX opened with openpyxl: its rows; the ZIP: its documents). Memory is
the process's resident set (server and client share it), sampled every 10 ms from
/proc/self/status while the export runs, against the resident set just before it: the peak and
its increase. `--exports-only` skips the requests' rounds.

The garbage collector is set as the running bot sets it (bot/runtime.py: start-up's objects
frozen, thresholds raised); `--default-gc` leaves Python's settings, under which every full
pass scans the ~220,000 objects start-up made (60-230 ms each on the 2-core VM) and the name
search's allocations set one off every few searches. The collector's passes while measuring
are reported.

The last line printed is a JSON summary (milliseconds); the lines before are for people.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import json
import random
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
import uuid
import zipfile
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
import openpyxl
from aiohttp import web
from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.runtime import _GC_THRESHOLDS  # noqa: E402
from console import ConsoleOptions, console_app  # noqa: E402
from crypto import BlindIndex, FieldCipher, Keyring, seal_document  # noqa: E402
from intake.console import ConsoleDesk, issue_link  # noqa: E402
from intake.submissions import CLOSED  # noqa: E402
from intake.submissions._routing import new_receipt_code  # noqa: E402
from storage.blobs import LocalBlobStore  # noqa: E402
from storage.db import Database  # noqa: E402
from storage.deps import Deps  # noqa: E402
from storage.models import (  # noqa: E402
    Blob,
    Citizen,
    Commune,
    Document,
    Staff,
    Submission,
    Village,
    utcnow,
)
from storage.repositories.audit import append_event  # noqa: E402
from storage.repositories.keys import recipients_for_commune  # noqa: E402
from storage.repositories.submissions import FIELDS, _seal  # noqa: E402
from storage.states import (  # noqa: E402
    ActorKind,
    CertificateStatus,
    DocumentStatus,
    Route,
    StaffRole,
    SubmissionState,
)
from tests.fixtures.commune import COMMUNE, OFFICER, hoa_phu_with_keys, join  # noqa: E402
from tests.fixtures.databases import fresh_database  # noqa: E402
from tests.fixtures.photos import document_photo  # noqa: E402
from tests.fixtures.world import COMMUNE_PASSPHRASE  # noqa: E402

BATCH = 500  # submissions per transaction during setup
DAYS = 60  # submissions arrive over this many days
WITH_DOCUMENTS = 250  # submissions with their four pages stored (1,000 documents)
DISTINCT_PHOTOS = 50
SLOTS = ("cccd_front", "cccd_back", "cert_cover", "cert_owner")  # the required ones
PARCEL = ("12", "345")  # the parcel searched for; a few submissions name it
TARGETS_MS = {"queue": 200.0, "document": 100.0}  # p95, from the issue
XLSX_TARGET = {"seconds": 10.0, "peak_rss_mb": 100.0}  # 10,000 submissions (issue 19)
ZIP_TARGET_MB_S = 50.0  # decrypted, 1,000 documents (issue 19)

# --- people ----------------------------------------------------------------------------------

# Family names with roughly their share in Vietnam (Nguyễn about 38 %).
FAMILY = {
    "Nguyễn": 38, "Trần": 11, "Lê": 9.5, "Phạm": 7, "Hoàng": 4, "Huỳnh": 2, "Phan": 4.5,
    "Vũ": 2, "Võ": 2, "Đặng": 2, "Bùi": 2, "Đỗ": 1.5, "Hồ": 1.3, "Ngô": 1.3, "Dương": 1,
    "Lý": 0.5, "Đinh": 0.6, "Trương": 0.6, "Mai": 0.4,
}  # fmt: skip
MIDDLE_MALE = ("Văn", "Văn", "Văn", "Đức", "Hữu", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Đình")
MIDDLE_FEMALE = ("Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hồng", "Mỹ", "Bích")
GIVEN_MALE = (
    "An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hiếu", "Hùng", "Hưng", "Khoa", "Khánh",
    "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Phúc", "Quang", "Sơn", "Tài", "Thắng", "Thành",
    "Toàn", "Trung", "Tuấn", "Việt", "Vinh", "Huy", "Kiên", "Lâm",
)  # fmt: skip
GIVEN_FEMALE = (
    "Anh", "Chi", "Dung", "Hà", "Hạnh", "Hằng", "Hoa", "Hương", "Lan", "Linh", "Loan", "Mai",
    "Nga", "Nhung", "Oanh", "Phương", "Thảo", "Trang", "Vân", "Yến", "Huyền", "Ngân", "Thủy",
    "Tuyết", "Xuân", "Liên", "Quỳnh", "Diệp",
)  # fmt: skip
# Ê Đê and M'nông households of Đắk Lắk's buôn: "Y …" for men, "H'…" for women, then the clan.
EDE_CLAN = ("Niê", "Êban", "Ayun", "Mlô", "Knul", "Byă", "Buôn Ya", "Hđơk", "Kbuôr", "Adrơng")
EDE_MALE = ("Bih", "Khu", "Jút", "Sơn", "Ngông", "Thuăn", "Blin", "Kim", "Điêng", "Mơn")
EDE_FEMALE = ("Hen", "Ngơn", "Bia", "Dung", "Mai", "Khuê", "Rim", "Yuôn", "Zim", "Lana")


def person_name(rng: random.Random, ede: bool) -> str:
    male = rng.random() < 0.6  # the holder is more often the husband
    if ede:
        given = rng.choice(EDE_MALE if male else EDE_FEMALE)
        first = f"Y {given}" if male else f"H'{given}"
        return f"{first} {rng.choice(EDE_CLAN)}"
    family = rng.choices(list(FAMILY), weights=list(FAMILY.values()))[0]
    middle = rng.choice(MIDDLE_MALE if male else MIDDLE_FEMALE)
    given = rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)
    if rng.random() < 0.2:  # a second given name: Nguyễn Thị Thu Hà
        middle = f"{middle} {rng.choice(GIVEN_MALE if male else GIVEN_FEMALE)}"
    return f"{family} {middle} {given}"


def cccd_number(rng: random.Random) -> str:
    """A chip CCCD: place of birth (Đắk Lắk 066, or another province), sex and century, the
    year of birth, six random digits."""
    province = "066" if rng.random() < 0.8 else f"{rng.choice((1, 30, 36, 38, 40, 42, 52)):03d}"
    born = rng.randint(1940, 2005)
    sex_century = (0 if born < 2000 else 2) + rng.randint(0, 1)
    return f"{province}{sex_century}{born % 100:02d}{rng.randrange(10**6):06d}"


# --- the submissions -------------------------------------------------------------------------

OPEN = (
    (SubmissionState.SUBMITTED, 50),
    (SubmissionState.IN_REVIEW, 25),
    (SubmissionState.NEEDS_INFO, 15),
    (SubmissionState.RESUBMITTED, 10),
)
SHUT = (
    (SubmissionState.ACCEPTED, 75),
    (SubmissionState.REJECTED, 18),
    (SubmissionState.WITHDRAWN, 7),
)
CERTIFICATES = (
    (CertificateStatus.HELD, 85),
    (CertificateStatus.AT_BANK, 8),
    (CertificateStatus.LOST, 5),
    (CertificateStatus.NEVER_ISSUED, 2),
)


def pick(rng: random.Random, weighted: tuple[tuple[Any, float], ...]) -> Any:
    return rng.choices([v for v, _ in weighted], weights=[w for _, w in weighted])[0]


@dataclass
class Planned:
    """One submission to insert: its columns and its opened fields."""

    id: uuid.UUID
    values: dict[str, Any]
    holder_name: str
    cccd: str
    phone: str | None
    serial: str | None


def plan_submissions(
    rng: random.Random, count: int, commune: Commune, villages: list[Village]
) -> list[Planned]:
    now = utcnow()
    receipts: set[str] = set()
    planned = []
    for n in range(count):
        village = None if rng.random() < 0.05 else rng.choice(villages)
        ede = village is not None and village.name.startswith("Buôn") and rng.random() < 0.7
        age = timedelta(seconds=rng.uniform(0, DAYS * 86400))
        # the older a submission, the likelier it was decided already
        closed = rng.random() < 0.8 * age.total_seconds() / (DAYS * 86400)
        state = pick(rng, SHUT if closed else OPEN)
        certificate = pick(rng, CERTIFICATES)
        sheet = parcel = None
        if n % 3000 == 7:  # the parcel the bench searches for, a few times over
            sheet, parcel = PARCEL
        elif rng.random() < 0.85:
            sheet, parcel = str(rng.randint(1, 60)), str(rng.randint(1, 999))
        phone = f"0{rng.choice((3, 7, 8, 9))}{rng.randrange(10**8):08d}"
        if rng.random() < 0.08:
            phone = None
        serial = None
        if certificate is not CertificateStatus.NEVER_ISSUED:
            serial = (
                f"{rng.choice(('BA', 'BĐ', 'BK', 'CĐ', 'CS', 'DA'))} {rng.randrange(10**6):06d}"
            )
        incomplete = rng.random() < 0.1
        flags = [] if phone else ["no_phone"]
        if rng.random() < 0.03:
            flags.append("low_resolution")
        submitted_at = now - age
        receipt = new_receipt_code(commune.receipt_prefix)
        while receipt in receipts:
            receipt = new_receipt_code(commune.receipt_prefix)
        receipts.add(receipt)
        planned.append(
            Planned(
                id=uuid.uuid4(),
                values={
                    "receipt_code": receipt,
                    "commune_id": commune.id,
                    "village_id": village.id if village else None,
                    "route": Route.TRIAGE
                    if village is None
                    else (Route.PARCEL if sheet and rng.random() < 0.2 else Route.CHOSEN),
                    "state": state,
                    "whose": "self" if rng.random() < 0.8 else "other",
                    "certificate_status": certificate,
                    "map_sheet": sheet,
                    "parcel_no": parcel,
                    "quality_flags": {
                        "missing": ["cert_owner"] if incomplete else [],
                        "flags": flags,
                    },
                    "complete": not incomplete,
                    "requested_slots": ["cert_owner"]
                    if state is SubmissionState.NEEDS_INFO
                    else [],
                    "created_at": submitted_at,
                    "submitted_at": submitted_at,
                    "updated_at": submitted_at
                    + timedelta(
                        hours=0 if state is SubmissionState.SUBMITTED else rng.uniform(1, 72)
                    ),
                },
                holder_name=person_name(rng, ede),
                cccd=cccd_number(rng),
                phone=phone,
                serial=serial,
            )
        )
    return planned


def sealed_row(deps: Deps, planned: Planned, citizen_id: uuid.UUID) -> dict[str, Any]:
    """The submission's row with its fields encrypted as `add_submission` encrypts them."""
    cipher, sid = deps.fields, planned.id
    return {
        **planned.values,
        "id": sid,
        "citizen_id": citizen_id,
        "holder_name_enc": _seal(cipher, sid, FIELDS["holder_name"], planned.holder_name),
        "cccd_enc": _seal(cipher, sid, FIELDS["cccd"], planned.cccd),
        "cccd_index": deps.blind.cccd(planned.cccd),
        "phone_enc": _seal(cipher, sid, FIELDS["phone"], planned.phone),
        "certificate_serial_enc": _seal(cipher, sid, FIELDS["serial"], planned.serial),
    }


async def insert_submissions(deps: Deps, planned: list[Planned]) -> None:
    for start in range(0, len(planned), BATCH):
        batch = planned[start : start + BATCH]
        citizens = [
            {"id": uuid.uuid4(), "telegram_user_id": 100_000_000 + start + i, "language": "vi"}
            for i in range(len(batch))
        ]
        async with deps.database.sessions.begin() as session:
            await session.execute(insert(Citizen), citizens)
            await session.execute(
                insert(Submission),
                [sealed_row(deps, p, c["id"]) for p, c in zip(batch, citizens, strict=True)],
            )
            for p, citizen in zip(batch, citizens, strict=True):
                await append_event(
                    session,
                    actor_kind=ActorKind.RESIDENT,
                    actor_id=str(citizen["id"]),
                    action="submitted",
                    commune_id=p.values["commune_id"],
                    submission_id=p.id,
                    data={"route": p.values["route"].value, "village_id": p.values["village_id"]},
                )


async def store_documents(
    deps: Deps, commune_id: int, owners: list[Planned]
) -> list[tuple[str, bytes]]:
    """Four stored pages for each owner, from 50 distinct photos; (document id, photo)."""
    async with deps.database.sessions() as session:
        recipients = await recipients_for_commune(session, commune_id)
    half = DISTINCT_PHOTOS // 2  # 25 card photos and 25 page photos, 200-240 KB each
    cards = [document_photo(9000 + i, card=True) for i in range(half)]
    pages = [document_photo(9500 + i, card=False) for i in range(DISTINCT_PHOTOS - half)]
    documents: list[tuple[str, bytes]] = []
    blobs, rows = [], []
    now = utcnow()
    for n, owner in enumerate(owners):
        for k, slot in enumerate(SLOTS):
            photos = cards if slot.startswith("cccd") else pages
            photo = photos[(2 * n + k % 2) % len(photos)]
            stored = deps.blobs.write(seal_document(photo, recipients))
            blob_id, document_id = uuid.uuid4(), uuid.uuid4()
            blobs.append(
                {
                    "id": blob_id,
                    "name": stored.name,
                    "size": stored.size,
                    "sha256": stored.sha256,
                    "created_at": now,
                }
            )
            rows.append(
                {
                    "id": document_id,
                    "submission_id": owner.id,
                    "commune_id": commune_id,
                    "slot": slot,
                    "status": DocumentStatus.STORED,
                    "as_file": True,
                    "telegram_file_id": f"bench-{document_id.hex}",
                    "file_unique_id": document_id.hex[:16],
                    "file_size": len(photo),
                    "chat_id": 100_000_000 + n,
                    "message_id": 10 + k,
                    "content_type": "jpeg",
                    "blob_id": blob_id,
                    "issues": {"issues": []},
                    "metrics": {"width": 1280, "height": 960, "kind": "jpeg"},
                    "attempts": 1,
                    "created_at": owner.values["submitted_at"] - timedelta(minutes=4 - k),
                    "stored_at": owner.values["submitted_at"] - timedelta(minutes=4 - k),
                }
            )
            documents.append((str(document_id), photo))
    async with deps.database.sessions.begin() as session:
        await session.execute(insert(Blob), blobs)
        await session.execute(insert(Document), rows)
    return documents


# --- the database ----------------------------------------------------------------------------


# --- measuring -------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


@dataclass
class Timings:
    client_ms: list[float] = field(default_factory=list)
    server_ms: list[float] = field(default_factory=list)

    def summary(self) -> dict[str, float | int]:
        ms = self.client_ms
        return {
            "n": len(ms),
            "p50": round(statistics.median(ms), 1) if ms else 0.0,
            "p95": round(percentile(ms, 0.95), 1),
            "max": round(max(ms, default=0.0), 1),
            "server_p50": round(statistics.median(self.server_ms), 1) if self.server_ms else 0.0,
            "server_p95": round(percentile(self.server_ms, 0.95), 1),
        }


_TOTAL = re.compile(r'<p class="total">\s*([\d.,\s]+)')
_CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def total_of(page: str) -> int:
    found = _TOTAL.search(page)
    return int(re.sub(r"\D", "", found.group(1))) if found else -1


async def serve(deps: Deps, handled_ms: list[float]) -> tuple[web.AppRunner, str]:
    """The console under /console on 127.0.0.1 (a free port), as bot/runtime.py mounts it."""

    @web.middleware
    async def timed(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        started = time.perf_counter()
        try:
            return await handler(request)
        finally:
            handled_ms.append(1000 * (time.perf_counter() - started))

    app = web.Application(middlewares=[timed])
    app.add_subapp("/console", console_app(ConsoleDesk(deps), ConsoleOptions()))
    runner = web.AppRunner(app, access_log=None)  # as the bot: a link's token is in its URL
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    return runner, f"http://127.0.0.1:{runner.addresses[0][1]}"


@dataclass
class GcPauses:
    """The collector's passes while measuring: how many, and their time, by generation."""

    ms: dict[int, list[float]] = field(default_factory=lambda: {0: [], 1: [], 2: []})
    started: float = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self.started = time.perf_counter()
        else:
            self.ms[info["generation"]].append(1000 * (time.perf_counter() - self.started))

    def summary(self) -> dict[str, Any]:
        return {
            f"gen{g}": {
                "passes": len(ms),
                "total_ms": round(sum(ms)),
                "max_ms": round(max(ms, default=0), 1),
            }
            for g, ms in self.ms.items()
        }


@contextmanager
def collector(*, bot_like: bool) -> Iterator[GcPauses]:
    """The garbage collector as the running bot sets it (bot/runtime.py: what start-up made is
    frozen, the thresholds raised), or Python's default; its passes are recorded."""
    thresholds = gc.get_threshold()
    if bot_like:
        gc.collect()
        gc.freeze()
        gc.set_threshold(*_GC_THRESHOLDS)
    pauses = GcPauses()
    gc.callbacks.append(pauses)
    try:
        yield pauses
    finally:
        gc.callbacks.remove(pauses)
        if bot_like:
            gc.unfreeze()  # as the bot does: extension modules are torn down cleanly at exit
            gc.set_threshold(*thresholds)


@dataclass
class Prepared:
    """What the requests need from the setup."""

    deps: Deps
    officer_id: int
    commune_id: int
    village_id: int  # the village filter's
    cccd: str  # an open submission's, searched for
    receipts: list[str]  # the submissions with documents
    documents: list[tuple[str, bytes]]  # (document id, the photo sealed)


async def prepare(
    args: argparse.Namespace, database: Database, data_dir: Path, setup: dict[str, float]
) -> Prepared:
    rng = random.Random(args.seed)
    deps = Deps(
        database=database,
        fields=FieldCipher(Keyring.generate()),
        blind=BlindIndex(BlindIndex.generate_key()),
        blobs=LocalBlobStore(data_dir / "blobs"),
    )
    mark = time.perf_counter()
    place = await hoa_phu_with_keys(deps)  # its key is locked with COMMUNE_PASSPHRASE
    officer = await join(deps, StaffRole.OFFICER, OFFICER, commune=COMMUNE)
    setup["commune_and_keys_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    planned = plan_submissions(rng, args.submissions, place.commune, place.villages)
    await insert_submissions(deps, planned)
    setup["submissions_s"] = time.perf_counter() - mark
    mark = time.perf_counter()
    candidates = [
        p
        for p in planned
        if p.values["village_id"] is not None
        and p.values["state"] not in CLOSED
        and p.values["complete"]
    ]
    owners = rng.sample(candidates, min(WITH_DOCUMENTS, len(candidates)))
    documents = await store_documents(deps, place.commune.id, owners)
    setup["documents_s"] = time.perf_counter() - mark
    return Prepared(
        deps=deps,
        officer_id=officer.id,
        commune_id=place.commune.id,
        village_id=place.villages[0].id,
        cccd=next(p.cccd for p in planned if p.values["state"] not in CLOSED),
        receipts=[p.values["receipt_code"] for p in owners],
        documents=documents,
    )


async def run(args: argparse.Namespace) -> dict[str, Any]:
    data_dir = Path(tempfile.mkdtemp(prefix="hoso-console-"))
    setup: dict[str, float] = {}
    try:
        began = time.perf_counter()
        async with fresh_database(args.database_url, data_dir, prefix="bench_console") as database:
            setup["migrate_s"] = time.perf_counter() - began
            prepared = await prepare(args, database, data_dir, setup)
            setup["total_s"] = time.perf_counter() - began
            handled_ms: list[float] = []
            runner, base = await serve(prepared.deps, handled_ms)
            try:
                with collector(bot_like=not args.default_gc) as pauses:
                    result = {}
                    if not args.exports_only:
                        result = await measure(args, prepared, base, handled_ms)
                    result["exports"] = await measure_exports(args, prepared, base, data_dir)
                result["gc"] = pauses.summary()
            finally:
                await runner.cleanup()
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)
    return {
        "database": "postgresql" if args.database_url else "sqlite",
        "submissions": args.submissions,
        "documents": len(prepared.documents),
        "requests_per_kind": args.requests,
        "seed": args.seed,
        "gc_settings": "default" if args.default_gc else "bot",
        "setup": {k: round(v, 2) for k, v in setup.items()},
        **result,
    }


def check(condition: bool, problem: object) -> None:
    if not condition:
        raise RuntimeError(problem)


async def sign_in_and_unlock(http: aiohttp.ClientSession, base: str, prepared: Prepared) -> float:
    """Sign in with a link as `/web` issues it, unlock the commune key; the unlock's seconds."""
    async with prepared.deps.database.sessions.begin() as session:
        staff = await session.get(Staff, prepared.officer_id)
        check(staff is not None, "no officer")
        assert staff is not None
        token = await issue_link(session, staff)
    origin = {"Origin": base}
    async with http.post(f"{base}/console/signin", data={"t": token}, headers=origin) as r:
        page = await r.text()
        check(r.status == 200, (r.status, page[:300]))
        check(str(r.url).endswith("/console/queue"), r.url)  # the sign-in's redirect
    found = _CSRF.search(page)
    check(found is not None, "no CSRF token on the queue page")
    assert found is not None
    form = {
        "commune": str(prepared.commune_id),
        "passphrase": COMMUNE_PASSPHRASE,
        "csrf": found.group(1),
        "back": "/console/queue",
    }
    mark = time.perf_counter()
    async with http.post(f"{base}/console/unlock", data=form, headers=origin) as r:
        await r.read()
        check(r.status == 200, r.status)
    unlock_s = time.perf_counter() - mark
    document_id, photo = prepared.documents[0]
    async with http.get(f"{base}/console/d/{document_id}") as r:
        body = await r.read()
        check(r.status == 200, (r.status, body[:300]))
        check(r.content_type == "image/jpeg", r.content_type)
        check(body == photo, "the document opened is not the photo sealed")
    return unlock_s


async def measure(
    args: argparse.Namespace, prepared: Prepared, base: str, handled: list[float]
) -> dict[str, Any]:
    queue_kinds = {
        "default": {},
        "village": {"village": str(prepared.village_id)},
        "newest": {"order": "newest"},
        "page_5": {"page": "4"},  # pages count from 0 in the URL
        "name": {"q": "nguyen van"},
        "cccd": {"q": prepared.cccd},
        "parcel": {"q": "/".join(PARCEL)},
    }
    paths = {
        kind: "/console/queue" + ("?" + urlencode(query) if query else "")
        for kind, query in queue_kinds.items()
    }
    timings: dict[str, Timings] = {k: Timings() for k in (*paths, "document", "submission")}
    totals: dict[str, int] = {}
    jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
    async with aiohttp.ClientSession(cookie_jar=jar, headers={"Accept-Language": "vi"}) as http:
        unlock_s = await sign_in_and_unlock(http, base, prepared)

        async def timed_get(kind: str, path: str, counted: bool) -> bytes:
            before = len(handled)
            started = time.perf_counter()
            async with http.get(base + path) as response:
                body = await response.read()
            elapsed = 1000 * (time.perf_counter() - started)
            check(response.status == 200, f"{path}: HTTP {response.status}: {body[:300]!r}")
            if counted:
                timings[kind].client_ms.append(elapsed)
                if len(handled) > before:
                    timings[kind].server_ms.append(handled[-1])
            return body

        profile = cProfile.Profile() if args.profile else None
        started = time.perf_counter()
        for round_no in range(args.warmup + args.requests):
            counted = round_no >= args.warmup
            if profile is not None and round_no == args.warmup:
                profile.enable()
            for kind, path in paths.items():
                body = await timed_get(kind, path, counted)
                if kind not in totals:
                    totals[kind] = total_of(body.decode())
            document_id, _ = prepared.documents[round_no % len(prepared.documents)]
            await timed_get("document", f"/console/d/{document_id}", counted)
            receipt = prepared.receipts[round_no % len(prepared.receipts)]
            await timed_get("submission", f"/console/s/{receipt}", counted)
        measured_s = time.perf_counter() - started
        if profile is not None:
            profile.disable()
            profile.dump_stats(args.profile)

    queue = Timings(
        [ms for kind in paths for ms in timings[kind].client_ms],
        [ms for kind in paths for ms in timings[kind].server_ms],
    ).summary()
    document = timings["document"].summary()
    return {
        "queue": queue,
        "queue_by_kind": {kind: timings[kind].summary() for kind in paths},
        "queue_rows_found": totals,
        "document": document,
        "submission_page": timings["submission"].summary(),
        "unlock_s": round(unlock_s, 2),
        "measured_s": round(measured_s, 1),
        "targets_met": {
            "queue_p95_lt_200ms": queue["p95"] < TARGETS_MS["queue"],
            "document_p95_lt_100ms": document["p95"] < TARGETS_MS["document"],
        },
    }


def rss_mb() -> float:
    """This process's resident set, from /proc/self/status."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


class RssSampler:
    """The resident set sampled every 10 ms in a thread, while a `with` block runs."""

    def __init__(self) -> None:
        self.before = 0.0
        self.peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(0.01):
            self.peak = max(self.peak, rss_mb())

    def __enter__(self) -> RssSampler:
        gc.collect()
        self.before = self.peak = rss_mb()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


async def download(
    http: aiohttp.ClientSession, url: str, into: Path
) -> tuple[float, int, RssSampler]:
    """Seconds from the request to the last byte, bytes, and the memory while it ran."""
    with RssSampler() as memory, into.open("wb") as out:
        started = time.perf_counter()
        async with http.get(url) as response:
            check(response.status == 200, f"{url}: HTTP {response.status}")
            size = 0
            async for piece in response.content.iter_chunked(64 * 1024):
                out.write(piece)
                size += len(piece)
        elapsed = time.perf_counter() - started
    return elapsed, size, memory


async def measure_exports(
    args: argparse.Namespace, prepared: Prepared, base: str, folder: Path
) -> dict[str, Any]:
    """The XLSX of every submission and the opened ZIP of their documents (module docstring)."""
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar, headers={"Accept-Language": "vi"}) as http:
        await sign_in_and_unlock(http, base, prepared)
        xlsx_s, xlsx_bytes, xlsx_rss = await download(
            http, f"{base}/console/export/xlsx?state=all", folder / "export.xlsx"
        )
        zip_s, zip_bytes, zip_rss = await download(
            http, f"{base}/console/export/zip?state=all", folder / "export.zip"
        )
    workbook = openpyxl.load_workbook(folder / "export.xlsx", read_only=True)
    rows = sum(1 for _ in workbook.worksheets[0].iter_rows()) - 1
    workbook.close()
    check(rows == args.submissions, f"the XLSX holds {rows} rows")
    photos = dict(prepared.documents)
    with zipfile.ZipFile(folder / "export.zip") as archive:
        opened = [n for n in archive.namelist() if n.endswith(".jpg")]
        check(len(opened) == len(photos), f"the ZIP holds {len(opened)} documents")
        sample = archive.read(opened[0])
        check(sample in photos.values(), "a document in the ZIP is not a photo sealed")
    document_mb = sum(len(photo) for photo in photos.values()) / 1e6
    return {
        "xlsx": {
            "rows": rows,
            "s": round(xlsx_s, 2),
            "mb": round(xlsx_bytes / 1e6, 2),
            "rss_before_mb": round(xlsx_rss.before),
            "rss_peak_mb": round(xlsx_rss.peak),
            "rss_increase_mb": round(xlsx_rss.peak - xlsx_rss.before),
        },
        "zip": {
            "documents": len(opened),
            "documents_mb": round(document_mb, 1),
            "archive_mb": round(zip_bytes / 1e6, 1),
            "s": round(zip_s, 2),
            "mb_per_s": round(zip_bytes / 1e6 / zip_s, 1),
            "rss_before_mb": round(zip_rss.before),
            "rss_peak_mb": round(zip_rss.peak),
            "rss_increase_mb": round(zip_rss.peak - zip_rss.before),
        },
        "targets_met": {
            "xlsx_lt_10s": xlsx_s < XLSX_TARGET["seconds"],
            # the export's own memory: the process also holds the bench's setup (~200 MB)
            "xlsx_rss_increase_lt_100mb": xlsx_rss.peak - xlsx_rss.before
            < XLSX_TARGET["peak_rss_mb"],
            "zip_ge_50mb_s": zip_bytes / 1e6 / zip_s >= ZIP_TARGET_MB_S,
        },
    }


def report(result: dict[str, Any]) -> None:
    """The human-readable lines (the JSON follows)."""
    setup = result["setup"]
    print(
        f"{result['database']}: {result['submissions']} submissions, "
        f"{result['documents']} documents; setup {setup['total_s']:.1f} s (migrate "
        f"{setup['migrate_s']:.1f}, commune and keys {setup['commune_and_keys_s']:.1f}, "
        f"submissions {setup['submissions_s']:.1f}, documents {setup['documents_s']:.1f})"
        + (
            f"; unlock {result['unlock_s']:.2f} s; measured {result['measured_s']:.0f} s"
            if "unlock_s" in result
            else ""
        )
    )

    def line(name: str, t: dict[str, Any], rows: int | None = None) -> None:
        found = f"  ({rows} found)" if rows is not None else ""
        print(
            f"  {name:<16} p50 {t['p50']:7.1f}  p95 {t['p95']:7.1f}  max {t['max']:7.1f} ms"
            f"   server p50 {t['server_p50']:6.1f}  p95 {t['server_p95']:6.1f}{found}"
        )

    if "exports" in result:
        x, z = result["exports"]["xlsx"], result["exports"]["zip"]
        print(
            f"  export XLSX: {x['rows']} rows, {x['mb']} MB in {x['s']:.2f} s; resident set "
            f"{x['rss_before_mb']} → peak {x['rss_peak_mb']} MB (+{x['rss_increase_mb']})"
        )
        print(
            f"  export ZIP (opened): {z['documents']} documents ({z['documents_mb']} MB), "
            f"archive {z['archive_mb']} MB in {z['s']:.2f} s = {z['mb_per_s']} MB/s; resident "
            f"set {z['rss_before_mb']} → peak {z['rss_peak_mb']} MB (+{z['rss_increase_mb']})"
        )
        met = result["exports"]["targets_met"]
        print(
            "  export targets: "
            + ", ".join(f"{k} {'met' if v else 'NOT met'}" for k, v in met.items())
        )
    if "queue" not in result:
        return
    line("queue, all", result["queue"])
    for kind, t in result["queue_by_kind"].items():
        line(f"  {kind}", t, result["queue_rows_found"].get(kind))
    line("document", result["document"])
    line("submission page", result["submission_page"])
    passes = ", ".join(
        f"{g} {v['passes']} passes {v['total_ms']} ms (max {v['max_ms']})"
        for g, v in result["gc"].items()
    )
    print(f"  collector ({result['gc_settings']} settings) while measuring: {passes}")
    met = result["targets_met"]
    print(
        f"  targets: queue p95 < 200 ms {'met' if met['queue_p95_lt_200ms'] else 'NOT met'}; "
        f"document p95 < 100 ms {'met' if met['document_p95_lt_100ms'] else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=10_000)
    parser.add_argument(
        "--database-url",
        help="PostgreSQL (postgresql+asyncpg://…): a fresh schema is made, and dropped after",
    )
    parser.add_argument("--requests", type=int, default=200, help="measured, of each kind")
    parser.add_argument("--warmup", type=int, default=20, help="rounds not counted")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--exports-only", action="store_true", help="measure the exports, not the requests"
    )
    parser.add_argument(
        "--profile",
        help="write a cProfile of the measured rounds here (the event loop's thread only: the "
        "name search's matching runs in a worker thread)",
    )
    parser.add_argument(
        "--default-gc",
        action="store_true",
        help="Python's collector settings instead of the running bot's (frozen start-up, "
        "raised thresholds)",
    )
    args = parser.parse_args()
    result = asyncio.run(run(args))
    report(result)
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
