"""How the customer says they will pay ("en efectivo", "con mp", "te transfiero")."""

from __future__ import annotations

import re

# The shop's method ids (domain.payments.PaymentMethod; understanding imports nothing but the
# standard library, so they are spelled out). A card is paid through Mercado Pago; "en el
# local" is cash at the shop.
MERCADOPAGO, CASH, TRANSFER, TICKET = "mercadopago", "cash", "transfer", "ticket"
_METHODS: dict[str, re.Pattern[str]] = {
    MERCADOPAGO: re.compile(
        r"\b(?:mercado ?pago|mp|mercadopago|tarjeta|debito|credito|qr|link de pago)\b"
    ),
    CASH: re.compile(
        r"\b(?:efectivo|cash|billete|billetes|plata en mano)\b"
        r"|\ben (?:el local|la barberia|la peluqueria|persona)\b"
        r"|\b(?:pago|abono) (?:ahi|alla|al llegar|cuando (?:voy|llego|vaya|llegue))\b"
    ),
    TRANSFER: re.compile(
        r"\b(?:transferencia|transferencias|transfiero|transferir|transferirte|transfer"
        r"|cbu|cvu|alias)\b"
    ),
    TICKET: re.compile(r"\b(?:rapi ?pago|pago ?facil|ticket)\b"),
}
# "no tengo efectivo", "sin tarjeta", "efectivo no": a method turned down is not chosen.
_DENIED_BEFORE = re.compile(
    r"\b(?:no (?:tengo|uso|acepto|quiero|puedo|me sirve|me anda)|sin)"
    r"(?: pagar)?(?: con| en| por)?(?: el| la)? $"
)
_DENIED_AFTER = re.compile(r"^ no\b")


def read_payment(words: list[str]) -> str | None:
    """The one payment method a message names (None for none, or for two at once)."""
    text = " " + " ".join(words) + " "
    named = {
        method
        for method, pattern in _METHODS.items()
        for match in pattern.finditer(text)
        if not _DENIED_BEFORE.search(text[: match.start()])
        and not _DENIED_AFTER.match(text[match.end() :])
    }
    return named.pop() if len(named) == 1 else None
