"""The background loop: claims due jobs from the database and runs each with its handler.

APScheduler only drives the loop: one interval job in a memory job store, first run at start
(so work that came due while the app was down runs at once), never skipped for being late
(`misfire_grace_time=None`: the default one-second grace would silently drop a late run). The
jobs themselves are rows (domain/storage/jobs.py), so a restart or a second process loses and
duplicates nothing. A handler that raises is retried with backoff, then failed; a job whose
kind has no handler is failed at once. Time comes from the app's injected clock.

A kind may also have a batch handler (reminders do): the claimed jobs of that kind go to it
together, it closes in one transaction the ones it could do, and hands back the rest, which run
one by one through the kind's handler. A batch handler that raises hands back all of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import secrets
import socket
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import UTC, datetime, timedelta

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from domain.ports import Clock
from domain.storage.jobs import Job, claim_due_jobs, fail_job, finish_job, retry_job
from domain.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

Handler = Callable[[Job], Awaitable[None]]
# Runs claimed jobs of one kind together, closing those it did itself (only while the worker,
# its second argument, still holds them); returns the jobs left to the one-by-one handler.
BatchHandler = Callable[[Sequence[Job], str], Awaitable[Sequence[Job]]]

# A claim lasts LEASE: a handler must finish well within it, or another process may run the
# job again (handlers are idempotent, so that costs time, not a duplicate effect).
LEASE = timedelta(minutes=5)
BATCH = 50  # jobs claimed at once for one-by-one handlers: all of them run within one LEASE
# Jobs of a kind with a batch handler claimed at once: it does them all in a few statements
# (10,000 reminders due at one minute go in 50 batches), and on SQLite its one write holds the
# database's write lock a few milliseconds (a chat turn waits that long at most).
BULK_BATCH = 200
MAX_ATTEMPTS = 5
BACKOFF = timedelta(seconds=30)  # 30 s, 1, 2, 4 min … between attempts, at most MAX_BACKOFF
MAX_BACKOFF = timedelta(hours=1)
STOP_WAIT_SECONDS = 10.0
APSCHEDULER_JOB_ID = "barberpro-jobs"


def default_worker_id() -> str:
    """Host, process and a random tag: unique per running loop, readable in the jobs table."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(4)}"


def _reason(error: Exception) -> str:
    """What went wrong, for the log: a database error without its statement's parameters (a
    batch's are chat ids, which on WhatsApp are phone numbers, and message texts)."""
    if isinstance(error, DBAPIError):
        return f"{type(error).__name__}: {type(error.orig).__name__}: {error.orig}"
    if isinstance(error, SQLAlchemyError):
        return type(error).__name__
    return f"{type(error).__name__}: {error}"


def backoff(attempts: int) -> timedelta:
    """How long to wait before the next attempt after `attempts` failed ones."""
    return min(MAX_BACKOFF, BACKOFF * (1 << min(max(attempts - 1, 0), 20)))


class JobLoop:
    """Runs due jobs: `run_once()` for one round, `start()`/`stop()` for the APScheduler loop."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        handlers: Mapping[str, Handler],
        interval_seconds: float,
        worker_id: str | None = None,
        batch_handlers: Mapping[str, BatchHandler] | None = None,
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.handlers = handlers
        self.batch_handlers = dict(batch_handlers or {})
        self.interval_seconds = interval_seconds
        self.worker_id = worker_id or default_worker_id()
        self.rounds = 0  # rounds completed by the background loop
        self._scheduler: AsyncIOScheduler | None = None
        self._round: asyncio.Task[None] | None = None

    async def run_once(self) -> int:
        """Claim what is due and run it, batch after batch; returns how many jobs ran."""
        ran = 0
        bulk_kinds = list(self.batch_handlers)
        while True:
            bulk: list[Job] = []
            if bulk_kinds:
                bulk = await claim_due_jobs(
                    self.uow_factory,
                    self.worker_id,
                    self.clock.now(),
                    LEASE,
                    BULK_BATCH,
                    kinds=bulk_kinds,
                )
            single = await claim_due_jobs(
                self.uow_factory,
                self.worker_id,
                self.clock.now(),
                LEASE,
                BATCH,
                other_than=bulk_kinds,
            )
            ran += await self._run_all(bulk + single)
            if len(bulk) < BULK_BATCH and len(single) < BATCH:  # nothing more was due
                return ran

    async def _run_all(self, jobs: Sequence[Job]) -> int:
        """Run a claim's jobs: those of a kind with a batch handler together, the rest (and
        what the batch handler left) one by one; returns how many ran."""
        groups: dict[str, list[Job]] = {}
        single: list[Job] = []
        for job in jobs:
            # (a job whose earlier runs died goes one by one: `_run` fails it)
            if job.kind in self.batch_handlers and job.attempts <= MAX_ATTEMPTS:
                groups.setdefault(job.kind, []).append(job)
            else:
                single.append(job)
        ran = 0
        for kind, group in groups.items():
            try:
                left = list(await self.batch_handlers[kind](group, self.worker_id))
            except Exception as error:  # the one-by-one path still runs them, with its retries
                log.warning(
                    "jobs: a batch of %d %r jobs failed (%s); running them one by one",
                    len(group),
                    kind,
                    _reason(error),
                )
                left = group
            ran += len(group) - len(left)
            single.extend(left)
        for job in single:
            if await self._run(job):
                ran += 1
        return ran

    async def _run(self, job: Job) -> bool:
        """Run one claimed job and record the outcome; False when it could not be run."""
        handler = self.handlers.get(job.kind)
        if handler is None:
            log.error("job %s (%s): no handler for kind %r; failed", job.id, job.key, job.kind)
            await self._fail(job, f"no handler for kind {job.kind!r}")
            return False
        if job.attempts > MAX_ATTEMPTS:  # earlier runs died before they could say how it went
            runs = job.attempts - 1
            log.error("job %s (%s): %d runs never finished; failed", job.id, job.key, runs)
            await self._fail(job, f"{runs} runs never finished")
            return False
        try:
            await handler(job)
        except Exception as error:  # a failing job must not stop the others
            await self._after_error(job, error)
        else:
            if not await finish_job(self.uow_factory, job.id, self.worker_id, self.clock.now()):
                log.warning(
                    "job %s (%s): ran, but was cancelled or its lease ran out", job.id, job.key
                )
        return True

    async def _after_error(self, job: Job, error: Exception) -> None:
        """Retry a job whose handler raised, with backoff; fail it after MAX_ATTEMPTS."""
        reason = f"{type(error).__name__}: {error}"
        if job.attempts >= MAX_ATTEMPTS:
            log.error(
                "job %s (%s) failed for good after %d tries",
                job.id,
                job.key,
                job.attempts,
                exc_info=error,
            )
            await self._fail(job, reason)
            return
        delay = backoff(job.attempts)
        # One line per retry (a channel or gateway down for a while is expected); the
        # traceback goes with the final failure.
        log.warning(
            "job %s (%s) failed (try %d), retried in %s: %s",
            job.id,
            job.key,
            job.attempts,
            delay,
            reason,
        )
        await retry_job(self.uow_factory, job.id, self.worker_id, self.clock.now() + delay, reason)

    async def _fail(self, job: Job, reason: str) -> None:
        """Give up on a job for good."""
        await fail_job(self.uow_factory, job.id, self.worker_id, self.clock.now(), reason)

    def start(self) -> None:
        """Start the APScheduler loop (needs a running event loop); the first round runs now."""
        scheduler = AsyncIOScheduler(timezone=UTC)  # memory job store, asyncio executor
        scheduler.add_job(
            self._tick,
            "interval",
            seconds=self.interval_seconds,
            id=APSCHEDULER_JOB_ID,
            max_instances=1,
            coalesce=True,
            misfire_grace_time=None,
            next_run_time=datetime.now(UTC),  # APScheduler runs on real time, not our clock
            replace_existing=True,
        )
        scheduler.start()
        self._scheduler = scheduler

    async def _tick(self) -> None:
        """APScheduler's job: start a round unless one is still running; returns at once.

        The round runs in our own task, so stopping the scheduler never cancels it half-way.
        """
        if self._round is None or self._round.done():
            self._round = asyncio.create_task(self._guarded_round(), name="jobs")
        else:
            log.info("jobs: the previous round is still running; skipping this tick")

    async def _guarded_round(self) -> None:
        """One round of the background loop; an error is logged and the next tick tries again."""
        try:
            await self.run_once()
        except SQLAlchemyError as error:  # not migrated yet, database away: try next tick
            log.error("jobs round failed: %s: %s", type(error).__name__, error)
        except Exception:
            log.exception("jobs round failed; trying again next tick")
        self.rounds += 1

    async def stop(self) -> None:
        """Stop the loop; a round in progress gets STOP_WAIT_SECONDS to finish."""
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            # Pause first, then let any tick already handed to the event loop take its one step:
            # shutting down cancels ticks not yet started, which APScheduler logs as errors.
            scheduler.pause()
            await asyncio.sleep(0)
            scheduler.shutdown(wait=False)
            await asyncio.sleep(0)  # AsyncIOScheduler shuts down on the loop's next turn
        round_ = self._round
        if round_ is None or round_.done():
            return
        done, _ = await asyncio.wait({round_}, timeout=STOP_WAIT_SECONDS)
        if not done:
            log.warning("jobs: stopping mid-round; its claims run out after %s", LEASE)
            round_.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await round_
