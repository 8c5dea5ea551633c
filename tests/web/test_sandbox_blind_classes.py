"""Classes of failure the blind dialogues found, each as a whole chat on the real app.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. Facu works Mon-Fri 12-20, Lu Wed-Sat 9-17
and alone does Color; the group class costs $30.000.
"""

from __future__ import annotations

import httpx
import pytest

from tests.web.chat import Chat, bookings_of, customer, taps

pytestmark = pytest.mark.usefixtures("demo")


async def test_book_one_after_two_questions_books_the_service_asked_about(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = Chat(sandbox, "mike")
    await chat.say("hey, how much is a beard trim and where are you located?")
    assert "Honduras 4820" in chat.text
    assert "Barba: ARS" in chat.text

    await chat.say("cool thanks. can I book one with Facu on Friday at 6pm? my name is Mike")

    assert "Barba with Facu" in chat.text
    await taps(chat, "Cash", "Confirm")
    [booked] = await bookings_of(client, "Mike")
    assert (booked["service_id"], booked["start"][:16]) == (2, "2026-12-04T18:00")


async def test_hair_dyed_is_color_and_goes_to_the_only_one_who_does_it(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = Chat(sandbox, "emma")
    await chat.say("hello, I want to get my hair dyed. Is saturday possible?")

    assert "Times for Color with Lu" in chat.text


async def test_a_service_in_words_wins_over_a_scissors_emoji(sandbox: httpx.AsyncClient) -> None:
    chat = Chat(sandbox, "clase")
    await chat.say("hola! vi que dan clases de barberia ✂️ cuanto sale y cuantos cupos hay?")
    assert "Clase de barbería (grupal): $\xa030.000" in chat.text

    await chat.say("hola, quiero ✂️ y barba el viernes a las 18 con facu")
    assert "Corte + barba con Facu" in chat.text


async def test_a_move_that_names_the_turnos_time_goes_to_the_other_time_said(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "nico", "Nico")
    await chat.say("corte con Lu el viernes a las 12")
    await taps(chat, "Efectivo", "Confirmar")

    await chat.say("tengo turno el viernes con Lu a las 12, lo puedo pasar para más tarde? tipo 4")

    assert "viernes 4 de diciembre, 16:00 con Lu" in chat.text
    await chat.say("dale")
    [moved] = [b for b in await bookings_of(client, "Nico") if b["status"] == "confirmed"]
    assert moved["start"][:16] == "2026-12-04T16:00"
