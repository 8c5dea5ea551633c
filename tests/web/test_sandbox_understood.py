"""The chat says what it understood: whose times it lists, who a moved turno is with, what a held
turno waits for; and its menus keep their numbers and their words unambiguous.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires (see test_sandbox_flows.py for the shop).
"""

from __future__ import annotations

import httpx
import pytest

from tests.web.chat import Chat, bookings_of, customer, taps

pytestmark = pytest.mark.usefixtures("demo")

MENU = ["Sacar turno", "Mis turnos", "Hablar con alguien del local", "Ayuda"]


async def booked(chat: Chat, text: str, pay: str = "Efectivo") -> Chat:
    """Book what `text` asks for and land back at the menu."""
    await chat.say(text)
    await taps(chat, pay, "Confirmar")
    assert chat.step == "menu", chat.text
    return chat


async def test_the_times_list_names_the_service_and_the_barber(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "ana", "Ana")

    await chat.say("corte con tincho el jueves")

    assert "Horarios para Corte con Tincho, jueves 3 de diciembre:" in chat.text


async def test_the_times_list_with_anyone_names_the_service(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "ana", "Ana")

    await chat.say("corte el jueves con cualquiera")

    assert "Horarios para Corte, jueves 3 de diciembre:" in chat.text


async def test_a_turno_held_for_a_transfer_says_so_in_my_turnos(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await booked(chat, "corte con tincho el jueves a las 17", pay="Transferencia")
    await booked(chat, "barba con facu el viernes a las 17")

    await chat.say("mis turnos")

    assert chat.labels[:2] == [
        "Corte · jueves 3 de diciembre, 17:00 · Tincho · ⏳ esperando la transferencia",
        "Barba · viernes 4 de diciembre, 17:00 · Facu",
    ]


async def test_my_turnos_leads_out_with_back_to_the_menu_not_cancel(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await booked(chat, "corte con tincho el jueves a las 17")

    await chat.say("mis turnos")

    assert "Cancelar" not in chat.labels
    await taps(chat, "Volver al menú")
    assert chat.step == "menu"


async def test_cancel_typed_at_my_turnos_asks_to_cancel_the_only_turno(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await booked(chat, "corte con tincho el jueves a las 17")
    await chat.say("mis turnos")

    await chat.say("cancelar")

    assert chat.step == "confirm_cancel"
    await taps(chat, "Sí, cancelalo")
    assert [b["status"] for b in await bookings_of(client, "Ana")] == ["cancelled"]


async def test_cancel_typed_at_my_turnos_with_two_asks_which(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await booked(chat, "corte con tincho el jueves a las 17")
    await booked(chat, "barba con facu el viernes a las 17")
    await chat.say("mis turnos")

    await chat.say("cancelar")

    assert "¿Qué turno cancelo?" in chat.text
    await taps(chat, "Barba")
    assert chat.step == "confirm_cancel"
    await taps(chat, "Sí, cancelalo")
    assert [b["status"] for b in await bookings_of(client, "Ana")] == ["confirmed", "cancelled"]


async def test_want_to_cancel_with_two_asks_which_and_takes_the_service_named(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await booked(chat, "corte con tincho el jueves a las 17")
    await booked(chat, "barba con facu el viernes a las 17")

    await chat.say("quiero cancelar un turno")
    assert "¿Qué turno cancelo?" in chat.text
    await chat.say("el de la barba")

    assert "¿Cancelo tu turno de Barba · viernes 4 de diciembre, 17:00 · Facu?" in chat.text


async def test_goodbye_at_my_turnos_leaves_without_cancelling(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await booked(chat, "corte con tincho el jueves a las 17")
    await chat.say("mis turnos")

    await chat.say("chau")

    assert chat.step == "menu"
    assert [b["status"] for b in await bookings_of(client, "Ana")] == ["confirmed"]


async def test_the_usual_comes_after_the_fixed_options_so_their_numbers_stay(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    assert chat.labels == MENU

    await booked(chat, "corte con tincho el jueves a las 17")

    assert chat.labels == [*MENU, "Lo de siempre: Corte con Tincho"]
    await chat.say("2")
    assert chat.step == "my_bookings"
