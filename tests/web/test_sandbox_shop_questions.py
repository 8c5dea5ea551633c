"""Questions about the shop, through the sandbox on the demo shop: answered from its data at
the menu, at first contact and in the middle of a booking, which then goes on where it was.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. Tincho works Tue-Sat 10-19, Facu Mon-Fri
12-20, Lu Wed-Sat 9-17 (Lu alone does Color); closed on Sundays; 2026-12-08 is a holiday.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.storage.tables import ShopMessageRow
from tests.helpers import FixedClock
from tests.web.chat import Chat, customer

pytestmark = pytest.mark.usefixtures("demo")


async def test_where_the_shop_is_is_answered_with_the_address_and_the_menu_again(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "q1", "Diego")
    await chat.say("¿dónde están?")
    assert "Estamos en Honduras 4820, Palermo, CABA." in chat.text
    assert "https://maps.google.com/" in chat.text
    assert chat.step == "menu"


async def test_opening_hours_are_computed_from_the_professionals_weeks(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "q2", "Diego")
    await chat.say("¿qué horarios tienen?")
    assert "Abrimos de lunes a sábado" in chat.text
    assert "sábado de 9 a 19" in chat.text
    assert "Los domingos y feriados cerramos." in chat.text
    await chat.say("che abren los domingos?")
    assert "No, el domingo no abrimos. Abrimos de lunes a sábado." in chat.text
    await chat.say("y el sabado hasta q hora?")
    assert "El sábado 5 de diciembre cerramos a las 19." in chat.text
    await chat.say("¿abren el 8?")
    assert "es feriado" in chat.text
    assert chat.step == "menu"


async def test_when_a_professional_works_is_answered_like_a_receptionist(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "q3", "Diego")
    await chat.say("¿a qué hora arranca Tincho mañana?")
    assert "Tincho mañana arranca a las 10." in chat.text
    await chat.say("q dias esta lu?")
    assert "Lu trabaja de miércoles a sábado de 9 a 17." in chat.text
    await chat.say("¿quién trabaja el sábado?")
    assert "Tincho (de 10 a 19) y Lu (de 9 a 17)" in chat.text


async def test_who_does_a_service_and_a_price_follow_up_are_answered(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "q4", "Diego")
    await chat.say("¿quién hace color?")
    assert "Color: lo hace Lu." in chat.text
    await chat.say("¿Lu hace barba?")
    assert "No, Lu no hace Barba: lo hacen Tincho y Facu." in chat.text
    await chat.say("¿cuánto sale el corte?")
    assert "Corte: $\u00a012.000" in chat.text
    await chat.say("¿y con barba?")
    assert "Corte + barba: $\u00a018.000" in chat.text
    await chat.say("¿y el color?")
    assert "Color: $\u00a025.000" in chat.text
    assert chat.step == "menu"


async def test_a_question_mid_booking_is_answered_and_the_same_step_asked_again(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "q5", "Diego")
    await chat.say("quiero un corte con Tincho")
    assert chat.step == "day"
    await chat.say("una pregunta, cual es la direccion exacta?")
    assert "Honduras 4820" in chat.text
    assert chat.step == "day"
    await chat.tap("Jueves")
    await chat.tap("11:00")
    assert chat.step == "payment"
    await chat.say("¿aceptan tarjeta?")
    assert "Podés pagar con efectivo o transferencia." in chat.text
    assert chat.step == "payment"
    await chat.say("¿puedo pagar en efectivo?")  # the answer to the open question
    assert chat.step == "confirm"
    assert "Corte con Tincho" in chat.text


async def test_a_question_that_also_asks_for_a_turno_answers_and_books(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = Chat(sandbox, "q6")
    await chat.say("¿abren el sábado? quiero un corte con Tincho")
    assert "El sábado 5 de diciembre abrimos de 9 a 19." in chat.text
    assert chat.step == "time"
    assert "Horarios para Corte con Tincho, sábado 5 de diciembre:" in chat.text


async def test_a_turno_right_after_an_answer_is_about_what_was_asked(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "q7", "Diego")
    await chat.say("buenas, mañana a q hora entra facu?")
    assert "Facu mañana arranca a las 12." in chat.text
    await chat.say("joya, corte y barba a las 12 entonces con el")
    assert chat.step == "payment"
    assert "Corte + barba con Facu" in chat.text
    assert "Miércoles 2 de diciembre, 12:00" in chat.text


async def test_a_first_message_asking_is_greeted_answered_and_its_name_kept(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = Chat(sandbox, "q8")
    await chat.say("Hola soy Agus. quién hace color?")
    assert "¡Un gusto, Agus!" in chat.text
    assert "Color: lo hace Lu." in chat.text
    await chat.say("cuanto sale y cuanto tarda")
    assert "Color: $\u00a025.000 (90 min)" in chat.text
    assert chat.step == "menu"


async def test_a_question_after_a_long_silence_is_answered_not_met_with_a_restart(
    sandbox: httpx.AsyncClient, clock: FixedClock
) -> None:
    chat = await customer(sandbox, "q9", "Diego")
    await chat.say("quiero un corte con Facu")
    clock.advance(hours=5)
    await chat.say("¿me pasás el teléfono?")
    assert "El teléfono del local es +54 9 11 4770-1234." in chat.text
    assert "arrancamos de nuevo" not in chat.text
    assert chat.step == "menu"


async def test_an_answer_is_remembered_only_for_the_next_message(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "q10", "Diego")
    await chat.say("¿quién hace color?")
    await chat.say("gracias!")
    await chat.say("quiero turno para el viernes")  # no longer about the color
    assert chat.step == "service"


async def test_a_reaction_to_an_answer_gets_a_word_back_and_the_menu(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "q11", "Diego")
    await chat.say("hola, donde queda la barberia?")
    await chat.say("ah buenisimo me queda a 2 cuadras")
    assert "¡Genial!" in chat.text
    assert "no te entendí" not in chat.text
    assert chat.step == "menu"


async def test_who_does_a_service_on_a_day_names_those_working_then(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "q12", "Diego")
    await chat.say("¿quién me hace la barba el sábado?")
    assert "El sábado 5 de diciembre: Tincho (de 10 a 19)." in chat.text
    assert chat.step == "menu"


async def test_a_question_the_chat_cannot_answer_is_passed_on_to_the_shop(
    sandbox: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    chat = await customer(sandbox, "q13", "Diego")
    await chat.say("quiero un corte con Tincho")
    await chat.say("¿tienen estacionamiento?")
    assert "le pasé tu pregunta al local" in chat.text
    assert chat.step == "day"  # and the booking goes on where it was
    async with engine.connect() as connection:
        rows = (await connection.execute(select(ShopMessageRow))).all()
    assert [r.text for r in rows] == ["¿tienen estacionamiento?"]


async def test_a_price_and_the_closing_time_in_one_sentence_are_both_answered(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = Chat(sandbox, "q-two")
    await chat.say("hola! cuánto sale el corte y hasta qué hora abren hoy?")

    assert "Corte: $\xa012.000" in chat.text
    assert "Hoy cerramos a las 20." in chat.text
