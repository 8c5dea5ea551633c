"""Professionals: the list, adding one, changing their name, nickname and services, archiving
them. Their turnos are never dropped: those that no longer fit are shown for the owner."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from domain.catalog_rules import professional_columns
from domain.errors import NotFound
from domain.model import Professional
from domain.storage.catalog_admin import add_professional, change_professional
from domain.storage.schedule_admin import weekly_hours
from web.acting import DashboardUow
from web.dashboard.pages import N_
from web.dashboard.setup.common import (
    Catalog,
    Setup,
    catalog,
    done,
    missing,
    outside_hours,
    setup_page,
    weekday_names,
)
from web.dashboard.setup.forms import Form
from web.deps import ClockDep, UowDep

router = APIRouter(prefix="/admin/setup/professionals", include_in_schema=False)
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]
NAMES = {
    "name": N_("Write their name (up to 120 characters)."),
    "nickname": N_("Up to 60 characters, on one line."),
}


@router.get("")
async def professionals(
    request: Request, who: Setup, uow_factory: UowDep, clock: ClockDep
) -> Response:
    """Who works at the shop, the days each works, and turnos that no longer fit."""
    shop = who.shop
    known = await catalog(uow_factory, shop.id)
    days = {p.id: await _workdays(uow_factory, who, p.id) for p in known.active_professionals}
    return await setup_page(
        request,
        who,
        "setup/professionals.html",
        N_("Professionals"),
        known=known,
        days=days,
        weekdays=weekday_names(shop.locale),
        outside=await outside_hours(uow_factory, shop, clock.now()),
    )


@router.get("/new")
async def new_professional(request: Request, who: Setup, uow_factory: UowDep) -> Response:
    """The form for a new professional."""
    known = await catalog(uow_factory, who.shop.id)
    return await _form_page(request, who, known, None, Form.showing(services=[]))


@router.post("/new")
async def add(request: Request, who: Setup, uow_factory: DashboardUow) -> Response:
    """Add them, then on to their hours (they take no turno without)."""
    known = await catalog(uow_factory, who.shop.id)
    form = Form(await request.form())
    columns, services = read_professional(form, known)
    if not form.ok:
        return await _form_page(request, who, known, None, form, 422)
    made = await add_professional(uow_factory, who.shop, columns, services)
    return done(request, f"/admin/setup/professionals/{made.professional.id}/hours", "added")


@router.get("/{professional_id}")
async def professional(
    request: Request, who: Setup, uow_factory: UowDep, clock: ClockDep, professional_id: RowId
) -> Response:
    """Their name, nickname and services; links to hours and time off."""
    known = await catalog(uow_factory, who.shop.id)
    found = known.professionals.get(professional_id)
    if found is None:
        return await missing(request, who)
    offers = [str(s.id) for s in known.services.values() if found.id in s.professional_ids]
    form = Form.showing(name=found.name, nickname=found.nickname or "", services=offers)
    outside = await outside_hours(uow_factory, who.shop, clock.now(), found.id)
    return await _form_page(request, who, known, found, form, outside=outside)


@router.post("/{professional_id}")
async def change(
    request: Request, who: Setup, uow_factory: DashboardUow, clock: ClockDep, professional_id: RowId
) -> Response:
    """Save their name, nickname and services."""
    known = await catalog(uow_factory, who.shop.id)
    found = known.professionals.get(professional_id)
    if found is None:
        return await missing(request, who)
    form = Form(await request.form())
    columns, services = read_professional(form, known)
    if not form.ok:
        return await _form_page(request, who, known, found, form, 422)
    await change_professional(
        uow_factory, who.shop, professional_id, columns, services, clock.now()
    )
    return done(request, f"/admin/setup/professionals/{professional_id}")


@router.post("/{professional_id}/archive")
async def archive(
    request: Request, who: Setup, uow_factory: DashboardUow, clock: ClockDep, professional_id: RowId
) -> Response:
    """No longer offered; their turnos to come are kept and shown."""
    return await _active(request, who, uow_factory, clock, professional_id, False)


@router.post("/{professional_id}/restore")
async def restore(
    request: Request, who: Setup, uow_factory: DashboardUow, clock: ClockDep, professional_id: RowId
) -> Response:
    """Offered again, with the hours they had."""
    return await _active(request, who, uow_factory, clock, professional_id, True)


async def _active(
    request: Request, who: Setup, uow_factory: UowDep, clock: ClockDep, pro_id: int, on: bool
) -> Response:
    try:
        await change_professional(uow_factory, who.shop, pro_id, {"active": on}, None, clock.now())
    except NotFound:
        return await missing(request, who)
    return done(request, f"/admin/setup/professionals/{pro_id}", "restored" if on else "archived")


def read_professional(form: Form, known: Catalog) -> tuple[dict[str, Any], set[int]]:
    """Their columns and services from the form, by the shared rules."""
    columns: dict[str, Any] = {}
    for name, msgid in NAMES.items():
        found = form.check(name, msgid, professional_columns, {name: form.value(name)})
        columns[name] = None if found is None else found[name]
    offered = {s.id for s in known.active_services}
    chosen = {int(v) for v in form.values("services") if v.isdigit()}
    return columns, chosen & offered


async def _workdays(uow_factory: UowDep, who: Setup, professional_id: int) -> list[int]:
    """The weekdays they work (0 = Monday)."""
    hours = await weekly_hours(uow_factory, who.shop, professional_id)
    return sorted({p.weekday for p in hours})


async def _form_page(
    request: Request,
    who: Setup,
    known: Catalog,
    person: Professional | None,
    form: Form,
    status: int = 200,
    outside: list[Any] | None = None,
) -> Response:
    title = N_("New professional") if person is None else N_("Professional")
    return await setup_page(
        request,
        who,
        "setup/professional.html",
        title,
        status,
        form=form,
        person=person,
        known=known,
        outside=outside or [],
        weekdays=weekday_names(who.shop.locale),
    )
