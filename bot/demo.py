"""The demo shop: a believable Buenos Aires barbershop, seeded once (idempotent)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.demo_history import seed_history
from bot.demo_plan import Chair, Offer
from domain import booking as use_cases
from domain.errors import DomainError
from domain.model import DEFAULT_TIMEZONE, Vertical
from domain.ports import Clock
from domain.storage.tables import (
    ProfessionalRow,
    ServiceProfessionalRow,
    ServiceRow,
    ShopRow,
    WorkingPeriodRow,
)
from domain.storage.uow import UnitOfWorkFactory
from domain.verticals import PRESETS

DEMO_SLUG = "don-julio"


@dataclass(frozen=True)
class DemoProfessional:
    name: str
    nickname: str
    days: tuple[int, ...]  # 0 = Monday
    opens: time
    closes: time
    lunch: tuple[time, time]


PROFESSIONALS = (
    DemoProfessional(
        "Martín Gómez", "Tincho", (1, 2, 3, 4, 5), time(10), time(19), (time(14), time(15))
    ),
    DemoProfessional(
        "Facundo Ruiz", "Facu", (0, 1, 2, 3, 4), time(12), time(20), (time(16), time(16, 30))
    ),
    DemoProfessional(
        "Lucía Fernández", "Lu", (2, 3, 4, 5), time(9), time(17), (time(13), time(13, 45))
    ),
)

# name, minutes, pesos, buffer after, seats, who (nicknames)
SERVICES = (
    ("Corte", 30, 12000, 0, 1, ("Tincho", "Facu", "Lu")),
    ("Barba", 20, 8000, 10, 1, ("Tincho", "Facu")),
    ("Corte + barba", 45, 18000, 0, 1, ("Tincho", "Facu")),
    ("Color", 90, 25000, 15, 1, ("Lu",)),
    ("Clase de barbería (grupal)", 120, 30000, 0, 4, ("Tincho",)),
)


async def seed_demo(
    uow_factory: UnitOfWorkFactory, clock: Clock, *, history: bool = True, today: bool = False
) -> bool:
    """Create the demo shop unless it exists, with its past turnos (unless `history` is off:
    tests that count every turno) and, with `today` (the demo people open), a few turnos later
    today; returns True when it was created now."""
    async with uow_factory() as uow:
        session: AsyncSession = uow.session
        if await session.scalar(select(ShopRow.id).where(ShopRow.slug == DEMO_SLUG)):
            return False
        shop = _shop_row(clock.now())
        session.add(shop)
        await session.flush()
        by_nickname, chairs, offers = {}, [], []
        for pro in PROFESSIONALS:
            row = ProfessionalRow(
                shop_id=shop.id, name=pro.name, nickname=pro.nickname, active=True
            )
            session.add(row)
            await session.flush()
            by_nickname[pro.nickname] = row.id
            chairs.append(Chair(row.id, pro.nickname, pro.days, pro.opens, pro.closes, pro.lunch))
            for day in pro.days:
                session.add(
                    WorkingPeriodRow(
                        professional_id=row.id,
                        kind="work",
                        weekday=day,
                        starts=pro.opens,
                        ends=pro.closes,
                    )
                )
                session.add(
                    WorkingPeriodRow(
                        professional_id=row.id,
                        kind="break",
                        weekday=day,
                        starts=pro.lunch[0],
                        ends=pro.lunch[1],
                    )
                )
        service_ids = []
        for name, minutes, pesos, after, seats, who in SERVICES:
            service = ServiceRow(
                shop_id=shop.id,
                name=name,
                duration_minutes=minutes,
                price_cents=pesos * 100,
                currency="ARS",
                buffer_before_minutes=0,
                buffer_after_minutes=after,
                seats=seats,
                active=True,
            )
            session.add(service)
            await session.flush()
            service_ids.append(service.id)
            offers.append(Offer(service.id, name, minutes, pesos * 100, after, seats, who))
            for nickname in who:
                session.add(
                    ServiceProfessionalRow(
                        service_id=service.id, professional_id=by_nickname[nickname]
                    )
                )
        if history:
            rates = (shop.commission_bps, shop.professional_percent)
            await seed_history(session, shop.id, chairs, offers, clock.now(), shop.timezone, rates)
        await uow.commit()
        shop_id = shop.id
    await _some_bookings(uow_factory, clock, shop_id, service_ids[0])
    if history and today:
        await _later_today(uow_factory, clock, shop_id, service_ids[:3])
    return True


def _shop_row(now: datetime) -> ShopRow:
    policy = PRESETS[Vertical.BARBERIA].policy
    return ShopRow(
        slug=DEMO_SLUG,
        name="Barbería Don Julio (Palermo)",
        address="Honduras 4820, Palermo, CABA",
        maps_url="https://maps.google.com/?q=Honduras+4820,+Palermo,+CABA",
        contact_phone="+5491147701234",
        vertical=Vertical.BARBERIA.value,
        timezone=DEFAULT_TIMEZONE,
        currency="ARS",
        locale="es_AR",
        min_notice_minutes=policy.min_notice_minutes,
        max_days_ahead=policy.max_days_ahead,
        slot_step_minutes=policy.slot_step_minutes,
        hold_minutes=policy.hold_minutes,
        free_cancellation_hours=policy.free_cancellation_hours,
        open_on_holidays=False,
        reminder_hours="24,2",
        no_show_grace_minutes=30,
        agenda_hour=8,
        comeback_nudges=True,
        max_cuotas=6,
        transfer_alias="DON.JULIO.BARBER",
        transfer_account="2850590940090418135201",  # a CBU whose check digits are right
        cuit="20267565393",
        created_at=now,
    )


async def _some_bookings(
    uow_factory: UnitOfWorkFactory, clock: Clock, shop_id: int, corte_id: int
) -> None:
    """A few turnos over the next days, so the agenda does not look empty."""
    tz = ZoneInfo(DEFAULT_TIMEZONE)
    today = clock.now().astimezone(tz).date()
    customers = [
        ("Juan Pérez", "11 5874-9895"),
        ("Nicolás Díaz", "11 4022-1133"),
        ("Santiago López", "11 6120-4477"),
    ]
    for n, (name, phone) in enumerate(customers):
        day = today + timedelta(days=n + 1)
        start = datetime.combine(day, time(11 + 2 * n), tzinfo=tz).astimezone(UTC)
        request = use_cases.BookingRequest(
            shop_id, corte_id, use_cases.NewCustomer(name, phone), start
        )
        try:
            await use_cases.book(uow_factory, clock, request)
        except DomainError:
            continue  # a closed day or a holiday: fine, the demo just has one turno less


# Who comes in later today: the agenda an owner opens first is not an empty one.
TODAY = (
    ("Matías Herrera", "11 3344-0001"),
    ("Tomás Acosta", "11 3344-0002"),
    ("Agustín Romero", "11 3344-0003"),
    ("Bruno Sosa", "11 3344-0004"),
    ("Franco Medina", "11 3344-0005"),
)


async def _later_today(
    uow_factory: UnitOfWorkFactory, clock: Clock, shop_id: int, service_ids: list[int]
) -> None:
    """A few turnos in the rest of today's free time, spread over the day and the barbers."""
    today = clock.now().astimezone(ZoneInfo(DEFAULT_TIMEZONE)).date()
    free = await use_cases.find_slots(
        uow_factory, clock, shop_id, service_ids[0], None, today, today
    )
    if not free:
        return  # closed today, or the day is over
    step = max(1, len(free) // len(TODAY))
    for n, ((name, phone), slot) in enumerate(zip(TODAY, free[step // 2 :: step], strict=False)):
        request = use_cases.BookingRequest(
            shop_id,
            service_ids[n % len(service_ids)],
            use_cases.NewCustomer(name, phone),
            slot.start,
            slot.professional_id,
        )
        try:
            await use_cases.book(uow_factory, clock, request)
        except DomainError:
            continue  # taken by the one before (a longer service): one turno less
