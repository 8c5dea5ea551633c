"""Where each booking was made (the chat's channel, or "api") is kept on it, and a move keeps
the original's.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires; Tincho (id 1) works Tue-Sat 10-19.
"""

from __future__ import annotations

import httpx
import pytest

from tests.web.chat import bookings_of, customer, taps

pytestmark = pytest.mark.usefixtures("demo")


async def test_a_booking_made_through_the_api_says_api(client: httpx.AsyncClient) -> None:
    body = {
        "service_id": 1,
        "professional_id": 1,
        "start": "2026-12-02T16:00:00-03:00",
        "customer": {"name": "Juan", "phone": "11 5874-9895"},
    }

    made = await client.post("/api/v1/shops/don-julio/bookings", json=body)

    assert made.status_code == 201, made.text
    assert made.json()["channel"] == "api"


async def test_a_turno_booked_in_the_chat_says_its_channel_and_keeps_it_when_moved_by_api(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "juan", "Juan")
    await chat.say("corte con Tincho el miércoles a las 16")
    await taps(chat, "Efectivo", "Confirmar")
    [booked] = await bookings_of(client, "Juan")

    moved = await client.post(
        f"/api/v1/bookings/{booked['id']}/reschedule", json={"start": "2026-12-02T17:00:00-03:00"}
    )

    assert booked["channel"] == "sandbox"
    assert moved.status_code == 200, moved.text
    assert moved.json()["channel"] == "sandbox"


async def test_every_turno_of_a_weekly_series_booked_in_the_chat_says_its_channel(
    sandbox: httpx.AsyncClient, client: httpx.AsyncClient
) -> None:
    chat = await customer(sandbox, "juan", "Juan")

    await chat.say("corte con Tincho todos los miércoles a las 17 por 3 semanas")
    await taps(chat, "Efectivo", "Confirmar")

    assert [b["channel"] for b in await bookings_of(client, "Juan")] == ["sandbox"] * 3
