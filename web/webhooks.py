"""The channels' webhooks: verify, record, answer at once; the work goes on in the background."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse

from bot.channels.runtime import ChannelRuntime
from bot.channels.webhook_contract import (
    EMPTY_TWIML,
    TELEGRAM_SECRET_HEADER,
    TWILIO_SIGNATURE_HEADER,
)
from bot.payments.desk import NOTIFIED
from domain.storage.jobs import schedule
from web.errors import error_response
from web.throttle import RateLimits, client_address, rate_limited_response

if TYPE_CHECKING:
    from bot.channels.base import Inbound
    from bot.channels.telegram import TelegramChannel
    from bot.channels.whatsapp import WhatsAppChannel
    from bot.metrics import Metrics, WebhookOutcome

log = logging.getLogger(__name__)
# How far a notification's timestamp may be from our clock (a replay of an old one is refused).
SIGNATURE_TOLERANCE_SECONDS = 300
router = APIRouter(prefix="/webhooks", tags=["webhooks"], include_in_schema=False)


@router.post("/telegram")
async def telegram(request: Request) -> Response:
    """Telegram updates; the secret header must match (403 otherwise, with no effect)."""
    channel: TelegramChannel | None = request.app.state.channels.get("telegram")
    if channel is None:
        return error_response(404, "channel_off", "Telegram is not configured here")
    if not channel.check_secret(request.headers.get(TELEGRAM_SECRET_HEADER)):
        log.warning("telegram webhook: bad or missing secret from %s", _client(request))
        _count(request, "telegram", "forged")
        return _refused(request, "bad webhook secret")
    try:
        data = await request.json()
        inbound = channel.parse(data) if isinstance(data, dict) else None
    except Exception:  # a malformed update is answered 200: Telegram would only resend it
        log.warning("telegram webhook: unreadable update ignored")
        _count(request, "telegram", "error")
        return JSONResponse({"ok": True, "ignored": True})
    if inbound is None:
        _count(request, "telegram", "accepted")
        return JSONResponse({"ok": True, "ignored": True})
    runtime: ChannelRuntime = request.app.state.runtime
    fresh = await _accept(request, "telegram", runtime, inbound)
    return JSONResponse({"ok": True, "duplicate": not fresh})


@router.post("/whatsapp")
async def whatsapp(request: Request) -> Response:
    """Twilio's form posts; X-Twilio-Signature must verify over our public URL (else 403)."""
    channel: WhatsAppChannel | None = request.app.state.channels.get("whatsapp")
    if channel is None:
        return error_response(404, "channel_off", "WhatsApp is not configured here")
    form: dict[str, Any] = {}
    try:
        for key, value in (await request.form()).multi_items():
            if isinstance(value, str):
                form[key] = value
    except Exception:
        _count(request, "whatsapp", "error")
        return error_response(400, "bad_request", "expected a form post")
    url = channel.public_webhook_url(request.url.path, request.url.query)
    if not channel.check_signature(url, form, request.headers.get(TWILIO_SIGNATURE_HEADER)):
        log.warning("whatsapp webhook: bad signature for %s from %s", url, _client(request))
        _count(request, "whatsapp", "forged")
        return _refused(request, "bad signature")
    inbound = channel.parse(form)
    if inbound is None:
        _count(request, "whatsapp", "accepted")
    else:
        runtime: ChannelRuntime = request.app.state.runtime
        await _accept(request, "whatsapp", runtime, inbound)
    return Response(EMPTY_TWIML, media_type="application/xml")


@router.post("/mercadopago")
async def mercadopago(request: Request) -> Response:
    """Mercado Pago's notifications; `x-signature` must verify (else 403, no effect). The
    payment is fetched from the API by a job, never taken from the body."""
    settings = request.app.state.settings
    if not settings.mercadopago_enabled:
        return error_response(404, "gateway_off", "Mercado Pago is not configured here")
    from mercadopago.webhook import (  # type: ignore[import-untyped]  # only where it is set up
        InvalidWebhookSignatureError,
        SignatureFailureReason,
        WebhookSignatureValidator,
    )

    query = request.query_params
    data_id = query.get("data.id") or query.get("id")
    request_id = request.headers.get("x-request-id")
    secret = settings.mercadopago_webhook_secret
    clock = request.app.state.clock
    try:
        if not secret:
            raise InvalidWebhookSignatureError(SignatureFailureReason.SIGNATURE_MISMATCH)
        WebhookSignatureValidator.validate(
            request.headers.get("x-signature"),
            request_id,
            data_id,
            secret,
            tolerance_seconds=SIGNATURE_TOLERANCE_SECONDS,
            now=lambda: int(clock.now().timestamp() * 1000),
        )
    except InvalidWebhookSignatureError as error:
        log.warning("mercadopago webhook: %s from %s", error, _client(request))
        _count(request, "mercadopago", "forged")
        return _refused(request, "bad signature")
    kind = query.get("type") or query.get("topic")
    if kind != "payment" or not data_id or not data_id.isdigit():
        _count(request, "mercadopago", "accepted")
        return JSONResponse({"ok": True, "ignored": True})
    async with request.app.state.uow_factory() as uow:
        job_id = await schedule(
            uow.session,
            NOTIFIED,
            f"{NOTIFIED}:{data_id}:{request_id or clock.now().isoformat()}"[:120],
            clock.now(),
            payload={"payment_id": data_id},
        )
        await uow.commit()
    _count(request, "mercadopago", "accepted" if job_id is not None else "duplicate")
    return JSONResponse({"ok": True})  # the job loop takes it from here (its next round)


def _refused(request: Request, detail: str) -> Response:
    """403 for a bad signature; 429 once an address sends too many (a signed webhook never
    gets here, so it is never limited)."""
    limits: RateLimits = request.app.state.rate_limits
    wait = limits.webhook_forged.hit(client_address(request))
    if wait is not None:
        return rate_limited_response(wait, "too many badly signed webhooks; wait and retry")
    return error_response(403, "forbidden", detail)


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


def _count(request: Request, source: str, outcome: WebhookOutcome) -> None:
    """Count a webhook's outcome in the app's metrics."""
    metrics: Metrics = request.app.state.metrics
    metrics.webhook(source, outcome)


async def _accept(request: Request, source: str, runtime: ChannelRuntime, inbound: Inbound) -> bool:
    """Record the inbound message (False: a delivery seen before), counting the outcome."""
    try:
        fresh = await runtime.accept(inbound)
    except Exception:
        _count(request, source, "error")
        raise
    _count(request, source, "accepted" if fresh else "duplicate")
    return fresh
