"""The ports the use cases talk through; domain.storage implements them with SQLAlchemy."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, Self

from domain.availability import BusyBlock
from domain.model import (
    Booking,
    BookingEvent,
    Customer,
    DayOverride,
    NewBooking,
    Professional,
    ProfessionalSchedule,
    Service,
    Shop,
    ShopCustomer,
)


class Clock(Protocol):
    """Where the use cases get the time from (injected, so tests can set it)."""

    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


class CatalogRepository(Protocol):
    """Shops and what they offer."""

    async def list_shops(self) -> list[Shop]: ...
    async def shop_by_slug(self, slug: str) -> Shop | None: ...
    async def shop(self, shop_id: int) -> Shop | None: ...
    async def services(self, shop_id: int) -> list[Service]: ...
    async def service(self, shop_id: int, service_id: int) -> Service | None: ...
    async def professionals(self, shop_id: int) -> list[Professional]: ...
    async def schedules(
        self, professional_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[ProfessionalSchedule]: ...
    async def day_overrides(self, shop_id: int, first: date, last: date) -> list[DayOverride]: ...


class BookingRepository(Protocol):
    """Bookings; `add` raises SlotTaken when the database refuses an overlap."""

    async def busy_blocks(
        self, professional_ids: Sequence[int], start: datetime, end: datetime, now: datetime
    ) -> list[BusyBlock]: ...
    async def seats_taken(self, session_key: str) -> list[int]: ...
    async def customer_bookings(
        self, shop_id: int, customer_id: int, start: datetime, end: datetime, now: datetime
    ) -> list[Booking]:
        """The customer's active turnos in the shop (confirmed, or held with a live hold) whose
        own time (buffers excluded) overlaps [start, end), earliest first."""
        ...

    async def add(self, booking: NewBooking) -> Booking: ...
    async def get(self, booking_id: int) -> Booking | None: ...
    async def update(self, booking: Booking) -> None: ...
    async def expire_holds(
        self, professional_ids: Sequence[int], start: datetime, end: datetime, now: datetime
    ) -> int: ...
    async def create_series(
        self, shop_id: int, customer_id: int, service_id: int, every_weeks: int, count: int
    ) -> int: ...


class CustomerRepository(Protocol):
    """Customers: the person (one across channels and shops) and each shop's record of them."""

    async def get(self, customer_id: int) -> Customer | None: ...
    async def by_phone(self, phone: str) -> Customer | None: ...
    async def add(self, phone: str | None, telegram_user_id: int | None) -> Customer: ...
    async def known(self, shop_id: int, customer_id: int, name: str | None = None) -> ShopCustomer:
        """The shop's record of the person, made on first contact with `name`; a name the shop
        already has is kept."""
        ...

    async def in_shop(self, shop_id: int, customer_id: int) -> ShopCustomer | None: ...


class UnitOfWork(Protocol):
    """One transaction over all repositories; leaving without commit rolls back."""

    @property
    def catalog(self) -> CatalogRepository: ...
    @property
    def bookings(self) -> BookingRepository: ...
    @property
    def customers(self) -> CustomerRepository: ...

    async def __aenter__(self) -> Self: ...
    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...
    async def commit(self) -> None: ...
    def record(self, event: BookingEvent) -> None:
        """Keep a booking event; it is written with the commit, in the same transaction."""
        ...

    def audit(
        self,
        shop_id: int | None,
        action: str,
        subject: str,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        """An audit row in this transaction, when someone acts through it (else nothing)."""
        ...

    async def lock_professionals(self, professional_ids: Sequence[int]) -> None:
        """Serialize writers per professional (PostgreSQL advisory locks; SQLite has one writer)."""
        ...

    async def lock_customer(self, customer_id: int) -> None:
        """Serialize writers per customer, so "one turno at a time per person" holds under races.

        Lock order: a writer takes its customer lock before any professional lock.
        """
        ...


class UnitOfWorkFactory(Protocol):
    """Makes a fresh unit of work per use case (a writer by default)."""

    def __call__(self) -> UnitOfWork: ...

    def read_only(self) -> UnitOfWork:
        """A unit of work for queries only: it never waits for the write lock."""
        ...
