"""Who sees which turnos in the agenda: everyone at the shop sees every column, but a
professional sees (and acts on) only their own."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse

from bot.catalog_cache import ShopCatalog
from domain.accounts import Area, own_only
from domain.model import Professional
from domain.storage.owner_agenda import BookingRead, shop_booking
from web.dashboard.agenda.labels import label_helpers
from web.dashboard.pages import N_, page
from web.dashboard.sessions import Allowed, Refused, Viewer

AgendaViewer = Annotated[Viewer, Depends(Allowed(Area.AGENDA))]


def own_column(who: Viewer) -> int | None:
    """The professional whose turnos alone this login sees; None: every professional's."""
    if not own_only(who.role):
        return None
    if who.professional_id is None:  # a professional's login tied to nobody sees nothing
        raise Refused("not_allowed")
    return who.professional_id


def may_act_for(who: Viewer, professional_id: int | None) -> bool:
    """Whether this login may look at or change that professional's time (None: anyone's)."""
    own = own_column(who)
    return own is None or professional_id == own


async def catalog_of(request: Request, who: Viewer, now: datetime) -> ShopCatalog:
    """The shop's services and professionals (the chat's short-lived copy)."""
    catalog: ShopCatalog = await request.app.state.dispatcher.catalogs.get(who.shop.id, now)
    return catalog


def bookable_professionals(catalog: ShopCatalog, who: Viewer) -> list[Professional]:
    """The active professionals this login may book or block time for."""
    return [p for p in catalog.professionals if p.active and may_act_for(who, p.id)]


async def turno_of(
    request: Request, who: Viewer, booking_id: int, now: datetime
) -> BookingRead | None:
    """The shop's turno, if this login may see it (another professional's reads as missing)."""
    found = await shop_booking(request.app.state.uow_factory, who.shop.id, booking_id, now)
    if found is None or not may_act_for(who, found.professional_id):
        return None
    return found


async def agenda_page(
    request: Request, who: Viewer, template: str, *, title: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A page of the agenda, with the names of states, payments and channels at hand."""
    return await page(
        request,
        who,
        template,
        active=Area.AGENDA,
        title=title,
        status=status,
        **label_helpers(),
        **context,
    )


async def missing(request: Request, who: Viewer) -> HTMLResponse:
    """A turno this login cannot see: it does not exist, or is another professional's."""
    return await agenda_page(request, who, "agenda/missing.html", title=N_("Turno"), status=404)
