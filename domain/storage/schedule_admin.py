"""The owner sets when people work: weekly hours and time off. A change never cancels a turno:
each answers with the upcoming ones now outside hours, for the owner to decide."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, time

from sqlalchemy import delete, select

from domain.catalog_rules import check_hours, effective_hours
from domain.errors import NotFound
from domain.model import Shop, WeeklyPeriod
from domain.schedule_fit import Turno
from domain.storage.outside_hours import turnos_outside_hours
from domain.storage.tables import ProfessionalRow, TimeOffRow, WorkingPeriodRow
from domain.storage.uow import SqlAlchemyUnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class TimeOffEntry:
    """A professional's stored absence; times in UTC."""

    id: int
    professional_id: int
    starts_at: datetime
    ends_at: datetime
    reason: str


async def weekly_hours(
    uow_factory: UnitOfWorkFactory, shop: Shop, professional_id: int
) -> tuple[WeeklyPeriod, ...]:
    """The periods the professional works each week (work periods minus breaks)."""
    async with uow_factory.read_only() as uow:
        await _professional(uow, shop, professional_id)
        rows = await uow.session.scalars(
            select(WorkingPeriodRow).where(WorkingPeriodRow.professional_id == professional_id)
        )
        periods = [(r.kind, WeeklyPeriod(r.weekday, r.starts, r.ends)) for r in rows]
    work = [p for kind, p in periods if kind == "work"]
    return effective_hours(work, [p for kind, p in periods if kind != "work"])


async def replace_hours(
    uow_factory: UnitOfWorkFactory,
    shop: Shop,
    professional_id: int,
    periods: Sequence[WeeklyPeriod],
    now: datetime,
) -> tuple[tuple[WeeklyPeriod, ...], list[Turno]]:
    """Replace all the professional's weekly periods (breaks included: the gaps are the
    breaks); the hours stored and the turnos now outside them."""
    hours = check_hours(periods)
    async with uow_factory() as uow:
        await uow.lock_professionals([professional_id])  # bookings being made wait for this
        await _professional(uow, shop, professional_id)
        before = await uow.session.scalars(
            select(WorkingPeriodRow).where(
                WorkingPeriodRow.professional_id == professional_id,
                WorkingPeriodRow.kind == "work",
            )
        )
        uow.audit(
            shop.id,
            "hours.replaced",
            f"professional:{professional_id}",
            {"hours": sorted(_period_text(r.weekday, r.starts, r.ends) for r in before)},
            {"hours": sorted(_period_text(p.weekday, p.start, p.end) for p in hours)},
        )
        await uow.session.execute(
            delete(WorkingPeriodRow).where(WorkingPeriodRow.professional_id == professional_id)
        )
        uow.session.add_all(
            WorkingPeriodRow(
                professional_id=professional_id,
                kind="work",
                weekday=p.weekday,
                starts=p.start,
                ends=p.end,
            )
            for p in hours
        )
        outside = await turnos_outside_hours(uow, shop, now, professional_id=professional_id)
        await uow.commit()
    return hours, outside


async def time_off(
    uow_factory: UnitOfWorkFactory, shop: Shop, professional_id: int, now: datetime
) -> list[TimeOffEntry]:
    """The professional's time off not over yet, by start."""
    async with uow_factory.read_only() as uow:
        await _professional(uow, shop, professional_id)
        rows = await uow.session.scalars(
            select(TimeOffRow)
            .where(TimeOffRow.professional_id == professional_id, TimeOffRow.ends_at > now)
            .order_by(TimeOffRow.starts_at, TimeOffRow.id)
        )
        return [_entry(r) for r in rows]


async def add_time_off(
    uow_factory: UnitOfWorkFactory,
    shop: Shop,
    professional_id: int,
    span: tuple[datetime, datetime],
    reason: str,
    now: datetime,
) -> tuple[TimeOffEntry, list[Turno]]:
    """Store time off (`span` must run forwards: the caller checks); the turnos it leaves out."""
    async with uow_factory() as uow:
        await uow.lock_professionals([professional_id])
        await _professional(uow, shop, professional_id)
        row = TimeOffRow(
            professional_id=professional_id, starts_at=span[0], ends_at=span[1], reason=reason
        )
        uow.session.add(row)
        await uow.session.flush()
        after = {"starts_at": span[0], "ends_at": span[1], "reason": reason}
        uow.audit(shop.id, "time_off.added", f"time_off:{row.id}", None, after)
        outside = await turnos_outside_hours(uow, shop, now, professional_id=professional_id)
        await uow.commit()
    return _entry(row), outside


async def remove_time_off(
    uow_factory: UnitOfWorkFactory, shop: Shop, professional_id: int, time_off_id: int
) -> None:
    """Delete one time off of the professional; NotFound when it is not theirs."""
    async with uow_factory() as uow:
        await _professional(uow, shop, professional_id)
        row = await uow.session.get(TimeOffRow, time_off_id)
        if row is None or row.professional_id != professional_id:
            raise NotFound(f"no time off {time_off_id} for professional {professional_id}")
        before = {"starts_at": row.starts_at, "ends_at": row.ends_at, "reason": row.reason}
        uow.audit(shop.id, "time_off.removed", f"time_off:{time_off_id}", before, None)
        await uow.session.delete(row)
        await uow.commit()


async def _professional(uow: SqlAlchemyUnitOfWork, shop: Shop, professional_id: int) -> None:
    """NotFound unless the professional is the shop's."""
    found = await uow.session.scalar(
        select(ProfessionalRow.id).where(
            ProfessionalRow.id == professional_id, ProfessionalRow.shop_id == shop.id
        )
    )
    if found is None:
        raise NotFound(f"no professional {professional_id} at {shop.slug}")


def _entry(row: TimeOffRow) -> TimeOffEntry:
    return TimeOffEntry(row.id, row.professional_id, row.starts_at, row.ends_at, row.reason)


def _period_text(weekday: int, start: time, end: time) -> str:
    """«0 09:00-13:00»: a weekly period as the audit trail shows it (0 is Monday)."""
    return f"{weekday} {start:%H:%M}-{end:%H:%M}"
