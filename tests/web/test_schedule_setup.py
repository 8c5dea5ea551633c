"""An owner sets when people work through the REST API: weekly hours and time off. No change
cancels a turno: each answer lists the ones to come now outside hours.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from tests.helpers import FixedClock, shop_key
from tests.web.owner import (
    TUE_TO_SAT,
    Owner,
    a_barber,
    a_service,
    auth,
    field_of,
    new_shop,
    outside,
    starts,
)

pytestmark = pytest.mark.usefixtures("demo")

WED = "2026-12-02"
WED_16 = "2026-12-02T16:00:00-03:00"
DEMO_TINCHO = 1


def period(weekday: int, start: str, end: str) -> dict[str, object]:
    return {"weekday": weekday, "start": start, "end": end}


@pytest.fixture
async def owner(web: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock) -> Owner:
    return await new_shop(web, engine, clock)


@pytest.fixture
async def barber(owner: Owner) -> int:
    return await a_barber(owner)


@pytest.fixture
async def corte(owner: Owner, barber: int) -> int:
    return int((await a_service(owner, barber))["id"])


async def test_hours_come_back_as_they_were_put_several_periods_a_day(
    owner: Owner, barber: int, corte: int
) -> None:
    split = [period(2, "15:00", "19:00"), period(2, "10:00", "14:00"), period(3, "10:00", "14:00")]

    changed = await owner.made("PUT", f"/professionals/{barber}/hours", split)

    expected = [split[1], split[0], split[2]]
    assert changed == {"hours": expected, "outside_hours": []}
    assert await owner.made("GET", f"/professionals/{barber}/hours") == expected
    wednesday = await starts(owner, corte, WED)
    assert "13:30" in wednesday
    assert "14:00" not in wednesday
    assert "15:00" in wednesday


async def test_the_demos_hours_with_lunch_breaks_round_trip_through_get_and_put(
    web: httpx.AsyncClient, engine: AsyncEngine, clock: FixedClock
) -> None:
    demo = Owner(web, "don-julio", auth(await shop_key(engine, "don-julio", clock.now())))
    path = f"/professionals/{DEMO_TINCHO}/hours"
    before = await starts(demo, 1, WED)

    hours = await demo.made("GET", path)
    put = await demo.made("PUT", path, hours)

    assert hours[:2] == [period(1, "10:00", "14:00"), period(1, "15:00", "19:00")]
    assert put["hours"] == hours
    assert await demo.made("GET", path) == hours
    assert await starts(demo, 1, WED) == before


@pytest.mark.parametrize(
    ("hours", "field"),
    [
        ([period(1, "10:00", "14:00"), period(1, "13:00", "19:00")], "hours[1]"),
        ([period(1, "19:00", "10:00")], "hours[0]"),
        ([period(1, "10:00", "19:00"), period(2, "10:00", "10:00")], "hours[1]"),
        ([period(7, "10:00", "19:00")], "0.weekday"),
        ([period(-1, "10:00", "19:00")], "0.weekday"),
        ([{"weekday": 1.0, "start": "10:00", "end": "19:00"}], "0.weekday"),
        ([period(1, "9:00", "19:00")], "0.start"),
        ([period(1, "10:00", "24:00")], "0.end"),
        ([period(1, "10:00", "19:00:00")], "0.end"),
        ([{"weekday": 1, "start": "10:00"}], "0.end"),
    ],
)
async def test_bad_hours_are_422_naming_the_period_and_change_nothing(
    owner: Owner, barber: int, hours: list[dict[str, object]], field: str
) -> None:
    path = f"/professionals/{barber}/hours"

    refused = await owner.call("PUT", path, hours)

    assert field_of(refused) == field
    assert await owner.made("GET", path) == TUE_TO_SAT


async def test_shorter_hours_keep_the_turnos_and_list_those_now_outside(
    owner: Owner, barber: int, corte: int
) -> None:
    late = await owner.book(corte, barber, WED_16, "Ana")
    early = await owner.book(corte, barber, "2026-12-02T11:00:00-03:00", "Beto")

    changed = await owner.made(
        "PUT", f"/professionals/{barber}/hours", [period(d, "10:00", "14:00") for d in (1, 2)]
    )

    assert changed["outside_hours"] == [outside(late, WED_16, barber, corte, "Ana")]
    for booking_id in (late, early):
        booking = await owner.web.get(f"/api/v1/bookings/{booking_id}", headers=owner.headers)
        assert booking.json()["status"] == "confirmed"
    assert "16:00" not in await starts(owner, corte, WED)


async def test_time_off_is_listed_removed_and_lists_the_turnos_it_covers(
    owner: Owner, barber: int, corte: int
) -> None:
    theirs = await owner.book(corte, barber, WED_16, "Ana")
    body = {"start": "2026-12-02T15:00:00-03:00", "end": "2026-12-02T18:00:00-03:00"}

    added = await owner.made(
        "POST", f"/professionals/{barber}/time-off", {**body, "reason": " Dentista "}, 201
    )

    assert added == {
        "id": added["id"],
        **body,
        "reason": "Dentista",
        "outside_hours": [outside(theirs, WED_16, barber, corte, "Ana")],
    }
    listed = await owner.made("GET", f"/professionals/{barber}/time-off")
    assert listed == [{k: v for k, v in added.items() if k != "outside_hours"}]
    assert "17:00" not in await starts(owner, corte, WED)
    await owner.made("DELETE", f"/professionals/{barber}/time-off/{added['id']}", status=204)
    assert await owner.made("GET", f"/professionals/{barber}/time-off") == []
    assert "17:00" in await starts(owner, corte, WED)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start": "2026-12-02T18:00:00-03:00", "end": "2026-12-02T15:00:00-03:00"}, "end"),
        ({"start": "2026-12-02T15:00:00-03:00", "end": "2026-12-02T15:00:00-03:00"}, "end"),
        ({"start": "2026-12-02T15:00:00", "end": "2026-12-02T18:00:00-03:00"}, "start"),
        ({"start": "mañana", "end": "2026-12-02T18:00:00-03:00"}, "start"),
    ],
)
async def test_bad_time_off_is_422_naming_the_field_and_nothing_is_stored(
    owner: Owner, barber: int, body: dict[str, str], field: str
) -> None:
    refused = await owner.call("POST", f"/professionals/{barber}/time-off", body)

    assert field_of(refused) == field
    assert await owner.made("GET", f"/professionals/{barber}/time-off") == []


async def test_another_professionals_time_off_is_404(owner: Owner, barber: int) -> None:
    other = (await owner.made("POST", "/professionals", {"name": "Facu"}, 201))["id"]
    body = {"start": "2026-12-02T15:00:00-03:00", "end": "2026-12-02T18:00:00-03:00"}
    added = await owner.made("POST", f"/professionals/{barber}/time-off", body, 201)

    wrong = await owner.call("DELETE", f"/professionals/{other}/time-off/{added['id']}")

    assert wrong.status_code == 404
    assert len(await owner.made("GET", f"/professionals/{barber}/time-off")) == 1
