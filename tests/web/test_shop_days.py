"""The shop's days through the REST API: national feriados, and the shop's own word for a day
(closed on an ordinary day, open on a feriado). Closing a day cancels no turno: the answer lists
the ones now outside hours.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. 2026-12-07 and 2026-12-08 are national
feriados (a bridge day and the Inmaculada Concepción), 2026-12-25 too.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.helpers import FixedClock
from tests.web.owner import Owner, a_barber, a_service, field_of, new_shop, outside, starts

pytestmark = pytest.mark.usefixtures("demo")

WED = "2026-12-02"
WED_16 = "2026-12-02T16:00:00-03:00"
TUE_8_11 = "2026-12-08T11:00:00-03:00"  # a feriado


@pytest.fixture
async def owner(web: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock) -> Owner:
    return await new_shop(web, engine, clock)


@pytest.fixture
async def barber(owner: Owner) -> int:
    return await a_barber(owner)


@pytest.fixture
async def corte(owner: Owner, barber: int) -> int:
    return int((await a_service(owner, barber))["id"])


async def test_days_list_the_feriados_and_the_shops_own_days(owner: Owner) -> None:
    await owner.made("PUT", "/days/2026-12-24", {"open": False, "note": "Nochebuena"})
    await owner.made("PUT", "/days/2026-12-08", {"open": True})

    days = await owner.made("GET", "/days?from=2026-12-01&to=2026-12-31")

    assert [(d["day"], d["open"], d["why"], d["note"]) for d in days] == [
        ("2026-12-07", False, "holiday", None),
        ("2026-12-08", True, "open_by_shop", ""),
        ("2026-12-24", False, "closed_by_shop", "Nochebuena"),
        ("2026-12-25", False, "holiday", None),
    ]
    assert days[1]["holiday"] == "Inmaculada Concepción de María"


async def test_closing_a_day_keeps_its_turnos_and_lists_them(
    owner: Owner, barber: int, corte: int
) -> None:
    theirs = await owner.book(corte, barber, WED_16, "Ana")

    closed = await owner.made("PUT", f"/days/{WED}", {"open": False, "note": "Inventario"})

    assert closed == {
        "day": WED,
        "open": False,
        "why": "closed_by_shop",
        "holiday": None,
        "note": "Inventario",
        "outside_hours": [outside(theirs, WED_16, barber, corte, "Ana")],
    }
    assert await starts(owner, corte, WED) == []
    reopened = await owner.made("DELETE", f"/days/{WED}")
    assert (reopened["open"], reopened["why"], reopened["outside_hours"]) == (True, "ordinary", [])
    assert "16:30" in await starts(owner, corte, WED)


async def test_a_feriado_opened_then_forgotten_lists_the_turnos_booked_meanwhile(
    owner: Owner, barber: int, corte: int
) -> None:
    assert await starts(owner, corte, "2026-12-08") == []
    await owner.made("PUT", "/days/2026-12-08", {"open": True, "note": "Abrimos igual"})
    theirs = await owner.book(corte, barber, TUE_8_11, "Ana")

    forgotten = await owner.made("DELETE", "/days/2026-12-08")

    assert (forgotten["open"], forgotten["why"]) == (False, "holiday")
    assert forgotten["outside_hours"] == [outside(theirs, TUE_8_11, barber, corte, "Ana")]
    assert (await owner.call("DELETE", "/days/2026-12-08")).status_code == 404


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("PUT", "/days/2026-11-30", {"open": False}, "day"),
        ("PUT", "/days/2026-12-24", {"open": "no"}, "open"),
        ("PUT", "/days/2026-12-24", {"note": "x"}, "open"),
        ("PUT", "/days/9999-12-31", {"open": False}, "day"),
        ("GET", "/days?from=2026-12-31&to=2026-12-01", None, None),
        ("GET", "/days?from=2026-01-01&to=2027-12-31", None, None),
        ("GET", "/days?from=9999-12-30", None, "from"),
    ],
)
async def test_bad_days_are_422_and_change_nothing(
    owner: Owner, method: str, path: str, body: object, field: str | None
) -> None:
    refused = await owner.call(method, path, body)

    assert refused.status_code == 422, refused.text
    if field is not None:
        assert field_of(refused) == field
    days = await owner.made("GET", "/days?from=2026-12-01&to=2026-12-31")
    assert [d["why"] for d in days] == ["holiday", "holiday", "holiday"]
