"""Drive the pure engine without a database: a fake runtime answers its commands."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from conversations.commands import (
    AcceptOffer,
    BookingCancelled,
    BookingMade,
    BookingMoved,
    BookSlot,
    CancelBooking,
    ClosedDay,
    Command,
    DataErased,
    DaysFound,
    Done,
    EraseMyData,
    FindDays,
    FindSlots,
    FreeSlot,
    LeaveWaitlist,
    ListWaitlist,
    MyDataFound,
    Nudge,
    RescheduleBooking,
    Result,
    SaveName,
    ShowMyData,
    SlotLost,
    SlotsFound,
    Waiting,
    WaitlistFound,
)
from conversations.context import Context
from conversations.engine import handle
from conversations.messages import Outgoing, UserMessage
from conversations.state import State
from domain.model import Professional, Service, Shop
from domain.money import Money

BA = ZoneInfo("America/Argentina/Buenos_Aires")
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # Tuesday 09:00 in Buenos Aires
SHOP = Shop(1, "don-julio", "Barbería Don Julio")
SERVICES = (
    Service(1, 1, "Corte", 30, Money(1_200_000), professional_ids=frozenset({1, 2, 3})),
    Service(2, 1, "Barba", 20, Money(800_000), professional_ids=frozenset({1, 2})),
    Service(3, 1, "Corte + barba", 45, Money(1_800_000), professional_ids=frozenset({1, 2})),
    Service(4, 1, "Color", 90, Money(2_500_000), professional_ids=frozenset({3})),
    Service(
        5,
        1,
        "Clase de barbería (grupal)",
        120,
        Money(3_000_000),
        seats=4,
        professional_ids=frozenset({1}),
    ),
)
PROFESSIONALS = (
    Professional(1, 1, "Martín Gómez", "Tincho"),
    Professional(2, 1, "Facundo Ruiz", "Facu"),
    Professional(3, 1, "Lucía Fernández", "Lu"),
)


def context(**changes: object) -> Context:
    base: dict[str, object] = {
        "now": NOW,
        "shop": SHOP,
        "services": SERVICES,
        "professionals": PROFESSIONALS,
        "customer_name": "Juan",
    }
    base.update(changes)
    return Context(**base)  # type: ignore[arg-type]


def free_slots(first: date, last: date, professional_id: int | None) -> tuple[FreeSlot, ...]:
    """Every half hour from 10 to 18 on every day but Sunday, for each professional asked."""
    pros = [professional_id] if professional_id else [1, 2]
    slots = []
    day = first
    while day <= last:
        if day.weekday() != 6:
            for hour in range(10, 18):
                for minute in (0, 30):
                    start = datetime.combine(day, time(hour, minute), tzinfo=BA).astimezone(UTC)
                    slots += [FreeSlot(start, p, 1) for p in pros]
        day += timedelta(days=1)
    return tuple(slots)


@dataclass
class FakeRuntime:
    """Answers commands like the real runtime would, from a made-up agenda."""

    taken: set[datetime] = field(default_factory=set)
    commands: list[Command] = field(default_factory=list)
    full: bool = False  # every turno taken (the agenda is open, nothing is free)
    waiting: tuple[Waiting, ...] = ()  # the customer's waitlist entries
    data_slow: bool = False  # what the shop keeps is not read yet (the step waits for it)

    def run(self, command: Command) -> Result:
        self.commands.append(command)
        if isinstance(command, FindDays):
            slots = self._free(command.first_day, command.last_day, command.professional_id)
            if command.window:  # as the real runtime: only days with a slot inside the window
                low, high = command.window
                slots = tuple(s for s in slots if low <= s.start.astimezone(BA).time() < high)
            closed: tuple[ClosedDay, ...] = ()
            if command.wanted:
                first, last = command.wanted
                days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
                closed = tuple(ClosedDay(d) for d in days if d.weekday() == 6)
            days_found = tuple(sorted({s.start.astimezone(BA).date() for s in slots}))
            return DaysFound(days_found, closed)
        if isinstance(command, FindSlots):
            return SlotsFound(
                self._free(command.first_day, command.last_day, command.professional_id)
            )
        if isinstance(command, BookSlot):
            if command.start in self.taken:
                return SlotLost(
                    free_slots(
                        command.start.astimezone(BA).date(), command.start.astimezone(BA).date(), 1
                    )[:3]
                )
            self.taken.add(command.start)
            return BookingMade(len(self.taken), command.start, command.professional_id or 1)
        if isinstance(command, CancelBooking):
            return BookingCancelled(command.booking_id, late=False)
        if isinstance(command, RescheduleBooking):
            return BookingMoved(command.booking_id + 100, command.start)
        if isinstance(command, ListWaitlist):
            return WaitlistFound(self.waiting)
        if isinstance(command, LeaveWaitlist):
            self.waiting = tuple(w for w in self.waiting if w.id != command.entry_id)
            return Done()
        if isinstance(command, ShowMyData) and not self.data_slow:
            return MyDataFound("Juan", "+5491158749895", ("telegram",), 3, (), 0, 0, "")
        if isinstance(command, EraseMyData):
            return DataErased(0)
        if isinstance(command, AcceptOffer):
            start = datetime(2026, 12, 3, 20, 0, tzinfo=UTC)
            return BookingMade(command.booking_id, start, 1)
        return Done()

    def _free(self, first: date, last: date, professional_id: int | None) -> tuple[FreeSlot, ...]:
        return () if self.full else free_slots(first, last, professional_id)


@dataclass
class EngineChat:
    """A conversation with the pure engine."""

    ctx: Context = field(default_factory=context)
    runtime: FakeRuntime = field(default_factory=FakeRuntime)
    state: State = field(default_factory=State)
    replies: tuple[Outgoing, ...] = ()

    def send(self, text: str = "", choice_id: str | None = None) -> EngineChat:
        return self.event(UserMessage(text, choice_id))

    def event(self, event: UserMessage | Nudge) -> EngineChat:
        """Feed the engine one event (a message, or a nudge such as a reminder) and run the
        commands it asks for."""
        reply = handle(self.state, event, self.ctx)
        messages = list(reply.messages)
        for _round in range(8):
            if not reply.commands:
                break
            state = reply.state
            for command in reply.commands:
                if isinstance(command, SaveName):  # the runtime reloads the customer
                    self.ctx = replace(self.ctx, customer_name=command.name)
                reply = handle(state, self.runtime.run(command), self.ctx)
                messages += reply.messages
                state = reply.state
        self.state, self.replies = reply.state, tuple(messages)
        return self

    def tap(self, label: str) -> EngineChat:
        matches = [c for r in self.replies for c in r.choices if c.label.startswith(label)]
        assert matches, [c.label for r in self.replies for c in r.choices]
        return self.send(choice_id=matches[0].id)

    def tap_first(self) -> EngineChat:
        choices = [c for r in self.replies for c in r.choices]
        return self.send(choice_id=choices[0].id) if choices else self.send("1")

    @property
    def text(self) -> str:
        return "\n".join(r.text for r in self.replies)
