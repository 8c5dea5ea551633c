"""kill -9 with undelivered messages: the real server, as a process, delivers them after a restart.

The server (`barberpro serve`) runs against the test's database and an in-process fake Bot API
that first refuses every send; the process is killed with SIGKILL while its replies wait in the
outbox, then started again with the fake healthy.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import httpx
import pytest
from sqlalchemy import select, update
from telegram import Update

from bot.channels.runtime import CLAIM
from bot.channels.telegram_format import parse_update
from bot.demo import seed_demo
from bot.outbox import LEASE
from domain.storage.channels import record_inbound
from domain.storage.tables import InboundMessageRow, OutboxRow
from domain.storage.uow import UnitOfWorkFactory
from tests.channels.delivery import Outboxed, outbox, telegram_texts, twice
from tests.channels.live import SECRET, TOKEN
from tests.fakes.telegram_api import REPO_ROOT, FakeTelegram, free_port, text_update
from tests.helpers import FixedClock

T = TypeVar("T")
GREETING = "¡Hola! Soy el asistente de Barbería Don Julio (Palermo)."
PUBLIC_URL = "https://barberpro.example.com"


class Server:
    """`barberpro serve` in its own process, its output in a log file."""

    def __init__(self, env: dict[str, str], workdir: Path) -> None:
        self.env = env
        self.workdir = workdir
        self.log = workdir / "server.log"
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """Where it listens."""
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout: float = 30.0) -> None:
        """Spawn it on a free port and wait until it answers /readyz."""
        self.port = free_port()
        script = Path(sys.executable).parent / "barberpro"
        command = [str(script)] if script.exists() else [sys.executable, "-m", "bot.cli"]
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                [*command, "serve", "--port", str(self.port)],
                cwd=self.workdir,  # no stray .env is read
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        deadline = time.monotonic() + timeout
        while True:
            if self.process.poll() is not None:
                raise AssertionError(f"the server exited early:\n{self.output()}")
            try:
                if httpx.get(f"{self.url}/readyz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"the server did not become ready:\n{self.output()}")
            time.sleep(0.05)

    def kill(self) -> None:
        """kill -9, and reap it."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            os.kill(process.pid, signal.SIGKILL)
            process.wait(timeout=10)

    def output(self) -> str:
        """What it logged so far (the tail)."""
        return self.log.read_text(errors="replace")[-5000:] if self.log.exists() else ""


@pytest.fixture
def server(database_url: str, fake_telegram: FakeTelegram, tmp_path: Path) -> Iterator[Server]:
    """A server process configured for the test's database and the fake Bot API; always killed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BARBERPRO_")}
    env.update(
        BARBERPRO_DATABASE_URL=database_url,
        BARBERPRO_PUBLIC_URL=PUBLIC_URL,
        BARBERPRO_TELEGRAM_TOKEN=TOKEN,
        BARBERPRO_TELEGRAM_WEBHOOK_SECRET=SECRET,
        BARBERPRO_TELEGRAM_API_URL=fake_telegram.url,
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p),
    )
    server = Server(env, tmp_path)
    try:
        yield server
    finally:
        server.kill()


async def eventually(
    check: Callable[[], Awaitable[T | None]], what: str, server: Server, within: float = 30.0
) -> T:
    """Poll `check` until it returns something (not None); fail saying `what` after `within` s."""
    deadline = time.monotonic() + within
    while True:
        found = await check()
        if found is not None:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; server log:\n{server.output()}")
        await asyncio.sleep(0.05)


async def post_update(server: Server, update: dict[str, object]) -> None:
    """Post a Telegram update to the server's webhook, as Telegram would."""
    async with httpx.AsyncClient(base_url=server.url) as client:
        response = await client.post(
            "/webhooks/telegram",
            json=update,
            headers={"X-Telegram-Bot-Api-Secret-Token": SECRET},
        )
    assert response.status_code == 200, response.text


async def record_pending_inbound(
    uow_factory: UnitOfWorkFactory, update: dict[str, object], at: datetime
) -> int:
    """Record an update as the webhook does at `at` (pending, claimed by the recording process
    for CLAIM), without processing it: the process died first."""
    inbound = parse_update(Update.de_json(update, None))
    assert inbound is not None
    recorded = await record_inbound(
        uow_factory,
        inbound.channel,
        inbound.external_id,
        inbound.chat_id,
        asdict(inbound),
        at,
        claim=CLAIM,
    )
    assert recorded is not None
    return recorded


async def test_kill_9_with_messages_in_the_outbox_delivers_them_once_after_restart(
    server: Server,
    fake_telegram: FakeTelegram,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    dialect: str,
) -> None:
    """Replies stuck behind 500s survive a SIGKILL and go out once after the restart; an inbound
    recorded but never processed before the crash is answered after it too."""
    await seed_demo(uow_factory, clock)
    fake_telegram.fail_next(500, times=1_000_000)
    server.start()

    await post_update(server, text_update(900_001, 801, "hola", "Martina"))

    async def waiting_for_a_retry() -> list[Outboxed] | None:
        rows = await outbox(uow_factory, "801")
        first = rows[0] if rows else None
        quiet = (  # tried, not being sent right now, and not about to be
            first is not None
            and first.attempts >= 1
            and first.claimed_until is None
            and first.due_at > datetime.now(UTC) + timedelta(milliseconds=300)
        )
        return rows if quiet and all(r.status == "pending" for r in rows) else None

    stuck = await eventually(waiting_for_a_retry, "replies waiting in the outbox", server)
    assert len(stuck) >= 2, "a greeting and a question"
    server.kill()
    assert telegram_texts(fake_telegram, 801) == [], "nothing got through before the kill"
    assert fake_telegram.calls("sendMessage"), "the server did try"

    # SQLite has one server process, so a restart takes over the dead one's live claims; on
    # PostgreSQL (several processes) a claim is waited out: there the crash was a while ago.
    recorded_at = datetime.now(UTC) - (timedelta(0) if dialect == "sqlite" else 2 * CLAIM)
    if dialect == "sqlite":  # killed mid-send: the first reply still claimed for the lease
        async with uow_factory() as uow:
            await uow.session.execute(
                update(OutboxRow)
                .where(OutboxRow.id == stuck[0].id)
                .values(claimed_until=datetime.now(UTC) + LEASE)
            )
            await uow.commit()
    from_ana = text_update(900_002, 802, "hola", "Ana")
    unprocessed = await record_pending_inbound(uow_factory, from_ana, recorded_at)
    fake_telegram.reset()
    server.start()

    async def all_sent() -> list[Outboxed] | None:
        rows = await outbox(uow_factory)
        chats = {r.chat_id for r in rows}
        done = chats >= {"801", "802"} and all(r.status == "sent" for r in rows)
        return rows if done else None

    rows = await eventually(all_sent, "every outbox message delivered", server)
    for chat in ("801", "802"):
        texts = telegram_texts(fake_telegram, chat)
        assert texts == [r.text for r in rows if r.chat_id == chat], texts
        assert twice(texts) == []
        assert texts[0] == GREETING
    async with uow_factory.read_only() as uow:
        status = await uow.session.scalar(
            select(InboundMessageRow.status).where(InboundMessageRow.id == unprocessed)
        )
    assert status == "done"
