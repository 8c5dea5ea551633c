"""Who may do what through the REST API: a key's scope, and the shop it belongs to."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class Scope(StrEnum):
    """What a key may do, each scope including the ones before it."""

    READ = "read"  # catalog, availability, agenda, customers, messages, payouts
    BOOK = "book"  # also create, cancel and move bookings
    ADMIN = "admin"  # everything in its shop: settings, catalog, payments, link codes, keys
    PLATFORM = "platform"  # the operator's: creates shops, acts on any shop

    def covers(self, needed: Scope) -> bool:
        """True when a key of this scope may do what `needed` allows."""
        return _RANK[self] >= _RANK[needed]


_RANK = {scope: rank for rank, scope in enumerate(Scope)}
SHOP_SCOPES = (Scope.READ, Scope.BOOK, Scope.ADMIN)


@dataclass(frozen=True)
class ApiKey:
    """A REST API key as stored (never the key itself): whose it is and what it may do."""

    id: int
    name: str
    prefix: str
    shop_id: int | None  # None: a platform key
    scope: Scope
    created_at: datetime
    expires_at: datetime | None = None
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    def reaches(self, shop_id: int) -> bool:
        """True when the key may act on that shop: its own, or any for a platform key."""
        return self.shop_id is None or self.shop_id == shop_id

    def live(self, now: datetime) -> bool:
        """Not revoked and not expired at `now`."""
        return self.revoked_at is None and (self.expires_at is None or now < self.expires_at)
