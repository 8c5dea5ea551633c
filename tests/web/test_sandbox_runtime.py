"""The chat runtime around the flows: messages arriving together, a restarted app, the sandbox
page, `barberpro chat` in a terminal, and a shop that speaks English.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires (see test_sandbox_flows.py for the shop).
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.dispatcher import Dispatcher
from bot.terminal_chat import run
from domain.storage.tables import ConversationRow, ShopRow
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, build_shop
from tests.web.chat import Chat, bookings_of, customer, sandbox_client, taps

pytestmark = pytest.mark.usefixtures("demo")

TOMORROW_16 = "2026-12-02T16:00:00-03:00"


async def stored_version(engine: AsyncEngine, chat_id: str) -> int:
    """How many turns the chat's stored conversation has been saved through."""
    async with engine.connect() as connection:
        version = await connection.scalar(
            select(ConversationRow.version).where(ConversationRow.chat_id == chat_id)
        )
    return int(version or 0)


async def test_two_messages_arriving_together_are_handled_one_after_the_other(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    url = "/sandbox/chats/juan/messages"
    book = chat.choices[0]["id"]

    responses = await asyncio.gather(
        sandbox.post(url, json={"choice": book}),
        sandbox.post(url, json={"text": "corte con Tincho mañana a las 16"}),
    )

    assert [r.status_code for r in responses] == [200, 200]
    # Whichever went first, the second saw its result: the turno asked for waits for payment.
    assert "payment" in {r.json()["state"]["step"] for r in responses}
    assert await stored_version(engine, "juan") == 4
    await chat.say("1")  # the first payment option: cash (Mercado Pago is off here)
    await taps(chat, "Confirmar")
    assert "te reservé el turno" in chat.text
    [booking] = await bookings_of(client, "Juan")
    assert booking["start"] == TOMORROW_16


async def test_a_new_app_instance_continues_the_conversation_where_it_was(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient, database_url: str, clock: FixedClock
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await chat.say("corte con Tincho mañana a la tarde")
    assert chat.step == "time"

    async with sandbox_client(database_url, clock) as restarted:
        chat.client = restarted
        await taps(chat, "16:00")
        assert chat.step == "payment"
        await taps(chat, "Efectivo", "Confirmar")

    assert "te reservé el turno" in chat.text
    [booking] = await bookings_of(client, "Juan")
    assert booking["start"] == TOMORROW_16


async def test_the_sandbox_page_is_a_web_chat_over_the_endpoint(
    sandbox: httpx.AsyncClient,
) -> None:
    page = await sandbox.get("/sandbox")

    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "<html" in page.text
    assert "/sandbox/chats/" in page.text


async def test_the_terminal_chat_books_a_turno_with_typed_numbers(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, client: httpx.AsyncClient
) -> None:
    # name, book, Corte, Tincho, the first day, its first time, cash, confirm
    typed = iter(["Juan", "1", "1", "1", "1", "1", "1", "1"])
    shown: list[str] = []

    def read(prompt: str) -> str:
        try:
            return next(typed)
        except StopIteration:
            raise EOFError from None

    await run(Dispatcher(uow_factory, clock), "terminal", read, shown.append)

    transcript = "\n".join(shown)
    assert "¿Cómo te llamás?" in transcript
    assert "   1. Sacar turno" in transcript
    assert "Listo, te reservé el turno: martes 1 de diciembre, 10:00 con Tincho." in transcript
    assert shown[-1] == "¡Chau!"
    [booking] = await bookings_of(client, "Juan")
    assert booking["start"] == "2026-12-01T10:00:00-03:00"


async def test_the_terminal_chat_talks_to_the_shop_it_is_given(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    other = await build_shop(uow_factory, slug="otra")
    shown: list[str] = []

    def read(prompt: str) -> str:
        raise EOFError

    await run(Dispatcher(uow_factory, clock), "t", read, shown.append, shop_id=other.shop_id)

    assert "Otra" in shown[1]


async def test_a_shop_whose_locale_is_english_answers_in_english(
    sandbox: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    async with engine.begin() as connection:
        await connection.execute(update(ShopRow).values(locale="en"))
    chat = Chat(sandbox, "john")

    await chat.say("hi")
    assert "What's your name?" in chat.text
    await chat.say("John")
    assert "What would you like to do?" in chat.text
    await taps(chat, "Book an appointment", "Corte", "Tincho")
    assert "Which day?" in chat.text
    await taps(chat, "Tomorrow")
    assert "Times for Corte with Tincho, tomorrow, Wednesday, December 2:" in chat.text
    await chat.say("16:00")
    await taps(chat, "Cash at the shop")
    assert "Shall I book it?" in chat.text
    await taps(chat, "Confirm")

    assert chat.step == "menu"
    assert (
        "Done, your appointment is booked: Wednesday, December 2, 16:00 with Tincho." in chat.text
    )
