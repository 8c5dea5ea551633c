"""Comeback nudges, once a day per shop at `HOUR` shop time (when the shop has them on).

Customers who came in the last `ASK_WITHIN` and were never asked get one question: may the
bot write when it is about time to come back? Regulars who said yes (domain/comeback.py: three
visits or more at a steady interval) and whose interval has passed, with nothing booked ahead,
get one offer of free times with their usual professional; not again until they come back.

One `comeback` job per shop and local day (`comeback:<shop>:<YYYY-MM-DD>`): the app plans each
shop's next one at start and each run plans the one after, also while the shop has nudges off
(so turning them on needs no restart). Messages are keyed by job and customer: a run repeated
after a crash sends each once.
"""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.daily_agenda import daily_due
from bot.dispatcher import Dispatcher
from bot.nudges import write_first
from conversations.commands import ComebackAsk, ComebackDue, FreeSlot
from domain import booking as use_cases
from domain.comeback import Habit, due_on, habit_of
from domain.model import Shop
from domain.ports import Clock
from domain.storage import comeback as storage
from domain.storage.chat import customer_chat
from domain.storage.jobs import Job, NewJob, schedule_jobs
from domain.storage.uow import UnitOfWorkFactory

log = logging.getLogger(__name__)

KIND = "comeback"
HOUR = 11  # late morning: not at dawn, and before the afternoon rush at the shop
ASK_WITHIN = timedelta(days=2)  # only recent visitors are asked, not the whole history
HISTORY = timedelta(days=365)  # the visits a habit is read from
SEARCH_DAYS = 7  # the offer's times come from the next week
OFFERED_TIMES = 3  # at most: one per day, the nearest to the regular's usual time


def comeback_job(shop: Shop, after: datetime, first_day: date | None = None) -> NewJob:
    """The shop's next comeback round after `after`."""
    day, due = daily_due(shop.timezone, HOUR, after, first_day)
    key = f"{KIND}:{shop.id}:{day.isoformat()}"
    return NewJob(KIND, key, due, shop_id=shop.id, payload={"day": str(day)})


async def plan_all(uow_factory: UnitOfWorkFactory, clock: Clock) -> int:
    """At start: make sure every shop has its next round; returns how many were new."""
    async with uow_factory.read_only() as uow:
        shops = await uow.catalog.list_shops()
    now = clock.now()
    return await schedule_jobs(uow_factory, [comeback_job(shop, now) for shop in shops])


class Comeback:
    """The handler of `comeback` jobs."""

    def __init__(
        self,
        uow_factory: UnitOfWorkFactory,
        clock: Clock,
        dispatcher: Dispatcher,
        channels: dict[str, Any],
    ) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.dispatcher = dispatcher
        self.channels = channels

    async def run(self, job: Job) -> None:
        """Ask recent visitors, offer times to regulars who are due, plan tomorrow's round."""
        if job.shop_id is None:
            return
        async with self.uow_factory.read_only() as uow:
            shop = await uow.catalog.shop(job.shop_id)
        if shop is None:
            return  # the shop is gone: no more rounds
        if shop.policy.comeback_nudges:
            await self._round(job, shop)
        job_day = date.fromisoformat(str(job.payload["day"]))
        following = comeback_job(shop, max(self.clock.now(), job.due_at), job_day + timedelta(1))
        await schedule_jobs(self.uow_factory, [following])

    async def _round(self, job: Job, shop: Shop) -> None:
        now = self.clock.now()
        visits = await storage.visits(self.uow_factory, shop.id, now - HISTORY, now)
        answers = await storage.preferences(self.uow_factory, shop.id)
        booked = await storage.with_upcoming(self.uow_factory, shop.id, now)
        today = now.astimezone(ZoneInfo(shop.timezone)).date()
        asked = nudged = 0
        for customer_id, theirs in visits.items():
            answer = answers.get(customer_id)
            if answer is None:
                if theirs[-1].starts_at >= now - ASK_WITHIN:
                    asked += await self._ask(job, shop, customer_id)
                continue
            if not answer.wants or customer_id in booked:
                continue
            habit = habit_of(theirs, shop.timezone)
            if habit is None or answer.nudged_after == habit.last.booking_id:
                continue
            if due_on(habit, shop.timezone) <= today:
                nudged += await self._offer(job, shop, customer_id, habit, today)
        if asked or nudged:
            log.info("comeback at %s: %d asked, %d offered times", shop.slug, asked, nudged)

    async def _ask(self, job: Job, shop: Shop, customer_id: int) -> int:
        chat = await customer_chat(self.uow_factory, customer_id, shop.id, list(self.channels))
        if chat is None:
            return 0  # booked by phone or the web: no chat to ask in
        key = f"job:{job.id}:ask:{customer_id}"
        await write_first(self.dispatcher, self.channels, chat, ComebackAsk(), shop.id, key)
        await storage.mark_asked(self.uow_factory, shop.id, customer_id, self.clock.now())
        return 1

    async def _offer(
        self, job: Job, shop: Shop, customer_id: int, habit: Habit, today: date
    ) -> int:
        chat = await customer_chat(self.uow_factory, customer_id, shop.id, list(self.channels))
        if chat is None:
            return 0
        slots = await use_cases.find_slots(
            self.uow_factory,
            self.clock,
            shop.id,
            habit.service_id,
            habit.professional_id,
            today,
            today + timedelta(days=SEARCH_DAYS - 1),
        )
        zone = ZoneInfo(shop.timezone)
        usual = _minutes(habit.last.starts_at.astimezone(zone))
        nearest: dict[date, FreeSlot] = {}  # per day, the time nearest their usual one
        for slot in slots:
            local = slot.start.astimezone(zone)
            best = nearest.get(local.date())
            if best is None or abs(_minutes(local) - usual) < abs(
                _minutes(best.start.astimezone(zone)) - usual
            ):
                nearest[local.date()] = FreeSlot(slot.start, slot.professional_id, slot.seats_left)
        offered = tuple(nearest[day] for day in sorted(nearest)[:OFFERED_TIMES])
        nudge = ComebackDue(habit.service_id, habit.professional_id, habit.weeks, offered)
        key = f"job:{job.id}:offer:{customer_id}"
        await write_first(self.dispatcher, self.channels, chat, nudge, shop.id, key)
        await storage.mark_nudged(self.uow_factory, shop.id, customer_id, habit.last.booking_id)
        return 1


def _minutes(local: datetime) -> int:
    return local.hour * 60 + local.minute
