"""What the shop calls things, and what a message was understood to say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from enum import StrEnum
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conversations.understanding.questions import Question


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
    PRICES = "prices"
    TRANSFERRED = "transferred"  # "ya transferí", "te pasé la plata"
    MY_DATA = "my_data"  # "¿qué datos tienen míos?" (Ley 25.326: access)
    ERASE_DATA = "erase_data"  # "borrar mis datos" (Ley 25.326: deletion)


@dataclass(frozen=True)
class PairRequest:
    """What a message says about a second person's turno (None where it says nothing)."""

    asked: bool  # the message asks for two turnos (not only what each one wants)
    together: bool | None = None  # side by side (True), back to back (False), unsaid (None)
    name: str | None = None
    service_id: int | None = None  # the second person's
    professional_id: int | None = None
    at: time | None = None
    own_service_id: int | None = None  # the customer's own, when said apart
    own_professional_id: int | None = None
    own_at: time | None = None
    anyone: bool = False  # «con los que estén»


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
    # How they will pay: one of conversations.context.PAYMENT_METHODS ("cash", "transfer", ...).
    payment_method: str | None = None
    # The weekday named on its own ("el del martes"), to find it in a list of dates.
    weekday: int | None = None
    # Changing one's mind mid-booking: "otro día" ("day", "time", "professional"), and a
    # barber the shop doesn't have ("con Pablo").
    another: str | None = None
    unknown_professional: str | None = None
    adding: bool = False  # "y barba también": the service named goes with the one chosen
    # The first free time from now ("ya", "la primera que tengas"); with "ya", today if any.
    soonest: bool = False
    # Later (+1) or earlier (-1) than the time on the table ("más tarde", "más temprano").
    shift: int = 0
    # "A la misma hora": the time of the turno being moved.
    same_time: bool = False
    # A second time said after `at`: moving "el de las 12" "a las 16" names both.
    then_at: time | None = None
    # A second person's turno asked in the same message («para mí y mi hermano»).
    pair: PairRequest | None = None
    # The service whose price is asked, when the message also books another («cuánto sale
    # la barba? y dame turno para corte»: priced Barba, service_id Corte).
    priced_service_id: int | None = None
    # A question about the shop ("¿dónde están?", "¿quién hace color?"), answered at any step.
    question: Question | None = None
    # The turno is for someone else («para mi hijo Felipe», «para mi viejo»), and their name
    # when said («a nombre de Felipe» after «soy Sole»): the customer keeps their own name.
    for_other: bool = False
    for_name: str | None = None
    # «a nombre de Nico»: the name a turno goes under, maybe not the customer's own.
    under_name: str | None = None

    @property
    def just_greeting(self) -> bool:
        """A bare "hola" / "buenas": a hello that asks, answers and names nothing."""
        said = (
            self.service_id,
            self.professional_id,
            self.first_day,
            self.at,
            self.window,
            self.number,
            self.name,
            self.weekly,
            self.count,
            self.payment_method,
        )
        relative = self.soonest or self.shift or self.same_time
        return (
            not relative
            and self.intents == {Intent.GREETING}
            and self.question is None
            and not self.any_professional
            and all(value is None for value in said)
        )
