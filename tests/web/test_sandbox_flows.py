"""One transcript per flow, through the sandbox endpoint and the real database.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. Tincho (id 1) works Tue-Sat 10-19 with
lunch 14-15; Lu (id 3) alone does Color; the group class (4 seats) is Tincho's. Free
cancellation ends 3 hours before. 2026-12-08 is a national holiday.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.storage.tables import ShopMessageRow, WaitlistEntryRow
from tests.helpers import FixedClock
from tests.web.chat import Chat, bookings_of, customer, taps

pytestmark = pytest.mark.usefixtures("demo")

WEDNESDAY_16 = "2026-12-02T16:00:00-03:00"


async def book_by_chat(chat: Chat, text: str) -> Chat:
    """Book what `text` asks for, paying cash, and land back at the menu."""
    await chat.say(text)
    if chat.step == "payment":
        await chat.tap("Efectivo")
    assert chat.step == "confirm", chat.text
    await chat.tap("Confirmar")
    assert "te reservé el turno" in chat.text, chat.text
    return chat


async def someone_else_books(client: httpx.AsyncClient, start: str) -> None:
    """Another customer takes a Corte with Tincho through the REST API."""
    body = {
        "service_id": 1,
        "professional_id": 1,
        "start": start,
        "customer": {"name": "Otro", "phone": "11 5555-0000"},
    }
    response = await client.post("/api/v1/shops/don-julio/bookings", json=body)
    assert response.status_code == 201, response.text


# -- lo de siempre ----------------------------------------------------------------------------


async def test_the_usual_books_the_same_weekday_and_time_a_week_later_in_two_taps(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await book_by_chat(chat, "corte con Tincho el miércoles a las 16")
    assert "Lo de siempre: Corte con Tincho" in chat.labels

    await taps(chat, "Lo de siempre")
    assert chat.step == "confirm"
    assert "Miércoles 9 de diciembre, 16:00" in chat.text
    assert "Efectivo en el local" in chat.text
    await taps(chat, "Confirmar")

    assert chat.step == "menu"
    starts = [b["start"] for b in await bookings_of(client, "Juan")]
    assert starts == [WEDNESDAY_16, "2026-12-09T16:00:00-03:00"]


async def test_the_usual_shows_the_nearest_times_when_its_slot_is_taken(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await book_by_chat(chat, "corte con Tincho el miércoles a las 16")
    await someone_else_books(client, "2026-12-09T16:00:00-03:00")

    await taps(chat, "Lo de siempre")

    assert chat.step == "time"
    assert "Tu horario de siempre está ocupado" in chat.text
    assert "Horarios para Corte con Tincho, miércoles 9 de diciembre:" in chat.text
    assert {"15:30", "16:30"} <= set(chat.labels)
    assert "16:00" not in chat.labels
    await chat.say("mejor el jueves a las 16")
    assert chat.step == "confirm", chat.text
    assert "Jueves 3 de diciembre, 16:00" in chat.text


async def test_changing_the_time_of_the_usual_shows_that_days_times(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await book_by_chat(chat, "corte con Tincho el miércoles a las 16")
    await taps(chat, "Lo de siempre")

    await taps(chat, "Cambiar el horario")

    assert chat.step == "time"
    assert "Horarios para Corte con Tincho, miércoles 9 de diciembre:" in chat.text
    await chat.say("a las 17")  # the payment of the usual is kept: straight to the summary
    assert chat.step == "confirm"
    assert "Miércoles 9 de diciembre, 17:00" in chat.text


# -- my turnos: cancel and reschedule --------------------------------------------------------


async def test_cancelling_early_is_free_and_says_until_when(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await book_by_chat(chat, "corte con Tincho el miércoles a las 16")

    await taps(chat, "Mis turnos", "Corte ·", "Cancelarlo")
    assert chat.step == "confirm_cancel"
    assert "sin cargo hasta el miércoles 2 de diciembre, 13:00" in chat.text
    await taps(chat, "Sí, cancelalo")

    assert chat.step == "menu"
    assert "cancelé tu turno" in chat.text
    assert "tardía" not in chat.text
    [booking] = await bookings_of(client, "Juan")
    assert (booking["status"], booking["late_cancellation"]) == ("cancelled", False)


async def test_cancelling_two_hours_before_is_a_late_cancellation(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient, clock: FixedClock
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await book_by_chat(chat, "corte con Tincho el miércoles a las 16")
    clock.advance(hours=29)  # Wednesday 14:00, two hours before the turno

    await chat.say("mis turnos")
    await taps(chat, "Corte ·", "Cancelarlo")
    assert "cuenta como cancelación tardía" in chat.text
    await taps(chat, "Sí, cancelalo")

    assert chat.step == "menu"
    assert "Quedó como cancelación tardía" in chat.text
    [booking] = await bookings_of(client, "Juan")
    assert (booking["status"], booking["late_cancellation"]) == ("cancelled", True)


async def test_moving_a_turno_cancels_the_old_one_and_links_the_new_one(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await book_by_chat(chat, "corte con Tincho el miércoles a las 16")

    await taps(chat, "Mis turnos", "Corte ·", "Cambiarlo de horario")
    assert (chat.step, chat.state["mode"]) == ("day", "reschedule")
    await taps(chat, "Jueves 3 de diciembre")
    await chat.say("a las 17")
    assert chat.step == "confirm"
    assert "Te paso el turno al jueves 3 de diciembre, 17:00" in chat.text
    await taps(chat, "Confirmar")

    assert chat.step == "menu"
    assert "te pasé el turno" in chat.text
    old, new = await bookings_of(client, "Juan")
    assert (old["status"], old["start"]) == ("cancelled", WEDNESDAY_16)
    assert (new["status"], new["start"]) == ("confirmed", "2026-12-03T17:00:00-03:00")
    assert new["rescheduled_from_id"] == old["id"]


async def test_a_move_whose_new_slot_is_taken_meanwhile_keeps_the_old_turno(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await book_by_chat(chat, "corte con Tincho el miércoles a las 16")
    await taps(chat, "Mis turnos", "Corte ·", "Cambiarlo de horario")
    await chat.say("el jueves a las 17")
    assert chat.step == "confirm", chat.text

    await someone_else_books(client, "2026-12-03T17:00:00-03:00")
    await taps(chat, "Confirmar")

    assert "ese horario ya no está disponible" in chat.text
    assert (chat.step, chat.state["mode"]) == ("time", "reschedule")
    [booking] = await bookings_of(client, "Juan")
    assert (booking["status"], booking["start"]) == ("confirmed", WEDNESDAY_16)


# -- waitlist, group sessions, recurring series ----------------------------------------------


async def test_a_holiday_is_named_and_the_nearest_days_offered_without_a_waitlist(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("color el martes 8")

    assert chat.step == "day", chat.text
    assert "El martes 8 de diciembre es feriado (Inmaculada Concepción" in chat.text
    # Lu's working days nearest the 8th, before and after, in order.
    assert chat.labels[:6] == [
        "Viernes 4 de diciembre",
        "Sábado 5 de diciembre",
        "Miércoles 9 de diciembre",
        "Jueves 10 de diciembre",
        "Viernes 11 de diciembre",
        "Sábado 12 de diciembre",
    ]
    assert "Anotarme en la lista de espera" not in chat.labels


async def test_a_professionals_day_off_is_said_and_anyone_else_that_day_offered(
    sandbox: httpx.AsyncClient,
) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("corte con Tincho el lunes 14")
    assert chat.step == "day", chat.text
    assert "Tincho no atiende el lunes 14 de diciembre." in chat.text
    await taps(chat, "Con cualquiera esos días")

    assert (chat.step, chat.state["day"]) == ("time", "2026-12-14")
    assert "12:00 · Facu" in chat.labels


async def test_a_full_time_window_offers_other_times_and_the_waitlist(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    for start in ("18:00", "18:30"):
        await someone_else_books(client, f"2026-12-02T{start}:00-03:00")
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("corte con Tincho el miércoles después de las 18")
    assert chat.step == "day", chat.text
    assert "El miércoles 2 de diciembre no me queda nada libre en ese horario." in chat.text
    assert {"Otro horario esos días", "Anotarme en la lista de espera"} <= set(chat.labels)
    await taps(chat, "Anotarme en la lista de espera")

    assert chat.step == "menu"
    assert "te anoté en la lista de espera" in chat.text
    async with engine.connect() as connection:
        rows = (await connection.execute(select(WaitlistEntryRow))).all()
    assert [(r.professional_id, str(r.first_day), str(r.window_start)) for r in rows] == [
        (1, "2026-12-02", "18:00:00")
    ]


async def test_a_taken_time_offers_to_wait_for_exactly_that_time(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    """ "A las 16" is taken: the other times, and "Avisame si se libera el de las 16:00" (by tap
    or in words), which waits for that time only."""
    await someone_else_books(client, WEDNESDAY_16)
    chat = await customer(sandbox, "juan", "Juan")
    await chat.say("corte con Tincho el miércoles a las 16")
    assert "Justo ese horario no lo tengo" in chat.text
    assert "Avisame si se libera el de las 16:00" in chat.labels
    await taps(chat, "Avisame si se libera el de las 16:00")
    assert chat.step == "menu"
    assert "si se libera el turno de las 16:00 del miércoles 2 de diciembre" in chat.text

    other = await customer(sandbox, "ana", "Ana")
    await other.say("corte con Tincho el miércoles a las 16")
    await other.say("avisame si se libera")
    assert other.step == "menu", other.text

    async with engine.connect() as connection:
        rows = (await connection.execute(select(WaitlistEntryRow))).all()
    assert [(str(r.first_day), str(r.window_start), str(r.window_end)) for r in rows] == [
        ("2026-12-02", "16:00:00", "16:15:00"),
        ("2026-12-02", "16:00:00", "16:15:00"),
    ]


async def test_the_customer_sees_their_waitlist_and_leaves_it(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    """ "lista de espera": each entry with its days and hours; "Salir: …" takes them off (and
    only them: another customer's entry stays)."""
    for start in ("18:00", "18:30"):
        await someone_else_books(client, f"2026-12-02T{start}:00-03:00")
    other = await customer(sandbox, "ana", "Ana")
    await other.say("corte con Tincho el miércoles después de las 18")
    await taps(other, "Anotarme en la lista de espera")
    chat = await customer(sandbox, "juan", "Juan")
    await chat.say("corte con Tincho el miércoles después de las 18")
    await taps(chat, "Anotarme en la lista de espera")
    assert "escribí “lista de espera”" in chat.text

    await chat.say("quiero ver mi lista de espera")
    assert chat.step == "my_waitlist", chat.text
    assert "Corte con Tincho, el miércoles 2 de diciembre, entre 18:00 y 20:00" in chat.text
    assert chat.labels == ["Salir: Corte, 2/12", "Dejarlas así"]
    await taps(chat, "Salir: Corte, 2/12")

    assert chat.step == "menu"
    assert "te saqué de esa lista de espera" in chat.text
    async with engine.connect() as connection:
        rows = (await connection.execute(select(WaitlistEntryRow))).all()
    still_waiting = [r.left_at is None for r in sorted(rows, key=lambda r: r.id)]
    assert still_waiting == [True, False], "Ana still waits; Juan left"
    await chat.say("lista de espera")
    assert chat.step == "menu"
    assert "No estás en ninguna lista de espera" in chat.text


async def test_a_group_class_shows_the_places_left_and_counts_down(
    sandbox: httpx.AsyncClient,
) -> None:
    first = await customer(sandbox, "juan", "Juan")
    await first.say("clase el miércoles")
    assert first.step == "time", first.text
    assert "12:00 · quedan 4 lugares" in first.labels
    await taps(first, "12:00", "Efectivo", "Confirmar")
    assert "te reservé el turno" in first.text

    second = await customer(sandbox, "ana", "Ana")
    await second.say("clase el miércoles")

    assert "12:00 · quedan 3 lugares" in second.labels


async def test_a_weekly_series_books_every_week_and_reports_a_taken_one(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    await someone_else_books(client, "2026-12-16T17:00:00-03:00")
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("corte con Tincho todos los miércoles a las 17 por 4 semanas")
    await taps(chat, "Efectivo")
    assert chat.step == "confirm"
    assert "Todas las semanas, 4 veces" in chat.text
    await taps(chat, "Confirmar")

    assert chat.step == "menu"
    assert "En total te reservé 3 turnos" in chat.text
    assert "con el local cerrado): miércoles 16 de diciembre" in chat.text
    starts = [b["start"][:16] for b in await bookings_of(client, "Juan")]
    assert starts == ["2026-12-02T17:00", "2026-12-09T17:00", "2026-12-23T17:00"]


# -- help and the people at the shop ----------------------------------------------------------


async def test_help_explains_how_to_go_back_and_a_message_reaches_the_shop(
    sandbox: httpx.AsyncClient, engine: AsyncEngine
) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await taps(chat, "Ayuda")
    assert chat.step == "menu"
    assert "\u201cvolver\u201d" in chat.text
    assert "\u201ccancelar\u201d" in chat.text
    await taps(chat, "Hablar con alguien del local")
    assert chat.step == "human"
    await chat.say("¿Puedo llevar a mi perro?")

    assert chat.step == "menu"
    assert "se lo pasé al local" in chat.text
    async with engine.connect() as connection:
        rows = (await connection.execute(select(ShopMessageRow))).all()
    assert [(r.text, r.channel, r.chat_id) for r in rows] == [
        ("¿Puedo llevar a mi perro?", "sandbox", "juan")
    ]


# -- things people type instead of tapping -----------------------------------------------------


async def test_a_short_name_is_a_name_and_payment_can_be_typed(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "nico", "Nico")
    assert "Nico" in chat.text

    await chat.say("corte con Tincho el miércoles a las 16")
    assert chat.step == "payment", chat.text
    await chat.say("en efectivo")
    assert chat.step == "confirm", chat.text
    assert "Pago: Efectivo en el local" in chat.text
    await chat.say("dale, confirmo")

    assert "te reservé el turno" in chat.text
    [booking] = await bookings_of(client, "Nico")
    assert booking["status"] == "confirmed"


async def test_cancelling_a_turno_by_naming_its_day_goes_straight_to_the_question(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await book_by_chat(
        await customer(sandbox, "juan", "Juan"), "corte con Tincho el miércoles a las 16"
    )
    await book_by_chat(chat, "corte con Tincho el jueves a las 16")

    await chat.say("quiero cancelar mi turno del miércoles")
    assert chat.step == "confirm_cancel", chat.text
    assert "miércoles 2 de diciembre, 16:00" in chat.text
    await chat.say("sí")

    assert "cancelé tu turno" in chat.text
    statuses = {b["start"]: b["status"] for b in await bookings_of(client, "Juan")}
    assert statuses == {WEDNESDAY_16: "cancelled", "2026-12-03T16:00:00-03:00": "confirmed"}


async def test_moving_the_only_turno_by_typing_where_it_goes(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await book_by_chat(
        await customer(sandbox, "juan", "Juan"), "corte con Tincho el miércoles a las 16"
    )

    await chat.say("pasame el turno al viernes a las 11")
    assert (chat.step, chat.state["mode"]) == ("confirm", "reschedule"), chat.text
    await chat.say("sí")

    assert "Listo, te pasé el turno al viernes 4 de diciembre, 11:00" in chat.text
    starts = {b["start"]: b["status"] for b in await bookings_of(client, "Juan")}
    assert starts["2026-12-04T11:00:00-03:00"] == "confirmed"


async def test_times_that_clash_with_the_customers_own_turno_are_not_offered(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await book_by_chat(
        await customer(sandbox, "juan", "Juan"), "corte con Tincho el miércoles a las 17"
    )

    await chat.say("corte con Facu el miércoles a las 17")

    assert (chat.step, chat.state["day"]) == ("time", "2026-12-02"), chat.text
    assert "Justo ese horario no lo tengo" in chat.text
    assert "16:30" in chat.labels  # the page nearest 17, without 16:45-17:15
    assert not {"16:45", "17:00", "17:15"} & set(chat.labels)
    assert len(await bookings_of(client, "Juan")) == 1


async def test_asking_the_price_answers_with_the_shops_price(sandbox: httpx.AsyncClient) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("¿cuánto sale el color?")

    assert chat.step == "menu"
    assert "Color: $\xa025.000 (90 min)" in chat.text
