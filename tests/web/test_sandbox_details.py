"""Details of whole chats: a time with no day is today while it is still ahead, a bare hour at
the times, the subject of a question about the shop carried into the booking, whether someone
works the day booked, a class's places, and another time at the summary keeping the payment.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. Tincho works Tue-Sat 10-19 (lunch 14-15),
Facu Mon-Fri 12-20 (break 16-16:30), Lu Wed-Sat 9-17. Turnos need 30 minutes' notice.
"""

from __future__ import annotations

import httpx
import pytest

from tests.helpers import FixedClock
from tests.web.chat import bookings_of, customer, taps

pytestmark = pytest.mark.usefixtures("demo")


async def starts_of(client: httpx.AsyncClient, name: str) -> list[tuple[str, str, str]]:
    """Each of the customer's turnos as (service, professional, start to the minute)."""
    return [
        (str(b["service_id"]), str(b["professional_id"]), b["start"][:16])
        for b in await bookings_of(client, name)
    ]


async def test_a_time_with_no_day_still_ahead_today_is_today(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient, clock: FixedClock
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    clock.advance(hours=7, minutes=10)  # 16:10

    await chat.say("me podés cortar a las 17 con tincho?")

    assert "Martes 1 de diciembre, 17:00" in chat.text
    await taps(chat, "Efectivo", "Confirmar")
    assert [s[2] for s in await starts_of(client, "Ana")] == ["2026-12-01T17:00"]


async def test_a_time_already_past_today_still_asks_the_day(
    sandbox: httpx.AsyncClient, clock: FixedClock
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    clock.advance(hours=9)  # 18:00

    await chat.say("me podés cortar a las 17 con tincho?")

    assert chat.step == "day", chat.text


async def test_an_hour_right_after_the_day_is_the_time(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "ana", "Ana")

    await chat.say("turno para corte mañana 16 con Lu")

    assert chat.step == "payment", chat.text
    assert "Miércoles 2 de diciembre, 16:00" in chat.text
    await chat.say("uy nada q ver, con tincho mejor")
    assert chat.step == "payment", chat.text
    assert "16:00" in chat.text


async def test_a_bare_hour_at_the_times_past_the_list_is_that_hour(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await chat.say("corte con tincho mañana")

    await chat.say("16")

    assert chat.step == "payment", chat.text
    assert "16:00" in chat.text


async def test_a_small_number_at_the_times_is_still_the_option(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await chat.say("corte con tincho mañana")

    await chat.say("2")

    assert chat.step == "payment", chat.text
    assert "10:15" in chat.text


async def test_early_in_the_morning_is_that_barbers_first_times(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "ana", "Ana")

    await chat.say("corte con lu el sábado a la mañana temprano")

    assert chat.labels[0] == "09:00", chat.labels


async def test_who_does_a_service_then_a_barber_books_that_service_with_him(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await chat.say("lu hace barba?")
    assert "Tincho y Facu" in chat.text

    await chat.say("ah entonces con tincho")

    assert chat.state["service_id"] == 2  # Barba
    assert chat.state["professional_id"] == 1  # Tincho


async def test_whether_someone_works_a_day_booked_offers_who_does(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "ana", "Ana")

    await chat.say("tincho trabaja los lunes? quiero corte y barba el lunes 14")

    assert "Tincho no trabaja el lunes 14 de diciembre." in chat.text
    assert chat.labels[:2] == ["Facu", "Cualquiera"], chat.labels
    await chat.tap("Facu")
    assert chat.step == "time", chat.text


async def test_the_price_of_a_class_tells_its_places(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "ana", "Ana")

    await chat.say("cuánto sale la clase y cuántos cupos hay?")

    assert "Clase de barbería (grupal): $\xa030.000 (120 min, 4 lugares)" in chat.text


async def test_another_time_at_the_summary_keeps_the_payment(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "ana", "Ana")
    await chat.say("corte con tincho mañana a las 10")
    await chat.tap("Transferencia")
    assert chat.step == "confirm", chat.text

    await chat.tap("Cambiar")
    await chat.say("11:30")

    assert chat.step == "confirm", chat.text
    await chat.tap("Confirmar")
    assert [s[2] for s in await starts_of(client, "Ana")] == ["2026-12-02T11:30"]
