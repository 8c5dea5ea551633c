"""The shop's customers through the REST API: found by name or phone, with their visits,
turnos and the shop's own notes; never what another shop knows of the same person.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. The demo seed books Juan Pérez
(11 5874-9895) on Wednesday 2/12 at 11:00, Nicolás Díaz on Thursday and Santiago López on
Friday. Tincho (id 1) works Tue-Sat 10-19; cancelling later than 3 hours before is late.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain import booking as use_cases
from domain.access import Scope
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, build_shop, shop_key
from tests.web.chat import customer

pytestmark = pytest.mark.usefixtures("demo")

CUSTOMERS = "/api/v1/shops/don-julio/customers"
JUAN_PHONE = "11 5874-9895"


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


@pytest.fixture
async def owner(engine: AsyncEngine, clock: FixedClock) -> dict[str, str]:
    """The demo shop's admin key."""
    return auth(await shop_key(engine, "don-julio", clock.now(), Scope.ADMIN))


async def names(web: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> list[str]:
    found = await web.get(CUSTOMERS, params=params, headers=headers)
    assert found.status_code == 200, found.text
    return [c["name"] for c in found.json()["customers"]]


async def customer_id(web: httpx.AsyncClient, headers: dict[str, str], name: str) -> int:
    found = await web.get(CUSTOMERS, params={"q": name}, headers=headers)
    [match] = [c for c in found.json()["customers"] if c["name"] == name]
    return int(match["id"])


async def book(
    web: httpx.AsyncClient, headers: dict[str, str], start: str, name: str, phone: str
) -> int:
    body = {
        "service_id": 1,
        "professional_id": 1,
        "start": start,
        "customer": {"name": name, "phone": phone},
    }
    made = await web.post("/api/v1/shops/don-julio/bookings", json=body, headers=headers)
    assert made.status_code == 201, made.text
    return int(made.json()["id"])


async def test_the_list_goes_by_name_accents_aside_and_names_match_without_them(
    web: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    await customer(web, "martina", "Martina Núñez")
    await customer(web, "angeles", "Ángeles Ruiz")

    everyone = await names(web, owner)

    assert everyone == [
        "Ángeles Ruiz",
        "Juan Pérez",
        "Martina Núñez",
        "Nicolás Díaz",
        "Santiago López",
    ]
    assert await names(web, owner, q="nunez") == ["Martina Núñez"]
    assert await names(web, owner, q="NÚÑ") == ["Martina Núñez"]
    assert await names(web, owner, q="angeles") == ["Ángeles Ruiz"]
    assert await names(web, owner, q="díaz") == ["Nicolás Díaz"]
    assert await names(web, owner, q="%") == []
    assert await names(web, owner, q="z_") == []


@pytest.mark.parametrize(
    "q", ["1158749895", "+54 9 11 5874-9895", "011 15 5874-9895", "5874-9895", "(11) 5874 9895"]
)
async def test_a_phone_matches_written_any_way(
    web: httpx.AsyncClient, owner: dict[str, str], q: str
) -> None:
    assert await names(web, owner, q=q) == ["Juan Pérez"]


async def test_pages_of_customers_cover_everyone_once(
    web: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    for name in ("Carla", "Clara", "Camila"):
        await customer(web, name.lower(), name)
    everyone = await names(web, owner)
    seen: list[str] = []
    cursor = None

    for _page in range(10):
        params = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = (await web.get(CUSTOMERS, params=params, headers=owner)).json()
        seen += [c["name"] for c in page["customers"]]
        cursor = page["next"]
        if cursor is None:
            break

    assert seen == everyone
    assert len(seen) == 6


async def test_a_customers_page_counts_visits_no_shows_late_cancellations_and_spend(
    web: httpx.AsyncClient,
    owner: dict[str, str],
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    done = await book(web, owner, "2026-12-01T10:00:00-03:00", "Juan Pérez", JUAN_PHONE)
    missed = await book(web, owner, "2026-12-01T10:30:00-03:00", "Juan Pérez", JUAN_PHONE)
    clock.advance(hours=2, minutes=15)  # 11:15
    await use_cases.complete(uow_factory, clock, done)
    await use_cases.mark_no_show(uow_factory, clock, missed)
    late = await book(web, owner, "2026-12-01T13:00:00-03:00", "Juan Pérez", JUAN_PHONE)
    await web.post(f"/api/v1/bookings/{late}/cancel", headers=owner)
    juan = await customer_id(web, owner, "Juan Pérez")

    found = await web.get(f"{CUSTOMERS}/{juan}", headers=owner)
    [line] = (await web.get(CUSTOMERS, params={"q": "juan"}, headers=owner)).json()["customers"]

    assert found.status_code == 200, found.text
    page = found.json()
    assert (page["visits"], page["no_shows"], page["late_cancellations"]) == (1, 1, 1)
    assert page["spend"]["amount"] == "12000.00"
    assert page["last_visit"] == "2026-12-01T10:00:00-03:00"
    assert page["next_turno"]["start"] == "2026-12-02T11:00:00-03:00"
    assert [b["start"] for b in page["upcoming"]] == ["2026-12-02T11:00:00-03:00"]
    assert [(b["id"], b["status"]) for b in page["recent"]] == [
        (late, "cancelled"),
        (missed, "no_show"),
        (done, "completed"),
    ]
    assert page["recent"][0]["late_cancellation"] is True
    assert page["notes"] == ""
    assert page["first_seen"] is not None
    assert line == {key: page[key] for key in line}


async def test_notes_are_the_shops_own_and_another_shop_sees_nothing_of_them(
    web: httpx.AsyncClient,
    owner: dict[str, str],
    uow_factory: UnitOfWorkFactory,
    engine: AsyncEngine,
    clock: FixedClock,
) -> None:
    other = await build_shop(uow_factory, slug="otra")
    theirs = auth(await shop_key(engine, "otra", clock.now()))
    body = {
        "service_id": other.services["Corte"],
        "start": "2026-12-02T16:00:00-03:00",
        "customer": {"name": "JC", "phone": JUAN_PHONE},
    }
    assert (await web.post("/api/v1/shops/otra/bookings", json=body, headers=theirs)).is_success
    juan = await customer_id(web, owner, "Juan Pérez")
    jc = (await web.get("/api/v1/shops/otra/customers", headers=theirs)).json()["customers"][0]

    saved = await web.put(
        f"{CUSTOMERS}/{juan}/notes", json={"notes": "  Alérgico a la loción. "}, headers=owner
    )
    there = await web.get(f"/api/v1/shops/otra/customers/{jc['id']}", headers=theirs)
    crossed = await web.get(f"/api/v1/shops/otra/customers/{juan}", headers=theirs)
    crossed_notes = await web.put(
        f"{CUSTOMERS}/{jc['id']}/notes", json={"notes": "x"}, headers=owner
    )

    assert saved.status_code == 200, saved.text
    assert saved.json()["notes"] == "Alérgico a la loción."
    assert (await web.get(f"{CUSTOMERS}/{juan}", headers=owner)).json()["notes"] == saved.json()[
        "notes"
    ]
    assert there.json()["name"] == "JC"
    assert there.json()["notes"] == ""
    assert [b["start"] for b in there.json()["upcoming"]] == ["2026-12-02T16:00:00-03:00"]
    assert "Pérez" not in there.text
    assert crossed.status_code == 404
    assert crossed_notes.status_code == 404


@pytest.mark.parametrize(
    "notes", ["x" * 2001, "con un \x00 adentro"], ids=["too long", "a NUL character"]
)
async def test_notes_too_long_or_with_a_nul_are_a_422_and_nothing_changes(
    web: httpx.AsyncClient, owner: dict[str, str], notes: str
) -> None:
    juan = await customer_id(web, owner, "Juan Pérez")

    refused = await web.put(f"{CUSTOMERS}/{juan}/notes", json={"notes": notes}, headers=owner)

    assert refused.status_code == 422, refused.text
    assert (await web.get(f"{CUSTOMERS}/{juan}", headers=owner)).json()["notes"] == ""


@pytest.mark.parametrize(
    ("params", "field"), [({"q": "a\x00b"}, "q"), ({"cursor": "nope"}, "cursor")]
)
async def test_a_nul_in_the_search_or_a_made_up_cursor_is_a_422(
    web: httpx.AsyncClient, owner: dict[str, str], params: dict[str, str], field: str
) -> None:
    refused = await web.get(CUSTOMERS, params=params, headers=owner)

    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == field
