"""kill -9 with due reminders: the real server, as a process, sends each one once after a restart.

`barberpro serve` runs with the sandbox on and a 1-second loop against the test's database (the
demo shop, plus customers who each have a sandbox chat and a turno). Their reminder jobs are
made due while it runs; as soon as it has claimed them, the test holds their chats' writes (the
database's write lock on SQLite, the conversation rows on PostgreSQL) so no reminder can be
saved, and kills the process with SIGKILL. Started again, it sends every reminder exactly once.
The server sends them in one batch (bot/reminders.py `run_batch`): the batch's one write is
what the kill cuts off.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NamedTuple

import httpx
import pytest
from sqlalchemy import insert, select, update

from bot.demo import DEMO_SLUG, seed_demo
from bot.reminders import KIND
from conversations.state import State, Step
from domain.model import session_key
from domain.storage.jobs import NewJob, schedule_jobs
from domain.storage.tables import (
    BookingRow,
    ConversationRow,
    CustomerRow,
    JobRow,
    OutboxRow,
    ProfessionalRow,
    ServiceProfessionalRow,
    ServiceRow,
    ShopCustomerRow,
    ShopRow,
)
from domain.storage.uow import UnitOfWorkFactory
from tests.channels.test_restart import Server, eventually
from tests.fakes.telegram_api import REPO_ROOT
from tests.helpers import FixedClock

# Fewer than the loop claims at once (bot.scheduler.BULK_BATCH), so one claim takes them all.
CUSTOMERS = 40
REMINDER = "⏰ Te recuerdo tu turno"


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[Server]:
    """A sandbox server process on the test's database, its loop every second; always killed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("BARBERPRO_")}
    env.update(
        BARBERPRO_DATABASE_URL=database_url,
        BARBERPRO_SANDBOX="1",
        BARBERPRO_SCHEDULER_INTERVAL_SECONDS="1",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH")) if p),
    )
    server = Server(env, tmp_path)
    try:
        yield server
    finally:
        server.kill()


async def customers_with_turnos(
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    *,
    count: int = CUSTOMERS,
    channel: str = "sandbox",
    barber: str = "Nico Restart",
) -> dict[int, str]:
    """`count` customers of the demo shop, each with a chat on `channel` (a Telegram account,
    or a phone for the sandbox) and a confirmed turno in three days with a barber of their own
    (no demo turno in the way); returns booking → chat id."""
    async with uow_factory() as uow:
        s = uow.session
        shop = (await s.scalars(select(ShopRow.id).where(ShopRow.slug == DEMO_SLUG))).one()
        service = (
            await s.execute(
                select(ServiceRow.id, ServiceRow.duration_minutes)
                .where(ServiceRow.shop_id == shop, ServiceRow.seats == 1)
                .order_by(ServiceRow.id)
                .limit(1)
            )
        ).one()
        pro = (
            await s.execute(
                insert(ProfessionalRow)
                .values(shop_id=shop, name=barber, nickname=None, active=True)
                .returning(ProfessionalRow.id)
            )
        ).scalar_one()
        await s.execute(
            insert(ServiceProfessionalRow).values(service_id=service.id, professional_id=pro)
        )
        state = json.dumps(State(step=Step.MENU).to_json())
        first = (now + timedelta(days=3)).replace(minute=0, second=0, microsecond=0)
        length = timedelta(minutes=service.duration_minutes)
        chats = {}
        for n in range(count):
            telegram = channel == "telegram"
            person = (
                {"telegram_user_id": 960_000 + n} if telegram else {"phone": f"+5491170000{n:03d}"}
            )
            customer = (
                await s.execute(
                    insert(CustomerRow).values(**person, created_at=now).returning(CustomerRow.id)
                )
            ).scalar_one()
            await s.execute(
                insert(ShopCustomerRow).values(
                    shop_id=shop, customer_id=customer, name=f"Cliente {n}", created_at=now
                )
            )
            chat = str(960_000 + n) if telegram else f"restart-{n}"
            await s.execute(
                insert(ConversationRow).values(
                    channel=channel,
                    chat_id=chat,
                    shop_id=shop,
                    customer_id=customer,
                    state=state,
                    version=1,
                    updated_at=now,
                )
            )
            start = first + n * length
            booking = (
                await s.execute(
                    insert(BookingRow)
                    .values(
                        shop_id=shop,
                        service_id=service.id,
                        professional_id=pro,
                        customer_id=customer,
                        starts_at=start,
                        ends_at=start + length,
                        block_start=start,
                        block_end=start + length,
                        session_key=session_key(pro, service.id, start),
                        seat_no=1,
                        capacity=1,
                        status="confirmed",
                        price_cents=1_000_000,
                        currency="ARS",
                        created_at=now,
                        late_cancellation=False,
                        payment_method="cash",
                    )
                    .returning(BookingRow.id)
                )
            ).scalar_one()
            chats[booking] = chat
        await uow.commit()
    return chats


@asynccontextmanager
async def write_lock_once_claimed(
    uow_factory: UnitOfWorkFactory, bookings: list[int], server: Server
) -> AsyncIterator[None]:
    """SQLite: the database's write lock, taken when the server has claimed the reminders and
    saved none of them. The claim needs the lock too, so the test takes it again and again and
    looks while holding it: what it sees cannot change while it is held (polling without the
    lock, the server's batch of reminders, a few milliseconds, could be missed whole)."""
    deadline = asyncio.get_running_loop().time() + 10
    while True:
        async with uow_factory() as uow:
            await uow.session.connection()  # BEGIN IMMEDIATE: the database's one write lock
            rows = (
                await uow.session.execute(
                    select(JobRow.status, JobRow.claimed_by).where(JobRow.booking_id.in_(bookings))
                )
            ).all()
            if any(status == "pending" and claimed_by for status, claimed_by in rows):
                yield
                return  # leaving rolls back: the lock goes
        assert all(status == "pending" for status, _ in rows), f"sent before the lock: {rows}"
        if asyncio.get_running_loop().time() > deadline:
            raise AssertionError(f"the server never claimed the reminders:\n{server.output()}")
        await asyncio.sleep(0.002)


@asynccontextmanager
async def chats_locked(uow_factory: UnitOfWorkFactory, chats: list[str]) -> AsyncIterator[None]:
    """PostgreSQL: while inside, no reminder to `chats` can be saved (each saves its chat's
    conversation, and the rows are locked)."""
    async with uow_factory() as uow:
        await uow.session.execute(
            select(ConversationRow.id).where(ConversationRow.chat_id.in_(chats)).with_for_update()
        )
        yield
        # leaving rolls back: the lock goes


class JobState(NamedTuple):
    id: int
    status: str
    claimed_by: str | None


async def jobs_of(uow_factory: UnitOfWorkFactory, bookings: list[int]) -> list[JobState]:
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            select(JobRow.id, JobRow.status, JobRow.claimed_by)
            .where(JobRow.booking_id.in_(bookings))
            .order_by(JobRow.id)
        )
        return [JobState(*row) for row in rows]


async def pushes(server: Server, chat_id: str) -> list[str]:
    # A server just restarted and sending its backlog may take more than httpx's 5 s to accept
    # a connection on a loaded machine (seen once: ConnectTimeout); the answer is what counts.
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        response = await client.get(f"/sandbox/chats/{chat_id}/pushes")
    assert response.status_code == 200, response.text
    return [push["text"] for push in response.json()["pushes"]]


async def test_kill_9_after_claiming_due_reminders_sends_each_once_after_restart(
    server: Server, uow_factory: UnitOfWorkFactory, dialect: str
) -> None:
    now = datetime.now(UTC)
    await seed_demo(uow_factory, FixedClock(now))
    chats = await customers_with_turnos(uow_factory, now)
    bookings = list(chats)
    server.start()

    due, shop_id = datetime.now(UTC) - timedelta(minutes=1), await _shop_id(uow_factory)
    jobs = [
        NewJob(KIND, f"{KIND}:{b}:24h", due, shop_id, b, {"hours_before": 24}) for b in bookings
    ]

    async def claimed() -> list[JobState] | None:
        rows = await jobs_of(uow_factory, bookings)
        return rows if any(r.claimed_by for r in rows) else None

    if dialect == "sqlite":  # the write lock would keep the claim out too: take it after
        assert await schedule_jobs(uow_factory, jobs) == CUSTOMERS
        async with write_lock_once_claimed(uow_factory, bookings, server):
            await _settle_and_kill(server)
    else:
        async with chats_locked(uow_factory, list(chats.values())):
            assert await schedule_jobs(uow_factory, jobs) == CUSTOMERS
            await eventually(claimed, "the server claiming the reminders", server, within=10)
            await _settle_and_kill(server)

    at_kill = await jobs_of(uow_factory, bookings)
    stranded = [r for r in at_kill if r.status == "pending" and r.claimed_by is not None]
    assert stranded, f"no reminder was claimed and unsent at the kill: {_statuses(at_kill)}"
    assert len(stranded) + sum(r.status == "done" for r in at_kill) == CUSTOMERS

    # A dead process's claims are waited out (bot.scheduler.LEASE, 5 minutes): the restart
    # comes as if that long after the crash.
    async with uow_factory() as uow:
        await uow.session.execute(
            update(JobRow)
            .where(JobRow.id.in_([r.id for r in stranded]))
            .values(claimed_until=datetime.now(UTC) - timedelta(seconds=1))
        )
        await uow.commit()
    server.start()

    async def all_done() -> list[JobState] | None:
        rows = await jobs_of(uow_factory, bookings)
        return rows if all(r.status == "done" for r in rows) else None

    done = await eventually(all_done, "every reminder job done", server)
    assert len(done) == CUSTOMERS
    for chat in chats.values():  # a done job's message is in the outbox: pending or sent
        texts = await pushes(server, chat)
        assert len(texts) == 1, (chat, texts)
        assert texts[0].startswith(REMINDER), texts
    async with uow_factory.read_only() as uow:
        keys = (
            await uow.session.scalars(
                select(OutboxRow.dedupe_key).where(OutboxRow.chat_id.in_(list(chats.values())))
            )
        ).all()
    assert Counter(keys) == Counter(f"job:{r.id}:0" for r in done)


async def _shop_id(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory.read_only() as uow:
        return int(
            (await uow.session.scalars(select(ShopRow.id).where(ShopRow.slug == DEMO_SLUG))).one()
        )


async def _settle_and_kill(server: Server) -> None:
    """Let the server reach the held write, then kill -9 it."""
    await asyncio.sleep(0.5)
    server.kill()


def _statuses(rows: list[JobState]) -> list[tuple[str, str | None]]:
    return [(r.status, r.claimed_by) for r in rows]
