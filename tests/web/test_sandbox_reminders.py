"""Reminders end to end in the sandbox: planned when a turno is booked, sent by the job loop
into the customer's chat, answered from the reminder itself; moved and dropped with the turno."""

from __future__ import annotations

from datetime import datetime

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import select

from domain.storage.tables import BookingRow, JobRow, ShopCustomerRow
from tests.helpers import FixedClock
from tests.web.chat import Chat, background_round, customer, pushes

pytestmark = pytest.mark.usefixtures("demo")


async def reminder_jobs(app: FastAPI) -> list[tuple[int | None, str, datetime]]:
    """Martina's reminder jobs (the demo shop's own bookings have theirs too)."""
    async with app.state.uow_factory.read_only() as uow:
        rows = await uow.session.execute(
            select(JobRow.booking_id, JobRow.status, JobRow.due_at)
            .join(BookingRow, BookingRow.id == JobRow.booking_id)
            .join(ShopCustomerRow, ShopCustomerRow.customer_id == BookingRow.customer_id)
            .where(JobRow.kind == "reminder", ShopCustomerRow.name == "Martina")
            .order_by(JobRow.id)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


async def book_tomorrow_at_10(web: httpx.AsyncClient) -> Chat:
    """Martina books a corte with Tincho for Wednesday 10:00 (25 hours from now), in cash."""
    chat = await customer(web, "martina", "Martina")
    await chat.say("corte con Tincho mañana a las 10")
    await chat.tap("Efectivo")
    await chat.tap("Confirmar")
    assert "reservé" in chat.text, chat.text
    return chat


async def test_a_reminder_arrives_in_the_chat_and_cancelling_from_it_cancels_the_turno(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock
) -> None:
    """24 hours before: the reminder in the chat; "Cancelar el turno", "Sí": it is cancelled."""
    chat = await book_tomorrow_at_10(web)
    await background_round(app)
    jobs = await reminder_jobs(app)
    assert [status for _, status, _ in jobs] == ["pending", "pending"]  # 24 h and 2 h before
    assert await pushes(web, "martina") == []

    clock.advance(hours=1)  # Tuesday 10:00: 24 hours before
    await background_round(app)

    [reminder] = await pushes(web, "martina")
    assert reminder["text"].startswith("⏰ Te recuerdo tu turno de Corte con Tincho")
    assert [c["label"] for c in reminder["choices"]] == [
        "Confirmo",
        "Cancelar el turno",
        "Reprogramar",
    ]
    cancel = next(c for c in reminder["choices"] if c["label"] == "Cancelar el turno")
    await chat.tap_id(cancel["id"])
    await chat.tap("Sí")
    assert "cancelé" in chat.text, chat.text

    await background_round(app)
    assert [status for _, status, _ in await reminder_jobs(app)] == ["done", "cancelled"]


async def test_a_reminder_runs_once_even_when_its_round_runs_again(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock
) -> None:
    """Two rounds after the reminder's time: one reminder in the chat."""
    await book_tomorrow_at_10(web)
    await background_round(app)
    clock.advance(hours=1)
    await background_round(app)
    await background_round(app)

    assert len(await pushes(web, "martina")) == 1


async def test_moving_the_turno_moves_its_reminders(
    app: FastAPI, web: httpx.AsyncClient, clock: FixedClock
) -> None:
    """Moved to Thursday: Wednesday's reminders are dropped, Thursday's planned."""
    chat = await book_tomorrow_at_10(web)
    await background_round(app)
    await chat.say("pasame el turno al jueves a las 11")
    await chat.tap("Confirmar")
    assert "jueves" in chat.text.lower(), chat.text
    await background_round(app)

    jobs = await reminder_jobs(app)
    assert [status for _, status, _ in jobs] == ["cancelled", "cancelled", "pending", "pending"]
    first, moved = jobs[0][0], jobs[2][0]
    assert moved != first

    clock.advance(hours=1)  # Wednesday's 24-hour reminder would have gone now
    await background_round(app)
    assert await pushes(web, "martina") == []
