"""Feriados and the shop's own days: the next months' national feriados (closed unless the
shop opens), closing an ordinary day, opening a feriado, and going back to the calendar's
rule. Closing cancels nothing: the turnos of a closed day are shown for the owner."""

from __future__ import annotations

from datetime import date, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from domain.calendar import ShopCalendar, changeable_day, special_days
from domain.errors import InvalidRequest, NotFound
from domain.storage.shop_days import clear_day, set_day
from web.acting import DashboardUow
from web.dashboard.pages import N_
from web.dashboard.setup.common import Setup, done, local_today, outside_hours, setup_page
from web.dashboard.setup.forms import Form
from web.deps import ClockDep, UowDep

router = APIRouter(prefix="/admin/setup/days", include_in_schema=False)
SHOWN_DAYS = 120  # about four months of feriados ahead
PAST_DAY = N_("Choose today or a day to come.")


@router.get("")
async def days(request: Request, who: Setup, uow_factory: UowDep, clock: ClockDep) -> Response:
    """The feriados and the shop's own days of the next months, and turnos left out."""
    return await _page(request, who, uow_factory, clock, Form())


@router.post("")
async def change_day(
    request: Request, who: Setup, uow_factory: DashboardUow, clock: ClockDep
) -> Response:
    """Open or close the shop on a day (`open` = "1" opens), whatever the calendar says."""
    form = Form(await request.form())
    now = clock.now()
    day = _day(form, local_today(who.shop, now))
    if day is None:
        return await _page(request, who, uow_factory, clock, form, 422)
    note = " ".join(form.text("note").split())[:200]
    await set_day(uow_factory, who.shop, day, form.value("open") == "1", note, now)
    return done(request, "/admin/setup/days")


@router.post("/clear")
async def forget_day(
    request: Request, who: Setup, uow_factory: DashboardUow, clock: ClockDep
) -> Response:
    """The day goes back to the calendar's rule (a feriado closes again)."""
    form = Form(await request.form())
    now = clock.now()
    day = _day(form, local_today(who.shop, now))
    if day is None:
        return await _page(request, who, uow_factory, clock, form, 422)
    try:
        await clear_day(uow_factory, who.shop, day, now)
    except NotFound:
        return done(request, "/admin/setup/days", "unchanged")
    return done(request, "/admin/setup/days")


def _day(form: Form, today: date) -> date | None:
    """The form's day, if it can still change (today or later); a problem otherwise."""
    try:
        day = date.fromisoformat(form.text("day"))
    except ValueError:
        form.fail("day", N_("Choose a day."))
        return None
    try:
        return changeable_day(day, today)
    except InvalidRequest:
        form.fail("day", PAST_DAY)
        return None


async def _page(
    request: Request,
    who: Setup,
    uow_factory: UowDep,
    clock: ClockDep,
    form: Form,
    status: int = 200,
) -> Response:
    shop, now = who.shop, clock.now()
    first = local_today(shop, now)
    last = first + timedelta(days=SHOWN_DAYS)
    async with uow_factory.read_only() as uow:
        overrides = await uow.catalog.day_overrides(shop.id, first, last)
    calendar = ShopCalendar.build(shop.policy.open_on_holidays, overrides)
    return await setup_page(
        request,
        who,
        "setup/days.html",
        N_("Feriados and closed days"),
        status,
        form=form,
        today=first,
        days=special_days(calendar, first, last),
        outside=await outside_hours(uow_factory, shop, now),
    )
