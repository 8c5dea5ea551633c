"""Waitlist offers end to end in the sandbox: a cancelled slot goes, held, to the first waiting
customer whose wish matches; declined or left unanswered, it goes on to the next one."""

from __future__ import annotations

from datetime import date, time, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from domain.storage.tables import (
    BookingRow,
    ShopCustomerRow,
    WaitlistEntryRow,
    WaitlistOfferRow,
)
from tests.helpers import FixedClock
from tests.web.chat import Chat, background_round, customer, pushes

pytestmark = pytest.mark.usefixtures("demo")

WEDNESDAY = date(2026, 12, 2)


async def wait_for(
    app: FastAPI,
    web: httpx.AsyncClient,
    name: str,
    chat_id: str,
    window: tuple[time, time] | None = None,
) -> Chat:
    """A customer who greeted the bot and waits for a corte with Tincho on Wednesday."""
    chat = await customer(web, chat_id, name)
    app.state.clock.advance(seconds=1)  # first come, first served: their order is the clock's
    async with app.state.uow_factory() as uow:
        customer_id = await uow.session.scalar(
            select(ShopCustomerRow.customer_id).where(ShopCustomerRow.name == name)
        )
        service_id, professional_id = await slot_of(uow.session)
        uow.session.add(
            WaitlistEntryRow(
                shop_id=1,
                customer_id=customer_id,
                service_id=service_id,
                professional_id=professional_id,
                first_day=WEDNESDAY,
                last_day=WEDNESDAY,
                window_start=window[0] if window else None,
                window_end=window[1] if window else None,
                created_at=app.state.clock.now(),
            )
        )
        await uow.commit()
    return chat


async def slot_of(session: object) -> tuple[int, int]:
    """The service and professional of Martina's turno."""
    row = (
        await session.execute(  # type: ignore[attr-defined]
            select(BookingRow.service_id, BookingRow.professional_id)
            .join(ShopCustomerRow, ShopCustomerRow.customer_id == BookingRow.customer_id)
            .where(ShopCustomerRow.name == "Martina")
        )
    ).first()
    return row[0], row[1]


async def offers(app: FastAPI) -> list[tuple[str, str]]:
    """(customer, status) of every offer made, in order."""
    async with app.state.uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            select(ShopCustomerRow.name, WaitlistOfferRow.status)
            .join(WaitlistEntryRow, WaitlistEntryRow.id == WaitlistOfferRow.entry_id)
            .join(ShopCustomerRow, ShopCustomerRow.customer_id == WaitlistEntryRow.customer_id)
            .order_by(WaitlistOfferRow.id)
        )
        return [(row[0], row[1]) for row in rows]


async def test_a_cancelled_slot_goes_through_the_waitlist_decline_silence_accept(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock
) -> None:
    """Martina cancels; Bruno declines, Carla stays silent, Diego takes it: his, confirmed."""
    martina = await customer(web, "martina", "Martina")
    await martina.say("corte con Tincho mañana a las 10")
    await martina.tap("Efectivo")
    await martina.tap("Confirmar")
    assert "reservé" in martina.text, martina.text
    await background_round(app, rounds=2)

    # Ema waits longer, but only for the afternoon: her wish does not match a 10:00 slot.
    await wait_for(app, web, "Ema", "ema", (time(14), time(18)))
    bruno = await wait_for(app, web, "Bruno", "bruno")
    await wait_for(app, web, "Carla", "carla")
    diego = await wait_for(app, web, "Diego", "diego")

    await martina.say("mis turnos")
    await martina.tap_first()
    await martina.tap("Cancelar")
    await martina.tap("Sí")
    assert "cancelé" in martina.text, martina.text
    await background_round(app, rounds=2)

    # Bruno first: the offer in his chat; he passes.
    [offer] = await pushes(web, "bruno")
    assert "Se liberó un lugar" in offer["text"], offer["text"]
    assert [c["label"] for c in offer["choices"]] == ["¡Lo quiero!", "No, gracias"]
    assert await pushes(web, "carla") == []
    await bruno.tap_id(offer["choices"][1]["id"])
    assert "otra persona" in bruno.text, bruno.text
    await background_round(app, rounds=2)

    # Carla next; she says nothing, and the hold runs out.
    [offer] = await pushes(web, "carla")
    assert "Se liberó un lugar" in offer["text"]
    assert await pushes(web, "diego") == []
    clock.advance(minutes=16)
    await background_round(app, rounds=2)

    # Diego last: he takes it.
    [offer] = await pushes(web, "diego")
    await diego.tap_id(offer["choices"][0]["id"])
    assert "es tuyo" in diego.text, diego.text
    await background_round(app, rounds=2)

    assert await offers(app) == [
        ("Bruno", "declined"),
        ("Carla", "expired"),
        ("Diego", "accepted"),
    ]
    assert await pushes(web, "ema") == []
    assert len(await pushes(web, "bruno")) == 1  # nobody is offered the same slot twice
    assert len(await pushes(web, "carla")) == 1
    async with app.state.uow_factory.read_only() as uow:
        rows = (
            await uow.session.execute(
                select(ShopCustomerRow.name, BookingRow.status, BookingRow.channel)
                .join(ShopCustomerRow, ShopCustomerRow.customer_id == BookingRow.customer_id)
                .where(BookingRow.status.in_(["held", "confirmed"]))
                .where(ShopCustomerRow.name.in_(["Martina", "Bruno", "Carla", "Diego"]))
            )
        ).all()
        left = await uow.session.scalar(
            select(WaitlistEntryRow.left_at)
            .join(ShopCustomerRow, ShopCustomerRow.customer_id == WaitlistEntryRow.customer_id)
            .where(ShopCustomerRow.name == "Diego")
        )
    assert [tuple(r) for r in rows] == [("Diego", "confirmed", "sandbox")]  # the offer's chat
    assert left is not None  # off the waitlist
    assert clock.now() - left < timedelta(minutes=1)


async def test_the_demo_walk_reminder_cancel_from_it_and_the_waiting_customer_takes_it(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock
) -> None:
    """Issue 5's demo: Lucía books two hours ahead and gets her reminder; Pedro, told 11:00 was
    taken, asks to hear if it frees up; Lucía cancels from the reminder; Pedro is offered the
    slot (and nothing else over it: a hold gets no reminder) and takes it."""
    lucia = await customer(web, "lucia", "Lucía")
    await lucia.say("corte con Tincho hoy a las 11")
    await lucia.tap("Efectivo")
    await lucia.tap("Confirmar")
    await background_round(app, rounds=2)
    [reminder] = await pushes(web, "lucia")
    assert reminder["text"].startswith("⏰ Te recuerdo tu turno de Corte con Tincho"), reminder

    pedro = await customer(web, "pedro", "Pedro")
    await pedro.say("corte con Tincho hoy a las 11")
    await pedro.tap("Avisame si se libera el de las 11:00")

    cancel = next(c for c in reminder["choices"] if c["label"] == "Cancelar el turno")
    await lucia.tap_id(cancel["id"])
    await lucia.tap("Sí")
    assert "cancelé" in lucia.text, lucia.text
    clock.advance(seconds=30)
    await background_round(app, rounds=3)

    [offer] = await pushes(web, "pedro")
    assert offer["text"].startswith("¡Buenas noticias! Se liberó un lugar para Corte con Tincho")
    await pedro.tap_id(offer["choices"][0]["id"])
    assert "es tuyo" in pedro.text, pedro.text
    await background_round(app, rounds=2)
    texts = [p["text"] for p in await pushes(web, "pedro")]
    assert texts[1:] == [
        "⏰ Te recuerdo tu turno de Corte con Tincho: martes 1 de diciembre, 11:00."
    ]
