"""The shop's logins (owners only): who can get in and with what role, an invitation by a
one-time link, turning a login off and on, and a link to choose a new password (an owner's
goes to the owner's linked chat rather than to the screen)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from bot.i18n import translations
from bot.owner_chat import tell_owner
from domain.accounts import Role, clean_email
from domain.storage.accounts import OneTimeLink, make_link
from domain.storage.shop_logins import (
    Login,
    email_in_use,
    pending_invitations,
    shop_login,
    shop_logins,
    turn_login,
    withdraw_invitation,
)
from web.acting import DashboardUow
from web.dashboard.pages import N_
from web.dashboard.sessions import Viewer
from web.dashboard.setup.common import UsersArea, catalog, done, missing, setup_page
from web.dashboard.setup.forms import Form
from web.deps import ClockDep, UowDep

router = APIRouter(prefix="/admin/setup/users", include_in_schema=False)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
INVITE_VALID = timedelta(days=7)
RESET_VALID = timedelta(hours=24)
SHOP_ROLES = (Role.OWNER, Role.MANAGER, Role.PROFESSIONAL)


@router.get("")
async def users(request: Request, who: UsersArea, uow_factory: UowDep, clock: ClockDep) -> Response:
    """The logins, the invitations waiting, and the form to invite someone."""
    return await _page(request, who, uow_factory, clock, Form.showing(role=Role.MANAGER.value))


@router.post("/invite")
async def invite(
    request: Request, who: UsersArea, uow_factory: DashboardUow, clock: ClockDep
) -> Response:
    """A one-time link (valid 7 days) that makes the login once its password is chosen."""
    form = Form(await request.form())
    email = form.check("email", N_("Write an email address."), clean_email, form.text("email"))
    role = next((r for r in SHOP_ROLES if r.value == form.value("role")), None)
    if role is None:
        form.fail("role", N_("Choose a role."))
    professional_id = await _professional(form, who, uow_factory, role)
    if email is not None and await email_in_use(uow_factory, email):
        form.fail("email", N_("There is already a login with that email."))
    if email is None or role is None or not form.ok:
        return await _page(request, who, uow_factory, clock, form, 422)
    one = OneTimeLink("invite", email, role, who.shop.id, professional_id)
    secret = await make_link(uow_factory, one, clock.now(), INVITE_VALID)
    return await _shown(request, who, "invite", email, secret, clock.now() + INVITE_VALID)


@router.post("/{user_id}/disable")
async def disable(
    request: Request, who: UsersArea, uow_factory: DashboardUow, clock: ClockDep, user_id: RowId
) -> Response:
    """Turn the login off: its sessions end at once (never one's own)."""
    if user_id == who.session.user.id:
        return done(request, "/admin/setup/users", "not_yourself")
    if not await turn_login(uow_factory, who.shop.id, user_id, False, clock.now()):
        return await missing(request, who)
    return done(request, "/admin/setup/users", "turned_off")


@router.post("/{user_id}/enable")
async def enable(
    request: Request, who: UsersArea, uow_factory: DashboardUow, clock: ClockDep, user_id: RowId
) -> Response:
    """Turn the login on again (with the password it had)."""
    if not await turn_login(uow_factory, who.shop.id, user_id, True, clock.now()):
        return await missing(request, who)
    return done(request, "/admin/setup/users", "turned_on")


@router.post("/{user_id}/reset")
async def reset(
    request: Request, who: UsersArea, uow_factory: DashboardUow, clock: ClockDep, user_id: RowId
) -> Response:
    """A link to choose a new password (24 hours): an owner's goes to the owner's linked chat
    (shown here only when none is linked), the others' is shown to pass on."""
    login = await shop_login(uow_factory, who.shop.id, user_id)
    if login is None or login.disabled_at is not None:
        return await missing(request, who)
    now = clock.now()
    one = OneTimeLink("reset", login.email, login.role, who.shop.id, login.professional_id)
    secret = await make_link(uow_factory, one, now, RESET_VALID)
    if login.role is Role.OWNER:
        text = _reset_text(who, login, link_url(request, secret))
        if await tell_owner(uow_factory, request.app.state.channels, who.shop, text, now):
            return done(request, "/admin/setup/users", "reset_sent")
    return await _shown(request, who, "reset", login.email, secret, now + RESET_VALID)


@router.post("/invitations/{invitation_id}/withdraw")
async def withdraw(
    request: Request,
    who: UsersArea,
    uow_factory: DashboardUow,
    clock: ClockDep,
    invitation_id: RowId,
) -> Response:
    """The invitation's link stops working."""
    if not await withdraw_invitation(uow_factory, who.shop.id, invitation_id, clock.now()):
        return await missing(request, who)
    return done(request, "/admin/setup/users", "removed")


def link_url(request: Request, secret: str) -> str:
    """Where a one-time link opens: the app's public address."""
    return f"{request.app.state.settings.public_url.rstrip('/')}/admin/link/{secret}"


async def _professional(
    form: Form, who: Viewer, uow_factory: UowDep, role: Role | None
) -> int | None:
    """A professional's login is for one of the shop's professionals (nobody else's is)."""
    if role is not Role.PROFESSIONAL:
        return None
    known = await catalog(uow_factory, who.shop.id)
    chosen = form.value("professional")
    if not chosen.isdigit() or int(chosen) not in {p.id for p in known.active_professionals}:
        form.fail("professional", N_("Choose which professional it is."))
        return None
    return int(chosen)


def _reset_text(who: Viewer, login: Login, url: str) -> str:
    _ = translations(who.shop.locale).gettext
    text = _(
        "🔑 A link to choose a new password for {email} at {shop} (it works once, for 24 "
        "hours):\n{link}\nIf nobody asked for it, ignore it."
    )
    return text.format(email=login.email, shop=who.shop.name, link=url)


async def _shown(
    request: Request, who: Viewer, kind: str, email: str, secret: str, until: datetime
) -> Response:
    """The link, shown this once (it is stored hashed)."""
    return await setup_page(
        request,
        who,
        "setup/shown_link.html",
        N_("Invitation") if kind == "invite" else N_("New password"),
        kind=kind,
        email=email,
        link=link_url(request, secret),
        until=until,
    )


async def _page(
    request: Request,
    who: Viewer,
    uow_factory: UowDep,
    clock: ClockDep,
    form: Form,
    status: int = 200,
) -> Response:
    known = await catalog(uow_factory, who.shop.id)
    return await setup_page(
        request,
        who,
        "setup/users.html",
        N_("Users"),
        status,
        form=form,
        logins=await shop_logins(uow_factory, who.shop.id),
        invitations=await pending_invitations(uow_factory, who.shop.id, clock.now()),
        known=known,
        roles=SHOP_ROLES,
    )
