"""The demo shop's past, planned: the last 13 weeks of turnos, so its agenda and its numbers
have something to show from the first start (bot/demo_history.py writes them).

Believable rather than random: regulars who come back to their barber every two to six weeks,
walk-ins who come once or twice, busier Fridays and Saturdays and evenings, a group class
every other Saturday, prices a little lower in the older weeks (Argentina), most turnos done,
some missed, some cancelled (a few late). Only days before today, none on a feriado.
Deterministic: a seeded random, relative to the clock's today. Pure.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.calendar import national_holidays
from domain.numbers import Preset, preset_period

SEED = 12
STEP = timedelta(minutes=15)
FIRST_NAMES = (  # noqa: SIM905 (names read better as text)
    "Juan Martín Santiago Mateo Joaquín Tomás Benjamín Lautaro Facundo Agustín Nicolás "
    "Gonzalo Federico Matías Ignacio Franco Lucas Diego Pablo Sebastián Valentina Camila "
    "Sofía Martina Lucía Julieta Florencia Agustina Carla Paula Micaela Rocío Emiliano Bruno "
    "Thiago Maximiliano Ramiro Leandro Hernán Ezequiel"
).split(" ")
LAST_NAMES = (  # noqa: SIM905 (names read better as text)
    "González Rodríguez Gómez Fernández López Díaz Martínez Pérez García Sánchez Romero Sosa "
    "Álvarez Torres Ruiz Ramírez Flores Acosta Benítez Medina Suárez Herrera Aguirre Pereyra "
    "Gutiérrez Giménez Molina Silva Castro Rojas Ortiz Núñez Luna Juárez Cabrera Ríos "
    "Ferreyra Godoy Morales Domínguez"
).split(" ")
REGULARS_PER_CHAIR = 80
WALK_IN_AGAIN = 0.65  # a walk-in is someone who came before, this often
# How often each service is asked for, against the others the chair offers.
POPULARITY = {"Corte": 60, "Corte + barba": 25, "Barba": 15, "Color": 25}
BEFORE = timedelta(weeks=6)  # before the history, regulars came already (each at least once)
BEFORE_RATE = 0.3
# How likely a free quarter hour gets a turno, by weekday (Monday first), before the evening.
DAY_RATE = (0.3, 0.36, 0.45, 0.52, 0.72, 0.85, 0.0)
EVENING = 17  # from this hour on, people come after work: busier


@dataclass(frozen=True)
class Chair:
    """A professional's week: who, which days, opening and closing, lunch."""

    id: int
    nickname: str
    days: tuple[int, ...]
    opens: time
    closes: time
    lunch: tuple[time, time]


@dataclass(frozen=True)
class Offer:
    """A service as the history books it: ids, length, today's price, who does it."""

    id: int
    name: str
    minutes: int
    cents: int
    after: int  # buffer after, minutes
    seats: int
    who: tuple[str, ...]


@dataclass
class Person:
    """A customer of the demo: a regular of one chair, or a walk-in."""

    number: int
    name: str
    chair: str | None = None
    every: int = 0  # days between visits, for a regular
    due: date | None = None


@dataclass(frozen=True)
class Turno:
    """One past turno, before it is written."""

    person: int
    chair: Chair
    offer: Offer
    start: datetime  # UTC
    status: str
    late: bool = False
    seat: int = 1


@dataclass
class History:
    """Everything planned: the people, and their turnos."""

    people: list[Person] = field(default_factory=list)
    turnos: list[Turno] = field(default_factory=list)


def first_day(today: date) -> date:
    """Where the history starts: the first day of the Numbers page's default period (the last
    3 months), so that it is full."""
    return preset_period(Preset.QUARTER, today).first


def plan(chairs: list[Chair], offers: list[Offer], today: date, timezone: str) -> History:
    """The turnos of every open day from `first_day` to yesterday, by chair and time; before
    that, the regulars' own visits of the weeks before (they were regulars already)."""
    planner = _Planner(random.Random(SEED), chairs, offers, ZoneInfo(timezone))
    start = first_day(today)
    for day in _days(start - BEFORE, start):
        planner.day(day, regulars_only=True)
    for day in _days(start, today):
        planner.day(day)
    return planner.history


def _days(first: date, end: date) -> Iterator[date]:
    """The days from `first` to before `end` that are not feriados (the shop closes)."""
    day = first
    while day < end:
        if day not in national_holidays(day.year):
            yield day
        day += timedelta(days=1)


class _Planner:
    """Fills each chair's days with turnos, and chooses who comes to each."""

    def __init__(
        self, rng: random.Random, chairs: list[Chair], offers: list[Offer], zone: ZoneInfo
    ) -> None:
        self.rng, self.zone, self.history = rng, zone, History()
        names = [f"{a} {b}" for a in FIRST_NAMES for b in LAST_NAMES]
        rng.shuffle(names)
        self.names = iter(names)
        self.chairs, self.offers = chairs, offers
        self.walk_ins: list[int] = []
        self.regulars = {
            c.nickname: [self._regular(c.nickname) for _ in range(REGULARS_PER_CHAIR)]
            for c in chairs
        }

    def _regular(self, chair: str) -> Person:
        every = self.rng.choice((14, 21, 21, 28, 28, 35, 42))
        person = Person(len(self.history.people), next(self.names), chair, every)
        person.due = None  # set at the first day seen
        self.history.people.append(person)
        return person

    def day(self, day: date, *, regulars_only: bool = False) -> None:
        """Every chair's turnos of the day; only regulars' (fewer) when `regulars_only`."""
        for chair in self.chairs:
            if day.weekday() in chair.days:
                self._chair(chair, day, regulars_only)

    def _chair(self, chair: Chair, day: date, regulars_only: bool) -> None:
        """One chair's day: the class on a month's first Saturday, then turnos in the free
        quarter hours."""
        moment = datetime.combine(day, chair.opens, tzinfo=self.zone)
        closes = datetime.combine(day, chair.closes, tzinfo=self.zone)
        lunch = [datetime.combine(day, t, tzinfo=self.zone) for t in chair.lunch]
        group = next((o for o in self.offers if o.seats > 1 and chair.nickname in o.who), None)
        if group and day.weekday() == 5 and day.day <= 7 and not regulars_only:
            self._class(chair, group, moment)
            moment += timedelta(minutes=group.minutes + group.after)
        singles = [o for o in self.offers if o.seats == 1 and chair.nickname in o.who]
        weights = [POPULARITY.get(o.name, 10) for o in singles]
        while moment < closes:
            offer = self.rng.choices(singles, weights)[0]
            end = moment + timedelta(minutes=offer.minutes + offer.after)
            if moment < lunch[1] and end > lunch[0]:  # it would run into lunch: after it
                moment = lunch[1]
                continue
            if end > closes:
                break
            rate = self._rate(day, moment) * (BEFORE_RATE if regulars_only else 1)
            if self.rng.random() < rate and self._single(chair, offer, moment, regulars_only):
                moment = end + (-(end.minute % 15) % 15) * timedelta(minutes=1)
            else:
                moment += STEP * self.rng.choice((1, 2, 2, 3))

    def _rate(self, day: date, moment: datetime) -> float:
        rate = DAY_RATE[day.weekday()]
        if moment.hour >= EVENING:
            rate += 0.2
        elif 12 <= moment.hour < 14:
            rate -= 0.1
        return min(rate, 0.95)

    def _single(self, chair: Chair, offer: Offer, moment: datetime, regulars_only: bool) -> bool:
        """A turno at `moment`, if someone comes; whether one was planned."""
        person = self._who(chair, moment.date(), regulars_only)
        if person is None:
            return False
        roll = self.rng.random()
        status, late = "completed", False
        if regulars_only:
            pass  # the visits that made them regulars
        elif roll > 0.97:
            status, late = "cancelled", True
        elif roll > 0.90:
            status = "cancelled"
        elif roll > 0.85:
            status = "no_show"
        self.history.turnos.append(
            Turno(person, chair, offer, moment.astimezone(UTC), status, late)
        )
        return True

    def _class(self, chair: Chair, offer: Offer, moment: datetime) -> None:
        for seat in range(1, self.rng.randint(2, offer.seats) + 1):
            person = self._walk_in()
            start = moment.astimezone(UTC)
            self.history.turnos.append(Turno(person, chair, offer, start, "completed", seat=seat))

    def _who(self, chair: Chair, day: date, regulars_only: bool) -> int | None:
        """A regular of this chair who is due, most often; else someone walking in (or nobody,
        when only regulars come)."""
        regulars = self.regulars[chair.nickname]
        for person in regulars:
            if person.due is None:  # their first visit falls somewhere in their first interval
                person.due = day + timedelta(days=self.rng.randrange(person.every))
        due = [p for p in regulars if p.due is not None and p.due <= day]
        if due and (regulars_only or self.rng.random() < 0.7):
            person = min(due, key=lambda p: (p.due or day, p.number))
            person.due = day + timedelta(days=person.every + self.rng.randint(-3, 3))
            return person.number
        return None if regulars_only else self._walk_in()

    def _walk_in(self) -> int:
        if self.walk_ins and self.rng.random() < WALK_IN_AGAIN:
            return self.rng.choice(self.walk_ins)
        person = Person(len(self.history.people), next(self.names))
        self.history.people.append(person)
        self.walk_ins.append(person.number)
        return person.number
