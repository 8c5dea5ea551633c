"""Each professional's payout over a shop's days, read from the ledger (the REST API's
report and the dashboard's payments and takings pages share it)."""

from __future__ import annotations

from datetime import date

from domain.ledger import Account, Entry, Line, payouts
from domain.model import Shop
from domain.payouts import NamedPayout
from domain.staff import day_bounds
from domain.storage.payments import ledger_lines
from domain.storage.uow import UnitOfWorkFactory


async def shop_payouts(
    uow_factory: UnitOfWorkFactory,
    shop: Shop,
    from_day: date,
    to_day: date,
    professional_id: int | None = None,
) -> list[NamedPayout]:
    """The payouts of the shop's days `from_day`..`to_day` (both included), by professional
    id; only `professional_id`'s when given."""
    async with uow_factory.read_only() as uow:
        people = {p.id: p.nickname or p.name for p in await uow.catalog.professionals(shop.id)}
    since, _end = day_bounds(from_day, shop.timezone)
    _start, until = day_bounds(to_day, shop.timezone)
    found = await ledger_lines(uow_factory, shop.id, since, until, professional_id)
    lines = [
        Line(row.professional_id, Entry(row.entry), Account(row.account), row.amount)
        for row in found
    ]
    return [
        NamedPayout(people.get(p.professional_id, "?"), p) for p in payouts(lines, shop.currency)
    ]
