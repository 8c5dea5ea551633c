"""Chat bench: simulated customers booking through the sandbox endpoint of a real server.

Starts `barberpro serve --demo` on a fresh SQLite file, has `--chats` customers book (and cancel)
turnos over HTTP, then times a bare FastAPI JSON endpoint with the same client, concurrency and
number of requests. The figure is the ratio chat/bare. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvloop  # installed with uvicorn[standard]

NAMES = ("Juan", "Ana", "Pedro", "Carla", "Diego", "Paula", "Nicolás", "Julieta")
NAV = {"Más días", "Más tarde", "Volver", "Cancelar"}  # choices that are not a day or a turno
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
    """The run's time is over: the customer stops before sending another message."""


class Unexpected(Exception):
    """The conversation went somewhere this script does not follow (reported, then restarted)."""


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)  # seconds, one per POST
    errors: list[str] = field(default_factory=list)  # non-200 answers, or no answer
    unexpected: list[str] = field(default_factory=list)
    bookings: int = 0
    cancellations: int = 0
    taken: int = 0  # "someone else got that turno": tapped another time
    restarts: int = 0  # nothing free on the day picked: started over
    elapsed: float = 0.0

    def pct(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[max(0, math.ceil(q * len(ordered)) - 1)] * 1000

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.elapsed


async def timed_post(client: httpx.AsyncClient, path: str, body: Any, stats: Stats) -> Any:
    """One POST, its latency recorded; a non-200 answer is an error (no answer raises)."""
    began = time.perf_counter()
    response = await client.post(path, json=body)
    stats.latencies.append(time.perf_counter() - began)
    if response.status_code != 200:
        stats.errors.append(f"{response.status_code} {response.text[:200]}")
        raise Unexpected(f"HTTP {response.status_code}")
    return response.json()


@dataclass
class Customer:
    client: httpx.AsyncClient  # one per customer: its own keep-alive connection
    chat_id: str
    stats: Stats
    rng: random.Random
    deadline: float
    step: str = ""
    choices: list[dict[str, str]] = field(default_factory=list)

    async def post(self, body: dict[str, str]) -> None:
        if time.perf_counter() >= self.deadline:
            raise TimeUp
        path = f"/sandbox/chats/{self.chat_id}/messages"
        data = await timed_post(self.client, path, body, self.stats)
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

    async def run(self, bookings: int) -> None:
        """First contact, then book; from the second booking on, cancel the previous one first."""
        holding, made = False, 0
        try:
            await self.post({"text": "hola"})
            await self.post({"text": self.rng.choice(NAMES)})
            while made < bookings:
                try:
                    if self.step != "menu":
                        raise Unexpected(f"expected the menu, at step {self.step!r}")
                    if holding:
                        await self.cancel()
                        holding = False
                    if await self.book():
                        holding, made = True, made + 1
                        self.stats.bookings += 1
                except Unexpected as problem:
                    self.stats.unexpected.append(str(problem))
                    await self.post({"text": "menú"})
        except httpx.HTTPError as error:
            self.stats.errors.append(f"{type(error).__name__}: {error}")
        except (TimeUp, Unexpected):
            return


def clients(base: str, n: int) -> list[httpx.AsyncClient]:
    """One client (HTTP/1.1, one keep-alive connection) per simulated customer."""
    limits = httpx.Limits(max_connections=1, max_keepalive_connections=1)
    return [httpx.AsyncClient(base_url=base, limits=limits, timeout=60) for _ in range(n)]


async def chat_load(base: str, args: argparse.Namespace) -> Stats:
    pool, stats = clients(base, args.chats + 1), Stats()
    warm = Customer(pool[-1], "warmup", Stats(), random.Random(0), math.inf)
    await warm.run(2)  # untimed: lazy imports, catalogs, statement caches
    began = time.perf_counter()
    until = math.inf if args.bookings else began + args.seconds
    customers = [
        Customer(pool[n], f"bench-{n}", stats, random.Random(args.seed + n), until)
        for n in range(args.chats)
    ]
    await asyncio.gather(*(c.run(args.bookings or sys.maxsize) for c in customers))
    stats.elapsed = time.perf_counter() - began
    stats.errors += warm.stats.errors
    await asyncio.gather(*(c.aclose() for c in pool))
    return stats


async def bare_load(base: str, chats: int, total: int) -> Stats:
    """`total` POSTs to /echo from `chats` customers, after 10 untimed ones each."""
    pool, stats = clients(base, chats), Stats()

    async def worker(client: httpx.AsyncClient, left: list[int], into: Stats) -> None:
        while left[0] > 0:
            left[0] -= 1
            with suppress(Unexpected):  # a non-200 answer: counted, go on
                await timed_post(client, "/echo", {"choice": "2.book"}, into)

    await asyncio.gather(*(worker(c, [10], stats) for c in pool))
    stats.latencies.clear()
    began, left = time.perf_counter(), [total]
    await asyncio.gather(*(worker(c, left, stats) for c in pool))
    stats.elapsed = time.perf_counter() - began
    await asyncio.gather(*(c.aclose() for c in pool))
    return stats


def healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def server(command: list[str], directory: Path, name: str, env: dict[str, str]) -> Iterator[str]:
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
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def report(chat: Stats, bare: Stats, args: argparse.Namespace) -> None:
    what = f"{args.bookings} bookings each" if args.bookings else f"{args.seconds:g} s"
    print(f"\n{args.chats} chats, {what}; client and server share {os.cpu_count()} cores")
    heads = "".join(f"{h:>8}" for h in ("p50 ms", "p90 ms", "p99 ms", "max ms"))
    print(f"{'case':<12}{'turns':>8}{'turns/s':>9}{heads}")
    for name, s in (("chat turn", chat), ("bare /echo", bare)):
        cells = "".join(f"{s.pct(q):>8.1f}" for q in (0.5, 0.9, 0.99, 1.0))
        print(f"{name:<12}{len(s.latencies):>8,}{s.rate:>9,.0f}{cells}")
    print(
        f"bookings {chat.bookings:,}, cancelled {chat.cancellations:,}, turno taken so another "
        f"tapped {chat.taken:,}, nothing free so started over {chat.restarts:,}"
    )
    ratio, p99 = chat.rate / bare.rate, chat.pct(0.99)
    print(f"\nratio chat/bare {ratio:6.2f}     goal >= 0.40  {'PASS' if ratio >= 0.4 else 'FAIL'}")
    print(f"chat p99 {p99:10.1f} ms  goal < 50 ms  {'PASS' if p99 < 50 else 'FAIL'}")
    print(f"errors (non-200) {len(chat.errors) + len(bare.errors)}")
    for problem in [*chat.errors, *bare.errors][:5] + [f"WARNING {u}" for u in chat.unexpected[:5]]:
        print(f"  {problem}")
    if chat.unexpected:
        print(f"  {len(chat.unexpected)} conversations went off script and were restarted")


def main(args: argparse.Namespace) -> int:
    script = Path(sys.executable).with_name("barberpro")
    barberpro = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
    with tempfile.TemporaryDirectory(prefix="barberpro-bench-") as tmp:
        directory = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("BARBERPRO_")}
        env["BARBERPRO_DATABASE_URL"] = f"sqlite+aiosqlite:///{directory / 'bench.db'}"
        print(f"chat: {args.chats} customers through the sandbox of `barberpro serve --demo`")
        with server([*barberpro, "serve", "--demo", "--port"], directory, "server", env) as base:
            chat = uvloop.run(chat_load(base, args))  # uvloop: a cheaper client
        if not chat.latencies:
            raise SystemExit(f"no chat turn answered: {chat.errors[:3]}")
        print(f"bare: {len(chat.latencies):,} POSTs to a bare FastAPI /echo, same client")
        (directory / "bare.py").write_text(BARE_APP)
        with server([sys.executable, str(directory / "bare.py")], directory, "bare", env) as base:
            bare = uvloop.run(bare_load(base, args.chats, len(chat.latencies)))
    report(chat, bare, args)
    return 1 if chat.errors or bare.errors else 0


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, default=32, help="concurrent customers (32)")
    parser.add_argument("--seconds", type=float, default=20, help="how long they book (20)")
    parser.add_argument("--bookings", type=int, help="bookings per chat, instead of --seconds")
    parser.add_argument("--seed", type=int, default=2026, help="days and times picked (2026)")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main(parse()))
