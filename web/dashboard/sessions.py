"""Who is looking at the dashboard: the session cookie, its timeouts, role and CSRF checks.

Every page declares what it needs with `Allowed(Area.X)` (or `Viewing` for any logged-in
user of a shop); a POST also checks the session's CSRF token (form field `csrf`, or the
`X-CSRF-Token` header htmx sends). Nothing is shown without them.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, Request

from bot.catalog_cache import NoShop
from domain.accounts import Area, Role, may, own_only, session_expired
from domain.model import Shop
from domain.storage.accounts import Session, end_session, session_by_secret
from web.dashboard.templating import Speech
from web.deps import ClockDep, UowDep

COOKIE = "bp_admin"
LOGIN_PATH = "/admin/login"
BACKGROUND_HEADER = "x-background"  # set by polling elements: not the user's activity


class LoginRequired(Exception):
    """No live session: the browser goes to the login page (and comes back after)."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class ShopRequired(Exception):
    """An operator who has not chosen a shop yet."""


class Refused(Exception):
    """A page this user may not open, or a form without its CSRF token: 403."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Viewer:
    """A logged-in user looking at one shop."""

    session: Session
    shop: Shop

    @property
    def role(self) -> Role:
        return self.session.user.role

    @property
    def csrf(self) -> str:
        return self.session.csrf_token

    @property
    def professional_id(self) -> int | None:
        """For a professional's login, whose agenda, customers and takings these are."""
        return self.session.user.professional_id if own_only(self.role) else None

    @property
    def speech(self) -> Speech:
        return Speech(self.shop.locale, self.shop.timezone)

    def may(self, area: Area) -> bool:
        return may(self.role, area)


async def current_session(request: Request, uow_factory: UowDep, clock: ClockDep) -> Session:
    """The live session of this browser, or LoginRequired (expired ones end here)."""
    secret = request.cookies.get(COOKIE)
    now = clock.now()
    # A part of a page that refreshes itself (htmx polling) says so: it keeps no one logged in.
    touch = request.headers.get(BACKGROUND_HEADER) != "1"
    session = await session_by_secret(uow_factory, secret, now, touch) if secret else None
    if session is not None and session_expired(session.created_at, session.last_seen_at, now):
        await end_session(uow_factory, session.id, now)
        session = None
    if session is None:
        raise LoginRequired(_here(request))
    return session


SessionDep = Annotated[Session, Depends(current_session)]


async def viewer(request: Request, session: SessionDep, uow_factory: UowDep) -> Viewer:
    """The user and the shop they look at; a POST must carry the session's CSRF token."""
    if session.shop_id is None:
        raise ShopRequired()
    try:
        catalog = await request.app.state.dispatcher.catalogs.get(
            session.shop_id, request.app.state.clock.now()
        )
    except NoShop:
        raise ShopRequired() from None
    if request.method not in {"GET", "HEAD"}:
        await check_csrf(request, session.csrf_token)
    return Viewer(session, catalog.shop)


Viewing = Annotated[Viewer, Depends(viewer)]


class Allowed:
    """A page of one area: 403 for a role that may not open it."""

    def __init__(self, area: Area) -> None:
        self.area = area

    async def __call__(self, who: Viewing) -> Viewer:
        if not who.may(self.area):
            raise Refused("not_allowed")
        return who


async def check_csrf(request: Request, expected: str) -> None:
    """The form's `csrf` field or the `X-CSRF-Token` header must be the session's token."""
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        field = form.get("csrf")
        sent = field if isinstance(field, str) else None
    if not sent or not hmac.compare_digest(sent, expected):
        raise Refused("csrf")


def _here(request: Request) -> str:
    """The page asked for, to come back to after logging in (same site only)."""
    path = request.url.path
    if request.url.query:
        path += "?" + request.url.query
    return path if path.startswith("/admin") else "/admin"


def login_url(next_path: str) -> str:
    """The login page, coming back to `next_path`."""
    return f"{LOGIN_PATH}?next={quote(next_path, safe='/')}"
