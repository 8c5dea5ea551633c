"""A customer books, and cancels, on Telegram; the barber hears about it on Telegram."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import select

from domain.storage.channels import create_link_code
from domain.storage.tables import BookingRow
from tests.channels.live import TelegramUser
from tests.fakes.telegram_api import FakeTelegram
from tests.helpers import FixedClock


async def link_professional(
    app: FastAPI, client: httpx.AsyncClient, fake: FakeTelegram, clock: FixedClock, name: str
) -> TelegramUser:
    """A professional's Telegram chat, linked with a one-time code as the README says."""
    async with app.state.uow_factory.read_only() as uow:
        shop = await uow.catalog.shop_by_slug("don-julio")
        assert shop is not None
        people = await uow.catalog.professionals(shop.id)
    professional = next(p for p in people if name in (p.name, p.nickname))
    code = await create_link_code(app.state.uow_factory, shop.id, professional.id, clock.now())
    barber = TelegramUser(app, client, fake, chat_id=9000 + professional.id, first_name=name)
    await barber.say(f"vincular {code}")
    assert "Linked" in barber.text() or "Listo" in barber.text() or "Vinculad" in barber.text()
    return barber


async def test_a_full_booking_then_a_cancellation_reach_the_barber(
    live: tuple[FastAPI, httpx.AsyncClient], fake_telegram: FakeTelegram, clock: FixedClock
) -> None:
    app, client = live
    barber = await link_professional(app, client, fake_telegram, clock, "Tincho")
    martina = TelegramUser(app, client, fake_telegram, chat_id=501)

    await martina.say("hola")
    await martina.say("Martina")
    await martina.say("¿tenés algo el jueves a la tarde para corte con Tincho?")
    await martina.say("a las 17")
    await martina.tap("Efectivo")
    await martina.tap("Confirmar")
    assert "reservé" in martina.text().lower(), martina.last

    notes = await barber.replies()
    assert any("Martina" in n["text"] and "17:00" in n["text"] for n in notes), notes
    async with app.state.uow_factory.read_only() as uow:
        latest = select(BookingRow.channel).order_by(BookingRow.id.desc()).limit(1)
        assert await uow.session.scalar(latest) == "telegram"

    await martina.say("quiero cancelar mi turno del jueves")
    await martina.tap("Sí")
    assert "cancel" in martina.text().lower(), martina.last
    notes = await barber.replies()
    assert any("Martina" in n["text"] for n in notes), notes
