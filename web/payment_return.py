"""Where Mercado Pago sends the customer back after paying: a short page that says what happens
next (the chat confirms the turno when the payment is credited, never this page)."""

from __future__ import annotations

from html import escape
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from web.security_headers import nonce_of, with_nonce

router = APIRouter(include_in_schema=False)

_SAID = {
    "success": (
        "¡Pago recibido!",
        "Volvé al chat: te confirmo el turno por ahí apenas se acredite.",
    ),
    "pending": (
        "Tu pago está pendiente",
        "Cuando se acredite (un ticket de Rapipago o Pago Fácil puede tardar unas horas), te "
        "confirmo el turno por el chat.",
    ),
    "failure": (
        "El pago no pasó",
        "No se cobró nada. Volvé al chat y probá de nuevo, con otra tarjeta u otro medio de pago.",
    ),
}


@router.get("/pagos/{result}", response_class=HTMLResponse)
async def payment_return(
    request: Request, result: Literal["success", "pending", "failure"]
) -> HTMLResponse:
    """The page after Checkout Pro, by its outcome."""
    title, body = _SAID[result]
    # A <style> with the response's CSP nonce: the policy refuses inline style attributes.
    page = (
        '<!doctype html><html lang="es-AR"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>"
        "body { font-family: system-ui, sans-serif; max-width: 32rem; margin: 3rem auto; "
        "padding: 0 1rem }</style></head>"
        f"<body><h1>{escape(title)}</h1><p>{escape(body)}</p></body></html>"
    )
    return HTMLResponse(with_nonce(page, nonce_of(request.state)))
