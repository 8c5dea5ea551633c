"""An owner sets up services and professionals through the REST API: made, changed, archived
(never deleted), with bad input refused naming its field and changing nothing.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. The demo shop (don-julio) is the other
shop in the database: its ids must never work in the new shop.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.helpers import FixedClock
from tests.web.owner import Owner, a_barber, a_service, field_of, new_shop, outside

pytestmark = pytest.mark.usefixtures("demo")

WED_16 = "2026-12-02T16:00:00-03:00"
DEMO_TINCHO, DEMO_CORTE = 1, 1


@pytest.fixture
async def owner(web: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock) -> Owner:
    return await new_shop(web, engine, clock)


async def test_a_new_shop_gets_its_services_and_professionals_through_the_api(
    owner: Owner,
) -> None:
    barber = await a_barber(owner)

    service = await a_service(
        owner, barber, buffer_after_minutes=5, synonyms=["rapado", " corte  a máquina "]
    )

    assert service == {
        "id": service["id"],
        "name": "Corte",
        "duration_minutes": 30,
        "price": {"amount": "12000.00", "currency": "ARS", "formatted": "$\u00a012.000,00"},
        "buffer_before_minutes": 0,
        "buffer_after_minutes": 5,
        "seats": 1,
        "professional_ids": [barber],
        "synonyms": ["rapado", "corte a máquina"],
        "active": True,
    }
    assert await owner.made("GET", "/services") == [service]
    assert await owner.made("GET", "/professionals") == [
        {
            "id": barber,
            "name": "Martín Gómez",
            "nickname": "Tincho",
            "service_ids": [service["id"]],
            "active": True,
        }
    ]


async def test_a_change_keeps_what_it_leaves_out(owner: Owner) -> None:
    barber = await a_barber(owner)
    service = await a_service(owner, barber, synonyms=["rapado"])

    changed = await owner.made(
        "PATCH", f"/services/{service['id']}", {"price": "13500.50", "synonyms": []}
    )

    assert changed["price"]["amount"] == "13500.50"
    assert changed["synonyms"] == []
    assert changed == {**service, "price": changed["price"], "synonyms": []}


async def test_an_archived_service_keeps_its_bookings_and_is_listed_only_when_asked(
    owner: Owner,
) -> None:
    barber = await a_barber(owner)
    service = await a_service(owner, barber)
    booking_id = await owner.book(service["id"], barber, WED_16, "Ana")

    archived = await owner.made("DELETE", f"/services/{service['id']}")

    assert archived == {**service, "active": False}
    assert await owner.made("GET", "/services") == []
    listed = (await owner.call("GET", "/services", archived="true")).json()
    assert listed == [archived]
    booking = (await owner.web.get(f"/api/v1/bookings/{booking_id}", headers=owner.headers)).json()
    assert (booking["service_id"], booking["status"]) == (service["id"], "confirmed")
    again = await owner.call(
        "POST",
        "/bookings",
        {
            "service_id": service["id"],
            "start": "2026-12-02T17:00:00-03:00",
            "customer": {"name": "Beto", "phone": "11 5555-9999"},
        },
    )
    assert again.status_code == 404
    revived = await owner.made("PATCH", f"/services/{service['id']}", {"active": True})
    assert revived["active"] is True


async def test_two_active_services_cannot_share_a_name(owner: Owner) -> None:
    barber = await a_barber(owner)
    first = await a_service(owner, barber)

    twin = await owner.call(
        "POST", "/services", {"name": "corte", "duration_minutes": 20, "price": "1.00"}
    )
    await owner.made("DELETE", f"/services/{first['id']}")
    after_archive = await owner.call(
        "POST", "/services", {"name": "corte", "duration_minutes": 20, "price": "1.00"}
    )

    assert twin.status_code == 409, twin.text
    assert after_archive.status_code == 201, after_archive.text
    back = await owner.call("PATCH", f"/services/{first['id']}", {"active": True})
    assert back.status_code == 409


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"price": 12000}, "price"),
        ({"price": 12000.5}, "price"),
        ({"price": "-5.00"}, "price"),
        ({"price": "12.345"}, "price"),
        ({"price": "doce mil"}, "price"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 721}, "duration_minutes"),
        ({"duration_minutes": 30.5}, "duration_minutes"),
        ({"duration_minutes": "30"}, "duration_minutes"),
        ({"seats": 0}, "seats"),
        ({"buffer_before_minutes": -1}, "buffer_before_minutes"),
        ({"name": "  "}, "name"),
        ({"name": "Corte\x00"}, "name"),
        ({"synonyms": ["rapado", "pelo, corto"]}, "synonyms[1]"),
        ({"professional_ids": [999]}, "professional_ids"),
        ({"professional_ids": [DEMO_TINCHO]}, "professional_ids"),  # another shop's
        ({"colour": "red"}, "colour"),
    ],
)
async def test_a_bad_service_is_422_naming_the_field_and_nothing_is_made(
    owner: Owner, change: dict[str, object], field: str
) -> None:
    barber = await a_barber(owner)
    body = {"name": "Corte", "duration_minutes": 30, "price": "12000.00", **change}
    body.setdefault("professional_ids", [barber])

    refused = await owner.call("POST", "/services", body)

    assert field_of(refused) == field
    assert (await owner.call("GET", "/services", archived="true")).json() == []


async def test_a_bad_change_changes_nothing_not_even_the_fields_that_were_fine(
    owner: Owner,
) -> None:
    barber = await a_barber(owner)
    service = await a_service(owner, barber)

    refused = await owner.call(
        "PATCH",
        f"/services/{service['id']}",
        {"name": "Corte clásico", "professional_ids": [barber, DEMO_TINCHO]},
    )
    nulled = await owner.call("PATCH", f"/services/{service['id']}", {"price": None})

    assert field_of(refused) == "professional_ids"
    assert field_of(nulled) == "price"
    assert await owner.made("GET", "/services") == [service]


async def test_another_shops_service_or_professional_in_the_path_is_404(owner: Owner) -> None:
    calls: list[tuple[str, str, object]] = [
        ("PATCH", f"/services/{DEMO_CORTE}", {"name": "Mío"}),
        ("DELETE", f"/services/{DEMO_CORTE}", None),
        ("PATCH", f"/professionals/{DEMO_TINCHO}", {"name": "Mío"}),
        ("DELETE", f"/professionals/{DEMO_TINCHO}", None),
        ("GET", f"/professionals/{DEMO_TINCHO}/hours", None),
        ("PUT", f"/professionals/{DEMO_TINCHO}/hours", []),
        ("GET", f"/professionals/{DEMO_TINCHO}/time-off", None),
    ]

    for method, path, body in calls:
        response = await owner.call(method, path, body)
        assert response.status_code == 404, f"{method} {path}: {response.text}"
        assert response.json()["error"] == "not_found"


async def test_a_professional_is_changed_and_what_they_offer_replaced(owner: Owner) -> None:
    barber = await a_barber(owner)
    corte = await a_service(owner, barber)
    barba = await a_service(owner, barber, name="Barba", duration_minutes=20)

    changed = await owner.made(
        "PATCH", f"/professionals/{barber}", {"nickname": None, "service_ids": [barba["id"]]}
    )

    assert changed["nickname"] is None
    assert changed["service_ids"] == [barba["id"]]
    assert changed["outside_hours"] == []
    services = {s["id"]: s for s in await owner.made("GET", "/services")}
    assert services[corte["id"]]["professional_ids"] == []
    assert services[barba["id"]]["professional_ids"] == [barber]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": ""}, "name"),
        ({"name": "Tincho", "service_ids": [DEMO_CORTE]}, "service_ids"),  # another shop's
        ({"name": "Tincho", "service_ids": [0]}, "service_ids.0"),
        ({"name": "Tincho", "active": "yes"}, "active"),
    ],
)
async def test_a_bad_professional_is_422_naming_the_field_and_nothing_is_made(
    owner: Owner, body: dict[str, object], field: str
) -> None:
    refused = await owner.call("POST", "/professionals", body)

    assert field_of(refused) == field
    assert (await owner.call("GET", "/professionals", archived="true")).json() == []


async def test_archiving_a_professional_keeps_their_turnos_and_lists_them_for_the_owner(
    owner: Owner,
) -> None:
    barber = await a_barber(owner)
    other = await a_barber(owner, "Facundo Ruiz", "Facu")
    service = await a_service(owner, barber)
    theirs = await owner.book(service["id"], barber, WED_16, "Ana")

    archived = await owner.made("DELETE", f"/professionals/{barber}")

    assert archived["active"] is False
    assert archived["outside_hours"] == [outside(theirs, WED_16, barber, service["id"], "Ana")]
    booking = (await owner.web.get(f"/api/v1/bookings/{theirs}", headers=owner.headers)).json()
    assert booking["status"] == "confirmed"
    assert [p["id"] for p in await owner.made("GET", "/professionals")] == [other]
    everyone = (await owner.call("GET", "/professionals", archived="true")).json()
    assert [(p["id"], p["active"]) for p in everyone] == [(barber, False), (other, True)]
    slots = await owner.call("GET", "/availability", service_id=service["id"])
    assert slots.json() == []
