"""An owner setting a shop up through the REST API, as the README tells a new user to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.helpers import FixedClock, platform_key


def auth(key: str) -> dict[str, str]:
    """The header that sends an API key."""
    return {"Authorization": f"Bearer {key}"}


@dataclass
class Owner:
    """An admin key of one shop, and calls on that shop's paths."""

    web: httpx.AsyncClient
    slug: str
    headers: dict[str, str]

    def url(self, path: str) -> str:
        """The shop's path: `url("/services")` is /api/v1/shops/{slug}/services."""
        return f"/api/v1/shops/{self.slug}{path}"

    async def call(self, method: str, path: str, body: Any = None, **params: Any) -> httpx.Response:
        """Any call on the shop's path (a body of None sends none)."""
        kwargs: dict[str, Any] = {"headers": self.headers}
        if params:
            kwargs["params"] = params
        if body is not None:
            kwargs["json"] = body
        return await self.web.request(method, self.url(path), **kwargs)

    async def made(self, method: str, path: str, body: Any = None, status: int = 200) -> Any:
        """The JSON of a call that must succeed with `status`."""
        response = await self.call(method, path, body)
        assert response.status_code == status, response.text
        return response.json() if response.content else None

    async def book(self, service_id: int, professional_id: int, start: str, name: str) -> int:
        """A confirmed turno through the API; its id."""
        body = {
            "service_id": service_id,
            "professional_id": professional_id,
            "start": start,
            "customer": {"name": name, "phone": f"11 5555-{sum(map(ord, name)) % 10_000:04d}"},
        }
        return int((await self.made("POST", "/bookings", body, 201))["id"])


async def new_shop(
    web: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock, slug: str = "la-nueva"
) -> Owner:
    """An empty shop made by the operator, and its owner with the first admin key."""
    operator = auth(await platform_key(engine, clock.now()))
    body = {"slug": slug, "name": slug.replace("-", " ").title()}
    created = await web.post("/api/v1/shops", json=body, headers=operator)
    assert created.status_code == 201, created.text
    return Owner(web, slug, auth(created.json()["api_key"]["key"]))


def field_of(response: httpx.Response) -> str:
    """The input a 422 names: its `field`, or where its first problem is."""
    assert response.status_code == 422, response.text
    body = response.json()
    if "field" in body:
        return str(body["field"])
    return ".".join(str(part) for part in body["problems"][0]["loc"][1:])


TUE_TO_SAT = [{"weekday": d, "start": "10:00", "end": "19:00"} for d in range(1, 6)]


async def a_barber(owner: Owner, name: str = "Martín Gómez", nickname: str = "Tincho") -> int:
    """A professional working Tuesday to Saturday, 10 to 19; their id."""
    made = await owner.made("POST", "/professionals", {"name": name, "nickname": nickname}, 201)
    await owner.made("PUT", f"/professionals/{made['id']}/hours", TUE_TO_SAT)
    return int(made["id"])


async def a_service(owner: Owner, barber: int, **fields: Any) -> dict[str, Any]:
    """A service the barber offers: a 30-minute Corte at $ 12.000 unless told."""
    body = {"name": "Corte", "duration_minutes": 30, "price": "12000.00"}
    body.update(professional_ids=[barber], **fields)
    made: dict[str, Any] = await owner.made("POST", "/services", body, 201)
    return made


async def starts(owner: Owner, service_id: int, day: str) -> list[str]:
    """The free starts of a day, as local "HH:MM"."""
    query = f"/availability?service_id={service_id}&from={day}&to={day}"
    return [slot["start"][11:16] for slot in await owner.made("GET", query)]


def outside(
    booking_id: int, start: str, barber: int, service_id: int, name: str, minutes: int = 30
) -> dict[str, Any]:
    """A turno as an answer lists it outside hours (`start` local, with its offset)."""
    end = datetime.fromisoformat(start) + timedelta(minutes=minutes)
    return {
        "booking_id": booking_id,
        "start": start,
        "end": end.isoformat(),
        "professional_id": barber,
        "service_id": service_id,
        "customer": name,
    }
