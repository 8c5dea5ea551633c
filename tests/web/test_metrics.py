"""/metrics: a platform key (or a port of its own), turns and webhooks counted where they happen,
the backlog read from the database, all in Prometheus's text format."""

from __future__ import annotations

import socket
from collections.abc import AsyncIterator, Iterator
from datetime import timedelta

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families
from prometheus_client.samples import Sample
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from domain import booking as use_cases
from domain.booking import BookingRequest, NewCustomer
from domain.storage.tables import JobRow, OutboxRow
from domain.storage.uow import UnitOfWorkFactory
from tests.fakes.mercadopago_api import TEST_ACCESS_TOKEN, TEST_WEBHOOK_SECRET, FakeMercadoPago
from tests.helpers import FixedClock, build_shop, platform_key, shop_key
from tests.web.chat import customer
from web.app import create_app


def samples(text: str) -> list[Sample]:
    """Every sample of an exposition, parsed by prometheus_client's own parser."""
    return [s for family in text_string_to_metric_families(text) for s in family.samples]


def value(text: str, name: str, **labels: str) -> float:
    """The one sample called `name` with exactly `labels`."""
    [found] = [s.value for s in samples(text) if s.name == name and s.labels == labels]
    return found


async def scrape(web: httpx.AsyncClient, key: str) -> str:
    """GET /metrics with `key`; the text."""
    response = await web.get("/metrics", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return response.text


@pytest.fixture
async def operator(engine: AsyncEngine, clock: FixedClock) -> str:
    """A platform key."""
    return await platform_key(engine, clock.now())


async def test_metrics_answer_a_platform_key_only(
    anonymous: httpx.AsyncClient,
    engine: AsyncEngine,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    operator: str,
) -> None:
    await build_shop(uow_factory, slug="corte")
    shop_admin = await shop_key(engine, "corte", clock.now())

    bare = await anonymous.get("/metrics")
    wrong = await anonymous.get("/metrics", headers={"Authorization": "Bearer bp_nope"})
    shop = await anonymous.get("/metrics", headers={"Authorization": f"Bearer {shop_admin}"})
    text = await scrape(anonymous, operator)

    assert (bare.status_code, bare.json()["error"]) == (401, "unauthorized")
    assert (wrong.status_code, wrong.json()["error"]) == (401, "unauthorized")
    assert (shop.status_code, shop.json()["error"]) == (403, "forbidden")
    assert value(text, "barberpro_chat_turns_total", channel="sandbox") == 0
    assert value(text, "barberpro_webhooks_total", source="telegram", outcome="forged") == 0


@pytest.mark.usefixtures("demo")
async def test_a_sandbox_turn_is_counted_and_timed(
    app_and_web: tuple[FastAPI, httpx.AsyncClient], operator: str
) -> None:
    _, web = app_and_web
    before = await scrape(web, operator)

    await customer(web, "metrics-ana", "Ana")  # two messages: «hola», then her name
    after = await scrape(web, operator)

    assert value(before, "barberpro_chat_turns_total", channel="sandbox") == 0
    assert value(after, "barberpro_chat_turns_total", channel="sandbox") == 2
    assert value(after, "barberpro_chat_turn_seconds_count", channel="sandbox") == 2
    assert value(after, "barberpro_chat_turn_seconds_sum", channel="sandbox") > 0
    assert value(after, "barberpro_chat_turn_seconds_bucket", channel="sandbox", le="+Inf") == 2
    assert value(after, "barberpro_chat_turns_total", channel="telegram") == 0
    labels = {v for sample in samples(after) for v in sample.labels.values()}
    assert not any("metrics-ana" in v or "Ana" in v for v in labels)  # no chat ids or names


@pytest.fixture
def fake_mp() -> Iterator[FakeMercadoPago]:
    with FakeMercadoPago() as fake:
        yield fake


@pytest.fixture
async def paying_app(
    database_url: str, clock: FixedClock, fake_mp: FakeMercadoPago
) -> AsyncIterator[httpx.AsyncClient]:
    """The app with Mercado Pago's webhook on."""
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        database_url=database_url,
        public_url="http://test",
        mercadopago_access_token=TEST_ACCESS_TOKEN,
        mercadopago_webhook_secret=TEST_WEBHOOK_SECRET,
        mercadopago_api_url=fake_mp.url,
    )
    app = create_app(settings, clock)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_webhooks_are_counted_by_outcome(
    paying_app: httpx.AsyncClient, fake_mp: FakeMercadoPago, clock: FixedClock, operator: str
) -> None:
    path, headers, body = fake_mp.notification(77, ts=int(clock.now().timestamp()))
    _, forged, _ = fake_mp.notification(77, ts=int(clock.now().timestamp()), tamper=True)

    refused = await paying_app.post(path, json=body, headers=forged)
    first = await paying_app.post(path, json=body, headers=headers)
    again = await paying_app.post(path, json=body, headers=headers)  # the same delivery
    text = await scrape(paying_app, operator)

    assert [refused.status_code, first.status_code, again.status_code] == [403, 200, 200]
    outcomes = {
        outcome: value(text, "barberpro_webhooks_total", source="mercadopago", outcome=outcome)
        for outcome in ("accepted", "forged", "duplicate", "error")
    }
    assert outcomes == {"accepted": 1, "forged": 1, "duplicate": 1, "error": 0}


async def test_backlog_gauges_are_read_from_the_database(
    anonymous: httpx.AsyncClient,
    uow_factory: UnitOfWorkFactory,
    engine: AsyncEngine,
    clock: FixedClock,
    operator: str,
) -> None:
    shop = await build_shop(uow_factory, slug="corte")
    now = clock.now()
    made = [
        await use_cases.book(
            uow_factory,
            clock,
            BookingRequest(
                shop.shop_id,
                shop.services["Corte"],
                NewCustomer(f"Cliente {n}", f"+54 9 11 5555-000{n}"),
                now + timedelta(days=1, hours=n),
            ),
        )
        for n in range(3)
    ]
    await use_cases.cancel(uow_factory, clock, made[0].id)
    # Seeded after the app started (it frees claims at start): claimed by a worker that is
    # not this app's, so its own loops leave them alone.
    later = now + timedelta(hours=1)
    async with engine.begin() as connection:
        for n, age in enumerate((600, 60)):
            await connection.execute(
                insert(OutboxRow).values(
                    channel="sandbox",
                    chat_id=f"c{n}",
                    payload="{}",
                    status="pending",
                    attempts=0,
                    created_at=now - timedelta(seconds=age),
                    due_at=later,
                )
            )
        await connection.execute(
            insert(JobRow).values(
                kind="elsewhere",
                key="late-job",
                payload="{}",
                due_at=now - timedelta(seconds=90),
                status="pending",
                attempts=0,
                claimed_by="another-process",
                claimed_until=later,
            )
        )

    text = await scrape(anonymous, operator)

    assert value(text, "barberpro_outbox_pending") == 2
    assert value(text, "barberpro_outbox_oldest_pending_age_seconds") == 600
    assert value(text, "barberpro_jobs_lag_seconds") == 90
    assert value(text, "barberpro_bookings", state="confirmed") == 2
    assert value(text, "barberpro_bookings", state="cancelled") == 1
    assert value(text, "barberpro_bookings", state="held") == 0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_a_metrics_port_serves_them_without_a_key(
    database_url: str, clock: FixedClock
) -> None:
    port = free_port()
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, database_url=database_url, metrics_port=port
    )
    app = create_app(settings, clock)
    async with app.router.lifespan_context(app), httpx.AsyncClient() as client:
        served = await client.get(f"http://127.0.0.1:{port}/metrics")
        elsewhere = await client.get(f"http://127.0.0.1:{port}/admin")

    assert served.status_code == 200
    assert value(served.text, "barberpro_outbox_pending") == 0
    assert elsewhere.status_code == 404
