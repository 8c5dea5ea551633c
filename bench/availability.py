"""Availability bench: a 30-day "any professional" query with 1,000 vs 100,000 bookings.

Both shops have the same upcoming month (~40% booked); the large one adds years of history.
Cost should follow the bookings of the days asked, not the size of the table. See bench/README.md.
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
from itertools import takewhile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.availability import bookable_days, free_slots, utc_window
from domain.booking import find_slots
from domain.calendar import ShopCalendar, national_holidays
from domain.model import session_key
from domain.storage.engine import is_sqlite, make_engine
from domain.storage.migrate import upgrade
from domain.storage.tables import (
    BookingRow,
    CustomerRow,
    ProfessionalRow,
    ServiceProfessionalRow,
    ServiceRow,
    ShopRow,
    WorkingPeriodRow,
)
from domain.storage.uow import UnitOfWorkFactory

TZ = ZoneInfo("America/Argentina/Buenos_Aires")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # Tuesday 09:00 in Buenos Aires
FIRST_DAY = NOW.astimezone(TZ).date()
LAST_DAY = FIRST_DAY + timedelta(days=29)
MAX_DAYS_AHEAD = 60
PROFESSIONALS = 5
CUSTOMERS = 300
CELL = timedelta(minutes=30)  # bookings start on a half-hour grid
PERIODS = ((clock_time(9), clock_time(13)), (clock_time(14), clock_time(19)))  # lunch 13-14
SERVICES = (("Corte", 30, 1_200_000), ("Corte y barba", 60, 1_800_000))  # name, min, centavos
UPCOMING_STATUS = (("confirmed", 92), ("cancelled", 6), ("held", 2))
PAST_STATUS = (("completed", 80), ("cancelled", 9), ("no_show", 6), ("confirmed", 5))


class FixedClock:
    def now(self) -> datetime:
        return NOW


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
    rng: random.Random, ids: dict[str, Any], pro: int, start: datetime, minutes: int, status: str
) -> dict[str, Any]:
    """One valid bookings row (no buffers: the block is the turno itself)."""
    service_id = ids["services"][0 if minutes == 30 else 1]
    pro_id = ids["pros"][pro]
    end = start + timedelta(minutes=minutes)
    years_ago = max(0.0, (NOW - start).days / 365)
    price = SERVICES[0 if minutes == 30 else 1][2] * 0.6**years_ago  # prices of their day
    created = min(NOW, start) - timedelta(days=rng.randint(0, 20), minutes=rng.randint(0, 600))
    cancelled = status == "cancelled"
    return {
        "shop_id": ids["shop"], "service_id": service_id, "professional_id": pro_id,
        "customer_id": rng.choice(ids["customers"]), "starts_at": start, "ends_at": end,
        "block_start": start, "block_end": end, "seat_no": 1, "capacity": 1,
        "session_key": session_key(pro_id, service_id, start), "status": status,
        "price_cents": int(price) // 100 * 100, "currency": "ARS", "created_at": created,
        "hold_expires_at": NOW + timedelta(minutes=5) if status == "held" else None,
        "cancelled_at": created + timedelta(hours=2) if cancelled else None,
        "cancelled_by": "customer" if cancelled else None, "late_cancellation": False,
    }


def pick(rng: random.Random, weights: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([s for s, _ in weights], [w for _, w in weights])[0]


def generate(ids: dict[str, Any], total: int) -> list[dict[str, Any]]:
    """The same upcoming 60 days for every size (fixed seed), then history back to `total`."""
    rng = random.Random(2026)
    rows = []
    for day in working_days(FIRST_DAY, 1):
        if day > FIRST_DAY + timedelta(days=MAX_DAYS_AHEAD):
            break
        rate = 0.38 if day <= LAST_DAY else 0.04  # ~40% of the month booked, then a few
        rows += [booking(rng, ids, *a, pick(rng, UPCOMING_STATUS)) for a in agenda(rng, day, rate)]
    if len(rows) > total:
        raise SystemExit(f"{total} bookings cannot hold the {len(rows)} upcoming ones")
    rng = random.Random(1999)
    for day in working_days(FIRST_DAY - timedelta(days=1), -1):
        rate = rng.uniform(0.3, 0.6)
        for a in agenda(rng, day, rate):
            if len(rows) == total:
                return rows
            rows.append(booking(rng, ids, *a, pick(rng, PAST_STATUS)))
    return rows


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


async def load(engine: AsyncEngine, total: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Shop, five professionals, two services, customers, then `total` bookings in bulk."""
    async with engine.begin() as conn:
        shop = (await conn.execute(insert(ShopRow).returning(ShopRow.id), [{
            "slug": "bench", "name": "Barbería Bench", "vertical": "barberia",
            "timezone": TZ.key, "currency": "ARS", "locale": "es_AR",
            "min_notice_minutes": 60, "max_days_ahead": MAX_DAYS_AHEAD,
            "slot_step_minutes": 15, "hold_minutes": 10, "free_cancellation_hours": 24,
            "open_on_holidays": False, "created_at": NOW - timedelta(days=3650)}])).scalar_one()
        pros = [(await conn.execute(insert(ProfessionalRow).returning(ProfessionalRow.id), [{
            "shop_id": shop, "name": f"Barbero {n + 1}", "nickname": None, "active": True,
        }])).scalar_one() for n in range(PROFESSIONALS)]
        periods = [
            {"professional_id": p, "kind": kind, "weekday": wd, "starts": s, "ends": e}
            for p in pros for wd in range(6)
            for kind, s, e in (("work", PERIODS[0][0], PERIODS[1][1]),
                               ("break", PERIODS[0][1], PERIODS[1][0]))
        ]
        await conn.execute(insert(WorkingPeriodRow), periods)
        services = [(await conn.execute(insert(ServiceRow).returning(ServiceRow.id), [{
            "shop_id": shop, "name": name, "duration_minutes": minutes, "price_cents": cents,
            "currency": "ARS", "buffer_before_minutes": 0, "buffer_after_minutes": 0,
            "seats": 1, "active": True}])).scalar_one() for name, minutes, cents in SERVICES]
        await conn.execute(insert(ServiceProfessionalRow), [
            {"service_id": s, "professional_id": p} for s in services for p in pros])
        customers = list((await conn.execute(insert(CustomerRow).returning(CustomerRow.id), [
            {"name": f"Cliente {n}", "phone": f"+54911{n:08d}", "telegram_user_id": None,
             "created_at": NOW} for n in range(CUSTOMERS)])).scalars())
        ids = {"shop": shop, "pros": pros, "services": services, "customers": customers}
        rows = generate(ids, total)
        for chunk in range(0, len(rows), 5000):
            await conn.execute(insert(BookingRow), rows[chunk : chunk + 5000])
    if is_sqlite(str(engine.url)):
        async with engine.begin() as conn:
            await conn.execute(text("ANALYZE"))
    else:
        async with engine.connect() as conn:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM ANALYZE"))
    return ids, rows


async def timed(call: Callable[[], Awaitable[object]], runs: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        await call()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        await call()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


async def bench(url: str, name: str, total: int, args: argparse.Namespace) -> tuple[Result, Any]:
    engine = make_engine(url)
    try:
        ids, rows = await load(engine, total)
        window = utc_window_of_month()
        in_window = sum(
            1 for r in rows
            if window[0] <= r["starts_at"] < window[1] and r["status"] in ("confirmed", "held")
        )
        booked = sum(
            (r["ends_at"] - r["starts_at"]) / timedelta(hours=1) for r in rows
            if window[0] <= r["starts_at"] < window[1] and r["status"] in ("confirmed", "held")
        )
        days = sum(1 for _ in takewhile(lambda d: d <= LAST_DAY, working_days(FIRST_DAY, 1)))
        first = min(r["starts_at"] for r in rows).astimezone(TZ).date()
        print(f"  {name}: {len(rows):,} bookings (history since {first}); "
              f"{booked / (days * 9 * PROFESSIONALS):.0%} of the 30 days' hours booked")
        uow = UnitOfWorkFactory(engine)
        clock, shop, service = FixedClock(), ids["shop"], ids["services"][0]

        async def query() -> list[Any]:
            return await find_slots(uow, clock, shop, service, None, FIRST_DAY, LAST_DAY)

        slots = await query()
        samples = await timed(query, args.runs, args.warmup)
        baseline = await pure_baseline(uow, shop, service, args) if name == "large" else None
        return Result(name, len(rows), in_window, len(slots), samples), baseline
    finally:
        await engine.dispose()


def utc_window_of_month() -> tuple[datetime, datetime]:
    start = datetime.combine(FIRST_DAY, clock_time(0), tzinfo=TZ).astimezone(UTC)
    end = datetime.combine(LAST_DAY + timedelta(days=1), clock_time(0), tzinfo=TZ)
    return start, end.astimezone(UTC)


async def pure_baseline(
    uow_factory: UnitOfWorkFactory, shop_id: int, service_id: int, args: argparse.Namespace
) -> Result:
    """`free_slots` alone on the inputs find_slots loads (read once here), no database."""
    async with uow_factory.read_only() as uow:
        shop = await uow.catalog.shop(shop_id)
        service = await uow.catalog.service(shop_id, service_id)
        assert shop is not None
        assert service is not None
        pro_ids = sorted(service.professional_ids)
        first, last = bookable_days(shop, NOW, FIRST_DAY, LAST_DAY)
        start, end = utc_window(shop, first, last)
        schedules = await uow.catalog.schedules(pro_ids, start, end)
        busy = await uow.bookings.busy_blocks(pro_ids, start, end, NOW)
        calendar = ShopCalendar.build(
            shop.policy.open_on_holidays, await uow.catalog.day_overrides(shop.id, first, last)
        )
        total = await uow.session.scalar(select(func.count()).select_from(BookingRow))

    def compute() -> list[Any]:
        return free_slots(shop=shop, service=service, schedules=schedules, busy=busy,
                          calendar=calendar, first_day=first, last_day=last, now=NOW)

    async def call() -> list[Any]:
        return compute()

    samples = await timed(call, args.runs, args.warmup)
    return Result("free_slots", total or 0, len(busy), len(compute()), samples)


def report(small: Result, large: Result, pure: Result, engine: str, args: Any) -> None:
    print(f"\n30-day availability, service 'Corte', any of {PROFESSIONALS} professionals, "
          f"{FIRST_DAY}..{LAST_DAY}, {engine}, {args.runs} runs after {args.warmup} warm-up")
    print(f"{'case':<22}{'bookings':>10}{'in window':>11}{'slots':>7}{'median ms':>11}"
          f"{'p95 ms':>9}")
    for r, label in ((small, "find_slots small"), (large, "find_slots large"),
                     (pure, "free_slots alone*")):
        print(f"{label:<22}{r.total:>10,}{r.in_window:>11,}{r.slots:>7,}"
              f"{r.median:>11.2f}{r.p95:>9.2f}")
    print(f"* large shop's inputs, no database ({pure.in_window} busy blocks); it is "
          f"{pure.median / large.median:.0%} of the large median, the rest is storage")
    ratio = large.median / small.median
    print(f"\nlarge median {large.median:.2f} ms  (goal < 10 ms)   "
          f"{'PASS' if large.median < 10 else 'FAIL'}")
    print(f"ratio large/small {ratio:.2f}       (goal < 1.5)    "
          f"{'PASS' if ratio < 1.5 else 'FAIL'}")
    print(f"large / free_slots alone {large.median / pure.median:.1f}x (baseline, same run)")


async def main(args: argparse.Namespace) -> None:
    url = args.database_url or "sqlite+aiosqlite://"
    engine = "SQLite (temp file)" if is_sqlite(url) else f"PostgreSQL ({url.split('@')[-1]})"
    with tempfile.TemporaryDirectory(prefix="barberpro-bench-") as directory:
        print(f"loading on {engine} (takes a while for 100,000 bookings)")
        small, _ = await bench(await reset(url, Path(directory), "small"), "small", 1_000, args)
        large, pure = await bench(await reset(url, Path(directory), "large"), "large", 100_000,
                                  args)
    if small.slots != large.slots:
        print(f"WARNING: the two shops differ in slots ({small.slots} vs {large.slots})")
    report(small, large, pure, engine, args)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50, help="timed runs per case (default 50)")
    parser.add_argument("--warmup", type=int, default=5, help="untimed runs first (default 5)")
    parser.add_argument(
        "--database-url",
        help="PostgreSQL URL (postgresql+asyncpg://...) instead of a temporary SQLite file. "
        "WARNING: DESTROYS THAT DATABASE: runs DROP SCHEMA public CASCADE; CREATE SCHEMA public "
        "(twice). Never point it at data you want to keep.",
    )
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse()))
