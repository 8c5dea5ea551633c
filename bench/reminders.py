"""Reminder bench: 10,000 reminders due at the same minute, through the real job loop.

Builds a shop with `--reminders` confirmed bookings whose customers each have a sandbox chat,
plans one reminder job per booking, all due at one minute, then times `JobLoop.run_once()` with
the real `Reminders` handler and the sandbox channel (renders to the outbox, no network), and
then the `OutboxWorker` delivering that outbox. The baseline, measured in the same run, is one
empty write transaction through `UnitOfWorkFactory`. Checks by querying that every booking got
exactly one reminder. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from availability import reset  # bench/availability.py: a fresh, migrated database
from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.channels.base import Limits
from bot.channels.sandbox import SandboxChannel
from bot.dispatcher import Dispatcher
from bot.outbox import OutboxWorker
from bot.reminders import KIND, Reminders
from bot.scheduler import BATCH, BULK_BATCH, JobLoop
from conversations.state import State, Step
from domain.model import session_key
from domain.storage import tables
from domain.storage.engine import is_sqlite, make_engine
from domain.storage.jobs import Job, NewJob, schedule_jobs
from domain.storage.uow import UnitOfWorkFactory

# A Tuesday, 09:00 in Buenos Aires; every job is due at 08:59 (one minute, a backlog's worth).
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
DUE = NOW - timedelta(seconds=45)
TZ = "America/Argentina/Buenos_Aires"
PROFESSIONALS = 50
TURNO = timedelta(minutes=30)
TELEGRAM_PER_SECOND = 25  # Telegram's overall limit for one bot
CHUNK = 5_000
WARNING = "WARNING: --database-url WIPES THAT DATABASE (DROP SCHEMA public CASCADE)."


class Clock:
    """The bench's fixed clock."""

    def now(self) -> datetime:
        return NOW


class UnpacedSandbox(SandboxChannel):
    """The sandbox channel with limits that never make a message wait (see the README)."""

    limits = Limits(per_second=1e9, chat_burst=1_000_000, chat_per_second=1e9)


async def load(engine: AsyncEngine, n: int) -> int:
    """A shop, its barbers and a service; `n` customers, each with a sandbox chat and one
    confirmed turno in the coming days (barbers' turnos back to back, never overlapping)."""
    async with engine.begin() as conn:

        async def one(table: Any, **values: Any) -> int:
            return int((await conn.execute(insert(table).returning(table.id), [values])).scalar())

        shop = await one(
            tables.ShopRow,
            slug="bench",
            name="Barbería Bench",
            vertical="barberia",
            timezone=TZ,
            currency="ARS",
            locale="es_AR",
            min_notice_minutes=60,
            max_days_ahead=60,
            slot_step_minutes=15,
            hold_minutes=10,
            free_cancellation_hours=24,
            open_on_holidays=False,
            created_at=NOW - timedelta(days=365),
        )
        pros = [
            await one(tables.ProfessionalRow, shop_id=shop, name=f"Barbero {p + 1}", active=True)
            for p in range(PROFESSIONALS)
        ]
        service = await one(
            tables.ServiceRow,
            shop_id=shop,
            name="Corte",
            duration_minutes=30,
            price_cents=800_000,
            currency="ARS",
            buffer_before_minutes=0,
            buffer_after_minutes=0,
            seats=1,
            active=True,
        )
        await conn.execute(
            insert(tables.ServiceProfessionalRow),
            [{"service_id": service, "professional_id": p} for p in pros],
        )
        customers = [{"phone": f"+54911{c:08d}", "created_at": NOW} for c in range(n)]
        for chunk in range(0, n, CHUNK):
            await conn.execute(insert(tables.CustomerRow), customers[chunk : chunk + CHUNK])
        ids = list((await conn.scalars(select(tables.CustomerRow.id).order_by("id"))).all())
        known = [
            {"shop_id": shop, "customer_id": c, "name": f"Cliente {c}", "created_at": NOW}
            for c in ids
        ]
        for chunk in range(0, n, CHUNK):
            await conn.execute(insert(tables.ShopCustomerRow), known[chunk : chunk + CHUNK])
        state = json.dumps(State(step=Step.MENU, updated_at=NOW).to_json())
        chats = [
            {
                "channel": "sandbox",
                "chat_id": f"bench-{c}",
                "shop_id": shop,
                "customer_id": customer,
                "state": state,
                "version": 1,
                "updated_at": NOW - timedelta(days=1),
            }
            for c, customer in enumerate(ids)
        ]
        bookings = []
        first = NOW + timedelta(hours=2)
        for c, customer in enumerate(ids):
            pro = pros[c % PROFESSIONALS]
            start = first + TURNO * (c // PROFESSIONALS)
            bookings.append(
                {
                    "shop_id": shop,
                    "service_id": service,
                    "professional_id": pro,
                    "customer_id": customer,
                    "starts_at": start,
                    "ends_at": start + TURNO,
                    "block_start": start,
                    "block_end": start + TURNO,
                    "session_key": session_key(pro, service, start),
                    "seat_no": 1,
                    "capacity": 1,
                    "status": "confirmed",
                    "price_cents": 800_000,
                    "currency": "ARS",
                    "created_at": NOW - timedelta(days=2),
                    "late_cancellation": False,
                    "payment_method": "cash",
                }
            )
        for rows, table in ((chats, tables.ConversationRow), (bookings, tables.BookingRow)):
            for chunk in range(0, n, CHUNK):
                await conn.execute(insert(table), rows[chunk : chunk + CHUNK])
    async with engine.connect() as conn:  # fresh statistics, as a long-lived database has
        if is_sqlite(str(engine.url)):
            await conn.execute(text("ANALYZE"))
            await conn.commit()
        else:
            autocommit = await conn.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM ANALYZE"))
    return shop


async def plan(uow_factory: UnitOfWorkFactory, shop: int) -> int:
    """One reminder job per booking, keyed as bot.reminders plans them, all due at DUE."""
    async with uow_factory.read_only() as uow:
        booking_ids = list((await uow.session.scalars(select(tables.BookingRow.id))).all())
    jobs = (NewJob(KIND, f"{KIND}:{b}:2h", DUE, shop, b, {"hours_before": 2}) for b in booking_ids)
    return await schedule_jobs(uow_factory, jobs)


def pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[max(0, int(q * len(ordered) + 0.999999) - 1)]


async def baseline(uow_factory: UnitOfWorkFactory, runs: int) -> list[float]:
    """Milliseconds per empty write transaction through the unit of work: BEGIN (IMMEDIATE on
    SQLite), COMMIT. `session.connection()` opens it: a commit alone touches no database."""
    for _ in range(50):
        async with uow_factory() as uow:
            await uow.session.connection()
            await uow.commit()
    samples = []
    for _ in range(runs):
        began = time.perf_counter()
        async with uow_factory() as uow:
            await uow.session.connection()
            await uow.commit()
        samples.append((time.perf_counter() - began) * 1000)
    return samples


def timed(handler: Callable[[Job], Awaitable[None]], into: list[float]) -> Callable[[Job], Any]:
    """The handler, its time per job (milliseconds) appended to `into`."""

    async def run(job: Job) -> None:
        began = time.perf_counter()
        await handler(job)
        into.append((time.perf_counter() - began) * 1000)

    return run


def timed_batch(
    handler: Callable[[Sequence[Job], str], Awaitable[Sequence[Job]]],
    into: list[tuple[int, float]],
) -> Callable[[Sequence[Job], str], Awaitable[Sequence[Job]]]:
    """The batch handler, (jobs it did, milliseconds) of each batch appended to `into`."""

    async def run(jobs: Sequence[Job], worker: str) -> Sequence[Job]:
        began = time.perf_counter()
        left = await handler(jobs, worker)
        into.append((len(jobs) - len(left), (time.perf_counter() - began) * 1000))
        return left

    return run


async def deliver(worker: OutboxWorker, uow_factory: UnitOfWorkFactory) -> int:
    """Rounds of the outbox worker until nothing is pending; returns the rounds."""
    rounds = 0
    while True:
        started = await worker.run_once()
        await worker.drain()
        rounds += 1
        if started == 0:
            async with uow_factory.read_only() as uow:
                pending = await uow.session.scalar(
                    select(func.count()).where(tables.OutboxRow.status == "pending")
                )
            if not pending:
                return rounds


async def verify(uow_factory: UnitOfWorkFactory, n: int) -> list[str]:
    """Exactly one reminder per booking, in its customer's chat, none lost or duplicated."""
    problems = []
    async with uow_factory.read_only() as uow:
        s = uow.session
        jobs = (
            await s.execute(
                select(tables.JobRow.id, tables.JobRow.status, tables.JobRow.booking_id)
            )
        ).all()
        booking_of = {f"job:{job_id}:0": booking for job_id, _, booking in jobs}
        statuses = Counter(status for _, status, _ in jobs)
        rows = (
            await s.execute(
                select(
                    tables.OutboxRow.dedupe_key,
                    tables.OutboxRow.chat_id,
                    tables.OutboxRow.status,
                    tables.OutboxRow.payload,
                )
            )
        ).all()
        owners = dict(
            (
                await s.execute(
                    select(tables.ConversationRow.chat_id, tables.BookingRow.id).join(
                        tables.BookingRow,
                        tables.BookingRow.customer_id == tables.ConversationRow.customer_id,
                    )
                )
            ).all()
        )
    keys = [key or "" for key, *_ in rows]
    if statuses != Counter({"done": n}):
        problems.append(f"jobs: {dict(statuses)}, expected {n} done")
    if len(rows) != n:
        problems.append(f"{len(rows)} outbox messages, expected {n}")
    reminded = Counter(booking_of.get(key) for key in keys)
    if len(set(keys)) != len(keys) or set(keys) != set(booking_of):
        problems.append("dedupe keys: not one distinct job:<id>:0 per job")
    if Counter(chat for _, chat, *_ in rows).most_common(1)[0][1] != 1:
        problems.append("a chat got more than one message")
    if len(owners) != n or {chat for _, chat, *_ in rows} != set(owners):
        problems.append("the messages' chats are not the customers' chats")
    if None in reminded or len(reminded) != n or set(reminded.values()) != {1}:
        problems.append("not exactly one message per booking")
    if any(status != "sent" for *_, status, _ in rows):
        problems.append(f"outbox statuses: {Counter(status for *_, status, _ in rows)}")
    if not all(json.loads(payload)["text"].startswith("⏰") for *_, payload in rows):
        problems.append("a message is not a reminder")
    return problems


async def run(args: argparse.Namespace, directory: Path) -> int:
    n = args.reminders
    url = await reset(args.database_url or "sqlite+aiosqlite://", directory, "reminders")
    engine = make_engine(url)
    uow_factory = UnitOfWorkFactory(engine)
    clock = Clock()
    try:
        began = time.perf_counter()
        shop = await load(engine, n)
        loaded = time.perf_counter() - began
        began = time.perf_counter()
        planned = await plan(uow_factory, shop)
        scheduled = time.perf_counter() - began
        print(
            f"loaded {n:,} bookings and chats in {loaded:.1f} s; {planned:,} jobs planned in "
            f"{scheduled:.1f} s (schedule_jobs)"
        )

        unit = await baseline(uow_factory, args.baseline_runs or n)

        handler_ms: list[float] = []
        batches: list[tuple[int, float]] = []
        channels: dict[str, Any] = {"sandbox": SandboxChannel()}
        reminders = Reminders(uow_factory, clock, Dispatcher(uow_factory, clock), channels)
        bulk = {} if args.one_by_one else {KIND: timed_batch(reminders.run_batch, batches)}
        loop = JobLoop(
            uow_factory, clock, {KIND: timed(reminders.run, handler_ms)}, 60, batch_handlers=bulk
        )
        gc.collect()
        began, cpu_began = time.perf_counter(), time.process_time()
        ran = await loop.run_once()
        loop_s = time.perf_counter() - began
        loop_cpu_s = time.process_time() - cpu_began

        sandbox = UnpacedSandbox() if args.unpaced else SandboxChannel()
        worker = OutboxWorker(uow_factory, {"sandbox": sandbox}, clock)
        gc.collect()
        began = time.perf_counter()
        rounds = await deliver(worker, uow_factory)
        deliver_s = time.perf_counter() - began

        problems = await verify(uow_factory, n)
    finally:
        await engine.dispose()

    database = "SQLite (file)" if is_sqlite(url) else "PostgreSQL"
    unit_median = statistics.median(unit)
    per_job = loop_s / max(ran, 1) * 1000
    batch = BATCH if args.one_by_one else BULK_BATCH
    claims = -(-n // batch)
    print(f"\n{database}: {n:,} reminders due at the same minute; JobLoop.run_once() ran {ran:,}")
    print(f"{'row':<34}{'total s':>9}{'ms each':>9}{'median':>8}{'p95':>8}{'units':>7}")

    def row(name: str, total: float | None, each: float, samples: list[float] | None) -> None:
        cells = (
            f"{statistics.median(samples):>8.2f}{pct(samples, 0.95):>8.2f}"
            if samples
            else f"{'':>8}{'':>8}"
        )
        total_cell = f"{total:>9.1f}" if total is not None else f"{'':>9}"
        print(f"{name:<34}{total_cell}{each:>9.2f}{cells}{each / unit_median:>7.1f}")

    row("baseline: empty write uow", sum(unit) / 1000, statistics.mean(unit), unit)
    row("reminder (loop: claim+run+finish)", loop_s, per_job, None)
    rest = per_job
    if batches:
        in_bulk = sum(done for done, _ in batches)
        bulk_s = sum(ms for _, ms in batches) / 1000
        # median / p95 columns: one batch's milliseconds per reminder it did
        each = [ms / done for done, ms in batches if done]
        row(f"  of which in bulk ({in_bulk:,})", bulk_s, bulk_s * 1000 / max(ran, 1), each)
        rest -= bulk_s * 1000 / max(ran, 1)
    if handler_ms:
        one_s = sum(handler_ms) / 1000
        row(f"  of which one by one ({len(handler_ms):,})", one_s, one_s * 1000 / ran, handler_ms)
        rest -= one_s * 1000 / max(ran, 1)
    row("  of which claim + finish", None, rest, None)
    pacing = "limits off" if args.unpaced else "sandbox limits (1,000/s)"
    row(f"outbox delivery ({pacing})", deliver_s, deliver_s / n * 1000, None)
    print(
        f"({claims:,} claims of {batch}; {rounds:,} outbox rounds; 'units' = ms each / the "
        f"baseline's median {unit_median:.2f} ms)"
    )
    print(
        f"loop throughput {ran / loop_s:,.0f} reminders/s; delivery {n / deliver_s:,.0f} messages/s"
    )
    print(
        f"loop CPU time of this process (all its threads; PostgreSQL's own not counted): "
        f"{loop_cpu_s * 1000 / max(ran, 1):.2f} ms a reminder"
    )
    print(
        f"paced at the channel's limit: {n:,} messages at Telegram's {TELEGRAM_PER_SECOND}/s "
        f"overall = {n / TELEGRAM_PER_SECOND:,.0f} s (computed, not run)"
    )
    print(
        f"check: {'OK' if not problems else 'FAILED'} — {n:,} reminder messages, one per booking "
        "and chat, distinct dedupe keys, all jobs done, all sent"
    )
    for problem in problems:
        print(f"  {problem}")
    return 1 if problems else 0


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reminders", type=int, default=10_000, help="how many (10,000)")
    parser.add_argument(
        "--baseline-runs", type=int, help="empty transactions timed (default: --reminders)"
    )
    parser.add_argument(
        "--unpaced",
        action="store_true",
        help="deliver with the sandbox's limits lifted (the worker's own cost)",
    )
    parser.add_argument(
        "--one-by-one",
        action="store_true",
        help="no batch handler: every reminder through Reminders.run (the path before bulk)",
    )
    parser.add_argument("--database-url", help="PostgreSQL URL instead of a SQLite file")
    return parser.parse_args()


def main(args: argparse.Namespace) -> int:
    if args.database_url:
        print(WARNING)
    with tempfile.TemporaryDirectory(prefix="barberpro-bench-") as tmp:
        return asyncio.run(run(args, Path(tmp)))


if __name__ == "__main__":
    sys.exit(main(parse()))
