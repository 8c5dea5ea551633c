"""One turno for someone else («para mi hijo Felipe»), two friends' turnos told in one go, a
long story with the request at its end, and formal «usted» answers, through the sandbox.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. Tincho (id 1) works Tue-Sat 10-19, Lu
(id 3) Wed-Sat 9-17.
"""

from __future__ import annotations

import httpx
import pytest

from tests.web.chat import Chat, bookings_of, customer, taps

pytestmark = pytest.mark.usefixtures("demo")


async def test_a_turno_for_a_son_is_booked_under_his_name_and_the_summary_says_so(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "sole", "Sole")

    await chat.say("quería sacar turno para mi hijo Felipe, corte con Lu el jueves a las 10")
    assert "Corte con Lu para Felipe" in chat.text
    await taps(chat, "Efectivo", "Confirmar")

    theirs = await bookings_of(client, "Felipe")
    assert [(b["start"], b["professional_id"]) for b in theirs] == [
        ("2026-12-03T10:00:00-03:00", 3)
    ]
    assert await bookings_of(client, "Sole") == []


async def test_for_someone_unnamed_the_name_question_asks_for_theirs(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("corte para mi viejo el jueves a las 11 con tincho")
    assert chat.step == "name"
    await chat.say("Roberto")
    assert "Corte con Tincho para Roberto" in chat.text
    await taps(chat, "Efectivo", "Confirmar")

    assert len(await bookings_of(client, "Roberto")) == 1
    assert await bookings_of(client, "Juan") == []


async def test_a_known_customer_booking_under_another_name(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "pablo", "Pablo")

    await chat.say("corte con tincho el jueves a las 12 a nombre de Nico")
    assert "para Nico" in chat.text
    await taps(chat, "Efectivo", "Confirmar")
    assert len(await bookings_of(client, "Nico")) == 1


async def test_two_friends_one_time_each_under_their_own_names(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = Chat(sandbox, "pablo")
    await chat.say(
        "queremos sacar turno con un amigo, corte los dos con Tincho el sábado, uno a las 11 "
        "y el otro 11:30. yo soy Pablo y mi amigo Nico"
    )
    await taps(chat, "Efectivo", "Confirmar")

    mine = await bookings_of(client, "Pablo")
    theirs = await bookings_of(client, "Nico")
    assert [b["start"] for b in mine] == ["2026-12-05T11:00:00-03:00"]
    assert [b["start"] for b in theirs] == ["2026-12-05T11:30:00-03:00"]


async def test_a_long_story_is_read_for_what_its_end_asks_and_formal_answers_confirm(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = Chat(sandbox, "ricardo")
    await chat.say(
        "Buenas tardes. Mi nombre es Ricardo, tengo 58 años y hace más de veinte que me corto "
        "el pelo con el mismo peluquero del barrio, que se jubiló el mes pasado. El sábado se "
        "casa mi sobrino y la fiesta es a las 19, así que quiero estar prolijo. Mi hijo me dijo "
        "que atienden muy bien y que son puntuales, cosa que valoro mucho. Le pido disculpas "
        "por la extensión del mensaje. Quisiera, si fuera posible, un corte con Tincho el "
        "jueves a las 12."
    )
    assert "¿A nombre de quién" not in chat.text
    assert "Jueves 3 de diciembre, 12:00" in chat.text
    await chat.say("En efectivo, en el local.")
    await chat.say("Sí, confírmelo.")

    assert [b["start"] for b in await bookings_of(client, "Ricardo")] == [
        "2026-12-03T12:00:00-03:00"
    ]


async def test_a_long_message_asking_to_cancel_cancels(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "german", "German")
    await chat.say("corte con lu el viernes a las 10")
    await taps(chat, "Efectivo", "Confirmar")

    await chat.say(
        "Hola Lu, buen día, cómo estás? Te escribo porque me surgió algo re imprevisto: mi jefe "
        "me avisó ayer que tengo que viajar a Córdoba por una auditoría, me voy el jueves "
        "temprano y vuelvo recién el domingo a la noche. Te juro que tenía muchas ganas de ir "
        "porque ya estoy con el pelo imposible, pero bueno, no me queda otra. Apenas vuelva te "
        "escribo para sacar otro turno. Así que nada, te pido que me canceles el turno del "
        "viernes, perdón."
    )
    assert "viernes" in chat.text
    await chat.say("sí")
    assert "cancel" in chat.text.lower()
