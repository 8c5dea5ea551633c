"""The customer's name through the sandbox: asked when a booking needs it, never in the way.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires; Tincho works Tue-Sat 10-19, Facu Mon-Fri
12-20; the demo takes cash or a transfer.
"""

from __future__ import annotations

import httpx
import pytest

from tests.web.chat import Chat, bookings_of

pytestmark = pytest.mark.usefixtures("demo")

NAME_QUESTION = "¿A nombre de quién lo reservo?"


async def finish(chat: Chat) -> None:
    """Pay cash and confirm."""
    await chat.tap("Efectivo")
    await chat.tap("Confirmar")
    assert "te reservé el turno" in chat.text, chat.text


async def test_a_new_customer_asking_for_a_turno_is_asked_the_name_after_the_time(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = Chat(sandbox, "n1")
    await chat.say("hola! tenés algo mañana a la tarde con tincho para corte?")
    assert "¿Cómo te llamás?" not in chat.text
    assert chat.step == "time", chat.text

    await chat.say("las 17")
    assert NAME_QUESTION in chat.text
    await chat.say("Diego")
    assert chat.step == "payment", chat.text
    await finish(chat)

    [booked] = await bookings_of(client, "Diego")
    assert booked["start"].startswith("2026-12-02T17:00")


async def test_a_price_question_at_the_name_question_is_answered_and_no_name_is_forced(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = Chat(sandbox, "n2")
    await chat.say("hola")
    assert "¿Cómo te llamás?" in chat.text

    await chat.say("cuánto sale el corte?")

    assert "12.000" in chat.text
    assert "¿Cómo te llamás?" not in chat.text
    assert chat.step == "menu"


async def test_a_booking_asked_for_at_the_name_question_starts_and_a_number_picks_from_it(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = Chat(sandbox, "n3")
    await chat.say("buenas")
    await chat.say("quiero turno")
    assert chat.step == "service", chat.text

    await chat.say("2")  # Barba
    assert chat.step == "professional", chat.text
    await chat.say("Tincho")
    await chat.say("mañana a las 12")
    assert NAME_QUESTION in chat.text
    await chat.say("Seba acá")
    await finish(chat)

    [booked] = await bookings_of(client, "Seba")
    assert booked["service_id"] == 2  # Barba


@pytest.mark.parametrize("text", ["Hola! Diego", "Diego acá", "buenas, soy Diego", "Diego."])
async def test_a_name_in_a_greeting_is_taken_at_once(sandbox: httpx.AsyncClient, text: str) -> None:
    chat = Chat(sandbox, "n4")
    await chat.say(text)

    assert "Diego" in chat.text
    assert "¿Cómo te llamás?" not in chat.text
    assert chat.step == "menu"


@pytest.mark.parametrize("text", ["el que sea", "cualquiera", "dos", "asdfgh", "jkjkjk", "?"])
async def test_what_is_clearly_no_name_is_not_taken_for_one(
    sandbox: httpx.AsyncClient, text: str
) -> None:
    chat = Chat(sandbox, "n5")
    await chat.say("hola")

    await chat.say(text)

    assert chat.step == "ask_name", chat.text
    assert "¿Cómo te llamás?" in chat.text


async def test_a_change_of_day_at_the_booking_name_question_is_applied(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = Chat(sandbox, "n6")
    await chat.say("quiero un corte con tincho mañana a las 17")
    assert NAME_QUESTION in chat.text

    await chat.say("no, mejor el viernes")
    assert NAME_QUESTION in chat.text, chat.text
    for not_a_name in ("el que sea", "dos", "qwerty"):
        await chat.say(not_a_name)
        assert chat.step == "name", chat.text
    await chat.say("Mauro")
    await finish(chat)

    [booked] = await bookings_of(client, "Mauro")
    assert booked["start"].startswith("2026-12-04T17:00")


async def test_a_name_given_in_passing_is_saved_and_not_asked_again(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = Chat(sandbox, "n7")
    await chat.say("quiero un corte con tincho mañana")
    await chat.say("a las 17, soy Lucas")
    assert chat.step == "payment", chat.text
    await finish(chat)

    assert len(await bookings_of(client, "Lucas")) == 1


@pytest.mark.parametrize(
    ("chat_id", "answer"),
    [
        ("n8a", "Juana Pérez, mi cel es 11 5555-3333"),
        ("n8b", "Juana Pérez 11 5555 3333"),
        ("n8c", "soy Juana Pérez, whatsapp +54 9 11 5555-3333"),
        ("n8d", "Juana Pérez - tel: (011) 4555-3333"),
    ],
)
async def test_a_name_given_with_a_phone_number_is_the_name_and_the_number_no_time(
    sandbox: httpx.AsyncClient, chat_id: str, answer: str
) -> None:
    """People answer «¿cómo te llamás?» with their number too: it was no name, and "11" read
    as a time; the number is left out (never tied to a customer known by it)."""
    chat = Chat(sandbox, chat_id)
    await chat.say("hola")
    await chat.say(answer)
    assert "¡Un gusto, Juana Pérez!" in chat.text, chat.text
    assert chat.step == "menu", chat.text


async def test_the_booking_name_question_takes_a_name_with_its_number(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = Chat(sandbox, "n9")
    await chat.say("quiero un corte con tincho mañana a las 17")
    assert NAME_QUESTION in chat.text

    await chat.say("Diego Sosa, mi celu 11 5555-3333")
    assert chat.step == "payment", chat.text
    await finish(chat)

    [booked] = await bookings_of(client, "Diego Sosa")
    assert booked["start"].startswith("2026-12-02T17:00")
    assert booked["customer"]["phone"] is None
