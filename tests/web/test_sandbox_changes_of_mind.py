"""Changes of mind mid-booking, through the sandbox and the real database: the rest is kept
and the change is said back; a turno already booked, asked about mid-booking, is shown.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires (mañana is Wednesday 2).
"""

from __future__ import annotations

import httpx
import pytest

from tests.web.chat import Chat, bookings_of, customer

pytestmark = pytest.mark.usefixtures("demo")


async def at_payment(sandbox: httpx.AsyncClient, text: str) -> Chat:
    """Juan, past the greeting, with `text` asked for, at the payment question."""
    chat = await customer(sandbox, "juan", "Juan")
    await chat.say(text)
    assert chat.step == "payment", chat.text
    return chat


async def test_another_day_at_the_times_keeps_the_barber_and_says_so(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await chat.say("corte con tincho mañana")

    await chat.say("no, mejor el viernes")

    assert "Dale, el viernes 4 de diciembre entonces." in chat.text
    assert "Horarios para Corte con Tincho, viernes 4 de diciembre:" in chat.text
    assert chat.state["professional_id"] == 1


async def test_another_barber_at_the_payment_keeps_the_day_and_time(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await at_payment(sandbox, "corte con tincho mañana a las 17")

    await chat.say("uh no, con facu")

    assert "Dale, con Facu entonces." in chat.text
    assert "Corte con Facu" in chat.text
    assert "Miércoles 2 de diciembre, 17:00" in chat.text
    assert chat.step == "payment"


async def test_another_service_at_the_confirm_step_keeps_the_rest_and_books_it(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await at_payment(sandbox, "corte con tincho mañana a las 17")
    await chat.tap("Efectivo")

    await chat.say("mejor corte y barba")

    assert "Dale, Corte + barba entonces." in chat.text
    assert chat.step == "confirm"
    await chat.say("dale")
    [booked] = await bookings_of(client, "Juan")
    assert booked["start"] == "2026-12-02T17:00:00-03:00"
    assert booked["service_id"] == 3  # Corte + barba


async def test_another_time_at_the_confirm_step_is_said_back(sandbox: httpx.AsyncClient) -> None:
    chat = await at_payment(sandbox, "corte con tincho mañana a las 17")
    await chat.tap("Efectivo")

    await chat.say("y a las 6?")

    assert "Dale, a las 18:00 entonces." in chat.text
    assert "Miércoles 2 de diciembre, 18:00" in chat.text
    assert chat.step == "confirm"


async def test_a_service_added_to_the_one_chosen_makes_the_combo(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await at_payment(sandbox, "quiero un corte con facu el jueves a las 18:30")

    await chat.say("ah y barba tambien, me hacés las dos cosas?")

    assert "Corte + barba con Facu" in chat.text
    assert "Jueves 3 de diciembre, 18:30" in chat.text


async def test_another_day_without_saying_which_asks_the_day_and_keeps_the_time(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await at_payment(sandbox, "corte con tincho mañana a las 17")

    await chat.say("otro día")
    assert chat.step == "day"
    await chat.say("el jueves")

    assert "Jueves 3 de diciembre, 17:00" in chat.text
    assert chat.step == "payment"


async def test_earlier_offers_the_times_before_the_one_chosen(sandbox: httpx.AsyncClient) -> None:
    chat = await at_payment(sandbox, "corte con tincho mañana a las 17")

    await chat.say("más temprano")

    assert chat.step == "time"
    times = [label for label in chat.labels if label[:2].isdigit()]
    assert times
    assert all(label < "17:00" for label in times)


async def test_cancelling_another_turno_mid_booking_goes_to_that_turno(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await chat.say("corte con tincho el jueves a las 17")
    await chat.tap("Efectivo")
    await chat.tap("Confirmar")
    await chat.say("quiero sacar turno para barba el viernes")

    await chat.say("pará, en realidad quiero cancelar el del jueves")

    assert chat.step == "confirm_cancel"
    assert "jueves 3 de diciembre" in chat.text
    await chat.tap("Sí")
    [booking] = await bookings_of(client, "Juan")
    assert booking["status"] == "cancelled"


async def test_my_turnos_mid_booking_shows_them(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await chat.say("corte con tincho el jueves a las 17")
    await chat.tap("Efectivo")
    await chat.tap("Confirmar")
    await chat.say("corte con facu mañana")

    await chat.say("mis turnos")

    assert chat.step == "my_bookings"
    assert any("jueves 3 de diciembre" in label for label in chat.labels)


async def test_another_barber_who_is_off_that_day_is_named_with_the_nearest_days(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await at_payment(sandbox, "corte con tincho el sabado a las 11")

    await chat.say("uh no, con facu")

    assert "Dale, con Facu entonces." in chat.text
    assert "Facu no atiende el sábado 5 de diciembre." in chat.text
    assert chat.step == "day"
