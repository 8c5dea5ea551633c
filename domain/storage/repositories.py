"""SQLAlchemy implementations of the domain's repositories."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Integer,
    and_,
    cast,
    func,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from domain.availability import BusyBlock
from domain.catalog_rules import parse_synonyms
from domain.errors import SlotTaken
from domain.model import (
    Booking,
    BookingPolicy,
    BookingStatus,
    CancelledBy,
    Customer,
    DayOverride,
    NewBooking,
    Professional,
    ProfessionalSchedule,
    Service,
    Shop,
    ShopCustomer,
    TimeOff,
    Vertical,
    WeeklyPeriod,
    parse_reminder_hours,
)
from domain.money import Money
from domain.payments import Deposit, DepositKind, DepositWhen, PaymentMethod, PaymentSettings
from domain.storage.tables import (
    ACTIVE_BOOKING,
    Base,
    BookingRow,
    BookingSeriesRow,
    CustomerRow,
    DayOverrideRow,
    ProfessionalRow,
    ServiceProfessionalRow,
    ServiceRow,
    ShopCustomerRow,
    ShopRow,
    TimeOffRow,
    WorkingPeriodRow,
)

ACTIVE = (BookingStatus.HELD.value, BookingStatus.CONFIRMED.value)
# The longest block a booking can hold (services are capped at 12 h, plus buffers): lets the
# overlap query bound block_start from below so it walks only the days asked, not the history.
MAX_BLOCK = timedelta(hours=14)


class SqlAlchemyCatalogRepository:
    """Shops, services, professionals and their schedules."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def list_shops(self) -> list[Shop]:
        rows = await self.session.scalars(select(ShopRow).order_by(ShopRow.slug))
        return [shop_from_row(r) for r in rows]

    async def shop_by_slug(self, slug: str) -> Shop | None:
        row = await self.session.scalar(select(ShopRow).where(ShopRow.slug == slug))
        return shop_from_row(row) if row else None

    async def shop(self, shop_id: int) -> Shop | None:
        row = await self.session.get(ShopRow, shop_id)
        return shop_from_row(row) if row else None

    async def services(self, shop_id: int) -> list[Service]:
        rows = (
            await self.session.scalars(
                select(ServiceRow).where(ServiceRow.shop_id == shop_id).order_by(ServiceRow.id)
            )
        ).all()
        links = await self._links([r.id for r in rows])
        return [service_from_row(r, links.get(r.id, frozenset())) for r in rows]

    async def service(self, shop_id: int, service_id: int) -> Service | None:
        rows = (
            await self.session.execute(
                select(ServiceRow, ServiceProfessionalRow.professional_id)
                .outerjoin(ServiceProfessionalRow)
                .where(ServiceRow.id == service_id, ServiceRow.shop_id == shop_id)
            )
        ).all()
        if not rows:
            return None
        professional_ids = frozenset(pid for _, pid in rows if pid is not None)
        return service_from_row(rows[0][0], professional_ids)

    async def professionals(self, shop_id: int) -> list[Professional]:
        rows = await self.session.scalars(
            select(ProfessionalRow)
            .where(ProfessionalRow.shop_id == shop_id)
            .order_by(ProfessionalRow.id)
        )
        return [Professional(r.id, r.shop_id, r.name, r.nickname, r.active) for r in rows]

    async def schedules(
        self, professional_ids: Sequence[int], start: datetime, end: datetime
    ) -> list[ProfessionalSchedule]:
        periods = await self.session.execute(
            select(
                WorkingPeriodRow.professional_id,
                WorkingPeriodRow.kind,
                WorkingPeriodRow.weekday,
                WorkingPeriodRow.starts,
                WorkingPeriodRow.ends,
            )
            .join(ProfessionalRow)
            .where(
                WorkingPeriodRow.professional_id.in_(professional_ids),
                ProfessionalRow.active.is_(True),
            )
        )
        hours: dict[int, list[WeeklyPeriod]] = {}
        breaks: dict[int, list[WeeklyPeriod]] = {}
        for pid, kind, weekday, starts, ends in periods:
            target = hours if kind == "work" else breaks
            target.setdefault(pid, []).append(WeeklyPeriod(weekday, starts, ends))
        time_off = await self.session.scalars(
            select(TimeOffRow).where(
                TimeOffRow.professional_id.in_(list(hours)),
                TimeOffRow.starts_at < end,
                TimeOffRow.ends_at > start,
            )
        )
        offs: dict[int, list[TimeOff]] = {}
        for t in time_off:
            offs.setdefault(t.professional_id, []).append(
                TimeOff(t.professional_id, t.starts_at, t.ends_at, t.reason)
            )
        return [
            ProfessionalSchedule(
                pid, tuple(hours[pid]), tuple(breaks.get(pid, ())), tuple(offs.get(pid, ()))
            )
            for pid in sorted(hours)
        ]

    async def day_overrides(self, shop_id: int, first: date, last: date) -> list[DayOverride]:
        rows = await self.session.scalars(
            select(DayOverrideRow).where(
                DayOverrideRow.shop_id == shop_id,
                DayOverrideRow.day >= first,
                DayOverrideRow.day <= last,
            )
        )
        return [DayOverride(r.day, r.is_open, r.note) for r in rows]

    async def _links(self, service_ids: list[int]) -> dict[int, frozenset[int]]:
        rows = await self.session.execute(
            select(ServiceProfessionalRow.service_id, ServiceProfessionalRow.professional_id).where(
                ServiceProfessionalRow.service_id.in_(service_ids)
            )
        )
        links: dict[int, set[int]] = {}
        for service_id, professional_id in rows:
            links.setdefault(service_id, set()).add(professional_id)
        return {k: frozenset(v) for k, v in links.items()}


class SqlAlchemyBookingRepository:
    """Bookings, their sessions and the busy time they take."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def busy_blocks(
        self, professional_ids: Sequence[int], start: datetime, end: datetime, now: datetime
    ) -> list[BusyBlock]:
        # The hot read of availability: plain columns, times as epoch seconds computed by the
        # database (parsing hundreds of timestamps row by row costs more than the query), and
        # seats counted here rather than with a GROUP BY.
        live_hold = and_(
            BookingRow.status == BookingStatus.HELD.value, BookingRow.hold_expires_at > now
        )
        dialect = self.session.get_bind().dialect.name
        rows = await self.session.execute(
            select(
                BookingRow.professional_id,
                BookingRow.session_key,
                _epoch(BookingRow.block_start, dialect),
                _epoch(BookingRow.block_end, dialect),
                BookingRow.capacity,
            ).where(
                BookingRow.professional_id.in_(professional_ids),
                text(ACTIVE_BOOKING),  # literal, so SQLite uses the partial index
                BookingRow.block_start >= start - MAX_BLOCK,
                BookingRow.block_start < end,
                BookingRow.block_end > start,
                (BookingRow.status == BookingStatus.CONFIRMED.value) | live_hold,
            )
        )
        sessions: dict[tuple[int, str], list[int]] = {}
        for pid, key, block_start, block_end, capacity in rows:
            seen = sessions.get((pid, key))
            if seen is None:
                sessions[(pid, key)] = [block_start, block_end, 1, capacity]
            else:
                seen[2] += 1
        return [
            BusyBlock(pid, _from_epoch(b_start), _from_epoch(b_end), key, taken, capacity)
            for (pid, key), (b_start, b_end, taken, capacity) in sessions.items()
        ]

    async def seats_taken(self, session_key: str) -> list[int]:
        rows = await self.session.scalars(
            select(BookingRow.seat_no).where(
                BookingRow.session_key == session_key, BookingRow.status.in_(ACTIVE)
            )
        )
        return list(rows)

    async def customer_bookings(
        self, shop_id: int, customer_id: int, start: datetime, end: datetime, now: datetime
    ) -> list[Booking]:
        live_hold = and_(
            BookingRow.status == BookingStatus.HELD.value, BookingRow.hold_expires_at > now
        )
        rows = await self.session.scalars(
            select(BookingRow)
            .where(
                BookingRow.customer_id == customer_id,
                BookingRow.shop_id == shop_id,
                BookingRow.status.in_(ACTIVE),
                (BookingRow.status == BookingStatus.CONFIRMED.value) | live_hold,
                BookingRow.starts_at >= start - MAX_BLOCK,  # bounded: walks days, not history
                BookingRow.starts_at < end,
                BookingRow.ends_at > start,
            )
            .order_by(BookingRow.starts_at, BookingRow.id)
        )
        return [booking_from_row(r) for r in rows]

    async def add(self, booking: NewBooking) -> Booking:
        row = BookingRow(
            shop_id=booking.shop_id,
            service_id=booking.service_id,
            professional_id=booking.professional_id,
            customer_id=booking.customer_id,
            series_id=booking.series_id,
            rescheduled_from_id=booking.rescheduled_from_id,
            starts_at=booking.starts_at,
            ends_at=booking.ends_at,
            block_start=booking.block_start,
            block_end=booking.block_end,
            session_key=booking.session_key,
            seat_no=booking.seat_no,
            capacity=booking.capacity,
            status=booking.status.value,
            price_cents=booking.price.cents,
            currency=booking.price.currency,
            hold_expires_at=booking.hold_expires_at,
            created_at=booking.created_at,
            late_cancellation=False,
            payment_method=booking.payment_method,
            channel=booking.channel,
        )
        self.session.add(row)
        try:
            await self.session.flush()
        except IntegrityError as error:
            # The database refused an overlapping block or a seat already taken.
            raise SlotTaken() from error
        return booking_from_row(row)

    async def get(self, booking_id: int) -> Booking | None:
        row = await self.session.get(BookingRow, booking_id)
        return booking_from_row(row) if row else None

    async def update(self, booking: Booking) -> None:
        await self.session.execute(
            update(BookingRow)
            .where(BookingRow.id == booking.id)
            .values(
                status=booking.status.value,
                hold_expires_at=booking.hold_expires_at,
                cancelled_at=booking.cancelled_at,
                cancelled_by=booking.cancelled_by.value if booking.cancelled_by else None,
                late_cancellation=booking.late_cancellation,
            )
            .execution_options(synchronize_session=False)
        )
        self.session.expire_all()

    async def expire_holds(
        self, professional_ids: Sequence[int], start: datetime, end: datetime, now: datetime
    ) -> int:
        result = await self.session.execute(
            update(BookingRow)
            .where(
                BookingRow.professional_id.in_(professional_ids),
                text(ACTIVE_BOOKING),
                BookingRow.status == BookingStatus.HELD.value,
                BookingRow.hold_expires_at <= now,
                BookingRow.block_start >= start - MAX_BLOCK,
                BookingRow.block_start < end,
            )
            .values(status=BookingStatus.EXPIRED.value)
            .execution_options(synchronize_session=False)
        )
        return int(getattr(result, "rowcount", 0) or 0)

    async def create_series(
        self, shop_id: int, customer_id: int, service_id: int, every_weeks: int, count: int
    ) -> int:
        row = BookingSeriesRow(
            shop_id=shop_id,
            customer_id=customer_id,
            service_id=service_id,
            every_weeks=every_weeks,
            occurrences=count,
        )
        self.session.add(row)
        await self.session.flush()
        return row.id


class SqlAlchemyCustomerRepository:
    """Customers: people, and each shop's record of them."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, customer_id: int) -> Customer | None:
        row = await self.session.get(CustomerRow, customer_id)
        return customer_from_row(row) if row else None

    async def by_phone(self, phone: str) -> Customer | None:
        row = await self.session.scalar(select(CustomerRow).where(CustomerRow.phone == phone))
        return customer_from_row(row) if row else None

    async def add(self, phone: str | None, telegram_user_id: int | None) -> Customer:
        row = CustomerRow(phone=phone, telegram_user_id=telegram_user_id)
        try:
            # A savepoint: when a concurrent writer adds the same person first (two bookings
            # from one new phone at once), the transaction survives and uses theirs.
            async with self.session.begin_nested():
                self.session.add(row)
        except IntegrityError:
            same = [CustomerRow.phone == phone] if phone is not None else []
            if telegram_user_id is not None:
                same.append(CustomerRow.telegram_user_id == telegram_user_id)
            if not same:
                raise
            existing = await self.session.scalar(select(CustomerRow).where(or_(*same)))
            if existing is None:
                raise
            return customer_from_row(existing)
        return customer_from_row(row)

    async def known(self, shop_id: int, customer_id: int, name: str | None = None) -> ShopCustomer:
        # One statement, race-free: the first writer makes the row, later ones (or a second
        # process) only fill in a name the shop did not have.
        statement = upsert(self.session, ShopCustomerRow).values(
            shop_id=shop_id, customer_id=customer_id, name=name
        )
        statement = statement.on_conflict_do_update(
            index_elements=["shop_id", "customer_id"],
            set_={"name": func.coalesce(ShopCustomerRow.name, statement.excluded.name)},
        ).returning(*ShopCustomerRow.__table__.c)
        row = (await self.session.execute(statement)).one()
        return shop_customer_from_row(row)

    async def rename(self, shop_id: int, customer_id: int, name: str) -> None:
        """The name the person gave the shop, replacing the one it had."""
        statement = upsert(self.session, ShopCustomerRow).values(
            shop_id=shop_id, customer_id=customer_id, name=name
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["shop_id", "customer_id"], set_={"name": statement.excluded.name}
            )
        )

    async def in_shop(self, shop_id: int, customer_id: int) -> ShopCustomer | None:
        row = await self.session.scalar(
            select(ShopCustomerRow).where(
                ShopCustomerRow.shop_id == shop_id, ShopCustomerRow.customer_id == customer_id
            )
        )
        return shop_customer_from_row(row) if row else None


def upsert(session: AsyncSession, table: type[Base]) -> Any:
    """INSERT … ON CONFLICT for the session's database (SQLite and PostgreSQL both have it)."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql_insert(table)
    return sqlite_insert(table)


def shop_from_row(row: ShopRow) -> Shop:
    """Domain Shop from its row."""
    policy = BookingPolicy(
        min_notice_minutes=row.min_notice_minutes,
        max_days_ahead=row.max_days_ahead,
        slot_step_minutes=row.slot_step_minutes,
        hold_minutes=row.hold_minutes,
        free_cancellation_hours=row.free_cancellation_hours,
        open_on_holidays=row.open_on_holidays,
        reminder_hours=parse_reminder_hours(row.reminder_hours),
        no_show_grace_minutes=row.no_show_grace_minutes,
        agenda_hour=row.agenda_hour,
        comeback_nudges=row.comeback_nudges,
    )
    return Shop(
        row.id,
        row.slug,
        row.name,
        Vertical(row.vertical),
        row.timezone,
        row.currency,
        row.locale,
        policy,
        payment_settings_from_row(row),
        row.address,
        row.maps_url,
        row.contact_phone,
    )


def payment_settings_from_row(row: ShopRow) -> PaymentSettings:
    """A shop's payment setup from its row (unknown method names are skipped)."""
    known = {m.value: m for m in PaymentMethod}
    methods = tuple(known[m] for m in row.payment_methods.split(",") if m in known)
    return PaymentSettings(
        methods=methods,
        max_cuotas=row.max_cuotas,
        cash_tickets=row.cash_tickets,
        transfer_alias=row.transfer_alias,
        transfer_account=row.transfer_account,
        cuit=row.cuit,
        cash_confirms=row.cash_confirms,
        deposit_when=DepositWhen(row.deposit_when),
        commission_bps=row.commission_bps,
        professional_percent=row.professional_percent,
    )


def service_from_row(row: ServiceRow, professional_ids: frozenset[int]) -> Service:
    """Domain Service from its row and the professionals who offer it."""
    return Service(
        id=row.id,
        shop_id=row.shop_id,
        name=row.name,
        duration_minutes=row.duration_minutes,
        price=Money(row.price_cents, row.currency),
        buffer_before_minutes=row.buffer_before_minutes,
        buffer_after_minutes=row.buffer_after_minutes,
        seats=row.seats,
        professional_ids=professional_ids,
        active=row.active,
        deposit=Deposit(DepositKind(row.deposit_kind), row.deposit_value),
        synonyms=parse_synonyms(row.synonyms),
    )


def customer_from_row(row: CustomerRow) -> Customer:
    """Domain Customer from its row."""
    return Customer(row.id, row.phone, row.telegram_user_id)


def shop_customer_from_row(row: Any) -> ShopCustomer:
    """Domain ShopCustomer from its row (an ORM row or a plain result row)."""
    return ShopCustomer(row.id, row.shop_id, row.customer_id, row.name, row.notes)


def booking_from_row(row: BookingRow) -> Booking:
    """Domain Booking from its row."""
    return Booking(
        id=row.id,
        shop_id=row.shop_id,
        service_id=row.service_id,
        professional_id=row.professional_id,
        customer_id=row.customer_id,
        starts_at=row.starts_at,
        ends_at=row.ends_at,
        block_start=row.block_start,
        block_end=row.block_end,
        status=BookingStatus(row.status),
        price=Money(row.price_cents, row.currency),
        seat_no=row.seat_no,
        capacity=row.capacity,
        hold_expires_at=row.hold_expires_at,
        series_id=row.series_id,
        rescheduled_from_id=row.rescheduled_from_id,
        created_at=row.created_at,
        cancelled_at=row.cancelled_at,
        cancelled_by=CancelledBy(row.cancelled_by) if row.cancelled_by else None,
        late_cancellation=row.late_cancellation,
        payment_method=row.payment_method,
        channel=row.channel,
    )


def _epoch(column: InstrumentedAttribute[datetime], dialect: str) -> ColumnElement[int]:
    """Whole UTC seconds of a timestamp column, computed by the database."""
    if dialect == "sqlite":
        return cast(func.strftime("%s", column), Integer)
    return cast(func.extract("epoch", column), BigInteger)


def _from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)
