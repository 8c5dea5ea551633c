"""The daily agenda: planned per shop and local day at the shop's agenda hour, sent by the job loop
to each linked professional (their own turnos) and the owner (the whole shop) on Telegram.

The clock starts on Tuesday 2026-12-01, 09:00 in Buenos Aires: today's 08:00 agenda is past,
so the app plans Wednesday's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from bot.daily_agenda import agenda_due
from bot.demo import DEMO_SLUG, seed_demo
from domain import booking as use_cases
from domain.booking import BookingRequest, NewCustomer
from domain.model import BookingPolicy, Shop
from domain.storage.channels import create_link_code
from domain.storage.tables import JobRow, ProfessionalRow
from domain.storage.uow import UnitOfWorkFactory
from tests.channels.live import TelegramUser, channel_settings, live_app, settle
from tests.fakes.telegram_api import FakeTelegram
from tests.fakes.twilio_api import FakeTwilio
from tests.helpers import FixedClock

BA = ZoneInfo("America/Argentina/Buenos_Aires")
Live = tuple[FastAPI, httpx.AsyncClient]


@pytest.fixture
def fake_telegram() -> Iterator[FakeTelegram]:
    with FakeTelegram() as fake:
        yield fake


@pytest.fixture
async def live(
    database_url: str,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    fake_telegram: FakeTelegram,
) -> AsyncIterator[Live]:
    """The demo shop's app with Telegram (and WhatsApp) on the fakes."""
    await seed_demo(uow_factory, clock)
    with FakeTwilio() as twilio:
        async with live_app(channel_settings(database_url, fake_telegram, twilio), clock) as pair:
            yield pair


async def agenda_jobs(app: FastAPI) -> list[tuple[str, str, datetime]]:
    """(key, status, due_at) of the daily agenda jobs, by id."""
    async with app.state.uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            select(JobRow.key, JobRow.status, JobRow.due_at)
            .where(JobRow.kind == "daily_agenda")
            .order_by(JobRow.id)
        )
        return [(k, s, d if d.tzinfo else d.replace(tzinfo=UTC)) for k, s, d in rows]


async def link(
    app: FastAPI,
    client: httpx.AsyncClient,
    fake: FakeTelegram,
    clock: FixedClock,
    professional_id: int | None,
    chat_id: int,
) -> TelegramUser:
    """A Telegram chat linked to a professional (or, with None, the owner)."""
    async with app.state.uow_factory.read_only() as uow:
        shop = await uow.catalog.shop_by_slug(DEMO_SLUG)
    assert shop is not None
    await settle(app)  # the demo's own turnos announced before anyone is linked
    code = await create_link_code(app.state.uow_factory, shop.id, professional_id, clock.now())
    person = TelegramUser(app, client, fake, chat_id=chat_id, first_name="Tincho")
    replies = await person.say(f"vincular {code}")
    assert any("vinculado" in r["text"] for r in replies), replies
    return person


async def test_the_agenda_reaches_the_linked_professional_and_the_owner_at_the_shops_hour(
    live: Live, fake_telegram: FakeTelegram, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    """Wednesday 08:00 shop time: Tincho reads his Wednesday turnos (not Facu's), the owner the
    whole shop's; Thursday's agenda is planned next; another round sends nothing more."""
    app, client = live
    wednesday = date(2026, 12, 2)
    thursday = wednesday + timedelta(days=1)
    due = datetime.combine(wednesday, time(8), tzinfo=BA).astimezone(UTC)
    async with uow_factory.read_only() as uow:
        shop = await uow.catalog.shop_by_slug(DEMO_SLUG)
        assert shop is not None
        pros = dict(
            (await uow.session.execute(select(ProfessionalRow.nickname, ProfessionalRow.id))).all()
        )
        corte = next(s.id for s in await uow.catalog.services(shop.id) if s.name == "Corte")
    assert await agenda_jobs(app) == [(f"agenda:{shop.id}:{wednesday}", "pending", due)]

    tincho = await link(app, client, fake_telegram, clock, pros["Tincho"], 9201)
    owner = await link(app, client, fake_telegram, clock, None, 9202)
    for pro, hour, name, phone in [
        ("Tincho", 10, "Carla Gómez", "11 3333-4444"),
        ("Facu", 12, "Pedro Ríos", "11 7777-8888"),
    ]:
        start = datetime.combine(wednesday, time(hour), tzinfo=BA).astimezone(UTC)
        request = BookingRequest(shop.id, corte, NewCustomer(name, phone), start, pros[pro])
        await use_cases.book(uow_factory, clock, request)
    await tincho.replies()  # the new-turno notifications
    await owner.replies()

    clock.current = due - timedelta(minutes=1)
    await app.state.jobs.run_once()
    assert await tincho.replies() == []

    clock.current = due
    await app.state.jobs.run_once()
    [agenda] = await tincho.replies()
    assert agenda["text"].startswith("Agenda del miércoles 2 de diciembre\n\n"), agenda["text"]
    assert "10:00 · Corte · Carla Gómez (+54 9 11 3333-4444)" in agenda["text"]
    assert "Pedro" not in agenda["text"], "only his own turnos"
    [whole] = await owner.replies()
    assert "Carla Gómez" in whole["text"], whole["text"]
    assert "Pedro Ríos" in whole["text"], whole["text"]

    thursday_due = datetime.combine(thursday, time(8), tzinfo=BA).astimezone(UTC)
    assert await agenda_jobs(app) == [
        (f"agenda:{shop.id}:{wednesday}", "done", due),
        (f"agenda:{shop.id}:{thursday}", "pending", thursday_due),
    ]
    await app.state.jobs.run_once()
    assert await tincho.replies() == []


def test_the_agenda_time_follows_the_shop_zone_across_dst() -> None:
    """08:00 in Madrid is 07:00 UTC in winter and 06:00 UTC from the Sunday of the change on."""
    shop = Shop(
        1, "madrid", "Madrid", timezone="Europe/Madrid", policy=BookingPolicy(agenda_hour=8)
    )
    saturday = datetime(2026, 3, 28, 7, 30, tzinfo=UTC)  # 08:30 CET: today's is past
    assert agenda_due(shop, saturday) == (
        date(2026, 3, 29),
        datetime(2026, 3, 29, 6, 0, tzinfo=UTC),
    )
    friday = datetime(2026, 3, 27, 6, 0, tzinfo=UTC)
    assert agenda_due(shop, friday) == (date(2026, 3, 27), datetime(2026, 3, 27, 7, 0, tzinfo=UTC))
    off = Shop(2, "off", "Off", policy=BookingPolicy(agenda_hour=None))
    assert agenda_due(off, friday) is None
