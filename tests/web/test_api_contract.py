"""What the OpenAPI promises, one case at a time: strict types, documented errors and bodies.

The fuzzing test (test_openapi_conformance.py) finds these by chance; each is pinned here.
"""

from __future__ import annotations

import httpx
import pytest

SHOP = "/api/v1/shops/don-julio"
BOOKING = {
    "service_id": 1,
    "start": "2026-12-02T16:00:00-03:00",
    "customer": {"name": "Juan Pérez", "phone": "011 15 5874-9895"},
}
PAYMENT_SETTINGS = {"methods": ["cash"]}

pytestmark = pytest.mark.usefixtures("demo")


def _problem_fields(response: httpx.Response) -> list[str]:
    return [problem["loc"][-1] for problem in response.json()["problems"]]


@pytest.mark.parametrize("hold", [0, 1, "yes", "true", None])
async def test_a_booking_hold_must_be_a_json_boolean(
    client: httpx.AsyncClient, hold: object
) -> None:
    response = await client.post(f"{SHOP}/bookings", json={**BOOKING, "hold": hold})

    assert response.status_code == 422
    assert _problem_fields(response) == ["hold"]


@pytest.mark.parametrize(("field", "value"), [("service_id", "1"), ("service_id", 1.0)])
async def test_a_booking_id_must_be_a_json_integer(
    client: httpx.AsyncClient, field: str, value: object
) -> None:
    response = await client.post(f"{SHOP}/bookings", json={**BOOKING, field: value})

    assert response.status_code == 422
    assert _problem_fields(response) == [field]


@pytest.mark.parametrize(
    ("field", "value"), [("cash_tickets", 0), ("cash_confirms", "no"), ("max_cuotas", "6")]
)
async def test_payment_settings_take_json_booleans_and_integers(
    client: httpx.AsyncClient, field: str, value: object
) -> None:
    response = await client.put(f"{SHOP}/payment-settings", json={**PAYMENT_SETTINGS, field: value})

    assert response.status_code == 422
    assert _problem_fields(response) == [field]


@pytest.mark.parametrize("unread", ["1", "0", "yes", "on", "True"])
async def test_a_query_boolean_is_true_or_false(client: httpx.AsyncClient, unread: str) -> None:
    response = await client.get(f"{SHOP}/messages", params={"unread": unread})

    assert response.status_code == 422
    assert _problem_fields(response) == ["unread"]


async def test_a_query_boolean_written_true_or_false_is_read(client: httpx.AsyncClient) -> None:
    unread = await client.get(f"{SHOP}/messages", params={"unread": "true"})
    read = await client.get(f"{SHOP}/messages", params={"unread": "false"})

    assert (unread.status_code, read.status_code) == (200, 200)


async def _responses(client: httpx.AsyncClient, method: str, path: str) -> dict[str, object]:
    spec = (await client.get("/openapi.json")).json()
    documented: dict[str, object] = spec["paths"][path][method]["responses"]
    return documented


async def test_a_body_that_is_not_utf8_is_a_documented_400(client: httpx.AsyncClient) -> None:
    response = await client.post(
        f"{SHOP}/bookings", content=b"\xff\xfe{", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 400
    assert set(response.json()) == {"error", "detail"}
    documented = await _responses(client, "post", "/api/v1/shops/{slug}/bookings")
    assert {"400", "413"} <= set(documented)


async def test_moving_a_cancelled_turno_is_a_409_documented_as_a_plain_error(
    client: httpx.AsyncClient,
) -> None:
    booking = (await client.post(f"{SHOP}/bookings", json=BOOKING)).json()
    await client.post(f"/api/v1/bookings/{booking['id']}/cancel")

    moved = await client.post(
        f"/api/v1/bookings/{booking['id']}/reschedule",
        json={"start": "2026-12-02T17:00:00-03:00"},
    )

    assert moved.status_code == 409
    assert moved.json() == {
        "error": "invalid_transition",
        "detail": "cannot go from cancelled to cancelled",
    }
    reschedule = await _responses(client, "post", "/api/v1/bookings/{booking_id}/reschedule")
    schemas = reschedule["409"]["content"]["application/json"]["schema"]["anyOf"]  # type: ignore[index]
    assert {"$ref": "#/components/schemas/ErrorOut"} in schemas


async def test_cancelling_documents_its_409_as_a_plain_error(client: httpx.AsyncClient) -> None:
    # A finished turno (completed, no-show) cannot be cancelled: `invalid_transition`, with no
    # alternatives to offer (cancelling twice is fine: the same answer again).
    cancel = await _responses(client, "post", "/api/v1/bookings/{booking_id}/cancel")

    assert cancel["409"]["content"]["application/json"]["schema"] == {  # type: ignore[index]
        "$ref": "#/components/schemas/ErrorOut"
    }


async def test_a_422_documents_its_field_and_problems(client: httpx.AsyncClient) -> None:
    spec = (await client.get("/openapi.json")).json()

    documented = spec["paths"]["/api/v1/shops/{slug}/bookings"]["post"]["responses"]["422"]
    invalid = spec["components"]["schemas"]["InvalidInputOut"]["properties"]
    assert documented["content"]["application/json"]["schema"]["$ref"].endswith("InvalidInputOut")
    assert {"error", "detail", "field", "problems"} <= set(invalid)


async def test_readiness_documents_its_503(client: httpx.AsyncClient) -> None:
    documented = await _responses(client, "get", "/readyz")

    assert set(documented) == {"200", "503"}
    assert "application/json" in documented["503"]["content"]  # type: ignore[index]


@pytest.mark.parametrize("name", ["\n" + "x" * 120, " " + "x" * 119 + " "])
async def test_a_text_longer_than_its_max_length_is_refused_before_trimming(
    client: httpx.AsyncClient, name: str
) -> None:
    response = await client.post(f"{SHOP}/professionals", json={"name": name})

    assert response.status_code == 422
    assert _problem_fields(response) == ["name"]


async def test_a_text_within_its_max_length_is_still_trimmed(client: httpx.AsyncClient) -> None:
    response = await client.post(f"{SHOP}/professionals", json={"name": "  Nico  "})

    assert response.status_code == 201
    assert response.json()["name"] == "Nico"
