"""What the shop calls things, and what a message was understood to say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum


@dataclass(frozen=True)
class CatalogEntry:
    """A service or a professional as the shop names it (plus nicknames)."""

    id: int
    name: str
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ShopVocabulary:
    """The shop's own words: its services, its people and its opening hours."""

    services: tuple[CatalogEntry, ...]
    professionals: tuple[CatalogEntry, ...]
    opens: time = time(9)
    closes: time = time(20)


class Intent(StrEnum):
    """What the person wants to do (a message may carry several)."""

    BOOK = "book"
    MY_BOOKINGS = "my_bookings"
    CANCEL = "cancel"
    RESCHEDULE = "reschedule"
    WAITLIST = "waitlist"
    HELP = "help"
    HUMAN = "human"
    MENU = "menu"
    BACK = "back"
    QUIT = "quit"
    YES = "yes"
    NO = "no"
    GREETING = "greeting"
    THANKS = "thanks"
    REPEAT = "repeat"


@dataclass(frozen=True)
class Understanding:
    """Everything read from one message; None / empty where the message said nothing."""

    intents: frozenset[Intent]
    service_id: int | None
    professional_id: int | None
    any_professional: bool
    first_day: date | None
    last_day: date | None
    at: time | None
    window: tuple[time, time] | None
    number: int | None
    name: str | None
    weekly: int | None = None
    count: int | None = None
