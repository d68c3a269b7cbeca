"""The console's HTTP side: routes under `/console/`, the checks every request passes, and
the pages (Jinja2 with autoescape, texts from the message catalog in the reader's language).

Every request passes, in this order:

1. **headers** — on every answer, error pages and redirects included: `Cache-Control:
   no-store` (pages and documents hold personal data), a strict Content-Security-Policy
   (scripts, styles and images from this origin only; no framing), `Referrer-Policy:
   strict-origin` (a sign-in address's path never leaves the page), `nosniff`.
2. **errors** — an unknown address, a refused request or a fault gets a page in the reader's
   language (Vietnamese unless the staff member chose English), never a traceback; a fault is
   logged by its type only (a request may carry personal data).
3. **origin** — a POST must come from a page of this console: its `Origin` must be this site's
   (where a browser sends none, or an opaque `null`, only `Sec-Fetch-Site: same-origin`).
4. **session** — the cookie's key names a live session (intake/console: idle 30 min, absolute
   12 h, the staff member still active), else the sign-in page's explanation; a POST must also
   carry the session's CSRF token (form field `csrf`, or an `X-CSRF-Token` header).

The cookie is `HttpOnly; SameSite=Strict; Path=/`, and `Secure` with the `__Host-` prefix when
the console's public address is https (`HOSO_PUBLIC_URL`, or the webhook's address).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import datetime
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import jinja2
import segno
from aiohttp import web

from console._posters import poster_pdf
from intake.console import (
    MAX_CSV,
    MAX_FAILURES,
    AuditFilter,
    AuditRefused,
    ConsoleDesk,
    ConsoleUser,
    DocumentUnavailable,
    Ended,
    Export,
    ExportKind,
    ExportRefused,
    FilterError,
    Invitation,
    NotFound,
    PostersUnavailable,
    QueueFilter,
    RequestsRefused,
    SessionEnded,
    SignedIn,
    StaffRefused,
    Stale,
    Unlock,
    csrf_token,
)
from intake.exports import safe_name
from intake.language import CATALOG, VIETNAM, Language, render
from intake.reports import FIGURES, GROUPS
from intake.submissions import ReviewError

__all__ = ["ConsoleOptions", "console_app"]

log = logging.getLogger("hoso.console")

_COOKIE = "hoso_console"
_STATIC = {
    "htmx-2.0.4.min.js": "text/javascript",
    "console.js": "text/javascript",
    "console.css": "text/css",
}
_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob:; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
_IMAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"
_PUBLIC = frozenset(
    {"signin", "signin_post", "signed_out", "static", "root"}
)  # reachable without a session
_MAX_FORM = 64 * 1024
_MAX_NOTE = 500
_MAX_FLASHES = 1000
_XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_CHUNK = 256 * 1024  # an XLSX is sent in pieces of this size
_BATCH = 1024 * 1024  # a ZIP is made in a worker thread about this much at a time

_USER = web.RequestKey("user", ConsoleUser)
_CSRF = web.RequestKey("csrf", str)
_FLASH = web.RequestKey("flash", tuple)  # (message key, params), shown once

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@dataclass(frozen=True)
class ConsoleOptions:
    public_url: str | None = None  # e.g. https://hoso.example.vn; None: the request's own

    @property
    def secure(self) -> bool:
        return bool(self.public_url) and str(self.public_url).startswith("https://")

    @property
    def cookie_name(self) -> str:
        return f"__Host-{_COOKIE}" if self.secure else _COOKIE

    def origin(self, request: web.Request) -> str:
        if self.public_url:
            parts = urlsplit(self.public_url)
            return f"{parts.scheme}://{parts.netloc}"
        return f"{request.scheme}://{request.host}"


class _Pages:
    """The Jinja2 environment and the texts of one language."""

    def __init__(self) -> None:
        self.env = jinja2.Environment(
            loader=jinja2.PackageLoader("console", "templates"),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )

    def render(
        self, request: web.Request, template: str, status: int = 200, **context: Any
    ) -> web.Response:
        language = _language(request)
        user = request.get(_USER)

        def t(key: str, **params: object) -> str:
            return render(language, key, params)

        html = self.env.get_template(template).render(
            t=t,
            lang=language.value,
            user=user,
            csrf=request.get(_CSRF, ""),
            flash=request.get(_FLASH),
            known=CATALOG,
            **context,
        )
        return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def _language(request: web.Request) -> Language:
    user = request.get(_USER)
    if user is not None:
        return Language(user.language) if user.language in ("vi", "en") else Language.VI
    accepted = request.headers.get("Accept-Language", "")
    return Language.EN if accepted.lower().startswith("en") else Language.VI


def console_app(desk: ConsoleDesk, options: ConsoleOptions | None = None) -> web.Application:
    """The console as an aiohttp sub-application, to be added under `/console`."""
    console = _Console(desk, options or ConsoleOptions())
    app = web.Application(
        middlewares=[console.headers, console.errors, console.origin, console.session]
    )
    router = app.router
    router.add_get("/", console.root, name="root")
    router.add_get("/signin", console.signin_page, name="signin")
    router.add_post("/signin", console.signin, name="signin_post")
    router.add_get("/signed-out", console.signed_out, name="signed_out")
    router.add_post("/signout", console.signout)
    router.add_get("/queue", console.queue)
    router.add_get("/s/{receipt}", console.submission)
    router.add_post("/s/{receipt}/review", console.review)
    router.add_post("/unlock", console.unlock)
    router.add_post("/lock", console.lock)
    router.add_get("/d/{document}", console.document)
    router.add_get("/export/{kind}", console.export, allow_head=False)  # a HEAD is no export
    router.add_get("/progress", console.progress)
    router.add_get("/progress/chart.svg", console.progress_chart)
    router.add_get("/progress/missing", console.missing)
    router.add_get("/audit", console.audit)
    router.add_get("/audit.csv", console.audit_csv)
    router.add_get("/posters", console.posters)
    router.add_get("/posters/{which}", console.poster_pdf)
    router.add_get("/staff", console.staff)
    router.add_post("/staff/invite", console.invite)
    router.add_post("/staff/{staff_id}/revoke", console.revoke)
    router.add_get("/requests", console.data_requests)
    router.add_post("/requests/{code}", console.answer_request)
    router.add_get("/static/{name}", console.static, name="static")
    return app


class _Refused(Exception):
    """A request answered with a message page (`key`) and a status."""

    def __init__(self, key: str, status: int) -> None:
        super().__init__(key)
        self.key = key
        self.status = status


class _Console:
    """The routes' handlers and the checks around them (module docstring)."""

    def __init__(self, desk: ConsoleDesk, options: ConsoleOptions) -> None:
        self.desk = desk
        self.options = options
        self.pages = _Pages()
        self.flashes: dict[int, tuple[str, dict[str, object]]] = {}  # session id → shown once
        self.invitations: dict[int, Invitation] = {}  # session id → its new link, shown once

    def flash(self, user: ConsoleUser, key: str, **params: object) -> None:
        if len(self.flashes) > _MAX_FLASHES:  # sessions that ended without coming back
            self.flashes.clear()
        self.flashes[user.session_id] = (key, params)

    def forget_cookie(self, response: web.StreamResponse) -> None:
        """Expire the session cookie (with its flags: a `__Host-` cookie is only replaced by
        one that is `Secure` too)."""
        response.del_cookie(
            self.options.cookie_name,
            path="/",
            secure=self.options.secure,
            httponly=True,
            samesite="Strict",
        )

    def message(
        self,
        request: web.Request,
        key: str,
        status: int,
        title: str | None = None,
        **params: object,
    ) -> web.Response:
        if title is None:
            title = "console.signin_title" if status in (200, 401) else "console.problem_title"
        return self.pages.render(
            request, "message.html", status=status, key=key, title=title, params=params
        )

    # --- the checks every request passes (module docstring) ---------------------------------

    @web.middleware
    async def errors(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        try:
            return await handler(request)
        except _Refused as exc:
            return self.message(request, exc.key, exc.status)
        except NotFound:
            return self.message(request, "console.not_found", 404)
        except web.HTTPNotFound:
            return self.message(request, "console.not_found", 404)
        except web.HTTPMethodNotAllowed:
            return self.message(request, "console.not_found", 405)
        except web.HTTPRequestEntityTooLarge:
            return self.message(request, "console.too_large", 413)
        except web.HTTPException as exc:
            if exc.status >= 400:
                return self.message(request, "console.bad_request", exc.status)
            raise
        except Exception as exc:
            # by its type only: a traceback could quote personal data
            log.error("console request failed", extra={"error": type(exc).__name__})  # noqa: TRY400
            return self.message(request, "console.fault", 500)

    @web.middleware
    async def headers(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        """The outermost check: every answer gets the headers, error pages and redirects too."""
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # redirects
            _secure_headers(exc)
            raise
        _secure_headers(response)
        return response

    @web.middleware
    async def origin(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.method not in ("GET", "HEAD"):
            given = request.headers.get("Origin")
            if given is not None and given != "null":
                same = given == self.options.origin(request)
            else:  # no Origin, or an opaque one: only a browser's own word for it counts
                same = request.headers.get("Sec-Fetch-Site") == "same-origin"
            if not same:
                log.warning("console request refused", extra={"reason": "origin"})
                return self.message(request, "console.forbidden", 403)
        return await handler(request)

    @web.middleware
    async def session(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        if request.match_info.route.name in _PUBLIC:
            return await handler(request)
        key = request.cookies.get(self.options.cookie_name, "")
        found = await self.desk.resume(key)
        if isinstance(found, Ended):
            response = self.message(request, f"console.ended_{found.reason.value}", 401)
            if found.reason is not SessionEnded.NONE:
                self.forget_cookie(response)
            return response
        request[_USER] = found
        request[_CSRF] = csrf_token(key)
        if request.method not in ("GET", "HEAD"):
            given = request.headers.get("X-CSRF-Token")
            if given is None:
                form = await _form(request)
                given = str(form.get("csrf", ""))
            if not hmac.compare_digest(given.encode(), request[_CSRF].encode()):
                log.warning("console request refused", extra={"reason": "csrf"})
                return self.message(request, "console.stale_form", 403)
        if (shown := self.flashes.pop(found.session_id, None)) is not None:
            request[_FLASH] = shown
        return await handler(request)

    # --- signing in and out --------------------------------------------------------------------

    async def root(self, request: web.Request) -> web.StreamResponse:
        raise web.HTTPSeeOther("/console/queue")

    async def signin_page(self, request: web.Request) -> web.StreamResponse:
        token = request.query.get("t", "")
        return self.pages.render(request, "signin.html", token=token[:100])

    async def signin(self, request: web.Request) -> web.StreamResponse:
        form = await _form(request)
        result = await self.desk.sign_in(str(form.get("t", "")), remote=request.remote)
        if not isinstance(result, SignedIn):
            return self.message(request, f"console.link_{result.value}", 403)
        response = web.HTTPSeeOther("/console/queue")
        response.set_cookie(
            self.options.cookie_name,
            result.session_key,
            path="/",
            httponly=True,
            samesite="Strict",
            secure=self.options.secure,
        )
        raise response

    async def signout(self, request: web.Request) -> web.StreamResponse:
        user = request[_USER]
        await self.desk.sign_out(user)
        self.flashes.pop(user.session_id, None)
        response = web.HTTPSeeOther("/console/signed-out")
        self.forget_cookie(response)
        # what this browser kept of the console (htmx keeps none, but a shared PC's cache may)
        response.headers["Clear-Site-Data"] = '"cache", "storage"'
        raise response

    async def signed_out(self, request: web.Request) -> web.StreamResponse:
        return self.message(request, "console.signed_out", 200)

    # --- the queue and a submission ------------------------------------------------------------

    @staticmethod
    def wanted(request: web.Request) -> QueueFilter:
        try:
            return QueueFilter.read(request.query)
        except FilterError as exc:
            raise _Refused(exc.key, 400) from None

    async def queue(self, request: web.Request) -> web.StreamResponse:
        user = request[_USER]
        view = await self.desk.queue(user, self.wanted(request))
        partial = request.headers.get("HX-Request") and not request.headers.get(
            "HX-History-Restore-Request"
        )
        template = "queue_rows.html" if partial else "queue.html"
        return self.pages.render(request, template, view=view, f=view.filter)

    async def _submission_page(
        self, request: web.Request, receipt: str, status: int = 200, problem: str | None = None
    ) -> web.Response:
        user = request[_USER]
        wanted = self.wanted(request)
        page = await self.desk.submission(user, receipt, wanted)
        return self.pages.render(
            request,
            "submission.html",
            status=status,
            page=page,
            card=page.card,
            f=wanted,
            problem=problem,
            max_failures=MAX_FAILURES,
        )

    async def submission(self, request: web.Request) -> web.StreamResponse:
        return await self._submission_page(request, request.match_info["receipt"])

    async def review(self, request: web.Request) -> web.StreamResponse:
        user = request[_USER]
        receipt = request.match_info["receipt"]
        wanted = self.wanted(request)
        form = await _form(request)
        village = str(form.get("village", ""))
        try:
            done = await self.desk.review(
                user,
                receipt,
                action=str(form.get("action", "")),
                seen=str(form.get("seen", "")),
                wanted=wanted,
                reason=str(form.get("reason", "")),
                note=str(form.get("note", ""))[:_MAX_NOTE],
                slots=[str(s) for s in form.getall("slot", [])],
                village_id=int(village) if village.isdigit() and len(village) < 10 else None,
                confirmed=form.get("confirmed") == "yes",
            )
        except Stale:
            return await self._submission_page(request, receipt, 409, "console.stale")
        except ReviewError as exc:
            return await self._submission_page(request, receipt, 409, exc.key)
        self.flash(user, done.key, **done.params)
        if done.next_receipt is not None:
            raise web.HTTPSeeOther(f"/console/s/{done.next_receipt}{wanted.query()}")
        raise web.HTTPSeeOther(f"/console/queue{wanted.query()}")

    # --- keys and documents --------------------------------------------------------------------

    async def unlock(self, request: web.Request) -> web.StreamResponse:
        user = request[_USER]
        form = await _form(request)
        back = str(form.get("back", ""))
        if not back.startswith("/console/") or "//" in back or "\\" in back:
            back = "/console/queue"
        commune = str(form.get("commune", ""))
        if not commune.isdigit() or len(commune) > 9:
            raise _Refused("console.bad_request", 400)
        result = await self.desk.unlock(user, int(commune), str(form.get("passphrase", "")))
        match result.outcome:
            case Unlock.UNLOCKED:
                self.flash(user, "console.unlocked")
            case Unlock.WRONG:
                self.flash(user, "console.unlock_wrong", left=result.attempts_left)
            case Unlock.LIMITED:
                self.flash(user, "console.unlock_limited")
            case Unlock.NO_KEY:
                self.flash(user, "console.unlock_no_key")
            case Unlock.BUSY:
                self.flash(user, "console.unlock_busy")
        raise web.HTTPSeeOther(back)

    async def lock(self, request: web.Request) -> web.StreamResponse:
        user = request[_USER]
        self.desk.lock(user)
        self.flash(user, "console.locked")
        raise web.HTTPSeeOther("/console/queue")

    async def document(self, request: web.Request) -> web.StreamResponse:
        user = request[_USER]
        try:
            opened = await self.desk.document(user, request.match_info["document"])
        except DocumentUnavailable as exc:
            text = render(_language(request), f"console.document_{exc.problem.value}")
            return web.Response(text=text, status=409, content_type="text/plain")
        disposition = "attachment" if opened.content_type == "application/pdf" else "inline"
        return web.Response(
            body=opened.data,
            content_type=opened.content_type,
            headers={"Content-Disposition": f'{disposition}; filename="{opened.filename}"'},
        )

    # --- exports -------------------------------------------------------------------------------

    async def _download(
        self,
        request: web.Request,
        *,
        filename: str,
        content_type: str,
        chunks: AsyncIterator[bytes],
        size: int | None = None,
    ) -> tuple[web.StreamResponse, bool]:
        """Send `chunks` as an attachment with the console's headers (set now: they leave
        before the handler returns); whether all of it went out. A client that goes away ends
        it quietly; a fault once the first byte is out cuts the connection, so the browser
        shows a failed download rather than a file with an error page inside it."""
        response = web.StreamResponse(
            headers={
                "Content-Type": content_type,
                "Content-Disposition": f'attachment; filename="{filename}"',
            }
        )
        if size is not None:
            response.content_length = size
        _secure_headers(response)
        try:
            await response.prepare(request)
            async for chunk in chunks:
                await response.write(chunk)
            await response.write_eof()
        except ConnectionError:  # the client went away: nothing more to send
            log.info("console download interrupted")
            return response, False
        except Exception as exc:
            if not response.prepared:
                raise  # nothing sent yet: the error page says what happened
            log.error("console download failed", extra={"error": type(exc).__name__})  # noqa: TRY400
            if request.transport is not None:
                request.transport.close()
            return response, False
        return response, True

    async def export(self, request: web.Request) -> web.StreamResponse:
        """An XLSX or a ZIP of what the queue's filter shows, streamed; its audit event is
        written when the download ends, complete or not (intake/console/_exports.py)."""
        user = request[_USER]
        try:
            kind = ExportKind(request.match_info["kind"])
        except ValueError:
            raise web.HTTPNotFound from None
        try:
            export = await self.desk.export(user, self.wanted(request), kind)
        except ExportRefused as refused:
            return self.message(
                request, refused.key, refused.status, title="export.title", **refused.params
            )
        filename = export.filename(datetime.now(VIETNAM).strftime("%Y%m%d-%H%M"))
        counts: dict[str, int] = {}
        complete = False
        try:
            if kind is ExportKind.XLSX:
                response, complete = await self._send_xlsx(request, export, filename, counts)
            else:
                response, complete = await self._send_zip(request, export, filename, counts)
        finally:
            await asyncio.shield(self.desk.exported(user, export, complete=complete, **counts))
        return response

    async def _send_xlsx(
        self, request: web.Request, export: Export, filename: str, counts: dict[str, int]
    ) -> tuple[web.StreamResponse, bool]:
        """Written to a temporary folder of its own (mode 0700), removed whatever happens; the
        file is unlinked as soon as it is open for sending. Only a process killed while the
        file is being written leaves it behind, in the system's temporary folder."""
        folder = Path(tempfile.mkdtemp(prefix="hoso-export-"))
        try:
            path = folder / "export.xlsx"
            counts["rows_written"] = await self.desk.write_xlsx(export, path, _language(request))
            with path.open("rb") as handle:
                path.unlink()

                async def pieces() -> AsyncIterator[bytes]:
                    sent = 0
                    while chunk := await asyncio.to_thread(handle.read, _CHUNK):
                        yield chunk
                        sent += len(chunk)
                        counts["bytes"] = sent

                return await self._download(
                    request,
                    filename=filename,
                    content_type=_XLSX,
                    chunks=pieces(),
                    size=os.fstat(handle.fileno()).st_size,
                )
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    async def _send_zip(
        self, request: web.Request, export: Export, filename: str, counts: dict[str, int]
    ) -> tuple[web.StreamResponse, bool]:
        """Made as it is sent: a worker thread makes about a megabyte at a time (read, check,
        open, zip), and the event loop sends it."""
        writer = self.desk.archive(export, _language(request))
        chunks = writer.chunks()

        async def batches() -> AsyncIterator[bytes]:
            while batch := await asyncio.to_thread(_take, chunks, _BATCH):
                yield batch

        try:
            return await self._download(
                request, filename=filename, content_type="application/zip", chunks=batches()
            )
        finally:
            counts.update(
                submissions=writer.submissions,
                files=writer.files,
                problems=writer.problems,
                bytes=writer.size,
            )
            chunks.close()

    # --- progress ----------------------------------------------------------------------------

    async def progress(self, request: web.Request) -> web.StreamResponse:
        dashboard = await self.desk.progress(request[_USER], self._commune_asked(request))
        return self.pages.render(
            request, "progress.html", d=dashboard, figures=FIGURES, groups=GROUPS
        )

    async def progress_chart(self, request: web.Request) -> web.StreamResponse:
        svg = await self.desk.progress_chart(request[_USER], self._commune_asked(request))
        response = web.Response(body=svg, content_type="image/svg+xml")
        # an image, never a page: matplotlib's SVG carries a <style> of its own, and nothing runs
        response.headers["Content-Security-Policy"] = _IMAGE_CSP
        return response

    async def missing(self, request: web.Request) -> web.StreamResponse:
        village = request.query.get("village", "")
        if not village.isdigit() or len(village) > 9:
            raise _Refused("console.bad_filter", 400)
        found = await self.desk.missing_households(
            request[_USER], self._commune_asked(request), int(village)
        )
        commune = request.query.get("commune", "")
        back = f"?commune={commune}" if commune else ""  # checked by _commune_asked
        return self.pages.render(request, "missing.html", m=found, back=back)

    # --- the audit log -------------------------------------------------------------------------

    @staticmethod
    def audit_filter(request: web.Request) -> AuditFilter:
        try:
            return AuditFilter.read(request.query)
        except FilterError as exc:
            raise _Refused(exc.key, 400) from None

    async def audit(self, request: web.Request) -> web.StreamResponse:
        wanted = self.audit_filter(request)
        if dict(request.query) != wanted.params():  # the form's empty fields: a clean address
            raise web.HTTPSeeOther(f"/console/audit{wanted.query()}")
        try:
            log_page = await self.desk.audit(request[_USER], wanted)
        except AuditRefused as refused:
            return self.message(
                request, refused.key, refused.status, title="console.audit_title", **refused.params
            )
        return self.pages.render(
            request, "audit.html", a=log_page, f=log_page.filter, max_csv=MAX_CSV
        )

    async def audit_csv(self, request: web.Request) -> web.StreamResponse:
        """The filtered events as a CSV, sent as they are read; its audit event is written
        when the download ends, complete or not (intake/console/_audit.py)."""
        user = request[_USER]
        try:
            writer = await self.desk.audit_csv(user, self.audit_filter(request))
        except AuditRefused as refused:
            return self.message(
                request, refused.key, refused.status, title="console.audit_title", **refused.params
            )
        stamp = datetime.now(VIETNAM).strftime("%Y%m%d-%H%M")
        complete = False
        try:
            response, complete = await self._download(
                request,
                filename=writer.export.filename(stamp),
                content_type="text/csv; charset=utf-8",
                chunks=writer.chunks(),
            )
        finally:
            await asyncio.shield(self.desk.audit_exported(user, writer, complete=complete))
        return response

    # --- village QR posters ---------------------------------------------------------------------

    @staticmethod
    def _commune_asked(request: web.Request) -> int | None:
        text = request.query.get("commune", "")
        if not text:
            return None
        if not text.isdigit() or len(text) > 9:
            raise _Refused("console.bad_filter", 400)
        return int(text)

    async def posters(self, request: web.Request) -> web.StreamResponse:
        try:
            found = await self.desk.posters(request[_USER], self._commune_asked(request))
        except PostersUnavailable:
            raise _Refused("console.posters_no_bot", 503) from None
        return self.pages.render(request, "posters.html", found=found)

    async def poster_pdf(self, request: web.Request) -> web.StreamResponse:
        """`all.pdf`: every village the reader may print; `<village id>.pdf`: one."""
        which = request.match_info["which"].removesuffix(".pdf")
        if which != "all" and not (which.isdigit() and len(which) < 10):
            raise web.HTTPNotFound
        village = None if which == "all" else int(which)
        try:
            found = await self.desk.posters(request[_USER], self._commune_asked(request), village)
        except PostersUnavailable:
            raise _Refused("console.posters_no_bot", 503) from None
        if not found.posters:
            raise _Refused("console.posters_none", 404)
        data = await asyncio.to_thread(poster_pdf, found.posters)
        name = found.posters[0].village_code if village is not None else found.commune_code
        return web.Response(
            body=data,
            content_type="application/pdf",
            headers={"Content-Disposition": f'inline; filename="poster-{safe_name(name)}.pdf"'},
        )

    # --- staff and invitations (intake/console/_staff.py) -------------------------------------

    async def staff(self, request: web.Request) -> web.StreamResponse:
        return await self._staff_page(request, self._commune_asked(request))

    async def _staff_page(
        self,
        request: web.Request,
        commune_id: int | None,
        problem: StaffRefused | None = None,
    ) -> web.Response:
        """The list and the invitation form; the link just made (shown once), or the reason
        a post was refused."""
        user = request[_USER]
        try:
            found = await self.desk.staff_list(
                user, commune_id, show_revoked=request.query.get("revoked") == "1"
            )
        except StaffRefused as refused:
            return self.message(
                request, refused.key, refused.status, "console.staff_title", **refused.params
            )
        invitation = self.invitations.pop(user.session_id, None) if problem is None else None
        return self.pages.render(
            request,
            "staff.html",
            status=problem.status if problem else 200,
            s=found,
            invitation=invitation,
            qr=_qr_svg(invitation.link) if invitation and invitation.link else None,
            problem=problem,
        )

    @staticmethod
    def _staff_address(commune_id: int | None) -> str:
        """The staff page of an admin's chosen commune (else the reader's own)."""
        return f"/console/staff?commune={commune_id}" if commune_id else "/console/staff"

    async def invite(self, request: web.Request) -> web.StreamResponse:
        user = request[_USER]
        form = await _form(request)
        commune = _number(str(form.get("commune", "")))
        try:
            made = await self.desk.invite(
                user,
                role=str(form.get("role", "")),
                commune_id=commune,
                village_id=_number(str(form.get("village", ""))),
            )
        except StaffRefused as refused:
            return await self._staff_page(request, commune, refused)
        if len(self.invitations) > _MAX_FLASHES:  # sessions that ended without coming back
            self.invitations.clear()
        self.invitations[user.session_id] = made
        self.flash(
            user, "console.invite_made", role_key=f"role.{made.role.value}", place=made.place
        )
        raise web.HTTPSeeOther(self._staff_address(made.commune_id or commune))

    async def revoke(self, request: web.Request) -> web.StreamResponse:
        user = request[_USER]
        staff_id = _number(request.match_info["staff_id"])
        if not staff_id:
            raise web.HTTPNotFound
        form = await _form(request)
        commune = _number(str(form.get("commune", "")))
        try:
            done = await self.desk.revoke(user, staff_id)
        except StaffRefused as refused:
            return await self._staff_page(request, commune, refused)
        name = done.name or render(
            _language(request), "console.staff_unnamed", {"id": done.telegram_user_id}
        )
        self.flash(
            user, "console.staff_revoked_done", role_key=f"role.{done.role.value}", name=name
        )
        raise web.HTTPSeeOther(self._staff_address(done.commune_id or commune))

    # --- data-subject requests (intake/console/_requests.py) ----------------------------------

    async def data_requests(self, request: web.Request) -> web.StreamResponse:
        return await self._requests_page(request, self._commune_asked(request))

    async def _requests_page(
        self,
        request: web.Request,
        commune_id: int | None,
        problem: RequestsRefused | None = None,
    ) -> web.Response:
        """The list with its answers; the reason a post was refused, above it."""
        try:
            found = await self.desk.data_requests(request[_USER], commune_id)
        except RequestsRefused as refused:
            return self.message(
                request, refused.key, refused.status, "console.requests_title", **refused.params
            )
        return self.pages.render(
            request,
            "requests.html",
            status=problem.status if problem else 200,
            r=found,
            problem=problem,
        )

    async def answer_request(self, request: web.Request) -> web.StreamResponse:
        """Acknowledge (`action=acknowledge`) or complete with a note (`action=complete`)."""
        user = request[_USER]
        code = request.match_info["code"]
        if len(code) > 16:
            raise web.HTTPNotFound
        form = await _form(request)
        commune = _number(str(form.get("commune", "")))
        try:
            done = await self.desk.answer_request(
                user,
                code,
                action=str(form.get("action", "")),
                note=str(form.get("note", "")),
            )
        except RequestsRefused as refused:
            if refused.status == 403:  # the page itself is not the reader's either
                return self.message(request, refused.key, refused.status, "console.requests_title")
            return await self._requests_page(request, commune, refused)
        self.flash(user, done.key, code=done.code)
        back = done.commune_id or commune
        raise web.HTTPSeeOther(
            f"/console/requests?commune={back}" if back else "/console/requests"
        )

    async def static(self, request: web.Request) -> web.StreamResponse:
        name = request.match_info["name"]
        if name not in _STATIC:
            raise web.HTTPNotFound
        data = (files("console") / "static" / name).read_bytes()
        return web.Response(
            body=data,
            content_type=_STATIC[name],
            headers={"Cache-Control": "public, max-age=3600"},
        )


def _number(text: str) -> int | None:
    """A form's or an address's id: None when empty, 0 (which names nothing) when not one."""
    if not text:
        return None
    return int(text) if text.isdigit() and len(text) < 10 else 0


def _qr_svg(link: str) -> str:
    """The link's QR code as inline SVG markup (no `style`: the CSP would refuse it)."""
    return str(segno.make(link, error="m").svg_inline(scale=4, dark="#000", light="#fff"))


def _take(chunks: Iterator[bytes], size: int) -> bytes:
    """The next `size` bytes or so of `chunks` (b"" at the end)."""
    taken: list[bytes] = []
    length = 0
    for chunk in chunks:
        taken.append(chunk)
        length += len(chunk)
        if length >= size:
            break
    return b"".join(taken)


def _secure_headers(response: web.StreamResponse) -> None:
    response.headers.setdefault("Cache-Control", "no-store")
    response.headers.setdefault("Content-Security-Policy", _CSP)  # a chart sets its own
    # the origin only, never a path: a sign-in address must not leak, and with "no-referrer"
    # browsers post forms with `Origin: null`
    response.headers["Referrer-Policy"] = "strict-origin"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"


async def _form(request: web.Request) -> Any:
    """The posted form (read once; aiohttp keeps it); an oversized body is refused."""
    if request.content_length is not None and request.content_length > _MAX_FORM:
        raise web.HTTPRequestEntityTooLarge(max_size=_MAX_FORM, actual_size=request.content_length)
    try:
        return await request.post()
    except (UnicodeDecodeError, LookupError, ValueError):  # not UTF-8, an unknown charset, …
        raise _Refused("console.bad_request", 400) from None
