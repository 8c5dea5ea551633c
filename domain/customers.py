"""Customers: one person across channels and shops, found by phone before a new one is made;
what each shop knows of them (the name given there) is that shop's own record."""

from __future__ import annotations

from domain.errors import InvalidRequest
from domain.model import ShopCustomer
from domain.phone import normalize_phone
from domain.ports import UnitOfWork

MAX_NAME_LENGTH = 120


def clean_name(name: str) -> str:
    """The name with its spaces tidied; InvalidRequest unless it is 1 to 120 characters."""
    clean = " ".join(name.split())
    if not clean or len(clean) > MAX_NAME_LENGTH:
        raise InvalidRequest("a customer needs a name of 1 to 120 characters")
    return clean


async def find_or_add_customer(
    uow: UnitOfWork, shop_id: int, name: str, phone: str | None
) -> ShopCustomer:
    """The shop's customer with this phone (normalised to E.164), created on first contact.

    The person may be known elsewhere (another shop, another channel): this shop learns the
    name given here, never another shop's. Without a phone (a walk-in who gave none) nobody
    can be recognised: a new person, known only to this shop by the name.
    """
    given = clean_name(name)
    if phone is None:
        person = await uow.customers.add(None, None)
        return await uow.customers.known(shop_id, person.id, given)
    e164 = normalize_phone(phone)
    person = await uow.customers.by_phone(e164) or await uow.customers.add(e164, None)
    return await uow.customers.known(shop_id, person.id, given)
