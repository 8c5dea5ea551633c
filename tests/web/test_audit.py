"""The audit trail through its public paths: REST and dashboard writes leave a row with what
changed (before → after), logins and failed logins too, never a secret; the owner reads it at
`GET /api/v1/shops/{slug}/audit` (their shop only, newest first, paged) and at /admin/audit.
The rest of what is covered (inbox, turnos marked, staff chats, invitations...):
tests/web/test_audit_coverage.py."""

from __future__ import annotations

import json
import re

import httpx
import pytest
from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncEngine

from domain.access import Scope
from domain.accounts import Role
from domain.storage.channels import create_link_code, use_link_code
from domain.storage.tables import PaymentRow
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, build_shop, shop_key
from tests.web.admin import PASSWORD, Admin, admin, text_of
from tests.web.chat import customer, pushes
from tests.web.owner import auth
from tests.web.trail import trail

pytestmark = pytest.mark.usefixtures("demo")
SHOP = "/api/v1/shops/don-julio"
CVU = "0000003100000000123459"


@pytest.fixture
async def key(engine: AsyncEngine, clock: FixedClock) -> dict[str, str]:
    """The demo shop's admin key, called «caja»."""
    return auth(await shop_key(engine, "don-julio", clock.now(), Scope.ADMIN, name="caja"))


async def test_a_service_changed_through_the_api_leaves_who_and_only_what_changed(
    web: httpx.AsyncClient, key: dict[str, str]
) -> None:
    services = (await web.get(f"{SHOP}/services", headers=key)).json()
    service_id = services[0]["id"]

    changed = await web.patch(
        f"{SHOP}/services/{service_id}", headers=key, json={"duration_minutes": 45}
    )

    assert changed.status_code == 200, changed.text
    (row,) = (await trail(web, key))["items"]
    assert row["action"] == "service.changed"
    assert row["subject"] == f"service:{service_id}"
    assert row["source"] == "api"
    assert re.fullmatch(r"key:\d+ caja", row["actor"])
    assert row["before"] == {"duration_minutes": services[0]["duration_minutes"]}
    assert row["after"] == {"duration_minutes": 45}


async def test_a_save_that_changes_nothing_leaves_no_row(
    web: httpx.AsyncClient, key: dict[str, str]
) -> None:
    service = (await web.get(f"{SHOP}/services", headers=key)).json()[0]

    same = {"duration_minutes": service["duration_minutes"]}
    saved = await web.patch(f"{SHOP}/services/{service['id']}", headers=key, json=same)

    assert saved.status_code == 200, saved.text
    assert (await trail(web, key))["items"] == []


async def test_a_new_payment_account_is_masked_in_the_trail_and_told_to_the_owners_chat(
    web: httpx.AsyncClient, key: dict[str, str], uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    code = await create_link_code(uow_factory, 1, None, clock.now())
    assert await use_link_code(uow_factory, code, "sandbox", "dueno-chat", clock.now())
    current = (await web.get(f"{SHOP}/payment-settings", headers=key)).json()
    wanted = {k: current[k] for k in ("methods", "max_cuotas", "cash_tickets", "cash_confirms")}
    wanted |= {"deposit_when": current["deposit_when"], "transfer_account": CVU}
    wanted |= {"transfer_alias": current["transfer_alias"], "cuit": current["cuit"]}

    saved = await web.put(f"{SHOP}/payment-settings", headers=key, json=wanted)

    assert saved.status_code == 200, saved.text
    (row,) = (await trail(web, key))["items"]
    assert row["action"] == "payments.settings"
    assert row["before"] == {"transfer_account": "…5201"}
    assert row["after"] == {"transfer_account": "…3459"}
    assert CVU not in json.dumps(row)
    (told,) = await pushes(web, "dueno-chat")
    assert "cambió la cuenta de cobro: el CBU/CVU …3459, desde la API por caja" in told["text"]


async def test_keys_made_and_revoked_through_the_api_are_in_the_trail_without_their_secret(
    web: httpx.AsyncClient, key: dict[str, str]
) -> None:
    made = await web.post(f"{SHOP}/api-keys", headers=key, json={"name": "agenda web"})
    assert made.status_code == 201, made.text
    secret, prefix = made.json()["key"], made.json()["prefix"]

    revoked = await web.delete(f"{SHOP}/api-keys/{prefix}", headers=key)

    assert revoked.status_code == 200, revoked.text
    rows = (await trail(web, key))["items"]
    assert [r["action"] for r in rows] == ["key.revoked", "key.created"]
    assert rows[1]["after"] == {"name": "agenda web", "prefix": prefix, "scope": "read"}
    assert rows[0]["after"]["name"] == "agenda web"
    assert secret not in json.dumps(rows)


async def test_logins_failed_logins_and_logouts_are_recorded_without_the_password(
    web: httpx.AsyncClient,
    key: dict[str, str],
    engine: AsyncEngine,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    owner = await admin(web, uow_factory, clock, "ana@x.test", Role.OWNER)
    await owner.post("/admin/logout")
    for email in ("ana@x.test", "nadie@otro.test"):
        form = await web.get("/admin/login")
        token = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert token
        wrong = await web.post(
            "/admin/login", data={"email": email, "password": "adivino-1234", "csrf": token[1]}
        )
        assert wrong.status_code == 401

    rows = (await trail(web, key))["items"]

    # The unknown account's attempt belongs to no shop: it is not in this shop's trail.
    assert [r["action"] for r in rows] == ["auth.login_failed", "auth.logout", "auth.login"]
    assert all(r["subject"] == rows[0]["subject"] for r in rows)
    assert all(r["actor"].endswith(" ana@x.test") for r in rows)
    assert "adivino" not in json.dumps(rows)
    assert PASSWORD not in json.dumps(rows)
    async with engine.connect() as connection:
        platform = (
            await connection.execute(
                text("SELECT actor, action FROM audit_log WHERE shop_id IS NULL")
            )
        ).all()
    assert [tuple(r) for r in platform] == [("nad@…", "auth.login_failed")]  # masked


async def test_a_dashboard_change_and_its_row_are_shown_to_the_owner_on_the_activity_page(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    owner = await admin(web, uow_factory, clock, "ana@x.test", Role.OWNER)
    closed = await owner.post("/admin/setup/days", {"day": "2026-12-10", "open": "0"})
    assert closed.status_code in {200, 303}, closed.text

    page = await owner.get("/admin/audit")

    assert page.status_code == 200, page.text
    words = text_of(page)
    assert "Día abierto o cerrado" in words
    assert "ana@x.test, desde el panel" in words
    assert "day:2026-12-10" in words
    assert "Entró al panel" in words


async def test_a_manager_may_not_open_the_activity_page(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    manager: Admin = await admin(web, uow_factory, clock, "encargado@x.test", Role.MANAGER)

    refused = await manager.get("/admin/audit")

    assert refused.status_code == 403


async def test_the_trail_is_the_shops_own_for_admin_keys_only(
    web: httpx.AsyncClient,
    key: dict[str, str],
    engine: AsyncEngine,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
) -> None:
    await build_shop(uow_factory, slug="otra")
    other = auth(await shop_key(engine, "otra", clock.now(), Scope.ADMIN))
    reader = auth(await shop_key(engine, "don-julio", clock.now(), Scope.READ))

    assert (await web.get(f"{SHOP}/audit", headers=other)).status_code == 404
    assert (await web.get(f"{SHOP}/audit", headers=reader)).status_code == 403
    assert (await web.get("/api/v1/shops/otra/audit", headers=key)).status_code == 404


async def test_the_trail_comes_newest_first_a_page_at_a_time_within_the_days_asked(
    web: httpx.AsyncClient, key: dict[str, str]
) -> None:
    services = (await web.get(f"{SHOP}/services", headers=key)).json()
    for minutes in (35, 40, 45, 50, 55):
        changed = await web.patch(
            f"{SHOP}/services/{services[0]['id']}", headers=key, json={"duration_minutes": minutes}
        )
        assert changed.status_code == 200, changed.text

    first = await trail(web, key, limit=2)
    second = await trail(web, key, limit=2, cursor=first["next"])
    third = await trail(web, key, limit=2, cursor=second["next"])

    pages = [first, second, third]
    afters = [row["after"]["duration_minutes"] for p in pages for row in p["items"]]
    assert afters == [55, 50, 45, 40, 35]
    assert third["next"] is None
    assert (await trail(web, key, **{"from": "2026-12-01", "to": "2026-12-01"}))["items"]
    assert (await trail(web, key, **{"from": "2026-12-02"}))["items"] == []
    bad = await web.get(f"{SHOP}/audit", headers=key, params={"cursor": "nope"})
    assert bad.status_code == 422
    assert bad.json()["error"] == "invalid_request"


async def test_the_database_refuses_to_change_or_delete_a_row_of_the_trail(
    web: httpx.AsyncClient, key: dict[str, str], engine: AsyncEngine
) -> None:
    await web.post(f"{SHOP}/api-keys", headers=key, json={"name": "otra"})

    for statement in ("UPDATE audit_log SET actor = 'nadie'", "DELETE FROM audit_log"):
        with pytest.raises(Exception, match="append-only"):
            async with engine.begin() as connection:
                await connection.execute(text(statement))

    assert len((await trail(web, key))["items"]) == 1


def test_the_audit_storage_offers_only_append_and_read() -> None:
    from domain.storage import audit

    assert sorted(audit.__all__) == ["audit_page", "record"]
    public = {n for n, v in vars(audit).items() if callable(v) and getattr(v, "__module__", "")}
    own = {n for n in public if vars(audit)[n].__module__ == audit.__name__}
    assert {n for n in own if not n.startswith("_")} == {"audit_page", "record"}


async def test_a_transfer_confirmed_by_hand_is_in_the_trail_once(
    web: httpx.AsyncClient, key: dict[str, str], engine: AsyncEngine
) -> None:
    ana = await customer(web, "ana", "Ana")
    await ana.say("corte con Tincho el miércoles a las 16")
    await ana.tap("Transferencia")
    await ana.tap("Confirmar")
    await ana.say("ya te transferí")
    async with engine.connect() as connection:
        payment_id = await connection.scalar(select(PaymentRow.id))

    confirmed = await web.post(f"/api/v1/payments/{payment_id}/confirm", headers=key)
    again = await web.post(f"/api/v1/payments/{payment_id}/confirm", headers=key)

    assert confirmed.json()["outcome"] == "confirmed"
    assert again.json()["outcome"] == "settled"
    (row,) = (await trail(web, key))["items"]
    assert row["action"] == "transfer.confirmed"
    assert row["subject"] == f"payment:{payment_id}"
    assert row["after"]["outcome"] == "confirmed"


async def test_a_turno_the_shop_books_and_cancels_through_the_api_is_in_the_trail(
    web: httpx.AsyncClient, key: dict[str, str]
) -> None:
    body = {
        "service_id": 1,
        "professional_id": 1,
        "start": "2026-12-02T16:00:00-03:00",
        "customer": {"name": "Beto", "phone": "11 5555-0101"},
    }
    made = await web.post(f"{SHOP}/bookings", headers=key, json=body)
    assert made.status_code == 201, made.text
    booking_id = made.json()["id"]

    cancelled = await web.post(f"/api/v1/bookings/{booking_id}/cancel", headers=key)

    assert cancelled.status_code == 200, cancelled.text
    rows = (await trail(web, key))["items"]
    assert [(r["action"], r["subject"]) for r in rows] == [
        ("booking.cancelled", f"booking:{booking_id}"),
        ("booking.booked", f"booking:{booking_id}"),
    ]
    assert "5555" not in json.dumps(rows)  # no customer phone in the trail


async def test_an_invitation_from_the_dashboard_is_in_the_trail_without_its_link(
    web: httpx.AsyncClient, key: dict[str, str], uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    owner = await admin(web, uow_factory, clock, "ana@x.test", Role.OWNER)

    shown = await owner.post(
        "/admin/setup/users/invite", {"email": "caja@x.test", "role": "manager"}
    )

    assert shown.status_code == 200, shown.text
    link = re.search(r"/admin/link/([A-Za-z0-9_-]+)", shown.text)
    assert link, shown.text
    row = (await trail(web, key))["items"][0]
    assert row["action"] == "user.invite"
    assert row["after"]["email"] == "caja@x.test"
    assert row["after"]["role"] == "manager"
    assert link[1] not in json.dumps(row)


async def test_notes_on_a_customer_are_in_the_trail_by_their_size_only(
    web: httpx.AsyncClient, key: dict[str, str]
) -> None:
    made = await web.post(
        f"{SHOP}/bookings",
        headers=key,
        json={
            "service_id": 1,
            "professional_id": 1,
            "start": "2026-12-02T16:00:00-03:00",
            "customer": {"name": "Beto", "phone": "11 5555-0101"},
        },
    )
    customer_id = made.json()["customer"]["id"]

    saved = await web.put(
        f"{SHOP}/customers/{customer_id}/notes", headers=key, json={"notes": "Alérgico al talco"}
    )

    assert saved.status_code == 200, saved.text
    row = (await trail(web, key))["items"][0]
    assert row["action"] == "customer.notes"
    assert row["after"] == {"notes_chars": 17}
    assert "talco" not in json.dumps(row)
