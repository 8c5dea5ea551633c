"""What each professional is owed over a period, from the ledger: JSON or CSV."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from domain.money import Money
from domain.payouts import NamedPayout, check_period, csv_filename, payouts_csv
from domain.storage.payouts import shop_payouts
from web.api.v1.access import ShopReader
from web.api.v1.responses import ERRORS
from web.api.v1.schemas import Day, PriceOut
from web.deps import UowDep

router = APIRouter(tags=["payments"])


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
    check_period(from_day, to_day)
    shop = access.shop
    found = await shop_payouts(uow_factory, shop, from_day, to_day)
    if format == "csv":
        return Response(
            payouts_csv(found),
            media_type="text/csv; charset=utf-8",
            headers={
                "content-disposition": (
                    f'attachment; filename="{csv_filename(shop.slug, from_day, to_day)}"'
                )
            },
        )
    rows = [_out(row, shop.locale) for row in found]
    return PayoutsOut(from_day=from_day, to_day=to_day, payouts=rows)


def _out(row: NamedPayout, locale: str) -> PayoutOut:
    def price(money: Money) -> PriceOut:
        return PriceOut.from_money(money, locale)

    payout = row.payout
    return PayoutOut(
        professional_id=payout.professional_id,
        professional=row.name,
        charged=price(payout.charged),
        refunded=price(payout.refunded),
        net=price(payout.net),
        commission=price(payout.commission),
        owed_to_professional=price(payout.professional),
        shop=price(payout.shop),
    )
