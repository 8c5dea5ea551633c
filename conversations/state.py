"""The conversation's state: the step, what has been chosen so far, and the choices on offer.

State is plain data, stored as JSON per (channel, chat) by the runtime; `to_json` and
`from_json` round-trip it exactly, and anything unreadable falls back to a fresh state.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass, replace
from datetime import date, datetime, time
from enum import StrEnum
from typing import Any

from conversations.messages import Choice


class Step(StrEnum):
    """Every step of every flow."""

    START = "start"
    ASK_NAME = "ask_name"
    MENU = "menu"
    SERVICE = "service"
    PROFESSIONAL = "professional"
    DAY = "day"
    TIME = "time"
    NAME = "name"  # "¿A nombre de quién lo reservo?": once the time is settled
    PAYMENT = "payment"
    CONFIRM = "confirm"
    MY_BOOKINGS = "my_bookings"
    BOOKING_ACTIONS = "booking_actions"
    CONFIRM_CANCEL = "confirm_cancel"
    WAITLIST_OFFER = "waitlist_offer"
    MY_WAITLIST = "my_waitlist"
    COMEBACK_ASK = "comeback_ask"
    COMEBACK_OFFER = "comeback_offer"
    HUMAN = "human"
    REMINDER = "reminder"
    SLOT_OFFER = "slot_offer"
    PAIR_TIME = "pair_time"
    PAIR_NAME = "pair_name"
    MY_DATA = "my_data"
    CONFIRM_ERASE = "confirm_erase"


class Mode(StrEnum):
    """What the slot being chosen is for."""

    BOOK = "book"
    RESCHEDULE = "reschedule"


@dataclass(frozen=True)
class CachedSlot:
    """A free slot remembered between turns (starts in UTC)."""

    start: datetime
    professional_id: int
    seats_left: int


@dataclass(frozen=True)
class Companion:
    """A second person's turno asked with the customer's («para mí y mi hermano»)."""

    together: bool | None = None  # side by side; False: back to back; None: not said
    name: str | None = None
    service_id: int | None = None  # None: the same service as the customer's
    professional_id: int | None = None  # the one named for the second person, if any
    at: time | None = None  # the time asked for the second person, if any
    slot: CachedSlot | None = None
    after: datetime | None = None  # the customer's start the slot was found next to
    slots: tuple[CachedSlot, ...] = ()  # other times offered when the wanted one is taken


@dataclass(frozen=True)
class Draft:
    """What the customer has chosen so far."""

    mode: Mode = Mode.BOOK
    service_id: int | None = None
    professional_id: int | None = None
    any_professional: bool = False
    first_day: date | None = None
    last_day: date | None = None
    day: date | None = None
    at: time | None = None
    window: tuple[time, time] | None = None
    slot: CachedSlot | None = None
    payment_method: str | None = None
    every_weeks: int | None = None
    count: int | None = None
    booking_id: int | None = None
    repeat: bool = False
    days: tuple[date, ...] = ()
    slots: tuple[CachedSlot, ...] = ()
    page: int = 0
    nothing_wanted: bool = False  # the days on offer replace days asked for that had nothing
    closed_wanted: bool = False  # ... because nobody works then (not because they are full)
    weeks_since: int | None = None  # a comeback offer: weeks since the regular's last visit
    days_checked: bool = False  # the days asked for were checked open before asking who
    near: time | None = None  # no exact time, but the times shown start near it ("más temprano")
    soonest: bool = False  # take the first free time ("ya", "la primera que tengas")
    companion: Companion | None = None  # a second person booked together (flows/pair.py)
    # One turno for someone else («para mi hijo Felipe»): booked under their name, not the
    # customer's; `for_other` with no name yet: the name question asks for theirs.
    for_other: bool = False
    for_name: str | None = None


@dataclass(frozen=True)
class Asked:
    """The question about the shop answered last turn, for a follow-up ("¿y con barba?")."""

    topic: str
    service_id: int | None = None
    professional_id: int | None = None
    day: date | None = None


@dataclass(frozen=True)
class State:
    """One chat's conversation."""

    step: Step = Step.START
    draft: Draft = field(default_factory=Draft)
    choices: tuple[Choice, ...] = ()
    offer: int = 0
    updated_at: datetime | None = None
    # The language the customer writes in ("en", "es"), once a message made it plain; None
    # speaks the shop's.
    language: str | None = None
    asked: Asked | None = None

    def with_draft(self, **changes: Any) -> State:
        """This state with some draft fields changed."""
        return replace(self, draft=replace(self.draft, **changes))

    def to_json(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        encoded: dict[str, Any] = _encode(self)
        return encoded

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> State:
        """Read a stored state; a state from an older or broken version starts afresh."""
        try:
            draft = data.get("draft") or {}
            return cls(
                step=Step(data["step"]),
                draft=_draft(draft),
                choices=tuple(Choice(**c) for c in data.get("choices", ())),
                offer=int(data.get("offer", 0)),
                updated_at=_dt(data.get("updated_at")),
                language=_language(data.get("language")),
                asked=_asked(data.get("asked")),
            )
        except (KeyError, TypeError, ValueError):
            return cls()


def _draft(data: dict[str, Any]) -> Draft:
    window = data.get("window")
    return Draft(
        mode=Mode(data.get("mode", Mode.BOOK)),
        service_id=data.get("service_id"),
        professional_id=data.get("professional_id"),
        any_professional=bool(data.get("any_professional", False)),
        first_day=_d(data.get("first_day")),
        last_day=_d(data.get("last_day")),
        day=_d(data.get("day")),
        at=_t(data.get("at")),
        window=(time.fromisoformat(window[0]), time.fromisoformat(window[1])) if window else None,
        slot=_slot(data.get("slot")),
        payment_method=data.get("payment_method"),
        every_weeks=data.get("every_weeks"),
        count=data.get("count"),
        booking_id=data.get("booking_id"),
        repeat=bool(data.get("repeat", False)),
        days=tuple(date.fromisoformat(d) for d in data.get("days", ())),
        slots=tuple(s for s in (_slot(x) for x in data.get("slots", ())) if s is not None),
        page=int(data.get("page", 0)),
        nothing_wanted=bool(data.get("nothing_wanted", False)),
        closed_wanted=bool(data.get("closed_wanted", False)),
        weeks_since=data.get("weeks_since"),
        days_checked=bool(data.get("days_checked", False)),
        near=_t(data.get("near")),
        soonest=bool(data.get("soonest", False)),
        companion=_companion(data.get("companion")),
        for_other=bool(data.get("for_other", False)),
        for_name=data.get("for_name"),
    )


def _companion(data: dict[str, Any] | None) -> Companion | None:
    if not data:
        return None
    slots = tuple(s for s in (_slot(x) for x in data.get("slots", ())) if s is not None)
    return Companion(
        together=data.get("together"),
        name=data.get("name"),
        service_id=data.get("service_id"),
        professional_id=data.get("professional_id"),
        at=_t(data.get("at")),
        slot=_slot(data.get("slot")),
        after=_dt(data.get("after")),
        slots=slots,
    )


def _language(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _asked(data: dict[str, Any] | None) -> Asked | None:
    if not data:
        return None
    day = _d(data.get("day"))
    return Asked(data["topic"], data.get("service_id"), data.get("professional_id"), day)


def _slot(data: dict[str, Any] | None) -> CachedSlot | None:
    if not data:
        return None
    start = datetime.fromisoformat(data["start"])
    return CachedSlot(start, int(data["professional_id"]), int(data["seats_left"]))


def _d(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def _t(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


_PLAIN = frozenset({str, int, float, bool, type(None)})
_FIELDS: dict[type, tuple[str, ...]] = {}


def _encode(value: Any) -> Any:
    # Walks the dataclasses itself: `asdict` deep-copies every value first, which cost more
    # than the rest of a chat turn's bookkeeping put together. Every turn encodes its state,
    # so plain values are let through first and each class's field names are looked up once.
    kind = type(value)
    if kind in _PLAIN:
        return value
    names = _FIELDS.get(kind)
    if names is None and is_dataclass(value) and not isinstance(value, type):
        names = _FIELDS[kind] = tuple(f.name for f in fields(value))
    if names is not None:
        return {name: _encode(getattr(value, name)) for name in names}
    if isinstance(value, StrEnum):
        return value.value
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_encode(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    return value
