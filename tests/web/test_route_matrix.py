"""Every /api/v1 route, read from the app's own route list (its OpenAPI document), called with
keys that must not pass.

No key gets 401. A key of another shop gets 404 on every route about a shop's things, as if
they did not exist. A key of the right shop with too small a scope gets 403, by the rule: reads
need `read`, booking, cancelling and moving `book`, every other change `admin`, creating shops
`platform`; and on reads the right key does get in. A route added without its guard (or with a
weaker one) fails here: nothing is read from the code but its answers.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain import booking as use_cases
from domain.access import Scope
from domain.storage.tables import PaymentRow, ShopCustomerRow, ShopMessageRow, TimeOffRow
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, build_shop, shop_key
from tests.web.chat import sandbox_app

pytestmark = pytest.mark.usefixtures("demo")

SHOP_A = "don-julio"
# The routes that book, cancel or move (scope `book`); among the rest, every change is `admin`
# and every read `read`, but for these.
BOOK_ROUTES = {
    ("POST", "/api/v1/shops/{slug}/bookings"),
    ("POST", "/api/v1/bookings/{booking_id}/cancel"),
    ("POST", "/api/v1/bookings/{booking_id}/reschedule"),
}
OTHER_SCOPES = {
    ("POST", "/api/v1/shops"): Scope.PLATFORM,
    ("GET", "/api/v1/shops/{slug}/api-keys"): Scope.ADMIN,
    # everything held on a customer, message texts too: the shop's admin only
    ("GET", "/api/v1/shops/{slug}/customers/{customer_id}/export"): Scope.ADMIN,
    ("GET", "/api/v1/shops/{slug}/audit"): Scope.ADMIN,  # who did what: the owner's
}
# The largest scope a route asking for each one must refuse (read routes refuse nothing).
BELOW = {Scope.BOOK: Scope.READ, Scope.ADMIN: Scope.BOOK, Scope.PLATFORM: Scope.ADMIN}


@pytest.fixture
async def app_and_web(
    database_url: str, clock: FixedClock
) -> AsyncIterator[tuple[FastAPI, httpx.AsyncClient]]:
    """The app, with no budget for failed keys: this test calls every route without a key,
    from one address, far more often than a client that gets 401s may (tests/web/
    test_rate_limits.py tests that budget)."""
    async with sandbox_app(database_url, clock, rate_limit_api_auth_failures="off") as pair:
        yield pair


@dataclass(frozen=True)
class Call:
    """One method of one route."""

    method: str
    path: str

    def __str__(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def about_a_shop(self) -> bool:
        """Whether the route names a shop's thing (all but the list of shops and creating one)."""
        return self.path != "/api/v1/shops"


def api_calls(app: FastAPI) -> list[Call]:
    """Every method of every /api/v1 route the app serves."""
    paths = app.openapi()["paths"]
    return [
        Call(method.upper(), path)
        for path, methods in paths.items()
        if path.startswith("/api/v1")
        for method in methods
    ]


def expected_scope(call: Call) -> Scope:
    """What the route should ask for, by the rule."""
    key = (call.method, call.path)
    if key in OTHER_SCOPES:
        return OTHER_SCOPES[key]
    if key in BOOK_ROUTES:
        return Scope.BOOK
    return Scope.READ if call.method == "GET" else Scope.ADMIN


@pytest.fixture
async def shop_a_things(
    uow_factory: UnitOfWorkFactory, engine: AsyncEngine, clock: FixedClock
) -> dict[str, Any]:
    """One of each thing of shop A a route can name in its path."""
    start = datetime(2026, 12, 2, 19, 0, tzinfo=UTC)  # Wednesday 16:00 in Buenos Aires
    booking = await use_cases.book(
        uow_factory,
        clock,
        use_cases.BookingRequest(1, 1, use_cases.NewCustomer("Ana", "11 5555-0001"), start, 1),
    )
    async with uow_factory() as uow:
        payment_id = await uow.session.scalar(
            insert(PaymentRow)
            .values(
                shop_id=booking.shop_id,
                booking_id=booking.id,
                method="transfer",
                amount_cents=1_200_000,
                currency="ARS",
                status="pending",
                created_at=clock.now(),
                updated_at=clock.now(),
            )
            .returning(PaymentRow.id)
        )
        message_id = await uow.session.scalar(
            insert(ShopMessageRow)
            .values(
                shop_id=booking.shop_id,
                customer_id=booking.customer_id,
                channel="sandbox",
                chat_id="ana",
                text="¿Puedo llevar a mi hijo?",
                created_at=clock.now(),
            )
            .returning(ShopMessageRow.id)
        )
        time_off_id = await uow.session.scalar(
            insert(TimeOffRow)
            .values(
                professional_id=1,
                starts_at=start + timedelta(days=7),
                ends_at=start + timedelta(days=7, hours=2),
                reason="Dentista",
            )
            .returning(TimeOffRow.id)
        )
        customer_id = await uow.session.scalar(
            select(ShopCustomerRow.id).where(ShopCustomerRow.customer_id == booking.customer_id)
        )
        await uow.commit()
    key = await shop_key(engine, SHOP_A, clock.now(), name="listed")
    return {
        "slug": SHOP_A,
        "booking_id": booking.id,
        "payment_id": payment_id,
        "message_id": message_id,
        "customer_id": customer_id,
        "service_id": 1,
        "professional_id": 1,
        "time_off_id": time_off_id,
        "prefix": key[:10],
        "day": (date(2026, 12, 2) + timedelta(days=1)).isoformat(),
    }


def url_of(call: Call, things: dict[str, Any]) -> str:
    """The route's path with shop A's things in it."""

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in things, f"{call}: add a shop A value for {{{name}}} to shop_a_things"
        return str(things[name])

    return re.sub(r"\{(\w+)\}", value, call.path)


async def test_every_route_keeps_other_shops_and_small_scopes_out(
    app: FastAPI,
    web: httpx.AsyncClient,
    engine: AsyncEngine,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    shop_a_things: dict[str, Any],
) -> None:
    await build_shop(uow_factory, slug="otra")
    other_shop = await shop_key(engine, "otra", clock.now(), Scope.ADMIN)
    shop_scopes = (Scope.READ, Scope.BOOK, Scope.ADMIN)
    keys = {scope: await shop_key(engine, SHOP_A, clock.now(), scope) for scope in shop_scopes}
    calls = api_calls(app)
    assert len(calls) >= 20, [str(c) for c in calls]

    for call in calls:
        scope = expected_scope(call)
        url = url_of(call, shop_a_things)

        anonymous = await web.request(call.method, url)
        assert anonymous.status_code == 401, f"{call} without a key: {anonymous.status_code}"

        if call.about_a_shop:
            foreign = await web.request(call.method, url, headers=_auth(other_shop))
            assert foreign.status_code == 404, f"{call} with another shop's key: {foreign.text}"
            assert foreign.json()["error"] == "not_found"

        smaller = BELOW.get(scope)
        if smaller is not None:
            refused = await web.request(call.method, url, headers=_auth(keys[smaller]))
            assert refused.status_code == 403, f"{call} with a {smaller} key: {refused.text}"
            assert refused.json()["error"] == "forbidden"

        if call.method == "GET":  # and the right key does get in
            allowed = await web.request(call.method, url, headers=_auth(keys[scope]))
            assert allowed.status_code not in {401, 403, 404}, f"{call}: {allowed.text}"


def _auth(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}
