"""Memory bench: the server's RSS with 10,000 live conversations, each stopped mid-booking.

Starts `barberpro serve` (sandbox on) on a fresh database, reads its VmRSS after start and after
a warm-up, then has `--conversations` distinct sandbox chats each say "hola" and then "<name>,
quiero un corte" (which leaves the conversation stored at the step "professional"), reading the
RSS as they accumulate. `--tracemalloc` runs the same app in this process instead, to say which
Python structures grow. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import uvloop
from chat import (
    NAMES,
    WIPE_WARNING,
    Connections,
    Customer,
    Pacer,
    Stats,
    barberpro,
    barberpro_server,
    server_env,
    wipe,
)

GOAL_MB = 150.0
# The client runs in the same process in --tracemalloc mode: its allocations are not the server's.
CLIENT_SIDE = [
    tracemalloc.Filter(False, "*/bench/*"),
    tracemalloc.Filter(False, "*/httpx/*"),
    tracemalloc.Filter(False, "*/httpcore/*"),
    tracemalloc.Filter(False, tracemalloc.__file__),  # the snapshots themselves
    tracemalloc.Filter(False, "*/collections/__init__.py"),  # the bench's Counters of types
]
SUSPECTS = (  # per-chat structures a long-running server keeps: (label, attribute path on app)
    ("Dispatcher._locks (per-chat asyncio.Lock)", "dispatcher._locks"),
    ("Dispatcher._users (per-chat waiters)", "dispatcher._users"),
    ("CatalogCache._catalogs (per shop)", "dispatcher.catalogs._catalogs"),
    ("OutboxWorker._chats (per-chat TokenBucket)", "outbox._chats"),
)


def rss_kb(pid: int, field: str = "VmRSS") -> int:
    """A memory figure of process `pid` from /proc/<pid>/status, in kB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} for {pid}")


def mb(kb: float) -> str:
    """kB as MB, one decimal."""
    return f"{kb / 1024:.1f} MB"


async def warm_up(connections: Connections, errors: list[str]) -> None:
    """A few whole conversations (two bookings each): imports, caches, pools at their size."""
    warm = [Customer(connections, f"warm-{n}", Pacer(Stats()), random.Random(n)) for n in range(8)]
    await asyncio.gather(*(w.run(2) for w in warm))
    for w in warm:
        errors += w.pacer.stats.errors + [f"WARNING {u}" for u in w.pacer.stats.unexpected]


async def converse(
    connections: Connections,
    total: int,
    concurrency: int,
    every: int,
    sample: Callable[[int], Awaitable[None]],
) -> tuple[Counter[str], list[str]]:
    """`total` new chats: "hola", then a name with "quiero un corte"; `sample` every `every`."""
    steps: Counter[str] = Counter()
    errors: list[str] = []
    started, finished = 0, 0

    async def worker(n: int) -> None:
        nonlocal started, finished
        rng = random.Random(n)
        while started < total:
            chat, started = started, started + 1
            customer = Customer(connections, f"mem-{chat}", Pacer(Stats()), rng)
            try:
                await customer.post({"text": "hola"})
                await customer.post({"text": f"{rng.choice(NAMES)}, quiero un corte"})
            except Exception as error:  # counted and shown: the run goes on
                errors.append(f"{type(error).__name__}: {error}")
            errors.extend(customer.stats.errors)
            steps[customer.step] += 1
            finished += 1
            if finished % every == 0:
                await sample(finished)

    await asyncio.gather(*(worker(n) for n in range(concurrency)))
    return steps, errors


def report(
    rows: list[tuple[str, int, int]], total: int, steps: Counter[str], errors: list[str]
) -> None:
    """RSS by stage, growth per conversation, the goal."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"\nserver RSS (VmRSS of the server process); load average now {load}")
    print(f"{'stage':<28}{'conversations':>14}{'RSS':>12}{'vs warm-up':>12}")
    warm = rows[1][2]
    for stage, conversations, kb in rows:
        print(f"{stage:<28}{conversations:>14,}{mb(kb):>12}{mb(kb - warm):>12}")
    end, first = rows[-1], rows[2]
    print(f"\ngrowth per conversation: {(end[2] - warm) / total * 1024:,.0f} bytes (from warm-up)")
    if end[1] > first[1]:
        slope = (end[2] - first[2]) / (end[1] - first[1]) * 1024
        print(f"  between {first[1]:,} and {end[1]:,}: {slope:,.0f} bytes a conversation")
    peak = rows[-1][2]
    verdict = "PASS" if peak / 1024 <= GOAL_MB else "FAIL"
    print(f"RSS with {total:,} conversations {mb(peak)}   goal <= {GOAL_MB:g} MB   {verdict}")
    print(f"steps the conversations stopped at: {dict(steps)}")
    print(f"errors {len([e for e in errors if not e.startswith('WARNING')])}")
    for problem in errors[:5]:
        print(f"  {problem}")


# The app's heavy imports in dependency order, then the app itself: what each adds to the RSS of
# a fresh interpreter (an import's cost depends on what came before it, so the order is fixed).
IMPORTS = [
    "pydantic",
    "pydantic_settings",
    "sqlalchemy",
    "aiosqlite",
    "asyncpg",
    "fastapi",
    "uvicorn",
    "httpx",
    "alembic",
    "telegram",
    "requests",
    "mercadopago",
    "twilio",
    "holidays",
    "babel",
    "jinja2",
    "segno",
    "stdnum",
    "apscheduler",
    "typer",
    "domain.storage.uow",
    "conversations.engine",
    "bot.dispatcher",
    "web.app",
    "bot.cli",
]
PROBE = """
import importlib, pathlib, sys

def rss():
    status = pathlib.Path("/proc/self/status").read_text().splitlines()
    return int(next(x for x in status if x.startswith("VmRSS:")).split()[1])

print("python alone", rss())
for name in sys.argv[1:]:
    importlib.import_module(name)
    print(name, rss())
"""


def import_rss() -> list[tuple[str, int]]:
    """The RSS of a fresh interpreter, alone then after each of IMPORTS in turn: the floor."""
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *IMPORTS], capture_output=True, text=True, check=True
    )
    return [(n, int(kb)) for n, kb in (x.rsplit(" ", 1) for x in done.stdout.splitlines())]


def report_imports() -> None:
    """What importing the app costs, package by package (cumulative, in IMPORTS' order)."""
    steps = import_rss()
    print(
        f"\nthe floor: a fresh interpreter {mb(steps[0][1])}; importing the app {mb(steps[-1][1])}"
    )
    print("  each import adds (in this order; MB):")
    added = [(n, kb - before) for (n, kb), (_, before) in zip(steps[1:], steps, strict=False)]
    line = ", ".join(f"{n} {kb / 1024:.1f}" for n, kb in added if kb >= 512)
    print(f"  {line}")
    small = [n for n, kb in added if kb < 512]
    print(f"  (under 0.5 MB each: {', '.join(small)})")


async def against_server(base: str, pid: int, args: argparse.Namespace) -> int:
    """The subprocess server: RSS after start, after warm-up, then as conversations pile up."""
    rows = [("after start", 0, rss_kb(pid))]
    connections = Connections(base, args.concurrency)
    errors: list[str] = []
    await warm_up(connections, errors)
    await asyncio.sleep(1)  # let background loops settle after the burst
    rows.append(("after warm-up", 0, rss_kb(pid)))

    async def sample(done: int) -> None:
        rows.append(("live conversations", done, rss_kb(pid)))
        print(f"  {done:,} conversations: {mb(rows[-1][2])}", flush=True)

    began = time.perf_counter()
    steps, more = await converse(
        connections, args.conversations, args.concurrency, args.every, sample
    )
    took = time.perf_counter() - began
    await connections.aclose()
    await asyncio.sleep(1)
    rows.append(("after, idle 1 s", args.conversations, rss_kb(pid)))
    print(f"  ({took:.0f} s; peak VmHWM {mb(rss_kb(pid, 'VmHWM'))})")
    report(rows, args.conversations, steps, errors + more)
    report_imports()
    return len([e for e in errors + more if not e.startswith("WARNING")])


def suspects(app: Any) -> dict[str, int]:
    """The length of each per-chat structure named in SUSPECTS."""
    sizes = {}
    for label, path in SUSPECTS:
        value: Any = app.state
        for name in path.split("."):
            value = getattr(value, name, None)
        sizes[label] = len(value) if value is not None else -1
    return sizes


def where(stat: tracemalloc.StatisticDiff) -> str:
    """The allocating line as package/file.py:line."""
    frame = stat.traceback[0]
    return f"{Path(frame.filename).parent.name}/{Path(frame.filename).name}:{frame.lineno}"


def by_package(snapshot: tracemalloc.Snapshot, top: int) -> None:
    """The traced Python heap after start-up, summed by the top-level package that allocated."""
    sizes: Counter[str] = Counter()
    for stat in snapshot.statistics("filename"):
        path = Path(stat.traceback[0].filename)
        parts = path.parts
        if "site-packages" in parts:
            package = parts[parts.index("site-packages") + 1]
        elif "wt-bench" in parts or Path.cwd() in path.parents:
            package = f"project: {path.relative_to(Path.cwd()).parts[0]}"
        else:
            package = f"stdlib: {path.stem}" if path.suffix == ".py" else str(path)
        sizes[package.split(".")[0] if package[0] != "<" else package] += stat.size
    total = sum(sizes.values())
    print(f"Python heap after start-up (tracemalloc) {total / 2**20:.1f} MB; largest packages:")
    for package, size in sizes.most_common(top):
        print(f"  {size / 2**20:>7.1f} MB  {package}")


def type_counts() -> Counter[str]:
    """Live objects tracked by the garbage collector, by type."""
    return Counter(type(o).__qualname__ for o in gc.get_objects())


async def in_process(url: str, saved: Path, args: argparse.Namespace) -> int:
    """The app in this process (ASGI, no sockets) under tracemalloc: what grows, and where."""
    from bot.settings import Settings
    from web.app import create_app

    app = create_app(Settings(database_url=url, sandbox=True))
    async with app.router.lifespan_context(app):
        connections = Connections("http://bench", args.concurrency, app)
        errors: list[str] = []
        gc.collect()
        started = tracemalloc.take_snapshot()
        by_package(started, args.top)
        started = started.filter_traces(CLIENT_SIDE)
        await warm_up(connections, errors)
        gc.collect()
        before = tracemalloc.take_snapshot().filter_traces(CLIENT_SIDE)
        warm_stats = before.compare_to(started, "lineno")
        warm_grown = sum(s.size_diff for s in warm_stats)
        warm_stats = warm_stats[: args.top]
        # Snapshots are traced Python objects themselves: kept on disk, out of the diffs.
        before.dump(str(saved))
        del started, before
        gc.collect()
        types_before, sizes_before = type_counts(), suspects(app)

        async def sample(done: int) -> None:
            print(f"  {done:,} conversations", flush=True)

        steps, more = await converse(
            connections, args.conversations, args.concurrency, args.every, sample
        )
        gc.collect()
        types_after, sizes_after = type_counts(), suspects(app)
        after = tracemalloc.take_snapshot().filter_traces(CLIENT_SIDE)
        before = tracemalloc.Snapshot.load(str(saved))
        await connections.aclose()
    n = args.conversations
    print(f"\nin-process, tracemalloc: {n:,} conversations after the warm-up; steps {dict(steps)}")
    print("\nper-chat structures (entries before -> after):")
    for label, size in sizes_after.items():
        print(f"  {label:<46}{sizes_before[label]:>7,} -> {size:,}")
    print(
        f"\nthe warm-up (8 chats, 2 bookings each) grew the Python heap {warm_grown / 1024:,.0f} "
        f"kB; largest differences by line (size, count):"
    )
    for stat in warm_stats[: args.top]:
        print(f"  {stat.size_diff / 1024:>9,.1f} kB {stat.count_diff:>+9,}  {where(stat)}")
    stats = after.compare_to(before, "lineno")
    grown = sum(s.size_diff for s in stats)
    print(
        f"\n{n:,} conversations grew the Python heap (tracemalloc) {grown / 1024:,.0f} kB = "
        f"{grown / n:,.0f} bytes a conversation; largest differences by line (size, count, "
        f"bytes per conversation):"
    )
    for stat in stats[: args.top]:
        print(
            f"  {stat.size_diff / 1024:>9,.1f} kB {stat.count_diff:>+9,}"
            f" {stat.size_diff / n:>8,.0f}  {where(stat)}"
        )
    print("\nlive objects by type (gc), largest increases:")
    diff = Counter({t: types_after[t] - types_before.get(t, 0) for t in types_after})
    for name, count in diff.most_common(args.top):
        print(f"  {count:>+9,}  {count / n:>6.2f}/conversation  {name}")
    problems = [e for e in errors + more if not e.startswith("WARNING")]
    print(f"\nerrors {len(problems)}")
    for problem in problems[:5]:
        print(f"  {problem}")
    return len(problems)


def prepare(url: str) -> None:
    """Migrate and seed the demo shop, as the server bench does."""
    for command in (["db", "upgrade"], ["demo", "seed"]):
        done = subprocess.run(
            [*barberpro(), *command], env=server_env(url), capture_output=True, text=True
        )
        if done.returncode:
            raise SystemExit(f"barberpro {' '.join(command)} failed:\n{done.stderr[-2000:]}")


def main(args: argparse.Namespace) -> int:
    """Server RSS (default) or the in-process tracemalloc diff; non-zero only on errors."""
    target = "pg1" if args.database_url else "sqlite"
    if args.database_url:
        print(WIPE_WARNING)
    with tempfile.TemporaryDirectory(prefix="barberpro-memory-") as tmp:
        if args.tracemalloc:
            url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'memory.db'}"
            if args.database_url:
                asyncio.run(wipe(url))
            prepare(url)
            tracemalloc.start(1)
            return 1 if uvloop.run(in_process(url, Path(tmp) / "before.snapshot", args)) else 0
        print(f"{target}: preparing the database and starting `barberpro serve`", flush=True)
        with barberpro_server(target, Path(tmp), args.database_url) as running:
            pid = running.process.pid
            print(f"  {args.conversations:,} conversations, {args.concurrency} at once", flush=True)
            return 1 if uvloop.run(against_server(running.base, pid, args)) else 0


def parse() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, help="(10,000; 1,000 with --tracemalloc)")
    parser.add_argument("--concurrency", type=int, default=16, help="chats at once (16)")
    parser.add_argument("--every", type=int, help="read the RSS every N conversations")
    parser.add_argument(
        "--database-url", help="postgresql+asyncpg://... a scratch database: IT IS WIPED"
    )
    parser.add_argument(
        "--tracemalloc", action="store_true", help="in-process: which structures grow"
    )
    parser.add_argument("--top", type=int, default=15, help="--tracemalloc: lines shown (15)")
    args = parser.parse_args()
    if args.conversations is None:
        args.conversations = 1000 if args.tracemalloc else 10_000
    args.every = args.every or max(1, args.conversations // 10)
    return args


if __name__ == "__main__":
    sys.exit(main(parse()))
