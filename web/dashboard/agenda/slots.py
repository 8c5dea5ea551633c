"""Choosing a time by hand (booking a walk-in, moving a turno): the free starts of a day for a
service, as the shop books them (no minimum notice), and the time picked read back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from fastapi import Request

from bot.catalog_cache import ShopCatalog
from domain import booking as use_cases
from domain.availability import Slot
from domain.errors import NotFound
from domain.model import Professional, Service
from web.dashboard.agenda.access import bookable_professionals
from web.dashboard.pages import N_
from web.dashboard.sessions import Viewer


@dataclass(frozen=True)
class Choice:
    """What to book: a service, with someone (None: anyone), on a day."""

    service: Service | None
    professional: Professional | None
    day: date


@dataclass(frozen=True)
class Times:
    """The free starts of the day chosen (one per time, whoever has it), or why there are
    none (a msgid)."""

    starts: list[datetime]
    problem: str | None = None


def services_of(catalog: ShopCatalog, who: Viewer) -> list[Service]:
    """The services this login may book: active ones, done by someone they may book for."""
    mine = {p.id for p in bookable_professionals(catalog, who)}
    return [s for s in catalog.services if s.active and s.professional_ids & mine]


def choose(
    catalog: ShopCatalog,
    who: Viewer,
    service_id: int | None,
    professional_id: int | None,
    day: date,
) -> Choice:
    """The service and professional named, if this login may book them (else none chosen)."""
    services = {s.id: s for s in services_of(catalog, who)}
    people = {p.id: p for p in bookable_professionals(catalog, who)}
    professional = people.get(professional_id) if professional_id else None
    if len(people) == 1:  # a professional's own login: always themselves
        professional = next(iter(people.values()))
    service = services.get(service_id) if service_id else None
    return Choice(service, professional, day)


async def free_times(request: Request, who: Viewer, choice: Choice) -> Times:
    """The day's free starts for the choice, as the shop books them."""
    if choice.service is None:
        return Times([], N_("Choose a service."))
    pro = choice.professional
    if pro is not None and pro.id not in choice.service.professional_ids:
        return Times([], N_("That professional doesn't do this service."))
    try:
        slots: list[Slot] = await use_cases.find_slots(
            request.app.state.uow_factory,
            request.app.state.clock,
            who.shop.id,
            choice.service.id,
            pro.id if pro else None,
            choice.day,
            choice.day,
            by_shop=True,
        )
    except NotFound:  # archived in between
        return Times([], N_("Choose a service."))
    starts = sorted({s.start for s in slots})
    return Times(starts, None if starts else N_("Nothing free that day."))


def read_start(text: str) -> datetime | None:
    """The start a time button carries (ISO 8601 with its offset), or None."""
    try:
        start = datetime.fromisoformat(text)
    except ValueError:
        return None
    return start if start.tzinfo is not None else None
