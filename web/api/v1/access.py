"""Every /api/v1 route's guard: the key (401), the shop it may reach (404), its scope (403).

A route declares what it needs with one of the annotated types below (`ShopReader`,
`BookingBooker`, ...), never by hand: the route-matrix test reads the guard of every route from
the app's own route list and fails on a route without one. A key of another shop gets 404, as
if the resource did not exist, so nothing tells it what is there; a key of the right shop with
too small a scope gets 403.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from typing import Annotated, Protocol

from fastapi import Depends, Header, HTTPException, Path, Request

from domain.access import ApiKey, Scope
from domain.errors import NotFound
from domain.model import Booking, Shop
from domain.storage.apikeys import authenticate
from domain.storage.payments import Payment, payment_by_id
from domain.storage.uow import UnitOfWorkFactory
from web.deps import ClockDep, UowDep
from web.throttle import RateLimited, RateLimitsDep, client_address

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,59}$"
Slug = Annotated[str, Path(pattern=SLUG_PATTERN)]
RowId = Annotated[int, Path(ge=1, le=2**31 - 1)]


async def api_key(
    request: Request,
    uow_factory: UowDep,
    clock: ClockDep,
    limits: RateLimitsDep,
    authorization: Annotated[str | None, Header()] = None,
) -> ApiKey:
    """The caller's live key; 401 without a valid `Authorization: Bearer <key>`, 429 past a
    budget: the address's failed keys (checked before any key is, so guessing stops), the
    address's calls, the key's calls."""
    address = client_address(request)
    refusal = "too many failed API keys from your address; wait and retry"
    async with limits.api_auth_failures.attempt(address, refusal) as attempt:
        wait = limits.api_address.hit(address)
        if wait is not None:
            attempt.succeeded = True  # refused for its volume, not for its key
            raise RateLimited(wait, "too many calls from your address; wait and retry")
        scheme, _, secret = (authorization or "").partition(" ")
        well_formed = hmac.compare_digest(scheme.lower(), "bearer") and bool(secret.strip())
        key = None
        if well_formed:  # a missing key is a failure too
            key = await authenticate(uow_factory.engine, secret.strip(), clock.now())
        if key is None:
            detail = "unknown, expired or revoked API key"
            if not well_formed:
                detail = "send Authorization: Bearer <api key>"
            raise HTTPException(401, detail, headers={"WWW-Authenticate": "Bearer"})
        attempt.succeeded = True
    wait = limits.api_key.hit(str(key.id))
    if wait is not None:
        raise RateLimited(wait, "too many calls with this API key; wait and retry")
    return key


KeyDep = Annotated[ApiKey, Depends(api_key)]


def _require(key: ApiKey, scope: Scope) -> None:
    if not key.scope.covers(scope):
        raise HTTPException(403, f"this key's scope is {key.scope}; this needs {scope}")


def _reachable(key: ApiKey, shop: Shop | None, what: str) -> Shop:
    """The shop, if the key may act on it; else NotFound, exactly as for a missing one."""
    if shop is None or not key.reaches(shop.id):
        raise NotFound(f"no {what}")
    return shop


class Guard:
    """What every route guard has: the scope it asks for."""

    def __init__(self, scope: Scope) -> None:
        self.scope = scope

    async def _shop_of(
        self, thing: HasShop | None, key: ApiKey, uow_factory: UnitOfWorkFactory, what: str
    ) -> Shop:
        """The shop of a booking or payment the key may act on (404 as if missing; 403)."""
        found = None
        if thing is not None:
            async with uow_factory.read_only() as uow:
                found = await uow.catalog.shop(thing.shop_id)
        shop = _reachable(key, found, what)
        _require(key, self.scope)
        return shop


class HasShop(Protocol):
    """Something of one shop's (a booking, a payment)."""

    @property
    def shop_id(self) -> int: ...


class KeyGuard(Guard):
    """Routes about no shop in particular (the list of shops, creating one)."""

    async def __call__(self, key: KeyDep) -> ApiKey:
        _require(key, self.scope)
        return key


@dataclass(frozen=True)
class InShop:
    """A shop the caller may act on, and the caller's key."""

    shop: Shop
    key: ApiKey


class ShopGuard(Guard):
    """Routes under /shops/{slug}."""

    async def __call__(self, slug: Slug, key: KeyDep, uow_factory: UowDep) -> InShop:
        async with uow_factory.read_only() as uow:
            found = await uow.catalog.shop_by_slug(slug)
        shop = _reachable(key, found, f"shop called {slug!r}")
        _require(key, self.scope)
        return InShop(shop, key)


@dataclass(frozen=True)
class BookingInShop:
    """A booking the caller may act on, with its shop."""

    booking: Booking
    shop: Shop


class BookingGuard(Guard):
    """Routes under /bookings/{booking_id}."""

    async def __call__(self, booking_id: RowId, key: KeyDep, uow_factory: UowDep) -> BookingInShop:
        async with uow_factory.read_only() as uow:
            booking = await uow.bookings.get(booking_id)
        shop = await self._shop_of(booking, key, uow_factory, f"booking {booking_id}")
        assert booking is not None  # a shop was found for it
        return BookingInShop(booking, shop)


@dataclass(frozen=True)
class PaymentInShop:
    """A payment the caller may act on, with its shop."""

    payment: Payment
    shop: Shop


class PaymentGuard(Guard):
    """Routes under /payments/{payment_id}."""

    async def __call__(self, payment_id: RowId, key: KeyDep, uow_factory: UowDep) -> PaymentInShop:
        payment = await payment_by_id(uow_factory, payment_id)
        shop = await self._shop_of(payment, key, uow_factory, f"payment {payment_id}")
        assert payment is not None  # a shop was found for it
        return PaymentInShop(payment, shop)


AnyKey = Annotated[ApiKey, Depends(KeyGuard(Scope.READ))]
PlatformKey = Annotated[ApiKey, Depends(KeyGuard(Scope.PLATFORM))]
ShopReader = Annotated[InShop, Depends(ShopGuard(Scope.READ))]
ShopBooker = Annotated[InShop, Depends(ShopGuard(Scope.BOOK))]
ShopAdmin = Annotated[InShop, Depends(ShopGuard(Scope.ADMIN))]
BookingReader = Annotated[BookingInShop, Depends(BookingGuard(Scope.READ))]
BookingBooker = Annotated[BookingInShop, Depends(BookingGuard(Scope.BOOK))]
PaymentAdmin = Annotated[PaymentInShop, Depends(PaymentGuard(Scope.ADMIN))]
