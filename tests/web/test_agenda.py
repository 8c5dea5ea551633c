"""The owner's agenda, `GET /api/v1/shops/{slug}/bookings`, through the real app.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. The demo seed books Juan Pérez on
Wednesday 2/12 at 11:00, Nicolás Díaz on Thursday at 13:00 and Santiago López on Friday at
15:00. Tincho (id 1) works Tue-Sat 10-19 and gives the group class (4 seats, id 5).
"""

from __future__ import annotations

from datetime import time
from typing import Any

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.access import Scope
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, build_shop, shop_key
from tests.web.chat import customer, taps

pytestmark = pytest.mark.usefixtures("demo")

AGENDA = "/api/v1/shops/don-julio/bookings"


@pytest.fixture
async def owner(engine: AsyncEngine, clock: FixedClock) -> dict[str, str]:
    """The demo shop's read key: the agenda is a read."""
    return auth(await shop_key(engine, "don-julio", clock.now(), Scope.READ))


@pytest.fixture
async def desk(engine: AsyncEngine, clock: FixedClock) -> dict[str, str]:
    """The demo shop's booking key (its website, its front desk)."""
    return auth(await shop_key(engine, "don-julio", clock.now(), Scope.BOOK))


def auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def book(
    web: httpx.AsyncClient,
    headers: dict[str, str],
    start: str,
    name: str,
    phone: str,
    *,
    service_id: int = 1,
    slug: str = "don-julio",
    **extra: Any,
) -> dict[str, Any]:
    body = {
        "service_id": service_id,
        "start": start,
        "customer": {"name": name, "phone": phone},
        **extra,
    }
    made = await web.post(f"/api/v1/shops/{slug}/bookings", json=body, headers=headers)
    assert made.status_code == 201, made.text
    return dict(made.json())


async def agenda(web: httpx.AsyncClient, headers: dict[str, str], **params: Any) -> dict[str, Any]:
    found = await web.get(AGENDA, params=params, headers=headers)
    assert found.status_code == 200, found.text
    return dict(found.json())


async def test_a_days_agenda_shows_who_what_price_payment_and_where_each_turno_was_made(
    web: httpx.AsyncClient, owner: dict[str, str], desk: dict[str, str]
) -> None:
    martina = await customer(web, "martina", "Martina")
    await martina.say("corte con Tincho el miércoles a las 15")
    await taps(martina, "Transferencia", "Confirmar")
    await book(
        web, desk, "2026-12-02T16:00:00-03:00", "Ana Sosa", "11 4444-1111", professional_id=1
    )

    day = await agenda(web, owner, **{"from": "2026-12-02"})

    assert (day["from_day"], day["to_day"], day["next"]) == ("2026-12-02", "2026-12-02", None)
    juan, transfer, website = day["bookings"]
    assert (juan["customer"]["name"], juan["start"]) == ("Juan Pérez", "2026-12-02T11:00:00-03:00")
    assert (juan["channel"], juan["payment"], juan["status"]) == (None, None, "confirmed")
    assert transfer["customer"]["name"] == "Martina"
    assert transfer["status"] == "held"
    assert transfer["channel"] == "sandbox"
    assert transfer["payment_method"] == "transfer"
    assert transfer["payment"] == {
        "method": "transfer",
        "status": "pending",
        "amount": {"amount": "12000.00", "currency": "ARS", "formatted": "$\xa012.000,00"},
    }
    assert transfer["hold_expires_at"] is not None
    assert website["customer"]["phone"] == "+5491144441111"
    assert website["professional"] == {"id": 1, "name": "Martín Gómez", "nickname": "Tincho"}
    assert website["service"] == {"id": 1, "name": "Corte"}
    assert website["price"]["amount"] == "12000.00"
    assert (website["channel"], website["late_cancellation"]) == ("api", False)
    assert website["end"] == "2026-12-02T16:30:00-03:00"


async def test_without_days_it_is_todays_agenda(
    web: httpx.AsyncClient, owner: dict[str, str], desk: dict[str, str]
) -> None:
    today = await book(web, desk, "2026-12-01T18:30:00-03:00", "Ana", "11 4444-1111")

    found = await agenda(web, owner)

    assert found["from_day"] == found["to_day"] == "2026-12-01"
    assert [b["id"] for b in found["bookings"]] == [today["id"]]


async def test_a_day_is_the_shops_local_day_not_utcs(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, engine: AsyncEngine, clock: FixedClock
) -> None:
    shop = await build_shop(
        uow_factory, slug="nocturna", hours=(time(0), time(23, 59)), weekdays=WEEK
    )
    key = auth(await shop_key(engine, "nocturna", clock.now()))
    there = {"slug": "nocturna", "service_id": shop.services["Corte"]}
    late = await book(web, key, "2026-12-02T22:00:00-03:00", "Ana", "11 4444-1111", **there)
    early = await book(web, key, "2026-12-03T01:00:00-03:00", "Bea", "11 4444-2222", **there)
    url = "/api/v1/shops/nocturna/bookings"

    wednesday = await web.get(url, params={"from": "2026-12-02"}, headers=key)
    thursday = await web.get(url, params={"from": "2026-12-03"}, headers=key)

    # 22:00 in Buenos Aires is 01:00 UTC on Thursday: still the shop's Wednesday.
    assert [b["id"] for b in wednesday.json()["bookings"]] == [late["id"]]
    assert [b["id"] for b in thursday.json()["bookings"]] == [early["id"]]


async def test_a_day_that_skips_an_hour_for_dst_ends_at_its_own_midnight(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, engine: AsyncEngine, clock: FixedClock
) -> None:
    """Madrid springs forward on Sunday 2027-03-28: that day lasts 23 hours."""
    shop = await build_shop(
        uow_factory,
        slug="madrid",
        timezone="Europe/Madrid",
        hours=(time(0), time(23, 59)),
        weekdays=WEEK,
        max_days_ahead=200,
    )
    key = auth(await shop_key(engine, "madrid", clock.now()))
    starts = ["2027-03-28T00:30:00+01:00", "2027-03-28T23:00:00+02:00", "2027-03-29T00:30:00+02:00"]
    made = [
        await book(
            web,
            key,
            start,
            f"N{n}",
            f"11 4444-000{n}",
            slug="madrid",
            service_id=shop.services["Corte"],
        )
        for n, start in enumerate(starts)
    ]

    day = await web.get("/api/v1/shops/madrid/bookings", params={"from": "2027-03-28"}, headers=key)

    assert [b["start"] for b in day.json()["bookings"]] == starts[:2]
    assert [b["id"] for b in day.json()["bookings"]] == [m["id"] for m in made[:2]]


WEEK = (0, 1, 2, 3, 4, 5, 6)


async def test_pages_follow_start_then_id_and_end_with_no_next(
    web: httpx.AsyncClient, owner: dict[str, str], desk: dict[str, str]
) -> None:
    class_at = "2026-12-02T12:00:00-03:00"  # four seats: the same start, told apart by id
    made = [
        await book(web, desk, class_at, f"Alumno {n}", f"11 4000-000{n}", service_id=5)
        for n in range(3)
    ]
    seen: list[int] = []
    cursor = None

    for _page in range(5):
        params = {"from": "2026-12-02", "limit": 2, **({"cursor": cursor} if cursor else {})}
        page = await agenda(web, owner, **params)
        seen += [b["id"] for b in page["bookings"]]
        cursor = page["next"]
        if cursor is None:
            break

    everything = await agenda(web, owner, **{"from": "2026-12-02"})
    assert seen == [b["id"] for b in everything["bookings"]]
    assert seen[1:] == [m["id"] for m in made]  # after Juan Pérez's 11:00
    assert len(seen) == 4


async def test_status_and_professional_pick_turnos_and_a_lapsed_hold_reads_expired(
    web: httpx.AsyncClient, owner: dict[str, str], desk: dict[str, str], clock: FixedClock
) -> None:
    wednesday = "2026-12-02"
    held = await book(web, desk, f"{wednesday}T17:00:00-03:00", "Ana", "11 4444-1111", hold=True)
    gone = await book(web, desk, f"{wednesday}T18:00:00-03:00", "Bea", "11 4444-2222")
    await web.post(f"/api/v1/bookings/{gone['id']}/cancel", headers=desk)

    live = await agenda(web, owner, **{"from": wednesday})
    some = await agenda(web, owner, **{"from": wednesday, "status": "held,cancelled"})
    repeated = await web.get(
        f"{AGENDA}?from={wednesday}&status=held&status=cancelled", headers=owner
    )
    tinchos = await agenda(web, owner, **{"from": wednesday, "professional_id": 1})
    clock.advance(minutes=11)  # the hold's 10 minutes ran out unpaid
    lapsed = await agenda(web, owner, **{"from": wednesday, "status": "expired"})
    after = await agenda(web, owner, **{"from": wednesday})

    assert [b["status"] for b in live["bookings"]] == ["confirmed", "held", "cancelled"]
    assert [b["id"] for b in some["bookings"]] == [held["id"], gone["id"]]
    assert repeated.json()["bookings"] == some["bookings"]
    assert {b["professional"]["id"] for b in tinchos["bookings"]} == {1}
    assert [(b["id"], b["status"]) for b in lapsed["bookings"]] == [(held["id"], "expired")]
    assert held["id"] not in [b["id"] for b in after["bookings"]]


async def test_a_name_given_in_another_shop_never_shows_here(
    web: httpx.AsyncClient,
    owner: dict[str, str],
    desk: dict[str, str],
    uow_factory: UnitOfWorkFactory,
    engine: AsyncEngine,
    clock: FixedClock,
) -> None:
    other = await build_shop(uow_factory, slug="otra")
    theirs = auth(await shop_key(engine, "otra", clock.now()))
    when = "2026-12-02T16:00:00-03:00"
    await book(web, desk, when, "Juan Carlos", "11 5555-0001")
    await book(
        web, theirs, when, "JC", "11 5555-0001", slug="otra", service_id=other.services["Corte"]
    )

    here = await agenda(web, owner, **{"from": "2026-12-02", "professional_id": 1})
    there = await web.get(
        "/api/v1/shops/otra/bookings", params={"from": "2026-12-02"}, headers=theirs
    )

    assert [b["customer"]["name"] for b in here["bookings"]][-1] == "Juan Carlos"
    assert [b["customer"]["name"] for b in there.json()["bookings"]] == ["JC"]
    assert "JC" not in str(here)


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"from": "9999-12-31"}, "from"),
        ({"from": "0001-01-01"}, "from"),
        ({"from": "2026-12-02", "to": "9999-12-31"}, "to"),
        ({"from": "2026-12-02", "to": "2026-12-01"}, "to"),
        ({"from": "2026-12-01", "to": "2027-02-01"}, "to"),
        ({"status": "pending"}, "status"),
        ({"status": ","}, "status"),
        ({"professional_id": 99}, "professional_id"),
        ({"cursor": "not-a-cursor"}, "cursor"),
        ({"cursor": "WyIwMDAxLTAxLTAxVDAwOjAwOjAwKzA1OjAwIiwgMV0"}, "cursor"),
    ],
)
async def test_far_inverted_or_unknown_input_is_a_422_naming_the_field(
    web: httpx.AsyncClient, owner: dict[str, str], params: dict[str, Any], field: str
) -> None:
    refused = await web.get(AGENDA, params=params, headers=owner)

    assert refused.status_code == 422, refused.text
    assert refused.json()["field"] == field


@pytest.mark.parametrize(
    "params",
    [{"from": "10000-01-01"}, {"from": "2026-02-30"}, {"limit": 0}, {"limit": 201}],
)
async def test_unreadable_days_and_limits_are_a_422(
    web: httpx.AsyncClient, owner: dict[str, str], params: dict[str, Any]
) -> None:
    refused = await web.get(AGENDA, params=params, headers=owner)

    assert refused.status_code == 422, refused.text
    assert refused.json()["error"] == "invalid_request"
