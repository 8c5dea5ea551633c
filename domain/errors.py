"""Domain errors: each names a business outcome the caller can answer to."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from domain.availability import Slot


class DomainError(Exception):
    """Base of every business-rule failure; `code` is stable for APIs."""

    code = "domain_error"


class NotFound(DomainError):
    """A shop, service, professional, customer or booking that does not exist (in this shop)."""

    code = "not_found"


class InvalidRequest(DomainError):
    """Input that breaks a rule (a past date, a service the professional does not offer...).

    `field` names the input at fault when one is (`price`, `hours[2].end`).
    """

    code = "invalid_request"

    def __init__(self, message: str = "invalid request", *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class SlotTaken(DomainError):
    """The slot is no longer free; `alternatives` are the nearest free ones."""

    code = "slot_taken"

    def __init__(self, message: str = "slot taken", alternatives: Sequence[Slot] = ()) -> None:
        super().__init__(message)
        self.alternatives = tuple(alternatives)


class CustomerBusy(DomainError):
    """The customer already holds an active turno at an overlapping time (in this shop).

    `conflicting_booking_id` is that turno, so the caller can show it (or recognise a retry).
    """

    code = "customer_busy"

    def __init__(self, conflicting_booking_id: int, message: str | None = None) -> None:
        super().__init__(
            message or f"the customer already has turno {conflicting_booking_id} at that time"
        )
        self.conflicting_booking_id = conflicting_booking_id


class Conflict(DomainError):
    """The request clashes with what exists (a slug already taken, say)."""

    code = "conflict"


class InvalidTransition(DomainError):
    """A booking asked to move to a state its life cycle does not allow."""

    code = "invalid_transition"


class InvalidPhone(InvalidRequest):
    """A phone number that cannot be read as a valid E.164 number."""

    code = "invalid_phone"
