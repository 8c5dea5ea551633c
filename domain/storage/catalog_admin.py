"""The owner sets the catalog up: services and professionals made, changed and archived.

Each change is one transaction: input at fault (an id of another shop, a name taken) raises
before anything is committed. Archiving keeps the row (`active` false): bookings keep pointing
at it, and nothing is ever deleted.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select, update

from domain.errors import Conflict, InvalidRequest, NotFound
from domain.model import Professional, Service, Shop
from domain.schedule_fit import Turno
from domain.storage.outside_hours import turnos_outside_hours
from domain.storage.tables import ProfessionalRow, ServiceProfessionalRow, ServiceRow
from domain.storage.uow import SqlAlchemyUnitOfWork, UnitOfWorkFactory

SERVICE_COLUMNS = frozenset(
    {
        "name",
        "duration_minutes",
        "price_cents",
        "buffer_before_minutes",
        "buffer_after_minutes",
        "seats",
        "synonyms",
        "active",
    }
)
PROFESSIONAL_COLUMNS = frozenset({"name", "nickname", "active"})


@dataclass(frozen=True)
class ProfessionalSetup:
    """A professional, the services they offer, and their turnos now outside hours."""

    professional: Professional
    service_ids: frozenset[int]
    outside_hours: tuple[Turno, ...] = ()


async def add_service(
    uow_factory: UnitOfWorkFactory, shop: Shop, columns: dict[str, Any], professional_ids: set[int]
) -> Service:
    """A new service offered by `professional_ids`; Conflict when an active one has its name."""
    _only(columns, SERVICE_COLUMNS)
    async with uow_factory() as uow:
        await _name_free(uow, shop.id, columns["name"])
        row = ServiceRow(shop_id=shop.id, currency=shop.currency, active=True, **columns)
        uow.session.add(row)
        await uow.session.flush()
        await _link_professionals(uow, shop.id, row.id, professional_ids)
        after = {**columns, "professional_ids": sorted(professional_ids)}
        uow.audit(shop.id, "service.created", f"service:{row.id}", None, after)
        return await _service_committed(uow, shop.id, row.id)


async def change_service(
    uow_factory: UnitOfWorkFactory,
    shop: Shop,
    service_id: int,
    columns: dict[str, Any],
    professional_ids: set[int] | None = None,
) -> Service:
    """Change a service (archive it with `active` False); `professional_ids` replaces who
    offers it. NotFound for another shop's; Conflict when an active one has the new name."""
    _only(columns, SERVICE_COLUMNS)
    async with uow_factory() as uow:
        row = await uow.session.get(ServiceRow, service_id)
        if row is None or row.shop_id != shop.id:
            raise NotFound(f"no service {service_id} at {shop.slug}")
        if columns.get("active", row.active) and ("name" in columns or not row.active):
            await _name_free(uow, shop.id, columns.get("name", row.name), but=service_id)
        uow.audit(
            shop.id,
            "service.changed",
            f"service:{service_id}",
            {name: getattr(row, name) for name in columns},
            columns,
        )
        if columns:
            await uow.session.execute(
                update(ServiceRow).where(ServiceRow.id == service_id).values(**columns)
            )
        if professional_ids is not None:
            await _link_professionals(uow, shop.id, service_id, professional_ids)
        return await _service_committed(uow, shop.id, service_id)


async def add_professional(
    uow_factory: UnitOfWorkFactory, shop: Shop, columns: dict[str, Any], service_ids: set[int]
) -> ProfessionalSetup:
    """A new professional offering `service_ids` (no hours yet: PUT them)."""
    _only(columns, PROFESSIONAL_COLUMNS)
    async with uow_factory() as uow:
        row = ProfessionalRow(shop_id=shop.id, **{"active": True, **columns})
        uow.session.add(row)
        await uow.session.flush()
        await _link_services(uow, shop.id, row.id, service_ids)
        after = {**columns, "service_ids": sorted(service_ids)}
        uow.audit(shop.id, "professional.created", f"professional:{row.id}", None, after)
        setup = await _professional(uow, shop.id, row.id)
        await uow.commit()
    return setup


async def change_professional(
    uow_factory: UnitOfWorkFactory,
    shop: Shop,
    professional_id: int,
    columns: dict[str, Any],
    service_ids: set[int] | None,
    now: datetime,
) -> ProfessionalSetup:
    """Change (or archive, `active` False) a professional; their turnos stay, and those now
    outside hours are listed. NotFound for another shop's."""
    _only(columns, PROFESSIONAL_COLUMNS)
    async with uow_factory() as uow:
        await uow.lock_professionals([professional_id])  # bookings being made wait for this
        row = await uow.session.get(ProfessionalRow, professional_id)
        if row is None or row.shop_id != shop.id:
            raise NotFound(f"no professional {professional_id} at {shop.slug}")
        uow.audit(
            shop.id,
            "professional.changed",
            f"professional:{professional_id}",
            {name: getattr(row, name) for name in columns},
            columns,
        )
        if columns:
            await uow.session.execute(
                update(ProfessionalRow)
                .where(ProfessionalRow.id == professional_id)
                .values(**columns)
            )
        if service_ids is not None:
            await _link_services(uow, shop.id, professional_id, service_ids)
        setup = await _professional(uow, shop.id, professional_id)
        outside = await turnos_outside_hours(uow, shop, now, professional_id=professional_id)
        await uow.commit()
    return ProfessionalSetup(setup.professional, setup.service_ids, tuple(outside))


async def services_by_professional(
    uow_factory: UnitOfWorkFactory, shop_id: int
) -> dict[int, frozenset[int]]:
    """The ids of the services each of the shop's professionals offers."""
    async with uow_factory.read_only() as uow:
        rows = await uow.session.execute(_links_of_shop(shop_id))
    offered: dict[int, set[int]] = {}
    for professional_id, service_id in rows:
        offered.setdefault(professional_id, set()).add(service_id)
    return {k: frozenset(v) for k, v in offered.items()}


def _links_of_shop(shop_id: int) -> Any:
    return (
        select(ServiceProfessionalRow.professional_id, ServiceProfessionalRow.service_id)
        .join(ServiceRow)
        .where(ServiceRow.shop_id == shop_id)
    )


async def _professional(uow: SqlAlchemyUnitOfWork, shop_id: int, pro_id: int) -> ProfessionalSetup:
    await uow.session.flush()
    row = await uow.session.get(ProfessionalRow, pro_id, populate_existing=True)
    assert row is not None  # looked up (or made) in this transaction
    links = await uow.session.scalars(
        select(ServiceProfessionalRow.service_id).where(
            ServiceProfessionalRow.professional_id == pro_id
        )
    )
    person = Professional(row.id, shop_id, row.name, row.nickname, row.active)
    return ProfessionalSetup(person, frozenset(links))


async def _service_committed(uow: SqlAlchemyUnitOfWork, shop_id: int, service_id: int) -> Service:
    await uow.session.flush()
    uow.session.expire_all()
    service = await uow.catalog.service(shop_id, service_id)
    assert service is not None  # looked up (or made) in this transaction
    await uow.commit()
    return service


async def _name_free(uow: SqlAlchemyUnitOfWork, shop_id: int, name: str, but: int = 0) -> None:
    """Conflict when another active service of the shop is called `name` (case aside): the
    chat could not tell them apart."""
    taken = await uow.session.scalar(
        select(ServiceRow.id).where(
            ServiceRow.shop_id == shop_id,
            ServiceRow.active.is_(True),
            ServiceRow.id != but,
            func.lower(ServiceRow.name) == name.lower(),
        )
    )
    if taken is not None:
        raise Conflict(f"service {taken} is already called {name!r}")


async def _link_professionals(
    uow: SqlAlchemyUnitOfWork, shop_id: int, service_id: int, professional_ids: set[int]
) -> None:
    """Who offers the service, replaced; ids not of the shop's professionals are refused."""
    await _known(uow, ProfessionalRow, shop_id, professional_ids, "professional_ids")
    await uow.session.execute(
        delete(ServiceProfessionalRow).where(ServiceProfessionalRow.service_id == service_id)
    )
    uow.session.add_all(
        ServiceProfessionalRow(service_id=service_id, professional_id=pid)
        for pid in sorted(professional_ids)
    )


async def _link_services(
    uow: SqlAlchemyUnitOfWork, shop_id: int, professional_id: int, service_ids: set[int]
) -> None:
    """What the professional offers, replaced; ids not of the shop's services are refused."""
    await _known(uow, ServiceRow, shop_id, service_ids, "service_ids")
    await uow.session.execute(
        delete(ServiceProfessionalRow).where(
            ServiceProfessionalRow.professional_id == professional_id
        )
    )
    uow.session.add_all(
        ServiceProfessionalRow(service_id=sid, professional_id=professional_id)
        for sid in sorted(service_ids)
    )


async def _known(
    uow: SqlAlchemyUnitOfWork,
    table: type[ServiceRow] | type[ProfessionalRow],
    shop_id: int,
    ids: Iterable[int],
    field: str,
) -> None:
    """InvalidRequest naming `field` unless every id is one of the shop's rows (another shop's
    is as unknown as a missing one)."""
    wanted = set(ids)
    if not wanted:
        return
    found = await uow.session.scalars(
        select(table.id).where(table.shop_id == shop_id, table.id.in_(wanted))
    )
    unknown = sorted(wanted - set(found))
    if unknown:
        raise InvalidRequest(f"not this shop's: {unknown}", field=field)


def _only(columns: dict[str, Any], allowed: frozenset[str]) -> None:
    unknown = set(columns) - allowed
    if unknown:
        raise ValueError(f"not catalog columns: {sorted(unknown)}")
