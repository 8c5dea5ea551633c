"""Booking use cases: find slots, book, hold, confirm, cancel, reschedule, complete, no-show.

Every use case runs in one unit of work. Writers lock the customer, then the professionals
involved (always in that order), expire stale holds, refuse a time that overlaps another active
turno of the same customer in the shop (CustomerBusy), re-check the slot with the same
availability rules the customer saw, then insert; the database constraints are the last guard
and turn a lost race into SlotTaken.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from domain.availability import (
    BusyBlock,
    Slot,
    bookable_days,
    free_days,
    free_slots,
    utc_window,
)
from domain.calendar import ShopCalendar
from domain.closed_days import ClosedDay, closed_days
from domain.customers import find_or_add_customer
from domain.errors import CustomerBusy, InvalidRequest, NotFound, SlotTaken
from domain.model import (
    Booking,
    BookingEvent,
    BookingEventKind,
    BookingStatus,
    CancelledBy,
    NewBooking,
    ProfessionalSchedule,
    Service,
    Shop,
    session_key,
)
from domain.phone import normalize_phone
from domain.ports import Clock, UnitOfWork, UnitOfWorkFactory

ALTERNATIVES = 3
_ALTERNATIVES_DAYS = 3


class HoldExpired(InvalidRequest):
    """A held booking whose time to pay ran out before it was confirmed."""

    code = "hold_expired"


class NotBookable(InvalidRequest):
    """A start that is never offered: outside hours, on a closed day, too soon or too far."""

    code = "not_bookable"


@dataclass(frozen=True)
class NewCustomer:
    """Who is booking when they may not be a customer yet: found by phone, else created.

    Without a phone (a walk-in the shop books by hand) they are a new person every time.
    """

    name: str
    phone: str | None


@dataclass(frozen=True)
class BookingRequest:
    """What a customer asks for; professional_id None means "cualquiera"."""

    shop_id: int
    service_id: int
    customer: int | NewCustomer
    start: datetime
    professional_id: int | None = None
    hold: bool = False
    series_id: int | None = None
    payment_method: str | None = None
    hold_minutes: int | None = None  # how long a hold lasts; the shop's policy when None
    channel: str | None = None  # where it is asked: a chat channel's name, or "api"
    by_shop: bool = False  # the shop books by hand: no minimum notice (see for_the_shop)


async def find_slots(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    shop_id: int,
    service_id: int,
    professional_id: int | None,
    first_day: date,
    last_day: date,
    by_shop: bool = False,
) -> list[Slot]:
    """Free slots for a service over local days, with one professional or any (`by_shop`:
    as the shop books by hand, without the minimum notice)."""
    async with uow_factory.read_only() as uow:
        shop, service = await _shop_and_service(uow, shop_id, service_id, by_shop)
        pro_ids = _professionals_for(service, professional_id)
        return await _slots(uow, shop, service, pro_ids, first_day, last_day, clock.now())


@dataclass(frozen=True)
class FreeDays:
    """The days with a free start, and of the days asked for, those nobody works."""

    days: list[date]
    closed: list[ClosedDay]


async def find_days(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    shop_id: int,
    service_id: int,
    professional_id: int | None,
    first_day: date,
    last_day: date,
    window: tuple[time, time] | None = None,
    wanted: tuple[date, date] | None = None,
) -> FreeDays:
    """Which local days have a free start inside `window`; and why `wanted` days have none."""
    now = clock.now()
    async with uow_factory.read_only() as uow:
        shop, service = await _shop_and_service(uow, shop_id, service_id)
        pro_ids = _professionals_for(service, professional_id)
        agenda = await _agenda(uow, shop, service, pro_ids, first_day, last_day, now)
    if agenda is None:
        return FreeDays([], [])
    days = agenda.free_days(shop, service, now, window)
    closed: list[ClosedDay] = []
    if wanted is not None:  # within the days read, with the schedules and calendar just read
        closed = closed_days(
            shop=shop,
            service=service,
            schedules=agenda.schedules,
            calendar=agenda.calendar,
            first_day=max(wanted[0], agenda.first),
            last_day=min(wanted[1], agenda.last),
            now=now,
        )
    return FreeDays(days, closed)


async def book(uow_factory: UnitOfWorkFactory, clock: Clock, request: BookingRequest) -> Booking:
    """Take the slot (held while paying, else confirmed) or raise SlotTaken with alternatives.

    CustomerBusy when the customer already has an active turno overlapping that time.
    """
    if request.start.tzinfo is None:
        raise InvalidRequest("start needs a UTC offset")
    try:
        async with uow_factory() as uow:
            shop, service = await _shop_and_service(
                uow, request.shop_id, request.service_id, request.by_shop
            )
            customer_id = await resolve_customer(uow, request.shop_id, request.customer)
            pro_ids = _professionals_for(service, request.professional_id)
            booking = await _claim(uow, shop, service, pro_ids, request, customer_id, clock.now())
            await uow.commit()
            return booking
    except SlotTaken:
        raise SlotTaken(alternatives=await nearest_slots(uow_factory, clock, request)) from None


async def nearest_slots(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    request: BookingRequest,
    moving: int | None = None,
) -> list[Slot]:
    """The free slots closest in time to the one asked for (for "ya no está disponible").

    Times that overlap another active turno of the customer are left out (they would only be
    refused as customer_busy); `moving` is the booking being rescheduled, whose time is not.
    """
    async with uow_factory.read_only() as uow:
        shop, service = await _shop_and_service(
            uow, request.shop_id, request.service_id, request.by_shop
        )
        pro_ids = _professionals_for(service, request.professional_id)
        day = request.start.astimezone(ZoneInfo(shop.timezone)).date()
        window = timedelta(days=_ALTERNATIVES_DAYS)
        now = clock.now()
        slots = await _slots(uow, shop, service, pro_ids, day - window, day + window, now)
        customer_id = await _known_customer(uow, request.customer)
        if customer_id is not None and slots:
            theirs = await uow.bookings.customer_bookings(
                shop.id, customer_id, min(s.start for s in slots), max(s.end for s in slots), now
            )
            mine = [b for b in theirs if b.id != moving]
            slots = [s for s in slots if not _overlapping(mine, s.start, s.end)]
    slots.sort(key=lambda s: (abs(s.start - request.start), s.start))
    return slots[:ALTERNATIVES]


async def confirm(uow_factory: UnitOfWorkFactory, clock: Clock, booking_id: int) -> Booking:
    """Held → confirmed (payment arrived); an expired hold is refused."""
    async with uow_factory() as uow:
        booking = await _get(uow, booking_id)
        if booking.status is BookingStatus.CONFIRMED:
            return booking  # a repeated confirmation has one effect
        now = clock.now()
        if booking.hold_expires_at is not None and booking.hold_expires_at <= now:
            if booking.status is BookingStatus.HELD:
                await uow.bookings.update(booking.move_to(BookingStatus.EXPIRED))
                await uow.commit()
            raise HoldExpired("the hold expired before it was confirmed")
        confirmed = replace(booking.move_to(BookingStatus.CONFIRMED), hold_expires_at=None)
        await uow.bookings.update(confirmed)
        uow.record(BookingEvent(BookingEventKind.CONFIRMED, booking.shop_id, booking.id, now))
        await uow.commit()
        return confirmed


async def cancel(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    booking_id: int,
    by: CancelledBy = CancelledBy.CUSTOMER,
) -> Booking:
    """Cancel; a customer cancelling inside the shop's notice window is a late cancellation."""
    async with uow_factory() as uow:
        booking = await _get(uow, booking_id)
        if booking.status is BookingStatus.CANCELLED:
            return booking
        shop = await _shop(uow, booking.shop_id)
        now = clock.now()
        cancelled = replace(
            booking.move_to(BookingStatus.CANCELLED),
            cancelled_at=now,
            cancelled_by=by,
            late_cancellation=by is CancelledBy.CUSTOMER
            and is_late_cancellation(shop, booking, now),
        )
        await uow.bookings.update(cancelled)
        was_held = booking.status is BookingStatus.HELD
        kind = BookingEventKind.RELEASED if was_held else BookingEventKind.CANCELLED
        uow.record(BookingEvent(kind, shop.id, booking.id, now))
        await uow.commit()
        return cancelled


def is_late_cancellation(shop: Shop, booking: Booking, now: datetime) -> bool:
    """True when cancelling now falls inside the shop's paid-cancellation window."""
    return now > free_cancellation_until(shop, booking.starts_at)


def free_cancellation_until(shop: Shop, starts_at: datetime) -> datetime:
    """Until when a customer may cancel a turno starting then without losing the seña."""
    return starts_at - timedelta(hours=shop.policy.free_cancellation_hours)


async def reschedule(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    booking_id: int,
    new_start: datetime,
    professional_id: int | None = None,
    by_shop: bool = False,
) -> Booking:
    """Move a booking atomically: the old slot is freed only if the new one is won.

    The professional stays the same unless another one is named; `by_shop`: the shop moves
    it by hand, without the minimum notice.
    """
    if new_start.tzinfo is None:
        raise InvalidRequest("start needs a UTC offset")
    async with uow_factory() as uow:
        old = await _get(uow, booking_id)
        shop, service = await _shop_and_service(uow, old.shop_id, old.service_id, by_shop)
        now = clock.now()
        released = replace(
            old.move_to(BookingStatus.CANCELLED),
            cancelled_at=now,
            cancelled_by=CancelledBy.CUSTOMER,
        )
        professional_id = professional_id or old.professional_id
        pro_ids = _professionals_for(service, professional_id)
        await uow.lock_customer(old.customer_id)  # customer first, then professionals
        await uow.lock_professionals(sorted({old.professional_id, *pro_ids}))
        await uow.bookings.update(released)
        request = BookingRequest(
            shop.id,
            service.id,
            old.customer_id,
            new_start,
            professional_id,
            hold=old.status is BookingStatus.HELD,
            by_shop=by_shop,
        )
        # The old turno is already released inside this transaction, so a new time that
        # overlaps it is not "customer busy"; any other active turno of theirs still is.
        try:
            new = await _claim(uow, shop, service, pro_ids, request, old.customer_id, now, old)
        except SlotTaken:
            pass
        else:
            await uow.commit()
            return new
    raise SlotTaken(alternatives=await nearest_slots(uow_factory, clock, request, old.id))


async def complete(uow_factory: UnitOfWorkFactory, clock: Clock, booking_id: int) -> Booking:
    """Mark a turno as done (once it has started)."""
    return await _close(uow_factory, clock, booking_id, BookingStatus.COMPLETED)


async def mark_no_show(uow_factory: UnitOfWorkFactory, clock: Clock, booking_id: int) -> Booking:
    """Mark that the customer did not come (once the turno has started)."""
    return await _close(uow_factory, clock, booking_id, BookingStatus.NO_SHOW)


async def expire_hold(uow_factory: UnitOfWorkFactory, clock: Clock, booking_id: int) -> Booking:
    """Held past its time → expired (its slot is free again); the booking as it stands after.

    A hold still in time, or one already confirmed, cancelled or expired, is left as it is, so
    running this twice has one effect.
    """
    async with uow_factory() as uow:
        booking = await _get(uow, booking_id)
        expires = booking.hold_expires_at
        if booking.status is not BookingStatus.HELD or expires is None or clock.now() < expires:
            return booking
        expired = booking.move_to(BookingStatus.EXPIRED)
        await uow.bookings.update(expired)
        await uow.commit()
        return expired


async def extend_hold(uow_factory: UnitOfWorkFactory, booking_id: int, until: datetime) -> Booking:
    """A held turno waits longer (a transfer the shop has yet to see); never shorter."""
    async with uow_factory() as uow:
        booking = await _get(uow, booking_id)
        current = booking.hold_expires_at
        if booking.status is not BookingStatus.HELD or current is None or current >= until:
            return booking
        longer = replace(booking, hold_expires_at=until)
        await uow.bookings.update(longer)
        await uow.commit()
        return longer


async def no_show_if_unmarked(
    uow_factory: UnitOfWorkFactory, clock: Clock, booking_id: int, grace: timedelta
) -> Booking | None:
    """A turno still confirmed `grace` after its end → no-show; None when left as it was.

    One the professional marked (done or no-show), or cancelled, is never touched.
    """
    async with uow_factory() as uow:
        booking = await _get(uow, booking_id)
        if booking.status is not BookingStatus.CONFIRMED or clock.now() < booking.ends_at + grace:
            return None
        marked = booking.move_to(BookingStatus.NO_SHOW)
        await uow.bookings.update(marked)
        await uow.commit()
        return marked


async def get_booking(uow_factory: UnitOfWorkFactory, booking_id: int) -> Booking:
    """One booking by id."""
    async with uow_factory.read_only() as uow:
        return await _get(uow, booking_id)


async def _close(
    uow_factory: UnitOfWorkFactory, clock: Clock, booking_id: int, status: BookingStatus
) -> Booking:
    async with uow_factory() as uow:
        booking = await _get(uow, booking_id)
        if booking.status is status:
            return booking
        if clock.now() < booking.starts_at:
            raise InvalidRequest("the turno has not started yet")
        closed = booking.move_to(status)
        await uow.bookings.update(closed)
        # Not a booking event (nobody is told), but who marked it is the shop's to know.
        uow.audit(
            booking.shop_id,
            f"booking.{status.value}",
            f"booking:{booking.id}",
            {"status": booking.status.value},
            {"status": status.value},
        )
        await uow.commit()
        return closed


async def _claim(
    uow: UnitOfWork,
    shop: Shop,
    service: Service,
    pro_ids: list[int],
    request: BookingRequest,
    customer_id: int,
    now: datetime,
    replacing: Booking | None = None,
) -> Booking:
    """Inside a transaction: re-check the customer and the slot, insert the booking, or raise.

    The customer's lock comes before the professionals' (a fixed order, so two writers never
    wait on each other crosswise); with both held the checks below cannot be raced.
    """
    await uow.lock_customer(customer_id)
    await uow.lock_professionals(pro_ids)
    # The customer's own time, buffers excluded (they are the professional's, not theirs).
    ends = request.start + service.duration
    theirs = await uow.bookings.customer_bookings(shop.id, customer_id, request.start, ends, now)
    if theirs:
        raise CustomerBusy(theirs[0].id)
    day = request.start.astimezone(ZoneInfo(shop.timezone)).date()
    start, end = utc_window(shop, day - timedelta(days=1), day + timedelta(days=1))
    await uow.bookings.expire_holds(pro_ids, start, end, now)
    free = await _slots(uow, shop, service, pro_ids, day, day, now)
    matches = [s for s in free if s.start == request.start]
    if not matches:
        if not await _is_ever_offered(uow, shop, service, pro_ids, request.start, now):
            raise NotBookable("that time is not offered for this service")
        raise SlotTaken()
    slot = matches[0]
    key = session_key(slot.professional_id, service.id, slot.start)
    seat = _first_free_seat(await uow.bookings.seats_taken(key), service.seats)
    before = timedelta(minutes=service.buffer_before_minutes)
    after = timedelta(minutes=service.buffer_after_minutes)
    hold_minutes = request.hold_minutes or shop.policy.hold_minutes
    hold_until = now + timedelta(minutes=hold_minutes) if request.hold else None
    booking = await uow.bookings.add(
        NewBooking(
            shop_id=shop.id,
            service_id=service.id,
            professional_id=slot.professional_id,
            customer_id=customer_id,
            starts_at=slot.start,
            ends_at=slot.end,
            block_start=slot.start - before,
            block_end=slot.end + after,
            status=BookingStatus.HELD if request.hold else BookingStatus.CONFIRMED,
            price=replacing.price if replacing else service.price,
            seat_no=seat,
            capacity=service.seats,
            created_at=now,
            hold_expires_at=hold_until,
            series_id=replacing.series_id if replacing else request.series_id,
            rescheduled_from_id=replacing.id if replacing else None,
            payment_method=replacing.payment_method if replacing else request.payment_method,
            channel=replacing.channel if replacing else request.channel,
        )
    )
    if replacing is None:
        kind = BookingEventKind.HELD if request.hold else BookingEventKind.BOOKED
        uow.record(BookingEvent(kind, shop.id, booking.id, now))
    else:
        uow.record(BookingEvent(BookingEventKind.MOVED, shop.id, booking.id, now, replacing.id))
    return booking


async def _is_ever_offered(
    uow: UnitOfWork,
    shop: Shop,
    service: Service,
    pro_ids: list[int],
    start: datetime,
    now: datetime,
) -> bool:
    """Would this start be offered on an empty agenda? Tells "taken" from "never offered"."""
    day = start.astimezone(ZoneInfo(shop.timezone)).date()
    window = utc_window(shop, day, day)
    schedules = await uow.catalog.schedules(pro_ids, *window)
    schedules = [replace(s, time_off=()) for s in schedules]
    calendar = ShopCalendar.build(
        shop.policy.open_on_holidays, await uow.catalog.day_overrides(shop.id, day, day)
    )
    slots = free_slots(
        shop=shop,
        service=service,
        schedules=schedules,
        busy=(),
        calendar=calendar,
        first_day=day,
        last_day=day,
        now=now,
    )
    return any(s.start == start for s in slots)


@dataclass(frozen=True)
class _Agenda:
    """What availability needs for some bookable days, read in one unit of work."""

    first: date
    last: date
    schedules: list[ProfessionalSchedule]
    busy: list[BusyBlock]
    calendar: ShopCalendar

    def free_slots(self, shop: Shop, service: Service, now: datetime) -> list[Slot]:
        return free_slots(
            shop=shop,
            service=service,
            schedules=self.schedules,
            busy=self.busy,
            calendar=self.calendar,
            first_day=self.first,
            last_day=self.last,
            now=now,
        )

    def free_days(
        self, shop: Shop, service: Service, now: datetime, window: tuple[time, time] | None
    ) -> list[date]:
        return free_days(
            shop=shop,
            service=service,
            schedules=self.schedules,
            busy=self.busy,
            calendar=self.calendar,
            first_day=self.first,
            last_day=self.last,
            now=now,
            window=window,
        )


async def _agenda(
    uow: UnitOfWork,
    shop: Shop,
    service: Service,
    pro_ids: list[int],
    first: date,
    last: date,
    now: datetime,
) -> _Agenda | None:
    """The schedules, busy blocks and calendar of the bookable days in `first`..`last`."""
    first, last = bookable_days(shop, now, first, last)
    if first > last:
        return None
    start, end = utc_window(shop, first, last)
    margin = timedelta(minutes=service.buffer_before_minutes + service.buffer_after_minutes)
    schedules = await uow.catalog.schedules(pro_ids, start - margin, end + margin)
    busy = await uow.bookings.busy_blocks(pro_ids, start - margin, end + margin, now)
    overrides = await uow.catalog.day_overrides(shop.id, first, last)
    calendar = ShopCalendar.build(shop.policy.open_on_holidays, overrides)
    return _Agenda(first, last, schedules, busy, calendar)


async def _slots(
    uow: UnitOfWork,
    shop: Shop,
    service: Service,
    pro_ids: list[int],
    first: date,
    last: date,
    now: datetime,
) -> list[Slot]:
    agenda = await _agenda(uow, shop, service, pro_ids, first, last, now)
    return agenda.free_slots(shop, service, now) if agenda else []


async def resolve_customer(uow: UnitOfWork, shop_id: int, customer: int | NewCustomer) -> int:
    """The id of an existing customer, or of the one found or created from name and phone;
    either way the shop knows them from now on (its customers list shows whoever booked)."""
    if isinstance(customer, NewCustomer):
        known = await find_or_add_customer(uow, shop_id, customer.name, customer.phone)
        return known.customer_id
    if await uow.customers.get(customer) is None:
        raise NotFound("customer not found")
    await uow.customers.known(shop_id, customer)
    return customer


async def _known_customer(uow: UnitOfWork, customer: int | NewCustomer) -> int | None:
    """The id of the customer if they already exist (never creates one)."""
    if isinstance(customer, int):
        return customer
    if customer.phone is None:
        return None
    try:
        found = await uow.customers.by_phone(normalize_phone(customer.phone))
    except InvalidRequest:
        return None
    return found.id if found else None


def _overlapping(bookings: list[Booking], start: datetime, end: datetime) -> bool:
    return any(b.starts_at < end and start < b.ends_at for b in bookings)


def _professionals_for(service: Service, professional_id: int | None) -> list[int]:
    if professional_id is None:
        return sorted(service.professional_ids)
    if professional_id not in service.professional_ids:
        raise NotFound("that professional does not offer this service")
    return [professional_id]


def _first_free_seat(taken: list[int], seats: int) -> int:
    used = set(taken)
    return next((n for n in range(1, seats + 1) if n not in used), seats + 1)


async def _shop(uow: UnitOfWork, shop_id: int) -> Shop:
    shop = await uow.catalog.shop(shop_id)
    if shop is None:
        raise NotFound("shop not found")
    return shop


def for_the_shop(shop: Shop) -> Shop:
    """The shop's rules when it books by hand: no minimum notice (that gives the shop time to
    get ready for a customer booking by chat; a walk-in is already at the door)."""
    return replace(shop, policy=replace(shop.policy, min_notice_minutes=0))


async def _shop_and_service(
    uow: UnitOfWork, shop_id: int, service_id: int, by_shop: bool = False
) -> tuple[Shop, Service]:
    shop = await _shop(uow, shop_id)
    if by_shop:
        shop = for_the_shop(shop)
    service = await uow.catalog.service(shop_id, service_id)
    if service is None or not service.active:
        raise NotFound("service not found")
    return shop, service


async def _get(uow: UnitOfWork, booking_id: int) -> Booking:
    booking = await uow.bookings.get(booking_id)
    if booking is None:
        raise NotFound("booking not found")
    return booking
