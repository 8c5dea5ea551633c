"""The professionals' side of the day: agenda lines, takings, who sees what, and the time rules
behind "me voy a almorzar 40 min" or "no atiendo el 15/12". Pure: no I/O, no clock."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from domain.model import BookingStatus
from domain.money import Money

ROUNDING_MINUTES = 5
DEFAULT_BLOCK_MINUTES = 60  # "me voy a almorzar", "bloqueá a las 10": an hour unless told
END_OF_DAY = time(23, 59)  # how times read "until closing": the block runs to midnight


@dataclass(frozen=True)
class AgendaLine:
    """One turno as a professional sees it; `start`/`end` in UTC, the price frozen on it."""

    booking_id: int
    professional_id: int
    professional_name: str
    service_name: str
    customer_name: str
    customer_phone: str | None
    start: datetime
    end: datetime
    status: BookingStatus
    price_cents: int
    currency: str
    shop_id: int
    payment_method: str | None = None

    @property
    def price(self) -> Money:
        """The price frozen on the booking."""
        return Money(self.price_cents, self.currency)

    def can_be_marked(self, now: datetime) -> bool:
        """Done or no-show can be said once a confirmed turno has started."""
        return self.status is BookingStatus.CONFIRMED and self.start <= now


@dataclass(frozen=True)
class Takings:
    """Money of some days: done (completed), still to come (confirmed or held), no-shows."""

    completed_count: int = 0
    completed_cents: int = 0
    pending_count: int = 0
    pending_cents: int = 0
    no_show_count: int = 0
    currency: str = "ARS"

    @property
    def completed(self) -> Money:
        """What the finished turnos brought in."""
        return Money(self.completed_cents, self.currency)

    @property
    def pending(self) -> Money:
        """What the turnos still to come would bring."""
        return Money(self.pending_cents, self.currency)


@dataclass(frozen=True)
class StaffMember:
    """Who is asking: a professional, or the owner (`professional_id` None) who sees them all."""

    shop_id: int
    professional_id: int | None = None

    @property
    def is_owner(self) -> bool:
        """The owner sees and manages every professional of the shop."""
        return self.professional_id is None

    def sees(self, line: AgendaLine) -> bool:
        """Whether this turno is theirs to see and mark."""
        if line.shop_id != self.shop_id:
            return False
        return self.professional_id is None or line.professional_id == self.professional_id


def day_bounds(day: date, timezone: str) -> tuple[datetime, datetime]:
    """A local day as a UTC range [midnight, next midnight) (23 or 25 hours across DST)."""
    zone = ZoneInfo(timezone)
    start = datetime.combine(day, time(0), tzinfo=zone)
    end = datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return start.astimezone(UTC), end.astimezone(UTC)


def round_up(moment: datetime, minutes: int = ROUNDING_MINUTES) -> datetime:
    """The moment itself if on a multiple of `minutes`, else the next one (09:02 → 09:05)."""
    whole = moment.replace(second=0, microsecond=0)
    extra = whole.minute % minutes
    if extra == 0 and whole == moment:
        return moment
    return _later(whole, minutes - extra)


def from_now(now: datetime, minutes: int) -> tuple[datetime, datetime]:
    """A block starting now (rounded up to 5 minutes) and lasting `minutes`, in now's zone."""
    start = round_up(now)
    return start, _later(start, minutes)


def at_local(day: date, clock: time, zone: tzinfo | None) -> datetime:
    """A wall-clock time on a local day; END_OF_DAY means the following midnight."""
    if clock == END_OF_DAY:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=zone)
    return datetime.combine(day, clock, tzinfo=zone)


def starting_at(
    day: date, clock: time, zone: tzinfo | None, minutes: int
) -> tuple[datetime, datetime]:
    """A block from a wall-clock time, lasting `minutes` (of real time, across DST too)."""
    start = at_local(day, clock, zone)
    return start, _later(start, minutes)


def whole_days(first: date, last: date, zone: tzinfo | None) -> tuple[datetime, datetime]:
    """From the first day's midnight to the midnight after the last day."""
    start = datetime.combine(first, time(0), tzinfo=zone)
    return start, datetime.combine(last + timedelta(days=1), time(0), tzinfo=zone)


def is_whole_days(start: datetime, end: datetime) -> bool:
    """Whether a local range runs midnight to midnight."""
    return start.time() == time(0) and end.time() == time(0) and end > start


def _later(start: datetime, minutes: int) -> datetime:
    """Real minutes later (through UTC, so a DST change does not stretch the block)."""
    later = start.astimezone(UTC) + timedelta(minutes=minutes)
    return later.astimezone(start.tzinfo)
