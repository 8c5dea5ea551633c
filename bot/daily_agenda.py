"""The daily agenda: each morning (the shop's `agenda_hour`, shop time) every linked professional
gets the day's turnos in their chat, and the owner's chat the whole shop's.

One `daily_agenda` job per shop and local day, keyed `agenda:<shop>:<YYYY-MM-DD>`, so planning
it twice is one row: the app plans each shop's next one when it starts, and each run plans the
one after. An agenda sent before noon lists that day; one set for the afternoon or evening
lists the next day (what the professional wants to know by then). Days without turnos send
nothing to that chat (no daily "you have no turnos" noise). The outbox dedupe key (job and chat)
makes a run that repeats send once.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.staff_desk import StaffDesk
from domain.model import Shop
from domain.ports import Clock
from domain.storage.channels import OutboxMessage, enqueue_messages, keyed, shop_staff_links
from domain.storage.jobs import Job, NewJob, schedule_jobs
from domain.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

KIND = "daily_agenda"
NEXT_DAY_FROM_HOUR = 12  # an agenda hour from noon on announces tomorrow


def agenda_due(
    shop: Shop, after: datetime, first_day: date | None = None
) -> tuple[date, datetime] | None:
    """The first local day (from `first_day` on) whose agenda time (UTC) is strictly after
    `after`, with that time; None when the shop has the agenda off."""
    hour = shop.policy.agenda_hour
    if hour is None or not 0 <= hour <= 23:
        return None
    return daily_due(shop.timezone, hour, after, first_day)


def daily_due(
    timezone: str, hour: int, after: datetime, first_day: date | None = None
) -> tuple[date, datetime]:
    """The first local day (from `first_day` on) whose `hour` o'clock in `timezone` is strictly
    after `after`, with that instant in UTC.

    A wall-clock hour skipped by a DST change resolves to the same instant as the hour before it
    plus one (zoneinfo's fold=0), so it still comes.
    """
    zone = ZoneInfo(timezone)
    day = after.astimezone(zone).date() - timedelta(days=1)
    if first_day is not None:
        day = max(day, first_day)
    while True:
        due = datetime.combine(day, time(hour), tzinfo=zone).astimezone(UTC)
        if due > after:
            return day, due
        day += timedelta(days=1)


def agenda_job(shop: Shop, after: datetime, first_day: date | None = None) -> NewJob | None:
    """The shop's next daily agenda job after `after` (None when the agenda is off)."""
    found = agenda_due(shop, after, first_day)
    if found is None:
        return None
    day, due = found
    return NewJob(
        KIND, f"agenda:{shop.id}:{day.isoformat()}", due, shop_id=shop.id, payload={"day": str(day)}
    )


async def plan_all(uow_factory: UnitOfWorkFactory, clock: Clock) -> int:
    """At start: make sure every shop with the agenda on has its next one; returns how many new."""
    async with uow_factory.read_only() as uow:
        shops = await uow.catalog.list_shops()
    now = clock.now()
    jobs = [job for job in (agenda_job(shop, now) for shop in shops) if job is not None]
    return await schedule_jobs(uow_factory, jobs)


class DailyAgenda:
    """The handler of `daily_agenda` jobs."""

    def __init__(
        self, uow_factory: UnitOfWorkFactory, clock: Clock, channels: dict[str, Any]
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.channels = channels
        self.desk = StaffDesk(uow_factory, clock)

    async def run(self, job: Job) -> None:
        """Send the day's agenda to each linked chat of the shop, then plan the next one."""
        if job.shop_id is None:
            return
        async with self.uow_factory.read_only() as uow:
            shop = await uow.catalog.shop(job.shop_id)
        if shop is None or shop.policy.agenda_hour is None:
            return  # shop gone or agenda turned off: no more agendas
        job_day = date.fromisoformat(str(job.payload["day"]))
        day = job_day
        if shop.policy.agenda_hour >= NEXT_DAY_FROM_HOUR:
            day += timedelta(days=1)
        messages: list[OutboxMessage] = []
        for link in await shop_staff_links(self.uow_factory, shop.id):
            channel = self.channels.get(link.channel)
            if channel is None:
                continue
            replies = await self.desk.agenda(link, day, skip_empty=True)
            rendered = channel.render(replies, None, link.chat_id, shop.id, shop.locale)
            messages += keyed(rendered, f"job:{job.id}:{link.id}")
        now = self.clock.now()
        await enqueue_messages(self.uow_factory, messages, now)
        # The day after this job's at the soonest (even if the hour was moved later today).
        following = agenda_job(shop, max(now, job.due_at), job_day + timedelta(days=1))
        if following is not None:
            await schedule_jobs(self.uow_factory, [following])
