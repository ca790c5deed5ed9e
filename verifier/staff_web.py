"""Staff routes: sign-in/out, the staff page, the refusal export and reading a stored result.

Every route but the sign-in form needs a staff session (cookie `myna_staff`, HttpOnly, SameSite=Strict,
Secure over HTTPS); without one it answers 401. POSTs carry a CSRF token. Sign-in, sign-out, opening the
staff page (once per session), reading a result and exporting refusals go to the audit log; a failed
sign-in writes nothing (it is logged and costs the address a token of its failure budget).
"""

from __future__ import annotations

import csv
import io
import logging
import secrets
from typing import Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Cookie, Request, Response
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse
from starlette.concurrency import run_in_threadpool

from verifier import staff
from verifier.errors import Refused
from verifier.ratelimit import Buckets
from verifier.service import Verifier
from verifier.staff_calls import StaffCalls
from verifier.staffauth import IdentityProvider, PasswordDirectory, Session, Sessions

log = logging.getLogger(__name__)
SESSION_COOKIE = "myna_staff"
PRE_COOKIE = "myna_pre"
# Staff pages: never cached, never framed, no scripts, forms post only here, no referrer to elsewhere.
HARDENED = {
    "Cache-Control": "no-store",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
}


def _hardened(response: Response) -> Response:
    response.headers.update(HARDENED)
    return response


def router(verifier: Verifier, failures: Buckets, refusals: dict[int | str, dict[str, Any]], answer_model: Any,
           provider: IdentityProvider | None = None, sessions: Sessions | None = None,
           calls: StaffCalls | None = None) -> APIRouter:
    provider = provider or PasswordDirectory(verifier.store)
    sessions = sessions or Sessions()
    routes = APIRouter()
    need_login: dict[int | str, dict[str, Any]] = {401: refusals[401]}

    def session_of(token: str | None) -> Session:
        session = sessions.get(token)
        if session is None:
            raise Refused("staff_login_required")
        return session

    def secure(request: Request) -> bool:
        return request.url.scheme == "https"

    @routes.get("/staff/login", response_class=HTMLResponse)
    def login_form(request: Request, myna_pre: str | None = Cookie(default=None)) -> HTMLResponse:
        pre = myna_pre if myna_pre and 20 <= len(myna_pre) <= 64 else secrets.token_urlsafe(24)
        page = HTMLResponse(staff.render_login(sessions.login_token(pre)))
        page.set_cookie(PRE_COOKIE, pre, httponly=True, samesite="strict", secure=secure(request), path="/staff")
        _hardened(page)
        return page

    @routes.post("/staff/login", status_code=303, response_class=Response, responses={
        303: {"description": "signed in: to /staff, with the session cookie"},
        401: {"description": "wrong user or password (the form again)", "content": {"text/html": {}}},
        403: refusals[403]})
    async def login(request: Request, myna_pre: str | None = Cookie(default=None)) -> Response:
        form = _form(await request.body())
        if not myna_pre or not secrets.compare_digest(form.get("csrf", ""), sessions.login_token(myna_pre)):
            raise Refused("csrf_invalid")
        username, password = form.get("username", "")[:64], form.get("password", "")[:256]
        principal = await run_in_threadpool(provider.authenticate, username, password)
        if principal is None:
            failures.take(request.client.host if request.client else "?")
            log.warning("staff sign-in failed for a user name of %d characters", len(username))
            return _hardened(HTMLResponse(staff.render_login(
                sessions.login_token(myna_pre), "ユーザー名かパスワードが違います / wrong user or password"),
                status_code=401))
        token = sessions.open(principal)
        await run_in_threadpool(verifier.audit.append, f"staff:{principal.username}", "login", principal.source,
                                "", verifier.clock())
        answer = RedirectResponse("/staff", status_code=303)
        answer.set_cookie(SESSION_COOKIE, token, httponly=True, samesite="strict", secure=secure(request), path="/")
        return answer

    @routes.post("/staff/logout", status_code=303, responses={**need_login, 403: refusals[403]})
    async def logout(request: Request, myna_staff: str | None = Cookie(default=None)) -> Response:
        session = session_of(myna_staff)
        if not secrets.compare_digest(_form(await request.body()).get("csrf", ""), session.csrf):
            raise Refused("csrf_invalid")
        sessions.close(myna_staff or "")
        verifier.audit.append(f"staff:{session.principal.username}", "logout", "", "", verifier.clock())
        answer = RedirectResponse("/staff/login", status_code=303)
        answer.delete_cookie(SESSION_COOKIE, path="/")
        return answer

    @routes.get("/staff", response_class=HTMLResponse, responses=need_login)
    def staff_page(myna_staff: str | None = Cookie(default=None)) -> Response:
        session = sessions.get(myna_staff)
        if session is None:
            return _hardened(HTMLResponse(staff.render_need_login(), status_code=401))
        now = verifier.clock()
        since = staff.start_of_day_jst(now)
        if not session.viewed:  # the page refreshes every 15 s: one audit row per session, not per refresh
            session.viewed = True
            verifier.audit.append(f"staff:{session.principal.username}", "view_staff_page", "", "", now)
        return _hardened(HTMLResponse(staff.render(verifier.store.receptions_since(since), now,
                                                   verifier.store.refusals_since(since), session.principal.username,
                                                   session.csrf, calls.recent(now) if calls else ())))

    @routes.get("/staff/refusals.csv", responses=need_login)
    def refusals_csv(myna_staff: str | None = Cookie(default=None)) -> Response:
        session = session_of(myna_staff)
        now = verifier.clock()
        rows = verifier.store.refusals_since(staff.start_of_day_jst(now))
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(["transaction_id", "kiosk_id", "code", "message", "first_at", "last_at", "attempts",
                         "accepted_at"])
        for r in rows:
            writer.writerow([r["transaction_id"], r["kiosk_id"], r["code"], r["message"], r["first_at"],
                             r["last_at"], r["attempts"], r["accepted_at"] or ""])
        verifier.audit.append(f"staff:{session.principal.username}", "export_refusals", "", f"{len(rows)} rows", now)
        return _hardened(Response(out.getvalue(), media_type="text/csv; charset=utf-8"))

    @routes.get("/v1/results/{transaction_id}", response_model=answer_model,
                responses={**need_login, 404: refusals[404]})
    def stored_result(transaction_id: str, myna_staff: str | None = Cookie(default=None)) -> Response:
        session = session_of(myna_staff)
        answer = verifier.answer_for(transaction_id)
        verifier.audit.append(f"staff:{session.principal.username}", "read_result", transaction_id[:80],
                              "found" if answer else "not found", verifier.clock())
        if answer is None:
            raise Refused("not_found")
        return _hardened(JSONResponse(answer))

    return routes


def _form(body: bytes) -> dict[str, str]:
    try:
        parsed = parse_qs(body.decode("utf-8"), max_num_fields=8, strict_parsing=False)
    except (UnicodeDecodeError, ValueError) as exc:
        raise Refused("invalid_request", "a form (application/x-www-form-urlencoded) is expected") from exc
    return {k: v[0] for k, v in parsed.items() if v}
