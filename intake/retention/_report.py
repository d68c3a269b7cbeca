"""What a retention run did, or would do, per commune (pure): the tallies `hoso retention`
prints and each commune's audit event records."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

__all__ = ["CommuneTally", "Erased", "Purged", "RetentionReport", "tally"]


@dataclass(frozen=True, slots=True)
class Purged:
    """One submission whose documents are destroyed."""

    commune_id: int
    receipt: str
    documents: int  # rows marked deleted
    files: int  # sealed files removed from the blob store
    file_bytes: int


@dataclass(frozen=True, slots=True)
class Erased:
    """One submission whose identity fields are erased, and whose they were (`person`: the
    resident's account, or the submission itself for a household a chief submitted for)."""

    commune_id: int
    receipt: str
    person: Hashable


@dataclass(frozen=True, slots=True)
class CommuneTally:
    """One commune's part of a run. `residents`: the people whose fields were erased here (a
    resident with submissions in two communes counts in each)."""

    commune_id: int
    code: str = ""
    name: str = ""
    submissions: int = 0
    documents: int = 0
    files: int = 0
    file_bytes: int = 0
    residents: int = 0
    purged: tuple[str, ...] = ()  # receipt codes
    erased: tuple[str, ...] = ()

    def __add__(self, other: CommuneTally) -> CommuneTally:
        return replace(
            self,
            submissions=self.submissions + other.submissions,
            documents=self.documents + other.documents,
            files=self.files + other.files,
            file_bytes=self.file_bytes + other.file_bytes,
            residents=self.residents + other.residents,
            purged=self.purged + other.purged,
            erased=self.erased + other.erased,
        )

    def audit_data(self, days: int, before: datetime) -> dict[str, Any]:
        """The commune's audit event's data: the rule applied, the counts, the receipts."""
        return {
            "retention_days": days,
            "decided_before": before.isoformat(),
            "submissions": self.submissions,
            "documents": self.documents,
            "files": self.files,
            "bytes": self.file_bytes,
            "residents_erased": self.residents,
            "purged": list(self.purged),
            "erased": list(self.erased),
        }


@dataclass(frozen=True, slots=True)
class RetentionReport:
    """A run's tallies by commune (ordered by commune code); `cutoff`: decisions made before it
    were old enough."""

    days: int
    cutoff: datetime
    communes: tuple[CommuneTally, ...] = field(default=())

    @property
    def empty(self) -> bool:
        return not self.communes

    def total(self) -> CommuneTally:
        whole = CommuneTally(0)
        for commune in self.communes:
            whole += commune
        return whole

    def merged(self, later: RetentionReport) -> RetentionReport:
        """This run's tallies and a later batch's, summed per commune."""
        by_id = {c.commune_id: c for c in self.communes}
        for commune in later.communes:
            known = by_id.get(commune.commune_id)
            by_id[commune.commune_id] = commune if known is None else known + commune
        return replace(self, communes=_ordered(by_id.values()))


def _ordered(communes: Iterable[CommuneTally]) -> tuple[CommuneTally, ...]:
    return tuple(sorted(communes, key=lambda c: (c.code, c.commune_id)))


def tally(
    purged: Iterable[Purged], erased: Iterable[Erased], names: Mapping[int, tuple[str, str]]
) -> tuple[CommuneTally, ...]:
    """Per commune (`names`: id → code, name), what was purged and erased; communes with
    nothing left out."""
    by_id: dict[int, CommuneTally] = {}
    people: dict[int, set[Hashable]] = {}

    def of(commune_id: int) -> CommuneTally:
        code, name = names.get(commune_id, ("", ""))
        return by_id.get(commune_id) or CommuneTally(commune_id, code, name)

    for gone in purged:
        by_id[gone.commune_id] = of(gone.commune_id) + CommuneTally(
            gone.commune_id,
            submissions=1,
            documents=gone.documents,
            files=gone.files,
            file_bytes=gone.file_bytes,
            purged=(gone.receipt,),
        )
    for fields in erased:
        by_id[fields.commune_id] = of(fields.commune_id) + CommuneTally(
            fields.commune_id, erased=(fields.receipt,)
        )
        people.setdefault(fields.commune_id, set()).add(fields.person)
    return _ordered(
        replace(commune, residents=len(people.get(commune_id, ())))
        for commune_id, commune in by_id.items()
    )
