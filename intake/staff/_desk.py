"""The staff desk: village chiefs, commune officers and province admins in their private chat.

It takes invite links (`/start i<token>`), the staff commands (/queue, /progress, /report,
/settings, /invite, /assist, /web: a sign-in link to the web console, /requests: the residents'
data-subject requests, `_requests.py`) and every button whose data starts with `s:` (the staff
codec; `s:dr:` the requests' codec).
Each event is one transaction, like the resident desk's: the update id is recorded, the staff
row is read again (a cached roster only routes texts), and then it reads as load → decide →
save → show: what the press names is loaded, the policy decides (every screen, read-only ones
too; a refusal is answered politely and recorded as an audit event), the review lifecycle
decides what a change leads to (intake/submissions), and a pure screen shows the result
(`_screens.py`).

Where a note is wanted (needs info, a rejection for another reason) the desk remembers it on
the staff row (`awaiting`) and the next text is the note; /cancel forgets it. The queue screen
leaves the desk searching in the same way: a text typed then (a receipt code, a name, a parcel;
`intake.submissions.read_search`) finds submissions of that commune (a chief's: that village),
one opening at once. A staff member who is also a resident and has begun a submission of
their own (/start) is not searched for: their texts go to that conversation, and the search
ends.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from intake.chat import Command, Event, Pressed, Reply, Text
from intake.console._links import LINK_TTL, issue_link
from intake.flow import Directory, Place
from intake.language import VIETNAM, Language, nfc, render
from intake.notify import release_waiting
from intake.reports import (
    CommuneReport,
    Household,
    missing_households,
    missing_targets,
    off_list_submissions,
    report_replies,
    village_figures,
)
from intake.requests import parse_staff as parse_request_press
from intake.resident import Outcome, ResidentDesk
from intake.staff import _screens as screens
from intake.staff._callbacks import (
    Accept,
    AcceptConfirmed,
    AllVillages,
    Assign,
    AssignTo,
    AssistHousehold,
    AssistOther,
    AssistVillage,
    ChooseCommune,
    ChooseVillage,
    InviteChief,
    InviteOfficer,
    NeedsInfoDone,
    NeedsInfoSlots,
    Open,
    Queue,
    QueuePlace,
    Reject,
    RejectFor,
    Setting,
    SkipNote,
    StaffPress,
    Triage,
    VillageProgress,
    parse,
)
from intake.staff._policy import Action, Subject, decide
from intake.staff._requests import NOTE_KIND, StaffRequests
from intake.staff._roster import (
    INVITE_PREFIX,
    InviteError,
    StaffRoster,
    actor_of,
    create_invite,
    invite_link,
    redeem_invite,
)
from intake.submissions import (
    CLOSED,
    MAX_SEARCH,
    QUEUE_PAGE,
    REJECT_REASONS,
    ReviewError,
    accept,
    all_slots,
    ask_for_info,
    assign,
    card_of,
    matching,
    narrowed,
    queue,
    queue_item,
    read_search,
    reject,
    start_review,
)
from storage.deps import Deps
from storage.models import Commune, Province, Staff, Submission, Village, utcnow
from storage.repositories import places, residents
from storage.repositories import queue as queue_rows
from storage.repositories import staff as staff_rows
from storage.repositories.audit import append_event
from storage.repositories.locks import lock_chat
from storage.repositories.submissions import submission_by_receipt
from storage.repositories.updates import claim_update
from storage.states import ActorKind, StaffRole, SubmissionState

__all__ = ["STAFF_COMMANDS", "StaffDesk", "role_commands"]

STAFF_COMMANDS = frozenset(
    {"queue", "progress", "report", "settings", "invite", "assist", "web", "requests"}
)
ROLE_COMMANDS = {
    StaffRole.CHIEF: ("queue", "progress", "assist", "web", "settings", "help", "cancel"),
    StaffRole.OFFICER: (
        "queue",
        "requests",
        "progress",
        "report",
        "invite",
        "assist",
        "web",
        "settings",
        "help",
        "cancel",
    ),
    StaffRole.ADMIN: (
        "queue",
        "requests",
        "progress",
        "report",
        "web",
        "settings",
        "help",
        "cancel",
    ),
}


def role_commands(role: StaffRole) -> Sequence[str]:
    return ROLE_COMMANDS[role]


def _places(villages: Sequence[Village]) -> list[Place]:
    return [Place(v.id, v.name, v.code) for v in villages]


@dataclass
class _Turn:
    """One event being handled: the session, the staff row and what to answer."""

    session: AsyncSession
    event: Event
    staff: Staff
    province: Province
    outcome: Outcome
    directory: Directory

    def show(self, reply: Reply) -> None:
        self.outcome.replies.append(reply)

    def say(self, key: str, params: dict[str, object] | None = None) -> None:
        self.outcome.replies.append(Reply(key, params or {}))


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
        console_url: str | None = None,
        digest_hour: int = 18,
    ) -> None:
        self._deps = deps
        self._digest_hour = digest_hour  # Vietnam time, as the daily jobs send digests
        # set by the runtime once its web server listens (`/web` links name it)
        self.console_url = console_url
        self._bot_id = bot_id
        self._bot_username = bot_username
        self._residents = residents
        self._roster = roster
        self._requests = StaffRequests(deps, self._allowed)

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
            await lock_chat(session, event.actor.chat_id)  # first: the chat's order (PostgreSQL)
            staff = await staff_rows.staff_for_user(session, event.actor.user_id)
            if isinstance(event, Text | Command) and event_is_plain(event, staff):
                return None  # a staff member writing as a resident (or no note awaited)
            if staff is not None and _searching(staff) and await _resident_turn(session, event):
                staff.awaiting = None  # their own submission in progress: its answers
                return None
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
            outcome = await self._redeem(session, event, staff)
            # what waited for this person to open the chat goes out now
            if await release_waiting(session, event.actor.chat_id):
                outcome.new_outbox = True
            return outcome
        if staff is None:
            await _refused_event(session, event, None, "not_staff")
            language = await residents.language_of_user(session, event.actor.user_id)
            code = event.actor.language_code or ""
            fallback = "en" if code.startswith("en") else "vi"
            return Outcome(Language(language or fallback), [Reply("staff.only")])
        province = await places.province(session, staff.province_id)
        if province is None:
            raise LookupError("a staff member's province is gone")
        turn = _Turn(session, event, staff, province, Outcome(Language(staff.language)), directory)
        try:
            await self._dispatch(turn)
        except ReviewError as exc:
            turn.say(exc.key)
        return turn.outcome

    # --- the commands and buttons ------------------------------------------------------------

    async def _dispatch(self, turn: _Turn) -> None:
        event, staff = turn.event, turn.staff
        if (
            isinstance(event, Command)
            and event.name not in ("queue", "cancel")
            and _searching(staff)
        ):
            staff.awaiting = None  # another command leaves the queue: texts are not searches
        match event:
            case Text(text=text) if _searching(staff):
                await self._search(turn, nfc(text).strip())
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
            case Command(name="web"):
                await self._web(turn)
            case Command(name="requests"):
                await self._requests.command(turn)
            case Pressed(data=data) if (asked := parse_request_press(data)) is not None:
                await self._requests.press(turn, asked)
            case Pressed(data=data):
                press = parse(data)
                if press is None:
                    turn.say("button.expired")
                else:
                    await self._press(turn, press)

    async def _press(self, turn: _Turn, press: StaffPress) -> None:
        match press:
            case Open(receipt=receipt):
                await self._open(turn, receipt)
            case Queue():
                await self._queue(turn, press)
            case ChooseVillage(commune_id=commune_id):
                await self._village_picker(turn, commune_id)
            case ChooseCommune(page=page):
                await self._commune_picker(turn, page)
            case Accept(receipt=receipt):
                if await self._submission(turn, receipt, Action.REVIEW) is not None:
                    turn.show(screens.accept_confirm(receipt))
            case AcceptConfirmed(receipt=receipt):
                await self._accept(turn, receipt)
            case NeedsInfoSlots(receipt=receipt, mask=mask):
                await self._needs_info_menu(turn, receipt, mask)
            case NeedsInfoDone(receipt=receipt, mask=mask):
                await self._needs_info_note(turn, receipt, mask)
            case Reject(receipt=receipt):
                if await self._submission(turn, receipt, Action.REVIEW) is not None:
                    turn.show(screens.reject_menu(receipt, REJECT_REASONS))
            case RejectFor(receipt=receipt, reason=short):
                await self._reject_for(turn, receipt, short)
            case Assign(receipt=receipt):
                await self._assign_menu(turn, receipt)
            case AssignTo(receipt=receipt, village_id=village_id):
                await self._assign(turn, receipt, village_id)
            case VillageProgress(village_id=village_id):
                await self._village_progress(turn, village_id)
            case Setting(choice=choice):
                await self._set(turn, choice)
            case InviteChief(village_id=village_id):
                await self._invite(turn, StaffRole.CHIEF, village_id)
            case InviteOfficer():
                await self._invite(turn, StaffRole.OFFICER, None)
            case AssistVillage(village_id=village_id):
                await self._assist(turn, village_id)
            case AssistOther(village_id=village_id):
                await self._start_assist(turn, village_id)
            case AssistHousehold(target_id=target_id):
                await self._assist_household(turn, target_id)
            case SkipNote():
                await self._note(turn, "")

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
        commune = await places.commune(turn.session, submission.commune_id)
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

    async def _village(self, turn: _Turn, village_id: int) -> Village | None:
        """The village a button names; a stale or forged id is answered here."""
        village = await places.village(turn.session, village_id)
        if village is None:
            turn.say("button.expired")
        return village

    async def _web(self, turn: _Turn) -> None:
        """A one-time sign-in link to the web console (intake/console)."""
        if not self.console_url:
            turn.say("web.unavailable")
            return
        token = await issue_link(turn.session, turn.staff)
        minutes = int(LINK_TTL.total_seconds() // 60)
        turn.say(
            "web.link",
            {
                "url": f"{self.console_url.rstrip('/')}/console/signin?t={token}",
                "minutes": minutes,
            },
        )

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
        village = await places.village(session, joined.village_id) if joined.village_id else None
        commune = await places.commune(session, joined.commune_id) if joined.commune_id else None
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
        if not await self._allowed(
            turn, Action.INVITE_CHIEF, self._subject(turn, staff.commune_id)
        ):
            return
        villages = await places.villages_of_commune(turn.session, staff.commune_id)
        turn.show(screens.invite_menu(_places(villages)))

    async def _invite(self, turn: _Turn, role: StaffRole, village_id: int | None) -> None:
        staff, session = turn.staff, turn.session
        village = None
        if village_id is not None:
            village = await self._village(turn, village_id)
            if village is None:
                return
        commune_id = village.commune_id if village else staff.commune_id
        action = Action.INVITE_CHIEF if role is StaffRole.CHIEF else Action.INVITE_OFFICER
        subject = self._subject(turn, commune_id, village.id if village else None)
        if not await self._allowed(turn, action, subject):
            return
        commune = await places.commune(session, commune_id) if commune_id else None
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
        if staff.role is StaffRole.ADMIN or staff.commune_id is None:
            await self._commune_picker(turn, 0)
            return
        place: QueuePlace = AllVillages.ALL
        if staff.role is StaffRole.CHIEF and staff.village_id is not None:
            place = staff.village_id
        await self._queue(turn, Queue(staff.commune_id, place, None, 0))

    async def _queue(self, turn: _Turn, press: Queue) -> None:
        try:
            state = None if press.state is None else SubmissionState(press.state)
        except ValueError:
            state = None
        village_id = press.place if isinstance(press.place, int) else None
        commune = await places.commune(turn.session, press.commune_id)
        subject = Subject(commune.province_id if commune else -1, press.commune_id, village_id)
        if not await self._allowed(turn, Action.VIEW_QUEUE, subject):
            return
        content = await queue(
            turn.session,
            self._deps,
            commune_id=press.commune_id,
            village_id=village_id,
            triage=press.place is Triage.TRIAGE,
            state=state,
            page=press.page,
        )
        # texts search the queue, unless a note is awaited or the staff member's own
        # submission (or one for a household) is in progress: its answers are texts too
        searching = (turn.staff.awaiting is None or _searching(turn.staff)) and not (
            await residents.has_draft(turn.session, turn.event.actor.chat_id)
        )
        if searching:
            turn.staff.awaiting = {
                "kind": "search",
                "commune_id": press.commune_id,
                "village_id": village_id if turn.staff.role is StaffRole.CHIEF else None,
            }
        turn.show(
            screens.queue_screen(
                screens.QueueScreen(
                    commune_id=press.commune_id,
                    place=press.place,
                    place_name=await self._place_name(turn, commune, village_id, press.place),
                    state=state.value if state else None,
                    page=press.page,
                    page_size=QUEUE_PAGE,
                    content=content,
                    may_choose_village=turn.staff.role is not StaffRole.CHIEF,
                    searching=searching,
                )
            )
        )

    async def _search(self, turn: _Turn, text: str) -> None:
        """A text typed after the queue: the submissions it finds in that commune (or the
        chief's village), of every state, newest first; one found opens at once."""
        awaiting = turn.staff.awaiting or {}
        search = read_search(text)
        if len(text) > MAX_SEARCH:
            turn.say("search.too_long")
            return
        commune = await places.commune(turn.session, int(awaiting.get("commune_id") or -1))
        if search is None or commune is None:
            turn.say("search.none", {"text": text})
            return
        village_id = awaiting.get("village_id")
        subject = Subject(commune.province_id, commune.id, village_id)
        if not await self._allowed(turn, Action.VIEW_QUEUE, subject):
            return
        query = queue_rows.QueueQuery(
            commune_id=commune.id,
            village_id=village_id,
            triage=False,
            states=tuple(SubmissionState),
            excluded=(),
            newest_first=True,
        )
        matched = None
        if search.name is not None:
            names = await queue_rows.names_in_scope(turn.session, query)
            matched = await asyncio.to_thread(matching, self._deps, names, search.name)
        show_ids = decide(actor_of(turn.staff), Action.VIEW_ID_NUMBERS, subject).allowed
        query = narrowed(self._deps, query, search, matched, show_ids=show_ids)
        found, total, _ = await queue_rows.search_queue(
            turn.session, query, offset=0, limit=QUEUE_PAGE
        )
        if total == 1:
            await self._open(turn, found[0][0].receipt_code)
        elif total == 0:
            turn.say("search.none", {"text": text})
        else:
            items = [queue_item(self._deps, submission, village) for submission, village in found]
            turn.show(screens.search_results(text, items, total))

    async def _place_name(
        self, turn: _Turn, commune: Commune | None, village_id: int | None, place: QueuePlace
    ) -> str:
        name = commune.name if commune else "—"
        if village_id is not None:
            village = await places.village(turn.session, village_id)
            return f"{village.name}, {name}" if village else name
        if place is Triage.TRIAGE:
            return f"{name} — {render(turn.outcome.language, 'queue.triage')}"
        return name

    async def _village_picker(self, turn: _Turn, commune_id: int) -> None:
        commune = await places.commune(turn.session, commune_id)
        if commune is None:
            turn.say("button.expired")
            return
        if not await self._allowed(
            turn, Action.VIEW_QUEUE, Subject(commune.province_id, commune.id)
        ):
            return
        villages = await places.villages_of_commune(turn.session, commune.id)
        turn.show(screens.village_picker(commune.id, _places(villages)))

    async def _commune_picker(self, turn: _Turn, page: int) -> None:
        """The province's communes (admins): a province-wide screen, asked of the policy."""
        if not await self._allowed(turn, Action.VIEW_QUEUE, self._subject(turn, None)):
            return
        per_page = screens.COMMUNES_PER_PAGE
        communes = await places.communes_of_province(
            turn.session, turn.province.id, offset=page * per_page, limit=per_page + 1
        )
        shown = [Place(c.id, c.name, c.code) for c in communes]
        turn.show(screens.commune_picker(shown, page, more=len(communes) > per_page))

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
        turn.show(
            screens.card_screen(
                card,
                may_review=may_review,
                may_assign=decide(actor, Action.ASSIGN, subject).allowed,
                closed=submission.state in CLOSED,
            )
        )

    async def _accept(self, turn: _Turn, receipt: str) -> None:
        submission = await self._submission(turn, receipt, Action.REVIEW)
        if submission is None:
            return
        await accept(turn.session, self._deps, submission, turn.staff)
        turn.outcome.new_outbox = True
        turn.say("review.accepted", {"receipt": receipt})

    async def _needs_info_menu(self, turn: _Turn, receipt: str, mask: int) -> None:
        submission = await self._submission(turn, receipt, Action.REVIEW)
        if submission is None:
            return
        message_id = turn.event.message_id if isinstance(turn.event, Pressed) else None
        turn.show(
            screens.needs_info_menu(
                receipt,
                all_slots(submission.certificate_status),
                mask,
                edit_message_id=message_id,
            )
        )

    async def _needs_info_note(self, turn: _Turn, receipt: str, mask: int) -> None:
        submission = await self._submission(turn, receipt, Action.REVIEW)
        if submission is None:
            return
        slots = [
            s for i, s in enumerate(all_slots(submission.certificate_status)) if mask & (1 << i)
        ]
        if not slots:
            turn.say("review.choose_slots", {"receipt": receipt})
            return
        turn.staff.awaiting = {"kind": "needs_info", "receipt": receipt, "slots": slots}
        turn.show(screens.ask_note(slots))

    async def _reject_for(self, turn: _Turn, receipt: str, short: str) -> None:
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
        if kind == NOTE_KIND:
            await self._requests.note(turn, awaiting, note)
            return
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
        villages = await places.villages_of_commune(turn.session, submission.commune_id)
        turn.show(screens.assign_menu(receipt, _places(villages), submission.village_id))

    async def _assign(self, turn: _Turn, receipt: str, village_id: int) -> None:
        submission = await self._submission(turn, receipt, Action.ASSIGN)
        if submission is None:
            return
        village = await self._village(turn, village_id)
        if village is None:
            return
        await assign(turn.session, self._deps, submission, turn.staff, village)
        turn.outcome.new_outbox = True
        turn.say("review.assigned", {"receipt": receipt, "village": village.name})

    # --- progress, report, settings, assisted submissions --------------------------------------

    async def _progress_command(self, turn: _Turn) -> None:
        staff = turn.staff
        if staff.role is StaffRole.CHIEF and staff.village_id is not None:
            await self._village_progress(turn, staff.village_id)
            return
        if staff.role is StaffRole.ADMIN:
            await self._province_progress(turn)
            return
        if not await self._allowed(
            turn, Action.VIEW_PROGRESS, self._subject(turn, staff.commune_id)
        ):
            return
        if staff.commune_id is None:
            raise LookupError("an officer without a commune")
        figures = await village_figures(turn.session, staff.commune_id, triage_name="—")
        lines = [("progress.line", f.params()) for f in figures]
        villages = [Place(f.village_id, f.name) for f in figures if f.village_id is not None]
        turn.show(
            Reply(
                "progress.commune",
                {"lines_lines": lines},
                keyboard=screens.village_progress_buttons(villages),
            )
        )

    async def _province_progress(self, turn: _Turn) -> None:
        if not await self._allowed(turn, Action.VIEW_PROGRESS, self._subject(turn, None)):
            return
        lines = []
        for commune in await places.communes_of_province(turn.session, turn.province.id):
            figures = await village_figures(turn.session, commune.id)
            if not any(f.targets or f.submitted for f in figures):
                continue
            totals = CommuneReport(commune.name, datetime.now(VIETNAM).date(), figures).totals
            lines.append(("progress.line", totals.params()))
        turn.say("progress.province", {"lines_lines": lines or [("staff.none", {})]})

    async def _village_progress(self, turn: _Turn, village_id: int) -> None:
        village = await self._village(turn, village_id)
        if village is None:
            return
        subject = self._subject(turn, village.commune_id, village.id)
        if not await self._allowed(turn, Action.VIEW_PROGRESS, subject):
            return
        figures = await village_figures(turn.session, village.commune_id, village_id=village.id)
        names, missing = await missing_households(
            turn.session, self._deps, village.commune_id, village.id
        )
        off, off_count = await off_list_submissions(
            turn.session, self._deps, village.commune_id, village.id
        )
        params = {**figures[0].params(), "missing": missing, "off_list": off_count}
        params["names_lines"] = [("progress.name", {"name": n}) for n in names] or [
            ("staff.none", {})
        ]
        params["off_lines"] = [
            ("progress.off_list_item", {"receipt": receipt, "name": name}) for receipt, name in off
        ] or [("staff.none", {})]
        turn.say("progress.village", params)
        if missing - len(names) > 0:
            turn.say("progress.more", {"count": missing - len(names)})

    async def _report(self, turn: _Turn) -> None:
        staff = turn.staff
        if staff.role is StaffRole.ADMIN:
            await self._province_progress(turn)
            return
        if not await self._allowed(
            turn, Action.RECEIVE_REPORT, self._subject(turn, staff.commune_id)
        ):
            return
        if staff.commune_id is None:
            raise LookupError("an officer without a commune")
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
        turn.show(
            screens.settings_screen(
                chief=staff.role is StaffRole.CHIEF,
                daily_digest=staff.daily_digest,
                digest_hour=self._digest_hour,
            )
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
                turn.say(f"settings.saved_{choice}", {"hour": self._digest_hour})
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
            await self._assist(turn, staff.village_id)
            return
        if staff.role is StaffRole.ADMIN or staff.commune_id is None:
            turn.say("staff.refused")
            return
        if not await self._allowed(turn, Action.ASSIST, self._subject(turn, staff.commune_id)):
            return
        villages = await places.villages_of_commune(turn.session, staff.commune_id)
        turn.show(screens.assist_villages(_places(villages)))

    async def _assist(self, turn: _Turn, village_id: int) -> None:
        """The village's households of the target list who have not submitted come first;
        with none (or no list), the submission starts at once."""
        village = await self._village(turn, village_id)
        if village is None:
            return
        subject = self._subject(turn, village.commune_id, village.id)
        if not await self._allowed(turn, Action.ASSIST, subject):
            return
        if await self._residents.assisting(turn.session, turn.event.actor.chat_id):
            turn.say("assist.finish_first")  # one household at a time
            return
        missing, total = await missing_targets(
            turn.session, self._deps, village.commune_id, village.id, limit=screens.MAX_HOUSEHOLDS
        )
        if not missing:
            await self._start_assist(turn, village.id)
            return
        households = [(household.target_id, household.name) for household in missing]
        turn.show(screens.assist_households(village.id, village.name, households, total))

    async def _assist_household(self, turn: _Turn, target_id: uuid.UUID) -> None:
        target = await places.target(turn.session, target_id)
        if target is None or target.village_id is None:
            turn.say("assist.household_gone")
            return
        subject = self._subject(turn, target.commune_id, target.village_id)
        if not await self._allowed(turn, Action.ASSIST, subject):
            return
        missing, _ = await missing_targets(
            turn.session, self._deps, target.commune_id, target.village_id, limit=10**6
        )
        household = next((h for h in missing if h.target_id == target_id), None)
        if household is None:
            turn.say("assist.household_gone")
            return
        await self._start_assist(turn, target.village_id, household)

    async def _start_assist(
        self, turn: _Turn, village_id: int, household: Household | None = None
    ) -> None:
        village = await self._village(turn, village_id)
        if village is None:
            return
        subject = self._subject(turn, village.commune_id, village.id)
        if not await self._allowed(turn, Action.ASSIST, subject):
            return
        commune = await places.commune(turn.session, village.commune_id)
        if commune is None:
            raise LookupError("a village's commune is gone")
        outcome = await self._residents.start_assisted(
            turn.session,
            turn.event,
            turn.directory,
            staff_id=turn.staff.id,
            place=(Place(commune.id, commune.name), Place(village.id, village.name, village.code)),
            holder_name=household.name if household else None,
            map_sheet=household.map_sheet if household else None,
            parcel_no=household.parcel_no if household else None,
        )
        turn.outcome.replies.extend(outcome.replies)
        turn.outcome.language = outcome.language


def _searching(staff: Staff | None) -> bool:
    return staff is not None and (staff.awaiting or {}).get("kind") == "search"


async def _resident_turn(session: AsyncSession, event: Event) -> bool:
    """Whether a text or /cancel is for the sender's own submission in progress."""
    if isinstance(event, Text) or (isinstance(event, Command) and event.name == "cancel"):
        return await residents.has_draft(session, event.actor.chat_id)
    return False


def event_is_plain(event: Text | Command, staff: Staff | None) -> bool:
    """A text or /cancel //help that is not the staff desk's: no note is awaited."""
    if isinstance(event, Command) and (event.name in STAFF_COMMANDS or event.name == "start"):
        return False
    if staff is None:
        return isinstance(event, Text)  # e.g. revoked meanwhile: the resident desk answers
    if isinstance(event, Command) and event.name == "help":
        return False
    return not staff.awaiting


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
