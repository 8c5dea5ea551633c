"""The SQLAlchemy unit of work: one session, one transaction, all repositories."""

from __future__ import annotations

import asyncio
import copy
from collections.abc import Mapping, Sequence
from contextlib import AbstractAsyncContextManager, nullcontext
from types import TracebackType
from typing import Any, Self

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from domain.audit import Acting
from domain.model import BookingEvent
from domain.storage import audit
from domain.storage.engine import light_writer, reader, report_reader
from domain.storage.repositories import (
    SqlAlchemyBookingRepository,
    SqlAlchemyCatalogRepository,
    SqlAlchemyCustomerRepository,
)
from domain.storage.tables import BookingEventRow

# Advisory-lock namespaces (two-int form: class, object): "bookings of professional N" and
# "bookings of customer N". A writer takes its customer lock first, then professionals sorted.
_PROFESSIONAL_LOCK_CLASS = 7301
_CUSTOMER_LOCK_CLASS = 7302


class SqlAlchemyUnitOfWork:
    """A transaction over every repository; commit explicitly, anything else rolls back."""

    def __init__(
        self,
        sessions: async_sessionmaker[AsyncSession],
        writer_lock: AbstractAsyncContextManager[object] | None = None,
        acting: Acting | None = None,
    ) -> None:
        self._sessions = sessions
        self._writer_lock = writer_lock or nullcontext()
        self.acting = acting  # who acts through this unit of work, for the audit trail

    async def __aenter__(self) -> Self:
        await self._writer_lock.__aenter__()
        self.session = self._sessions()
        self.catalog = SqlAlchemyCatalogRepository(self.session)
        self.bookings = SqlAlchemyBookingRepository(self.session)
        self.customers = SqlAlchemyCustomerRepository(self.session)
        self._events: list[BookingEvent] = []
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        try:
            await self.session.rollback()
            await self.session.close()
        finally:
            await self._writer_lock.__aexit__(exc_type, exc, tb)

    async def commit(self) -> None:
        """Make the work durable, with the booking events it recorded."""
        for event in self._events:
            self.session.add(
                BookingEventRow(
                    shop_id=event.shop_id,
                    booking_id=event.booking_id,
                    kind=event.kind.value,
                    previous_booking_id=event.previous_booking_id,
                    created_at=event.at,
                )
            )
            self._audit_event(event)
        self._events.clear()
        await self.session.commit()

    def record(self, event: BookingEvent) -> None:
        """Keep a booking event; it is written with the commit, in the same transaction."""
        self._events.append(event)

    def audit(
        self,
        shop_id: int | None,
        action: str,
        subject: str,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        """An audit row in this transaction, when someone acts through it (else nothing)."""
        if self.acting is not None:
            audit.record(self.session, self.acting, shop_id, action, subject, before, after)

    def _audit_event(self, event: BookingEvent) -> None:
        """A booking made, cancelled or moved by someone acting (not the chat's customers)."""
        before = None
        if event.previous_booking_id is not None:
            before = {"booking_id": event.previous_booking_id}
        after = {"booking_id": event.booking_id, "status": event.kind.value}
        self.audit(
            event.shop_id,
            f"booking.{event.kind.value}",
            f"booking:{event.booking_id}",
            before,
            after,
        )

    async def lock_professionals(self, professional_ids: Sequence[int]) -> None:
        """On PostgreSQL, take per-professional transaction locks in a fixed order."""
        for professional_id in sorted(set(professional_ids)):
            await self._advisory_lock(_PROFESSIONAL_LOCK_CLASS, professional_id)

    async def lock_customer(self, customer_id: int) -> None:
        """On PostgreSQL, take the customer's transaction lock (before any professional's)."""
        await self._advisory_lock(_CUSTOMER_LOCK_CLASS, customer_id)

    async def _advisory_lock(self, cls: int, obj: int) -> None:
        if self.session.get_bind().dialect.name != "postgresql":
            return  # SQLite: BEGIN IMMEDIATE already made this the only writer
        await self.session.execute(
            text("SELECT pg_advisory_xact_lock(:cls, :obj)"), {"cls": cls, "obj": obj}
        )


class UnitOfWorkFactory:
    """Makes units of work on one engine; `read_only()` ones never take the write lock.

    On SQLite, writers of this process also queue on an asyncio lock: only one can write at a
    time anyway, and waiting in line costs microseconds where SQLite's busy handler sleeps and
    retries (measured: 50 concurrent bookings of one slot, 4.5 s without the lock). Other
    processes are still kept out by BEGIN IMMEDIATE and the busy timeout. A writer must not
    open a second writer unit of work while it holds one.
    """

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self._sqlite_writer_lock = asyncio.Lock() if engine.dialect.name == "sqlite" else None
        self._writer = async_sessionmaker(engine, expire_on_commit=False)
        self._reader = async_sessionmaker(reader(engine), expire_on_commit=False)
        self._light = async_sessionmaker(light_writer(engine), expire_on_commit=False)
        self._report = async_sessionmaker(report_reader(engine), expire_on_commit=False)
        self._acting: Acting | None = None

    def __call__(self) -> SqlAlchemyUnitOfWork:
        return SqlAlchemyUnitOfWork(self._writer, self._sqlite_writer_lock, self._acting)

    def acting(self, acting: Acting) -> UnitOfWorkFactory:
        """The same factory (engine, locks) whose writers record `acting` in the audit trail:
        what an adapter hands a use case on behalf of a dashboard user or an API key."""
        bound = copy.copy(self)
        bound._acting = acting
        return bound

    async def audit_alone(
        self,
        shop_id: int | None,
        action: str,
        subject: str,
        before: Mapping[str, Any] | None = None,
        after: Mapping[str, Any] | None = None,
    ) -> None:
        """An audit row of its own (an event with no change to commit it with); nothing when
        no one acts through this factory."""
        if self._acting is None:
            return
        async with self() as uow:
            uow.audit(shop_id, action, subject, before, after)
            await uow.commit()

    def light(self) -> SqlAlchemyUnitOfWork:
        """A writer unit of work whose commit need not survive a power cut (see engine.py): a
        chat turn's state and replies, never a booking or a payment."""
        return SqlAlchemyUnitOfWork(self._light, self._sqlite_writer_lock, self._acting)

    def read_only(self) -> SqlAlchemyUnitOfWork:
        """A unit of work for queries only (availability, listings)."""
        return SqlAlchemyUnitOfWork(self._reader)

    def report(self) -> SqlAlchemyUnitOfWork:
        """A unit of work for long queries (a report over months or years): on SQLite they
        run on a reader thread, so the chats keep being answered meanwhile."""
        return SqlAlchemyUnitOfWork(self._report)
