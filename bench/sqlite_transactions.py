"""CPU per SQLite transaction through hoso's driver adapter and through aiosqlite's own.

    .venv/bin/python bench/sqlite_transactions.py [--transactions 200] [--rounds 15]

Two databases built by `Database.connect`, one of them with SQLAlchemy's stock aiosqlite
adapter in place of `storage._inline_sqlite.inline_dbapi` (statements awaited through
aiosqlite's coroutines, three round trips between greenlets each), the other as the bot runs.
Each transaction has the shape of a resident's step: BEGIN IMMEDIATE, the update's claim (an
INSERT), a read, an UPDATE, COMMIT. Rounds alternate between the two, in one process, so that
the machine's wandering speed falls on both; reported are the medians of process CPU per
transaction and the median of the per-round ratio. The last line is one JSON object.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import aiosqlite
from sqlalchemy import select, update
from sqlalchemy.dialects.sqlite.aiosqlite import AsyncAdapt_aiosqlite_dbapi

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from storage.db import Database, sqlite_url
from storage.models import Province
from storage.repositories.updates import claim_update

_READ = select(Province.id).where(Province.code == "66")
_WRITE = update(Province).where(Province.code == "66").values(name="Đắk Lắk")


async def _database(path: Path, *, stock: bool) -> Database:
    if stock:
        stock_dbapi = AsyncAdapt_aiosqlite_dbapi(aiosqlite, sqlite3)
        with mock.patch("storage.db.inline_dbapi", return_value=stock_dbapi):
            database = Database.connect(sqlite_url(path))
    else:
        database = Database.connect(sqlite_url(path))
    await database.upgrade()
    async with database.sessions.begin() as session:
        session.add(Province(code="66", name="Đắk Lắk", short_name="Đắk Lắk", search_key="dak"))
    return database


async def _round(database: Database, first_update: int, transactions: int) -> float:
    """Process CPU per transaction, in ms."""
    started = time.process_time()
    for update_id in range(first_update, first_update + transactions):
        async with database.sessions.begin() as session:
            await claim_update(session, 1, update_id)
            connection = await session.connection()
            await connection.execute(_READ)
            await connection.execute(_WRITE)
    return (time.process_time() - started) / transactions * 1000


async def run(transactions: int, rounds: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as directory:
        databases = {
            "stock": await _database(Path(directory) / "stock.db", stock=True),
            "hoso": await _database(Path(directory) / "hoso.db", stock=False),
        }
        try:
            for database in databases.values():  # warm: statement caches, the pool
                await _round(database, 0, 50)
            times: dict[str, list[float]] = {"stock": [], "hoso": []}
            for number in range(rounds):
                order = ("stock", "hoso") if number % 2 else ("hoso", "stock")
                for name in order:
                    first = 1000 + number * transactions
                    times[name].append(await _round(databases[name], first, transactions))
        finally:
            for database in databases.values():
                await database.close()
    ratios = [hoso / stock for hoso, stock in zip(times["hoso"], times["stock"], strict=True)]
    return {
        "stock_ms": round(statistics.median(times["stock"]), 3),
        "hoso_ms": round(statistics.median(times["hoso"]), 3),
        "ratio": round(statistics.median(ratios), 3),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transactions", type=int, default=200, help="per round")
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    report = asyncio.run(run(args.transactions, args.rounds))
    print(
        f"CPU per transaction: stock adapter {report['stock_ms']} ms, "
        f"hoso's {report['hoso_ms']} ms (median ratio {report['ratio']})"
    )
    print(json.dumps(report))


if __name__ == "__main__":
    main()
