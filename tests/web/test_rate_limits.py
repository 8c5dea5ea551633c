"""Abuse limits over HTTP: REST API keys and addresses, sandbox chats, dashboard logins.

Each app here has budgets small enough that a burst passes them at once, so nothing waits for
the limiter's clock: the tests count answers, never seconds.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.passwords import hash_password
from domain.accounts import Role
from domain.storage.accounts import create_user
from domain.storage.tables import ConversationRow
from domain.storage.uow import UnitOfWorkFactory
from tests.helpers import FixedClock, platform_key
from tests.web.chat import sandbox_app

pytestmark = pytest.mark.usefixtures("demo")
ATTACKER = "203.0.113.7"
NEIGHBOUR = "198.51.100.20"
PASSWORD = "tijera-y-peine-2026"


@asynccontextmanager
async def limited_app(
    database_url: str, clock: FixedClock, **limits: Any
) -> AsyncIterator[Callable[[str], httpx.AsyncClient]]:
    """The app with these budgets; yields a maker of clients calling from a given address."""
    async with sandbox_app(database_url, clock, **limits) as (app, _):
        clients: list[httpx.AsyncClient] = []

        def from_address(address: str) -> httpx.AsyncClient:
            transport = httpx.ASGITransport(app=app, client=(address, 40_000))
            client = httpx.AsyncClient(transport=transport, base_url="http://test")
            clients.append(client)
            return client

        try:
            yield from_address
        finally:
            for client in clients:
                await client.aclose()


def assert_rate_limited(response: httpx.Response, window_seconds: int) -> None:
    """429, the API's JSON error, and a whole number of seconds to wait within the window."""
    assert response.status_code == 429, response.text
    assert response.json()["error"] == "rate_limited"
    assert response.json()["detail"]
    assert 1 <= int(response.headers["Retry-After"]) <= window_seconds


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


async def burst(
    client: httpx.AsyncClient, count: int, path: str, **kw: Any
) -> list[httpx.Response]:
    """`count` requests at once (as a script would fire them)."""
    return list(await asyncio.gather(*(client.get(path, **kw) for _ in range(count))))


# ---- REST API ----------------------------------------------------------------------------


async def test_a_burst_of_wrong_keys_is_refused_after_the_failure_budget(
    database_url: str, clock: FixedClock
) -> None:
    async with limited_app(database_url, clock, rate_limit_api_auth_failures="5/minute") as at:
        attacker = at(ATTACKER)

        answers = await burst(attacker, 300, "/api/v1/shops", headers=bearer("bp_guess"))

    statuses = Counter(r.status_code for r in answers)
    assert statuses == {401: 5, 429: 295}
    for refused in (r for r in answers if r.status_code == 429):
        assert_rate_limited(refused, 60)


async def test_a_valid_key_elsewhere_keeps_working_while_an_address_guesses_keys(
    database_url: str, clock: FixedClock, engine: AsyncEngine
) -> None:
    key = await platform_key(engine, clock.now())
    async with limited_app(database_url, clock, rate_limit_api_auth_failures="3/minute") as at:
        attacker, integration = at(ATTACKER), at(NEIGHBOUR)
        await burst(attacker, 300, "/api/v1/shops")  # no key at all: failures too

        served = await burst(integration, 20, "/api/v1/shops", headers=bearer(key))
        # The guessing address is stopped before any key is looked at, even a right one.
        stopped = await attacker.get("/api/v1/shops", headers=bearer(key))

    assert [r.status_code for r in served] == [200] * 20, served[0].text
    assert_rate_limited(stopped, 60)


async def test_each_key_has_its_own_budget(
    database_url: str, clock: FixedClock, engine: AsyncEngine
) -> None:
    busy, calm = await platform_key(engine, clock.now()), await platform_key(engine, clock.now())
    async with limited_app(database_url, clock, rate_limit_api_key="4/minute") as at:
        client = at(NEIGHBOUR)

        answers = await burst(client, 10, "/api/v1/shops", headers=bearer(busy))
        other = await client.get("/api/v1/shops", headers=bearer(calm))

    assert Counter(r.status_code for r in answers) == {200: 4, 429: 6}
    assert_rate_limited(next(r for r in answers if r.status_code == 429), 60)
    assert other.status_code == 200


async def test_each_address_has_a_budget_whatever_keys_it_uses(
    database_url: str, clock: FixedClock, engine: AsyncEngine
) -> None:
    keys = [await platform_key(engine, clock.now(), f"k{n}") for n in range(3)]
    async with limited_app(database_url, clock, rate_limit_api_address="6/hour") as at:
        client = at(ATTACKER)

        answers = [await client.get("/api/v1/shops", headers=bearer(keys[n % 3])) for n in range(9)]
        elsewhere = await at(NEIGHBOUR).get("/api/v1/shops", headers=bearer(keys[0]))

    assert [r.status_code for r in answers] == [200] * 6 + [429] * 3
    assert_rate_limited(answers[-1], 3600)
    assert elsewhere.status_code == 200


async def test_the_openapi_documents_the_429_of_every_limited_route(
    database_url: str, clock: FixedClock
) -> None:
    async with limited_app(database_url, clock) as at:
        schema = (await at(NEIGHBOUR).get("/openapi.json")).json()

    limited = {
        (path, method): operation["responses"].get("429")
        for path, operations in schema["paths"].items()
        if path.startswith(("/api/v1", "/sandbox/chats/{chat_id}/messages"))
        for method, operation in operations.items()
    }
    assert limited
    assert all(limited.values()), [where for where, doc in limited.items() if not doc]
    documented = limited["/api/v1/shops", "get"]
    assert documented is not None
    assert documented["headers"]["Retry-After"]["schema"]["type"] == "integer"


# ---- sandbox -----------------------------------------------------------------------------


async def conversations(uow_factory: UnitOfWorkFactory) -> int:
    async with uow_factory.read_only() as uow:
        count: int = await uow.session.scalar(select(func.count()).select_from(ConversationRow))
    return count


async def test_new_chats_from_one_address_stop_at_the_budget_and_write_nothing_more(
    database_url: str, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    async with limited_app(database_url, clock, rate_limit_sandbox_new_chats="10/hour") as at:
        attacker = at(ATTACKER)
        before = await conversations(uow_factory)

        answers = [
            await attacker.post(f"/sandbox/chats/spam-{n}/messages", json={"text": "hola"})
            for n in range(300)
        ]
        rows = await conversations(uow_factory)
        old_chat = await attacker.post("/sandbox/chats/spam-0/messages", json={"text": "Ana"})
        neighbour = await at(NEIGHBOUR).post("/sandbox/chats/n-1/messages", json={"text": "hola"})

    assert [r.status_code for r in answers] == [200] * 10 + [429] * 290
    assert_rate_limited(answers[-1], 3600)
    assert rows - before == 10
    assert old_chat.status_code == 200  # a chat already open is not new: it carries on
    assert neighbour.status_code == 200


async def test_a_chat_known_from_before_the_restart_is_not_new(
    database_url: str, clock: FixedClock
) -> None:
    async with limited_app(database_url, clock) as at:
        assert (
            await at(ATTACKER).post("/sandbox/chats/ana/messages", json={"text": "hola"})
        ).is_success
    async with limited_app(database_url, clock, rate_limit_sandbox_new_chats="1/hour") as at:
        client = at(ATTACKER)
        await client.post("/sandbox/chats/bruno/messages", json={"text": "hola"})  # the one new

        again = await client.post("/sandbox/chats/ana/messages", json={"text": "Ana"})
        another = await client.post("/sandbox/chats/carla/messages", json={"text": "hola"})

    assert again.status_code == 200
    assert another.status_code == 429


async def test_a_burst_of_messages_in_one_chat_is_refused_after_the_chat_budget(
    database_url: str, clock: FixedClock
) -> None:
    async with limited_app(database_url, clock, rate_limit_sandbox_chat="8/minute") as at:
        client = at(NEIGHBOUR)

        answers = [
            await client.post("/sandbox/chats/ana/messages", json={"text": "hola"})
            for _ in range(30)
        ]
        other_chat = await client.post("/sandbox/chats/bruno/messages", json={"text": "hola"})

    assert [r.status_code for r in answers] == [200] * 8 + [429] * 22
    assert_rate_limited(answers[-1], 60)
    assert other_chat.status_code == 200


# ---- dashboard login ---------------------------------------------------------------------


async def owner(uow_factory: UnitOfWorkFactory, clock: FixedClock, email: str) -> None:
    hashed = await asyncio.to_thread(hash_password, PASSWORD)
    await create_user(uow_factory, email, hashed, Role.OWNER, 1, clock.now())


async def log_in(web: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    form = await web.get("/admin/login")
    token = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert token, form.text
    data = {"email": email, "password": password, "csrf": token[1], "next": "/admin/status"}
    return await web.post("/admin/login", data=data)


def assert_throttled_page(response: httpx.Response) -> None:
    """429 with Retry-After, the login page saying (in voseo) how long to wait."""
    assert response.status_code == 429, response.text
    assert 60 <= int(response.headers["Retry-After"]) <= 15 * 60
    assert "Demasiados intentos fallidos. Probá de nuevo en 15 minutos." in response.text


async def test_guessing_one_accounts_password_is_refused_with_429(
    database_url: str, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    await owner(uow_factory, clock, "dueno@x.test")
    async with limited_app(database_url, clock, login_failures_per_account=3) as at:
        attacker, owner_at_home = at(ATTACKER), at(NEIGHBOUR)

        guesses = [await log_in(attacker, "dueno@x.test", f"guess-{n}") for n in range(6)]
        right_one_too_late = await log_in(owner_at_home, "dueno@x.test", PASSWORD)

    assert [r.status_code for r in guesses] == [401] * 3 + [429] * 3
    assert_throttled_page(guesses[-1])
    assert_throttled_page(right_one_too_late)  # the account is shut for a while, anywhere


async def test_trying_many_accounts_from_one_address_is_refused_with_429(
    database_url: str, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    await owner(uow_factory, clock, "dueno@x.test")
    async with limited_app(database_url, clock, login_failures_per_address=4) as at:
        attacker = at(ATTACKER)

        guesses = [await log_in(attacker, f"user{n}@x.test", "guess") for n in range(8)]
        owner_elsewhere = await log_in(at(NEIGHBOUR), "dueno@x.test", PASSWORD)

    assert [r.status_code for r in guesses] == [401] * 4 + [429] * 4
    assert_throttled_page(guesses[-1])
    assert owner_elsewhere.status_code == 303  # logged in: the address, not the account


async def test_guesses_sent_all_at_once_meet_the_failures_before_them(
    database_url: str, clock: FixedClock, uow_factory: UnitOfWorkFactory
) -> None:
    await owner(uow_factory, clock, "dueno@x.test")
    async with limited_app(database_url, clock, login_failures_per_account=3) as at:
        guesses = await asyncio.gather(
            *(log_in(at(ATTACKER), "dueno@x.test", f"guess-{n}") for n in range(30))
        )

    assert Counter(r.status_code for r in guesses) == {401: 3, 429: 27}
