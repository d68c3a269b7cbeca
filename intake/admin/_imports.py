"""CSV imports of a commune's own lists: villages, parcels and collection targets.

Every file is read whole and checked first; if any line is wrong the import is refused with every
problem listed by line number and nothing is written. Files may be UTF-8 with or without a BOM
(Excel's "CSV UTF-8"), comma- or semicolon-separated; text is NFC-normalised. Formats (the README
has samples):

- villages: `commune_code, village_name[, village_code]` — a missing code becomes
  `<commune code>-<nn>`; re-importing updates names (matched by code, else by name).
- parcels: `commune_code, map_sheet, parcel_no[, village_code]` — upserted on
  (commune, map sheet, parcel); an empty village means "known only at commune level".
- targets: `commune_code, household_name[, village_code, cccd, map_sheet, parcel_no, group]` —
  the file is the full list of each commune it names: those communes' previous targets are
  replaced. `group` is the parcel's group in the campaign's terms (1, 2 or 3, or empty); a
  parcel named again keeps the group it was first imported with (to count moves to group 1).
  Names and CCCD numbers are stored encrypted; the CCCD also as a blind index for matching.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from intake.language import InvalidCccd, nfc, parse_cccd, search_key
from storage.deps import Deps
from storage.models import Commune, Village
from storage.repositories import places
from storage.repositories.audit import append_event
from storage.states import ActorKind

__all__ = [
    "CsvProblem",
    "ImportRefused",
    "ImportResult",
    "import_parcels",
    "import_targets",
    "import_villages",
]

_VILLAGE_CODE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
_SHEET_OR_PARCEL = re.compile(r"^[0-9A-Za-z./-]{1,16}$")
_BATCH = 2000


@dataclass(frozen=True)
class CsvProblem:
    line: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}" if self.line else self.message


class ImportRefused(Exception):
    """The file was refused whole; `problems` lists everything wrong, by line."""

    def __init__(self, problems: Sequence[CsvProblem]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was imported")
        self.problems = list(problems)


@dataclass(frozen=True)
class ImportResult:
    added: int
    updated: int
    communes: int
    details: dict[str, int] = field(default_factory=dict)


@dataclass
class _Rows:
    rows: list[tuple[int, dict[str, str]]]


def read_csv(data: bytes, required: Sequence[str], optional: Sequence[str] = ()) -> _Rows:
    """Decode and split a CSV file; raise ImportRefused for encoding or header problems."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ImportRefused(
            [
                CsvProblem(
                    line,
                    "the file is not UTF-8 text; in Excel use “Save as → CSV UTF-8”",
                )
            ]
        ) from None
    if not text.strip():
        raise ImportRefused([CsvProblem(0, "the file is empty")])
    first_line = text.splitlines()[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [search_key(name).replace(" ", "_") for name in next(reader)]
    missing = [name for name in required if name not in header]
    if missing:
        raise ImportRefused(
            [
                CsvProblem(
                    1,
                    f"missing column(s) {', '.join(missing)}; expected "
                    f"{', '.join([*required, *optional])}",
                )
            ]
        )
    known = set(required) | set(optional)
    rows: list[tuple[int, dict[str, str]]] = []
    problems: list[CsvProblem] = []
    for values in reader:
        line = reader.line_num
        if not any(value.strip() for value in values):
            continue
        if len(values) > len(header):
            problems.append(
                CsvProblem(line, f"{len(values)} fields, the header has {len(header)}")
            )
            continue
        record = {
            name: nfc(value) for name, value in zip(header, values, strict=False) if name in known
        }
        rows.append((line, record))
    if problems:
        raise ImportRefused(problems)
    if not rows:
        raise ImportRefused([CsvProblem(0, "the file has a header but no rows")])
    return _Rows(rows)


def _commune_of(
    record: dict[str, str], line: int, communes: dict[str, Commune], problems: list[CsvProblem]
) -> Commune | None:
    code = record.get("commune_code", "")
    commune = communes.get(code)
    if commune is None:
        problems.append(
            CsvProblem(
                line,
                f"commune_code {code!r} is not a known commune"
                " (run `hoso units import` for its province first)",
            )
        )
    return commune


async def import_villages(deps: Deps, data: bytes, *, province_code: str | None) -> ImportResult:
    parsed = read_csv(data, ["commune_code", "village_name"], ["village_code"])
    problems: list[CsvProblem] = []
    async with deps.database.sessions.begin() as session:
        communes = await places.communes_by_code(session, province_code)
        existing = list((await places.all_villages(session)).values())
        by_code = {village.code: village for village in existing}
        by_name = {(village.commune_id, village.search_key): village for village in existing}
        seen_codes: dict[str, int] = {}
        planned: list[tuple[Commune, str, str]] = []
        for line, record in parsed.rows:
            commune = _commune_of(record, line, communes, problems)
            name = record.get("village_name", "")
            code = record.get("village_code", "")
            if not name:
                problems.append(CsvProblem(line, "village_name is empty"))
            if code and not _VILLAGE_CODE.fullmatch(code):
                problems.append(
                    CsvProblem(line, f"village_code {code!r}: use only letters, digits, - and _")
                )
            elif code and code in seen_codes:
                problems.append(
                    CsvProblem(line, f"village_code {code!r} repeats line {seen_codes[code]}")
                )
            elif code and code in by_code and commune and by_code[code].commune_id != commune.id:
                problems.append(
                    CsvProblem(line, f"village_code {code!r} already belongs to another commune")
                )
            if code:
                seen_codes[code] = line
            if commune is not None and name:
                planned.append((commune, name, code))
        if problems:
            raise ImportRefused(problems)
        added = updated = 0
        next_number: dict[int, int] = {}
        for commune, name, code in planned:
            village = by_code.get(code) if code else by_name.get((commune.id, search_key(name)))
            if village is not None:
                if village.name != name:
                    village.name, village.search_key = name, search_key(name)
                    updated += 1
                continue
            new_code = code or _free_code(commune, by_code, next_number)
            village = Village(
                commune_id=commune.id, code=new_code, name=name, search_key=search_key(name)
            )
            session.add(village)
            by_code[new_code] = village
            by_name[(commune.id, village.search_key)] = village
            added += 1
        await append_event(
            session,
            actor_kind=ActorKind.ADMIN_CLI,
            actor_id=None,
            action="villages_imported",
            data={"added": added, "updated": updated},
        )
    return ImportResult(added, updated, len({commune.id for commune, _, _ in planned}))


def _free_code(commune: Commune, taken: dict[str, Village], counters: dict[int, int]) -> str:
    number = counters.get(commune.id, 0)
    while True:
        number += 1
        code = f"{commune.code}-{number:02d}"
        if code not in taken:
            counters[commune.id] = number
            return code


def _village_of(
    record: dict[str, str],
    line: int,
    commune: Commune | None,
    villages: dict[str, Village],
    problems: list[CsvProblem],
) -> Village | None:
    code = record.get("village_code", "")
    if not code:
        return None
    village = villages.get(code)
    if village is None:
        problems.append(CsvProblem(line, f"village_code {code!r} is not a known village"))
    elif commune is not None and village.commune_id != commune.id:
        problems.append(CsvProblem(line, f"village {code!r} is not in commune {commune.code}"))
    return village


def _sheet_and_parcel(
    record: dict[str, str], line: int, problems: list[CsvProblem], *, required: bool
) -> tuple[str | None, str | None]:
    sheet, parcel = record.get("map_sheet", ""), record.get("parcel_no", "")
    if not sheet and not parcel and not required:
        return None, None
    for label, value in (("map_sheet", sheet), ("parcel_no", parcel)):
        if not _SHEET_OR_PARCEL.fullmatch(value):
            problems.append(
                CsvProblem(line, f"{label} {value!r}: expected up to 16 letters/digits")
            )
    return sheet.upper(), parcel.upper()


async def import_parcels(deps: Deps, data: bytes, *, province_code: str | None) -> ImportResult:
    parsed = read_csv(data, ["commune_code", "map_sheet", "parcel_no"], ["village_code"])
    problems: list[CsvProblem] = []
    async with deps.database.sessions.begin() as session:
        communes = await places.communes_by_code(session, province_code)
        villages = await places.all_villages(session)
        seen: dict[tuple[int, str, str], int] = {}
        values: list[dict[str, Any]] = []
        for line, record in parsed.rows:
            commune = _commune_of(record, line, communes, problems)
            village = _village_of(record, line, commune, villages, problems)
            sheet, parcel = _sheet_and_parcel(record, line, problems, required=True)
            if commune is None or sheet is None or parcel is None:
                continue
            key = (commune.id, sheet, parcel)
            if key in seen:
                problems.append(
                    CsvProblem(line, f"parcel {sheet}/{parcel} repeats line {seen[key]}")
                )
                continue
            seen[key] = line
            values.append(
                {
                    "commune_id": commune.id,
                    "map_sheet": sheet,
                    "parcel_no": parcel,
                    "village_id": village.id if village else None,
                }
            )
        if problems:
            raise ImportRefused(problems)
        await places.upsert_parcels(session, values)
        await append_event(
            session,
            actor_kind=ActorKind.ADMIN_CLI,
            actor_id=None,
            action="parcels_imported",
            data={"rows": len(values)},
        )
    return ImportResult(len(values), 0, len({value["commune_id"] for value in values}))


async def import_targets(deps: Deps, data: bytes, *, province_code: str | None) -> ImportResult:
    parsed = read_csv(
        data,
        ["commune_code", "household_name"],
        ["village_code", "cccd", "map_sheet", "parcel_no", "group"],
    )
    problems: list[CsvProblem] = []
    async with deps.database.sessions.begin() as session:
        communes = await places.communes_by_code(session, province_code)
        villages = await places.all_villages(session)
        values: list[dict[str, Any]] = []
        for line, record in parsed.rows:
            commune = _commune_of(record, line, communes, problems)
            village = _village_of(record, line, commune, villages, problems)
            sheet, parcel = _sheet_and_parcel(record, line, problems, required=False)
            name = record.get("household_name", "")
            if not name:
                problems.append(CsvProblem(line, "household_name is empty"))
            number = None
            if record.get("cccd"):
                try:
                    number = parse_cccd(record["cccd"]).number
                except InvalidCccd as exc:
                    problems.append(
                        CsvProblem(line, f"cccd is not a valid CCCD number ({exc.problem})")
                    )
            group = record.get("group", "").strip()
            if group not in ("", "1", "2", "3"):
                problems.append(CsvProblem(line, f"group is {group!r}: write 1, 2, 3 or nothing"))
            if commune is None or not name or problems:
                continue
            values.append(
                {
                    "commune_id": commune.id,
                    "village_id": village.id if village else None,
                    "household_name": name,
                    "cccd": number,
                    "map_sheet": sheet,
                    "parcel_no": parcel,
                    "group": int(group) if group else None,
                }
            )
        if problems:
            raise ImportRefused(problems)
        commune_ids = sorted({value["commune_id"] for value in values})
        replaced = await places.replace_targets(
            session, deps.fields, deps.blind, commune_ids, values
        )
        await append_event(
            session,
            actor_kind=ActorKind.ADMIN_CLI,
            actor_id=None,
            action="targets_imported",
            data={"rows": len(values), "replaced": replaced},
        )
    return ImportResult(len(values), 0, len(commune_ids), {"replaced": replaced})
