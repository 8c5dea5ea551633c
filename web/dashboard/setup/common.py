"""What the setup pages share: who may open them, the answer after a change, and the turnos a
change left outside hours (kept, for the owner to decide)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from babel.dates import get_day_names
from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from domain.accounts import Area
from domain.model import Professional, Service, Shop
from domain.schedule_fit import Turno
from domain.storage.outside_hours import turnos_outside_hours
from domain.storage.uow import UnitOfWorkFactory
from web.dashboard.pages import N_, page
from web.dashboard.sessions import Allowed, Viewer

Setup = Annotated[Viewer, Depends(Allowed(Area.SETUP))]
MoneyArea = Annotated[Viewer, Depends(Allowed(Area.MONEY))]
UsersArea = Annotated[Viewer, Depends(Allowed(Area.USERS))]


@dataclass(frozen=True)
class Catalog:
    """The shop's services and professionals, archived ones included, by id."""

    services: dict[int, Service]
    professionals: dict[int, Professional]

    @property
    def active_services(self) -> list[Service]:
        return [s for s in self.services.values() if s.active]

    @property
    def active_professionals(self) -> list[Professional]:
        return [p for p in self.professionals.values() if p.active]


@dataclass(frozen=True)
class OutsideTurno:
    """A turno to come that no longer fits its professional's hours or the shop's days."""

    turno: Turno
    service: str
    professional: str


async def catalog(uow_factory: UnitOfWorkFactory, shop_id: int) -> Catalog:
    """Every service and professional of the shop, as stored now (not the chat's copy)."""
    async with uow_factory.read_only() as uow:
        services = await uow.catalog.services(shop_id)
        professionals = await uow.catalog.professionals(shop_id)
    return Catalog({s.id: s for s in services}, {p.id: p for p in professionals})


async def outside_hours(
    uow_factory: UnitOfWorkFactory, shop: Shop, now: datetime, professional_id: int | None = None
) -> list[OutsideTurno]:
    """The shop's (or one professional's) turnos to come now outside hours, with names."""
    async with uow_factory.read_only() as uow:
        turnos = await turnos_outside_hours(uow, shop, now, professional_id=professional_id)
    if not turnos:
        return []
    known = await catalog(uow_factory, shop.id)
    return [
        OutsideTurno(
            t,
            known.services[t.service_id].name if t.service_id in known.services else "?",
            called(known.professionals.get(t.professional_id)),
        )
        for t in turnos
    ]


def called(professional: Professional | None) -> str:
    """How the shop calls a professional: their nickname, or their name."""
    if professional is None:
        return "?"
    return professional.nickname or professional.name


def weekday_names(locale: str, capitalised: bool = True) -> list[str]:
    """Monday to Sunday in the shop's language: «Lunes» for a heading, «lunes» (as the
    language writes it in a sentence) with `capitalised` False."""
    names = get_day_names("wide", locale=locale)
    return [str(names[d]).capitalize() if capitalised else str(names[d]) for d in range(7)]


def done(request: Request, path: str, notice: str = "saved") -> RedirectResponse:
    """After a change: back to the page (a plain POST's 303), saying what happened."""
    request.app.state.dispatcher.catalogs.invalidate()  # the chat sees the change at once
    separator = "&" if "?" in path else "?"
    return RedirectResponse(f"{path}{separator}notice={notice}", 303)


def local_today(shop: Shop, now: datetime) -> date:
    """Today in the shop's zone."""
    return now.astimezone(ZoneInfo(shop.timezone)).date()


# What a change answers with (`?notice=`): the page says it in words (and whether it went
# wrong: "error").
NOTICES = {
    "saved": ("ok", N_("Saved.")),
    "added": ("ok", N_("Added.")),
    "archived": ("ok", N_("Archived: no longer offered. Its turnos are kept.")),
    "restored": ("ok", N_("Offered again.")),
    "removed": ("ok", N_("Removed.")),
    "unchanged": ("ok", N_("Nothing changed.")),
    "money_told": ("ok", N_("Saved. Your linked chat was told of the change.")),
    "money_untold": (
        "warning",
        N_("Saved. Link your own chat (Staff chats) to hear of changes like this one."),
    ),
    "turned_off": ("ok", N_("Turned off: that login can no longer get in.")),
    "turned_on": ("ok", N_("Turned on again.")),
    "not_yourself": ("error", N_("You cannot turn off your own login.")),
    "reset_sent": ("ok", N_("Sent to your linked chat. It works once, for 24 hours.")),
    "name_taken": ("error", N_("Another one offered has that name: rename one of them first.")),
}


async def setup_page(
    request: Request, who: Viewer, template: str, title: str, status: int = 200, **context: Any
) -> HTMLResponse:
    """A page of the setup section, with the notice of the change just made (if any): a
    (css class, msgid) pair."""
    notice = NOTICES.get(request.query_params.get("notice", ""))
    return await page(
        request,
        who,
        template,
        active=Area.SETUP,
        title=title,
        status=status,
        notice=notice,
        **context,
    )


async def missing(request: Request, who: Viewer) -> HTMLResponse:
    """The page of something this shop does not have (another shop's id, a typo): 404."""
    return await setup_page(request, who, "setup/missing.html", N_("Not found"), 404)
