"""Two turnos in one chat («para mí y mi hermano»), through the sandbox and the real database.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. Tincho (id 1) works Tue-Sat 10-19, Facu
Mon-Fri 12-20, Lu Wed-Sat 9-17. The second person's turno is booked under their own name.
"""

from __future__ import annotations

import httpx
import pytest

from tests.web.chat import bookings_of, customer, taps
from tests.web.test_sandbox_flows import someone_else_books

pytestmark = pytest.mark.usefixtures("demo")

THURSDAY_17 = "2026-12-03T17:00:00-03:00"
THURSDAY_1730 = "2026-12-03T17:30:00-03:00"


async def test_back_to_back_with_the_same_barber_asks_the_second_name_and_books_both(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("corte para mí y para mi hermano el jueves a las 17 con tincho, seguidos")
    assert chat.step == "pair_name"
    assert "¿Y a nombre de quién va el segundo turno?" in chat.text
    await chat.say("Tomás")
    await chat.tap("Efectivo")

    assert chat.step == "confirm"
    assert "Tomás: Corte con Tincho" in chat.text
    assert "Jueves 3 de diciembre, 17:30" in chat.text
    assert "¿Te reservo los dos?" in chat.text
    await chat.tap("Confirmar")

    assert "Y el turno de Tomás también quedó reservado" in chat.text
    mine = await bookings_of(client, "Juan")
    theirs = await bookings_of(client, "Tomás")
    assert [(b["start"], b["professional_id"]) for b in mine] == [(THURSDAY_17, 1)]
    assert [(b["start"], b["professional_id"]) for b in theirs] == [(THURSDAY_1730, 1)]


async def test_side_by_side_takes_two_barbers_at_the_same_time(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("somos dos, corte el viernes a las 11 los dos a la vez, con cualquiera")
    assert chat.step == "pair_name"
    await chat.say("mi amigo Lautaro")
    await taps(chat, "Efectivo", "Confirmar")

    mine = await bookings_of(client, "Juan")
    theirs = await bookings_of(client, "Lautaro")
    assert len(mine) == len(theirs) == 1
    assert mine[0]["start"] == theirs[0]["start"] == "2026-12-04T11:00:00-03:00"
    assert mine[0]["professional_id"] != theirs[0]["professional_id"]


async def test_the_second_time_taken_offers_the_nearest_or_only_mine(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    await someone_else_books(client, THURSDAY_1730)
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("corte para mí y para mi hijo el jueves a las 17 con tincho, uno atrás del otro")
    assert chat.step == "pair_time"
    assert "No tengo lugar para el segundo turno a las 17:30" in chat.text
    assert "18:00 · Tincho" in chat.labels
    await chat.tap("Solo el mío")

    assert chat.step == "payment"
    assert "Segundo turno" not in chat.text
    await taps(chat, "Efectivo", "Confirmar")
    assert [b["start"] for b in await bookings_of(client, "Juan")] == [THURSDAY_17]


async def test_the_second_taken_before_confirming_books_neither_and_says_so(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await chat.say(
        "turno para mí y mi hermano Tomás, corte el jueves a las 17 con tincho, seguidos"
    )
    await chat.tap("Efectivo")
    assert chat.step == "confirm"

    await someone_else_books(client, THURSDAY_1730)
    await chat.tap("Confirmar")

    assert "No pude reservar el turno de Tomás" in chat.text
    assert "No reservé ninguno de los dos" in chat.text
    assert chat.step == "pair_time"
    assert await bookings_of(client, "Juan") == []
    assert await bookings_of(client, "Tomás") == []


async def test_a_price_asked_with_a_booking_is_answered_and_the_booked_service_kept(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("cuánto sale la barba? y dame turno para corte con tincho el jueves a las 17")

    assert "Barba: $\xa08.000" in chat.text
    assert chat.step == "payment"
    assert "Corte con Tincho" in chat.text


async def test_a_price_asked_mid_booking_with_a_time_is_answered_and_the_time_taken(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await chat.say("corte con tincho el jueves")
    assert chat.step == "time"

    await chat.say("cuánto sale? y si tenés a las 17 me lo reservo")

    assert "Corte: $\xa012.000" in chat.text
    assert chat.step == "payment"
    assert "Jueves 3 de diciembre, 17:00" in chat.text


async def test_with_a_transfer_the_customer_holds_theirs_and_the_second_is_paid_at_the_shop(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await chat.say(
        "turno para mí y mi hermano Tomás, corte el jueves a las 17 con tincho, seguidos"
    )
    await taps(chat, "Transferencia", "Confirmar")

    assert "Te guardo el turno del jueves 3 de diciembre, 17:00" in chat.text
    assert "Y el turno de Tomás también quedó reservado" in chat.text
    assert "ese se paga en el local" in chat.text
    mine = await bookings_of(client, "Juan")
    theirs = await bookings_of(client, "Tomás")
    assert [b["start"] for b in mine] == [THURSDAY_17]
    assert [b["start"] for b in theirs] == [THURSDAY_1730]
