"""Payments: the transfers customers reported, for the shop to answer «¿Llegó?», and what each
professional is owed over a period, with its CSV. A professional's own takings are on
/admin/takings."""

from __future__ import annotations

from typing import Annotated, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import RedirectResponse, Response

from domain.accounts import Area
from domain.payouts import csv_filename, payouts_csv
from domain.storage.payments import payment_by_id
from domain.storage.payouts import shop_payouts
from domain.storage.transfers import reported_transfers
from web.acting import DashboardUow
from web.api.v1.access import RowId
from web.dashboard.money_pages import MAX_DAYS, period
from web.dashboard.pages import N_, page
from web.dashboard.sessions import Allowed, Viewer
from web.deps import ClockDep, UowDep

router = APIRouter(prefix="/admin/payments", include_in_schema=False)
PaymentsViewer = Annotated[Viewer, Depends(Allowed(Area.PAYMENTS))]
Day = Annotated[str, Query(alias="from", max_length=10)]
ToDay = Annotated[str, Query(alias="to", max_length=10)]
# What came of an answer to «¿Llegó?», as the page says it (msgids).
OUTCOMES = {
    "confirmed": N_("Done: the turno is confirmed and the customer was told."),
    "released": N_("Done: the time was let go and the customer was told."),
    "late": N_(
        "The money arrived after the hold ran out, so the turno could not be kept. The customer "
        "was told the shop gives the transfer back."
    ),
    "cancelled": N_(
        "The turno had been cancelled, so the money goes back: give the customer back the "
        "transfer. They were told, and it is noted as given back."
    ),
    "kept": N_(
        "The customer cancelled the turno late, after reporting the transfer: the shop keeps "
        "it, as the cancellation policy says. They were told."
    ),
    "settled": N_("That transfer had been answered already."),
}


@router.get("")
async def payments(
    request: Request,
    who: PaymentsViewer,
    uow_factory: UowDep,
    clock: ClockDep,
    from_day: Day = "",
    to_day: ToDay = "",
) -> Response:
    """Reported transfers to answer, and the payouts of the period."""
    shop = who.shop
    asked = period(shop, clock, from_day, to_day)
    outcome = OUTCOMES.get(request.query_params.get("outcome", ""))
    return await page(
        request,
        who,
        "payments.html",
        active=Area.PAYMENTS,
        title=N_("Payments"),
        status=422 if asked.problem else 200,
        transfers=await reported_transfers(uow_factory, shop.id, clock.now()),
        period=asked,
        max_days=MAX_DAYS,
        payouts=await shop_payouts(uow_factory, shop, asked.first, asked.last),
        outcome=outcome,
    )


@router.get("/payouts.csv")
async def payouts_file(
    who: PaymentsViewer,
    uow_factory: UowDep,
    clock: ClockDep,
    from_day: Day = "",
    to_day: ToDay = "",
) -> Response:
    """The period's payouts as a spreadsheet (exact decimals), as the REST API writes it."""
    asked = period(who.shop, clock, from_day, to_day)
    if asked.problem:  # a hand-made link: back to the page, which says what is wrong
        query = urlencode({"from": from_day, "to": to_day})
        return RedirectResponse(f"/admin/payments?{query}", 303)
    found = await shop_payouts(uow_factory, who.shop, asked.first, asked.last)
    name = csv_filename(who.shop.slug, asked.first, asked.last)
    return Response(
        payouts_csv(found),
        media_type="text/csv; charset=utf-8",
        headers={"content-disposition": f'attachment; filename="{name}"'},
    )


@router.post("/{payment_id}/{answer}")
async def answer(
    request: Request,
    who: PaymentsViewer,
    payment_id: RowId,
    answer: Literal["confirm", "reject"],
    uow_factory: DashboardUow,
) -> Response:
    """The shop's «¿Llegó?»: confirm (the turno is confirmed) or reject (the time let go)."""
    payment = await payment_by_id(uow_factory, payment_id)
    if payment is None or payment.shop_id != who.shop.id or payment.method != "transfer":
        return await page(
            request,
            who,
            "not_found.html",
            active=Area.PAYMENTS,
            title=N_("Not found"),
            status=404,
            back="/admin/payments",
        )
    outcome = await request.app.state.payments.settle_transfer(
        payment_id, answer == "confirm", uow_factory
    )
    return RedirectResponse(f"/admin/payments?outcome={outcome}#transfers", 303)
