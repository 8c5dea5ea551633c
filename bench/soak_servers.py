"""The soak's processes: the fake Telegram, Twilio and Mercado Pago servers and `barberpro serve`
on one database, killed with SIGKILL and started again on the same port. See bench/README.md.

The fakes live in tests/fakes/; benches never import from tests/, so each fake runs as its own
process (`python -m tests.fakes.<module> --port N`, from the repository root, as the kill -9
tests run them) and is read over its HTTP control API (`GET /_fake/calls`).
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
from chat import barberpro, wipe  # bench/chat.py: the same console script, the same wipe

REPO_ROOT = Path(__file__).resolve().parents[1]
SHOP = "don-julio"  # the demo shop `barberpro demo seed` creates
TELEGRAM_TOKEN = "7000000001:AAFakeTokenForBarberProSoak_0123456789"
TELEGRAM_SECRET = "soak-webhook-secret"
TWILIO_SID = "AC" + "0123456789abcdef" * 2  # what the fake Twilio accepts by default
TWILIO_TOKEN = "fake_twilio_auth_token_0123456789"
WHATSAPP_FROM = "whatsapp:+14155238886"
MP_TOKEN = "TEST-0000000000000000-000000-fakeaccesstoken"  # the fake Mercado Pago's default
MP_SECRET = "fake_mp_webhook_secret_0123456789"  # the secret its notifications are signed with


def free_port() -> int:
    """A port that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Fake:
    """One fake external API in its own process, and its control API."""

    def __init__(self, module: str, directory: Path, args: tuple[str, ...] = ()) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
        command = [sys.executable, "-m", f"tests.fakes.{module}", "--port", str(self.port), *args]
        with (directory / f"{module}.log").open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        until = time.monotonic() + 30
        while True:
            try:
                self.calls()
                return
            except httpx.HTTPError:
                if self.process.poll() is not None or time.monotonic() > until:
                    raise SystemExit(f"the fake {module} did not start (see its log)") from None
                time.sleep(0.1)

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """The calls it recorded, oldest first (optionally of one API method)."""
        params = {"method": method} if method else {}
        response = httpx.get(f"{self.url}/_fake/calls", params=params, timeout=30)
        response.raise_for_status()
        calls: list[dict[str, Any]] = response.json()
        return calls

    async def control(self, name: str, payload: dict[str, Any]) -> Any:
        """`POST /_fake/<name>` (Mercado Pago: pay, notification, preferences)."""
        async with httpx.AsyncClient(timeout=30) as client:
            response = await client.post(f"{self.url}/_fake/{name}", json=payload)
        response.raise_for_status()
        return response.json()

    def stop(self) -> None:
        """SIGTERM, and reap."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Fakes:
    """The three fakes the soak's server talks to."""

    def __init__(self, directory: Path) -> None:
        self.telegram = Fake("telegram_api", directory, ("--token", TELEGRAM_TOKEN))
        self.twilio = Fake("twilio_api", directory)
        self.mercadopago = Fake("mercadopago_api", directory)

    def stop(self) -> None:
        """Stop all three."""
        for fake in (self.telegram, self.twilio, self.mercadopago):
            fake.stop()


def prepare(url: str, directory: Path) -> str:
    """Migrate, seed the demo shop, and make a `book` API key for it (returned)."""
    if url.startswith("postgresql"):
        asyncio.run(wipe(url))
    env = {k: v for k, v in os.environ.items() if not k.startswith("BARBERPRO_")}
    env["BARBERPRO_DATABASE_URL"] = url
    key = ""
    for command in (
        ["db", "upgrade"],
        ["demo", "seed"],
        ["apikey", "create", "soak", "--shop", SHOP, "--scope", "book"],
    ):
        done = subprocess.run(
            [*barberpro(), *command], env=env, cwd=directory, capture_output=True, text=True
        )
        if done.returncode:
            raise SystemExit(f"barberpro {' '.join(command)} failed:\n{done.stderr[-2000:]}")
        key = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else key
    return key


class Server:
    """`barberpro serve` on one database and one port, with every channel on the fakes."""

    def __init__(self, url: str, fakes: Fakes, directory: Path) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.directory = directory
        self.log = directory / "server.log"
        self.process: subprocess.Popen[bytes] | None = None
        env = {k: v for k, v in os.environ.items() if not k.startswith("BARBERPRO_")}
        env.update(
            BARBERPRO_DATABASE_URL=url,
            BARBERPRO_PUBLIC_URL=self.base,  # Twilio signs the URL it posts to: this one
            BARBERPRO_SANDBOX="1",
            BARBERPRO_SCHEDULER_INTERVAL_SECONDS="1",  # payment notifications are jobs
            BARBERPRO_TELEGRAM_TOKEN=TELEGRAM_TOKEN,
            BARBERPRO_TELEGRAM_WEBHOOK_SECRET=TELEGRAM_SECRET,
            BARBERPRO_TELEGRAM_API_URL=fakes.telegram.url,
            BARBERPRO_TWILIO_ACCOUNT_SID=TWILIO_SID,
            BARBERPRO_TWILIO_AUTH_TOKEN=TWILIO_TOKEN,
            BARBERPRO_TWILIO_WHATSAPP_FROM=WHATSAPP_FROM,
            BARBERPRO_TWILIO_API_URL=fakes.twilio.url,
            BARBERPRO_MERCADOPAGO_ACCESS_TOKEN=MP_TOKEN,
            BARBERPRO_MERCADOPAGO_WEBHOOK_SECRET=MP_SECRET,
            BARBERPRO_MERCADOPAGO_API_URL=fakes.mercadopago.url,
            # Every client comes from one address and books back to back: a crash test, not
            # abuse (signed webhooks are never limited anyway).
            BARBERPRO_RATE_LIMIT_SANDBOX_NEW_CHATS="off",
            BARBERPRO_RATE_LIMIT_SANDBOX_CHAT="off",
            BARBERPRO_RATE_LIMIT_API_KEY="off",
            BARBERPRO_RATE_LIMIT_API_ADDRESS="off",
        )
        self.env = env

    def start(self, timeout: float = 90.0) -> None:
        """Spawn it on its port and wait until /healthz answers."""
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [*barberpro(), "serve", "--port", str(self.port)],
                cwd=self.directory,  # no stray .env is read
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        until = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise SystemExit(f"the server exited at start:\n{self.tail()}")
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > until:
                raise SystemExit(f"the server did not start in {timeout:g} s:\n{self.tail()}")
            time.sleep(0.05)

    def kill(self) -> None:
        """SIGKILL (kill -9), and reap: nothing is cleaned up inside the process."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def stop(self) -> None:
        """SIGTERM (a clean shutdown), SIGKILL if it lingers."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()

    def tail(self) -> str:
        """The end of its log."""
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""
