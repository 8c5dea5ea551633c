"""The booking life: held (while paying) → confirmed → completed | no_show | cancelled."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import product

import pytest

from domain.errors import DomainError, InvalidTransition
from domain.model import ACTIVE_STATUSES, TRANSITIONS, Booking, BookingStatus, session_key
from domain.money import Money

S = BookingStatus

# Written from a real booking's life, not copied from TRANSITIONS, so the table is checked.
ALLOWED = {
    (S.HELD, S.CONFIRMED),  # the payment arrived
    (S.HELD, S.CANCELLED),  # the customer gave up while paying
    (S.HELD, S.EXPIRED),  # the time to pay ran out
    (S.CONFIRMED, S.COMPLETED),  # the turno happened
    (S.CONFIRMED, S.NO_SHOW),  # the customer did not come
    (S.CONFIRMED, S.CANCELLED),  # cancelled by the customer or the shop
}
EVERY_PAIR = list(product(BookingStatus, BookingStatus))


def make_booking(status: BookingStatus) -> Booking:
    start = datetime(2026, 6, 2, 13, 0, tzinfo=UTC)
    end = start + timedelta(minutes=30)
    return Booking(
        id=1,
        shop_id=1,
        service_id=7,
        professional_id=3,
        customer_id=5,
        starts_at=start,
        ends_at=end,
        block_start=start,
        block_end=end,
        status=status,
        price=Money(1_200_000),
    )


def pair_id(pair: tuple[BookingStatus, BookingStatus]) -> str:
    return f"{pair[0]}->{pair[1]}"


@pytest.mark.parametrize(
    ("current", "target"), sorted(ALLOWED), ids=[pair_id(p) for p in sorted(ALLOWED)]
)
def test_a_move_a_real_booking_makes_is_allowed(
    current: BookingStatus, target: BookingStatus
) -> None:
    booking = make_booking(current)
    moved = booking.move_to(target)
    assert moved.status == target
    assert moved == make_booking(target)  # nothing else changes
    assert booking.status == current  # bookings are immutable: a new one is returned


REFUSED = [pair for pair in EVERY_PAIR if pair not in ALLOWED]


@pytest.mark.parametrize(("current", "target"), REFUSED, ids=[pair_id(p) for p in REFUSED])
def test_every_other_move_is_refused(current: BookingStatus, target: BookingStatus) -> None:
    with pytest.raises(InvalidTransition, match=f"cannot go from {current} to {target}"):
        make_booking(current).move_to(target)


def test_the_transition_table_lists_exactly_the_allowed_moves() -> None:
    table = {(a, b) for a, targets in TRANSITIONS.items() for b in targets}
    assert table == ALLOWED
    assert set(TRANSITIONS) == set(BookingStatus)


@pytest.mark.parametrize("final", [S.COMPLETED, S.NO_SHOW, S.CANCELLED, S.EXPIRED], ids=str)
def test_a_finished_booking_can_go_nowhere(final: BookingStatus) -> None:
    assert TRANSITIONS[final] == frozenset()


def test_an_invalid_transition_is_a_domain_error_with_a_stable_code() -> None:
    with pytest.raises(DomainError) as caught:
        make_booking(S.COMPLETED).move_to(S.CANCELLED)
    assert caught.value.code == "invalid_transition"


@pytest.mark.parametrize("status", list(BookingStatus), ids=str)
def test_only_held_and_confirmed_bookings_occupy_their_slot(status: BookingStatus) -> None:
    assert make_booking(status).is_active == (status in {S.HELD, S.CONFIRMED})
    assert (status in ACTIVE_STATUSES) == (status in {S.HELD, S.CONFIRMED})


def test_the_session_key_names_professional_service_and_utc_start() -> None:
    assert make_booking(S.CONFIRMED).session_key == "3:7:20260602T1300"
    assert session_key(3, 7, datetime(2026, 6, 2, 13, 0, tzinfo=UTC)) == "3:7:20260602T1300"
