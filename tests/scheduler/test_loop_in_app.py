"""The loop inside the app: it starts with the app, catches up at once, fires on its interval."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import insert

from bot.scheduler import Handler, JobLoop
from bot.settings import Settings
from domain.storage.jobs import Job, NewJob, claim_due_jobs, fail_job, schedule_jobs
from domain.storage.tables import JobRow
from domain.storage.uow import UnitOfWorkFactory
from tests.conftest import T0
from tests.helpers import FixedClock
from web.app import create_app

WAIT_SECONDS = 5.0


async def eventually(condition: Callable[[], bool], seconds: float = WAIT_SECONDS) -> None:
    """Wait (in real time) until `condition()` holds; fail after `seconds`."""
    async with asyncio.timeout(seconds):
        while True:
            if condition():
                return
            await asyncio.sleep(0.02)


@asynccontextmanager
async def running_app(
    database_url: str, clock: FixedClock, handlers: Mapping[str, Handler], interval: int
) -> AsyncIterator[httpx.AsyncClient]:
    """The real app (lifespan and all) with these job handlers."""
    settings = Settings(
        database_url=database_url,
        scheduler_interval_seconds=interval,
        _env_file=None,  # type: ignore[call-arg]
    )
    app = create_app(settings, clock, job_handlers=handlers)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_jobs_that_came_due_while_the_app_was_down_run_at_start(
    database_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await schedule_jobs(
        uow_factory,
        [NewJob("ping", f"missed-{n}", T0 - timedelta(hours=1, minutes=n)) for n in range(3)]
        + [NewJob("ping", "tomorrow", T0 + timedelta(days=1))],
    )
    ran: list[str] = []

    async def ping(job: Job) -> None:
        ran.append(job.key)

    # An hour-long interval: only the run at start can catch these up within the wait.
    async with running_app(database_url, clock, {"ping": ping}, interval=3600):
        await eventually(lambda: len(ran) == 3)

    assert ran == ["missed-2", "missed-1", "missed-0"]  # oldest first


async def test_readiness_shows_the_jobs(
    database_url: str, uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await schedule_jobs(uow_factory, [NewJob("ping", "broken", T0 - timedelta(days=1))])
    [broken] = await claim_due_jobs(uow_factory, "w", T0, timedelta(minutes=1))
    await fail_job(uow_factory, broken.id, "w", T0, "boom")
    await schedule_jobs(uow_factory, [NewJob("ping", "tomorrow", T0 + timedelta(days=1))])

    async with running_app(database_url, clock, {}, interval=3600) as client:
        # Another process holds an overdue job (claimed as it is written, so the app's own
        # loop cannot run it away; on SQLite a starting app frees older claims, so after start).
        async with uow_factory() as uow:
            await uow.session.execute(
                insert(JobRow).values(
                    kind="ping",
                    key="stuck",
                    payload="{}",
                    due_at=T0 - timedelta(hours=1),
                    status="pending",
                    attempts=1,
                    claimed_by="elsewhere",
                    claimed_until=T0 + timedelta(hours=1),
                )
            )
            await uow.commit()
        body = (await client.get("/readyz")).json()

    assert body["jobs"] == {"pending": 2, "overdue": 1, "failed": 1}


async def test_the_apscheduler_loop_fires_on_its_interval(
    database_url: str,
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO)
    ran: list[str] = []

    async def ping(job: Job) -> None:
        ran.append(job.key)

    loop = JobLoop(uow_factory, clock, {"ping": ping}, interval_seconds=1)
    loop.start()
    try:
        await eventually(lambda: loop.rounds >= 1)  # the round at start, with nothing due
        await schedule_jobs(uow_factory, [NewJob("ping", "now", clock.now())])
        # A later tick runs it; `rounds` counts a round once it has ended, so wait for that too.
        await eventually(lambda: ran == ["now"] and loop.rounds >= 2)
    finally:
        await loop.stop()

    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert "Scheduler has been shut down" in caplog.text
