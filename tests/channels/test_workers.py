"""Several `barberpro serve` processes on one PostgreSQL database, as real processes.

One chat's messages posted alternately to two processes are answered in order and once; a
batch of due reminders and queued messages shared by two processes reaches the fake Bot API
exactly once, in order per chat. SQLite is served by one process, so these skip there.
"""

from __future__ import annotations

import asyncio
import os
from collections import Counter
from collections.abc import Awaitable, Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from bot.demo import DEMO_SLUG, seed_demo
from bot.reminders import KIND
from domain.storage.channels import OutboxMessage, enqueue
from domain.storage.jobs import schedule
from domain.storage.tables import (
    InboundMessageRow,
    JobRow,
    ShopRow,
)
from domain.storage.uow import UnitOfWorkFactory
from tests.channels.delivery import Outboxed, outbox, telegram_texts
from tests.channels.live import SECRET, TOKEN
from tests.channels.test_restart import PUBLIC_URL, Server, eventually, post_update
from tests.fakes.telegram_api import REPO_ROOT, FakeTelegram, text_update
from tests.helpers import FixedClock
from tests.scheduler.test_reminders_restart import customers_with_turnos

pytestmark = pytest.mark.postgres

# Each message's answer depends on the ones before it: out of order, the transcript differs.
MESSAGES = ["hola", "Martina", "ayuda", "menú", "quiero un corte", "volver", "cancelar", "hola"]
CHATS = 30  # chats in the shared batch: each gets a reminder and two queued messages
REMINDER = "⏰ Te recuerdo tu turno"


@pytest.fixture
def servers(
    database_url: str, dialect: str, fake_telegram: FakeTelegram, tmp_path: Path
) -> Iterator[tuple[Server, Server]]:
    """Two server processes on the test's database and the fake Bot API; always killed."""
    if dialect != "postgresql":
        pytest.skip("several processes serve one database on PostgreSQL only")
    env = {k: v for k, v in os.environ.items() if not k.startswith("BARBERPRO_")}
    env.update(
        BARBERPRO_DATABASE_URL=database_url,
        BARBERPRO_PUBLIC_URL=PUBLIC_URL,
        BARBERPRO_TELEGRAM_TOKEN=TOKEN,
        BARBERPRO_TELEGRAM_WEBHOOK_SECRET=SECRET,
        BARBERPRO_TELEGRAM_API_URL=fake_telegram.url,
        BARBERPRO_SCHEDULER_INTERVAL_SECONDS="1",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p),
    )
    pair = []
    for name in ("a", "b"):
        workdir = tmp_path / name
        workdir.mkdir()
        pair.append(Server(env, workdir))
    try:
        yield pair[0], pair[1]
    finally:
        for server in pair:
            server.kill()


async def test_one_chats_messages_posted_to_two_processes_are_answered_in_order_once(
    servers: tuple[Server, Server],
    fake_telegram: FakeTelegram,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    """A chat's messages posted all at once, alternately to two processes, are answered as
    if they came one at a time in the order they were recorded: the same transcript as the
    same messages sent one after the other's answer, and each reply sent once."""
    await seed_demo(uow_factory, clock, history=False)
    a, b = servers
    a.start()
    b.start()

    await asyncio.gather(
        *(
            post_update((a, b)[n % 2], text_update(920_000 + n, 901, text, "Martina"))
            for n, text in enumerate(MESSAGES)
        )
    )
    rows = await eventually(_answered(uow_factory, "901", len(MESSAGES)), "every answer", b)
    transcript = telegram_texts(fake_telegram, 901)
    assert transcript == [r.text for r in rows]

    # The reference: chat 902 sends those messages in their recorded order to one process,
    # each once the one before was answered.
    for n, update_id in enumerate(await _recorded_order(uow_factory, "901")):
        text = MESSAGES[update_id - 920_000]
        await post_update(a, text_update(910_000 + n, 902, text, "Martina"))
        await eventually(_answered(uow_factory, "902", n + 1), f"message {n} answered", a)
    assert transcript == telegram_texts(fake_telegram, 902)


async def test_two_processes_share_due_reminders_and_queued_messages_and_send_each_once(
    servers: tuple[Server, Server],
    fake_telegram: FakeTelegram,
    uow_factory: UnitOfWorkFactory,
) -> None:
    """Due reminder jobs and queued outbox messages appear at once while two processes run:
    each job runs once and every message reaches the Bot API once, in order in its chat."""
    now = datetime.now(UTC)
    await seed_demo(uow_factory, FixedClock(now), history=False)
    chats = await customers_with_turnos(
        uow_factory, now, count=CHATS, channel="telegram", barber="Nico Workers"
    )
    a, b = servers
    a.start()
    b.start()

    shop_id = await _demo_shop(uow_factory)
    # One transaction: both processes find the whole batch due at their next look.
    async with uow_factory() as uow:
        for booking, chat in chats.items():
            await enqueue(
                uow.session,
                [OutboxMessage("telegram", chat, {"text": f"{chat}: {n}"}) for n in (1, 2)],
                now,
            )
            await schedule(
                uow.session,
                KIND,
                f"{KIND}:{booking}:24h",
                now - timedelta(minutes=1),
                shop_id=shop_id,
                booking_id=booking,
                payload={"hours_before": 24},
            )
        await uow.commit()

    async def all_sent() -> list[Outboxed] | None:
        jobs = await _job_statuses(uow_factory, list(chats))
        rows = await outbox(uow_factory)
        done = jobs == {"done"} and len(rows) == 3 * CHATS
        return rows if done and all(r.status == "sent" for r in rows) else None

    rows = await eventually(all_sent, "every job run and every message sent", a, within=60)

    assert len(fake_telegram.sent()) == len(rows)
    for chat in chats.values():
        texts = telegram_texts(fake_telegram, chat)
        assert texts == [r.text for r in rows if r.chat_id == chat], (chat, texts)
        assert [t for t in texts if not t.startswith(REMINDER)] == [f"{chat}: 1", f"{chat}: 2"]
        assert sum(t.startswith(REMINDER) for t in texts) == 1, texts
    async with uow_factory.read_only() as uow:
        attempts = Counter(
            (
                await uow.session.scalars(
                    select(JobRow.attempts).where(JobRow.booking_id.in_(list(chats)))
                )
            ).all()
        )
    assert attempts == {1: CHATS}, "each job was run once"


def _answered(
    uow_factory: UnitOfWorkFactory, chat: str, count: int
) -> Callable[[], Awaitable[list[Outboxed] | None]]:
    """A check: `count` messages of the chat processed and every reply of it sent."""

    async def check() -> list[Outboxed] | None:
        async with uow_factory.read_only() as uow:
            statuses = (
                await uow.session.scalars(
                    select(InboundMessageRow.status).where(InboundMessageRow.chat_id == chat)
                )
            ).all()
        rows = await outbox(uow_factory, chat)
        done = statuses.count("done") == count and len(statuses) == count
        return rows if done and rows and all(r.status == "sent" for r in rows) else None

    return check


async def _recorded_order(uow_factory: UnitOfWorkFactory, chat: str) -> list[int]:
    """The update ids of a chat's messages in the order they were recorded."""
    async with uow_factory.read_only() as uow:
        found = await uow.session.scalars(
            select(InboundMessageRow.external_id)
            .where(InboundMessageRow.chat_id == chat)
            .order_by(InboundMessageRow.id)
        )
        return [int(external_id) for external_id in found.all()]


async def _demo_shop(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory.read_only() as uow:
        found = await uow.session.scalars(select(ShopRow.id).where(ShopRow.slug == DEMO_SLUG))
        return int(found.one())


async def _job_statuses(uow_factory: UnitOfWorkFactory, bookings: list[int]) -> set[str]:
    async with uow_factory.read_only() as uow:
        found = await uow.session.scalars(
            select(JobRow.status).where(JobRow.booking_id.in_(bookings), JobRow.kind == KIND)
        )
        return set(found.all()) or {"none yet"}
