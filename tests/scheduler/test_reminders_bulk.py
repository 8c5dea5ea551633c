"""Reminders in bulk (bot/reminders.py `run_batch`): the job loop sends a claim's reminders in one
transaction, and what each chat gets is exactly what the one-by-one path (`Reminders.run`,
through the dispatcher) gives it: the same outbox rows, the same conversation states.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import delete, func, insert, select, text, update

from bot.channels.sandbox import SandboxChannel
from bot.channels.telegram import TelegramChannel
from bot.channels.whatsapp import WhatsAppChannel
from bot.dispatcher import Dispatcher
from bot.reminders import KIND, Reminders
from bot.scheduler import BULK_BATCH, JobLoop
from bot.settings import Settings
from conversations.messages import UserMessage
from conversations.state import Draft, State, Step
from domain.model import session_key
from domain.storage.engine import make_engine
from domain.storage.jobs import Job, NewJob, schedule_jobs
from domain.storage.tables import (
    BookingRow,
    ConversationRow,
    CustomerRow,
    JobRow,
    OutboxRow,
    ShopCustomerRow,
    ShopRow,
)
from domain.storage.uow import UnitOfWorkFactory
from tests.conftest import T0
from tests.helpers import FixedClock, ShopFixture, build_shop

DUE = T0 - timedelta(minutes=1)
MENU = State(step=Step.MENU, updated_at=T0 - timedelta(days=1))
BatchRun = Callable[[Sequence[Job], str], Awaitable[Sequence[Job]]]


@dataclass
class World:
    """The shops, and per label the booking its reminder is about and the chat it goes to."""

    uno: ShopFixture
    dos: ShopFixture
    bookings: dict[str, int] = field(default_factory=dict)
    chats: dict[str, str] = field(default_factory=dict)


class Builder:
    """Rows inserted as the app would have left them: customers, chats, turnos."""

    def __init__(self, uow_factory: UnitOfWorkFactory) -> None:
        self.uow_factory = uow_factory

    async def customer(self, shop_names: dict[int, str | None], phone: str) -> int:
        async with self.uow_factory() as uow:
            customer = (
                await uow.session.execute(
                    insert(CustomerRow)
                    .values(phone=phone, created_at=T0 - timedelta(days=30))
                    .returning(CustomerRow.id)
                )
            ).scalar_one()
            for shop, name in shop_names.items():
                await uow.session.execute(
                    insert(ShopCustomerRow).values(
                        shop_id=shop, customer_id=customer, name=name, created_at=T0
                    )
                )
            await uow.commit()
        return int(customer)

    async def chat(
        self,
        channel: str,
        chat_id: str,
        shop: int,
        customer: int,
        state: State | str = MENU,
        ago: timedelta = timedelta(days=1),
    ) -> None:
        text_state = state if isinstance(state, str) else json.dumps(state.to_json())
        async with self.uow_factory() as uow:
            await uow.session.execute(
                insert(ConversationRow).values(
                    channel=channel,
                    chat_id=chat_id,
                    shop_id=shop,
                    customer_id=customer,
                    state=text_state,
                    version=3,
                    updated_at=T0 - ago,
                )
            )
            await uow.commit()

    async def booking(
        self,
        shop: ShopFixture,
        customer: int,
        start: datetime,
        status: str = "confirmed",
        professional: int = 0,
    ) -> int:
        service = shop.services["Corte"]
        pro = shop.professionals[professional]
        end = start + timedelta(minutes=30)
        async with self.uow_factory() as uow:
            booking = (
                await uow.session.execute(
                    insert(BookingRow)
                    .values(
                        shop_id=shop.shop_id,
                        service_id=service,
                        professional_id=pro,
                        customer_id=customer,
                        starts_at=start,
                        ends_at=end,
                        block_start=start,
                        block_end=end,
                        session_key=session_key(pro, service, start),
                        seat_no=1,
                        capacity=1,
                        status=status,
                        price_cents=1_200_000,
                        currency="ARS",
                        created_at=T0 - timedelta(days=3),
                        late_cancellation=False,
                        payment_method="cash",
                    )
                    .returning(BookingRow.id)
                )
            ).scalar_one()
            await uow.commit()
        return int(booking)


async def build_world(uow_factory: UnitOfWorkFactory) -> World:
    """Two shops (the second speaks English) and customers whose reminders differ in every way
    the sending path cares about."""
    uno = await build_shop(uow_factory, slug="uno", professionals=2)
    dos = await build_shop(uow_factory, slug="dos")
    async with uow_factory() as uow:
        await uow.session.execute(
            update(ShopRow).where(ShopRow.id == dos.shop_id).values(locale="en")
        )
        await uow.commit()
    world = World(uno, dos)
    b = Builder(uow_factory)
    tomorrow = T0 + timedelta(days=1)
    a = uno.shop_id

    async def one(
        label: str,
        channel: str,
        chat_id: str,
        state: State | str = MENU,
        name: str | None = "Cliente",
        status: str = "confirmed",
        start: datetime | None = None,
    ) -> int:
        n = len(world.bookings)
        customer = await b.customer({a: name}, f"+549110000{n:04d}")
        await b.chat(channel, chat_id, a, customer, state)
        at = start or tomorrow + timedelta(hours=n)
        world.bookings[label] = await b.booking(uno, customer, at, status, professional=n % 2)
        world.chats[label] = chat_id
        return customer

    await one("sandbox", "sandbox", "s-plain")
    await one("english", "telegram", "1002", replace_language(MENU, "en"))
    await one(
        "mid-booking",
        "whatsapp",
        "whatsapp:+5491100000003",
        State(step=Step.SERVICE, draft=Draft(service_id=uno.services["Corte"]), updated_at=T0),
    )
    await one("unnamed", "sandbox", "s-unnamed", name=None)
    await one("unreadable", "sandbox", "s-unreadable", state="{not json")
    await one("cancelled", "sandbox", "s-cancelled", status="cancelled")
    await one("held", "sandbox", "s-held", status="held")
    await one("started", "sandbox", "s-started", start=T0 - timedelta(minutes=10))

    later = tomorrow + timedelta(days=1)  # (the turnos below: one hour apart from here)

    # Two chats: the reminder goes to the one used last.
    two_chats = await b.customer({a: "Dos Chats"}, "+5491100009001")
    await b.chat("sandbox", "s-old", a, two_chats, ago=timedelta(days=9))
    await b.chat("telegram", "1009", a, two_chats, ago=timedelta(hours=1))
    world.bookings["two chats"] = await b.booking(uno, two_chats, later)
    world.chats["two chats"] = "1009"

    # Two turnos, both reminded now: two reminders to one chat, in order.
    twice = await b.customer({a: "Dos Turnos"}, "+5491100009002")
    await b.chat("sandbox", "s-twice", a, twice)
    world.bookings["twice 1"] = await b.booking(uno, twice, later + timedelta(hours=1))
    world.bookings["twice 2"] = await b.booking(uno, twice, later + timedelta(days=1, hours=1))
    world.chats["twice 1"] = world.chats["twice 2"] = "s-twice"

    # One person, a chat with each shop: each shop's reminder in that shop's chat and words.
    both = await b.customer({a: "Ana", dos.shop_id: "Ana B"}, "+5491100009003")
    await b.chat("sandbox", "s-ana-uno", a, both, ago=timedelta(days=2))
    await b.chat("sandbox", "s-ana-dos", dos.shop_id, both, ago=timedelta(hours=2))
    world.bookings["ana uno"] = await b.booking(uno, both, later + timedelta(hours=2))
    world.bookings["ana dos"] = await b.booking(dos, both, later + timedelta(hours=2))
    world.chats["ana uno"], world.chats["ana dos"] = "s-ana-uno", "s-ana-dos"

    # No chat at all: nothing to send.
    nobody = await b.customer({a: "Sin Chat"}, "+5491100009004")
    world.bookings["no chat"] = await b.booking(uno, nobody, later + timedelta(hours=3))

    shop_of = {label: (dos.shop_id if label == "ana dos" else a) for label in world.bookings}
    await schedule_jobs(
        uow_factory,
        [
            NewJob(KIND, f"{KIND}:{booking}:24h", DUE, shop_of[label], booking, {})
            for label, booking in world.bookings.items()
        ],
    )
    return world


def replace_language(state: State, language: str) -> State:
    return State(step=state.step, updated_at=state.updated_at, language=language)


def channels_for(uow_factory: UnitOfWorkFactory, clock: FixedClock) -> dict[str, Any]:
    """The three channels, built as the app builds them (never started: rendering only)."""
    settings = Settings(
        _env_file=None,
        telegram_token="123456:TEST",
        telegram_api_url="http://127.0.0.1:9",
        twilio_account_sid="AC" + "0" * 32,
        twilio_auth_token="secret",
        twilio_whatsapp_from="whatsapp:+14155238886",
    )
    return {
        "sandbox": SandboxChannel(),
        "telegram": TelegramChannel(settings),
        "whatsapp": WhatsAppChannel(settings, uow_factory, clock),
    }


class Watched:
    """The real batch handler, with what each call did and handed back noted."""

    def __init__(self, run_batch: BatchRun) -> None:
        self.run_batch = run_batch
        self.calls: list[tuple[int, list[int]]] = []  # (jobs given, ids handed back)
        self.returned = asyncio.Event()

    async def __call__(self, jobs: Sequence[Job], worker: str) -> Sequence[Job]:
        left = await self.run_batch(jobs, worker)
        self.calls.append((len(jobs), [j.id for j in left]))
        self.returned.set()
        return left


def reminder_loop(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    *,
    bulk: bool,
    worker: str,
    dispatcher: Dispatcher | None = None,
) -> tuple[JobLoop, Watched | None]:
    """A job loop with the app's reminder handlers: in bulk, or one by one only."""
    dispatcher = dispatcher or Dispatcher(uow_factory, clock)
    reminders = Reminders(uow_factory, clock, dispatcher, channels_for(uow_factory, clock))
    watched = Watched(reminders.run_batch) if bulk else None
    loop = JobLoop(
        uow_factory,
        clock,
        {KIND: reminders.run},
        15,
        worker_id=worker,
        batch_handlers={KIND: watched} if watched else None,
    )
    return loop, watched


async def snapshot(uow_factory: UnitOfWorkFactory) -> dict[str, Any]:
    """Every outbox row (in order), conversation and job, as comparable values."""
    async with uow_factory.read_only() as uow:
        s = uow.session
        outbox = [
            (channel, chat, shop, json.loads(payload), key, status)
            for channel, chat, shop, payload, key, status in await s.execute(
                select(
                    OutboxRow.channel,
                    OutboxRow.chat_id,
                    OutboxRow.shop_id,
                    OutboxRow.payload,
                    OutboxRow.dedupe_key,
                    OutboxRow.status,
                ).order_by(OutboxRow.id)
            )
        ]
        chats = {
            (channel, chat): (shop, customer, _parsed(state), version, updated)
            for channel, chat, shop, customer, state, version, updated in await s.execute(
                select(
                    ConversationRow.channel,
                    ConversationRow.chat_id,
                    ConversationRow.shop_id,
                    ConversationRow.customer_id,
                    ConversationRow.state,
                    ConversationRow.version,
                    ConversationRow.updated_at,
                )
            )
        }
        jobs = dict((await s.execute(select(JobRow.id, JobRow.status))).all())
    per_chat: dict[str, list[str | None]] = {}
    for _, chat, _, _, key, _ in outbox:
        per_chat.setdefault(chat, []).append(key)
    return {
        "outbox": sorted(outbox, key=lambda row: str(row[4])),
        "order": per_chat,
        "chats": chats,
        "jobs": jobs,
    }


def _parsed(state: str) -> Any:
    try:
        return json.loads(state)
    except ValueError:
        return state


async def undo_reminders(uow_factory: UnitOfWorkFactory, before: dict[str, Any]) -> None:
    """Back to before the reminders ran: outbox empty, chats as they were, jobs pending."""
    async with uow_factory() as uow:
        s = uow.session
        await s.execute(delete(OutboxRow))
        for (channel, chat), (_, _, state, version, updated) in before["chats"].items():
            await s.execute(
                update(ConversationRow)
                .where(ConversationRow.channel == channel, ConversationRow.chat_id == chat)
                .values(
                    state=state if isinstance(state, str) else json.dumps(state),
                    version=version,
                    updated_at=updated,
                )
            )
        await s.execute(
            update(JobRow).values(
                status="pending", claimed_by=None, claimed_until=None, done_at=None, attempts=0
            )
        )
        await uow.commit()


async def test_bulk_and_one_by_one_send_the_same_messages_and_leave_the_same_chats(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world = await build_world(uow_factory)
    before = await snapshot(uow_factory)

    one_by_one, _ = reminder_loop(uow_factory, clock, bulk=False, worker="one-by-one")
    assert await one_by_one.run_once() == len(world.bookings)
    singly = await snapshot(uow_factory)

    await undo_reminders(uow_factory, before)
    assert await snapshot(uow_factory) == before
    bulk, watched = reminder_loop(uow_factory, clock, bulk=True, worker="bulk")
    assert await bulk.run_once() == len(world.bookings)
    in_bulk = await snapshot(uow_factory)

    assert in_bulk == singly
    # Everything went in the batch but the second reminder to one chat, which followed it.
    assert watched is not None
    twice_2 = await job_of(uow_factory, world.bookings["twice 2"])
    assert watched.calls == [(len(world.bookings), [twice_2])]

    # And what was sent is right: one reminder per live turno, in its customer's chat.
    texts = {(row[1], row[4]): row[3]["text"] for row in in_bulk["outbox"]}
    sent_to = sorted(chat for chat, _ in texts)
    silent = {"cancelled", "held", "started", "no chat"}
    assert sent_to == sorted(c for label, c in world.chats.items() if label not in silent)
    assert all(text.startswith("⏰") for text in texts.values())
    english = [t for (chat, _), t in texts.items() if chat in ("1002", "s-ana-dos")]
    assert len(english) == 2
    assert all(t.startswith("⏰ Reminder") for t in english), english
    assert set(in_bulk["jobs"].values()) == {"done"}
    whatsapp = next(row for row in in_bulk["outbox"] if row[0] == "whatsapp")
    assert "numbered" in whatsapp[3]


async def job_of(uow_factory: UnitOfWorkFactory, booking: int) -> int:
    async with uow_factory.read_only() as uow:
        return int(
            (await uow.session.scalars(select(JobRow.id).where(JobRow.booking_id == booking))).one()
        )


async def test_a_reminder_is_sent_once_when_its_round_runs_again(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    world = await build_world(uow_factory)
    loop, _ = reminder_loop(uow_factory, clock, bulk=True, worker="bulk")

    await loop.run_once()
    first = await snapshot(uow_factory)
    assert await loop.run_once() == 0

    assert await snapshot(uow_factory) == first
    assert len(first["outbox"]) == len(world.bookings) - 4


async def test_a_reminder_naming_another_shops_turno_sends_nothing(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """Tenancy: a job of shop "dos" about a turno of shop "uno" does not reach the chat."""
    world = await build_world(uow_factory)
    async with uow_factory() as uow:
        await uow.session.execute(delete(JobRow))
        await uow.commit()
    await schedule_jobs(
        uow_factory,
        [NewJob(KIND, "reminder:stray", DUE, world.dos.shop_id, world.bookings["ana uno"], {})],
    )
    loop, watched = reminder_loop(uow_factory, clock, bulk=True, worker="bulk")

    assert await loop.run_once() == 1

    after = await snapshot(uow_factory)
    assert after["outbox"] == []
    assert set(after["jobs"].values()) == {"done"}
    assert watched is not None
    assert watched.calls == [(1, [])]


async def test_many_reminders_go_in_batches_one_message_each(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """More reminders than one claim takes: every one sent once, each in its own chat."""
    shop = await build_shop(uow_factory, slug="muchos", professionals=3)
    b = Builder(uow_factory)
    count = BULK_BATCH + 37
    bookings = {}
    for n in range(count):
        customer = await b.customer({shop.shop_id: f"Cliente {n}"}, f"+54911200{n:05d}")
        await b.chat("sandbox", f"m-{n}", shop.shop_id, customer)
        start = T0 + timedelta(days=1 + n // 30, minutes=30 * (n % 10))
        bookings[await b.booking(shop, customer, start, professional=n % 3)] = f"m-{n}"
    await schedule_jobs(
        uow_factory,
        [NewJob(KIND, f"{KIND}:{b}:24h", DUE, shop.shop_id, b, {}) for b in bookings],
    )
    loop, watched = reminder_loop(uow_factory, clock, bulk=True, worker="bulk")

    assert await loop.run_once() == count

    assert watched is not None
    assert [given for given, _ in watched.calls] == [BULK_BATCH, count - BULK_BATCH]
    assert all(left == [] for _, left in watched.calls)
    after = await snapshot(uow_factory)
    jobs = {booking: job for job, booking in await job_bookings(uow_factory)}
    assert sorted((row[1], row[4]) for row in after["outbox"]) == sorted(
        (chat, f"job:{jobs[booking]}:0") for booking, chat in bookings.items()
    )
    assert {version for _, _, _, version, _ in after["chats"].values()} == {4}


async def job_bookings(uow_factory: UnitOfWorkFactory) -> list[tuple[int, int | None]]:
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(select(JobRow.id, JobRow.booking_id))
        return [(job, booking) for job, booking in rows]


async def test_two_loops_at_once_send_each_reminder_once(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, database_url: str, dialect: str
) -> None:
    """Two loops (on PostgreSQL on two engines, as two processes would be) claim at once."""
    shop = await build_shop(uow_factory, slug="carrera", professionals=2)
    b = Builder(uow_factory)
    count = 2 * BULK_BATCH + 50
    for n in range(count):
        customer = await b.customer({shop.shop_id: None}, f"+54911300{n:05d}")
        await b.chat("sandbox", f"r-{n}", shop.shop_id, customer)
        start = T0 + timedelta(days=1 + n // 20, minutes=30 * (n % 20))
        await b.booking(shop, customer, start, professional=n % 2)
    async with uow_factory.read_only() as uow:
        booking_ids = list((await uow.session.scalars(select(BookingRow.id))).all())
    await schedule_jobs(
        uow_factory,
        [NewJob(KIND, f"{KIND}:{b}:24h", DUE, shop.shop_id, b, {}) for b in booking_ids],
    )
    other_engine = make_engine(database_url) if dialect == "postgresql" else None
    other = UnitOfWorkFactory(other_engine) if other_engine else uow_factory
    try:
        first, _ = reminder_loop(uow_factory, clock, bulk=True, worker="first")
        second, _ = reminder_loop(other, clock, bulk=True, worker="second")
        ran = await asyncio.gather(first.run_once(), second.run_once())
    finally:
        if other_engine is not None:
            await other_engine.dispose()

    assert sum(ran) == count
    async with uow_factory.read_only() as uow:
        keys = (await uow.session.scalars(select(OutboxRow.dedupe_key))).all()
        chats = (await uow.session.scalars(select(OutboxRow.chat_id))).all()
        statuses = (await uow.session.scalars(select(JobRow.status))).all()
    assert len(keys) == len(set(keys)) == count
    assert len(set(chats)) == count
    assert set(statuses) == {"done"}


async def test_a_failing_batch_leaves_its_jobs_to_the_one_by_one_path(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """A batch handler that raises costs time, not reminders: each job then runs alone."""
    world = await build_world(uow_factory)
    dispatcher = Dispatcher(uow_factory, clock)
    reminders = Reminders(uow_factory, clock, dispatcher, channels_for(uow_factory, clock))

    async def broken(jobs: Sequence[Job], worker: str) -> Sequence[Job]:
        raise RuntimeError("the batch broke")

    loop = JobLoop(uow_factory, clock, {KIND: reminders.run}, 15, batch_handlers={KIND: broken})
    assert await loop.run_once() == len(world.bookings)

    after = await snapshot(uow_factory)
    assert len(after["outbox"]) == len(world.bookings) - 4
    assert set(after["jobs"].values()) == {"done"}


@pytest.fixture
def postgres_only(dialect: str) -> None:
    if dialect != "postgresql":
        pytest.skip("holds conversation rows with FOR UPDATE: PostgreSQL's row locks")


async def waiting_on_a_lock(uow_factory: UnitOfWorkFactory) -> None:
    """Until another connection waits for a row lock (PostgreSQL)."""
    for _ in range(500):
        async with uow_factory.read_only() as uow:
            waiting = await uow.session.scalar(
                select(func.count())
                .select_from(text("pg_stat_activity"))
                .where(text("wait_event_type = 'Lock'"), text("datname = current_database()"))
            )
        if waiting:
            return
        await asyncio.sleep(0.01)
    raise AssertionError("nobody ever waited for the lock")


@pytest.mark.usefixtures("postgres_only")
async def test_a_chat_that_changed_between_read_and_write_gets_its_reminder_on_the_new_state(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, database_url: str
) -> None:
    """Another process saves the chat's turn while the batch waits to write it: the batch
    leaves that reminder, which then runs on the turn's state (in English, as the customer
    switched), never over it."""
    world = await build_world(uow_factory)
    loop, watched = reminder_loop(uow_factory, clock, bulk=True, worker="bulk")
    english = State(step=Step.MENU, updated_at=T0, language="en")
    other = make_engine(database_url)
    try:
        async with other.connect() as connection:
            await connection.execute(
                select(ConversationRow.id)
                .where(ConversationRow.chat_id == "s-plain")
                .with_for_update()
            )
            running = asyncio.create_task(loop.run_once())
            await waiting_on_a_lock(uow_factory)
            await connection.execute(
                update(ConversationRow)
                .where(ConversationRow.chat_id == "s-plain")
                .values(state=json.dumps(english.to_json()), version=ConversationRow.version + 1)
            )
            await connection.commit()
            assert await running == len(world.bookings)
    finally:
        await other.dispose()

    assert watched is not None
    plain = await job_of(uow_factory, world.bookings["sandbox"])
    twice_2 = await job_of(uow_factory, world.bookings["twice 2"])
    assert [sorted(left) for _, left in watched.calls] == [sorted([plain, twice_2])]
    after = await snapshot(uow_factory)
    [text_sent] = [row[3]["text"] for row in after["outbox"] if row[1] == "s-plain"]
    assert text_sent.startswith("⏰ Reminder"), text_sent
    _, _, state, version, _ = after["chats"][("sandbox", "s-plain")]
    assert (state["step"], state["language"], version) == ("reminder", "en", 5)


@pytest.mark.usefixtures("postgres_only")
async def test_a_chat_busy_with_a_turn_in_this_process_gets_its_reminder_after_the_turn(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, database_url: str
) -> None:
    """The customer writes as the reminders go: their turn (held at its save) is not re-run
    and the reminder comes after it, on its state."""
    world = await build_world(uow_factory)
    dispatcher = Dispatcher(uow_factory, clock)
    loop, watched = reminder_loop(
        uow_factory, clock, bulk=True, worker="bulk", dispatcher=dispatcher
    )
    other = make_engine(database_url)
    try:
        async with other.connect() as connection:
            await connection.execute(
                select(ConversationRow.id)
                .where(ConversationRow.chat_id == "s-plain")
                .with_for_update()
            )
            turn = asyncio.create_task(
                dispatcher.handle("sandbox", "s-plain", UserMessage("hello, what are your prices?"))
            )
            await waiting_on_a_lock(uow_factory)
            assert watched is not None
            running = asyncio.create_task(loop.run_once())
            await watched.returned.wait()  # the batch is done: the chat was busy, left
            await connection.rollback()
            replies = await turn
            assert await running == len(world.bookings)
    finally:
        await other.dispose()

    assert replies.replies
    assert replies.state.language == "en"
    plain = await job_of(uow_factory, world.bookings["sandbox"])
    twice_2 = await job_of(uow_factory, world.bookings["twice 2"])
    assert [sorted(left) for _, left in watched.calls] == [sorted([plain, twice_2])]
    after = await snapshot(uow_factory)
    [text_sent] = [row[3]["text"] for row in after["outbox"] if row[1] == "s-plain"]
    assert text_sent.startswith("⏰ Reminder"), text_sent
    _, _, state, version, _ = after["chats"][("sandbox", "s-plain")]
    assert (state["step"], version) == ("reminder", 5)  # the turn's save, then the reminder's
