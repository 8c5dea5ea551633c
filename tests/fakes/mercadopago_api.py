"""A fake Mercado Pago REST API on 127.0.0.1 that the real `mercadopago.SDK` talks HTTP to.

Pointing the real SDK at it (mercadopago 3.6.0, checked by tests/fakes/test_fakes.py): the base
URL `https://api.mercadopago.com` is a private constant of the SDK, so give it an `HttpClient`
subclass whose `request(self, method, url, maxretries=None, retry_on=None, backoff_factor=None,
**kwargs)` swaps that prefix for `fake.url` and calls `super().request(...)`, then
`mercadopago.SDK(TEST_ACCESS_TOKEN, http_client=...)`. The SDK is synchronous (`requests`; call it
through `asyncio.to_thread`), JSON-encodes bodies with the stdlib `JSONEncoder` (no `Decimal`)
and never raises on 4xx/5xx: it returns `{"status": ..., "response": ...}`. Its urllib3 retry
adapter is mounted on `https://` only, so against the fake (plain http) nothing is retried.

Served (every call needs `Authorization: Bearer <access token>`, else 401):
`POST /checkout/preferences` (201, validated like MP: items, quantity, unit_price, auto_return),
`GET /checkout/preferences/{id}`, `GET /v1/payments/{id}`,
`POST /v1/payments/{id}/refunds` (full or `{"amount": x}`; idempotent per `x-idempotency-key`)
and `GET /v1/payments/{id}/refunds`. Errors come in MP's shape
`{"message", "error", "status", "cause"}`. Every call is recorded with its `status`,
`resource_id`, `idempotency_key` and `auth_ok`.

Payments are made by the test, not by a checkout page: `pay(preference_id, ...)` (card approved,
rejected, a pending cash ticket ...), then `set_status` for what happens later (the ticket is
paid, a chargeback ...). `fail_next` answers the next calls with an error and does nothing;
`fail_after_next` does the work first and then answers the error (MP refunded, our side saw a
timeout or a 500). `notification(payment_id)` builds the webhook MP would post (path with
`?data.id=..&type=payment`, signed headers, body) for the test to post to the app itself.

As a process: `python -m tests.fakes.mercadopago_api --port N [--access-token T]`, with the
control API described in `tests.fakes.telegram_api` plus `POST /_fake/pay`,
`/_fake/set_status`, `/_fake/notification`, `/_fake/preferences`, `/_fake/payments` and
`/_fake/refunds` (`spawn()` starts one; its `.control` is a `MercadoPagoControl`).
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import hmac
import itertools
import json
import re
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final
from urllib.parse import unquote

from tests.fakes.telegram_api import (
    FailRule,
    FakeControl,
    FakeProcess,
    FakeRequest,
    FakeResponse,
    FakeServer,
    run_standalone,
)

TEST_ACCESS_TOKEN: Final = "TEST-0000000000000000-000000-fakeaccesstoken"
TEST_WEBHOOK_SECRET: Final = "fake_mp_webhook_secret_0123456789"
API_BASE_URL: Final = "https://api.mercadopago.com"  # what the SDK calls; rewrite it to fake.url
COLLECTOR_ID: Final = 1234567890  # the seller (our shop's MP account)

PREFERENCE_CREATE: Final = "preference.create"
PREFERENCE_GET: Final = "preference.get"
PAYMENT_GET: Final = "payment.get"
REFUND_CREATE: Final = "refund.create"
REFUND_LIST: Final = "refund.list"
API_METHODS: Final = frozenset(
    {PREFERENCE_CREATE, PREFERENCE_GET, PAYMENT_GET, REFUND_CREATE, REFUND_LIST}
)

PAYMENT_STATUSES: Final = frozenset(
    {"approved", "pending", "in_process", "rejected", "cancelled", "refunded"}
)
DEFAULT_STATUS_DETAIL: Final = {
    "approved": "accredited",
    "pending": "pending_waiting_payment",
    "in_process": "pending_contingency",
    "rejected": "cc_rejected_other_reason",
    "cancelled": "expired",
    "refunded": "refunded",
}

_ERRORS: Final = {
    400: ("bad_request", "bad request"),
    401: ("unauthorized", "invalid access token"),
    403: ("forbidden", "forbidden"),
    404: ("not_found", "resource not found"),
    409: ("conflict", "conflict"),
    429: ("too_many_requests", "too many requests"),
    500: ("internal_server_error", "internal_error"),
    502: ("bad_gateway", "bad gateway"),
    503: ("service_unavailable", "service unavailable"),
    504: ("gateway_timeout", "gateway timeout"),
}
_ART: Final = timezone(timedelta(hours=-3), "ART")
_CENT: Final = Decimal("0.01")
_PREFERENCES = re.compile(r"^/checkout/preferences/?$")
_PREFERENCE = re.compile(r"^/checkout/preferences/(?P<id>[^/]+)$")
_PAYMENT = re.compile(r"^/v1/payments/(?P<id>[^/]+)$")
_REFUNDS = re.compile(r"^/v1/payments/(?P<id>[^/]+)/refunds/?$")


def mp_error(
    status: int,
    message: str | None = None,
    error: str | None = None,
    cause: list[dict[str, Any]] | None = None,
    retry_after: float | None = None,
) -> FakeResponse:
    """An error answer in Mercado Pago's JSON shape (`message`, `error`, `status`, `cause`)."""
    default_error, default_message = _ERRORS.get(status, ("error", "error"))
    payload = {
        "message": default_message if message is None else message,
        "error": default_error if error is None else error,
        "status": status,
        "cause": [] if cause is None else cause,
    }
    headers = {}
    if retry_after is not None:
        headers["Retry-After"] = str(
            int(retry_after) if float(retry_after).is_integer() else retry_after
        )
    return FakeResponse(status, payload, headers)


def _bad_request(error: str, message: str, code: str | int | None = None) -> FakeResponse:
    cause = [{"code": error if code is None else code, "description": message, "data": None}]
    return mp_error(400, message, error, cause)


def sign(data_id: str | int | None, request_id: str | None, ts: int | str, secret: str) -> str:
    """The `v1` hex HMAC-SHA256 MP puts in `x-signature` (manifest `id:..;request-id:..;ts:..;`)."""
    parts = []
    if data_id is not None and str(data_id).strip():
        parts.append(f"id:{str(data_id).strip()}")
    if request_id is not None and request_id.strip():
        parts.append(f"request-id:{request_id.strip()}")
    parts.append(f"ts:{str(ts).strip()}")
    manifest = ";".join(parts) + ";"
    return hmac.new(secret.encode("utf-8"), manifest.encode("utf-8"), hashlib.sha256).hexdigest()


def payment_notification(
    payment_id: int | str,
    *,
    secret: str = TEST_WEBHOOK_SECRET,
    request_id: str | None = None,
    ts: int | str | None = None,
    tamper: bool = False,
    path: str = "/webhooks/mercadopago",
    user_id: int | str = COLLECTOR_ID,
    notification_id: int | None = None,
) -> tuple[str, dict[str, str], dict[str, Any]]:
    """The (path with query, headers, JSON body) of MP's webhook POST for a payment update.

    `ts` is in seconds (what `WebhookSignatureValidator` 3.6.0 compares); `tamper=True` gives a
    well-formed but wrong `v1`.
    """
    data_id = str(payment_id)
    request_id = str(uuid.uuid4()) if request_id is None else request_id
    ts = int(time.time()) if ts is None else ts
    digest = sign(data_id, request_id, ts, secret + "-tampered" if tamper else secret)
    headers = {
        "x-signature": f"ts={ts},v1={digest}",
        "x-request-id": request_id,
        "content-type": "application/json",
    }
    body = {
        "action": "payment.updated",
        "api_version": "v1",
        "data": {"id": data_id},
        "date_created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "id": uuid.uuid4().int % 10**11 if notification_id is None else notification_id,
        "live_mode": False,
        "type": "payment",
        "user_id": str(user_id),
    }
    return f"{path}?data.id={data_id}&type=payment", headers, body


def _now() -> str:
    """An MP timestamp: `2026-03-01T10:00:00.000-03:00`."""
    return datetime.now(_ART).isoformat(timespec="milliseconds")


def _decimal(value: Any) -> Decimal | None:
    """A JSON number as a Decimal (None for bools, strings, NaN, infinity)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = Decimal(str(value))
    return number if number.is_finite() else None


def _cents(value: Decimal) -> Decimal:
    return value.quantize(_CENT, rounding=ROUND_HALF_UP)


def _number(value: Decimal) -> float:
    """Money as MP writes it: a JSON number with at most two decimals."""
    return float(_cents(value))


def _items_total(items: Iterable[dict[str, Any]]) -> Decimal:
    total = Decimal(0)
    for item in items:
        total += Decimal(str(item["unit_price"])) * int(item["quantity"])
    return _cents(total)


def _excluded(preference: dict[str, Any], key: str) -> set[str]:
    methods = preference.get("payment_methods")
    if not isinstance(methods, dict):
        return set()
    entries = methods.get(key) or []
    return {str(e.get("id")) for e in entries if isinstance(e, dict)}


@dataclass
class _Failure(FailRule):
    """A FailRule that may first do the work (`after`): the answer is lost, the effect is not."""

    after: bool = False

    def as_json(self) -> dict[str, Any]:
        """A JSON-able view, for the control API."""
        return {**super().as_json(), "after": self.after}


class FakeMercadoPago(FakeServer):
    """A fake Mercado Pago API (preferences, payments, refunds) for the real `mercadopago.SDK`."""

    name = "mercadopago"
    default_fail_methods = API_METHODS

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        access_token: str = TEST_ACCESS_TOKEN,
        collector_id: int = COLLECTOR_ID,
    ) -> None:
        super().__init__(host, port)
        self.access_token = access_token
        self.collector_id = collector_id
        self._preferences: dict[str, dict[str, Any]] = {}
        self._payments: dict[int, dict[str, Any]] = {}
        self._refunds: list[dict[str, Any]] = []
        self._refund_keys: dict[tuple[int, str], dict[str, Any]] = {}
        self._payment_ids = itertools.count(1_300_000_001)
        self._refund_ids = itertools.count(2_100_000_001)

    # --- failures ------------------------------------------------------------------------------

    def fail_next(
        self,
        status: int,
        times: int = 1,
        retry_after: float | None = None,
        *,
        methods: Iterable[str] | None = None,
        message: str | None = None,
        after: bool = False,
    ) -> None:
        """Answer the next `times` calls of `methods` (default: every API method) with `status`
        in MP's error JSON, doing nothing; with `after=True` the work is done first."""
        if times < 1:
            raise ValueError("times must be at least 1")
        chosen = self.default_fail_methods if methods is None else frozenset(methods)
        unknown = chosen - API_METHODS
        if unknown:
            raise ValueError(f"unknown methods {sorted(unknown)}; known: {sorted(API_METHODS)}")
        rule = _Failure(
            status=int(status),
            remaining=int(times),
            retry_after=retry_after,
            methods=chosen,
            description=message,
            after=bool(after),
        )
        with self._lock:
            self._failures.append(rule)

    def fail_after_next(
        self,
        status: int,
        times: int = 1,
        methods: Iterable[str] | None = None,
        *,
        message: str | None = None,
    ) -> None:
        """Do the next `times` calls of `methods` for real, then answer `status` (a lost reply)."""
        self.fail_next(status, times, methods=methods, message=message, after=True)

    # --- state for tests -----------------------------------------------------------------------

    def preferences(self) -> list[dict[str, Any]]:
        """The stored preferences (copies), oldest first."""
        with self._lock:
            return copy.deepcopy(list(self._preferences.values()))

    def payments(self) -> list[dict[str, Any]]:
        """The payments (copies), oldest first."""
        with self._lock:
            return copy.deepcopy(list(self._payments.values()))

    def refunds(self, payment_id: int | str | None = None) -> list[dict[str, Any]]:
        """The refunds made (copies), oldest first, optionally of one payment."""
        with self._lock:
            chosen = [
                r for r in self._refunds if payment_id is None or r["payment_id"] == int(payment_id)
            ]
            return copy.deepcopy(chosen)

    def pay(
        self,
        preference_id: str,
        status: str = "approved",
        *,
        status_detail: str | None = None,
        payment_type_id: str = "credit_card",
        payment_method_id: str = "visa",
        installments: int = 1,
        amount: float | None = None,
    ) -> dict[str, Any]:
        """A buyer pays through the preference's checkout; returns the new payment (a copy).

        The amount defaults to the items' total. Like MP's checkout, a payment method or type
        the preference excludes, or a pending payment on a `binary_mode` preference, cannot
        happen: ValueError.
        """
        if status not in PAYMENT_STATUSES - {"refunded"}:
            raise ValueError(f"a new payment cannot be {status!r}")
        with self._lock:
            preference = self._preferences.get(preference_id)
            if preference is None:
                raise KeyError(f"no preference {preference_id!r}")
            if payment_type_id in _excluded(preference, "excluded_payment_types"):
                raise ValueError(f"the preference excludes payment type {payment_type_id!r}")
            if payment_method_id in _excluded(preference, "excluded_payment_methods"):
                raise ValueError(f"the preference excludes payment method {payment_method_id!r}")
            if preference.get("binary_mode") and status not in {"approved", "rejected"}:
                raise ValueError(f"binary_mode preference: no {status!r} payments")
            total = _items_total(preference["items"])
            if amount is not None:
                given = _decimal(amount)
                if given is None or given <= 0:
                    raise ValueError(f"invalid amount {amount!r}")
                total = _cents(given)
            now = _now()
            payment_id = next(self._payment_ids)
            payment: dict[str, Any] = {
                "id": payment_id,
                "status": status,
                "status_detail": status_detail or DEFAULT_STATUS_DETAIL[status],
                "external_reference": preference.get("external_reference") or None,
                "preference_id": preference_id,
                "metadata": copy.deepcopy(preference.get("metadata") or {}),
                "description": preference["items"][0].get("title"),
                "transaction_amount": _number(total),
                "transaction_amount_refunded": 0.0,
                "currency_id": preference["items"][0].get("currency_id") or "ARS",
                "installments": installments,
                "payment_type_id": payment_type_id,
                "payment_method_id": payment_method_id,
                "operation_type": "regular_payment",
                "collector_id": self.collector_id,
                "live_mode": False,
                "date_created": now,
                "date_approved": now if status == "approved" else None,
                "date_last_updated": now,
                "date_of_expiration": preference.get("date_of_expiration"),
                "refunds": [],
            }
            self._payments[payment_id] = payment
            return copy.deepcopy(payment)

    def set_status(
        self, payment_id: int | str, status: str, status_detail: str | None = None
    ) -> dict[str, Any]:
        """Change a payment's status (a ticket paid, a payment cancelled ...); returns a copy.

        "refunded" on an approved payment refunds what is left, as MP's panel would.
        """
        if status not in PAYMENT_STATUSES:
            raise ValueError(f"unknown status {status!r}; known: {sorted(PAYMENT_STATUSES)}")
        with self._lock:
            payment = self._payments.get(int(payment_id))
            if payment is None:
                raise KeyError(f"no payment {payment_id!r}")
            if status == "refunded" and payment["status"] == "approved":
                left = self._left(payment)
                if left > 0:
                    self._refund(payment, left)
            now = _now()
            payment["status"] = status
            payment["status_detail"] = status_detail or DEFAULT_STATUS_DETAIL[status]
            if status == "approved" and payment["date_approved"] is None:
                payment["date_approved"] = now
            payment["date_last_updated"] = now
            return copy.deepcopy(payment)

    def notification(
        self,
        payment_id: int | str,
        *,
        secret: str = TEST_WEBHOOK_SECRET,
        request_id: str | None = None,
        ts: int | str | None = None,
        tamper: bool = False,
        path: str = "/webhooks/mercadopago",
    ) -> tuple[str, dict[str, str], dict[str, Any]]:
        """What MP would POST for an update of `payment_id`: (path?query, headers, body)."""
        return payment_notification(
            payment_id,
            secret=secret,
            request_id=request_id,
            ts=ts,
            tamper=tamper,
            path=path,
            user_id=self.collector_id,
        )

    def _reset_state(self) -> None:
        self._preferences.clear()
        self._payments.clear()
        self._refunds.clear()
        self._refund_keys.clear()
        self._payment_ids = itertools.count(1_300_000_001)
        self._refund_ids = itertools.count(2_100_000_001)

    def control(self, name: str, payload: Any) -> FakeResponse | None:
        """`POST /_fake/pay|set_status|notification|preferences|payments|refunds`."""
        arguments = payload if isinstance(payload, dict) else {}
        if name == "pay":
            return FakeResponse(200, self.pay(**arguments))
        if name == "set_status":
            return FakeResponse(200, self.set_status(**arguments))
        if name == "notification":
            path, headers, body = self.notification(**arguments)
            return FakeResponse(200, {"path": path, "headers": headers, "body": body})
        if name == "preferences":
            return FakeResponse(200, self.preferences())
        if name == "payments":
            return FakeResponse(200, self.payments())
        if name == "refunds":
            return FakeResponse(200, self.refunds(arguments.get("payment_id")))
        return None

    # --- HTTP ----------------------------------------------------------------------------------

    def handle(self, request: FakeRequest) -> FakeResponse:
        """Serve preferences, payments and refunds (MP's paths, without the host)."""
        method, resource_id = _route(request)
        body: Any = None
        parse_error = False
        if request.body:
            try:
                body = json.loads(request.body)
            except (ValueError, UnicodeDecodeError):
                parse_error = True
        params = copy.deepcopy(body) if isinstance(body, dict) else {}
        auth_ok = request.headers.get("authorization", "") == f"Bearer {self.access_token}"
        key = request.headers.get("x-idempotency-key")
        with self._lock:
            call = self._record(
                method,
                request,
                params,
                resource_id=resource_id,
                idempotency_key=key,
                auth_ok=auth_ok,
            )
            answer = self._answer(method, resource_id, request, body, parse_error, auth_ok, key)
            return self._finish(call, answer)

    def _answer(
        self,
        method: str,
        resource_id: str | None,
        request: FakeRequest,
        body: Any,
        parse_error: bool,
        auth_ok: bool,
        key: str | None,
    ) -> FakeResponse:
        """The answer to one call (under the lock, so refunds and their keys are atomic)."""
        if not auth_ok:
            return mp_error(401)
        if method not in API_METHODS:
            return mp_error(404, f"resource {request.path} not found")
        rule = self._take_failure(method)
        if rule is not None and not (isinstance(rule, _Failure) and rule.after):
            return mp_error(rule.status, rule.description, retry_after=rule.retry_after)
        if parse_error or (body is not None and not isinstance(body, dict)):
            answer = _bad_request("bad_request", "the body is not a JSON object")
        elif method == PREFERENCE_CREATE:
            answer = self._create_preference(body or {})
        elif method == PREFERENCE_GET:
            answer = self._get_preference(str(resource_id))
        elif method == PAYMENT_GET:
            answer = self._get_payment(str(resource_id))
        elif method == REFUND_CREATE:
            answer = self._create_refund(str(resource_id), body or {}, key)
        else:
            answer = self._list_refunds(str(resource_id))
        if rule is not None:
            return mp_error(rule.status, rule.description, retry_after=rule.retry_after)
        return answer

    def _create_preference(self, body: dict[str, Any]) -> FakeResponse:
        invalid = _validate_preference(body)
        if invalid is not None:
            return invalid
        preference_id = f"{self.collector_id}-{uuid.uuid4()}"
        preference = copy.deepcopy(body)
        preference["items"] = [{"currency_id": "ARS", **item} for item in body["items"]]
        for name, default in (
            ("external_reference", ""),
            ("metadata", {}),
            ("binary_mode", False),
            ("expires", False),
            ("auto_return", ""),
            ("back_urls", {"success": "", "failure": "", "pending": ""}),
        ):
            preference.setdefault(name, default)
        preference.update(
            {
                "id": preference_id,
                "collector_id": self.collector_id,
                "client_id": "0000000000000000",
                "operation_type": "regular_payment",
                "date_created": _now(),
                "init_point": f"{self.url}/checkout/v1/redirect?pref_id={preference_id}",
                "sandbox_init_point": (
                    f"{self.url}/sandbox/checkout/v1/redirect?pref_id={preference_id}"
                ),
            }
        )
        self._preferences[preference_id] = preference
        return FakeResponse(201, copy.deepcopy(preference))

    def _get_preference(self, preference_id: str) -> FakeResponse:
        preference = self._preferences.get(preference_id)
        if preference is None:
            return mp_error(
                404,
                "Preference not found",
                "not_found",
                [{"code": "not_found", "description": f"preference {preference_id} not found"}],
            )
        return FakeResponse(200, copy.deepcopy(preference))

    def _payment(self, payment_id: str) -> dict[str, Any] | None:
        return self._payments.get(int(payment_id)) if payment_id.isdigit() else None

    def _get_payment(self, payment_id: str) -> FakeResponse:
        payment = self._payment(payment_id)
        if payment is None:
            return _payment_not_found()
        return FakeResponse(200, copy.deepcopy(payment))

    def _list_refunds(self, payment_id: str) -> FakeResponse:
        payment = self._payment(payment_id)
        if payment is None:
            return _payment_not_found()
        return FakeResponse(200, copy.deepcopy(payment["refunds"]))

    def _left(self, payment: dict[str, Any]) -> Decimal:
        total = Decimal(str(payment["transaction_amount"]))
        return _cents(total - Decimal(str(payment["transaction_amount_refunded"])))

    def _create_refund(
        self, payment_id: str, body: dict[str, Any], key: str | None
    ) -> FakeResponse:
        payment = self._payment(payment_id)
        if payment is None:
            return _payment_not_found()
        if key is not None and (payment["id"], key) in self._refund_keys:
            return FakeResponse(201, copy.deepcopy(self._refund_keys[(payment["id"], key)]))
        if payment["status"] != "approved":
            return _bad_request(
                "invalid_payment_status",
                f"payment {payment['id']} is {payment['status']}: only approved payments "
                "can be refunded",
            )
        left = self._left(payment)
        asked = body.get("amount")
        amount = left if asked is None else _decimal(asked)
        if amount is None or _cents(amount) <= 0:
            return _bad_request("invalid_refund_amount", f"invalid refund amount {asked!r}")
        amount = _cents(amount)
        if amount > left:
            return _bad_request(
                "invalid_refund_amount",
                f"the refund amount {amount} is greater than what is left to refund ({left})",
            )
        refund = self._refund(payment, amount)
        if key is not None:
            self._refund_keys[(payment["id"], key)] = refund
        return FakeResponse(201, copy.deepcopy(refund))

    def _refund(self, payment: dict[str, Any], amount: Decimal) -> dict[str, Any]:
        """Refund `amount` of `payment` (checked by the caller; under the lock)."""
        now = _now()
        refund: dict[str, Any] = {
            "id": next(self._refund_ids),
            "payment_id": payment["id"],
            "amount": _number(amount),
            "amount_refunded_to_payer": _number(amount),
            "metadata": {},
            "source": {"id": str(self.collector_id), "name": "BarberPro", "type": "collector"},
            "date_created": now,
            "unique_sequence_number": None,
            "refund_mode": "standard",
            "adjustment_amount": 0,
            "status": "approved",
            "reason": None,
            "labels": [],
            "partition_details": [],
        }
        refunded = Decimal(str(payment["transaction_amount_refunded"])) + amount
        payment["transaction_amount_refunded"] = _number(refunded)
        payment["refunds"].append(refund)
        payment["date_last_updated"] = now
        if self._left(payment) <= 0:
            payment["status"] = payment["status_detail"] = "refunded"
        self._refunds.append(refund)
        return refund


def _payment_not_found() -> FakeResponse:
    return mp_error(
        404,
        "Payment not found",
        "not_found",
        [{"code": 2000, "description": "Payment not found", "data": None}],
    )


def _route(request: FakeRequest) -> tuple[str, str | None]:
    """(API method name, the id in the path) of a request; unknown ones get `VERB /path`."""
    path, verb = request.path, request.http_method
    if verb == "POST" and _PREFERENCES.match(path):
        return PREFERENCE_CREATE, None
    for pattern, wanted, method in (
        (_PREFERENCE, "GET", PREFERENCE_GET),
        (_PAYMENT, "GET", PAYMENT_GET),
        (_REFUNDS, "POST", REFUND_CREATE),
        (_REFUNDS, "GET", REFUND_LIST),
    ):
        match = pattern.match(path)
        if match is not None and verb == wanted:
            return method, unquote(match.group("id"))
    return f"{verb} {path}", None


def _validate_preference(body: dict[str, Any]) -> FakeResponse | None:
    """MP's synchronous checks on a preference, the ones an app can trip on."""
    items = body.get("items")
    if not isinstance(items, list) or not items:
        return _bad_request("invalid_items", "items needed")
    for item in items:
        if not isinstance(item, dict):
            return _bad_request("invalid_items", "item must be an object")
        title = item.get("title")
        if not isinstance(title, str) or not title.strip():
            return _bad_request("invalid_items", "title needed")
        quantity = item.get("quantity")
        if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 1:
            return _bad_request("invalid_items", f"quantity invalid: {quantity!r}")
        price = _decimal(item.get("unit_price"))
        if price is None or price <= 0:
            return _bad_request("invalid_items", f"unit_price invalid: {item.get('unit_price')!r}")
    auto_return = body.get("auto_return")
    back_urls = body.get("back_urls")
    if auto_return and not (isinstance(back_urls, dict) and back_urls.get("success")):
        return _bad_request(
            "invalid_auto_return", "auto_return invalid. back_url.success must be defined"
        )
    return None


class MercadoPagoControl(FakeControl):
    """The control API of a fake Mercado Pago running in another process."""

    def fail_after_next(
        self, status: int, times: int = 1, methods: Iterable[str] | None = None
    ) -> None:
        """`POST /_fake/fail` with `after`: do the work, then answer `status`."""
        payload: dict[str, Any] = {"status": status, "times": times, "after": True}
        if methods is not None:
            payload["methods"] = sorted(methods)
        self._request("/_fake/fail", payload, post=True)

    def pay(self, preference_id: str, status: str = "approved", **options: Any) -> dict[str, Any]:
        """`POST /_fake/pay`: see `FakeMercadoPago.pay`."""
        payment: dict[str, Any] = self._request(
            "/_fake/pay", {"preference_id": preference_id, "status": status, **options}, post=True
        )
        return payment

    def set_status(
        self, payment_id: int | str, status: str, status_detail: str | None = None
    ) -> dict[str, Any]:
        """`POST /_fake/set_status`: see `FakeMercadoPago.set_status`."""
        payment: dict[str, Any] = self._request(
            "/_fake/set_status",
            {"payment_id": payment_id, "status": status, "status_detail": status_detail},
            post=True,
        )
        return payment

    def preferences(self) -> list[dict[str, Any]]:
        """`POST /_fake/preferences`: the stored preferences."""
        result: list[dict[str, Any]] = self._request("/_fake/preferences", {}, post=True)
        return result

    def payments(self) -> list[dict[str, Any]]:
        """`POST /_fake/payments`: the payments."""
        result: list[dict[str, Any]] = self._request("/_fake/payments", {}, post=True)
        return result

    def refunds(self, payment_id: int | str | None = None) -> list[dict[str, Any]]:
        """`POST /_fake/refunds`: the refunds, optionally of one payment."""
        result: list[dict[str, Any]] = self._request(
            "/_fake/refunds", {"payment_id": payment_id}, post=True
        )
        return result


class MercadoPagoProcess(FakeProcess):
    """A `FakeProcess` running this fake; `.control` is a `MercadoPagoControl`."""

    control: MercadoPagoControl

    def __init__(
        self, port: int = 0, access_token: str = TEST_ACCESS_TOKEN, host: str = "127.0.0.1"
    ) -> None:
        super().__init__(
            "tests.fakes.mercadopago_api", port, ["--access-token", access_token], host
        )
        self.control = MercadoPagoControl(self.url)


def main(argv: Sequence[str] | None = None) -> None:
    """`python -m tests.fakes.mercadopago_api --port N`: serve until SIGTERM."""
    parser = argparse.ArgumentParser(description="Fake Mercado Pago REST API")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--access-token", default=TEST_ACCESS_TOKEN)
    args = parser.parse_args(argv)
    run_standalone(FakeMercadoPago(args.host, args.port, args.access_token))


def spawn(port: int = 0, access_token: str = TEST_ACCESS_TOKEN) -> MercadoPagoProcess:
    """A `MercadoPagoProcess` running this fake (call `.start()` or use `with`)."""
    return MercadoPagoProcess(port, access_token)


if __name__ == "__main__":
    main()
