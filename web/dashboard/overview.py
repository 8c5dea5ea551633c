"""The dashboard's front door: where `/admin` leads, the operator's choice of shop, and the
health of the deployment as an owner reads it."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from domain.accounts import Area, Role
from domain.storage.accounts import choose_shop
from domain.storage.channels import outbox_stats
from domain.storage.jobs import job_stats
from web.acting import DashboardUow
from web.dashboard.login import DEFAULT_SPEECH
from web.dashboard.pages import N_, NAVIGATION, page
from web.dashboard.sessions import Allowed, Refused, SessionDep, Viewer, Viewing, check_csrf
from web.dashboard.templating import render
from web.deps import ClockDep, UowDep

router = APIRouter(prefix="/admin", include_in_schema=False)


@router.get("")
async def home(who: Viewing) -> Response:
    """The first section this user may open (the agenda, for everyone)."""
    path = next(p for area, p, _ in NAVIGATION if who.may(area))
    return RedirectResponse(path, 303)


@router.get("/shops")
async def shops(request: Request, session: SessionDep, uow_factory: UowDep) -> Response:
    """An operator's list of shops, to choose which to look at."""
    if session.user.role is not Role.OPERATOR:
        return RedirectResponse("/admin", 303)
    async with uow_factory.read_only() as uow:
        found = await uow.catalog.list_shops()
    return render(
        "shops.html",
        DEFAULT_SPEECH,
        shops=found,
        csrf=session.csrf_token,
        email=session.user.email,
    )


@router.post("/shops")
async def choose(
    request: Request,
    session: SessionDep,
    uow_factory: DashboardUow,
    slug: Annotated[str, Form(max_length=60)],
) -> Response:
    """Look at that shop from now on (operators only)."""
    await check_csrf(request, session.csrf_token)
    if session.user.role is not Role.OPERATOR:
        raise Refused("not_allowed")
    async with uow_factory.read_only() as uow:
        shop = await uow.catalog.shop_by_slug(slug)
    if shop is not None:
        await choose_shop(uow_factory, session.id, shop.id)
    return RedirectResponse("/admin" if shop else "/admin/shops", 303)


@router.get("/status")
async def status(
    request: Request,
    who: Annotated[Viewer, Depends(Allowed(Area.STATUS))],
    uow_factory: UowDep,
    clock: ClockDep,
) -> Response:
    """Which channels are on, and whether messages and background work are flowing."""
    state = request.app.state
    running = getattr(state, "channels", {})
    settings = state.settings
    channels = [
        ("Telegram", running["telegram"].status if "telegram" in running else "off"),
        ("WhatsApp", running["whatsapp"].status if "whatsapp" in running else "off"),
        ("Mercado Pago", "on" if settings.mercadopago_enabled else "off"),
        ("Sandbox", "on" if settings.sandbox else "off"),
    ]
    pending, overdue, failed = await job_stats(uow_factory, clock.now())
    outbox = await outbox_stats(uow_factory)
    return await page(
        request,
        who,
        "status.html",
        active=Area.STATUS,
        title=N_("Status"),
        channels=channels,
        outbox=outbox,
        jobs=(pending, overdue, failed),
    )
