"""The staff desk: village chiefs, commune officers and province admins in their private chat.

It takes invite links (`/start i<token>`), the staff commands (/queue, /progress, /report,
/settings, /invite, /assist) and every button whose data starts with `s:`. Each event is one
transaction, like the resident desk's: the update id is recorded, the staff row is read again
(a cached roster only routes texts), and every action goes through `policy.decide` with the
subject it concerns; a refused action is answered politely and recorded as an audit event.

Button data names an action and ids, never a trusted fact:
`s:o:<receipt>` open · `s:q:<commune>:<village|t|*>:<state|*>:<page>` queue ·
`s:qv:<commune>` choose a village · `s:qc:<page>` choose a commune (admins) ·
`s:ok:<receipt>` / `s:oky:<receipt>` accept, confirmed · `s:ni:<receipt>:<mask>` choose the
slots for "needs info" (`s:nd:` done) · `s:rj:<receipt>` / `s:rr:<receipt>:<reason>` reject ·
`s:as:<receipt>` / `s:av:<receipt>:<village>` assign · `s:pg:<village>` a village's progress ·
`s:set:<choice>` settings · `s:iv:<village>` / `s:io` invite · `s:ap:<village>` assisted
submission for a village (officers) · `s:skip` no note.

Where a note is wanted (needs info, a rejection for another reason) the desk remembers it on the
staff row (`awaiting`) and the next text is the note; /cancel forgets it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from intake.deps import Deps
from intake.events import Button, Command, Event, Keyboard, KeyboardKind, Pressed, Reply, Text
from intake.flow import Directory, Place
from intake.messages import Language, render
from intake.policy import Action, Subject, decide
from intake.progress import (
    CommuneReport,
    missing_households,
    report_replies,
    village_figures,
)
from intake.residents import Outcome, ResidentDesk
from intake.review import (
    CLOSED,
    REJECT_REASONS,
    ReviewError,
    accept,
    all_slots,
    ask_for_info,
    assign,
    card_of,
    queue,
    reject,
    start_review,
    submission_by_receipt,
)
from intake.staff import (
    INVITE_PREFIX,
    InviteError,
    StaffRoster,
    actor_of,
    create_invite,
    invite_link,
    redeem_invite,
    staff_for_user,
)
from intake.text import VIETNAM, nfc
from storage.models import Citizen, Commune, Province, Staff, Submission, Village, utcnow
from storage.repositories import append_event, claim_update
from storage.states import ActorKind, StaffRole, SubmissionState

__all__ = ["STAFF_COMMANDS", "StaffDesk"]

STAFF_COMMANDS = frozenset({"queue", "progress", "report", "settings", "invite", "assist"})
ROLE_COMMANDS = {
    StaffRole.CHIEF: ("queue", "progress", "assist", "settings", "help", "cancel"),
    StaffRole.OFFICER: (
        "queue",
        "progress",
        "report",
        "invite",
        "assist",
        "settings",
        "help",
        "cancel",
    ),
    StaffRole.ADMIN: ("queue", "progress", "report", "settings", "help", "cancel"),
}
_PAGE = 8
_INT = re.compile(r"[0-9]{1,9}")


def _int(text: str) -> int | None:
    return int(text) if _INT.fullmatch(text) else None


def _inline(*rows: tuple[Button, ...]) -> Keyboard:
    return Keyboard(KeyboardKind.INLINE, tuple(row for row in rows if row))


@dataclass
class _Turn:
    """One event being handled: the session, the staff row and what to answer."""

    session: AsyncSession
    event: Event
    staff: Staff
    province: Province
    outcome: Outcome
    directory: Directory

    def say(self, key: str, params: dict[str, object] | None = None, **kw: object) -> None:
        self.outcome.replies.append(Reply(key, params or {}, **kw))  # type: ignore[arg-type]


class StaffDesk:
    """Entry point of the domain for staff in their private chats."""

    def __init__(
        self,
        deps: Deps,
        *,
        bot_id: int,
        bot_username: str,
        residents: ResidentDesk,
        roster: StaffRoster,
    ) -> None:
        self._deps = deps
        self._bot_id = bot_id
        self._bot_username = bot_username
        self._residents = residents
        self._roster = roster

    async def wants(self, event: Event) -> bool:
        """Is this event the staff desk's? (cheap: no transaction)"""
        match event:
            case Command(name="start", payload=payload) if payload.startswith(INVITE_PREFIX):
                return True
            case Command(name=name) if name in STAFF_COMMANDS:
                return True
            case Pressed(data=data) if data.startswith("s:"):
                return True
            case Text() | Command(name="cancel" | "help"):
                return await self._roster.is_staff(event.actor.user_id)
        return False

    async def handle(self, event: Event) -> Outcome | None:
        """Handle the event in one transaction; None hands it to the resident desk."""
        directory = await self._residents.directory()  # cached; never inside the transaction
        async with self._deps.database.sessions.begin() as session:
            staff = await staff_for_user(session, event.actor.user_id)
            if isinstance(event, Text | Command) and event_is_plain(event, staff):
                return None  # a staff member writing as a resident (or no note awaited)
            if event.update_id is not None and not await claim_update(
                session, self._bot_id, event.update_id
            ):
                return Outcome(Language.VI, duplicate=True)
            outcome = await self._handle(session, event, staff, directory)
        if outcome.staff_changed:
            self._roster.forget()
        return outcome

    async def _handle(
        self, session: AsyncSession, event: Event, staff: Staff | None, directory: Directory
    ) -> Outcome:
        if isinstance(event, Command) and event.name == "start":
            return await self._redeem(session, event, staff)
        if staff is None:
            await _refused_event(session, event, None, "not_staff")
            language = Language(await _language_of(session, event))
            return Outcome(language, [Reply("staff.only")])
        province = await session.get(Province, staff.province_id)
        assert province is not None  # noqa: S101 — a foreign key
        outcome = Outcome(Language(staff.language))
        turn = _Turn(session, event, staff, province, outcome, directory)
        try:
            await self._dispatch(turn)
        except ReviewError as exc:
            turn.say(exc.key)
        return turn.outcome

    # --- the commands and buttons ------------------------------------------------------------

    async def _dispatch(self, turn: _Turn) -> None:
        event, staff = turn.event, turn.staff
        match event:
            case Text(text=text) if staff.awaiting:
                await self._note(turn, nfc(text).strip())
            case Command(name="cancel"):
                staff.awaiting = None
                turn.say("staff.cancelled")
            case Command(name="help"):
                turn.say(f"help.{staff.role.value}")
            case Command(name="queue"):
                await self._queue_command(turn)
            case Command(name="progress"):
                await self._progress_command(turn)
            case Command(name="report"):
                await self._report(turn)
            case Command(name="settings"):
                await self._settings(turn)
            case Command(name="invite"):
                await self._invite_menu(turn)
            case Command(name="assist"):
                await self._assist_command(turn)
            case Pressed(data=data):
                await self._button(turn, data.split(":")[1:])

    async def _button(self, turn: _Turn, parts: list[str]) -> None:
        head, args = (parts[0] if parts else ""), parts[1:]
        match head, args:
            case "o", [receipt]:
                await self._open(turn, receipt)
            case "q", [commune, village, state, page]:
                await self._queue(turn, commune, village, state, page)
            case "qv", [commune]:
                await self._village_picker(turn, commune)
            case "qc", [page]:
                await self._commune_picker(turn, page)
            case "ok", [receipt]:
                await self._confirm_accept(turn, receipt)
            case "oky", [receipt]:
                await self._accept(turn, receipt)
            case "ni", [receipt, mask]:
                await self._needs_info_menu(turn, receipt, mask)
            case "nd", [receipt, mask]:
                await self._needs_info_note(turn, receipt, mask)
            case "rj", [receipt]:
                await self._reject_menu(turn, receipt)
            case "rr", [receipt, reason]:
                await self._reject_reason(turn, receipt, reason)
            case "as", [receipt]:
                await self._assign_menu(turn, receipt)
            case "av", [receipt, village]:
                await self._assign(turn, receipt, village)
            case "pg", [village]:
                await self._village_progress(turn, village)
            case "set", [choice]:
                await self._set(turn, choice)
            case "iv", [village]:
                await self._invite(turn, StaffRole.CHIEF, village)
            case "io", []:
                await self._invite(turn, StaffRole.OFFICER, None)
            case "ap", [village]:
                await self._assist(turn, village)
            case "skip", []:
                await self._note(turn, "")
            case _:
                turn.say("button.expired")

    async def _allowed(self, turn: _Turn, action: Action, subject: Subject) -> bool:
        decision = decide(actor_of(turn.staff), action, subject)
        if decision.allowed:
            return True
        await _refused_event(
            turn.session, turn.event, turn.staff, decision.value, action=action, subject=subject
        )
        turn.say("staff.refused")
        return False

    def _subject(
        self, turn: _Turn, commune_id: int | None, village_id: int | None = None
    ) -> Subject:
        return Subject(turn.province.id, commune_id, village_id)

    async def _submission_subject(self, turn: _Turn, submission: Submission) -> Subject:
        commune = await turn.session.get(Commune, submission.commune_id)
        province_id = commune.province_id if commune else -1
        return Subject(province_id, submission.commune_id, submission.village_id)

    async def _submission(self, turn: _Turn, receipt: str, action: Action) -> Submission | None:
        submission = await submission_by_receipt(turn.session, receipt)
        if submission is None:
            turn.say("review.not_found")
            return None
        if not await self._allowed(turn, action, await self._submission_subject(turn, submission)):
            return None
        return submission

    # --- invites -------------------------------------------------------------------------------

    async def _redeem(self, session: AsyncSession, event: Command, staff: Staff | None) -> Outcome:
        language = Language(staff.language) if staff else Language.VI
        if event.actor.language_code and event.actor.language_code.startswith("en"):
            language = Language.EN
        token = event.payload[len(INVITE_PREFIX) :]
        try:
            joined = await redeem_invite(
                session, token, telegram_user_id=event.actor.user_id, language=language.value
            )
        except InviteError as exc:
            return Outcome(language, [Reply(f"invite.{exc.problem.value}")])
        village = await session.get(Village, joined.village_id) if joined.village_id else None
        commune = await session.get(Commune, joined.commune_id) if joined.commune_id else None
        place = village.name if village else commune.name if commune else ""
        outcome = Outcome(
            language,
            [
                Reply(
                    f"invite.welcome_{joined.role.value}",
                    {"place": place, "commune": commune.name if commune else ""},
                ),
                Reply(f"help.{joined.role.value}"),
            ],
        )
        outcome.staff_changed = True
        return outcome

    async def _invite_menu(self, turn: _Turn) -> None:
        staff = turn.staff
        if staff.role is StaffRole.ADMIN:
            turn.say("invite.admin_cli")
            return
        subject = self._subject(turn, staff.commune_id)
        if not await self._allowed(turn, Action.INVITE_CHIEF, subject):
            return
        villages = await _villages(turn.session, staff.commune_id)
        rows = [(Button("", data=f"s:iv:{v.id}", literal=f"👤 {v.name}"),) for v in villages[:40]]
        rows.append((Button("invite.officer_button", data="s:io"),))
        turn.say("invite.choose", keyboard=_inline(*rows))

    async def _invite(self, turn: _Turn, role: StaffRole, village_text: str | None) -> None:
        staff, session = turn.staff, turn.session
        village = None
        if village_text is not None:
            village = await _village(turn, village_text)
            if village is None:
                return
        commune_id = village.commune_id if village else staff.commune_id
        action = Action.INVITE_CHIEF if role is StaffRole.CHIEF else Action.INVITE_OFFICER
        subject = self._subject(turn, commune_id, village.id if village else None)
        if not await self._allowed(turn, action, subject):
            return
        commune = await session.get(Commune, commune_id) if commune_id else None
        issued = await create_invite(
            session,
            role=role,
            province=turn.province,
            commune=commune,
            village=village,
            created_by=staff,
        )
        turn.say(
            "invite.link",
            {
                "role_key": f"role.{role.value}",
                "place": issued.scope,
                "link": invite_link(self._bot_username, issued),
                "expires": f"{issued.expires_at.astimezone(VIETNAM):%H:%M %d/%m/%Y}",
            },
        )

    # --- queue and submissions -------------------------------------------------------------------

    async def _queue_command(self, turn: _Turn) -> None:
        staff = turn.staff
        if staff.role is StaffRole.ADMIN:
            await self._commune_picker(turn, "0")
            return
        village = "*" if staff.role is StaffRole.OFFICER else str(staff.village_id)
        await self._queue(turn, str(staff.commune_id), village, "*", "0")

    async def _queue(
        self, turn: _Turn, commune_text: str, village_text: str, state_text: str, page_text: str
    ) -> None:
        commune_id, page = _int(commune_text), _int(page_text)
        triage = village_text == "t"
        village_id = None if village_text in ("t", "*") else _int(village_text)
        try:
            state = None if state_text == "*" else SubmissionState(state_text)
        except ValueError:
            state = None
        if (
            commune_id is None
            or page is None
            or (village_text not in ("t", "*") and not village_id)
        ):
            turn.say("button.expired")
            return
        commune = await turn.session.get(Commune, commune_id)
        province_id = commune.province_id if commune else -1
        subject = Subject(province_id, commune_id, village_id)
        if not await self._allowed(turn, Action.VIEW_QUEUE, subject):
            return
        items, total, counts = await queue(
            turn.session,
            self._deps,
            commune_id=commune_id,
            village_id=village_id,
            triage=triage,
            state=state,
            page=page,
        )
        place = await self._place_name(turn, commune_id, village_id, triage)
        rows: list[tuple[Button, ...]] = [
            (
                Button(
                    "queue.item",
                    data=f"s:o:{item.receipt}",
                    params={
                        "receipt": item.receipt,
                        "name": item.holder_name,
                        "state_key": f"state.{item.state.value}",
                    },
                ),
            )
            for item in items
        ]
        base = f"s:q:{commune_id}:{village_text}"
        paging = []
        if page > 0:
            paging.append(Button("queue.previous", data=f"{base}:{state_text}:{page - 1}"))
        if (page + 1) * _PAGE < total:
            paging.append(Button("queue.next", data=f"{base}:{state_text}:{page + 1}"))
        rows.append(tuple(paging))
        filters = [
            Button(f"filter.{s}", data=f"{base}:{s}:0")
            for s in ("submitted", "resubmitted", "needs_info", "accepted")
            if s != state_text
        ]
        if state_text != "*":
            filters.insert(0, Button("filter.open", data=f"{base}:*:0"))
        rows.append(tuple(filters[:2]))
        rows.append(tuple(filters[2:]))
        if turn.staff.role is not StaffRole.CHIEF:
            rows.append((Button("queue.choose_village", data=f"s:qv:{commune_id}"),))
        count_lines = [
            ("queue.count", {"state_key": f"state.{s}", "count": n})
            for s, n in sorted(counts.items())
        ]
        turn.say(
            "queue.header",
            {
                "place": place,
                "filter_key": f"filter.{state_text if state_text != '*' else 'open'}",
                "total": total,
                "counts_lines": count_lines or [("staff.none", {})],
            },
            keyboard=_inline(*rows),
        )

    async def _place_name(
        self, turn: _Turn, commune_id: int, village_id: int | None, triage: bool
    ) -> str:
        commune = await turn.session.get(Commune, commune_id)
        name = commune.name if commune else "—"
        if village_id is not None:
            village = await turn.session.get(Village, village_id)
            return f"{village.name}, {name}" if village else name
        if triage:
            return f"{name} — {render(turn.outcome.language, 'queue.triage')}"
        return name

    async def _village_picker(self, turn: _Turn, commune_text: str) -> None:
        commune_id = _int(commune_text)
        commune = await turn.session.get(Commune, commune_id) if commune_id else None
        if commune is None:
            turn.say("button.expired")
            return
        if not await self._allowed(
            turn, Action.VIEW_QUEUE, Subject(commune.province_id, commune.id)
        ):
            return
        villages = await _villages(turn.session, commune.id)
        rows = [(Button("queue.triage", data=f"s:q:{commune.id}:t:*:0"),)]
        rows += [
            (Button("", data=f"s:q:{commune.id}:{v.id}:*:0", literal=v.name),)
            for v in villages[:40]
        ]
        rows.append((Button("queue.all_villages", data=f"s:q:{commune.id}:*:*:0"),))
        turn.say("queue.pick_village", keyboard=_inline(*rows))

    async def _commune_picker(self, turn: _Turn, page_text: str) -> None:
        """The province's communes (admins): a province-wide screen, asked of the policy."""
        if not await self._allowed(turn, Action.VIEW_QUEUE, self._subject(turn, None)):
            return
        page = _int(page_text) or 0
        communes = list(
            await turn.session.scalars(
                select(Commune)
                .where(Commune.province_id == turn.province.id)
                .order_by(Commune.name)
                .offset(page * 10)
                .limit(11)
            )
        )
        rows: list[tuple[Button, ...]] = [
            (Button("", data=f"s:q:{c.id}:*:*:0", literal=c.name),) for c in communes[:10]
        ]
        paging = []
        if page > 0:
            paging.append(Button("queue.previous", data=f"s:qc:{page - 1}"))
        if len(communes) > 10:
            paging.append(Button("queue.next", data=f"s:qc:{page + 1}"))
        rows.append(tuple(paging))
        turn.say("queue.pick_commune", keyboard=_inline(*rows))

    async def _open(self, turn: _Turn, receipt: str) -> None:
        submission = await self._submission(turn, receipt, Action.VIEW_SUBMISSION)
        if submission is None:
            return
        subject = await self._submission_subject(turn, submission)
        actor = actor_of(turn.staff)
        may_review = decide(actor, Action.REVIEW, subject).allowed
        if may_review and await start_review(turn.session, self._deps, submission, turn.staff):
            turn.outcome.new_outbox = True
        show_ids = decide(actor, Action.VIEW_ID_NUMBERS, subject).allowed
        card = await card_of(turn.session, self._deps, submission, show_ids=show_ids)
        rows: list[tuple[Button, ...]] = []
        if may_review and submission.state not in CLOSED:
            if submission.state is not SubmissionState.NEEDS_INFO:
                rows.append(
                    (
                        Button("review.accept", data=f"s:ok:{receipt}"),
                        Button("review.needs_info", data=f"s:ni:{receipt}:0"),
                    )
                )
            rows.append((Button("review.reject", data=f"s:rj:{receipt}"),))
        if decide(actor, Action.ASSIGN, subject).allowed and submission.state not in CLOSED:
            rows.append((Button("review.assign", data=f"s:as:{receipt}"),))
        key = "card.text_requested" if card.requested else "card.text"
        params = card.params()
        params["requested_keys"] = [f"slot.{s}" for s in card.requested]
        turn.say(key, params, keyboard=_inline(*rows) if rows else None)

    async def _confirm_accept(self, turn: _Turn, receipt: str) -> None:
        submission = await self._submission(turn, receipt, Action.REVIEW)
        if submission is None:
            return
        turn.say(
            "review.accept_confirm",
            {"receipt": receipt},
            keyboard=_inline(
                (Button("review.accept_yes", data=f"s:oky:{receipt}"),),
                (Button("review.back", data=f"s:o:{receipt}"),),
            ),
        )

    async def _accept(self, turn: _Turn, receipt: str) -> None:
        submission = await self._submission(turn, receipt, Action.REVIEW)
        if submission is None:
            return
        await accept(turn.session, self._deps, submission, turn.staff)
        turn.outcome.new_outbox = True
        turn.say("review.accepted", {"receipt": receipt})

    async def _needs_info_menu(self, turn: _Turn, receipt: str, mask_text: str) -> None:
        submission = await self._submission(turn, receipt, Action.REVIEW)
        mask = _int(mask_text)
        if submission is None or mask is None:
            return
        slots = all_slots(submission)
        rows: list[tuple[Button, ...]] = []
        for index, slot in enumerate(slots):
            chosen = bool(mask & (1 << index))
            rows.append(
                (
                    Button(
                        "review.slot_chosen" if chosen else "review.slot_open",
                        data=f"s:ni:{receipt}:{mask ^ (1 << index)}",
                        params={"slot_key": f"slot.{slot}"},
                    ),
                )
            )
        if mask:
            rows.append((Button("review.slots_done", data=f"s:nd:{receipt}:{mask}"),))
        rows.append((Button("review.back", data=f"s:o:{receipt}"),))
        message_id = turn.event.message_id if isinstance(turn.event, Pressed) else None
        if mask and message_id is not None:
            turn.say(
                "review.choose_slots",
                {"receipt": receipt},
                keyboard=_inline(*rows),
                edit_message_id=message_id,
            )
        else:
            turn.say("review.choose_slots", {"receipt": receipt}, keyboard=_inline(*rows))

    async def _needs_info_note(self, turn: _Turn, receipt: str, mask_text: str) -> None:
        submission = await self._submission(turn, receipt, Action.REVIEW)
        mask = _int(mask_text)
        if submission is None or mask is None:
            return
        slots = [s for i, s in enumerate(all_slots(submission)) if mask & (1 << i)]
        if not slots:
            turn.say("review.choose_slots", {"receipt": receipt})
            return
        turn.staff.awaiting = {"kind": "needs_info", "receipt": receipt, "slots": slots}
        turn.say(
            "review.ask_note",
            {"slots_keys": [f"slot.{s}" for s in slots]},
            keyboard=_inline((Button("review.no_note", data="s:skip"),)),
        )

    async def _reject_menu(self, turn: _Turn, receipt: str) -> None:
        if await self._submission(turn, receipt, Action.REVIEW) is None:
            return
        rows = [
            (Button(f"reject.{reason}", data=f"s:rr:{receipt}:{reason[:12]}"),)
            for reason in (*REJECT_REASONS, "other")
        ]
        rows.append((Button("review.back", data=f"s:o:{receipt}"),))
        turn.say("review.reject_reason", {"receipt": receipt}, keyboard=_inline(*rows))

    async def _reject_reason(self, turn: _Turn, receipt: str, short: str) -> None:
        submission = await self._submission(turn, receipt, Action.REVIEW)
        if submission is None:
            return
        reason = next((r for r in (*REJECT_REASONS, "other") if r[:12] == short), None)
        if reason is None:
            turn.say("button.expired")
            return
        if reason == "other":
            turn.staff.awaiting = {"kind": "reject", "receipt": receipt}
            turn.say("review.ask_reason")
            return
        await reject(turn.session, self._deps, submission, turn.staff, reason=reason)
        turn.outcome.new_outbox = True
        turn.say("review.rejected", {"receipt": receipt})

    async def _note(self, turn: _Turn, note: str) -> None:
        awaiting, turn.staff.awaiting = turn.staff.awaiting or {}, None
        receipt = str(awaiting.get("receipt", ""))
        kind = awaiting.get("kind")
        if kind not in ("needs_info", "reject"):
            turn.say("button.expired")
            return
        if kind == "reject" and not note:
            turn.staff.awaiting = awaiting
            turn.say("review.ask_reason")
            return
        submission = await self._submission(turn, receipt, Action.REVIEW)
        if submission is None:
            return
        if kind == "needs_info":
            slots = [str(s) for s in awaiting.get("slots", [])]
            await ask_for_info(
                turn.session, self._deps, submission, turn.staff, slots=slots, note=note
            )
            turn.say("review.needs_info_sent", {"receipt": receipt})
        else:
            await reject(
                turn.session, self._deps, submission, turn.staff, reason="other", note=note
            )
            turn.say("review.rejected", {"receipt": receipt})
        turn.outcome.new_outbox = True

    async def _assign_menu(self, turn: _Turn, receipt: str) -> None:
        submission = await self._submission(turn, receipt, Action.ASSIGN)
        if submission is None:
            return
        villages = await _villages(turn.session, submission.commune_id)
        rows = [
            (Button("", data=f"s:av:{receipt}:{v.id}", literal=v.name),)
            for v in villages[:40]
            if v.id != submission.village_id
        ]
        rows.append((Button("review.back", data=f"s:o:{receipt}"),))
        turn.say("review.choose_village", {"receipt": receipt}, keyboard=_inline(*rows))

    async def _assign(self, turn: _Turn, receipt: str, village_text: str) -> None:
        submission = await self._submission(turn, receipt, Action.ASSIGN)
        if submission is None:
            return
        village = await _village(turn, village_text)
        if village is None:
            return
        await assign(turn.session, self._deps, submission, turn.staff, village)
        turn.outcome.new_outbox = True
        turn.say("review.assigned", {"receipt": receipt, "village": village.name})

    # --- progress, report, settings, assisted submissions --------------------------------------

    async def _progress_command(self, turn: _Turn) -> None:
        staff = turn.staff
        if staff.role is StaffRole.CHIEF and staff.village_id is not None:
            await self._village_progress(turn, str(staff.village_id))
            return
        if staff.role is StaffRole.ADMIN:
            await self._province_progress(turn)
            return
        if not await self._allowed(
            turn, Action.VIEW_PROGRESS, self._subject(turn, staff.commune_id)
        ):
            return
        assert staff.commune_id is not None  # noqa: S101 — an officer's scope
        figures = await village_figures(turn.session, staff.commune_id, triage_name="—")
        lines = [("progress.line", f.params()) for f in figures]
        rows = [
            (Button("", data=f"s:pg:{f.village_id}", literal=f"📋 {f.name}"),)
            for f in figures[:40]
            if f.village_id is not None
        ]
        turn.say("progress.commune", {"lines_lines": lines}, keyboard=_inline(*rows))

    async def _province_progress(self, turn: _Turn) -> None:
        if not await self._allowed(turn, Action.VIEW_PROGRESS, self._subject(turn, None)):
            return
        communes = list(
            await turn.session.scalars(
                select(Commune)
                .where(Commune.province_id == turn.province.id)
                .order_by(Commune.name)
            )
        )
        lines = []
        for commune in communes:
            figures = await village_figures(turn.session, commune.id)
            if not any(f.targets or f.submitted for f in figures):
                continue
            totals = CommuneReport(commune.name, datetime.now(VIETNAM).date(), figures).totals
            lines.append(("progress.line", totals.params()))
        turn.say("progress.province", {"lines_lines": lines or [("staff.none", {})]})

    async def _village_progress(self, turn: _Turn, village_text: str) -> None:
        village = await _village(turn, village_text)
        if village is None:
            return
        subject = self._subject(turn, village.commune_id, village.id)
        if not await self._allowed(turn, Action.VIEW_PROGRESS, subject):
            return
        figures = await village_figures(turn.session, village.commune_id, village_id=village.id)
        names, missing = await missing_households(
            turn.session, self._deps, village.commune_id, village.id
        )
        params = {**figures[0].params(), "missing": missing}
        params["names_lines"] = [("progress.name", {"name": n}) for n in names] or [
            ("staff.none", {})
        ]
        more = missing - len(names)
        turn.say("progress.village", params)
        if more > 0:
            turn.say("progress.more", {"count": more})

    async def _report(self, turn: _Turn) -> None:
        staff = turn.staff
        if staff.role is StaffRole.ADMIN:
            await self._province_progress(turn)
            return
        if not await self._allowed(
            turn, Action.RECEIVE_REPORT, self._subject(turn, staff.commune_id)
        ):
            return
        assert staff.commune_id is not None  # noqa: S101 — an officer's scope
        replies = await report_replies(
            turn.session, staff.commune_id, Language(staff.language), datetime.now(VIETNAM)
        )
        turn.outcome.replies.extend(replies)

    async def _settings(self, turn: _Turn) -> None:
        staff = turn.staff
        if not await self._allowed(
            turn, Action.SETTINGS, self._subject(turn, staff.commune_id, staff.village_id)
        ):
            return
        rows: list[tuple[Button, ...]] = []
        if staff.role is StaffRole.CHIEF:
            rows.append(
                (
                    Button("settings.instant", data="s:set:instant"),
                    Button("settings.digest", data="s:set:digest"),
                )
            )
        rows.append(
            (
                Button("settings.lang_vi", data="s:set:vi"),
                Button("settings.lang_en", data="s:set:en"),
            )
        )
        mode = "settings.mode_digest" if staff.daily_digest else "settings.mode_instant"
        turn.say(
            "settings.show",
            {"mode_key": mode if staff.role is StaffRole.CHIEF else "staff.none"},
            keyboard=_inline(*rows),
        )

    async def _set(self, turn: _Turn, choice: str) -> None:
        staff = turn.staff
        if not await self._allowed(
            turn, Action.SETTINGS, self._subject(turn, staff.commune_id, staff.village_id)
        ):
            return
        match choice:
            case "instant" | "digest" if staff.role is StaffRole.CHIEF:
                staff.daily_digest = choice == "digest"
                if staff.daily_digest and staff.digest_sent_at is None:
                    staff.digest_sent_at = utcnow()  # the first digest covers from now on
                turn.say(f"settings.saved_{choice}")
            case "vi" | "en":
                staff.language = choice
                staff.menu_version = 0  # the command menu, in the new language
                turn.outcome.language = Language(choice)
                turn.outcome.staff_changed = True  # the menu's language
                turn.say("settings.saved_language")
            case _:
                turn.say("button.expired")
                return
        await append_event(
            turn.session,
            actor_kind=ActorKind.STAFF,
            actor_id=str(staff.id),
            action="settings_changed",
            commune_id=staff.commune_id,
            data={"choice": choice},
        )

    async def _assist_command(self, turn: _Turn) -> None:
        staff = turn.staff
        if staff.role is StaffRole.CHIEF and staff.village_id is not None:
            await self._assist(turn, str(staff.village_id))
            return
        if staff.role is StaffRole.ADMIN or staff.commune_id is None:
            turn.say("staff.refused")
            return
        if not await self._allowed(turn, Action.ASSIST, self._subject(turn, staff.commune_id)):
            return
        villages = await _villages(turn.session, staff.commune_id)
        rows = [(Button("", data=f"s:ap:{v.id}", literal=v.name),) for v in villages[:40]]
        turn.say("assist.choose_village", keyboard=_inline(*rows))

    async def _assist(self, turn: _Turn, village_text: str) -> None:
        village = await _village(turn, village_text)
        if village is None:
            return
        subject = self._subject(turn, village.commune_id, village.id)
        if not await self._allowed(turn, Action.ASSIST, subject):
            return
        commune = await turn.session.get(Commune, village.commune_id)
        assert commune is not None  # noqa: S101 — a foreign key
        outcome = await self._residents.start_assisted(
            turn.session,
            turn.event,
            turn.directory,
            staff_id=turn.staff.id,
            place=(Place(commune.id, commune.name), Place(village.id, village.name, village.code)),
        )
        turn.outcome.replies.extend(outcome.replies)
        turn.outcome.language = outcome.language


def event_is_plain(event: Text | Command, staff: Staff | None) -> bool:
    """A text or /cancel //help that is not the staff desk's: no note is awaited."""
    if isinstance(event, Command) and (event.name in STAFF_COMMANDS or event.name == "start"):
        return False
    if staff is None:
        return isinstance(event, Text)  # e.g. revoked meanwhile: the resident desk answers
    if isinstance(event, Command) and event.name == "help":
        return False
    return not staff.awaiting


async def _village(turn: _Turn, village_text: str) -> Village | None:
    """The village a button names; a stale or forged id is answered here."""
    vid = _int(village_text)
    village = await turn.session.get(Village, vid) if vid else None
    if village is None:
        turn.say("button.expired")
    return village


async def _villages(session: AsyncSession, commune_id: int | None) -> list[Village]:
    if commune_id is None:
        return []
    return list(
        await session.scalars(
            select(Village).where(Village.commune_id == commune_id).order_by(Village.id)
        )
    )


async def _language_of(session: AsyncSession, event: Event) -> str:
    citizen = await session.scalar(
        select(Citizen.language).where(Citizen.telegram_user_id == event.actor.user_id)
    )
    if citizen:
        return citizen
    code = event.actor.language_code or ""
    return "en" if code.startswith("en") else "vi"


async def _refused_event(
    session: AsyncSession,
    event: Event,
    staff: Staff | None,
    decision: str,
    *,
    action: Action | None = None,
    subject: Subject | None = None,
) -> None:
    what = event.data if isinstance(event, Pressed) else f"/{getattr(event, 'name', '?')}"
    await append_event(
        session,
        actor_kind=ActorKind.STAFF if staff else ActorKind.RESIDENT,
        actor_id=str(staff.id) if staff else f"tg:{event.actor.user_id}",
        action="refused",
        commune_id=subject.commune_id if subject else None,
        data={
            "decision": decision,
            "action": action.value if action else None,
            "request": what[:64],
            "village_id": subject.village_id if subject else None,
        },
    )


def role_commands(role: StaffRole) -> Sequence[str]:
    return ROLE_COMMANDS[role]
