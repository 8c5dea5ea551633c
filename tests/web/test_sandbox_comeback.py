"""Comeback nudges end to end in the sandbox: after a visit the customer is asked once; a
regular who said yes is offered times with their usual barber when their interval has passed,
once; tapping a time books it. The demo shop has nudges on.

The clock starts Tuesday 2026-12-01, 09:00 in Buenos Aires; rounds run at 11:00 shop time.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select, update

from domain import booking as use_cases
from domain.storage.tables import BookingRow, ComebackPreferenceRow, ShopCustomerRow, ShopRow
from tests.helpers import FixedClock
from tests.web.chat import Chat, background_round, customer, pushes

pytestmark = pytest.mark.usefixtures("demo")

TINCHO, CORTE = 1, 1
# Saturdays 17:00 in Buenos Aires, four weeks apart: the last one three days before the clock.
VISITS = [datetime(2026, 10, 3, 20, tzinfo=UTC) + timedelta(weeks=4 * n) for n in range(3)]


async def regular(app: FastAPI, web: httpx.AsyncClient, chat_id: str, name: str) -> Chat:
    """A customer who chats with the bot and came for a corte with Tincho every four weeks."""
    chat = await customer(web, chat_id, name)
    clock: FixedClock = app.state.clock
    today = clock.now()
    async with app.state.uow_factory.read_only() as uow:
        customer_id = await uow.session.scalar(
            select(ShopCustomerRow.customer_id).where(ShopCustomerRow.name == name)
        )
    for start in VISITS:
        clock.current = start - timedelta(days=2)
        request = use_cases.BookingRequest(
            1, CORTE, customer_id, start, TINCHO, payment_method="cash"
        )
        made = await use_cases.book(app.state.uow_factory, clock, request)
        async with app.state.uow_factory() as uow:
            await uow.session.execute(
                update(BookingRow).where(BookingRow.id == made.id).values(status="completed")
            )
            await uow.commit()
    clock.current = today
    await background_round(app)  # the bookings' events, long past
    return chat


async def at_11(app: FastAPI, day: datetime) -> None:
    """The clock at 11:00 (Buenos Aires) of that day, and the loops' round."""
    app.state.clock.current = day.replace(hour=14, minute=0, second=5, tzinfo=UTC)
    await background_round(app)


async def wants(app: FastAPI, name: str) -> bool | None:
    async with app.state.uow_factory.read_only() as uow:
        found: bool | None = await uow.session.scalar(
            select(ComebackPreferenceRow.wants)
            .join(ShopCustomerRow, ShopCustomerRow.customer_id == ComebackPreferenceRow.customer_id)
            .where(ShopCustomerRow.name == name)
        )
    return found


async def test_asked_once_after_a_visit_then_offered_times_when_due_and_one_tap_books(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock
) -> None:
    chat = await regular(app, web, "ana", "Ana")

    await at_11(app, datetime(2026, 12, 1))
    assert await pushes(web, "ana") == [], "a visit three days ago is not asked about"

    # A fourth visit: Tuesday 1 December 10:00, marked done by Tincho.
    async with app.state.uow_factory.read_only() as uow:
        customer_id = await uow.session.scalar(
            select(ShopCustomerRow.customer_id).where(ShopCustomerRow.name == "Ana")
        )
    clock.current = datetime(2026, 11, 30, 12, tzinfo=UTC)
    made = await use_cases.book(
        app.state.uow_factory,
        clock,
        use_cases.BookingRequest(
            1,
            CORTE,
            customer_id,
            datetime(2026, 12, 1, 13, tzinfo=UTC),
            TINCHO,
            payment_method="cash",
        ),
    )
    async with app.state.uow_factory() as uow:
        await uow.session.execute(
            update(BookingRow).where(BookingRow.id == made.id).values(status="completed")
        )
        await uow.commit()

    await at_11(app, datetime(2026, 12, 2))
    [question] = await pushes(web, "ana")
    assert question["text"].startswith("¡Gracias por venir, Ana! ¿Querés que te escriba")
    assert [c["label"] for c in question["choices"]] == ["Sí, avisame", "No, gracias"]
    yes = next(c for c in question["choices"] if c["label"] == "Sí, avisame")
    await chat.tap_id(yes["id"])
    assert "te aviso" in chat.text
    assert await wants(app, "Ana") is True

    await at_11(app, datetime(2026, 12, 3))
    assert len(await pushes(web, "ana")) == 1, "asked once"

    # Four weeks after Tuesday 1 December: Tuesday 29 December.
    await at_11(app, datetime(2026, 12, 28))
    assert len(await pushes(web, "ana")) == 1, "not due yet"
    await at_11(app, datetime(2026, 12, 29))
    offer = (await pushes(web, "ana"))[-1]
    assert offer["text"].startswith(
        "¡Hola, Ana! Ya pasaron 4 semanas desde tu último Corte con Tincho. ¿Te reservo el próximo?"
    ), offer["text"]
    labels = [c["label"] for c in offer["choices"]]
    # Ana comes at 10:00: the time nearest to it on each of the next days Tincho works.
    assert labels[:3] == [
        "martes 29 de diciembre, 11:45",  # the earliest today, the shop's notice counted
        "miércoles 30 de diciembre, 10:00",
        "jueves 31 de diciembre, 10:00",
    ], labels
    assert labels[3:] == ["Otro día u horario", "Ahora no", "No me avises más"]

    await chat.tap_id(offer["choices"][1]["id"])
    assert chat.step == "confirm", chat.text
    assert "Efectivo" in chat.text, "paid cash last time: the same"
    await chat.tap("Confirmar")
    assert "te reservé el turno" in chat.text, chat.text

    await at_11(app, datetime(2026, 12, 30))
    assert len(await pushes(web, "ana")) == 2, "one offer per visit"


async def test_nobody_is_asked_when_the_shop_has_nudges_off(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock
) -> None:
    async with app.state.uow_factory() as uow:
        await uow.session.execute(update(ShopRow).values(comeback_nudges=False))
        await uow.commit()
    await regular(app, web, "ana", "Ana")
    clock.current = datetime(2026, 11, 29, 12, tzinfo=UTC)
    await at_11(app, datetime(2026, 11, 29))

    assert await pushes(web, "ana") == []
    assert await wants(app, "Ana") is None


async def test_no_me_avises_mas_stops_the_offers(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock
) -> None:
    chat = await regular(app, web, "ana", "Ana")
    async with app.state.uow_factory() as uow:
        customer_id = await uow.session.scalar(
            select(ShopCustomerRow.customer_id).where(ShopCustomerRow.name == "Ana")
        )
        uow.session.add(
            ComebackPreferenceRow(
                shop_id=1, customer_id=customer_id, wants=True, asked_at=clock.now()
            )
        )
        await uow.commit()

    await at_11(app, datetime(2026, 12, 26))  # four weeks after Saturday 28 November
    offer = (await pushes(web, "ana"))[-1]
    stop = next(c for c in offer["choices"] if c["label"] == "No me avises más")
    await chat.tap_id(stop["id"])
    assert "no te escribo más" in chat.text
    assert await wants(app, "Ana") is False
