"""Dashboard accounts over HTTP: sessions and their timeouts, CSRF, roles, one-time links."""

from __future__ import annotations

import asyncio
import re
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI

from bot.passwords import hash_password
from domain.accounts import Role
from domain.storage.accounts import OneTimeLink, create_user, make_link
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock

pytestmark = pytest.mark.usefixtures("demo")
PASSWORD = "tijera-y-peine-2026"


async def user(uow_factory: UnitOfWorkFactory, clock: FixedClock, email: str, role: Role) -> None:
    hashed = await asyncio.to_thread(hash_password, PASSWORD)
    shop = None if role is Role.OPERATOR else 1
    professional = 1 if role is Role.PROFESSIONAL else None
    await create_user(uow_factory, email, hashed, role, shop, clock.now(), professional)


async def log_in(web: httpx.AsyncClient, email: str, password: str = PASSWORD) -> httpx.Response:
    form = await web.get("/admin/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token, form.text
    return await web.post(
        "/admin/login",
        data={"email": email, "password": password, "csrf": token[1], "next": "/admin/status"},
    )


def csrf_of(page: httpx.Response) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found, page.text
    return found[1]


async def test_a_login_opens_a_new_http_only_session_that_leads_where_it_was_going(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await user(uow_factory, clock, "dueno@x.test", Role.OWNER)

    first = await log_in(web, "DUENO@x.test ")
    cookie = first.cookies["bp_admin"]
    second = await log_in(web, "dueno@x.test")

    assert first.status_code == 303
    assert first.headers["location"] == "/admin/status"
    set_cookie = first.headers["set-cookie"]
    assert "HttpOnly" in set_cookie
    assert "SameSite=lax" in set_cookie
    assert "Path=/admin" in set_cookie
    assert "Secure" not in set_cookie  # http://127.0.0.1 in tests
    assert second.cookies["bp_admin"] != cookie  # a new session id at every login
    assert (await web.get("/admin/status")).status_code == 200


async def test_a_session_ends_after_30_idle_minutes_or_12_hours(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await user(uow_factory, clock, "dueno@x.test", Role.OWNER)
    await log_in(web, "dueno@x.test")

    clock.advance(minutes=29)
    assert (await web.get("/admin/status")).status_code == 200
    clock.advance(minutes=29)  # used 29 minutes ago: still alive
    assert (await web.get("/admin/status")).status_code == 200
    clock.advance(minutes=31)
    idle = await web.get("/admin/status")
    assert idle.status_code == 303
    assert idle.headers["location"].startswith("/admin/login?next=/admin/status")

    await log_in(web, "dueno@x.test")
    for _ in range(25):  # busy all day: every 29 minutes
        clock.advance(minutes=29)
        if (await web.get("/admin/status")).status_code != 200:
            break
    assert (await web.get("/admin/status")).status_code == 303  # 12 hours after the login


async def test_a_post_without_its_csrf_token_is_refused_and_changes_nothing(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await user(uow_factory, clock, "dueno@x.test", Role.OWNER)
    await log_in(web, "dueno@x.test")

    forged = await web.post("/admin/logout", data={"csrf": "not-the-token"})
    missing = await web.post("/admin/logout")

    assert forged.status_code == 403
    assert "Ese formulario venció" in forged.text
    assert missing.status_code == 403
    assert (await web.get("/admin/status")).status_code == 200  # still logged in


async def test_logging_out_everywhere_ends_every_session_of_the_user(
    app: FastAPI, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await user(uow_factory, clock, "dueno@x.test", Role.OWNER)
    transport = httpx.ASGITransport(app=app)
    async with (
        httpx.AsyncClient(transport=transport, base_url="http://test") as phone,
        httpx.AsyncClient(transport=transport, base_url="http://test") as laptop,
    ):
        await log_in(phone, "dueno@x.test")
        await log_in(laptop, "dueno@x.test")
        page = await phone.get("/admin/status")

        out = await phone.post("/admin/logout-everywhere", data={"csrf": csrf_of(page)})

        assert out.headers["location"] == "/admin/login?notice=logged_out_everywhere"
        assert (await laptop.get("/admin/status")).status_code == 303


async def test_a_professional_cannot_open_the_shops_status(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await user(uow_factory, clock, "tincho@x.test", Role.PROFESSIONAL)
    await log_in(web, "tincho@x.test")

    refused = await web.get("/admin/status")

    assert refused.status_code == 403
    assert "Tu rol en el local no abre esta página." in refused.text


async def test_an_operator_chooses_the_shop_to_look_at(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await user(uow_factory, clock, "ops@x.test", Role.OPERATOR)
    logged = await log_in(web, "ops@x.test")
    assert logged.headers["location"] == "/admin/shops"
    assert (await web.get("/admin/status")).headers["location"] == "/admin/shops"
    shops = await web.get("/admin/shops")
    assert "Barbería Don Julio (Palermo)" in shops.text

    chosen = await web.post("/admin/shops", data={"csrf": csrf_of(shops), "slug": "don-julio"})

    assert chosen.status_code == 303
    assert (await web.get("/admin/status")).status_code == 200


async def test_an_invitation_link_sets_a_password_once_and_logs_in(
    web: httpx.AsyncClient, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    invite = OneTimeLink("invite", "lu@x.test", Role.MANAGER, 1, None)
    secret = await make_link(uow_factory, invite, clock.now(), timedelta(days=1))

    form = await web.get(f"/admin/link/{secret}")
    short = await web.post(f"/admin/link/{secret}", data={"password": "corta", "again": "corta"})
    done = await web.post(f"/admin/link/{secret}", data={"password": PASSWORD, "again": PASSWORD})
    again = await web.get(f"/admin/link/{secret}")

    assert "Para lu@x.test" in form.text
    assert short.status_code == 422
    assert done.status_code == 303
    assert (await web.get("/admin/status")).status_code == 200  # a manager sees the status
    assert again.status_code == 404
