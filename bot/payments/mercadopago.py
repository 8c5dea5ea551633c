"""Mercado Pago through its official SDK (sync, `requests`): called in a worker thread.

Two traps the SDK sets, and what we do (see ../shared/reference/external-apis.md §3):
- it makes a new random `x-idempotency-key` per call, so a retried refund would refund twice:
  every call that moves money carries our own stable key;
- its base URL is a private constant: a small `HttpClient` subclass sends the calls to
  `BARBERPRO_MERCADOPAGO_API_URL` when set (tests point it at a local fake).

Money goes out exact: the SDK JSON-encodes with the standard encoder, which knows no Decimal, so
amounts travel as marked strings that the transport writes back as JSON numbers.
"""

from __future__ import annotations

import asyncio
import re
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from domain.money import Money

# The SDK (and `requests` under it, ~5 MB) is imported only by a process that has Mercado Pago
# set up: see `_transport` and MercadoPagoGateway.

MERCADOPAGO_API = "https://api.mercadopago.com"
_AMOUNT = re.compile(r'"\\u00a7amount:(-?\d+\.\d{2})\\u00a7"')


class GatewayError(Exception):
    """Mercado Pago said no, or could not be reached; `retry` when trying again may help."""

    def __init__(self, message: str, *, retry: bool) -> None:
        super().__init__(message)
        self.retry = retry


@dataclass(frozen=True)
class Checkout:
    """A Checkout Pro preference: where the customer pays."""

    preference_id: str
    link: str


@dataclass(frozen=True)
class ProviderPayment:
    """A payment as Mercado Pago reports it (always fetched, never taken from a notification)."""

    id: str
    status: str
    status_detail: str
    external_reference: str
    amount: Money
    payment_type: str


def exact(money: Money) -> str:
    """An amount as it travels through the SDK (written back as a JSON number)."""
    return f"\u00a7amount:{money.amount:.2f}\u00a7"


def _transport(api_url: str | None) -> Any:
    """The SDK's HTTP client, sent to another server and writing amounts as exact numbers."""
    from mercadopago.http.http_client import HttpClient  # type: ignore[import-untyped]

    class Transport(HttpClient):  # type: ignore[misc]
        def __init__(self) -> None:
            self.api_url = (api_url or MERCADOPAGO_API).rstrip("/")

        def request(
            self,
            method: str,
            url: str,
            maxretries: int | None = None,
            retry_on: Any = None,
            backoff_factor: float | None = None,
            **kwargs: Any,
        ) -> dict[str, Any]:
            if url.startswith(MERCADOPAGO_API):
                url = self.api_url + url.removeprefix(MERCADOPAGO_API)
            data = kwargs.get("data")
            if isinstance(data, str):
                kwargs["data"] = _AMOUNT.sub(r"\1", data)
            kwargs.setdefault("timeout", 20)
            result: dict[str, Any] = super().request(
                method, url, maxretries, retry_on, backoff_factor, **kwargs
            )
            return result

    return Transport()


def _options(headers: dict[str, str]) -> Any:
    """The SDK's request options with these headers."""
    from mercadopago.config.request_options import RequestOptions  # type: ignore[import-untyped]

    return RequestOptions(custom_headers=headers)


class MercadoPagoGateway:
    """Preferences, payments and refunds."""

    def __init__(self, access_token: str, api_url: str | None, public_url: str) -> None:
        import mercadopago  # type: ignore[import-untyped]

        self._sdk = mercadopago.SDK(access_token, http_client=_transport(api_url))
        self.public_url = public_url.rstrip("/")

    async def checkout(
        self,
        *,
        booking_id: int,
        title: str,
        amount: Money,
        max_cuotas: int,
        ticket: bool,
        pay_by: datetime,
        now: datetime,
    ) -> Checkout:
        """A preference for one booking; `ticket`: Rapipago / Pago Fácil only, else cards and
        Mercado Pago balance (no tickets: their days-long pending would outlive the hold)."""
        excluded = (
            [{"id": "credit_card"}, {"id": "debit_card"}, {"id": "account_money"}]
            if ticket
            else [{"id": "ticket"}, {"id": "atm"}]
        )
        body: dict[str, Any] = {
            "items": [
                {
                    "id": f"booking-{booking_id}",
                    "title": title,
                    "quantity": 1,
                    "unit_price": exact(amount),
                    "currency_id": amount.currency,
                }
            ],
            "external_reference": f"booking-{booking_id}",
            "notification_url": f"{self.public_url}/webhooks/mercadopago",
            "back_urls": {
                result: f"{self.public_url}/pagos/{result}"
                for result in ("success", "pending", "failure")
            },
            "auto_return": "approved",
            "expires": True,
            "expiration_date_from": now.isoformat(timespec="milliseconds"),
            "expiration_date_to": pay_by.isoformat(timespec="milliseconds"),
            "date_of_expiration": pay_by.isoformat(timespec="milliseconds"),
            "payment_methods": {
                "excluded_payment_types": excluded,
                "installments": max_cuotas,
                "default_installments": 1,
            },
            "metadata": {"booking_id": booking_id},
        }
        options = _options({"x-idempotency-key": f"preference-{booking_id}"})
        answer = await self._call(self._sdk.preference().create, body, request_options=options)
        return Checkout(str(answer["id"]), str(answer["init_point"]))

    async def payment(self, payment_id: str) -> ProviderPayment:
        """Fetch a payment."""
        answer = await self._call(self._sdk.payment().get, payment_id)
        amount = Decimal(str(answer.get("transaction_amount") or 0))
        return ProviderPayment(
            id=str(answer["id"]),
            status=str(answer.get("status") or ""),
            status_detail=str(answer.get("status_detail") or ""),
            external_reference=str(answer.get("external_reference") or ""),
            amount=Money.from_decimal(amount, str(answer.get("currency_id") or "ARS")),
            payment_type=str(answer.get("payment_type_id") or ""),
        )

    async def refund(self, payment_id: str, key: str) -> str:
        """Refund a payment in full; `key` makes a retried call the same refund."""
        options = _options({"x-idempotency-key": key})
        answer = await self._call(
            self._sdk.refund().create, payment_id, None, request_options=options
        )
        return str(answer.get("id"))

    async def _call(self, function: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        """Run one SDK call in a worker thread; anything but a 2xx is a GatewayError."""
        try:
            result = await asyncio.to_thread(function, *args, **kwargs)
        except Exception as error:  # the network, or the SDK refusing a reply
            raise GatewayError(f"mercadopago: {type(error).__name__}", retry=True) from error
        status = int(result.get("status", 0))
        response = result.get("response")
        if 200 <= status < 300 and isinstance(response, dict):
            return response
        message = response.get("message") if isinstance(response, dict) else None
        raise GatewayError(
            f"mercadopago {status}: {message}", retry=status in (429,) or status >= 500
        )
