"""Numbers page bench (not numbers.py: that would hide the standard library's `numbers`).

The Numbers page's read (every chart's query) on a shop with three years of history, beside a
plain aggregate of the same period's turnos (COUNT and SUM), and beside a young shop.

Two shops in one database share the same last 13 weeks and next 30 days (a fixed seed); the
old one adds three years of history, and other shops fill the table around them. Cost should
follow the period asked, not the history. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from functools import wraps
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from availability import WARNING, reset, timed  # bench/availability.py: the same machinery
from sqlalchemy import and_, func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.calendar import national_holidays
from domain.model import Shop, session_key
from domain.numbers import Grain, Period, Preset, custom_period, preset_period
from domain.staff import day_bounds
from domain.storage import numbers as storage
from domain.storage import tables
from domain.storage.engine import is_sqlite, make_engine
from domain.storage.uow import UnitOfWorkFactory

TZ = ZoneInfo("America/Argentina/Buenos_Aires")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # a Tuesday, 09:00 in Buenos Aires
TODAY = NOW.astimezone(TZ).date()
PROFESSIONALS = 3
CUSTOMERS = 3000  # per shop
SERVICES = (("Corte", 30, 1_200_000), ("Corte y barba", 60, 1_800_000))
PERIODS = ((clock_time(9), clock_time(13)), (clock_time(14), clock_time(19)))
RECENT = timedelta(weeks=14)  # the young shop's whole life: the last 3 months fit in it
AHEAD = timedelta(days=30)
PAST_STATUS = (("completed", "no_show", "cancelled"), (85, 5, 10))
METHODS = ("cash", "transfer", "mercadopago")


@dataclass(frozen=True)
class Ids:
    shop: int
    pros: list[int]
    services: list[int]
    customers: list[int]


def days(first: date, end: date) -> Iterator[date]:
    """Monday to Saturday from `first` to before `end`, feriados left out."""
    day = first
    while day < end:
        if day.weekday() < 6 and day not in national_holidays(day.year):
            yield day
        day += timedelta(days=1)


def turnos(ids: Ids, first: date, end: date, seed: int) -> list[dict[str, Any]]:
    """Bookings rows for every professional's days: 30 or 60 minutes on the half hour, about
    60% of the time taken; regulars come often (a skewed choice of customer)."""
    rng, rows = random.Random(seed), []
    for day in days(first, end):
        for pro in ids.pros:
            for opens, closes in PERIODS:
                cell = datetime.combine(day, opens, tzinfo=TZ).astimezone(UTC)
                end_at = datetime.combine(day, closes, tzinfo=TZ).astimezone(UTC)
                while cell < end_at:
                    long = rng.random() < 0.3 and cell + timedelta(hours=1) <= end_at
                    if rng.random() < 0.6:
                        rows.append(row(rng, ids, pro, cell, 60 if long else 30))
                    cell += timedelta(minutes=60 if long else 30)
    return rows


def row(rng: random.Random, ids: Ids, pro: int, start: datetime, minutes: int) -> dict[str, Any]:
    service = ids.services[0 if minutes == 30 else 1]
    end = start + timedelta(minutes=minutes)
    past = start < NOW
    status = rng.choices(*PAST_STATUS)[0] if past else "confirmed"
    return {
        "shop_id": ids.shop,
        "service_id": service,
        "professional_id": pro,
        "customer_id": ids.customers[int(rng.random() ** 2.5 * len(ids.customers))],
        "starts_at": start,
        "ends_at": end,
        "block_start": start,
        "block_end": end,
        "session_key": session_key(pro, service, start),
        "seat_no": 1,
        "capacity": 1,
        "status": status,
        "price_cents": SERVICES[0 if minutes == 30 else 1][2],
        "currency": "ARS",
        "created_at": start - timedelta(days=rng.randint(0, 10)),
        "cancelled_at": start - timedelta(hours=2) if status == "cancelled" else None,
        "cancelled_by": "customer" if status == "cancelled" else None,
        "late_cancellation": status == "cancelled" and rng.random() < 0.3,
        "payment_method": rng.choice(METHODS),
    }


async def shop(conn: Any, slug: str) -> Ids:
    """A shop, its professionals (Monday to Saturday, 9 to 19, lunch at 13) and customers."""

    async def one(table: Any, **values: Any) -> int:
        return int((await conn.execute(insert(table).returning(table.id), [values])).scalar())

    shop_id = await one(
        tables.ShopRow,
        slug=slug,
        name=slug,
        vertical="barberia",
        timezone=TZ.key,
        currency="ARS",
        locale="es_AR",
        min_notice_minutes=60,
        max_days_ahead=60,
        slot_step_minutes=15,
        hold_minutes=10,
        free_cancellation_hours=3,
        open_on_holidays=False,
        created_at=NOW - timedelta(days=3 * 366),
    )
    pros = [
        await one(tables.ProfessionalRow, shop_id=shop_id, name=f"Barbero {n}", active=True)
        for n in range(1, PROFESSIONALS + 1)
    ]
    hours = [("work", PERIODS[0][0], PERIODS[1][1]), ("break", PERIODS[0][1], PERIODS[1][0])]
    await conn.execute(
        insert(tables.WorkingPeriodRow),
        [
            {"professional_id": p, "kind": k, "weekday": d, "starts": s, "ends": e}
            for p in pros
            for d in range(6)
            for k, s, e in hours
        ],
    )
    services = [
        await one(
            tables.ServiceRow,
            shop_id=shop_id,
            name=name,
            duration_minutes=minutes,
            price_cents=cents,
            currency="ARS",
            buffer_before_minutes=0,
            buffer_after_minutes=0,
            seats=1,
            active=True,
        )
        for name, minutes, cents in SERVICES
    ]
    first = (await conn.execute(select(func.count()).select_from(tables.CustomerRow))).scalar()
    phones = [f"+5491130{n:06d}" for n in range(first, first + CUSTOMERS)]
    await conn.execute(
        insert(tables.CustomerRow), [{"phone": p, "created_at": NOW} for p in phones]
    )
    customers = (
        await conn.execute(
            select(tables.CustomerRow.id).where(tables.CustomerRow.phone.in_(phones))
        )
    ).scalars()
    return Ids(shop_id, pros, services, sorted(customers))


async def fill(conn: Any, ids: Ids, years: int, seed: int) -> int:
    """The shared recent weeks and next month, then `years` of history before them (if any);
    a payment for most attended turnos. Returns how many bookings."""
    recent_first = TODAY - RECENT
    rows = turnos(ids, recent_first, TODAY + AHEAD, 2026)
    if years:
        rows += turnos(ids, TODAY - timedelta(days=365 * years), recent_first, seed)
    for chunk in range(0, len(rows), 5000):
        await conn.execute(insert(tables.BookingRow), rows[chunk : chunk + 5000])
    done = select(tables.BookingRow.id, tables.BookingRow.price_cents).where(
        tables.BookingRow.shop_id == ids.shop, tables.BookingRow.status == "completed"
    )
    payments = [
        {
            "shop_id": ids.shop,
            "booking_id": booking,
            "method": METHODS[booking % 3],
            "amount_cents": cents,
            "currency": "ARS",
            "status": "approved",
            "created_at": NOW,
            "updated_at": NOW,
        }
        for booking, cents in (await conn.execute(done)).all()
        if booking % 5
    ]
    for chunk in range(0, len(payments), 5000):
        await conn.execute(insert(tables.PaymentRow), payments[chunk : chunk + 5000])
    return len(rows)


async def load(engine: AsyncEngine, years: int, others: int) -> tuple[int, int, int]:
    """The young shop, the old one, and `others` old shops around them; their ids and the
    table's size."""
    async with engine.begin() as conn:
        young, old = await shop(conn, "joven"), await shop(conn, "vieja")
        await fill(conn, young, 0, 0)
        total = await fill(conn, old, years, 1999)
        for n in range(others):
            total += await fill(conn, await shop(conn, f"otra-{n}"), years, 3000 + n)
    async with engine.connect() as conn:  # fresh statistics, as a long-lived database has
        if is_sqlite(str(engine.url)):
            await conn.execute(text("ANALYZE"))
            await conn.commit()
        else:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM ANALYZE"))
        size = (await conn.execute(select(func.count()).select_from(tables.BookingRow))).scalar()
    return young.shop, old.shop, int(size or total)


def cases(years: int) -> list[tuple[str, Period]]:
    """The periods an owner asks for: the presets, a year by month, the whole history."""
    year = custom_period(TODAY - timedelta(days=364), TODAY, Grain.MONTH)
    found = [
        ("this week", preset_period(Preset.WEEK, TODAY)),
        ("this month", preset_period(Preset.MONTH, TODAY)),
        ("last 3 months", preset_period(Preset.QUARTER, TODAY)),
        ("last 12 months", year),
    ]
    if years >= 3:
        every = custom_period(TODAY - timedelta(days=3 * 366 - 1), TODAY, Grain.MONTH)
        found.append((f"{years} years", every))
    return found


async def count(uow: UnitOfWorkFactory, shop_id: int, period: Period) -> int:
    """The baseline: how many of the shop's turnos start in the period and what they cost, in
    one plain aggregate (the index's range, and each row read once)."""
    since, _ = day_bounds(period.first, TZ.key)
    _, until = day_bounds(period.last, TZ.key)
    async with uow.read_only() as u:
        booking = tables.BookingRow
        window = and_(
            booking.shop_id == shop_id, booking.starts_at >= since, booking.starts_at < until
        )
        query = select(func.count(), func.sum(booking.price_cents)).where(window)
        return int((await u.session.execute(query)).one()[0])


async def shop_of(uow: UnitOfWorkFactory, shop_id: int) -> Shop:
    async with uow.read_only() as u:
        found = await u.catalog.shop(shop_id)
    assert found is not None
    return found


def median(samples: list[float]) -> float:
    return statistics.median(samples)


async def parts(uow: UnitOfWorkFactory, shop: Shop, period: Period, args: Any) -> dict[str, float]:
    """Median milliseconds of each of the page's queries (the old shop, one period)."""
    spent: dict[str, list[float]] = {}
    names = (
        "_by_state",
        "_visits",
        "_booked_minutes",
        "_occupancy",
        "_services",
        "_busy",
        "_collected",
    )
    originals = {name: getattr(storage, name) for name in names}

    def timing(name: str, call: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
        @wraps(call)
        async def timed_call(*a: Any) -> Any:
            began = time.perf_counter()
            try:
                return await call(*a)
            finally:
                spent.setdefault(name, []).append((time.perf_counter() - began) * 1000)

        return timed_call

    for name, call in originals.items():
        setattr(storage, name, timing(name, call))
    try:
        await timed(lambda: storage.shop_numbers(uow, shop, period, NOW), args.runs, args.warmup)
    finally:
        for name, call in originals.items():
            setattr(storage, name, call)
    return {name: median(samples[args.warmup :]) for name, samples in spent.items()}


async def main(args: Any) -> None:
    url = args.database_url or "sqlite+aiosqlite://"
    where = "SQLite temp file" if is_sqlite(url) else f"PostgreSQL {url.split('@')[-1]}"
    if not is_sqlite(url):
        print(WARNING)
    print(f"loading ({where}): {2 + args.other_shops} shops, {args.years} years each but one")
    with tempfile.TemporaryDirectory(prefix="barberpro-bench-") as directory:
        url = await reset(url, Path(directory), "numbers")
        engine = make_engine(url)
        try:
            young_id, old_id, size = await load(engine, args.years, args.other_shops)
            uow = UnitOfWorkFactory(engine)
            young, old = await shop_of(uow, young_id), await shop_of(uow, old_id)
            print(f"  {size:,} bookings in the table; {PROFESSIONALS} professionals a shop")
            await report(uow, young, old, args, where)
            if args.try_index:
                await try_index(engine, uow, old, args)
            if args.parts:
                found = await parts(uow, old, preset_period(Preset.QUARTER, TODAY), args)
                print("\nthe old shop's last 3 months, query by query (median ms):")
                for name, ms in found.items():
                    print(f"  {name:<18}{ms:>8.2f}")
        finally:
            await engine.dispose()


# An index that looked likely to help "had this customer come before?"; measured: it does not.
INDEX = "CREATE INDEX ix_try ON bookings (shop_id, customer_id, starts_at)"


async def try_index(engine: AsyncEngine, uow: UnitOfWorkFactory, old: Shop, args: Any) -> None:
    """The same page read without and with a candidate index, in this run."""
    cases_ = [c for c in cases(args.years) if c[0] in ("last 3 months", "last 12 months")]
    timings = []
    for _name, period in cases_:
        call = lambda p=period: storage.shop_numbers(uow, old, p, NOW)  # noqa: E731
        timings.append(median(await timed(call, args.runs, args.warmup)))
    async with engine.begin() as conn:
        await conn.execute(text(INDEX))
    async with engine.connect() as conn:
        if is_sqlite(str(engine.url)):
            await conn.execute(text("ANALYZE"))
            await conn.commit()
        else:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("ANALYZE bookings"))
    print(f"\nthe old shop without, then with {INDEX.split(' ON ')[1]} (median ms):")
    for (name, period), without in zip(cases_, timings, strict=True):
        call = lambda p=period: storage.shop_numbers(uow, old, p, NOW)  # noqa: E731
        with_it = median(await timed(call, args.runs, args.warmup))
        ratio = with_it / without
        print(
            f"  {name:<16}{without:>9.2f} without{with_it:>9.2f} with  (with/without {ratio:.2f})"
        )


async def report(uow: UnitOfWorkFactory, young: Shop, old: Shop, args: Any, where: str) -> None:
    runs = f"{args.runs} runs after {args.warmup} warm-up"
    print(f"\nThe Numbers page's read vs a plain aggregate of the period; {where}; {runs}")
    columns = ("turnos", "plain ms", "page ms", "page/plain", "young ms", "old/young")
    print(f"{'period':<16}" + "".join(f"{c:>11}" for c in columns))
    for name, period in cases(args.years):
        rows = await count(uow, old.id, period)
        base = median(await timed(lambda p=period: count(uow, old.id, p), args.runs, args.warmup))
        page = median(
            await timed(
                lambda p=period: storage.shop_numbers(uow, old, p, NOW), args.runs, args.warmup
            )
        )
        line = f"{name:<16}{rows:>11,}{base:>11.2f}{page:>11.2f}{page / base:>10.1f}x"
        if period.first >= TODAY - RECENT:
            small = median(
                await timed(
                    lambda p=period: storage.shop_numbers(uow, young, p, NOW),
                    args.runs,
                    args.warmup,
                )
            )
            line += f"{small:>11.2f}{page / small:>10.2f}x"
        print(line)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, epilog=WARNING, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15, help="timed runs per case (default 15)")
    parser.add_argument("--warmup", type=int, default=3, help="untimed runs first (default 3)")
    parser.add_argument("--years", type=int, default=3, help="the old shop's history (default 3)")
    parser.add_argument(
        "--other-shops", type=int, default=2, help="old shops around them (default 2)"
    )
    parser.add_argument("--parts", action="store_true", help="also time each query alone")
    parser.add_argument(
        "--try-index", action="store_true", help="also time it with a candidate index added"
    )
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="run on PostgreSQL (postgresql+asyncpg://...) instead of a temporary SQLite file. "
        "DESTRUCTIVE: DROPS AND RECREATES THE public SCHEMA OF THAT DATABASE.",
    )
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse()))
