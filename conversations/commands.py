"""Commands the engine asks the runtime to carry out, and the results fed back to it.

Commands are orders (`BookSlot`); results are facts in the past tense (`BookingMade`). The engine
never touches the database: it returns commands and reacts to their results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from domain.closed_days import ClosedDay
from domain.money import Money


@dataclass(frozen=True)
class FindDays:
    """Which of the next days have a free slot for the draft (service, professional, window)."""

    service_id: int
    professional_id: int | None
    first_day: date
    last_day: date
    window: tuple[time, time] | None = None
    wanted: tuple[date, date] | None = None  # the days the customer asked for, if any


@dataclass(frozen=True)
class FindSlots:
    """The free slots of one day (or range) for the draft."""

    service_id: int
    professional_id: int | None
    first_day: date
    last_day: date


@dataclass(frozen=True)
class CompanionSlot:
    """A second person's turno booked with the customer's, under that person's own name."""

    service_id: int
    professional_id: int
    start: datetime
    name: str


@dataclass(frozen=True)
class BookSlot:
    """Book the chosen slot for the customer, with the chosen payment method."""

    service_id: int
    professional_id: int | None
    start: datetime
    payment_method: str
    every_weeks: int | None = None
    count: int | None = None
    # Booked too, all or nothing: if it cannot be, neither is (Failed "companion_taken").
    companion: CompanionSlot | None = None
    # For someone else («para mi hijo Felipe»): booked under this name, like a companion.
    for_name: str | None = None


@dataclass(frozen=True)
class CancelBooking:
    """Cancel one of the customer's bookings."""

    booking_id: int


@dataclass(frozen=True)
class RescheduleBooking:
    """Move one of the customer's bookings to a new start (the old one is kept if it fails)."""

    booking_id: int
    start: datetime
    professional_id: int | None


@dataclass(frozen=True)
class SaveName:
    """Remember the customer's name."""

    name: str


@dataclass(frozen=True)
class JoinWaitlist:
    """Put the customer on the waitlist for a service over days and a time window."""

    service_id: int
    professional_id: int | None
    first_day: date
    last_day: date
    window: tuple[time, time] | None


@dataclass(frozen=True)
class ListWaitlist:
    """The customer's current waitlist entries at the shop."""


@dataclass(frozen=True)
class LeaveWaitlist:
    """Take the customer off one of their waitlist entries."""

    entry_id: int


@dataclass(frozen=True)
class AnswerComeback:
    """Remember whether the customer wants to be offered a turno when it is time again."""

    wants: bool


@dataclass(frozen=True)
class ReportTransfer:
    """The customer says they transferred the money for a held turno (a receipt, maybe)."""

    booking_id: int
    receipt: str | None = None


@dataclass(frozen=True)
class AcceptOffer:
    """Take the freed slot offered from the waitlist (confirm its held booking)."""

    booking_id: int


@dataclass(frozen=True)
class DeclineOffer:
    """Let the freed slot offered from the waitlist go to the next one waiting."""

    booking_id: int


@dataclass(frozen=True)
class MessageShop:
    """Pass the customer's message to the people at the shop."""

    text: str


@dataclass(frozen=True)
class ShowMyData:
    """What the shop keeps about the customer (Ley 25.326: the right of access)."""


@dataclass(frozen=True)
class EraseMyData:
    """Erase what the shop keeps about the customer (turnos and payments stay, anonymised)."""


Command = (
    FindDays
    | FindSlots
    | BookSlot
    | CancelBooking
    | RescheduleBooking
    | SaveName
    | JoinWaitlist
    | ListWaitlist
    | LeaveWaitlist
    | AnswerComeback
    | ReportTransfer
    | AcceptOffer
    | DeclineOffer
    | MessageShop
    | ShowMyData
    | EraseMyData
)


@dataclass(frozen=True)
class FreeSlot:
    """A free start as the engine sees it."""

    start: datetime
    professional_id: int
    seats_left: int


@dataclass(frozen=True)
class DaysFound:
    """Days with at least one free slot, in order; of the wanted days, those that are off."""

    days: tuple[date, ...]
    closed: tuple[ClosedDay, ...] = ()


@dataclass(frozen=True)
class SlotsFound:
    """Free slots, in order."""

    slots: tuple[FreeSlot, ...]


@dataclass(frozen=True)
class BookingMade:
    """The slot was won (for a series: the occurrences booked and those that were not)."""

    booking_id: int
    start: datetime
    professional_id: int
    missed: tuple[datetime, ...] = ()
    booked_count: int = 1
    payment: PaymentDue | None = None  # held until paid (online or by transfer)
    awaiting_shop: bool = False  # held until the shop takes it (paid at the shop)
    companion: CompanionBooked | None = None  # the second person's turno, booked with it


@dataclass(frozen=True)
class CompanionBooked:
    """The second person's turno, booked together with the customer's."""

    booking_id: int
    start: datetime
    professional_id: int
    name: str


@dataclass(frozen=True)
class TransferTo:
    """Where the shop takes transfers."""

    alias: str | None
    account: str | None  # CBU or CVU
    cuit: str | None


@dataclass(frozen=True)
class PaymentDue:
    """What a held turno waits for: how much, until when, and where (a Mercado Pago link, or
    the shop's account for a transfer)."""

    amount: Money
    pay_by: datetime
    url: str | None = None
    transfer: TransferTo | None = None


@dataclass(frozen=True)
class SlotLost:
    """Someone else took the slot (or it is no longer offered); the nearest free ones."""

    alternatives: tuple[FreeSlot, ...]


@dataclass(frozen=True)
class BookingCancelled:
    """A booking was cancelled; `late` when inside the shop's paid-cancellation window."""

    booking_id: int
    late: bool


@dataclass(frozen=True)
class BookingMoved:
    """A booking was moved; `booking_id` is the new one."""

    booking_id: int
    start: datetime


@dataclass(frozen=True)
class Waiting:
    """One of the customer's waitlist entries: what, with whom, which days and hours."""

    id: int
    service_id: int
    professional_id: int | None
    first_day: date
    last_day: date
    window: tuple[time, time] | None


@dataclass(frozen=True)
class WaitlistFound:
    """The customer's current waitlist entries, oldest first."""

    entries: tuple[Waiting, ...]


@dataclass(frozen=True)
class MyDataFound:
    """What the shop keeps about the customer: the name, how it reaches them, their turnos."""

    name: str | None
    phone: str | None
    channels: tuple[str, ...]
    turnos: int
    upcoming: tuple[datetime, ...]
    waitlist: int
    messages: int
    notes: str


@dataclass(frozen=True)
class DataErased:
    """The customer's data is erased; `cancelled` turnos ahead were cancelled first."""

    cancelled: int


@dataclass(frozen=True)
class Done:
    """A command with nothing to report (name saved, waitlist joined, shop messaged)."""


@dataclass(frozen=True)
class Failed:
    """A command that could not be carried out; `reason` is a domain error code."""

    reason: str


@dataclass(frozen=True)
class ReminderDue:
    """Not an answer to a command: the runtime's nudge that a turno is coming up."""

    booking_id: int


@dataclass(frozen=True)
class SlotOffered:
    """Not an answer to a command: a freed slot is held for the customer from the waitlist."""

    booking_id: int


@dataclass(frozen=True)
class ComebackAsk:
    """Not an answer to a command: after a visit, may the bot offer the next turno in time?"""


@dataclass(frozen=True)
class ComebackDue:
    """Not an answer to a command: a regular's usual interval has passed; free times with
    their usual professional for their usual service."""

    service_id: int
    professional_id: int
    weeks: int
    slots: tuple[FreeSlot, ...]


Nudge = ReminderDue | SlotOffered | ComebackAsk | ComebackDue

Result = (
    DaysFound
    | SlotsFound
    | BookingMade
    | SlotLost
    | BookingCancelled
    | BookingMoved
    | WaitlistFound
    | MyDataFound
    | DataErased
    | Done
    | Failed
)
