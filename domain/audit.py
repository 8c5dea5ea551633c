"""The audit trail's rules: who acted, what changed, and what never goes into it. Pure.

A row names its actor without secrets (an account's id and email, a key's id and name, the
platform CLI, a staff chat's id, BarberPro's own rules) and keeps only the fields that
changed. Passwords, key secrets and hashes never appear; an account number or alias shows its
last 4 characters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any


class Source(StrEnum):
    """Where a change was made."""

    DASHBOARD = "dashboard"
    API = "api"
    CLI = "cli"
    CHAT = "chat"
    SYSTEM = "system"  # BarberPro itself, by a rule nobody applied by hand


@dataclass(frozen=True)
class Actor:
    """Who made a change: a readable label and where it came from (never a secret)."""

    source: Source
    label: str  # "user:3 ana@example.com", "key:7 caja", "cli", "staff:professional:2"

    @classmethod
    def user(cls, user_id: int, email: str) -> Actor:
        """A dashboard account."""
        return cls(Source.DASHBOARD, f"user:{user_id} {email}")

    @classmethod
    def invited(cls, link_id: int | None, email: str) -> Actor:
        """Someone accepting an invitation: no account yet, the link they came with."""
        return cls(Source.DASHBOARD, f"link:{link_id} {email}")

    @classmethod
    def key(cls, key_id: int, name: str) -> Actor:
        """A REST API key (its id and name, never the key)."""
        return cls(Source.API, f"key:{key_id} {name}")

    @classmethod
    def cli(cls) -> Actor:
        """The platform's command line."""
        return cls(Source.CLI, "cli")

    @classmethod
    def customer(cls, shop_customer_id: int) -> Actor:
        """A customer acting on their own data from their chat (by the shop's number for them:
        after an erase it names «Cliente borrado #n», nobody)."""
        return cls(Source.CHAT, f"customer:{shop_customer_id}")

    @classmethod
    def system(cls, what: str) -> Actor:
        """BarberPro acting by a rule, e.g. «refunds» (what the cancellation policy owes)."""
        return cls(Source.SYSTEM, f"system:{what}")

    @classmethod
    def staff(cls, professional_id: int | None) -> Actor:
        """A linked staff chat: a professional's, or (None) the owner's."""
        who = "owner" if professional_id is None else f"professional:{professional_id}"
        return cls(Source.CHAT, f"staff:{who}")


@dataclass(frozen=True)
class Acting:
    """An actor at a moment, from an address: what a unit of work needs to write audit rows."""

    actor: Actor
    at: datetime
    address: str | None = None


@dataclass(frozen=True)
class AuditEntry:
    """One row of the trail as read back."""

    id: int
    shop_id: int | None
    at: datetime
    actor: str
    source: str
    action: str
    subject: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    address: str | None


# Fields never written, whatever their value; and fields written masked to their last 4.
SECRET_FIELDS = frozenset({"password", "password_hash", "secret", "key_hash", "token_hash"})
MASKED_FIELDS = frozenset({"transfer_account", "transfer_alias", "cbu", "alias", "cuit"})
DESTINATION_FIELDS = frozenset({"transfer_account", "transfer_alias", "cuit"})


def last4(value: str | None) -> str | None:
    """«…1234»: enough to recognise an account or alias, not enough to use it."""
    if value is None or value == "":
        return value
    return "…" + str(value)[-4:]


def mask_email(email: str) -> str:
    """«ana@…»: the mailbox without its domain (for failed logins to unknown accounts)."""
    local, _, _ = email.partition("@")
    return (local[:3] or "?") + "@…"


def changes(
    before: Mapping[str, Any] | None, after: Mapping[str, Any] | None
) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """Only the fields that differ, each side cleaned: secrets dropped, accounts masked."""
    old, new = dict(before or {}), dict(after or {})
    if before is not None and after is not None:
        keys = [k for k in {**old, **new} if old.get(k) != new.get(k)]
        old = {k: old.get(k) for k in keys}
        new = {k: new.get(k) for k in keys}
    return (_clean(old) if before is not None else None, _clean(new) if after is not None else None)


def _clean(values: Mapping[str, Any]) -> dict[str, Any]:
    return {
        k: (last4(v) if k in MASKED_FIELDS and isinstance(v, str) else _plain(v))
        for k, v in sorted(values.items())
        if k not in SECRET_FIELDS
    }


def _plain(value: Any) -> Any:
    """A JSON-ready value: dates as ISO text, sets as sorted lists, enums as their value."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, frozenset | set | tuple):
        return sorted(_plain(v) for v in value)
    if isinstance(value, StrEnum):
        return value.value
    if value is None or isinstance(value, bool | int | float | str | list | dict):
        return value
    return str(value)
