"""Creating a shop and changing its profile through the REST API, and the shop's own keys."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.access import Scope
from tests.helpers import FixedClock, platform_key, shop_key
from tests.web.chat import Chat

pytestmark = pytest.mark.usefixtures("demo")


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
async def operator(engine: AsyncEngine, clock: FixedClock) -> dict[str, str]:
    return auth(await platform_key(engine, clock.now()))


async def test_a_platform_key_creates_an_empty_shop_and_its_first_admin_key(
    web: httpx.AsyncClient, operator: dict[str, str]
) -> None:
    created = await web.post(
        "/api/v1/shops",
        json={"slug": "la-nueva", "name": "La Nueva", "timezone": "America/Argentina/Cordoba"},
        headers=operator,
    )

    assert created.status_code == 201, created.text
    body = created.json()
    assert body["shop"]["slug"] == "la-nueva"
    assert body["shop"]["timezone"] == "America/Argentina/Cordoba"
    assert body["shop"]["policy"]["free_cancellation_hours"] == 3  # the barbería preset
    assert body["api_key"]["scope"] == "admin"
    assert body["api_key"]["prefix"] == body["api_key"]["key"][:10]
    own = auth(body["api_key"]["key"])
    assert [s["slug"] for s in (await web.get("/api/v1/shops", headers=own)).json()] == ["la-nueva"]
    assert (await web.get("/api/v1/shops/la-nueva/services", headers=own)).json() == []
    assert (await web.get("/api/v1/shops/don-julio", headers=own)).status_code == 404


async def test_a_taken_slug_is_409_and_bad_input_names_its_field(
    web: httpx.AsyncClient, operator: dict[str, str]
) -> None:
    taken = await web.post(
        "/api/v1/shops", json={"slug": "don-julio", "name": "Otra"}, headers=operator
    )
    zone = await web.post(
        "/api/v1/shops",
        json={"slug": "nueva", "name": "Nueva", "timezone": "Marte/Olympus"},
        headers=operator,
    )
    slug = await web.post("/api/v1/shops", json={"slug": "Nueva!", "name": "N"}, headers=operator)

    assert taken.status_code == 409
    assert taken.json()["error"] == "shop_exists"
    assert zone.status_code == 422
    assert zone.json()["field"] == "timezone"
    assert slug.status_code == 422
    assert slug.json()["problems"][0]["loc"] == ["body", "slug"]
    shops = (await web.get("/api/v1/shops", headers=operator)).json()
    assert [s["slug"] for s in shops] == ["don-julio"]


async def test_the_profile_changes_and_the_chat_says_the_new_name_at_once(
    web: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock
) -> None:
    admin = auth(await shop_key(engine, "don-julio", clock.now()))
    changed = await web.patch(
        "/api/v1/shops/don-julio",
        json={
            "name": "Don Julio Barbería",
            "address": "Gorriti 4800, Palermo",
            "maps_url": "https://maps.app.goo.gl/abc123",
            "contact_phone": "011 15 4444-5555",
            "policy": {"hold_minutes": 20, "reminder_hours": [2, 24, 24], "agenda_hour": None},
        },
        headers=admin,
    )

    assert changed.status_code == 200, changed.text
    profile = changed.json()
    assert profile["contact_phone"] == "+5491144445555"
    assert profile["policy"]["hold_minutes"] == 20
    assert profile["policy"]["reminder_hours"] == [24, 2]
    assert profile["policy"]["agenda_hour"] is None
    assert profile["policy"]["slot_step_minutes"] == 15  # left out: kept
    assert (await web.get("/api/v1/shops/don-julio", headers=admin)).json() == profile
    hello = await Chat(web, "pepe").say("hola")
    assert "Don Julio Barbería" in hello.text


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"contact_phone": "no tengo"}, "contact_phone"),
        ({"policy": {"hold_minutes": 0}}, "hold_minutes"),
        ({"policy": {"open_on_holidays": 0}}, "open_on_holidays"),
        ({"policy": {"max_days_ahead": 30.5}}, "max_days_ahead"),
        ({"maps_url": "javascript:alert(1)"}, "maps_url"),
        ({"timezone": "Buenos Aires"}, "timezone"),
    ],
)
async def test_a_bad_profile_change_is_422_naming_the_field_and_changes_nothing(
    web: httpx.AsyncClient,
    engine: AsyncEngine,
    clock: FixedClock,
    body: dict[str, object],
    field: str,
) -> None:
    admin = auth(await shop_key(engine, "don-julio", clock.now()))
    before = (await web.get("/api/v1/shops/don-julio", headers=admin)).json()

    refused = await web.patch(
        "/api/v1/shops/don-julio", json={"address": "Otra 123", **body}, headers=admin
    )

    assert refused.status_code == 422, refused.text
    named = refused.json().get("field") or refused.json()["problems"][0]["loc"][-1]
    assert named == field
    assert (await web.get("/api/v1/shops/don-julio", headers=admin)).json() == before


async def test_an_admin_key_makes_lists_and_revokes_the_shops_keys(
    app: FastAPI, web: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock
) -> None:
    admin = auth(await shop_key(engine, "don-julio", clock.now(), name="dueño"))
    made = await web.post(
        "/api/v1/shops/don-julio/api-keys",
        json={"name": "web de turnos", "scope": "book", "expires_days": 2},
        headers=admin,
    )
    assert made.status_code == 201, made.text
    secret = made.json()["key"]
    booker = auth(secret)

    assert (await web.get("/api/v1/shops/don-julio/services", headers=booker)).status_code == 200
    patch = await web.patch("/api/v1/shops/don-julio", json={"name": "X"}, headers=booker)
    assert patch.status_code == 403
    listed = (await web.get("/api/v1/shops/don-julio/api-keys", headers=admin)).json()
    assert [(k["name"], k["scope"]) for k in listed] == [
        ("dueño", "admin"),
        ("web de turnos", "book"),
    ]
    assert secret not in str(listed)
    assert listed[1]["last_used_at"] is not None  # it was just used
    assert listed[1]["expires_at"].startswith("2026-12-03")

    clock.advance(days=2)
    assert (await web.get("/api/v1/shops/don-julio", headers=booker)).status_code == 401
    clock.advance(days=-2)
    revoked = await web.delete(f"/api/v1/shops/don-julio/api-keys/{secret[:10]}", headers=admin)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_at"] is not None
    assert (await web.get("/api/v1/shops/don-julio", headers=booker)).status_code == 401
    again = await web.delete(f"/api/v1/shops/don-julio/api-keys/{secret[:10]}", headers=admin)
    assert again.status_code == 404


async def test_a_shop_admin_cannot_make_keys_of_other_scopes_or_shops(
    web: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock
) -> None:
    admin = auth(await shop_key(engine, "don-julio", clock.now(), Scope.ADMIN))

    platform = await web.post(
        "/api/v1/shops/don-julio/api-keys",
        json={"name": "yo", "scope": "platform"},
        headers=admin,
    )
    shop = await web.post("/api/v1/shops", json={"slug": "mia", "name": "Mía"}, headers=admin)

    assert platform.status_code == 422
    assert shop.status_code == 403
