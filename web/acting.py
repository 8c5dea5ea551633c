"""Who acts in a request, for the audit trail: the unit-of-work factory a write route uses.

A write route takes `ApiUow` (REST: the caller's key) or `DashboardUow` (the logged-in user)
instead of the plain factory; storage writes made through it append their audit rows in the
same transaction as the change (domain.storage.audit).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from domain.access import ApiKey
from domain.audit import Acting, Actor
from domain.ports import Clock
from domain.storage.accounts import Session
from domain.storage.uow import UnitOfWorkFactory
from web.api.v1.access import KeyDep
from web.dashboard.sessions import SessionDep, Viewer
from web.deps import ClockDep, UowDep


def address_of(request: Request) -> str | None:
    """The caller's address as the server sees it (the proxy's, behind one)."""
    return request.client.host if request.client else None


def dashboard_acting(request: Request, session: Session, clock: ClockDep) -> Acting:
    """The logged-in user, now, from this address."""
    user = session.user
    return Acting(Actor.user(user.id, user.email), clock.now(), address_of(request))


def key_acting(request: Request, key: ApiKey, now: datetime) -> Acting:
    """The caller's key (its id and name, never the secret), now, from this address: for
    writes made outside a unit of work (API keys are)."""
    return Acting(Actor.key(key.id, key.name), now, address_of(request))


async def api_uow(
    request: Request, key: KeyDep, uow_factory: UowDep, clock: ClockDep
) -> UnitOfWorkFactory:
    """Units of work that record the caller's key (its id and name, never the secret)."""
    return uow_factory.acting(key_acting(request, key, clock.now()))


async def dashboard_uow(
    request: Request, session: SessionDep, uow_factory: UowDep, clock: ClockDep
) -> UnitOfWorkFactory:
    """Units of work that record the logged-in dashboard user."""
    return uow_factory.acting(dashboard_acting(request, session, clock))


ApiUow = Annotated[UnitOfWorkFactory, Depends(api_uow)]
DashboardUow = Annotated[UnitOfWorkFactory, Depends(dashboard_uow)]


def viewer_uow(request: Request, who: Viewer, clock: Clock) -> UnitOfWorkFactory:
    """Units of work that record the user behind `who` (for pages that take no `DashboardUow`)."""
    factory: UnitOfWorkFactory = request.app.state.uow_factory
    user = who.session.user
    acting = Acting(Actor.user(user.id, user.email), clock.now(), address_of(request))
    return factory.acting(acting)
