"""The audit log in the console: a commune's events, filtered in the URL (by actor, submission,
action and Vietnam days: `_audit_filter`), newest first, 50 a page, with the audit chain's
verification at the top; and the same filter as a CSV.

Who may: the policy's `view_audit`: a commune's officers, the province's admins for any of
its communes (a picker, as on the queue); a village chief is refused with a page saying so, and
the refusal is recorded as the console's others are (`staff_refused`). The log shows the events
recorded against the commune (`event.commune_id`). Events without a commune — the province's
escrow key, the imports of units and villages, a province admin's own sign-ins and admin
invitations, the consents (recorded before a household names its commune) — are not shown to
anyone here: a row does not say which province it belongs to, so showing them would show one
province's admins another's. They are in the chain, so its verification covers them, and
`hoso status` reports it.

The verification is `verify_event_chain`, called as it is, so a stronger chain check shows up
here unchanged. It reads the whole chain (every commune's events: the chain is one) on every
page: 0.25 s for 10,000 events on SQLite and PostgreSQL alike, growing with the chain.

The CSV holds exactly the filtered events (every page; at most `MAX_CSV`: filter by dates or
action beyond that), newest first, read in batches of short transactions and sent as it is read;
UTF-8 with a BOM (Excel opens it as UTF-8), headers and labels in Vietnamese (the one language
of the commune's records), every cell that could start a formula made plain text. Its download
is an audit event itself (`audit_exported`, with the filter, the rows written and whether the
download completed), written when the download ends, as the queue's exports are.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from intake.console._access import ConsoleUser
from intake.console._audit_filter import ACTIONS, ACTOR_KINDS, AuditFilter
from intake.console._scope import Scope, reader_language, record_refusal
from intake.exports import csv_cell
from intake.language import CATALOG, VIETNAM, Language, render
from intake.staff._policy import Action, Decision, Subject, decide
from storage.deps import Deps
from storage.models import Event
from storage.repositories import audit as rows
from storage.repositories import places
from storage.repositories.audit import AuditQuery, ChainFault, append_event, verify_event_chain
from storage.states import ActorKind, StaffRole

__all__ = [
    "AUDIT_PAGE_SIZE",
    "MAX_CSV",
    "AuditCsv",
    "AuditCsvWriter",
    "AuditPage",
    "AuditRefused",
    "AuditRow",
    "ChainCheck",
    "ConsoleAudit",
]

AUDIT_PAGE_SIZE = 50
MAX_CSV = 100_000  # events in one CSV (a commune's campaign makes tens of thousands)
_BATCH = 1_000  # events read per transaction while a CSV is sent
_DATA_SHOWN = 300  # characters of an event's data on the page (the CSV holds all of it)


class AuditRefused(Exception):
    """The page or CSV is not given: the message to show (`key`, `params`) and the status."""

    def __init__(self, key: str, status: int, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.status = status
        self.params = params


class _PolicyRefused(Exception):
    def __init__(self, decision: Decision, subject: Subject) -> None:
        super().__init__(decision.value)
        self.decision = decision
        self.subject = subject


@dataclass(frozen=True, slots=True)
class ChainCheck:
    """The audit chain's verification: intact, or its first fault and where it is."""

    events: int  # in the whole chain
    fault: ChainFault | None
    broken_at: int | None  # the event named by the fault (ChainState says which)
    head_event_id: int
    broken_time: datetime | None  # Vietnam time of `broken_at`; None when there is no such row

    @property
    def intact(self) -> bool:
        return self.fault is None


@dataclass(frozen=True, slots=True)
class AuditRow:
    id: int
    at: datetime  # Vietnam time
    actor_kind: ActorKind
    actor_id: str
    actor: str  # a staff member's name, or the kind of actor, in the reader's language
    action: str
    action_label: str
    receipt: str | None
    note: str
    data: str  # compact; the page's is cut at `_DATA_SHOWN` characters


@dataclass(frozen=True)
class AuditPage:
    filter: AuditFilter
    commune_id: int
    commune_name: str
    communes: list[tuple[int, str]]  # an admin's choice of commune; empty for the others
    actors: list[tuple[str, str]]  # the actor select: (value, label)
    actions: list[tuple[str, str]]  # the action select: (value, label)
    rows: list[AuditRow]
    total: int
    pages: int
    chain: ChainCheck


@dataclass(frozen=True)
class AuditCsv:
    """A CSV the reader may have: the filter's events up to the newest when it was asked for."""

    filter: AuditFilter
    commune_id: int
    commune_code: str
    query: AuditQuery
    total: int
    below: int  # the events before this id (newer ones came after the request)

    def filename(self, stamp: str) -> str:
        return f"nhat-ky-{self.commune_code}-{stamp}.csv"


class ConsoleAudit:
    """The audit page's use cases (module docstring)."""

    def __init__(self, deps: Deps, *, scope: Scope) -> None:
        self.deps = deps
        self.scope = scope

    @asynccontextmanager
    async def _transaction(self, user: ConsoleUser) -> AsyncIterator[AsyncSession]:
        """One transaction; a policy refusal is rolled back, recorded in a transaction of its
        own (as the console's other refusals are) and answered with a page saying why."""
        try:
            async with self.deps.database.sessions.begin() as session:
                yield session
        except _PolicyRefused as refused:
            await record_refusal(
                self.deps,
                user,
                action=Action.VIEW_AUDIT,
                decision=refused.decision.value,
                commune_id=refused.subject.commune_id,
            )
            raise AuditRefused("console.audit_not_allowed", 403) from None

    async def _commune(
        self, session: AsyncSession, user: ConsoleUser, asked: int | None
    ) -> tuple[int, str, list[tuple[int, str]]]:
        chosen, name, communes = await self.scope(session, user, asked)
        subject = Subject(user.actor.province_id, chosen)
        decision = decide(user.actor, Action.VIEW_AUDIT, subject)
        if not decision.allowed:
            raise _PolicyRefused(decision, subject)
        return chosen, name, communes

    async def page(self, user: ConsoleUser, wanted: AuditFilter) -> AuditPage:
        """One page of the filtered events; AuditRefused for a page past the last."""
        language = reader_language(user)
        async with self._transaction(user) as session:
            commune_id, name, communes = await self._commune(session, user, wanted.commune)
            query = wanted.of_commune(commune_id)
            total = await rows.count_events(session, query)
            pages = max(1, -(-total // AUDIT_PAGE_SIZE))
            if wanted.page >= pages:
                raise AuditRefused(
                    "console.audit_bad_page", 400, page=wanted.page + 1, pages=pages
                )
            found = await rows.search_events(
                session, query, offset=wanted.page * AUDIT_PAGE_SIZE, limit=AUDIT_PAGE_SIZE
            )
            shown = await _rows(session, found, language, cut=_DATA_SHOWN)
            actors = await rows.staff_actors(session, commune_id)
        return AuditPage(
            filter=wanted,
            commune_id=commune_id,
            commune_name=name,
            communes=communes,
            actors=_actor_choices(actors, language),
            actions=[(action, action_label(language, action)) for action in ACTIONS],
            rows=shown,
            total=total,
            pages=pages,
            chain=await self.chain(),
        )

    async def chain(self) -> ChainCheck:
        """The chain's verification (`verify_event_chain`, the one check), with its size and the
        time of the event where it breaks."""
        async with self.deps.database.sessions() as session:
            state = await verify_event_chain(session)
            count = await rows.events_in_chain(session)
            broken = state.broken_at
            at = await rows.event_time(session, broken) if broken else None
        return ChainCheck(
            count,
            state.fault,
            broken,
            state.head_event_id,
            at.astimezone(VIETNAM) if at else None,
        )

    async def csv(self, user: ConsoleUser, wanted: AuditFilter) -> AuditCsv:
        """The filtered events for a CSV; AuditRefused when there are none or too many."""
        async with self._transaction(user) as session:
            commune_id, _, _ = await self._commune(session, user, wanted.commune)
            query = wanted.of_commune(commune_id)
            total = await rows.count_events(session, query)
            newest = await rows.search_events(session, query, limit=1)
            commune = await places.commune(session, commune_id)
        if total == 0 or not newest:
            raise AuditRefused("console.audit_csv_nothing", 200)
        if total > MAX_CSV:
            raise AuditRefused("console.audit_csv_too_many", 413, count=total, limit=MAX_CSV)
        code = commune.code if commune else str(commune_id)
        return AuditCsv(wanted, commune_id, code, query, total, newest[0][0].id + 1)

    def writer(self, export: AuditCsv) -> AuditCsvWriter:
        return AuditCsvWriter(self.deps, export)

    async def exported(self, user: ConsoleUser, sent: AuditCsvWriter, *, complete: bool) -> None:
        """The CSV's own audit event (module docstring): its filter and the rows sent."""
        export = sent.export
        async with self.deps.database.sessions.begin() as session:
            await append_event(
                session,
                actor_kind=ActorKind.STAFF,
                actor_id=str(user.staff_id),
                action="audit_exported",
                commune_id=export.commune_id,
                data={
                    "via": "console",
                    "filter": export.filter.params(page=0),
                    "rows": sent.rows,
                    "complete": complete,
                },
            )


class AuditCsvWriter:
    """A CSV's bytes (`chunks`), a batch of events at a time, each batch read in a transaction
    of its own: the database is not held while the client downloads. `rows`: those sent."""

    def __init__(self, deps: Deps, export: AuditCsv) -> None:
        self.deps = deps
        self.export = export
        self.rows = 0

    async def chunks(self) -> AsyncIterator[bytes]:
        language = Language.VI
        yield b"\xef\xbb\xbf" + _csv_lines(
            [[render(language, f"console.audit_column_{name}") for name in _COLUMNS]]
        )
        export, below = self.export, self.export.below
        while self.rows < export.total:
            async with self.deps.database.sessions() as session:
                found = await rows.search_events(
                    session, export.query, limit=min(_BATCH, export.total - self.rows), below=below
                )
                batch = await _rows(session, found, language, cut=None)
            if not batch:
                break
            yield _csv_lines(
                [
                    [
                        row.id,
                        row.at.strftime("%Y-%m-%d %H:%M:%S"),
                        render(language, f"console.actor_{row.actor_kind.value}"),
                        row.actor,
                        row.actor_id,
                        row.action_label,
                        row.action,
                        row.receipt or "",
                        row.note,
                        row.data,
                    ]
                    for row in batch
                ]
            )
            self.rows += len(batch)
            below = batch[-1].id


def _csv_lines(lines: list[list[object]]) -> bytes:
    """CSV lines, every cell plain text (`csv_cell`: nothing starts a formula)."""
    text = io.StringIO()
    table = csv.writer(text)
    for line in lines:
        table.writerow(csv_cell(value) for value in line)
    return text.getvalue().encode()


_COLUMNS = (
    "id",
    "at",
    "actor_kind",
    "actor",
    "actor_id",
    "action",
    "action_code",
    "receipt",
    "note",
    "data",
)


def action_label(language: Language, action: str) -> str:
    """An action's words (`console.event_<action>`), or its name for one without."""
    key = f"console.event_{action}"
    return render(language, key) if key in CATALOG else action


def _actor_choices(
    staff: list[tuple[int, str, StaffRole]], language: Language
) -> list[tuple[str, str]]:
    """The actor select: the staff who acted here by name (with their role), then the kinds."""
    members = sorted(
        (
            (
                f"staff:{staff_id}",
                f"{name or _unnamed(language, str(staff_id))} — "
                + render(language, f"console.staff_{role.value}"),
            )
            for staff_id, name, role in staff
        ),
        key=lambda choice: choice[1].casefold(),
    )
    kinds = [(kind, render(language, f"console.actor_{kind}")) for kind in ACTOR_KINDS]
    return members + kinds


def _unnamed(language: Language, actor_id: str) -> str:
    return render(language, "console.audit_staff_unnamed", {"id": actor_id})


def _data_text(data: dict[str, Any], cut: int | None) -> str:
    """`key: value · …` (nested values as compact JSON) for the page, cut at `cut` characters;
    the whole compact JSON for the CSV (`cut` None)."""
    if cut is None:
        return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    parts = [
        f"{key}: {value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)}"
        for key, value in sorted(data.items())
    ]
    text = " · ".join(parts)
    return text if len(text) <= cut else text[: cut - 1] + "…"


async def _rows(
    session: AsyncSession,
    found: list[tuple[Event, str | None]],
    language: Language,
    *,
    cut: int | None,
) -> list[AuditRow]:
    staff_ids = {
        int(event.actor_id)
        for event, _ in found
        if event.actor_kind is ActorKind.STAFF
        and event.actor_id
        and event.actor_id.isdigit()
        and len(event.actor_id) < 10
    }
    names = await rows.staff_names(session, staff_ids)
    shown = []
    for event, receipt in found:
        actor_id = event.actor_id or ""
        if event.actor_kind is ActorKind.STAFF:
            staff = names.get(int(actor_id)) if actor_id.isdigit() and len(actor_id) < 10 else None
            actor = staff or _unnamed(language, actor_id)
        else:
            actor = render(language, f"console.actor_{event.actor_kind.value}")
        shown.append(
            AuditRow(
                id=event.id,
                at=event.at.astimezone(VIETNAM),
                actor_kind=event.actor_kind,
                actor_id=actor_id,
                actor=actor,
                action=event.action,
                action_label=action_label(language, event.action),
                receipt=receipt,
                note=event.note,
                data=_data_text(event.data or {}, cut),
            )
        )
    return shown
