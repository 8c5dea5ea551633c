"""The demo shop's past turnos: believable, deterministic, seeded once, all in the past."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select

from bot.demo import PROFESSIONALS, SERVICES, seed_demo
from bot.demo_plan import Chair, Offer, first_day, plan
from domain.calendar import national_holidays
from domain.ledger import Account, Entry, Line, payouts
from domain.money import Money
from domain.numbers import Preset, preset_period
from domain.storage.numbers import shop_numbers
from domain.storage.payments import ledger_lines
from domain.storage.tables import (
    BookingEventRow,
    BookingRow,
    JobRow,
    LedgerEntryRow,
    PaymentRow,
)
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock

BA = ZoneInfo("America/Argentina/Buenos_Aires")
TODAY = date(2026, 12, 1)  # the tests' clock: Tuesday 09:00 in Buenos Aires
CHAIRS = [
    Chair(n + 1, p.nickname, p.days, p.opens, p.closes, p.lunch)
    for n, p in enumerate(PROFESSIONALS)
]
OFFERS = [Offer(n + 1, s[0], s[1], s[2] * 100, s[3], s[4], s[5]) for n, s in enumerate(SERVICES)]


def test_the_plan_is_the_same_every_time_and_moves_with_today() -> None:
    first = plan(CHAIRS, OFFERS, TODAY, BA.key)
    again = plan(CHAIRS, OFFERS, TODAY, BA.key)
    later = plan(CHAIRS, OFFERS, TODAY + timedelta(weeks=1), BA.key)

    assert first == again
    assert later.turnos[0].start == first.turnos[0].start + timedelta(weeks=1)


def test_the_plan_covers_the_last_13_weeks_and_the_regulars_weeks_before_only_on_open_days() -> (
    None
):
    turnos = plan(CHAIRS, OFFERS, TODAY, BA.key).turnos
    days = {t.start.astimezone(BA).date() for t in turnos}

    assert first_day(TODAY) == preset_period(Preset.QUARTER, TODAY).first == date(2026, 8, 31)
    assert min(days) >= first_day(TODAY) - timedelta(weeks=6)
    assert max(days) == TODAY - timedelta(days=1)  # Monday: yesterday
    assert not days & set(national_holidays(2026))  # closed on feriados (12/10, 9/11, 23/11)
    assert all(t.start.astimezone(BA).weekday() in t.chair.days for t in turnos)


def test_each_chairs_turnos_never_overlap_and_keep_to_its_hours() -> None:
    turnos = plan(CHAIRS, OFFERS, TODAY, BA.key).turnos
    for chair in CHAIRS:
        mine = sorted(
            {(t.start, t.offer.minutes + t.offer.after) for t in turnos if t.chair == chair}
        )
        for (start, minutes), (following, _) in pairwise(mine):
            assert start + timedelta(minutes=minutes) <= following
        for start, minutes in mine:
            local = start.astimezone(BA)
            assert chair.opens <= local.time()
            assert (local + timedelta(minutes=minutes)).time() <= chair.closes
            assert not chair.lunch[0] <= local.time() < chair.lunch[1]


async def seeded(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> list[Any]:
    """The demo seeded; its bookings as rows (status, start, late, method, customer)."""
    await seed_demo(uow_factory, clock)
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            select(
                BookingRow.status,
                BookingRow.starts_at,
                BookingRow.late_cancellation,
                BookingRow.payment_method,
                BookingRow.customer_id,
            )
        )
        return list(rows)


async def test_the_demo_has_months_of_past_turnos_mostly_attended(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    rows = await seeded(uow_factory, clock)

    past = [r for r in rows if r.starts_at < clock.now()]
    statuses = Counter(r.status for r in past)
    assert len(past) > 1000
    assert statuses["completed"] / len(past) > 0.75
    assert 0.02 < statuses["no_show"] / len(past) < 0.1
    assert statuses["cancelled"] > 40
    assert sum(r.late_cancellation for r in past) > 10  # some cancelled late
    assert set(statuses) == {"completed", "no_show", "cancelled"}  # nothing active in the past
    assert [r.status for r in rows if r.starts_at >= clock.now()] == ["confirmed"] * 3
    assert {r.payment_method for r in past} == {"cash", "transfer", "mercadopago"}


async def test_regulars_come_back_and_one_timers_do_not(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    rows = await seeded(uow_factory, clock)

    visits = Counter(r.customer_id for r in rows if r.status == "completed")
    assert sum(1 for n in visits.values() if n >= 4) > 60  # regulars
    assert sum(1 for n in visits.values() if n == 1) > 60  # one-timers


async def test_fridays_saturdays_and_evenings_are_busier(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    rows = await seeded(uow_factory, clock)

    local = [r.starts_at.astimezone(BA) for r in rows if r.status != "cancelled"]
    by_day = Counter(t.weekday() for t in local)
    chairs_by_day = Counter(d for c in CHAIRS for d in c.days)
    per_chair = {d: by_day[d] / chairs_by_day[d] for d in chairs_by_day}
    assert min(per_chair[4], per_chair[5]) > max(per_chair[0], per_chair[1]) * 1.4
    by_hour = Counter(t.hour for t in local)
    assert by_hour[17] + by_hour[18] > by_hour[12] + by_hour[13]


async def test_payments_and_their_ledger_lines_add_up_as_the_payouts_read_them(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await seed_demo(uow_factory, clock)
    async with uow_factory.read_only() as uow:
        payments = (
            await uow.session.execute(
                select(PaymentRow.id, PaymentRow.status, PaymentRow.amount_cents)
            )
        ).all()
        sums = dict(
            (
                await uow.session.execute(
                    select(
                        LedgerEntryRow.payment_id, func.sum(LedgerEntryRow.amount_cents)
                    ).group_by(LedgerEntryRow.payment_id)
                )
            ).all()
        )
    assert Counter(p.status for p in payments)["refunded"] > 5  # prepaid, cancelled in time
    for payment in payments:  # three lines a charge; a refund gives all of it back
        expected = 0 if payment.status == "refunded" else payment.amount_cents
        assert sums[payment.id] == expected, payment
    since = datetime(2026, 8, 1, tzinfo=UTC)
    lines = await ledger_lines(uow_factory, 1, since, clock.now())
    owed = payouts(
        [Line(r.professional_id, Entry(r.entry), Account(r.account), r.amount) for r in lines]
    )
    assert [p.professional_id for p in owed] == [1, 2, 3]
    assert all(p.professional > Money(0) for p in owed)


async def test_nobody_is_told_of_the_past_and_nothing_is_planned_for_it(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await seed_demo(uow_factory, clock)
    async with uow_factory.read_only() as uow:
        past = select(BookingRow.id).where(BookingRow.starts_at < clock.now())
        events = await uow.session.scalar(
            select(func.count()).where(BookingEventRow.booking_id.in_(past))
        )
        jobs = await uow.session.scalar(select(func.count()).where(JobRow.booking_id.in_(past)))
    assert (events, jobs) == (0, 0)


async def test_seeding_again_adds_nothing(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    rows = await seeded(uow_factory, clock)

    assert await seed_demo(uow_factory, clock) is False
    async with uow_factory.read_only() as uow:
        assert await uow.session.scalar(select(func.count()).select_from(BookingRow)) == len(rows)


async def test_without_history_the_demo_has_only_its_upcoming_turnos(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await seed_demo(uow_factory, clock, history=False)

    async with uow_factory.read_only() as uow:
        statuses = list(await uow.session.scalars(select(BookingRow.status)))
    assert statuses == ["confirmed"] * 3


async def test_the_numbers_of_the_last_3_months_are_full(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await seed_demo(uow_factory, clock)
    async with uow_factory.read_only() as uow:
        shop = await uow.catalog.shop(1)
    assert shop is not None
    period = preset_period(Preset.QUARTER, TODAY)

    found = await shop_numbers(uow_factory, shop, period, clock.now())

    assert set(found.turnos) == set(period.buckets())  # every week has turnos
    assert all(found.revenue[week] > 0 for week in period.buckets())
    assert 0.3 < found.customers.new / found.customers.total < 0.7
    assert all(0.3 < float(o.occupancy.share or 0) < 0.8 for o in found.occupancy)


async def test_the_demo_people_open_has_turnos_later_today(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """Tuesday 09:00: the demo as `barberpro serve --demo` seeds it has turnos after now today."""
    await seed_demo(uow_factory, clock, today=True)

    async with uow_factory.read_only() as uow:
        starts = (
            await uow.session.scalars(
                select(BookingRow.starts_at).where(
                    BookingRow.status == "confirmed",
                    BookingRow.starts_at > clock.now(),
                    BookingRow.starts_at < clock.now() + timedelta(hours=12),
                )
            )
        ).all()
    assert len(starts) >= 3
