"""What each professional is owed over a period, from the ledger: JSON or CSV."""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from domain.errors import InvalidRequest
from domain.ledger import Account, Entry, Line, Payout, payouts
from domain.money import Money
from domain.staff import day_bounds
from domain.storage.payments import ledger_lines
from web.api.v1.access import ShopReader
from web.api.v1.responses import ERRORS
from web.api.v1.schemas import Day, PriceOut
from web.deps import UowDep

router = APIRouter(tags=["payments"])
MAX_DAYS = 366


class PayoutOut(BaseModel):
    """One professional's money over the period."""

    professional_id: int
    professional: str
    charged: PriceOut
    refunded: PriceOut
    net: PriceOut
    commission: PriceOut
    owed_to_professional: PriceOut
    shop: PriceOut


class PayoutsOut(BaseModel):
    """The period (shop days, both included) and each professional's line."""

    from_day: date
    to_day: date
    payouts: list[PayoutOut]


@router.get(
    "/shops/{slug}/payouts",
    response_model=PayoutsOut,
    responses={**ERRORS, 200: {"content": {"text/csv": {}}}},
)
async def get_payouts(
    access: ShopReader,
    uow_factory: UowDep,
    from_day: Annotated[Day, Query(alias="from")],
    to_day: Annotated[Day, Query(alias="to")],
    format: Literal["json", "csv"] = "json",
) -> PayoutsOut | Response:
    """Charges, refunds, BarberPro's commission and what each professional is owed, for the
    shop's days `from`..`to` (`format=csv` for a spreadsheet)."""
    if to_day < from_day or (to_day - from_day).days >= MAX_DAYS:
        raise InvalidRequest(f"`to` must be on or after `from`, at most {MAX_DAYS} days")
    shop = access.shop
    async with uow_factory.read_only() as uow:
        people = {p.id: p.nickname or p.name for p in await uow.catalog.professionals(shop.id)}
    since, _end = day_bounds(from_day, shop.timezone)
    _start, until = day_bounds(to_day, shop.timezone)
    found = await ledger_lines(uow_factory, shop.id, since, until)
    lines = [
        Line(row.professional_id, Entry(row.entry), Account(row.account), row.amount)
        for row in found
    ]
    rows = [
        _out(p, people.get(p.professional_id, "?"), shop.locale)
        for p in payouts(lines, shop.currency)
    ]
    if format == "csv":
        return Response(
            _csv(rows),
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": (
                    f'attachment; filename="payouts-{shop.slug}-{from_day}-{to_day}.csv"'
                )
            },
        )
    return PayoutsOut(from_day=from_day, to_day=to_day, payouts=rows)


def _out(payout: Payout, name: str, locale: str) -> PayoutOut:
    def price(money: Money) -> PriceOut:
        return PriceOut.from_money(money, locale)

    return PayoutOut(
        professional_id=payout.professional_id,
        professional=name,
        charged=price(payout.charged),
        refunded=price(payout.refunded),
        net=price(payout.net),
        commission=price(payout.commission),
        owed_to_professional=price(payout.professional),
        shop=price(payout.shop),
    )


def _csv(rows: list[PayoutOut]) -> str:
    """Exact decimal amounts (a spreadsheet reads them), one professional per row."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "professional_id",
            "professional",
            "currency",
            "charged",
            "refunded",
            "net",
            "commission",
            "owed_to_professional",
            "shop",
        ]
    )
    for r in rows:
        writer.writerow(
            [
                r.professional_id,
                r.professional,
                r.charged.currency,
                r.charged.amount,
                r.refunded.amount,
                r.net.amount,
                r.commission.amount,
                r.owed_to_professional.amount,
                r.shop.amount,
            ]
        )
    return out.getvalue()
