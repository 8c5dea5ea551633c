"""Customers: one person across channels, found by phone before a new one is made."""

from __future__ import annotations

from domain.errors import InvalidRequest
from domain.model import Customer
from domain.phone import normalize_phone
from domain.ports import UnitOfWork

MAX_NAME_LENGTH = 120


async def find_or_add_customer(uow: UnitOfWork, name: str, phone: str) -> Customer:
    """The customer with this phone (normalised to E.164), created on first contact."""
    clean_name = " ".join(name.split())
    if not clean_name or len(clean_name) > MAX_NAME_LENGTH:
        raise InvalidRequest("a customer needs a name of 1 to 120 characters")
    e164 = normalize_phone(phone)
    existing = await uow.customers.by_phone(e164)
    if existing is not None:
        return existing
    return await uow.customers.add(clean_name, e164, None)
