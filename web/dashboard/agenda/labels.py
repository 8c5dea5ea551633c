"""How the agenda names a turno's state, payment and channel (msgids the templates translate),
and which state colours it."""

from __future__ import annotations

from typing import Any

from domain.model import BookingStatus
from domain.phone import format_phone
from domain.storage.owner_agenda import BookingRead
from web.dashboard.pages import N_

PAID = "paid"  # confirmed, with an approved payment: a colour of its own

STATES = {
    BookingStatus.HELD.value: N_("Waiting for payment"),
    BookingStatus.CONFIRMED.value: N_("Confirmed"),
    PAID: N_("Paid"),
    BookingStatus.COMPLETED.value: N_("Done"),
    BookingStatus.NO_SHOW.value: N_("No-show"),
    BookingStatus.CANCELLED.value: N_("Cancelled"),
    BookingStatus.EXPIRED.value: N_("Lapsed unpaid"),
}
METHODS = {
    "mercadopago": N_("Mercado Pago"),
    "ticket": N_("Rapipago / Pago Fácil"),
    "transfer": N_("Bank transfer"),
    "cash": N_("Cash"),
}
PAYMENT_STATES = {
    "pending": N_("pending"),
    "approved": N_("received"),
    "rejected": N_("rejected"),
    "expired": N_("expired"),
    "refunded": N_("refunded"),
    "cancelled": N_("cancelled"),
}
CHANNELS = {
    "telegram": N_("Telegram"),
    "whatsapp": N_("WhatsApp"),
    "sandbox": N_("Test chat"),
    "api": N_("REST API"),
    "dashboard": N_("By hand, in the agenda"),
}
DASHBOARD_CHANNEL = "dashboard"


def state_of(turno: BookingRead) -> str:
    """The state a turno is coloured and named by: its status, or `paid` when confirmed with
    its payment received."""
    paid = turno.payment is not None and turno.payment.status == "approved"
    if turno.status == BookingStatus.CONFIRMED.value and paid:
        return PAID
    return turno.status


def label_helpers() -> dict[str, Any]:
    """What the agenda's templates use to name things."""
    return {
        "state_of": state_of,
        "STATES": STATES,
        "METHODS": METHODS,
        "PAYMENT_STATES": PAYMENT_STATES,
        "CHANNELS": CHANNELS,
        "phone": format_phone,
    }
