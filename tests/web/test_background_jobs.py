"""Holds, no-shows and per-shop reminder hours, end to end: booking events plan the jobs, the job
loop runs them on the test's clock, the customer reads the outcome in the sandbox chat.

The clock starts on Tuesday 2026-12-01, 09:00 in Buenos Aires (the demo shop's zone).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import select, update

from bot.demo import DEMO_SLUG, seed_demo
from domain import booking as use_cases
from domain.booking import BookingRequest, NewCustomer
from domain.model import BookingStatus
from domain.storage.tables import ConversationRow, JobRow, ProfessionalRow, ShopRow
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, build_shop
from tests.web.chat import Chat, background_round, customer, pushes, sandbox_app

BA = ZoneInfo("America/Argentina/Buenos_Aires")
Web = httpx.AsyncClient


async def jobs_of(
    uow_factory: UnitOfWorkFactory, booking_id: int
) -> list[tuple[str, str, datetime]]:
    """(kind, status, due_at) of a booking's jobs, by id."""
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            select(JobRow.kind, JobRow.status, JobRow.due_at)
            .where(JobRow.booking_id == booking_id)
            .order_by(JobRow.id)
        )
        return [(kind, status, _utc(due)) for kind, status, due in rows]


def _utc(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite drops the offset


async def demo_ids(uow_factory: UnitOfWorkFactory) -> tuple[int, int, int]:
    """The demo shop's id, its Corte's id and Tincho's id."""
    async with uow_factory.read_only() as uow:
        shop = await uow.catalog.shop_by_slug(DEMO_SLUG)
        assert shop is not None
        services = await uow.catalog.services(shop.id)
        tincho = await uow.session.scalar(
            select(ProfessionalRow.id).where(ProfessionalRow.nickname == "Tincho")
        )
    corte = next(s.id for s in services if s.name == "Corte")
    assert tincho is not None
    return shop.id, corte, tincho


async def chat_customer(uow_factory: UnitOfWorkFactory, chat: Chat) -> int:
    """The customer behind a sandbox chat."""
    async with uow_factory.read_only() as uow:
        customer_id = await uow.session.scalar(
            select(ConversationRow.customer_id).where(ConversationRow.chat_id == chat.chat_id)
        )
    assert customer_id is not None
    return customer_id


def local(day: date, hour: int, minute: int = 0, zone: ZoneInfo = BA) -> datetime:
    """A shop-time moment, in UTC."""
    return datetime.combine(day, time(hour, minute), tzinfo=zone).astimezone(UTC)


WEDNESDAY = date(2026, 12, 2)


async def test_an_unpaid_hold_expires_once_tells_the_customer_and_frees_the_slot(
    database_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """A held turno (10 minutes to pay): still held at 5 minutes; at 11 it is expired, the
    customer reads so in their chat, and the time is offered again; later rounds add nothing."""
    await seed_demo(uow_factory, clock)
    shop_id, corte, tincho = await demo_ids(uow_factory)
    async with sandbox_app(database_url, clock) as (app, web):
        chat = await customer(web, "martina", "Martina")
        start = local(WEDNESDAY, 10)
        held = await use_cases.book(
            uow_factory,
            clock,
            BookingRequest(
                shop_id, corte, await chat_customer(uow_factory, chat), start, tincho, hold=True
            ),
        )

        def free() -> bool:
            return start in [s.start for s in slots]

        await background_round(app)
        assert held.hold_expires_at is not None
        assert ("hold_expiry", "pending", held.hold_expires_at) in await jobs_of(
            uow_factory, held.id
        )
        slots = await use_cases.find_slots(
            uow_factory, clock, shop_id, corte, tincho, WEDNESDAY, WEDNESDAY
        )
        assert not free()

        clock.advance(minutes=5)
        await background_round(app)
        assert (await use_cases.get_booking(uow_factory, held.id)).status is BookingStatus.HELD
        assert await pushes(web, "martina") == []

        clock.advance(minutes=6)
        await background_round(app)
        await background_round(app)

        assert (await use_cases.get_booking(uow_factory, held.id)).status is BookingStatus.EXPIRED
        [told] = await pushes(web, "martina")
        assert told["text"].startswith(
            "Se venció la reserva de tu turno de Corte del miércoles 2 de diciembre, 10:00"
        ), told["text"]
        slots = await use_cases.find_slots(
            uow_factory, clock, shop_id, corte, tincho, WEDNESDAY, WEDNESDAY
        )
        assert free()
        assert [s for k, s, _ in await jobs_of(uow_factory, held.id) if k == "hold_expiry"] == [
            "done"
        ]
        kinds = [k for k, _, _ in await jobs_of(uow_factory, held.id)]
        assert "waitlist_offer" in kinds, "the freed slot goes to the waitlist"


async def test_a_paid_hold_is_left_alone(
    database_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """Confirmed (paid) before its time ran out: the expiry job finds nothing to do."""
    await seed_demo(uow_factory, clock)
    shop_id, corte, tincho = await demo_ids(uow_factory)
    async with sandbox_app(database_url, clock) as (app, web):
        chat = await customer(web, "martina", "Martina")
        held = await use_cases.book(
            uow_factory,
            clock,
            BookingRequest(
                shop_id,
                corte,
                await chat_customer(uow_factory, chat),
                local(WEDNESDAY, 10),
                tincho,
                hold=True,
            ),
        )
        await background_round(app)
        clock.advance(minutes=3)
        await use_cases.confirm(uow_factory, clock, held.id)
        clock.advance(minutes=10)
        await background_round(app)

        assert (await use_cases.get_booking(uow_factory, held.id)).status is BookingStatus.CONFIRMED
        assert await pushes(web, "martina") == []


async def test_an_unmarked_turno_becomes_a_no_show_after_the_grace_and_a_done_one_does_not(
    database_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """Two turnos today; the professional marks the first done. 30 minutes (the shop's grace)
    after its end the second, never marked, is a no-show; the first stays completed."""
    await seed_demo(uow_factory, clock)
    shop_id, corte, tincho = await demo_ids(uow_factory)
    today = date(2026, 12, 1)
    async with sandbox_app(database_url, clock) as (app, _):
        done = await use_cases.book(
            uow_factory,
            clock,
            BookingRequest(
                shop_id, corte, NewCustomer("Carla", "11 3333-4444"), local(today, 11), tincho
            ),
        )
        missed = await use_cases.book(
            uow_factory,
            clock,
            BookingRequest(
                shop_id, corte, NewCustomer("Diego", "11 5555-6666"), local(today, 12), tincho
            ),
        )
        await background_round(app)
        grace = timedelta(minutes=30)
        assert ("no_show_check", "pending", missed.ends_at + grace) in await jobs_of(
            uow_factory, missed.id
        )

        clock.current = done.starts_at + timedelta(minutes=5)
        await use_cases.complete(uow_factory, clock, done.id)
        clock.current = missed.ends_at + grace - timedelta(minutes=1)
        await background_round(app)
        status = (await use_cases.get_booking(uow_factory, missed.id)).status
        assert status is BookingStatus.CONFIRMED, "still inside the grace"

        clock.advance(minutes=1)
        await background_round(app)
        await background_round(app)

        assert (await use_cases.get_booking(uow_factory, missed.id)).status is (
            BookingStatus.NO_SHOW
        )
        assert (await use_cases.get_booking(uow_factory, done.id)).status is (
            BookingStatus.COMPLETED
        )


async def test_a_shop_with_the_no_show_grace_off_plans_no_check(
    database_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """`no_show_grace_minutes` empty: nobody is marked no-show by the loop."""
    await seed_demo(uow_factory, clock)
    shop_id, corte, tincho = await demo_ids(uow_factory)
    async with uow_factory() as uow:
        await uow.session.execute(update(ShopRow).values(no_show_grace_minutes=None))
        await uow.commit()
    async with sandbox_app(database_url, clock) as (app, _):
        booking = await use_cases.book(
            uow_factory,
            clock,
            BookingRequest(
                shop_id, corte, NewCustomer("Carla", "11 3333-4444"), local(WEDNESDAY, 10), tincho
            ),
        )
        await background_round(app)
        assert [k for k, _, _ in await jobs_of(uow_factory, booking.id)] == [
            "reminder",
            "reminder",
        ]


async def test_reminders_follow_the_shops_own_hours(
    database_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    """A shop that reminds 48 and 3 hours before: those two jobs, and the 48-hour one arrives."""
    await seed_demo(uow_factory, clock)
    shop_id, corte, tincho = await demo_ids(uow_factory)
    async with uow_factory() as uow:
        await uow.session.execute(update(ShopRow).values(reminder_hours="3, 48,x"))
        await uow.commit()
    thursday = date(2026, 12, 3)
    async with sandbox_app(database_url, clock) as (app, web):
        chat = await customer(web, "martina", "Martina")
        start = local(thursday, 10)
        booking = await use_cases.book(
            uow_factory,
            clock,
            BookingRequest(shop_id, corte, await chat_customer(uow_factory, chat), start, tincho),
        )
        await background_round(app)
        reminders = [
            (s, d) for k, s, d in await jobs_of(uow_factory, booking.id) if k == "reminder"
        ]
        assert reminders == [
            ("pending", start - timedelta(hours=48)),
            ("pending", start - timedelta(hours=3)),
        ]
        clock.current = start - timedelta(hours=48)  # Tuesday 10:00
        await background_round(app)
        [reminder] = await pushes(web, "martina")
        assert reminder["text"].startswith("⏰ Te recuerdo tu turno de Corte con Tincho")


async def test_across_a_dst_change_the_24_hour_reminder_goes_24_real_hours_before(
    database_url: str, uow_factory: UnitOfWorkFactory
) -> None:
    """Madrid springs forward on Sunday 2026-03-29 at 02:00 (CET → CEST). A turno on that
    Sunday at 10:00 CEST gets its 24-hour reminder on Saturday at 09:00 CET, not 10:00.

    We choose 24 hours of real time (due_at = starts_at − 24 h, computed in UTC), not "the same
    wall-clock time the day before" (which would be 23 hours here): "24 hours before" is what
    the customer reads and what the cancellation policy counts, and every offset (24 h, 2 h)
    stays a plain duration, so a 2-hour reminder never goes 1 or 3 hours early across a change.
    """
    madrid = ZoneInfo("Europe/Madrid")
    clock = FixedClock(datetime(2026, 3, 27, 12, 0, tzinfo=UTC))  # Friday 13:00 CET
    fixture = await build_shop(
        uow_factory, slug="madrid", timezone="Europe/Madrid", weekdays=tuple(range(7))
    )
    sunday = date(2026, 3, 29)
    start = local(sunday, 10, zone=madrid)
    assert start == datetime(2026, 3, 29, 8, 0, tzinfo=UTC)
    async with sandbox_app(database_url, clock) as (app, web):
        chat = await customer(web, "ana", "Ana")
        booking = await use_cases.book(
            uow_factory,
            clock,
            BookingRequest(
                fixture.shop_id,
                fixture.services["Corte"],
                await chat_customer(uow_factory, chat),
                start,
                fixture.professionals[0],
            ),
        )
        await background_round(app)
        first = min(d for k, _, d in await jobs_of(uow_factory, booking.id) if k == "reminder")
        assert first == datetime(2026, 3, 28, 8, 0, tzinfo=UTC)
        assert first.astimezone(madrid).strftime("%a %H:%M %Z") == "Sat 09:00 CET"

        clock.current = first - timedelta(minutes=1)
        await background_round(app)
        assert await pushes(web, "ana") == []
        clock.current = first
        await background_round(app)
        [reminder] = await pushes(web, "ana")
        assert "domingo 29 de marzo, 10:00" in reminder["text"], reminder["text"]
