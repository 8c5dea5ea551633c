"""English-speaking customers, emoji and long messages, through the sandbox endpoint and the
real database.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires; the demo shop speaks es_AR. Tincho (id 1)
works Tue-Sat 10-19 with lunch 14-15; Facu (id 2) Mon-Fri 12-20.
"""

from __future__ import annotations

import httpx
import pytest

from tests.web.chat import Chat, bookings_of, customer

pytestmark = pytest.mark.usefixtures("demo")


async def test_a_customer_who_writes_english_books_in_english_start_to_end(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "john", "John")

    await chat.say("hi, can I get a haircut tomorrow at 5?")
    assert chat.step == "professional"
    assert "Who with?" in chat.text
    assert "Anyone" in chat.labels

    await chat.say("with Tincho")
    assert chat.step == "payment"
    assert "Wednesday, December 2, 17:00" in chat.text
    assert "Cash at the shop" in chat.labels

    await chat.say("cash")
    assert chat.step == "confirm"
    assert "Shall I book it?" in chat.text

    await chat.say("yep")
    assert "Done, your appointment is booked" in chat.text
    assert chat.state["language"] == "en"
    [booked] = await bookings_of(client, "John")
    assert booked["start"] == "2026-12-02T17:00:00-03:00"


async def test_english_answers_to_every_step_are_understood(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "mike", "Mike")

    await chat.say("hello, I'd like to book a haircut and beard")
    assert chat.step == "professional"
    await chat.say("whoever")
    assert chat.step == "day"
    await chat.say("friday at 11")
    assert chat.step == "payment"
    assert "Friday, December 4, 11:00" in chat.text
    await chat.say("bank transfer")
    assert chat.step == "confirm"
    await chat.say("sure")
    assert chat.step == "menu"

    await chat.say("my bookings")
    assert "Your appointments" in chat.text
    assert any("Corte + barba" in label and "December 4" in label for label in chat.labels)


async def test_a_new_customer_is_greeted_and_asked_their_name_in_english(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = Chat(sandbox, "ann")
    await chat.say("hi there, do you have anything tomorrow afternoon?")
    assert "Hi! I'm the assistant" in chat.text  # the name waits until a booking needs it

    await chat.say("I'm Annie")
    assert "Annie" in chat.text
    assert chat.state["language"] == "en"


async def test_a_spanish_customer_stays_in_spanish_after_an_ok_and_a_thumb_up(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "leandro", "Leandro")

    await chat.say("✂️ mañana 17hs con tincho")
    assert chat.step == "payment"
    assert "Corte con Tincho" in chat.text
    await chat.say("ok efectivo")
    assert "¿Te lo reservo?" in chat.text
    await chat.say("👍")
    assert "te reservé el turno" in chat.text
    assert chat.state["language"] == "es"

    [booked] = await bookings_of(client, "Leandro")
    assert booked["start"] == "2026-12-02T17:00:00-03:00"


async def test_a_long_story_with_the_request_at_the_end_books_what_it_asks(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "matias", "Matias")
    story = (
        "buenas! mira, el martes pasado fui a una barberia aca cerca de casa y me hicieron "
        "cualquiera, me cobraron un montón y me dejaron un costado mas largo q el otro, no te "
        "miento. encima el flaco estaba mas pendiente del partido q de mi cabeza jaja. el sabado "
        "fui a un cumple y todos me cargaron. un compañero del laburo se atiende con tincho y "
        "dice q es muy prolijo y q escucha lo q le pedis, asi q me anime a escribirles. necesito "
        "q me emparejen esto y q quede cortito a los costados, arriba un poco mas largo. el tema "
        "es q de lunes a viernes laburo hasta las 12 en el centro. "
    )
    await chat.say(story + "bueno, tenés algo para el jueves a las 13 con facu para un corte?")

    assert chat.step == "payment", chat.text
    assert "Corte con Facu" in chat.text
    assert "Jueves 3 de diciembre, 13:00" in chat.text
