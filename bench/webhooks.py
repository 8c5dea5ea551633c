"""Webhook bench: how fast `POST /webhooks/telegram` acknowledges under load, and how long the
reply takes to reach the (local, fake) Bot API.

Starts a minimal Bot API stand-in in this process (it answers getMe, sendMessage and the like,
and notes when each chat's replies arrive) and `barberpro serve --demo` with Telegram pointed at
it. `--chats` customers post real update payloads: each waits for the bot's reply before
writing again, like a person. The baseline is a bare FastAPI endpoint posted the same way, with
the same client and concurrency, in the same run. See bench/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import sys
import tempfile
import threading
import time
from collections import defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import httpx
import uvloop
from chat import Connections, Stats, barberpro, bare_server, server  # bench/chat.py's machinery

SECRET = "bench-secret"
TOKEN = "1:bench"
SCRIPT = ("hola", "Juan", "quiero un corte", "menú", "mis turnos", "volver")


class BotApi:
    """A stand-in Telegram Bot API: answers every call, notes when replies reach each chat."""

    def __init__(self) -> None:
        self.arrivals: dict[str, list[float]] = defaultdict(list)
        self.lock = threading.Lock()
        self.changed = threading.Condition(self.lock)
        self.ids = itertools.count(1)
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
                fields = {k: v[-1] for k, v in parse_qs(body).items()}
                method = self.path.rsplit("/", 1)[-1]
                result: Any = True
                if method == "getMe":
                    result = {"id": 1, "is_bot": True, "first_name": "Bench", "username": "b"}
                elif method in ("sendMessage", "editMessageText"):
                    chat = fields.get("chat_id", "0")
                    result = {
                        "message_id": next(api.ids),
                        "date": int(time.time()),
                        "chat": {"id": int(chat), "type": "private"},
                        "text": fields.get("text", ""),
                    }
                    with api.changed:
                        api.arrivals[chat].append(time.perf_counter())
                        api.changed.notify_all()
                payload = json.dumps({"ok": True, "result": result}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.http.server_address[1]}"
        threading.Thread(target=self.http.serve_forever, daemon=True).start()

    def count(self, chat: str) -> int:
        with self.lock:
            return len(self.arrivals[chat])

    def first_after(self, chat: str, seen: int) -> float | None:
        with self.lock:
            arrivals = self.arrivals[chat]
            return arrivals[seen] if len(arrivals) > seen else None


def update(update_id: int, chat_id: int, text: str) -> dict[str, Any]:
    """A private text message, as Telegram posts it."""
    person = {"id": chat_id, "is_bot": False, "first_name": "Juan", "language_code": "es"}
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "Juan"},
            "from": person,
            "text": text,
        },
    }


async def webhook_load(
    base: str, api: BotApi, chats: int, seconds: float
) -> tuple[Stats, list[float]]:
    """Each chat posts a message, waits for the bot's first reply, and goes on; returns the
    acknowledgement latencies and the reply latencies (post sent → reply at the Bot API)."""
    connections, stats, replies = Connections(base, chats), Stats(), []
    ids = itertools.count(1)
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET}

    async def customer(chat_id: int, until: float, timed: bool) -> None:
        for text in itertools.cycle(SCRIPT):
            if time.perf_counter() > until:
                return
            seen = api.count(str(chat_id))
            began = time.perf_counter()
            async with connections.lease() as client:  # as many connections as chats: no wait
                response = await client.post(
                    "/webhooks/telegram", json=update(next(ids), chat_id, text), headers=headers
                )
            acked = time.perf_counter()
            if response.status_code != 200:
                stats.errors.append(f"{response.status_code} {response.text[:80]}")
                continue
            while (arrived := api.first_after(str(chat_id), seen)) is None:
                if time.perf_counter() - began > 30:
                    stats.errors.append(f"no reply for chat {chat_id} in 30 s")
                    return
                await asyncio.sleep(0.002)
            if timed:
                stats.latencies.append(acked - began)
                replies.append(arrived - began)

    warm = time.perf_counter() + 3  # untimed: lazy imports, catalogs, statement caches
    await asyncio.gather(*(customer(1_000 + n, warm, False) for n in range(min(4, chats))))
    began = time.perf_counter()
    until = began + seconds
    await asyncio.gather(*(customer(2_000 + n, until, True) for n in range(chats)))
    stats.elapsed = time.perf_counter() - began
    await connections.aclose()
    return stats, replies


async def bare_load(base: str, chats: int, total: int) -> Stats:
    """`total` POSTs of an update-sized JSON body to the bare /echo."""
    connections, stats = Connections(base, chats), Stats()
    left = [total]

    async def worker(client: httpx.AsyncClient) -> None:
        while left[0] > 0:
            left[0] -= 1
            began = time.perf_counter()
            response = await client.post("/echo", json={"text": "hola"})
            stats.latencies.append(time.perf_counter() - began)
            if response.status_code != 200:
                stats.errors.append(str(response.status_code))

    began = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in connections.all))  # one connection each
    stats.elapsed = time.perf_counter() - began
    await connections.aclose()
    return stats


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(q * len(ordered) + 0.999999) - 1)] * 1000


def main(args: argparse.Namespace) -> int:
    api = BotApi()
    with tempfile.TemporaryDirectory(prefix="barberpro-bench-") as tmp:
        directory = Path(tmp)
        env = {k: v for k, v in os.environ.items() if not k.startswith("BARBERPRO_")}
        env.update(
            BARBERPRO_DATABASE_URL=f"sqlite+aiosqlite:///{directory / 'bench.db'}",
            BARBERPRO_TELEGRAM_TOKEN=TOKEN,
            BARBERPRO_TELEGRAM_WEBHOOK_SECRET=SECRET,
            BARBERPRO_TELEGRAM_API_URL=api.url,
        )
        print(f"webhook: {args.chats} Telegram chats posting to `barberpro serve --demo`")
        with server([*barberpro(), "serve", "--demo", "--port"], directory, "server", env) as up:
            hooks, replies = uvloop.run(webhook_load(up.base, api, args.chats, args.seconds))
        if not hooks.latencies:
            raise SystemExit(f"no webhook answered: {hooks.errors[:3]}")
        with bare_server(directory) as up:
            bare = uvloop.run(bare_load(up.base, args.chats, len(hooks.latencies)))
    api.http.shutdown()
    print(
        f"\n{args.chats} chats, {args.seconds:g} s; client and server share {os.cpu_count()} cores"
    )
    print(f"{'case':<22}{'count':>7}{'p50 ms':>9}{'p90 ms':>9}{'p99 ms':>9}")
    for name, values in (
        ("webhook ack", hooks.latencies),
        ("reply at Bot API", replies),
        ("bare /echo", bare.latencies),
    ):
        cells = "".join(f"{pct(values, q):>9.1f}" for q in (0.5, 0.9, 0.99))
        print(f"{name:<22}{len(values):>7,}{cells}")
    ack = pct(hooks.latencies, 0.5)
    print(
        f"\nwebhook ack p50 {ack:.1f} ms, {ack / pct(bare.latencies, 0.5):.2f}x the bare endpoint"
    )
    print(f"goal: ack p50 < 50 ms  {'PASS' if ack < 50 else 'FAIL'}")
    print(f"errors {len(hooks.errors) + len(bare.errors)}")
    for problem in [*hooks.errors, *bare.errors][:5]:
        print(f"  {problem}")
    return 1 if hooks.errors or bare.errors else 0


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--chats", type=int, default=32, help="concurrent customers (32)")
    parser.add_argument("--seconds", type=float, default=15, help="how long they write (15)")
    return parser.parse_args()


if __name__ == "__main__":
    sys.exit(main(parse()))
