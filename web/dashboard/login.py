"""Logging in and out, and the one-time links that set a password (invitations, resets).

A login is throttled per account and per address (domain.accounts.throttle, limits from the
settings; 429 with Retry-After); a wrong email costs as much time as a wrong password. Every
login opens a new session (a new cookie).
"""

from __future__ import annotations

import asyncio
import hmac
import math
import secrets
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from bot.catalog_cache import NoShop
from bot.passwords import hash_password, verify_password
from domain.accounts import MAX_PASSWORD, MIN_PASSWORD, Role, check_password, throttle
from domain.audit import Acting, Actor, Source, mask_email
from domain.errors import InvalidRequest
from domain.storage.accounts import (
    EmailTaken,
    OneTimeLink,
    User,
    create_user,
    end_all_sessions,
    end_session,
    forget_failures,
    open_session,
    peek_link,
    recent_failures,
    record_failure,
    set_password,
    use_link,
    user_by_email,
)
from domain.storage.uow import UnitOfWorkFactory
from web.acting import address_of
from web.dashboard.sessions import COOKIE, SessionDep, check_csrf
from web.dashboard.templating import Speech, render
from web.deps import ClockDep, SettingsDep, UowDep
from web.throttle import RateLimitsDep

router = APIRouter(prefix="/admin", include_in_schema=False)
LOGIN_COOKIE = "bp_login"  # the login form's own CSRF token, before there is a session
DEFAULT_SPEECH = Speech("es_AR", "America/Argentina/Buenos_Aires")


@router.get("/login")
async def login_page(request: Request, next: str = "/admin") -> Response:
    """The login form (with a fresh token of its own against cross-site posts)."""
    return _login_form(request, next)


@router.post("/login")
async def log_in(
    request: Request,
    uow_factory: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    limits: RateLimitsDep,
    email: Annotated[str, Form(max_length=254)] = "",
    password: Annotated[str, Form(max_length=MAX_PASSWORD)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
    next: Annotated[str, Form(max_length=500)] = "/admin",
) -> Response:
    """Check the password (throttled), open a new session and go where the user was going."""
    expected = request.cookies.get(LOGIN_COOKIE, "")
    if not expected or not hmac.compare_digest(csrf, expected):
        return _login_form(request, next, error="expired", status=403)
    email = email.strip().lower()
    address = request.client.host if request.client else "?"
    # One attempt at a time per account and per address, so a burst sent at once meets the
    # failures of the attempts before it instead of slipping past the throttle together.
    async with limits.logins.hold(f"account:{email}", f"address:{address}"):
        now = clock.now()
        rule = throttle(
            *await recent_failures(uow_factory, email, address, now),
            now,
            account_limit=settings.login_failures_per_account,
            address_limit=settings.login_failures_per_address,
        )
        if not rule.allowed:
            return _throttled(request, next, email, rule.until, now)
        user = await user_by_email(uow_factory, email)
        stored = user.password_hash if user else None
        if not await asyncio.to_thread(verify_password, stored, password) or user is None:
            await record_failure(uow_factory, email, address, now)
            await _audit_failure(uow_factory, user, email, address, now)
            return _login_form(request, next, email=email, error="wrong", status=401)
        await forget_failures(uow_factory, email)
        await _audit(uow_factory, user, "login", address, now)
    return await _logged_in(uow_factory, user, now, settings.public_url, next)


@router.post("/logout")
async def log_out(
    request: Request, session: SessionDep, uow_factory: UowDep, clock: ClockDep
) -> Response:
    """End this browser's session."""
    await check_csrf(request, session.csrf_token)
    await end_session(uow_factory, session.id, clock.now())
    await _audit(uow_factory, session.user, "logout", address_of(request), clock.now())
    return _to_login("logged_out")


@router.post("/logout-everywhere")
async def log_out_everywhere(
    request: Request, session: SessionDep, uow_factory: UowDep, clock: ClockDep
) -> Response:
    """End every session of this user (a lost phone, a shared computer)."""
    await check_csrf(request, session.csrf_token)
    await end_all_sessions(uow_factory, session.user.id, clock.now())
    where = address_of(request)
    await _audit(uow_factory, session.user, "logout_everywhere", where, clock.now())
    return _to_login("logged_out_everywhere")


@router.get("/link/{secret}")
async def link_page(
    secret: str, request: Request, uow_factory: UowDep, clock: ClockDep
) -> Response:
    """An invitation or a password reset: the form to choose a password."""
    link = await peek_link(uow_factory, secret[:100], clock.now())
    speech = await _speech(request, link.shop_id if link else None)
    if link is None:
        return render("link_used.html", speech, 404)
    return render(
        "set_password.html", speech, link=link, secret=secret, error=None, min_length=MIN_PASSWORD
    )


@router.post("/link/{secret}")
async def use_one_time_link(
    secret: str,
    request: Request,
    uow_factory: UowDep,
    clock: ClockDep,
    settings: SettingsDep,
    password: Annotated[str, Form(max_length=MAX_PASSWORD)] = "",
    again: Annotated[str, Form(max_length=MAX_PASSWORD)] = "",
) -> Response:
    """Set the password (the link is the proof: it is used once), then log in."""
    now = clock.now()
    link = await peek_link(uow_factory, secret[:100], now)
    speech = await _speech(request, link.shop_id if link else None)
    if link is None:
        return render("link_used.html", speech, 404)
    error = "mismatch" if password != again else None
    try:
        check_password(password)
    except InvalidRequest:
        error = error or "short"
    if error:
        return render(
            "set_password.html",
            speech,
            422,
            link=link,
            secret=secret,
            error=error,
            min_length=MIN_PASSWORD,
        )
    used = await use_link(uow_factory, secret[:100], now)
    if used is None:  # used meanwhile
        return render("link_used.html", speech, 404)
    hashed = await asyncio.to_thread(hash_password, password)
    user = await _password_set(uow_factory, used, hashed, now, address_of(request))
    if user is None:
        return render("link_used.html", speech, 409)
    await _audit(uow_factory, user, "login", address_of(request), now)
    return await _logged_in(uow_factory, user, now, settings.public_url, "/admin")


async def _password_set(
    uow_factory: UnitOfWorkFactory,
    link: OneTimeLink,
    hashed: str,
    now: datetime,
    address: str | None,
) -> User | None:
    """A reset changes the password of its (live) login; an invitation makes a new login, and
    never takes over one that exists (None then, or for a login turned off). Either is in the
    shop's audit trail: by the user, or by the invitation they came with."""
    if link.kind == "reset":
        user = await user_by_email(uow_factory, link.email)
        if user is not None:
            acting = Acting(Actor.user(user.id, user.email), now, address)
            await set_password(uow_factory.acting(acting), user.id, hashed, now)
        return user
    acting = Acting(Actor.invited(link.id, link.email), now, address)
    try:
        return await create_user(
            uow_factory.acting(acting),
            link.email,
            hashed,
            link.role,
            link.shop_id,
            now,
            link.professional_id,
        )
    except EmailTaken:
        return None


async def _audit(
    uow_factory: UnitOfWorkFactory, user: User, action: str, address: str | None, now: datetime
) -> None:
    """A login or logout in the trail of the user's shop (the platform's for operators)."""
    acting = Acting(Actor.user(user.id, user.email), now, address)
    await uow_factory.acting(acting).audit_alone(user.shop_id, f"auth.{action}", f"user:{user.id}")


async def _audit_failure(
    uow_factory: UnitOfWorkFactory, user: User | None, email: str, address: str, now: datetime
) -> None:
    """A wrong password: in the account's shop trail when the account exists; for an unknown
    address, a platform-wide row with the email masked (it may be a typo of someone's real
    address, or another site's password pasted in the email field). Never the password."""
    if user is not None:
        actor, shop_id, subject = Actor.user(user.id, user.email), user.shop_id, f"user:{user.id}"
    else:
        actor, shop_id, subject = Actor(Source.DASHBOARD, mask_email(email)), None, "user:unknown"
    acting = Acting(actor, now, address)
    await uow_factory.acting(acting).audit_alone(shop_id, "auth.login_failed", subject)


async def _logged_in(
    uow_factory: UnitOfWorkFactory, user: User, now: datetime, public_url: str, next_path: str
) -> Response:
    secret, _ = await open_session(uow_factory, user, now)
    target = next_path if next_path.startswith("/admin") and "//" not in next_path else "/admin"
    if user.role is Role.OPERATOR:
        target = "/admin/shops"
    response = RedirectResponse(target, 303)
    response.set_cookie(
        COOKIE,
        secret,
        httponly=True,
        samesite="lax",
        secure=public_url.startswith("https://"),
        path="/admin",
    )
    response.delete_cookie(LOGIN_COOKIE, path="/admin")
    return response


def _login_form(
    request: Request,
    next_path: str,
    *,
    email: str = "",
    error: str | None = None,
    until: datetime | None = None,
    status: int = 200,
) -> Response:
    token = secrets.token_urlsafe(24)
    minutes = None
    if until is not None:
        now = request.app.state.clock.now()
        minutes = max(1, int((until - now).total_seconds() + 59) // 60)
    notice = request.query_params.get("notice")
    response = render(
        "login.html",
        DEFAULT_SPEECH,
        status,
        csrf=token,
        next=next_path,
        email=email,
        error=error,
        minutes=minutes,
        notice=notice,
    )
    response.set_cookie(LOGIN_COOKIE, token, httponly=True, samesite="strict", path="/admin")
    return response


def _throttled(
    request: Request, next_path: str, email: str, until: datetime | None, now: datetime
) -> Response:
    """429 with Retry-After (seconds) and the form saying for how many minutes."""
    wait = max(1, math.ceil((until - now).total_seconds())) if until else 60
    response = _login_form(
        request, next_path, email=email, error="throttled", until=until, status=429
    )
    response.headers["Retry-After"] = str(wait)
    return response


def _to_login(notice: str) -> Response:
    response = RedirectResponse(f"/admin/login?notice={notice}", 303)
    response.delete_cookie(COOKIE, path="/admin")
    return response


async def _speech(request: Request, shop_id: int | None) -> Speech:
    """The language of the shop a link belongs to (the default one for operators)."""
    if shop_id is None:
        return DEFAULT_SPEECH
    try:
        catalog = await request.app.state.dispatcher.catalogs.get(
            shop_id, request.app.state.clock.now()
        )
    except NoShop:
        return DEFAULT_SPEECH
    return Speech(catalog.shop.locale, catalog.shop.timezone)
