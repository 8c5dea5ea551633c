"""Availability bench: a 30-day "any professional" query with 1,000 vs 100,000 bookings.

Both shops have the same upcoming month (~40% booked); the large one adds years of history.
Cost should follow the bookings of the days asked, not the size of the table. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import random
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from itertools import takewhile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.availability import Slot, bookable_days, free_slots, utc_window
from domain.booking import find_slots
from domain.calendar import ShopCalendar, national_holidays
from domain.model import session_key
from domain.storage import tables
from domain.storage.engine import is_sqlite, make_engine
from domain.storage.migrate import upgrade
from domain.storage.uow import UnitOfWorkFactory

TZ = ZoneInfo("America/Argentina/Buenos_Aires")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # a Tuesday, 09:00 in Buenos Aires
FIRST_DAY = NOW.astimezone(TZ).date()
LAST_DAY = FIRST_DAY + timedelta(days=29)
AFTER_LAST = LAST_DAY + timedelta(days=1)
MAX_DAYS_AHEAD = 60
PROFESSIONALS = 5
CUSTOMERS = 300
ACTIVE = ("confirmed", "held")
CELL = timedelta(minutes=30)  # turnos start on the half hour
PERIODS = ((clock_time(9), clock_time(13)), (clock_time(14), clock_time(19)))  # lunch 13-14
SERVICES = (("Corte", 30, 1_200_000), ("Corte y barba", 60, 1_800_000))  # name, min, centavos
UPCOMING_STATUS = (("confirmed", "cancelled", "held"), (92, 6, 2))  # statuses, weights
PAST_STATUS = (("completed", "cancelled", "no_show", "confirmed"), (80, 9, 6, 5))
WARNING = "WARNING: --database-url WIPES THAT DATABASE (DROP SCHEMA public CASCADE), twice."


class FixedClock:
    def now(self) -> datetime:
        return NOW


@dataclass(frozen=True)
class Ids:
    shop: int
    pros: list[int]
    services: list[int]
    customers: list[int]


@dataclass(frozen=True)
class Loaded:
    shop: int
    service: int
    total: int
    in_window: int
    summary: str


@dataclass(frozen=True)
class Result:
    name: str
    total: int
    in_window: int
    slots: int
    samples: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples)
        return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def working_days(start: date, step: int) -> Iterator[date]:
    """Mon-Sat days that are not national holidays, walking forward (1) or back (-1)."""
    day = start
    while True:
        if day.weekday() < 6 and day not in national_holidays(day.year):
            yield day
        day += timedelta(days=step)


def agenda(rng: random.Random, day: date, rate: float) -> Iterator[tuple[int, datetime, int]]:
    """(professional index, UTC start, minutes) for one day: 30 or 60 min, never overlapping."""
    for pro in range(PROFESSIONALS):
        for first, last in PERIODS:
            cell = datetime.combine(day, first, tzinfo=TZ).astimezone(UTC)
            end = datetime.combine(day, last, tzinfo=TZ).astimezone(UTC)
            while cell < end:
                if rng.random() >= rate:
                    cell += CELL
                    continue
                minutes = 60 if rng.random() < 0.25 and cell + 2 * CELL <= end else 30
                yield pro, cell, minutes
                cell += timedelta(minutes=minutes)


def booking(
    rng: random.Random, ids: Ids, pro: int, start: datetime, minutes: int, status: str
) -> dict[str, Any]:
    """One valid bookings row (no buffers: the block is the turno itself)."""
    kind = 0 if minutes == 30 else 1
    service_id, pro_id, end = ids.services[kind], ids.pros[pro], start + timedelta(minutes=minutes)
    price = SERVICES[kind][2] * 0.6 ** max(0.0, (NOW - start).days / 365)  # prices of their day
    created = min(NOW, start) - timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600))
    cancelled = status == "cancelled"
    return {
        "shop_id": ids.shop,
        "service_id": service_id,
        "professional_id": pro_id,
        "customer_id": rng.choice(ids.customers),
        "starts_at": start,
        "ends_at": end,
        "block_start": start,
        "block_end": end,
        "seat_no": 1,
        "capacity": 1,
        "session_key": session_key(pro_id, service_id, start),
        "status": status,
        "price_cents": int(price) // 100 * 100,
        "currency": "ARS",
        "created_at": created,
        "hold_expires_at": NOW + timedelta(minutes=5) if status == "held" else None,
        "cancelled_at": created + timedelta(hours=2) if cancelled else None,
        "cancelled_by": "customer" if cancelled else None,
        "late_cancellation": False,
    }


def generate(ids: Ids, total: int) -> list[dict[str, Any]]:
    """The same upcoming 60 days for every size (fixed seed), then history back to `total`."""
    rng, rows = random.Random(2026), list[dict[str, Any]]()
    for day in takewhile(
        lambda d: d <= FIRST_DAY + timedelta(days=MAX_DAYS_AHEAD), working_days(FIRST_DAY, 1)
    ):
        rate = 0.38 if day <= LAST_DAY else 0.04  # ~40% of the month booked, then a few
        for a in agenda(rng, day, rate):
            rows.append(booking(rng, ids, *a, rng.choices(*UPCOMING_STATUS)[0]))
    if len(rows) > total:
        raise SystemExit(f"{total} bookings cannot hold the {len(rows)} upcoming ones")
    rng = random.Random(1999)
    for day in working_days(FIRST_DAY - timedelta(days=1), -1):
        for a in agenda(rng, day, rng.uniform(0.3, 0.6)):
            if len(rows) == total:
                return rows
            rows.append(booking(rng, ids, *a, rng.choices(*PAST_STATUS)[0]))
    raise AssertionError("unreachable")


async def reset(url: str, directory: Path, name: str) -> str:
    """A fresh, migrated database: a new SQLite file, or PostgreSQL's public schema wiped."""
    if is_sqlite(url):
        url = f"sqlite+aiosqlite:///{directory / f'{name}.db'}"
    else:
        engine = make_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
        await engine.dispose()
    await upgrade(url)
    return url


async def load(engine: AsyncEngine, total: int) -> Loaded:
    """Shop, five professionals, two services, customers, then `total` bookings in bulk."""
    async with engine.begin() as conn:

        async def one(table: Any, **values: Any) -> int:
            return int((await conn.execute(insert(table).returning(table.id), [values])).scalar())

        shop = await one(
            tables.ShopRow,
            slug="bench",
            name="Barbería Bench",
            vertical="barberia",
            timezone=TZ.key,
            currency="ARS",
            locale="es_AR",
            min_notice_minutes=60,
            max_days_ahead=MAX_DAYS_AHEAD,
            slot_step_minutes=15,
            hold_minutes=10,
            free_cancellation_hours=24,
            open_on_holidays=False,
            created_at=NOW - timedelta(days=3650),
        )
        pros = [
            await one(
                tables.ProfessionalRow,
                shop_id=shop,
                name=f"Barbero {n + 1}",
                nickname=None,
                active=True,
            )
            for n in range(PROFESSIONALS)
        ]
        await conn.execute(
            insert(tables.WorkingPeriodRow),
            [
                {"professional_id": p, "kind": kind, "weekday": weekday, "starts": s, "ends": e}
                for p in pros
                for weekday in range(6)
                for kind, s, e in (
                    ("work", PERIODS[0][0], PERIODS[1][1]),
                    ("break", PERIODS[0][1], PERIODS[1][0]),
                )
            ],
        )
        services = [
            await one(
                tables.ServiceRow,
                shop_id=shop,
                name=name,
                duration_minutes=mins,
                price_cents=cents,
                currency="ARS",
                buffer_before_minutes=0,
                buffer_after_minutes=0,
                seats=1,
                active=True,
            )
            for name, mins, cents in SERVICES
        ]
        await conn.execute(
            insert(tables.ServiceProfessionalRow),
            [{"service_id": s, "professional_id": p} for s in services for p in pros],
        )
        await conn.execute(
            insert(tables.CustomerRow),
            [
                {"phone": f"+54911{n:08d}", "telegram_user_id": None, "created_at": NOW}
                for n in range(CUSTOMERS)
            ],
        )
        customers = list((await conn.execute(select(tables.CustomerRow.id))).scalars())
        await conn.execute(
            insert(tables.ShopCustomerRow),
            [
                {"shop_id": shop, "customer_id": c, "name": f"Cliente {n}", "created_at": NOW}
                for n, c in enumerate(customers)
            ],
        )
        rows = generate(Ids(shop, pros, services, customers), total)
        for chunk in range(0, len(rows), 5000):
            await conn.execute(insert(tables.BookingRow), rows[chunk : chunk + 5000])
    async with engine.connect() as conn:  # fresh statistics, as a long-lived database has
        if is_sqlite(str(engine.url)):
            await conn.execute(text("ANALYZE"))
            await conn.commit()
        else:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM ANALYZE"))
    start, end = (datetime.combine(d, clock_time(0), tzinfo=TZ) for d in (FIRST_DAY, AFTER_LAST))
    window = [r for r in rows if start <= r["starts_at"] < end and r["status"] in ACTIVE]
    hours = sum((r["ends_at"] - r["starts_at"]) / timedelta(hours=1) for r in window)
    days = sum(1 for _ in takewhile(lambda d: d < AFTER_LAST, working_days(FIRST_DAY, 1)))
    oldest = min(r["starts_at"] for r in rows).astimezone(TZ).date()
    summary = (
        f"{len(rows):,} bookings since {oldest}; the 30 days asked are "
        f"{hours / (days * 9 * PROFESSIONALS):.0%} booked"
    )
    return Loaded(shop, services[0], len(rows), len(window), summary)


async def timed(call: Callable[[], Awaitable[object]], runs: int, warmup: int) -> list[float]:
    """Milliseconds per call, after `warmup` untimed calls."""
    for _ in range(warmup):
        await call()
    gc.collect()  # the loader's garbage is not the query's
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


async def bench(url: str, name: str, total: int, args: Any) -> tuple[Result, Result | None]:
    """Load one database, time find_slots on it (and free_slots alone on the large one)."""
    engine = make_engine(url)
    try:
        loaded = await load(engine, total)
        print(f"  {name}: {loaded.summary}")
        uow, clock = UnitOfWorkFactory(engine), FixedClock()

        async def query() -> list[Slot]:
            return await find_slots(
                uow, clock, loaded.shop, loaded.service, None, FIRST_DAY, LAST_DAY
            )

        slots = len(await query())
        samples = await timed(query, args.runs, args.warmup)
        found = Result(f"find_slots {name}", total, loaded.in_window, slots, samples)
        return found, await pure_baseline(uow, loaded, args) if name == "large" else None
    finally:
        await engine.dispose()


async def pure_baseline(uow_factory: UnitOfWorkFactory, loaded: Loaded, args: Any) -> Result:
    """`free_slots` alone on the very inputs find_slots loads (read once here), no database."""
    async with uow_factory.read_only() as uow:
        shop = await uow.catalog.shop(loaded.shop)
        service = await uow.catalog.service(loaded.shop, loaded.service)
        assert shop is not None
        assert service is not None
        pro_ids = sorted(service.professional_ids)
        first, last = bookable_days(shop, NOW, FIRST_DAY, LAST_DAY)
        start, end = utc_window(shop, first, last)
        schedules = await uow.catalog.schedules(pro_ids, start, end)
        busy = await uow.bookings.busy_blocks(pro_ids, start, end, NOW)
        overrides = await uow.catalog.day_overrides(shop.id, first, last)
    calendar = ShopCalendar.build(shop.policy.open_on_holidays, overrides)

    async def compute() -> list[Slot]:
        return free_slots(
            shop=shop,
            service=service,
            schedules=schedules,
            busy=busy,
            calendar=calendar,
            first_day=first,
            last_day=last,
            now=NOW,
        )

    slots = len(await compute())
    samples = await timed(compute, args.runs, args.warmup)
    return Result("free_slots alone *", loaded.total, loaded.in_window, slots, samples)


def report(small: Result, large: Result, pure: Result, where: str, args: Any) -> None:
    print(
        f"\n30-day availability {FIRST_DAY}..{LAST_DAY}, 'Corte', any of {PROFESSIONALS} "
        f"professionals; {where}; {args.runs} runs after {args.warmup} warm-up"
    )
    print(
        f"{'case':<20}{'bookings':>10}{'in window':>11}{'slots':>7}{'median ms':>11}{'p95 ms':>9}"
    )
    for r in (small, large, pure):
        print(
            f"{r.name:<20}{r.total:>10,}{r.in_window:>11,}{r.slots:>7,}{r.median:>11.2f}"
            f"{r.p95:>9.2f}"
        )
    share = pure.median / large.median
    print(
        f"* the large shop's inputs, no database: {share:.0%} of the large median; "
        f"the other {1 - share:.0%} is storage"
    )
    ratio = large.median / small.median
    print(
        f"\nlarge median      {large.median:6.2f} ms   goal < 10 ms   "
        f"{'PASS' if large.median < 10 else 'FAIL'}"
    )
    print(f"ratio large/small {ratio:6.2f}      goal < 1.5     {'PASS' if ratio < 1.5 else 'FAIL'}")
    print(f"large / free_slots alone {large.median / pure.median:.1f}x (baseline, same run)")


async def main(args: Any) -> None:
    url = args.database_url or "sqlite+aiosqlite://"
    where = "SQLite temp file" if is_sqlite(url) else f"PostgreSQL {url.split('@')[-1]}"
    if not is_sqlite(url):
        print(WARNING)
    print(f"loading ({where}); 100,000 bookings take a few seconds")
    with tempfile.TemporaryDirectory(prefix="barberpro-bench-") as directory:
        small, _ = await bench(await reset(url, Path(directory), "small"), "small", 1_000, args)
        large, pure = await bench(
            await reset(url, Path(directory), "large"), "large", 100_000, args
        )
    assert pure is not None
    if small.slots != large.slots:
        print(f"WARNING: the shops differ in slots ({small.slots} vs {large.slots})")
    report(small, large, pure, where, args)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, epilog=WARNING, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=50, help="timed runs per case (default 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs first (default 5)")
    parser.add_argument(
        "--database-url",
        metavar="URL",
        help="run on PostgreSQL (postgresql+asyncpg://...) instead of a temporary SQLite file. "
        "DESTRUCTIVE: DROPS AND RECREATES THE public SCHEMA OF THAT DATABASE (all its data is "
        "lost). Use a scratch database only.",
    )
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse()))
