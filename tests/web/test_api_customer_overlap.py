"""REST API: one customer cannot hold two overlapping turnos (409 customer_busy)."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.usefixtures("demo")

# The clock is Tuesday 2026-12-01 09:00 in Buenos Aires; the demo's own turnos are earlier.
WED_16 = "2026-12-02T16:00:00-03:00"
TINCHO, FACU, LU = 1, 2, 3
CORTE = 1
ANA = {"name": "Ana", "phone": "11 4000 1111"}


def booking_body(start: str = WED_16, **extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "service_id": CORTE,
        "start": start,
        "customer": {"name": "Marta Ríos", "phone": "11 6000-2222"},
    }
    body.update(extra)
    return body


async def test_the_same_booking_posted_twice_without_professional_answers_409_customer_busy(
    client: httpx.AsyncClient,
) -> None:
    first = await client.post("/api/v1/shops/don-julio/bookings", json=booking_body())

    again = await client.post("/api/v1/shops/don-julio/bookings", json=booking_body())

    assert first.status_code == 201
    assert again.status_code == 409
    body = again.json()
    assert body["error"] == "customer_busy"
    assert body["conflicting_booking_id"] == first.json()["id"]
    assert "turno" in body["detail"]


async def test_another_professional_at_an_overlapping_time_answers_409_customer_busy(
    client: httpx.AsyncClient,
) -> None:
    tincho = await client.post(
        "/api/v1/shops/don-julio/bookings", json=booking_body(professional_id=TINCHO)
    )

    lu = await client.post(
        "/api/v1/shops/don-julio/bookings",
        json=booking_body("2026-12-02T16:15:00-03:00", professional_id=LU),
    )
    someone_else = await client.post(
        "/api/v1/shops/don-julio/bookings", json=booking_body(professional_id=LU, customer=ANA)
    )

    assert lu.status_code == 409
    assert lu.json()["error"] == "customer_busy"
    assert lu.json()["conflicting_booking_id"] == tincho.json()["id"]
    assert someone_else.status_code == 201


async def test_rescheduling_overlapping_its_own_slot_works_but_not_onto_another_turno(
    client: httpx.AsyncClient,
) -> None:
    first = (
        await client.post(
            "/api/v1/shops/don-julio/bookings", json=booking_body(professional_id=TINCHO)
        )
    ).json()
    second = (
        await client.post(
            "/api/v1/shops/don-julio/bookings",
            json=booking_body("2026-12-02T12:00:00-03:00", professional_id=FACU),
        )
    ).json()

    moved = await client.post(
        f"/api/v1/bookings/{first['id']}/reschedule",
        json={"start": "2026-12-02T16:15:00-03:00", "professional_id": LU},
    )
    onto_second = await client.post(
        f"/api/v1/bookings/{moved.json()['id']}/reschedule",
        json={"start": "2026-12-02T12:15:00-03:00"},
    )

    assert moved.status_code == 200
    assert moved.json()["rescheduled_from_id"] == first["id"]
    assert onto_second.status_code == 409
    assert onto_second.json()["error"] == "customer_busy"
    assert onto_second.json()["conflicting_booking_id"] == second["id"]
    kept = await client.get(f"/api/v1/bookings/{moved.json()['id']}")
    assert kept.json()["status"] == "confirmed"


async def test_openapi_documents_customer_busy_on_booking_and_rescheduling(
    anonymous: httpx.AsyncClient,
) -> None:
    spec = (await anonymous.get("/openapi.json")).json()

    for path in ["/api/v1/shops/{slug}/bookings", "/api/v1/bookings/{booking_id}/reschedule"]:
        conflict = spec["paths"][path]["post"]["responses"]["409"]
        refs = {s["$ref"] for s in conflict["content"]["application/json"]["schema"]["anyOf"]}
        # (moving also documents `invalid_transition`: test_api_contract.py)
        assert refs >= {
            "#/components/schemas/SlotTakenOut",
            "#/components/schemas/CustomerBusyOut",
        }
    busy = spec["components"]["schemas"]["CustomerBusyOut"]
    assert busy["properties"]["error"]["const"] == "customer_busy"
    assert "conflicting_booking_id" in busy["required"]
