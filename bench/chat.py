"""Chat bench: simulated customers booking through the sandbox endpoint of real servers.

Closed loop (default): for each case (a database, a number of server processes and a number of
chats) the customers book and cancel turnos back to back; a bare FastAPI JSON endpoint is timed
with the same client at the same concurrencies. Open loop (`--open-loop`): messages arrive at
fixed Poisson rates from a pool of chats; latency counts from each message's scheduled arrival.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import re
import socket
import subprocess
import sys
import tempfile
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvloop  # installed with uvicorn[standard]

NAMES = ("Juan", "Ana", "Pedro", "Carla", "Diego", "Paula", "Nicolás", "Julieta")
NAV = {"Más días", "Más tarde", "Volver", "Cancelar"}  # choices that are not a day or a turno
DEFAULT_SQLITE = ("sqlite:1", "sqlite:16", "sqlite:32")
DEFAULT_PG = ("pg1:16", "pg2:16", "pg1:32", "pg2:32")
MAX_MISSES = 5  # off-script turns in a row before a customer gives up (else it loops for ever)
HELD_MS = 100.0  # open loop: a rate is "held" while its p99 stays under this
WIPE_WARNING = "WARNING: --database-url WIPES THAT DATABASE (DROP SCHEMA public CASCADE)."
BARE_APP = """
import sys
import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict

class In(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str | None = None
    choice: str | None = None

app = FastAPI()
app.get("/healthz")(lambda: {"status": "ok"})

@app.post("/echo")
async def echo(body: In) -> dict[str, object]:
    return {"replies": [{"text": body.choice or "", "choices": []}], "state": {"step": "menu"}}

uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[1]), log_level="info")
"""


class TimeUp(Exception):
    """The run (or the rate step) is over: the customer stops before sending another message."""


class Unexpected(Exception):
    """The conversation went somewhere this script does not follow (reported, then restarted)."""


@dataclass
class Stats:
    """What one case (or one open-loop rate) measured."""

    latencies: list[float] = field(default_factory=list)  # seconds, one per answered POST
    errors: list[str] = field(default_factory=list)  # non-200 answers, or no answer
    unexpected: list[str] = field(default_factory=list)
    bookings: int = 0
    cancellations: int = 0
    taken: int = 0  # "someone else got that turno": tapped another time
    restarts: int = 0  # nothing free on the day picked: started over
    elapsed: float = 0.0
    server_cpu: float = math.nan  # CPU seconds of the server's processes during the case
    client_cpu: float = math.nan  # CPU seconds of this script during the case
    arrivals: int = 0  # open loop: messages scheduled
    queued: int = 0  # open loop: arrivals that found no idle chat and waited for one
    unfinished: int = 0  # open loop: still unanswered when the drain gave up
    max_in_flight: int = 0  # open loop: most arrivals unanswered at once (sent or queued)

    def pct(self, q: float) -> float:
        """The q-quantile of the latencies, in ms (nearest rank)."""
        if not self.latencies:
            return math.nan
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000

    @property
    def rate(self) -> float:
        """Answered POSTs per second."""
        return len(self.latencies) / self.elapsed if self.elapsed else math.nan


class Pacer:
    """Closed loop: every message is sent as soon as the previous one is answered."""

    def __init__(self, stats: Stats, deadline: float = math.inf, count: float = math.inf) -> None:
        self.stats, self.deadline, self.left = stats, deadline, count

    async def next(self) -> tuple[float, Stats]:
        """When this message counts from (now), and where its latency goes; TimeUp when over."""
        if self.left <= 0 or time.perf_counter() >= self.deadline:
            raise TimeUp
        self.left -= 1
        return time.perf_counter(), self.stats

    def done(self) -> None:
        """The message was answered (or failed)."""


class Arrivals(Pacer):
    """Open loop: Poisson arrivals handed to idle chats; latency counts from the schedule.

    A chat asks for its next message with `next()` only once its previous one was answered, so
    no chat has two in flight. An arrival with no idle chat waits in a backlog (counted as
    queued) and goes to the next chat that becomes idle, still timed from its schedule.
    """

    def __init__(self) -> None:
        super().__init__(Stats())
        self.idle: deque[asyncio.Future[tuple[float, Stats]]] = deque()
        self.backlog: deque[tuple[float, Stats]] = deque()
        self.in_flight = 0  # arrivals not answered yet: sent, or in the backlog
        self.closed = False
        self.settled = asyncio.Event()  # nothing in flight, nothing queued
        self.settled.set()  # a step with no arrival at all has nothing to wait for

    async def next(self) -> tuple[float, Stats]:
        """Wait for an arrival addressed to this chat."""
        if self.closed:
            raise TimeUp
        if self.backlog:
            return self.backlog.popleft()
        waiter: asyncio.Future[tuple[float, Stats]] = asyncio.get_running_loop().create_future()
        self.idle.append(waiter)
        return await waiter

    def done(self) -> None:
        """One message answered: the run may be settled."""
        self.in_flight -= 1
        if not self.in_flight and not self.backlog:
            self.settled.set()

    def arrive(self, scheduled: float, stats: Stats) -> None:
        """A message arrives (at `scheduled`): to the chat idle longest, else to the backlog."""
        stats.arrivals += 1
        self.in_flight += 1
        self.settled.clear()
        stats.max_in_flight = max(stats.max_in_flight, self.in_flight)
        while self.idle:
            waiter = self.idle.popleft()
            if not waiter.done():
                waiter.set_result((scheduled, stats))
                return
        stats.queued += 1
        self.backlog.append((scheduled, stats))

    async def step(self, rate: float, seconds: float, rng: random.Random) -> Stats:
        """Arrivals at `rate` a second for `seconds`, then wait for the answers (bounded)."""
        stats, began = Stats(), time.perf_counter()
        cpu = process_cpu()
        scheduled, end = began, began + seconds
        while True:
            scheduled += rng.expovariate(rate)
            if scheduled >= end:
                break
            # An absolute schedule: a late wake-up sends the overdue arrivals with their own times.
            if (delay := scheduled - time.perf_counter()) > 0:
                await asyncio.sleep(delay)
            self.arrive(scheduled, stats)
        drain = max(10.0, seconds)
        with suppress(TimeoutError):
            await asyncio.wait_for(self.settled.wait(), timeout=drain)
        if not self.settled.is_set():  # overloaded: what is still waiting counts as unanswered
            now = time.perf_counter()
            stats.unfinished = self.in_flight
            stats.latencies += [now - s for s, _ in self.backlog]
            self.in_flight -= len(self.backlog)
            self.backlog.clear()
        stats.elapsed = seconds
        stats.client_cpu = process_cpu() - cpu
        return stats

    def close(self) -> None:
        """No more arrivals: idle chats stop."""
        self.closed = True
        while self.idle:
            if not (waiter := self.idle.popleft()).done():
                waiter.set_exception(TimeUp())


class Connections:
    """HTTP/1.1 keep-alive connections, each its own `httpx.AsyncClient`, leased per request.

    One shared `AsyncClient` with a pool is much slower here (its pool does work per connection
    on every request), so each connection is a client of its own.
    """

    def __init__(self, base: str, n: int, app: Any = None) -> None:
        limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
        transport = httpx.ASGITransport(app=app) if app is not None else None  # in-process
        self.all = [
            httpx.AsyncClient(base_url=base, limits=limits, timeout=60, transport=transport)
            for _ in range(n)
        ]
        self.free: asyncio.Queue[httpx.AsyncClient] = asyncio.Queue()
        for client in self.all:
            self.free.put_nowait(client)

    @asynccontextmanager
    async def lease(self) -> AsyncIterator[httpx.AsyncClient]:
        """A free connection for one request (waits when all are busy)."""
        client = await self.free.get()
        try:
            yield client
        finally:
            self.free.put_nowait(client)

    async def aclose(self) -> None:
        """Close every connection."""
        await asyncio.gather(*(c.aclose() for c in self.all))


async def timed_post(
    connections: Connections, path: str, body: Any, stats: Stats, began: float
) -> Any:
    """One POST, its latency (from `began`) recorded; a non-200 answer is an error."""
    async with connections.lease() as client:
        response = await client.post(path, json=body)
    stats.latencies.append(time.perf_counter() - began)
    if response.status_code != 200:
        stats.errors.append(f"{response.status_code} {response.text[:200]}")
        raise Unexpected(f"HTTP {response.status_code}")
    return response.json()


@dataclass
class Customer:
    """One chat following the booking script, its messages paced by `pacer`."""

    connections: Connections
    chat_id: str
    pacer: Pacer
    rng: random.Random
    step: str = ""
    choices: list[dict[str, str]] = field(default_factory=list)
    stats: Stats = field(default_factory=Stats)  # the stats of the latest message

    async def post(self, body: dict[str, str]) -> None:
        """Send one message when the pacer says, note the step and the choices offered."""
        began, self.stats = await self.pacer.next()
        try:
            path = f"/sandbox/chats/{self.chat_id}/messages"
            data = await timed_post(self.connections, path, body, self.stats, began)
        finally:
            self.pacer.done()
        self.step = data["state"]["step"]
        self.choices = [c for r in data["replies"] for c in r["choices"]]

    async def tap(self, label: str) -> None:
        """Tap the choice whose label starts with `label`."""
        found = [c["id"] for c in self.choices if c["label"].startswith(label)]
        if not found:
            labels = [c["label"] for c in self.choices]
            raise Unexpected(f"no {label!r} at step {self.step}: {labels}")
        await self.post({"choice": found[0]})

    def options(self) -> list[str]:
        """Ids of the days, turnos or bookings offered, without the navigation choices."""
        if self.step == "time":
            return [c["id"] for c in self.choices if c["label"][:2].isdigit()]
        return [c["id"] for c in self.choices if c["label"] not in NAV]

    async def book(self) -> bool:
        """Sacar turno → Corte → Cualquiera → random day → random time → pay → Confirmar."""
        for label in ("Sacar turno", "Corte ·", "Cualquiera"):
            await self.tap(label)
        confirmed = False
        for _ in range(20):
            if self.step == "menu" and confirmed:
                return True
            if self.step in ("day", "time"):
                if not (options := self.options()):  # nothing free: start over
                    self.stats.restarts += 1
                    await self.tap("Cancelar")
                    return False
                self.stats.taken += confirmed  # back at "time" after Confirmar: turno taken
                confirmed = False
                await self.post({"choice": self.rng.choice(options)})
            elif self.step == "payment":
                await self.post({"choice": self.choices[0]["id"]})
            elif self.step == "confirm":
                confirmed = True
                await self.tap("Confirmar")
            else:
                break
        raise Unexpected(f"booking stuck at step {self.step!r}")

    async def cancel(self) -> None:
        """Mis turnos → the turno → Cancelarlo → Sí, cancelalo."""
        await self.tap("Mis turnos")
        await self.post({"choice": self.options()[0]})
        await self.tap("Cancelarlo")
        await self.tap("Sí, cancelalo")
        if self.step != "menu":
            raise Unexpected(f"cancel ended at step {self.step!r}")
        self.stats.cancellations += 1

    async def greet(self) -> None:
        """First contact: "hola", then a name."""
        await self.post({"text": "hola"})
        await self.post({"text": self.rng.choice(NAMES)})

    async def run(self, bookings: float, greet: bool = True) -> None:
        """Book `bookings` times; from the second booking on, cancel the previous one first."""
        holding, made, misses = False, 0, 0
        try:
            if greet:
                await self.greet()
            while made < bookings:
                try:
                    if self.step != "menu":
                        raise Unexpected(f"expected the menu, at step {self.step!r}")
                    if holding:
                        await self.cancel()
                        holding = False
                    if await self.book():
                        holding, made, misses = True, made + 1, 0
                        self.stats.bookings += 1
                except Unexpected as problem:
                    self.stats.unexpected.append(str(problem))
                    misses += 1
                    if misses >= MAX_MISSES:  # the script no longer fits the bot: stop, say so
                        self.stats.errors.append(f"{self.chat_id} gave up: {problem}")
                        return
                    await self.post({"text": "menú"})
        except httpx.HTTPError as error:
            self.stats.errors.append(f"{type(error).__name__}: {error}")
        except (TimeUp, Unexpected):
            return


async def bare_run(connections: Connections, pacer: Pacer) -> None:
    """The baseline's "customer": POST /echo whenever the pacer says, until TimeUp."""
    with suppress(TimeUp):
        while True:
            began, stats = await pacer.next()
            try:
                with suppress(Unexpected):  # a non-200 answer: counted, go on
                    await timed_post(connections, "/echo", {"choice": "2.book"}, stats, began)
            except httpx.HTTPError as error:
                stats.errors.append(f"{type(error).__name__}: {error}")
            finally:
                pacer.done()


# --- servers ----------------------------------------------------------------------------------


def process_cpu() -> float:
    """CPU seconds this process (the client) has used."""
    return time.process_time()


def tree_cpu(pid: int) -> float:
    """CPU seconds (user + system) used so far by `pid` and all its descendants (/proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    parents: dict[int, int] = {}
    used: dict[int, float] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:  # gone meanwhile
            continue
        fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "
        parents[int(entry.name)] = int(fields[1])
        used[int(entry.name)] = (int(fields[11]) + int(fields[12])) / tick
    family, frontier = {pid}, [pid]
    while frontier:
        parent = frontier.pop()
        children = [p for p, pp in parents.items() if pp == parent and p not in family]
        family.update(children)
        frontier += children
    return sum(used.get(p, 0.0) for p in family)


@dataclass
class Server:
    """A running server: its address and its top process."""

    base: str
    process: subprocess.Popen[bytes]


def healthy(base: str) -> bool:
    """The server answers /healthz."""
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def server(command: list[str], directory: Path, name: str, env: dict[str, str]) -> Iterator[Server]:
    """Run `command` + a free port, output to a log file; wait for /healthz; always stop it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base, log_path = f"http://127.0.0.1:{port}", directory / f"{name}.log"
    with log_path.open("wb") as log:
        command = [*command, str(port)]
        process = subprocess.Popen(command, cwd=directory, env=env, stdout=log, stderr=log)
        try:
            until = time.monotonic() + 60
            while not healthy(base):
                if process.poll() is not None or time.monotonic() > until:
                    tail = log_path.read_text(errors="replace")[-2000:]
                    raise SystemExit(f"the {name} server did not start:\n{tail}")
                time.sleep(0.2)
            yield Server(base, process)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def barberpro() -> list[str]:
    """The console script next to the running Python, else the module."""
    script = Path(sys.executable).with_name("barberpro")
    return [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]


async def wipe(url: str) -> None:
    """Empty a scratch PostgreSQL database (DROP SCHEMA public CASCADE), as availability.py."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            await connection.execute(text("DROP SCHEMA public CASCADE"))
            await connection.execute(text("CREATE SCHEMA public"))
    finally:
        await engine.dispose()


def server_env(url: str) -> dict[str, str]:
    """This environment without BARBERPRO_* (no channel configured), plus the database."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BARBERPRO_")}
    env["BARBERPRO_DATABASE_URL"] = url
    return env


@contextmanager
def barberpro_server(target: str, directory: Path, pg_url: str | None) -> Iterator[Server]:
    """A fresh database (migrated, demo shop seeded), then `barberpro serve` with the sandbox.

    `target` is `sqlite` (a new file in `directory`) or `pg<N>` (the scratch PostgreSQL
    database, wiped, served by N worker processes). `--workers` is passed only for N > 1.
    """
    if target == "sqlite":
        url = f"sqlite+aiosqlite:///{directory / f'bench-{time.monotonic_ns()}.db'}"
    else:
        assert pg_url is not None
        url = pg_url
        asyncio.run(wipe(url))
    env = server_env(url)
    for command in (["db", "upgrade"], ["demo", "seed"]):
        done = subprocess.run([*barberpro(), *command], env=env, capture_output=True, text=True)
        if done.returncode:
            raise SystemExit(f"barberpro {' '.join(command)} failed:\n{done.stderr[-2000:]}")
    env["BARBERPRO_SANDBOX"] = "1"
    # Hundreds of chats from one address, each booking back to back: a load test, not abuse.
    env["BARBERPRO_RATE_LIMIT_SANDBOX_NEW_CHATS"] = "off"
    env["BARBERPRO_RATE_LIMIT_SANDBOX_CHAT"] = "off"
    workers = int(target[2:]) if target.startswith("pg") else 1
    command = [*barberpro(), "serve", *(["--workers", str(workers)] if workers > 1 else [])]
    with server([*command, "--port"], directory, target, env) as running:
        yield running


@contextmanager
def bare_server(directory: Path) -> Iterator[Server]:
    """The baseline: a bare FastAPI app run with `uvicorn.run` as `barberpro serve` runs its app."""
    (directory / "bare.py").write_text(BARE_APP)
    with server(
        [sys.executable, str(directory / "bare.py")], directory, "bare", {**os.environ}
    ) as s:
        yield s


# --- closed loop ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A closed-loop case: where (`sqlite` or `pg<workers>`) and how many chats at once."""

    target: str
    chats: int

    @property
    def label(self) -> str:
        """As printed: "sqlite 16", "pg ×2 32"."""
        if self.target == "sqlite":
            return f"sqlite {self.chats}"
        return f"pg x{self.target[2:]} {self.chats}"


def parse_cases(text: str) -> list[Case]:
    """ "sqlite:1,pg2:16" → cases."""
    cases = []
    for item in text.split(","):
        if not (match := re.fullmatch(r"(sqlite|pg[1-9][0-9]*):([1-9][0-9]*)", item.strip())):
            raise SystemExit(f"--cases: {item!r} is not sqlite:<chats> or pg<workers>:<chats>")
        cases.append(Case(match[1], int(match[2])))
    return cases


async def measure(server: Server | None, run: Callable[[], Awaitable[Stats]]) -> Stats:
    """Run a load, noting its wall time and the CPU the client and the server used meanwhile."""
    server_before = tree_cpu(server.process.pid) if server else math.nan
    client_before, began = process_cpu(), time.perf_counter()
    stats = await run()
    stats.elapsed = time.perf_counter() - began
    stats.client_cpu = process_cpu() - client_before
    if server is not None:
        stats.server_cpu = tree_cpu(server.process.pid) - server_before
    return stats


async def chat_load(server: Server, chats: int, seconds: float, seed: int) -> Stats:
    """Untimed warm-up, then `chats` customers booking back to back for `seconds`."""
    connections = Connections(server.base, chats + 4)
    warm = [
        Customer(connections, f"warm{chats}-{n}", Pacer(Stats()), random.Random(n))
        for n in range(min(4, chats))  # several: with N workers, more than one gets warm
    ]
    await asyncio.gather(*(w.run(2) for w in warm))
    stats = Stats()
    for w in warm:
        stats.errors += w.pacer.stats.errors

    async def run() -> Stats:
        pacer = Pacer(stats, time.perf_counter() + seconds)
        customers = [
            Customer(connections, f"c{chats}-{n}", pacer, random.Random(seed + n))
            for n in range(chats)
        ]
        await asyncio.gather(*(c.run(math.inf) for c in customers))
        return stats

    measured = await measure(server, run)
    await connections.aclose()
    return measured


async def bare_load(server: Server, chats: int, seconds: float) -> Stats:
    """`chats` clients POSTing to /echo back to back for `seconds`, after 10 untimed each."""
    connections = Connections(server.base, chats)
    await asyncio.gather(*(bare_run(connections, Pacer(Stats(), count=10)) for _ in range(chats)))
    stats = Stats()

    async def run() -> Stats:
        pacer = Pacer(stats, time.perf_counter() + seconds)
        await asyncio.gather(*(bare_run(connections, pacer) for _ in range(chats)))
        return stats

    measured = await measure(server, run)
    await connections.aclose()
    return measured


def closed_loop(args: argparse.Namespace, directory: Path) -> list[str]:
    """Every case, then the bare endpoint at each concurrency; prints the table; the errors."""
    cases = parse_cases(args.cases) if args.cases else default_cases(args.database_url)
    if any(c.target != "sqlite" for c in cases) and not args.database_url:
        raise SystemExit("pg cases need --database-url postgresql+asyncpg://... (a scratch one)")
    if args.database_url:
        print(WIPE_WARNING)
    results: dict[Case, Stats] = {}
    failed: list[str] = []
    for target in dict.fromkeys(c.target for c in cases):  # in order, one server each
        print(f"{target}: preparing the database and starting `barberpro serve`", flush=True)
        try:
            with barberpro_server(target, directory, args.database_url) as running:
                for case in (c for c in cases if c.target == target):
                    print(f"  {case.label} chats, {args.seconds:g} s", flush=True)
                    load = chat_load(running, case.chats, args.seconds, args.seed)
                    results[case] = uvloop.run(load)  # uvloop: a cheaper client
                    if not results[case].latencies:
                        raise SystemExit(f"no chat turn answered: {results[case].errors[:3]}")
        except SystemExit as problem:  # the other targets still run; the exit status says so
            print(f"  {target} SKIPPED: {problem}", flush=True)
            failed.append(f"{target}: {str(problem)[-500:]}")
            for case in [c for c in results if c.target == target]:
                del results[case]
    if not results:
        raise SystemExit("no case ran:\n" + "\n".join(failed))
    bare: dict[int, Stats] = {}
    concurrencies = sorted({c.chats for c in results})
    print(f"bare /echo at {', '.join(map(str, concurrencies))} at once, {args.bare_seconds:g} s")
    with bare_server(directory) as running:
        for chats in concurrencies:
            bare[chats] = uvloop.run(bare_load(running, chats, args.bare_seconds))
    report_closed(results, bare, args)
    for skipped in failed:
        print(f"  SKIPPED {skipped}")
    everything = [*results.values(), *bare.values()]
    return failed + [e for s in everything for e in s.errors]


def default_cases(database_url: str | None) -> list[Case]:
    """The issue's full set: SQLite at 1, 16 and 32 chats; PostgreSQL too with a database."""
    return parse_cases(",".join([*DEFAULT_SQLITE, *(DEFAULT_PG if database_url else ())]))


def verdict(ok: bool | None) -> str:
    """PASS, FAIL, or n/a when the cases it needs did not run."""
    return "n/a (case not run)" if ok is None else ("PASS" if ok else "FAIL")


def report_closed(
    results: dict[Case, Stats], bare: dict[int, Stats], args: argparse.Namespace
) -> None:
    """The table, the gains from concurrency and the issue's goals."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\nclosed loop, {args.seconds:g} s a case (bare {args.bare_seconds:g} s); "
        f"client and server share {os.cpu_count()} cores; load average now {load}"
    )
    heads = "".join(f"{h:>8}" for h in ("p50 ms", "p90 ms", "p99 ms", "max ms"))
    print(
        f"{'case':<14}{'turns':>7}{'turns/s':>9}{heads}"
        f"{'srv CPU':>9}{'cli CPU':>9}{'chat/bare':>11}"
    )

    def row(name: str, s: Stats, ratio: str = "") -> None:
        cells = "".join(f"{s.pct(q):>8.1f}" for q in (0.5, 0.9, 0.99, 1.0))
        cpu = f"{s.server_cpu / s.elapsed:>9.0%}{s.client_cpu / s.elapsed:>9.0%}"
        print(f"{name:<14}{len(s.latencies):>7,}{s.rate:>9,.1f}{cells}{cpu}{ratio:>11}")

    for case, s in results.items():
        row(case.label, s, f"{s.rate / bare[case.chats].rate:.2f}")
    for chats, s in bare.items():
        row(f"bare {chats}", s)
    for case, s in results.items():
        print(
            f"  {case.label}: bookings {s.bookings:,}, cancelled {s.cancellations:,}, turno taken "
            f"so another tapped {s.taken:,}, nothing free so started over {s.restarts:,}"
        )

    def rate(target: str, chats: int) -> float | None:
        found = results.get(Case(target, chats))
        return found.rate if found else None

    print("\ngain from concurrency (throughput at N chats / at 1 chat, same server):")
    gains: dict[tuple[str, int], float] = {}
    for target in dict.fromkeys(c.target for c in results):
        for chats in sorted({c.chats for c in results if c.target == target} - {1}):
            one, many = rate(target, 1), rate(target, chats)
            if one and many and 1 in bare:
                gains[target, chats] = many / one
                gains["bare", chats] = bare[chats].rate / bare[1].rate
                print(
                    f"  {Case(target, chats).label}/1: chat {gains[target, chats]:.2f}x, "
                    f"bare {gains['bare', chats]:.2f}x"
                )
    print("\ngoals (issue 14):")
    for chats in (16, 32):
        found = results.get(Case("sqlite", chats))
        ratio = found.rate / bare[chats].rate if found else None
        shown = f"{ratio:.2f}" if ratio is not None else "-"
        ok = None if ratio is None else ratio >= 0.40
        print(
            f"  chat/bare throughput at {chats} chats (sqlite) {shown:>6}  >= 0.40   {verdict(ok)}"
        )
    ok = None
    if ("sqlite", 16) in gains:
        ok = gains["sqlite", 16] >= gains["bare", 16]
        print(
            f"  chat gain 16/1 {gains['sqlite', 16]:.2f}x >= bare gain {gains['bare', 16]:.2f}x"
            f"           {verdict(ok)}"
        )
    else:
        print(f"  chat gain 16/1 >= bare gain 16/1                     {verdict(None)}")
    found = results.get(Case("sqlite", 16))
    if found:
        times = found.pct(0.99) / bare[16].pct(0.99)
        print(
            f"  p99 at 16 chats: chat {found.pct(0.99):.1f} ms / bare {bare[16].pct(0.99):.1f} ms"
            f" = {times:.1f}x < 10x   {verdict(times < 10)}"
        )
    else:
        print(f"  p99 at 16 chats < 10x bare p99                        {verdict(None)}")
    pg_chats = sorted({c.chats for c in results if c.target in ("pg1", "pg2")})
    for chats in pg_chats:
        one, two = rate("pg1", chats), rate("pg2", chats)
        if one and two:
            print(
                f"  PostgreSQL at {chats} chats: 2 workers {two:.1f}/s > 1 worker {one:.1f}/s"
                f" ({two / one:.2f}x)   {verdict(two > one)}"
            )
    if not any(rate("pg1", c) and rate("pg2", c) for c in pg_chats):
        print(f"  PostgreSQL 2 workers > 1 worker                       {verdict(None)}")
    found = results.get(Case("sqlite", 32))
    if found:
        p99 = found.pct(0.99)
        print(f"  (earlier goal) chat p99 at 32 chats {p99:.1f} ms < 50 ms     {verdict(p99 < 50)}")
    print_problems(list(results.values()), list(bare.values()))


def print_problems(chat: list[Stats], bare: list[Stats]) -> None:
    """Errors (non-200, no answer) and the conversations that went off script."""
    errors = [e for s in [*chat, *bare] for e in s.errors]
    unexpected = [u for s in chat for u in s.unexpected]
    print(f"\nerrors (non-200 or no answer) {len(errors)}")
    for problem in errors[:5] + [f"WARNING {u}" for u in unexpected[:5]]:
        print(f"  {problem}")
    if unexpected:
        print(f"  {len(unexpected)} conversations went off script and were restarted")


# --- open loop --------------------------------------------------------------------------------


async def open_chat(server: Server, args: argparse.Namespace, rates: list[float]) -> list[Stats]:
    """A pool of chats (greeted untimed), then each rate in turn until p99 passes the stop bound."""
    connections = Connections(server.base, args.connections)
    arrivals, rng = Arrivals(), random.Random(args.seed)
    warm = Customer(connections, "warmup", Pacer(Stats()), random.Random(0))
    await warm.run(2)
    pool = [
        Customer(connections, f"o-{n}", Pacer(Stats()), random.Random(args.seed + n))
        for n in range(args.pool)
    ]
    await asyncio.gather(*(c.greet() for c in pool))  # first contacts: not in the steps' mix
    for customer in pool:
        customer.pacer = arrivals
    tasks = [asyncio.create_task(c.run(math.inf, greet=False)) for c in pool]
    steps = []
    for rate in rates:
        print(f"  chat at {rate:g}/s, {args.seconds:g} s", flush=True)
        stats = await arrivals_step(server, arrivals, rate, args.seconds, rng)
        steps.append(stats)
        if stats.pct(0.99) > args.stop_p99 or stats.unfinished:
            break
    arrivals.close()
    await asyncio.gather(*tasks)
    await connections.aclose()
    steps[0].errors += warm.pacer.stats.errors
    return steps


async def open_bare(server: Server, args: argparse.Namespace, rates: list[float]) -> list[Stats]:
    """The same arrivals (rates, pool, connections) to the bare /echo."""
    connections = Connections(server.base, args.connections)
    await asyncio.gather(*(bare_run(connections, Pacer(Stats(), count=10)) for _ in range(8)))
    arrivals, rng = Arrivals(), random.Random(args.seed)
    tasks = [asyncio.create_task(bare_run(connections, arrivals)) for _ in range(args.pool)]
    steps = []
    for rate in rates:
        print(f"  bare at {rate:g}/s, {args.seconds:g} s", flush=True)
        steps.append(await arrivals_step(server, arrivals, rate, args.seconds, rng))
    arrivals.close()
    await asyncio.gather(*tasks)
    await connections.aclose()
    return steps


async def arrivals_step(
    server: Server, arrivals: Arrivals, rate: float, seconds: float, rng: random.Random
) -> Stats:
    """One rate, with the server's CPU over it."""
    before = tree_cpu(server.process.pid)
    stats = await arrivals.step(rate, seconds, rng)
    stats.server_cpu = tree_cpu(server.process.pid) - before
    return stats


def open_loop(args: argparse.Namespace, directory: Path) -> list[str]:
    """Chat at each rate (until it breaks), then the bare endpoint at the same rates."""
    rates = [float(r) for r in args.rates.split(",")]
    if args.target != "sqlite" and not args.database_url:
        raise SystemExit("--target pg<N> needs --database-url postgresql+asyncpg://...")
    if args.database_url and args.target != "sqlite":
        print(WIPE_WARNING)
    print(f"open loop on {args.target}: pool of {args.pool} chats, {args.connections} connections")
    with barberpro_server(args.target, directory, args.database_url) as running:
        chat = uvloop.run(open_chat(running, args, rates))
    with bare_server(directory) as running:
        bare = uvloop.run(open_bare(running, args, rates[: len(chat)]))
    report_open(chat, bare, rates, args)
    return [e for s in [*chat, *bare] for e in s.errors]


def report_open(
    chat: list[Stats], bare: list[Stats], rates: list[float], args: argparse.Namespace
) -> None:
    """Per rate: the chat's and the bare endpoint's latency from the scheduled arrival."""
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(
        f"\nopen loop on {args.target}, Poisson arrivals, {args.seconds:g} s a rate; latency from "
        f"the scheduled arrival; {os.cpu_count()} shared cores; load average now {load}"
    )
    print(
        f"{'rate/s':>7}{'sent':>7}{'answered/s':>11}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}"
        f"{'max ms':>9}{'queued':>8}{'waiting':>10}{'srv CPU':>9}   bare: p50 / p99 ms, srv CPU"
    )
    for n, (rate, s) in enumerate(zip(rates, chat, strict=False)):
        b = bare[n]
        cells = "".join(f"{s.pct(q):>9.1f}" for q in (0.5, 0.9, 0.99, 1.0))
        print(
            f"{rate:>7g}{s.arrivals:>7,}{len(s.latencies) / s.elapsed:>11.1f}{cells}{s.queued:>8,}"
            f"{s.max_in_flight:>10,}{s.server_cpu / s.elapsed:>9.0%}   "
            f"{b.pct(0.5):.1f} / {b.pct(0.99):.1f}, {b.server_cpu / b.elapsed:.0%}"
            + (f"   ({s.unfinished} unanswered when stopped)" if s.unfinished else "")
        )
    if len(chat) < len(rates):
        print(f"  (stopped: p99 over {args.stop_p99:g} ms at {rates[len(chat) - 1]:g}/s)")

    def held(steps: list[Stats]) -> str:
        ok = [
            r
            for r, s in zip(rates, steps, strict=False)
            if s.pct(0.99) < HELD_MS and not s.unfinished
        ]
        return f"{max(ok):g}/s" if ok else f"none (not even {rates[0]:g}/s)"

    print(f"\nhighest rate held with p99 < {HELD_MS:g} ms: chat {held(chat)}, bare {held(bare)}")
    print(
        "queued = arrivals that found every chat of the pool busy and waited for one (timed from "
        "their arrival); waiting = most arrivals unanswered at once (sent or queued)"
    )
    print_problems(chat, bare)


# --- main -------------------------------------------------------------------------------------


def main(args: argparse.Namespace) -> int:
    """Closed or open loop; non-zero only on real errors (never on timings)."""
    with tempfile.TemporaryDirectory(prefix="barberpro-bench-") as tmp:
        run = open_loop if args.open_loop else closed_loop
        errors = run(args, Path(tmp))
    return 1 if errors else 0


def parse() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--cases",
        help="closed loop: comma-separated sqlite:<chats> or pg<workers>:<chats> (default "
        f"{','.join(DEFAULT_SQLITE)}, plus {','.join(DEFAULT_PG)} with --database-url)",
    )
    parser.add_argument("--seconds", type=float, help="a case, or a rate (15 closed, 10 open)")
    parser.add_argument("--bare-seconds", type=float, default=5, help="a bare case (5)")
    parser.add_argument(
        "--database-url", help="postgresql+asyncpg://... a scratch database: IT IS WIPED"
    )
    parser.add_argument("--seed", type=int, default=2026, help="days and times picked (2026)")
    parser.add_argument("--open-loop", action="store_true", help="Poisson arrivals at --rates")
    parser.add_argument(
        "--rates",
        default="10,20,30,40,50,75,100,150,200,300,400",
        help="open loop: turns/s, in order",
    )
    parser.add_argument("--target", default="sqlite", help="open loop: sqlite or pg<workers>")
    parser.add_argument("--pool", type=int, default=100, help="open loop: chats (100)")
    parser.add_argument("--connections", type=int, default=64, help="open loop: HTTP conns (64)")
    parser.add_argument(
        "--stop-p99", type=float, default=1000, help="open loop: stop above this p99 ms (1000)"
    )
    args = parser.parse_args()
    if args.seconds is None:
        args.seconds = 10.0 if args.open_loop else 15.0
    if args.target != "sqlite" and not re.fullmatch(r"pg[1-9][0-9]*", args.target):
        parser.error("--target is sqlite or pg<workers>")
    return args


if __name__ == "__main__":
    sys.exit(main(parse()))
