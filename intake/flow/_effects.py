"""What a flow step asks the desk to do inside the same transaction, besides saving the draft."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from intake.chat import Reply, Upload
from intake.flow._model import Draft
from intake.language import Language

__all__ = [
    "AcceptUpload",
    "DiscardDraft",
    "DiscardUpload",
    "Effect",
    "RecordConsent",
    "RecordConsentInPerson",
    "SetLanguage",
    "SubmitDraft",
    "Transition",
]


@dataclass(frozen=True, slots=True)
class RecordConsent:
    """The resident agreed to the notice the flow showed them: its catalog key and parameters
    (the desk keeps its text, in the language shown, with its hash)."""

    version: str
    notice: str = "consent.notice"
    notice_params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class RecordConsentInPerson:
    """Assisted submission: the household consented in person, as the staff member records,
    to the notice the flow showed the staff member to read to them."""

    version: str
    staff_id: int
    notice: str = "assist.consent"
    notice_params: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SetLanguage:
    language: Language


@dataclass(frozen=True, slots=True)
class AcceptUpload:
    """Create the pending document for this upload; the pipeline fetches and seals it."""

    slot: str
    upload: Upload


@dataclass(frozen=True, slots=True)
class DiscardUpload:
    """A slot was emptied or replaced: delete that document (it was never submitted)."""

    file_unique_id: str


@dataclass(frozen=True, slots=True)
class DiscardDraft:
    """The resident cancelled: delete the draft and its documents."""


@dataclass(frozen=True, slots=True)
class SubmitDraft:
    """Route the draft, turn it into a submission and send the receipt."""

    draft: Draft


Effect = (
    RecordConsent
    | RecordConsentInPerson
    | SetLanguage
    | AcceptUpload
    | DiscardUpload
    | DiscardDraft
    | SubmitDraft
)


@dataclass(frozen=True)
class Transition:
    """A step's result: the new draft (None: no draft any more), replies and effects."""

    draft: Draft | None
    replies: tuple[Reply, ...] = ()
    effects: tuple[Effect, ...] = ()
