"""A professional's own money: today's till («caja de hoy», as the staff chat tells it) and,
over a period, their turnos and what the shop owes them."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from domain.accounts import Area
from domain.staff import day_bounds
from domain.storage.agenda import takings
from domain.storage.payouts import shop_payouts
from web.dashboard.customers import served_by
from web.dashboard.money_pages import MAX_DAYS, period, today
from web.dashboard.pages import N_, page
from web.dashboard.payments import Day, ToDay
from web.dashboard.sessions import Allowed, Viewer
from web.deps import ClockDep, UowDep

router = APIRouter(prefix="/admin/takings", include_in_schema=False)
TakingsViewer = Annotated[Viewer, Depends(Allowed(Area.TAKINGS))]


@router.get("")
async def my_takings(
    request: Request,
    who: TakingsViewer,
    uow_factory: UowDep,
    clock: ClockDep,
    from_day: Day = "",
    to_day: ToDay = "",
) -> Response:
    """Today's till and the period's turnos and payout of the professional logged in."""
    professional_id = served_by(who)
    if professional_id is None:  # the owner's and manager's view is the whole shop's
        return RedirectResponse("/admin/payments", 303)
    shop, now = who.shop, clock.now()
    asked = period(shop, clock, from_day, to_day)
    till = await takings(
        uow_factory,
        shop.id,
        professional_id,
        *day_bounds(today(shop, clock), shop.timezone),
        now=now,
    )
    first, _ = day_bounds(asked.first, shop.timezone)
    _, last = day_bounds(asked.last, shop.timezone)
    month = await takings(uow_factory, shop.id, professional_id, first, last, now=now)
    payout = await shop_payouts(uow_factory, shop, asked.first, asked.last, professional_id)
    return await page(
        request,
        who,
        "takings.html",
        active=Area.TAKINGS,
        title=N_("My takings"),
        status=422 if asked.problem else 200,
        today=today(shop, clock),
        till=till,
        period=asked,
        max_days=MAX_DAYS,
        totals=month,
        payout=payout[0].payout if payout else None,
    )
