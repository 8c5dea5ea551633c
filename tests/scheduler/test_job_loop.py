"""The job loop on the injected clock: runs what is due once, retries, fails, takes over."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.scheduler import BACKOFF, BATCH, BULK_BATCH, LEASE, MAX_ATTEMPTS, JobLoop
from domain.storage.engine import make_engine
from domain.storage.jobs import Job, NewJob, claim_due_jobs, finish_job, schedule_jobs
from domain.storage.tables import JobRow
from domain.storage.uow import UnitOfWorkFactory
from tests.conftest import T0
from tests.helpers import FixedClock

RACE_JOBS = 200


class Recorder:
    """A handler that notes every job it runs; it raises for the first `failures` runs."""

    def __init__(self, failures: int = 0) -> None:
        self.ran: list[int] = []
        self.failures = failures

    async def __call__(self, job: Job) -> None:
        self.ran.append(job.id)
        await asyncio.sleep(0)  # let concurrent rounds interleave
        if len(self.ran) <= self.failures:
            raise RuntimeError(f"boom {len(self.ran)}")


async def statuses(uow_factory: UnitOfWorkFactory) -> dict[str, tuple[str, int, str | None]]:
    """key → (status, attempts, last_error) of every job."""
    async with uow_factory.read_only() as uow:
        found = await uow.session.execute(
            select(JobRow.key, JobRow.status, JobRow.attempts, JobRow.last_error)
        )
        return {key: (status, attempts, error) for key, status, attempts, error in found}


async def test_due_jobs_run_once_and_future_ones_wait(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await schedule_jobs(
        uow_factory,
        [NewJob("ping", f"due-{n}", T0 - timedelta(minutes=n)) for n in range(120)]
        + [NewJob("ping", "later", T0 + timedelta(minutes=10))],
    )
    handler = Recorder()
    loop = JobLoop(uow_factory, clock, {"ping": handler}, 15)

    ran = await loop.run_once()  # more than one batch
    again = await loop.run_once()

    assert (ran, again, len(set(handler.ran))) == (120, 0, 120)
    clock.advance(minutes=10)
    assert await loop.run_once() == 1
    assert {s for s, _, _ in (await statuses(uow_factory)).values()} == {"done"}


async def test_a_failing_handler_is_retried_with_backoff_then_failed(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    await schedule_jobs(uow_factory, [NewJob("ping", "flaky", T0), NewJob("ping", "broken", T0)])
    flaky, broken = Recorder(failures=1), Recorder(failures=1000)
    handlers = {"ping": lambda job: (flaky if job.key == "flaky" else broken)(job)}
    loop = JobLoop(uow_factory, clock, handlers, 15)

    assert await loop.run_once() == 2
    assert await statuses(uow_factory) == {
        "flaky": ("pending", 1, "RuntimeError: boom 1"),
        "broken": ("pending", 1, "RuntimeError: boom 1"),
    }
    assert await loop.run_once() == 0  # not before the backoff
    clock.advance(seconds=BACKOFF.total_seconds())
    assert await loop.run_once() == 2
    assert (await statuses(uow_factory))["flaky"] == ("done", 2, "RuntimeError: boom 1")
    for _ in range(MAX_ATTEMPTS * 2):
        clock.advance(hours=1)
        await loop.run_once()

    assert len(broken.ran) == MAX_ATTEMPTS
    assert (await statuses(uow_factory))["broken"] == (
        "failed",
        MAX_ATTEMPTS,
        f"RuntimeError: boom {MAX_ATTEMPTS}",
    )
    assert "failed for good after 5 tries" in caplog.text


async def test_a_job_of_unknown_kind_is_failed_with_a_clear_line(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    await schedule_jobs(uow_factory, [NewJob("nonsense", "n:1", T0)])
    loop = JobLoop(uow_factory, clock, {}, 15)

    assert await loop.run_once() == 0

    assert await statuses(uow_factory) == {"n:1": ("failed", 1, "no handler for kind 'nonsense'")}
    assert "no handler for kind 'nonsense'" in caplog.text


async def test_a_job_whose_worker_died_is_run_by_another_after_the_lease(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await schedule_jobs(uow_factory, [NewJob("ping", "orphan", T0)])
    [claimed] = await claim_due_jobs(uow_factory, "dead-worker", T0, LEASE)  # then it died
    handler = Recorder()
    survivor = JobLoop(uow_factory, clock, {"ping": handler}, 15, worker_id="survivor")

    assert await survivor.run_once() == 0  # the claim still runs
    clock.advance(seconds=LEASE.total_seconds() + 1)
    assert await survivor.run_once() == 1

    assert handler.ran == [claimed.id]
    assert await statuses(uow_factory) == {"orphan": ("done", 2, None)}


async def test_a_job_that_keeps_killing_its_worker_is_failed_without_running(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    await schedule_jobs(uow_factory, [NewJob("ping", "poison", T0)])
    for n in range(MAX_ATTEMPTS):  # each claimer dies mid-run
        await claim_due_jobs(uow_factory, f"dead-{n}", clock.now(), LEASE)
        clock.advance(seconds=LEASE.total_seconds() + 1)
    handler = Recorder()

    assert await JobLoop(uow_factory, clock, {"ping": handler}, 15).run_once() == 0

    assert handler.ran == []
    assert await statuses(uow_factory) == {
        "poison": ("failed", MAX_ATTEMPTS + 1, f"{MAX_ATTEMPTS} runs never finished")
    }


async def race_two_loops(database_url: str, clock: FixedClock) -> None:
    """Two loops, each on its own engine (as two processes), run many rounds at once."""
    engines = [make_engine(database_url) for _ in range(2)]
    try:
        factories = [UnitOfWorkFactory(engine) for engine in engines]
        await schedule_jobs(
            factories[0],
            [NewJob("ping", f"job-{n}", T0 - timedelta(seconds=n)) for n in range(RACE_JOBS)],
        )
        handler = Recorder()
        loops = [
            JobLoop(factory, clock, {"ping": handler}, 15, worker_id=f"process-{n}")
            for n, factory in enumerate(factories)
        ]

        counts = await asyncio.gather(*(loop.run_once() for loop in loops for _ in range(4)))

        assert sum(counts) == RACE_JOBS
        assert len(handler.ran) == RACE_JOBS
        assert len(set(handler.ran)) == RACE_JOBS
        found = await statuses(factories[1])
        assert {status for status, _, _ in found.values()} == {"done"}
        assert {attempts for _, attempts, _ in found.values()} == {1}
    finally:
        for engine in engines:
            await engine.dispose()


@pytest.mark.postgres
async def test_two_loops_on_postgres_never_run_a_job_twice(
    database_url: str, dialect: str, clock: FixedClock
) -> None:
    if dialect != "postgresql":
        pytest.skip("FOR UPDATE SKIP LOCKED between processes is PostgreSQL's")
    await race_two_loops(database_url, clock)


async def test_two_loops_on_sqlite_take_turns(
    database_url: str, dialect: str, clock: FixedClock
) -> None:
    if dialect != "sqlite":
        pytest.skip("the PostgreSQL version of this race is the test above")
    await race_two_loops(database_url, clock)


async def test_logging_names_the_job(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    await schedule_jobs(uow_factory, [NewJob("ping", "reminder:7:x", T0)])
    caplog.set_level(logging.WARNING, logger="bot.scheduler")

    await JobLoop(uow_factory, clock, {"ping": Recorder(failures=1)}, 15).run_once()

    assert "reminder:7:x" in caplog.text
    assert "retried in 0:00:30" in caplog.text


class BatchRecorder:
    """A batch handler: closes the jobs it is given (as a real one does, in its own write) but
    hands back every tenth to the one-by-one handler."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: FixedClock) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.sizes: list[int] = []
        self.handed_back: list[int] = []

    async def __call__(self, jobs: Sequence[Job], worker: str) -> list[Job]:
        self.sizes.append(len(jobs))
        left = [job for n, job in enumerate(jobs) if n % 10 == 0]
        for job in jobs:
            if job not in left:
                assert await finish_job(self.uow_factory, job.id, worker, self.clock.now())
        self.handed_back.extend(job.id for job in left)
        return left


async def test_a_kind_with_a_batch_handler_is_claimed_and_run_in_bulk_the_others_one_by_one(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    bulk_jobs, single_jobs = BULK_BATCH + 30, BATCH + 5
    await schedule_jobs(
        uow_factory,
        [NewJob("bulk", f"bulk-{n}", T0 - timedelta(seconds=n)) for n in range(bulk_jobs)]
        + [NewJob("ping", f"ping-{n}", T0 - timedelta(seconds=n)) for n in range(single_jobs)],
    )
    batch, one_by_one = BatchRecorder(uow_factory, clock), Recorder()
    loop = JobLoop(
        uow_factory,
        clock,
        {"bulk": one_by_one, "ping": one_by_one},
        15,
        batch_handlers={"bulk": batch},
    )

    assert await loop.run_once() == bulk_jobs + single_jobs

    assert batch.sizes == [BULK_BATCH, bulk_jobs - BULK_BATCH]
    async with uow_factory.read_only() as uow:
        kind_of = dict((await uow.session.execute(select(JobRow.id, JobRow.kind))).all())
    ran_alone = [kind_of[job] for job in one_by_one.ran]
    assert sorted(one_by_one.ran) == sorted(
        batch.handed_back + [j for j, kind in kind_of.items() if kind == "ping"]
    )
    assert ran_alone.count("bulk") == len(batch.handed_back) == 20 + 3
    assert {status for status, _, _ in (await statuses(uow_factory)).values()} == {"done"}


async def test_a_batch_handler_that_raises_leaves_its_jobs_to_the_one_by_one_handler(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    await schedule_jobs(uow_factory, [NewJob("bulk", f"b-{n}", T0) for n in range(7)])

    async def broken(jobs: Sequence[Job], worker: str) -> list[Job]:
        raise RuntimeError("the batch broke")

    one_by_one = Recorder()
    loop = JobLoop(uow_factory, clock, {"bulk": one_by_one}, 15, batch_handlers={"bulk": broken})

    assert await loop.run_once() == 7

    assert len(one_by_one.ran) == 7
    assert {status for status, _, _ in (await statuses(uow_factory)).values()} == {"done"}
    assert "a batch of 7 'bulk' jobs failed (RuntimeError: the batch broke)" in caplog.text
