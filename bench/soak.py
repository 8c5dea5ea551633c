"""Soak: mixed traffic for minutes while the server is killed with SIGKILL every few seconds.

Sandbox customers book (cash or Mercado Pago) and cancel, Telegram and WhatsApp customers write
through the webhooks, an API client books, lists and cancels, and the customers' Mercado Pago
payments are notified through the signed webhook; `barberpro serve` is killed with SIGKILL every
`--kill-every` seconds and started again on the same database. The client keeps a ledger of
what the server acknowledged; at the end (a last restart, the outbox drained) it checks the
database and what the fakes received: nothing lost, nothing doubled. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import sys
import tempfile
import time
import uuid
from pathlib import Path

import uvloop  # installed with uvicorn[standard]
from soak_check import check, drain  # bench/soak_check.py
from soak_clients import ApiClient, Client, Payer, Run, SandboxCustomer, WebhookChat
from soak_servers import Fakes, Server, prepare

WIPE_WARNING = "WARNING: --database-url WIPES THAT DATABASE (DROP SCHEMA public CASCADE)."


async def killer(run: Run, server: Server, every: float) -> None:
    """SIGKILL the server every `every` seconds and start it again at once (same port, same
    database), until the run is over."""
    while True:
        await asyncio.sleep(every)
        if run.over():
            return
        run.up.clear()
        server.kill()
        run.kills += 1
        run.kill_times.append(time.time())
        await asyncio.to_thread(server.start)
        run.up.set()


async def soak(args: argparse.Namespace, server: Server, fakes: Fakes, key: str) -> Run:
    """The traffic and the kills for `--minutes`, then the customers' last steps."""
    run = Run(server.base, time.monotonic() + args.minutes * 60)
    run.up.set()
    rng = random.Random(args.seed)
    tag = uuid.uuid4().hex[:6]  # chat ids of this run
    clients: list[Client] = [
        *(
            SandboxCustomer(run, f"soak-{tag}-{n}", random.Random(rng.random()))
            for n in range(args.sandbox)
        ),
        *(
            WebhookChat(run, "telegram", n, random.Random(rng.random()))
            for n in range(args.telegram)
        ),
        *(
            WebhookChat(run, "whatsapp", n, random.Random(rng.random()))
            for n in range(args.whatsapp)
        ),
        *(ApiClient(run, key, n, random.Random(rng.random())) for n in range(args.api)),
        Payer(run, fakes.mercadopago),
    ]
    kills = asyncio.create_task(killer(run, server, args.kill_every))
    await asyncio.gather(*(c.run() for c in clients))
    kills.cancel()
    run.up.set()
    run.clients = clients
    return run


def main(args: argparse.Namespace) -> int:
    """Prepare, soak, restart, drain, check; non-zero when an invariant fails."""
    with tempfile.TemporaryDirectory(prefix="barberpro-soak-") as tmp:
        directory = Path(tmp)
        url = args.database_url or f"sqlite+aiosqlite:///{directory / 'soak.db'}"
        if args.database_url:
            print(WIPE_WARNING)
        fakes = Fakes(directory)
        server = Server(url, fakes, directory)
        try:
            key = prepare(url, directory)
            server.start()
            print(
                f"soak: {args.minutes:g} min on {url.split(':')[0]}, SIGKILL every "
                f"{args.kill_every:g} s; {args.sandbox} sandbox, {args.telegram} Telegram, "
                f"{args.whatsapp} WhatsApp chats, {args.api} API clients",
                flush=True,
            )
            began = time.monotonic()
            run = uvloop.run(soak(args, server, fakes, key))
            elapsed = time.monotonic() - began
            print("final restart (SIGTERM), then draining the outbox until quiet", flush=True)
            server.stop()  # a clean stop: what a last kill leaves is what every kill left
            server.start()
            quiet = uvloop.run(drain(url, fakes, args.drain_seconds))
            server.stop()
            failures = uvloop.run(check(url, fakes, run, elapsed, quiet))
        except BaseException:
            print(server.tail(), file=sys.stderr)
            raise
        finally:
            server.stop()
            fakes.stop()
            if args.keep_logs:
                Path(args.keep_logs).mkdir(parents=True, exist_ok=True)
                for log in directory.glob("*.log"):
                    (Path(args.keep_logs) / log.name).write_bytes(log.read_bytes())
    return 1 if failures else 0


def parse() -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--minutes", type=float, default=3.0, help="how long the traffic runs (3)")
    parser.add_argument("--kill-every", type=float, default=20.0, help="seconds between kills (20)")
    parser.add_argument(
        "--database-url", help="postgresql+asyncpg://... a scratch database: IT IS WIPED"
    )
    parser.add_argument("--sandbox", type=int, default=6, help="sandbox customers (6)")
    parser.add_argument("--telegram", type=int, default=4, help="Telegram chats (4)")
    parser.add_argument("--whatsapp", type=int, default=4, help="WhatsApp chats (4)")
    parser.add_argument("--api", type=int, default=2, help="REST API clients (2)")
    parser.add_argument("--seed", type=int, default=2026, help="the customers' choices (2026)")
    parser.add_argument(
        "--drain-seconds",
        type=float,
        help="longest wait for quiet (180; 360 on PostgreSQL, where a killed process's job "
        "claims are waited out: 5 minutes)",
    )
    parser.add_argument("--keep-logs", help="copy the server's and fakes' logs to this folder")
    args = parser.parse_args()
    if args.drain_seconds is None:
        args.drain_seconds = 360.0 if args.database_url else 180.0
    return args


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    sys.exit(main(parse()))
