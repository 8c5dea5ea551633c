"""Customers' rights through the REST API (Ley 25.326): a shop admin exports everything the
shop holds on a customer, and erases them; another shop's record of the same person stays.

The clock: Tuesday 2026-12-01, 09:00 in Buenos Aires. The demo seed books Juan Pérez
(11 5874-9895) on Wednesday 2/12 at 11:00, paid at the shop.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.access import Scope
from domain.storage.tables import BookingRow, LedgerEntryRow, PaymentRow
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, build_shop, platform_key, shop_key
from tests.web.test_customers import CUSTOMERS, JUAN_PHONE, auth, customer_id
from tests.web.trail import rows_of

pytestmark = pytest.mark.usefixtures("demo")


@pytest.fixture
async def owner(engine: AsyncEngine, clock: FixedClock) -> dict[str, str]:
    """The demo shop's admin key."""
    return auth(await shop_key(engine, "don-julio", clock.now(), Scope.ADMIN))


@pytest.fixture
async def other_shop(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, engine: AsyncEngine, clock: FixedClock
) -> dict[str, str]:
    """A second shop where Juan (same phone) booked as «JC»; its admin key."""
    other = await build_shop(uow_factory, slug="otra")
    theirs = auth(await shop_key(engine, "otra", clock.now()))
    body = {
        "service_id": other.services["Corte"],
        "start": "2026-12-02T16:00:00-03:00",
        "customer": {"name": "JC", "phone": JUAN_PHONE},
    }
    assert (await web.post("/api/v1/shops/otra/bookings", json=body, headers=theirs)).is_success
    return theirs


async def test_an_admin_exports_everything_the_shop_holds_on_a_customer(
    web: httpx.AsyncClient, owner: dict[str, str]
) -> None:
    juan = await customer_id(web, owner, "Juan Pérez")

    exported = await web.get(f"{CUSTOMERS}/{juan}/export", headers=owner)

    assert exported.status_code == 200, exported.text
    data = exported.json()
    assert data["id"] == juan
    assert data["name"] == "Juan Pérez"
    assert data["phone"] == "+5491158749895"
    assert [t["start"][:16] for t in data["turnos"]] == ["2026-12-02T14:00"]  # 11:00 in BA
    assert data["turnos"][0]["service"] == "Corte"
    [row] = await rows_of(web, owner, "customer.exported")
    assert (row["subject"], row["source"]) == (f"customer:{juan}", "api")
    assert "Juan" not in str(row), "who took a copy, not what it holds"
    assert "9895" not in str(row)


async def test_export_and_erase_need_an_admin_key_of_the_shop(
    web: httpx.AsyncClient,
    owner: dict[str, str],
    other_shop: dict[str, str],
    engine: AsyncEngine,
    clock: FixedClock,
) -> None:
    juan = await customer_id(web, owner, "Juan Pérez")
    reader = auth(await shop_key(engine, "don-julio", clock.now(), Scope.READ))
    operator = auth(await platform_key(engine, clock.now()))
    jc = (await web.get("/api/v1/shops/otra/customers", headers=other_shop)).json()
    jc_id = jc["customers"][0]["id"]

    for path in (f"{CUSTOMERS}/{juan}/export", f"{CUSTOMERS}/{juan}/erase"):
        call = web.get if path.endswith("export") else web.post
        assert (await call(path)).status_code == 401
        assert (await call(path, headers=reader)).status_code == 403
        wrong_shop = await call(path.replace("don-julio", "otra"), headers=other_shop)
        assert wrong_shop.status_code == 404  # Juan's number means nothing at the other shop
        assert wrong_shop.json()["error"] == "not_found"
        assert (await call(path, headers=other_shop)).status_code == 404
    assert (await web.get(f"{CUSTOMERS}/{jc_id}/export", headers=owner)).status_code == 404
    assert (await web.get(f"{CUSTOMERS}/{juan}/export", headers=operator)).status_code == 200


async def test_erasing_anonymises_the_customer_here_and_leaves_the_other_shop_alone(
    web: httpx.AsyncClient,
    owner: dict[str, str],
    other_shop: dict[str, str],
    uow_factory: UnitOfWorkFactory,
) -> None:
    juan = await customer_id(web, owner, "Juan Pérez")
    await web.put(f"{CUSTOMERS}/{juan}/notes", json={"notes": "Alérgico"}, headers=owner)
    before = await _money(uow_factory)

    erased = await web.post(f"{CUSTOMERS}/{juan}/erase", headers=owner)

    assert erased.status_code == 200, erased.text
    assert erased.json()["cancelled_turnos"] == 1  # Wednesday's, through the normal cancel
    record = (await web.get(f"{CUSTOMERS}/{juan}", headers=owner)).json()
    assert record["name"] == f"Cliente borrado #{juan}"
    assert record["phone"] is None
    assert record["notes"] == ""
    assert [t["status"] for t in record["recent"] + record["upcoming"]] == ["cancelled"]
    assert (await web.get(CUSTOMERS, params={"q": "Juan"}, headers=owner)).json()["customers"] == []
    assert await _money(uow_factory) == before
    elsewhere = (await web.get("/api/v1/shops/otra/customers", headers=other_shop)).json()
    [jc] = elsewhere["customers"]
    assert jc["name"] == "JC"
    assert jc["phone"] == "+5491158749895"
    assert jc["next_turno"] is not None
    again = await web.post(f"{CUSTOMERS}/{juan}/erase", headers=owner)
    assert again.status_code == 200  # erasing twice changes nothing more
    trail = (await web.get("/api/v1/shops/don-julio/audit", headers=owner)).json()
    erasures = [e for e in trail["items"] if e["action"] == "customer.erased"]
    assert [e["subject"] for e in erasures] == [f"customer:{juan}"] * 2
    assert all(e["source"] == "api" and e["actor"].startswith("key:") for e in erasures)


async def test_erasing_waits_while_a_paid_turno_is_ahead(
    web: httpx.AsyncClient, owner: dict[str, str], uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    juan = await customer_id(web, owner, "Juan Pérez")
    [turno] = (await web.get(f"{CUSTOMERS}/{juan}", headers=owner)).json()["upcoming"]
    async with uow_factory() as uow:  # the shop took a transfer for it
        await uow.session.execute(
            insert(PaymentRow).values(
                shop_id=1,
                booking_id=turno["id"],
                method="transfer",
                amount_cents=500000,
                currency="ARS",
                status="approved",
                created_at=clock.now(),
                updated_at=clock.now(),
            )
        )
        await uow.commit()

    refused = await web.post(f"{CUSTOMERS}/{juan}/erase", headers=owner)

    assert refused.status_code == 409
    assert refused.json()["error"] == "paid_turno_ahead"
    record = (await web.get(f"{CUSTOMERS}/{juan}", headers=owner)).json()
    assert record["name"] == "Juan Pérez"
    assert [t["status"] for t in record["upcoming"]] == [turno["status"]]


async def _money(uow_factory: UnitOfWorkFactory) -> tuple[int, int, int]:
    async with uow_factory.read_only() as uow:
        paid = await uow.session.scalar(select(func.coalesce(func.sum(PaymentRow.amount_cents), 0)))
        ledger = await uow.session.scalar(
            select(func.coalesce(func.sum(LedgerEntryRow.amount_cents), 0))
        )
        turnos = await uow.session.scalar(select(func.count(BookingRow.id)))
    return int(paid or 0), int(ledger or 0), int(turnos or 0)
