"""What the engine may know about the world for one turn, handed in by the runtime."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from domain.model import DayOverride, Professional, ProfessionalSchedule, Service, Shop
from domain.payments import PaymentMethod

PAYMENT_METHODS = tuple(m.value for m in PaymentMethod)  # all of them, in the order offered
# The locale each language the chat understands is spoken in.
LOCALE_OF = {"en": "en", "es": "es_AR"}
Gettext = Callable[[str], str]
Ngettext = Callable[[str, str, int], str]


@dataclass(frozen=True)
class BookingView:
    """One of the customer's bookings, as the chat shows it."""

    id: int
    service_id: int
    professional_id: int
    start: datetime
    status: str
    payment_method: str | None = None


def _identity(text: str) -> str:
    return text


def _english_plural(singular: str, plural: str, n: int) -> str:
    return singular if n == 1 else plural


@dataclass(frozen=True)
class Context:
    """The shop, the customer and the time of this turn; `gettext` is the customer's language."""

    now: datetime
    shop: Shop
    services: tuple[Service, ...]
    professionals: tuple[Professional, ...]
    customer_name: str | None = None
    upcoming: tuple[BookingView, ...] = ()
    last_booking: BookingView | None = None
    payment_methods: tuple[str, ...] = PAYMENT_METHODS
    gettext: Gettext = _identity
    ngettext: Ngettext = _english_plural
    locale: str = "es_AR"
    opens: time = time(9)
    closes: time = time(20)
    # The translations of another locale, for a customer who writes in another language.
    translations: Callable[[str], tuple[Gettext, Ngettext]] | None = None

    def speaking(self, language: str | None) -> Context:
        """This context in the customer's language ("en", "es") when it is not the shop's."""
        locale = LOCALE_OF.get(language or "")
        if locale is None or self.translations is None or self.locale.split("_")[0] == language:
            return self  # no other language, or the shop's own (es_AR for "es")
        gettext, ngettext = self.translations(locale)
        return replace(self, gettext=gettext, ngettext=ngettext, locale=locale)

    # Each professional's weekly hours (and time off ahead) and the shop's own open or closed
    # days ahead: what the answers about opening hours and who works when are made of.
    schedules: tuple[ProfessionalSchedule, ...] = ()
    day_overrides: tuple[DayOverride, ...] = ()

    @property
    def today(self) -> date:
        """Today in the shop's zone."""
        return self.now.astimezone(ZoneInfo(self.shop.timezone)).date()

    def service(self, service_id: int | None) -> Service | None:
        """An active service of the shop by id."""
        return next((s for s in self.services if s.id == service_id and s.active), None)

    def professional(self, professional_id: int | None) -> Professional | None:
        """An active professional by id."""
        return next((p for p in self.professionals if p.id == professional_id and p.active), None)
