"""Moving a turno in one message: «misma hora», «más tarde, tipo 4», a day the turno's barber
is off, and a move that also changes barber.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. Tincho works Tue-Sat 10-19 (lunch 14-15),
Facu Mon-Fri 12-20 (break 16-16:30), Lu Wed-Sat 9-17.
"""

from __future__ import annotations

import httpx
import pytest

from tests.web.chat import Chat, bookings_of, customer, taps

pytestmark = pytest.mark.usefixtures("demo")


async def booked(sandbox: httpx.AsyncClient, text: str) -> Chat:
    """Ana, with the turno `text` asks for booked in cash."""
    chat = await customer(sandbox, "ana", "Ana")
    await chat.say(text)
    await taps(chat, "Efectivo", "Confirmar")
    return chat


async def starts_of(client: httpx.AsyncClient) -> list[str]:
    """Ana's live turnos (a moved one leaves the old one cancelled), to the minute."""
    bookings = await bookings_of(client, "Ana")
    return [b["start"][:16] for b in bookings if b["status"] != "cancelled"]


async def test_same_time_without_the_article_keeps_the_wall_time(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await booked(sandbox, "corte con tincho el jueves a las 17")

    await chat.say("me surgió algo el jueves, ¿me lo pasás al viernes misma hora?")

    assert "Te paso el turno al viernes 4 de diciembre, 17:00 con Tincho. ¿Confirmo?" in chat.text
    await chat.say("dale")
    assert await starts_of(client) == ["2026-12-04T17:00"]


async def test_same_schedule_is_the_same_time(sandbox: httpx.AsyncClient) -> None:
    chat = await booked(sandbox, "corte con facu el jueves a las 17")

    await chat.say("podés pasar mi turno al viernes, mismo horario?")

    assert "Te paso el turno al viernes 4 de diciembre, 17:00 con Facu. ¿Confirmo?" in chat.text


async def test_later_around_four_is_four_that_same_day(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await booked(sandbox, "corte con tincho el jueves a las 11")

    await chat.say("lo puedo pasar para más tarde? tipo 4")

    assert "Te paso el turno al jueves 3 de diciembre, 16:00 con Tincho. ¿Confirmo?" in chat.text
    await chat.say("dale")
    assert await starts_of(client) == ["2026-12-03T16:00"]


async def test_earlier_the_same_day_named_by_its_day(sandbox: httpx.AsyncClient) -> None:
    chat = await booked(sandbox, "corte con facu el jueves a las 18")

    await chat.say("me pasás el turno del jueves más temprano? tipo 13")

    assert "Te paso el turno al jueves 3 de diciembre, 13:00 con Facu. ¿Confirmo?" in chat.text


async def test_a_day_the_barber_is_off_offers_who_works_then(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await booked(sandbox, "corte con facu el viernes a las 12")

    await chat.say("me pasas el del viernes al sabado a las 12?")

    assert "Facu no atiende el sábado 5 de diciembre." in chat.text
    assert "Te paso el turno al sábado 5 de diciembre, 12:00 con Tincho. ¿Confirmo?" in chat.text
    await chat.say("dale")
    assert await starts_of(client) == ["2026-12-05T12:00"]


async def test_a_move_that_changes_barber_goes_to_the_new_one(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await booked(sandbox, "corte con facu el viernes a las 18")

    await chat.say(
        "al final el viernes no puedo con facu, ¿me lo pasás al sábado con tincho a la mañana?"
    )

    assert "Horarios para Corte con Tincho, sábado 5 de diciembre:" in chat.text
    assert "10:30" in chat.labels
    await chat.say("a las 10:30")
    assert "Te paso el turno al sábado 5 de diciembre, 10:30 con Tincho. ¿Confirmo?" in chat.text
    await chat.say("dale")
    assert await starts_of(client) == ["2026-12-05T10:30"]
