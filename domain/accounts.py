"""Dashboard accounts: who may see and change what, and when a login is throttled. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from domain.errors import InvalidRequest

MIN_PASSWORD = 10
MAX_PASSWORD = 256  # argon2 takes any length; a megabyte "password" is an attack, not a login
IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)
LAST_SEEN_RESOLUTION = timedelta(minutes=1)  # how often a session's last use is written
# A login is refused for a while after this many failures in the window: per account (a
# password being guessed) and per address (many accounts tried from one place).
THROTTLE_WINDOW = timedelta(minutes=15)
ACCOUNT_FAILURES = 5
ADDRESS_FAILURES = 20
_EMAIL = re.compile(r"^[^@\s]{1,64}@[^@\s]{1,189}\.[^@\s]{2,}$")


class Role(StrEnum):
    """What a dashboard user is to their shop (operators run the deployment)."""

    OWNER = "owner"  # everything
    MANAGER = "manager"  # everything but users and where the money goes
    PROFESSIONAL = "professional"  # their own agenda, the customers they served, their takings
    OPERATOR = "operator"  # every shop


class Area(StrEnum):
    """A part of the dashboard, as permissions name it."""

    AGENDA = "agenda"
    INBOX = "inbox"
    CUSTOMERS = "customers"
    SETUP = "setup"  # profile, services, professionals, hours, days, comeback, link codes
    MONEY = "money"  # where payments go: alias, CBU/CVU, CUIT, Mercado Pago
    PAYMENTS = "payments"  # transfers to confirm, payouts of everyone
    TAKINGS = "takings"  # one's own takings
    NUMBERS = "numbers"
    USERS = "users"
    STATUS = "status"
    AUDIT = "audit"  # who changed what: the owner's


_EVERYTHING = frozenset(Area)
ALLOWED: dict[Role, frozenset[Area]] = {
    Role.OWNER: _EVERYTHING,
    Role.OPERATOR: _EVERYTHING,
    Role.MANAGER: _EVERYTHING - {Area.MONEY, Area.USERS, Area.AUDIT},
    Role.PROFESSIONAL: frozenset({Area.AGENDA, Area.CUSTOMERS, Area.TAKINGS}),
}


def may(role: Role, area: Area) -> bool:
    """Whether a user of this role may open that part of the dashboard."""
    return area in ALLOWED[role]


def own_only(role: Role) -> bool:
    """A professional sees only their own turnos, customers and takings."""
    return role is Role.PROFESSIONAL


def clean_email(email: str) -> str:
    """The address as stored (trimmed, lower case); InvalidRequest when it is not one."""
    clean = email.strip().lower()
    if not _EMAIL.fullmatch(clean):
        raise InvalidRequest(f"not an email address: {email!r}", field="email")
    return clean


def check_password(password: str) -> str:
    """The password, or InvalidRequest when it is too short or too long."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidRequest(
            f"a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters", field="password"
        )
    return password


@dataclass(frozen=True)
class Throttle:
    """Whether a login may be tried now, and if not, from when."""

    allowed: bool
    until: datetime | None = None


def throttle(
    account_failures: Sequence[datetime],
    address_failures: Sequence[datetime],
    now: datetime,
    *,
    account_limit: int = ACCOUNT_FAILURES,
    address_limit: int = ADDRESS_FAILURES,
) -> Throttle:
    """The rule on the failures of the last window (of this account and of this address)."""
    since = now - THROTTLE_WINDOW
    for failures, limit in (
        (account_failures, account_limit),
        (address_failures, address_limit),
    ):
        recent = sorted(f for f in failures if f > since)
        if len(recent) >= limit:
            return Throttle(False, recent[-limit] + THROTTLE_WINDOW)
    return Throttle(True)


def session_expired(created: datetime, last_seen: datetime, now: datetime) -> bool:
    """Idle for 30 minutes, or 12 hours since the login."""
    return now - last_seen >= IDLE_TIMEOUT or now - created >= ABSOLUTE_TIMEOUT
