"""The owner's numbers over a period, read with SQL aggregates (GROUP BY in the database, in
the shop's zone; see local_time.py). The read side: direct statements, no ORM objects.

Every statement starts from the shop's turnos starting in the period, which the index on
(shop_id, starts_at) finds; only "had this customer come before?" looks further back, once per
customer (through the index on customer_id; bench/numbers_page.py --try-index measured a
(shop_id, customer_id, starts_at) index: no faster). A turno belongs to the local day it
starts on.

Which turnos count where:
- booked (the time was taken): completed, no-show, confirmed and live holds. Busy hours, top
  services and occupancy count these; a group session takes its professional's time once.
- a visit: a completed turno. New and returning customers count these.
- revenue: the frozen prices of completed turnos; collected: approved payments of the period's
  turnos, by method (a refunded one is not approved any more).
- holds that lapsed (expired) count nowhere.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property

from sqlalchemy import ColumnElement, and_, case, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from domain.calendar import ShopCalendar
from domain.model import BookingStatus, Shop
from domain.numbers import (
    STATES,
    Numbers,
    Period,
    ServiceLine,
    new_and_returning,
    newcomers_in,
    state_of,
)
from domain.occupancy import Occupancy, ProfessionalOccupancy, working_minutes
from domain.staff import day_bounds
from domain.storage.local_time import LocalTime
from domain.storage.owner_agenda import effective_status
from domain.storage.tables import BookingRow, PaymentRow, ServiceRow
from domain.storage.uow import SqlAlchemyUnitOfWork, UnitOfWorkFactory

_COMPLETED = BookingStatus.COMPLETED.value


@dataclass(frozen=True)
class _Ask:
    """One reading: the shop, its period as UTC instants, its clock in SQL, and now."""

    uow: SqlAlchemyUnitOfWork
    shop: Shop
    period: Period
    since: datetime
    until: datetime
    now: datetime

    @property
    def session(self) -> AsyncSession:
        return self.uow.session

    @cached_property
    def local(self) -> LocalTime:
        dialect = self.session.get_bind().dialect.name
        return LocalTime(dialect, self.shop.timezone, self.since, self.until)

    @property
    def window(self) -> ColumnElement[bool]:
        """The shop's turnos starting in the period."""
        return and_(
            BookingRow.shop_id == self.shop.id,
            BookingRow.starts_at >= self.since,
            BookingRow.starts_at < self.until,
        )

    @property
    def taken(self) -> ColumnElement[bool]:
        """Those of them that took their time."""
        return and_(self.window, booked(self.now))

    def bucket(self) -> ColumnElement[str]:
        """The local bucket a turno starts in."""
        return self.local.bucket(BookingRow.starts_at, self.period.grain)


async def shop_numbers(
    uow_factory: UnitOfWorkFactory, shop: Shop, period: Period, now: datetime
) -> Numbers:
    """The shop's numbers over `period` (turnos' statuses as of `now`)."""
    since, _ = day_bounds(period.first, shop.timezone)
    _, until = day_bounds(period.last, shop.timezone)
    async with uow_factory.report() as uow:
        ask = _Ask(uow, shop, period, since, until, now)
        turnos, revenue = await _by_state(ask)
        visits, came_before = await _visits(ask)
        return Numbers(
            period=period,
            currency=shop.currency,
            turnos=turnos,
            revenue=revenue,
            newcomers=new_and_returning(visits, came_before),
            customers=newcomers_in((c for _, c in visits), came_before),
            occupancy=await _occupancy(ask, await _booked_minutes(ask)),
            services=await _services(ask),
            busy=await _busy(ask),
            collected=await _collected(ask),
        )


def booked(now: datetime) -> ColumnElement[bool]:
    """The turnos that took their time: done, missed, confirmed, or held and not lapsed."""
    live_hold = and_(
        BookingRow.status == BookingStatus.HELD.value, BookingRow.hold_expires_at > now
    )
    taken = (_COMPLETED, BookingStatus.NO_SHOW.value, BookingStatus.CONFIRMED.value)
    return or_(BookingRow.status.in_(taken), live_hold)


async def _by_state(ask: _Ask) -> tuple[dict[date, dict[str, int]], dict[date, int]]:
    """Turnos per bucket and state, and the completed ones' prices per bucket."""
    inner = (
        select(
            ask.bucket().label("bucket"),
            effective_status(ask.now).label("status"),
            BookingRow.late_cancellation.label("late"),
            BookingRow.price_cents.label("cents"),
        )
        .where(ask.window)
        .subquery()
    )
    rows = await ask.session.execute(
        select(
            inner.c.bucket, inner.c.status, inner.c.late, func.count(), func.sum(inner.c.cents)
        ).group_by(inner.c.bucket, inner.c.status, inner.c.late)
    )
    turnos: dict[date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(STATES, 0))
    revenue: dict[date, int] = defaultdict(int)
    for bucket, status, late, count, cents in rows:
        state = state_of(status, bool(late))
        if state is None:
            continue
        day = date.fromisoformat(bucket)
        turnos[day][state] += count
        if state == _COMPLETED:
            revenue[day] += int(cents)
    return dict(turnos), dict(revenue)


async def _visits(ask: _Ask) -> tuple[list[tuple[date, int]], frozenset[int]]:
    """(bucket, customer) of every visit in the period, once each; and who of them had come
    before the period."""
    done = and_(ask.window, BookingRow.status == _COMPLETED)
    inner = (
        select(ask.bucket().label("bucket"), BookingRow.customer_id.label("customer"))
        .where(done)
        .subquery()
    )
    pairs = await ask.session.execute(select(inner.c.bucket, inner.c.customer).distinct())
    visits = [(date.fromisoformat(bucket), customer) for bucket, customer in pairs]
    return visits, await _came_before(ask, done)


async def _came_before(ask: _Ask, done: ColumnElement[bool]) -> frozenset[int]:
    """The period's customers who had a visit before it: one EXISTS per customer (not per
    turno), which stops at the first earlier visit it finds."""
    customers = select(BookingRow.customer_id.label("id")).where(done).distinct().subquery()
    earlier = aliased(BookingRow)
    before = (
        select(earlier.id)
        .where(
            earlier.shop_id == ask.shop.id,
            earlier.customer_id == customers.c.id,
            earlier.starts_at < ask.since,
            earlier.status == _COMPLETED,
        )
        .exists()
    )
    return frozenset(await ask.session.scalars(select(customers.c.id).where(before)))


async def _booked_minutes(ask: _Ask) -> dict[int, int]:
    """Minutes booked per professional, a group session counted once."""
    minutes = ask.local.minutes_between(BookingRow.starts_at, BookingRow.ends_at)
    per_session = (
        select(BookingRow.professional_id.label("professional"), func.max(minutes).label("m"))
        .where(ask.taken)
        .group_by(BookingRow.professional_id, BookingRow.session_key)
        .subquery()
    )
    rows = await ask.session.execute(
        select(per_session.c.professional, func.sum(per_session.c.m)).group_by(
            per_session.c.professional
        )
    )
    return {professional: int(total) for professional, total in rows}


async def _occupancy(ask: _Ask, minutes: dict[int, int]) -> list[ProfessionalOccupancy]:
    """Booked over worked minutes of each professional who works or was booked."""
    catalog, period, shop = ask.uow.catalog, ask.period, ask.shop
    people = [p for p in await catalog.professionals(shop.id) if p.active or p.id in minutes]
    schedules = {
        s.professional_id: s
        for s in await catalog.schedules([p.id for p in people], ask.since, ask.until)
    }
    overrides = await catalog.day_overrides(shop.id, period.first, period.last)
    calendar = ShopCalendar.build(shop.policy.open_on_holidays, overrides)
    found = []
    for person in people:
        schedule = schedules.get(person.id)
        working = 0
        if schedule is not None:
            working = working_minutes(schedule, calendar, period.first, period.last, shop.timezone)
        occupancy = Occupancy(person.id, minutes.get(person.id, 0), working)
        found.append(ProfessionalOccupancy(person.nickname or person.name, occupancy))
    return found


async def _services(ask: _Ask) -> list[ServiceLine]:
    """Each booked service: how many turnos, and the revenue of the completed ones."""
    done_cents = case((BookingRow.status == _COMPLETED, BookingRow.price_cents), else_=0)
    count = func.count()
    rows = await ask.session.execute(
        select(ServiceRow.name, count, func.sum(done_cents))
        .join(ServiceRow, ServiceRow.id == BookingRow.service_id)
        .where(ask.taken)
        .group_by(ServiceRow.id, ServiceRow.name)
        .order_by(count.desc(), ServiceRow.name)
    )
    return [ServiceLine(name, turnos, int(cents)) for name, turnos, cents in rows]


async def _busy(ask: _Ask) -> dict[tuple[int, int], int]:
    """Booked turnos by the local weekday and hour they start at."""
    local = ask.local
    inner = (
        select(
            local.weekday(BookingRow.starts_at).label("weekday"),
            local.hour(BookingRow.starts_at).label("hour"),
        )
        .where(ask.taken)
        .subquery()
    )
    rows = await ask.session.execute(
        select(inner.c.weekday, inner.c.hour, func.count()).group_by(inner.c.weekday, inner.c.hour)
    )
    return {(int(weekday), int(hour)): count for weekday, hour, count in rows}


async def _collected(ask: _Ask) -> dict[str, int]:
    """Approved payments of the period's turnos, by method."""
    rows = await ask.session.execute(
        select(PaymentRow.method, func.sum(PaymentRow.amount_cents))
        .join(BookingRow, BookingRow.id == PaymentRow.booking_id)
        .where(ask.window, PaymentRow.status == "approved")
        .group_by(PaymentRow.method)
    )
    return {method: int(cents) for method, cents in rows}
