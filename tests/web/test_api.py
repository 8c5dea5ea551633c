"""REST API v1 through HTTP, as DESIGN.md promises it."""

from __future__ import annotations

import httpx
import pytest

pytestmark = pytest.mark.usefixtures("demo")

# The clock is Tuesday 2026-12-01 09:00 in Buenos Aires; Wednesday 2 is an ordinary workday
# and Tuesday 8 a holiday (Inmaculada Concepción).
WED = "2026-12-02"
WED_16 = "2026-12-02T16:00:00-03:00"  # the demo's own turnos are earlier
TINCHO, FACU, LU = 1, 2, 3
CORTE, BARBA, CORTE_BARBA, COLOR, CLASE = 1, 2, 3, 4, 5


def booking_body(start: str = WED_16, **extra: object) -> dict[str, object]:
    body: dict[str, object] = {
        "service_id": CORTE,
        "professional_id": TINCHO,
        "start": start,
        "customer": {"name": "Juan Pérez", "phone": "011 15 5874-9895"},
    }
    body.update(extra)
    return body


async def test_shops_lists_the_demo_shop(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/shops")

    assert response.status_code == 200
    assert response.json() == [
        {
            "slug": "don-julio",
            "name": "Barbería Don Julio (Palermo)",
            "vertical": "barberia",
            "timezone": "America/Argentina/Buenos_Aires",
            "currency": "ARS",
            "locale": "es_AR",
        }
    ]


async def test_services_show_exact_prices_formatted_for_argentina(
    client: httpx.AsyncClient,
) -> None:
    services = (await client.get("/api/v1/shops/don-julio/services")).json()

    corte = services[0]
    assert corte["name"] == "Corte"
    assert corte["price"] == {
        "amount": "12000.00",
        "currency": "ARS",
        "formatted": "$\u00a012.000,00",
    }
    assert corte["professional_ids"] == [TINCHO, FACU, LU]
    assert [s["seats"] for s in services if s["name"].startswith("Clase")] == [4]


async def test_professionals_are_listed(client: httpx.AsyncClient) -> None:
    professionals = (await client.get("/api/v1/shops/don-julio/professionals")).json()

    assert [p["nickname"] for p in professionals] == ["Tincho", "Facu", "Lu"]


async def test_availability_returns_local_times_with_offset(client: httpx.AsyncClient) -> None:
    response = await client.get(
        "/api/v1/shops/don-julio/availability",
        params={"service_id": CORTE, "professional_id": TINCHO, "from": WED, "to": WED},
    )

    slots = response.json()
    assert response.status_code == 200
    assert slots[0] == {
        "start": "2026-12-02T10:00:00-03:00",
        "end": "2026-12-02T10:30:00-03:00",
        "professional_id": TINCHO,
        "seats_left": 1,
    }
    assert "2026-12-02T14:00:00-03:00" not in [s["start"] for s in slots]  # lunch break


async def test_availability_for_any_professional_mixes_everyone(
    client: httpx.AsyncClient,
) -> None:
    slots = (
        await client.get(
            "/api/v1/shops/don-julio/availability",
            params={"service_id": CORTE, "from": WED, "to": WED},
        )
    ).json()

    assert {s["professional_id"] for s in slots} == {TINCHO, FACU, LU}


async def test_booking_returns_201_and_the_booking(client: httpx.AsyncClient) -> None:
    response = await client.post("/api/v1/shops/don-julio/bookings", json=booking_body())

    booking = response.json()
    assert response.status_code == 201
    assert booking["status"] == "confirmed"
    assert booking["start"] == WED_16
    assert booking["customer"]["phone"] == "+5491158749895"
    assert booking["price"]["amount"] == "12000.00"
    fetched = await client.get(f"/api/v1/bookings/{booking['id']}")
    assert fetched.json() == booking


async def test_a_taken_slot_answers_409_with_alternatives(client: httpx.AsyncClient) -> None:
    await client.post("/api/v1/shops/don-julio/bookings", json=booking_body())

    response = await client.post(
        "/api/v1/shops/don-julio/bookings",
        json=booking_body(customer={"name": "Ana", "phone": "11 4000 1111"}),
    )

    assert response.status_code == 409
    body = response.json()
    assert body["error"] == "slot_taken"
    assert [a["start"] for a in body["alternatives"]] == [
        "2026-12-02T15:30:00-03:00",
        "2026-12-02T16:30:00-03:00",
        "2026-12-02T15:15:00-03:00",
    ]


async def test_cancel_and_reschedule(client: httpx.AsyncClient) -> None:
    booking = (await client.post("/api/v1/shops/don-julio/bookings", json=booking_body())).json()

    moved = await client.post(
        f"/api/v1/bookings/{booking['id']}/reschedule", json={"start": "2026-12-02T12:00:00-03:00"}
    )
    cancelled = await client.post(f"/api/v1/bookings/{moved.json()['id']}/cancel")

    assert moved.status_code == 200
    assert moved.json()["start"] == "2026-12-02T12:00:00-03:00"
    assert moved.json()["rescheduled_from_id"] == booking["id"]
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    assert cancelled.json()["late_cancellation"] is False


async def test_rescheduling_onto_a_taken_slot_answers_409_and_keeps_the_booking(
    client: httpx.AsyncClient,
) -> None:
    mine = (await client.post("/api/v1/shops/don-julio/bookings", json=booking_body())).json()
    await client.post(
        "/api/v1/shops/don-julio/bookings",
        json=booking_body(
            "2026-12-02T12:00:00-03:00", customer={"name": "Ana", "phone": "11 4000 1111"}
        ),
    )

    response = await client.post(
        f"/api/v1/bookings/{mine['id']}/reschedule", json={"start": "2026-12-02T12:00:00-03:00"}
    )

    assert response.status_code == 409
    assert (await client.get(f"/api/v1/bookings/{mine['id']}")).json()["status"] == "confirmed"


async def test_without_a_key_every_api_call_is_401(anonymous: httpx.AsyncClient) -> None:
    for path in ["/api/v1/shops", "/api/v1/shops/don-julio/services", "/api/v1/bookings/1"]:
        response = await anonymous.get(path)
        assert response.status_code == 401
        assert response.json()["error"] == "unauthorized"
    wrong = await anonymous.get("/api/v1/shops", headers={"Authorization": "Bearer bp_nope"})
    assert wrong.status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "body", "status", "error"),
    [
        ("GET", "/api/v1/shops/nope/services", None, 404, "not_found"),
        ("GET", "/api/v1/shops/NOT%20A%20SLUG/services", None, 422, "invalid_request"),
        ("GET", "/api/v1/bookings/999", None, 404, "not_found"),
        ("GET", "/api/v1/bookings/abc", None, 422, "invalid_request"),
        ("GET", "/api/v1/bookings/99999999999999999999", None, 422, "invalid_request"),
        ("GET", "/api/v1/shops/don-julio/availability?service_id=x", None, 422, "invalid_request"),
        ("GET", "/api/v1/shops/don-julio/availability?service_id=999", None, 404, "not_found"),
        (
            "GET",
            "/api/v1/shops/don-julio/availability?service_id=1&from=2026-12-10&to=2026-12-01",
            None,
            422,
            "invalid_request",
        ),
        (
            "GET",
            "/api/v1/shops/don-julio/availability?service_id=1&from=2026-01-01&to=2026-12-31",
            None,
            422,
            "invalid_request",
        ),
        (
            "GET",
            "/api/v1/shops/don-julio/availability?service_id=1&from=9999-12-30&to=9999-12-31",
            None,
            422,
            "invalid_request",
        ),
        (
            "GET",
            "/api/v1/shops/don-julio/availability?service_id=1&from=0001-01-01&to=0001-01-02",
            None,
            422,
            "invalid_request",
        ),
        (
            "POST",
            "/api/v1/shops/don-julio/bookings",
            {"service_id": "corte"},
            422,
            "invalid_request",
        ),
        (
            "POST",
            "/api/v1/shops/don-julio/bookings",
            booking_body(start="2026-12-02T11:00:00"),
            422,
            "invalid_request",
        ),
        (
            "POST",
            "/api/v1/shops/don-julio/bookings",
            booking_body(start="0001-01-01T00:00:00Z"),
            422,
            "invalid_request",
        ),
        (
            "POST",
            "/api/v1/shops/don-julio/bookings",
            booking_body(customer={"name": "Juan", "phone": "hola"}),
            422,
            "invalid_phone",
        ),
        (
            "POST",
            "/api/v1/shops/don-julio/bookings",
            booking_body(customer={"name": " ", "phone": "1158749895"}),
            422,
            "invalid_request",
        ),
        (
            "POST",
            "/api/v1/shops/don-julio/bookings",
            booking_body(service_id=999),
            404,
            "not_found",
        ),
        (
            "POST",
            "/api/v1/shops/don-julio/bookings",
            booking_body(service_id=COLOR),
            404,
            "not_found",
        ),
        (
            "POST",
            "/api/v1/shops/don-julio/bookings",
            booking_body(start="2026-12-02T23:00:00-03:00"),
            422,
            "not_bookable",
        ),
        (
            "POST",
            "/api/v1/shops/don-julio/bookings",
            booking_body(start="2026-12-08T11:00:00-03:00"),
            422,
            "not_bookable",
        ),
        (
            "POST",
            "/api/v1/shops/don-julio/bookings",
            booking_body(extra_field=1),
            422,
            "invalid_request",
        ),
        ("POST", "/api/v1/bookings/999/cancel", None, 404, "not_found"),
        ("POST", "/api/v1/bookings/999/reschedule", {"start": WED_16}, 404, "not_found"),
        ("DELETE", "/api/v1/shops", None, 405, "method_not_allowed"),
        ("GET", "/api/v1/nothing-here", None, 404, "not_found"),
    ],
)
async def test_bad_input_gets_a_json_error_never_a_500(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    body: object,
    status: int,
    error: str | None,
) -> None:
    response = await client.request(method, path, json=body)

    assert response.status_code == status, response.text
    if error is not None:
        assert response.json()["error"] == error


@pytest.mark.parametrize(
    ("query", "fields"),
    [
        ("payouts?from=9999-12-31&to=9999-12-31", ["from", "to"]),
        ("payouts?from=0001-01-01&to=2026-12-01", ["from"]),
        ("payouts?from=2026-12-01&to=2101-01-01", ["to"]),
        ("payouts?from=1999-12-31&to=2000-01-01", ["from"]),
        ("availability?service_id=1&from=9999-12-31&to=9999-12-31", ["from", "to"]),
        ("availability?service_id=1&from=0001-01-01", ["from"]),
        ("availability?service_id=1&to=9999-12-31", ["to"]),
    ],
)
async def test_days_outside_the_years_2000_to_2100_are_a_422_naming_the_field(
    client: httpx.AsyncClient, query: str, fields: list[str]
) -> None:
    response = await client.get(f"/api/v1/shops/don-julio/{query}")

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["error"] == "invalid_request"
    assert [p["loc"] for p in body["problems"]] == [["query", f] for f in fields]


async def test_the_first_and_last_plausible_days_are_accepted(client: httpx.AsyncClient) -> None:
    payouts = await client.get("/api/v1/shops/don-julio/payouts?from=2000-01-01&to=2000-01-01")
    late = await client.get("/api/v1/shops/don-julio/payouts?from=2100-12-31&to=2100-12-31")

    assert payouts.status_code == 200, payouts.text
    assert payouts.json()["payouts"] == []
    assert late.status_code == 200, late.text


NUL = "\u0000"


@pytest.mark.parametrize(
    ("method", "path", "body", "loc"),
    [
        (
            "POST",
            "/api/v1/shops/don-julio/bookings",
            booking_body(customer={"name": f"Ana{NUL}", "phone": "011 15 4444-1234"}),
            ["body", "customer", "name"],
        ),
        (
            "POST",
            "/api/v1/shops/don-julio/bookings",
            booking_body(customer={"name": "Juan", "phone": f"011 15 5874-9895{NUL}"}),
            ["body", "customer", "phone"],
        ),
        (
            "PUT",
            "/api/v1/shops/don-julio/payment-settings",
            {"methods": ["transfer"], "transfer_alias": f"DON.JULIO{NUL}"},
            ["body", "transfer_alias"],
        ),
        (
            "PUT",
            "/api/v1/shops/don-julio/payment-settings",
            {"methods": ["transfer"], "transfer_account": f"2850590940090418135201{NUL}"},
            ["body", "transfer_account"],
        ),
        (
            "PUT",
            "/api/v1/shops/don-julio/payment-settings",
            {"methods": ["cash"], "cuit": f"20-26756539-3{NUL}"},
            ["body", "cuit"],
        ),
        (
            "PUT",
            f"/api/v1/shops/don-julio/services/{CORTE}/deposit",
            {"kind": "fixed", "amount": f"3000{NUL}"},
            ["body", "amount"],
        ),
    ],
    ids=["name", "phone", "alias", "account", "cuit", "deposit"],
)
async def test_a_nul_character_in_any_text_is_a_422_naming_the_field(
    client: httpx.AsyncClient, method: str, path: str, body: object, loc: list[str]
) -> None:
    """PostgreSQL text cannot hold NUL: it is refused at the door on every database."""
    response = await client.request(method, path, json=body)

    assert response.status_code == 422, response.text
    problems = response.json()["problems"]
    assert [p["loc"] for p in problems] == [loc], problems


async def test_a_body_that_is_not_json_is_a_422(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/shops/don-julio/bookings",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 422
    assert response.json()["error"] == "invalid_request"


async def test_a_huge_body_is_refused_with_413(client: httpx.AsyncClient) -> None:
    response = await client.post(
        "/api/v1/shops/don-julio/bookings",
        content=b"x" * 200_000,
        headers={"Content-Type": "application/json"},
    )

    assert response.status_code == 413
    assert response.json()["error"] == "body_too_large"


async def test_openapi_describes_the_api(anonymous: httpx.AsyncClient) -> None:
    spec = (await anonymous.get("/openapi.json")).json()

    assert "/api/v1/shops/{slug}/availability" in spec["paths"]
    assert (await anonymous.get("/docs")).status_code == 200


async def test_health_and_readiness(anonymous: httpx.AsyncClient) -> None:
    assert (await anonymous.get("/healthz")).json() == {"status": "ok"}
    ready = await anonymous.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["database"]["at_head"] is True
    assert ready.json()["channels"]["telegram"] == "off"
