"""The daily purge of old personal data: message texts, outbox bodies and idle conversations
older than `BARBERPRO_RETENTION_DAYS` (domain/storage/retention.py does the work).

One `retention_purge` job a day at 04:00 Buenos Aires time (a quiet hour), keyed
`retention:<YYYY-MM-DD>` so planning it twice is one row: the app plans the next one when it
starts, and each run plans the one after, like the daily agenda.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta

from bot.daily_agenda import daily_due
from domain.ports import Clock
from domain.storage.jobs import Job, NewJob, schedule_jobs
from domain.storage.retention import purge
from domain.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

KIND = "retention_purge"
ZONE = "America/Argentina/Buenos_Aires"
HOUR = 4


def purge_job(after: datetime, first_day: date | None = None) -> NewJob:
    """The next daily purge job after `after`."""
    day, due = daily_due(ZONE, HOUR, after, first_day)
    return NewJob(KIND, f"retention:{day.isoformat()}", due, payload={"day": str(day)})


async def plan(uow_factory: UnitOfWorkFactory, clock: Clock) -> int:
    """At start: make sure the next daily purge is planned; returns how many new (0 or 1).

    A deployment without shops has no customers yet: nothing is planned until it has one.
    """
    async with uow_factory.read_only() as uow:
        if not await uow.catalog.list_shops():
            return 0
    return await schedule_jobs(uow_factory, [purge_job(clock.now())])


class Retention:
    """The handler of `retention_purge` jobs."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock, days: int) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.days = days

    async def run(self, job: Job) -> None:
        """Purge what is older than the retention period, then plan the next day's purge."""
        now = self.clock.now()
        purged = await purge(self.uow_factory, now - timedelta(days=self.days))
        log.info(
            "retention: %d inbound texts, %d outbox bodies, %d idle conversations purged",
            purged.inbound,
            purged.outbox,
            purged.conversations,
        )
        job_day = date.fromisoformat(str(job.payload["day"]))
        following = purge_job(max(now, job.due_at), job_day + timedelta(days=1))
        await schedule_jobs(self.uow_factory, [following])
