"""The upcoming turnos a catalog change left outside hours, read inside the change's transaction.

Nothing is cancelled: the owner is shown them and decides (domain.schedule_fit has the rule).
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, or_, select

from domain.calendar import ShopCalendar
from domain.model import ACTIVE_STATUSES, BookingStatus, Shop
from domain.schedule_fit import Turno, outside_hours
from domain.staff import day_bounds
from domain.storage.tables import BookingRow, ShopCustomerRow
from domain.storage.uow import SqlAlchemyUnitOfWork

_ACTIVE = sorted(s.value for s in ACTIVE_STATUSES)


async def turnos_outside_hours(
    uow: SqlAlchemyUnitOfWork,
    shop: Shop,
    now: datetime,
    *,
    professional_id: int | None = None,
    day: date | None = None,
) -> list[Turno]:
    """Active turnos starting after `now` (of one professional, or on one local day) that no
    longer fit their professional's hours, breaks, time off or the shop's calendar."""
    await uow.session.flush()  # the change being made is part of what they must fit
    turnos = await _upcoming(uow, shop, now, professional_id, day)
    if not turnos:
        return []
    first = min(t.block_start for t in turnos)
    last = max(t.block_end for t in turnos)
    pro_ids = sorted({t.professional_id for t in turnos})
    schedules = await uow.catalog.schedules(pro_ids, first, last)
    zone = ZoneInfo(shop.timezone)
    overrides = await uow.catalog.day_overrides(
        shop.id, first.astimezone(zone).date(), last.astimezone(zone).date()
    )
    calendar = ShopCalendar.build(shop.policy.open_on_holidays, overrides)
    by_pro = {s.professional_id: s for s in schedules}
    return outside_hours(turnos, by_pro, calendar, shop.timezone)


async def _upcoming(
    uow: SqlAlchemyUnitOfWork,
    shop: Shop,
    now: datetime,
    professional_id: int | None,
    day: date | None,
) -> list[Turno]:
    """The shop's held (with a live hold) or confirmed turnos starting after `now`."""
    live = or_(
        BookingRow.status != BookingStatus.HELD.value,
        BookingRow.hold_expires_at.is_(None),
        BookingRow.hold_expires_at > now,
    )
    query = (
        select(BookingRow, ShopCustomerRow.name)
        .outerjoin(
            ShopCustomerRow,
            and_(
                ShopCustomerRow.shop_id == BookingRow.shop_id,
                ShopCustomerRow.customer_id == BookingRow.customer_id,
            ),
        )
        .where(
            BookingRow.shop_id == shop.id,
            BookingRow.status.in_(_ACTIVE),
            live,
            BookingRow.starts_at > now,
        )
    )
    if professional_id is not None:
        query = query.where(BookingRow.professional_id == professional_id)
    if day is not None:
        start, end = day_bounds(day, shop.timezone)
        query = query.where(BookingRow.starts_at >= start, BookingRow.starts_at < end)
    rows = await uow.session.execute(query.order_by(BookingRow.starts_at, BookingRow.id))
    return [_turno(row, name) for row, name in rows]


def _turno(row: BookingRow, customer: str | None) -> Turno:
    return Turno(
        booking_id=row.id,
        professional_id=row.professional_id,
        service_id=row.service_id,
        customer=customer,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        block_start=row.block_start,
        block_end=row.block_end,
    )
