"""The audit trail's storage: append a row in the caller's transaction, read a shop's rows.

There is deliberately nothing else here (no update, no delete): `record` adds a row to the
session of the change it describes, so both commit or neither does; `audit_page` reads newest
first with keyset paging. The database refuses updates and deletes as well (migration 0013).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from domain.audit import Acting, AuditEntry, changes
from domain.storage.tables import AuditRow

if TYPE_CHECKING:  # uow.py writes its rows through `record`
    from domain.storage.uow import UnitOfWorkFactory

__all__ = ["audit_page", "record"]


def record(
    session: AsyncSession,
    acting: Acting,
    shop_id: int | None,
    action: str,
    subject: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """Append a row to `session` (committed with the change); only changed fields are kept,
    and a save that changed nothing writes no row."""
    if before is not None and after is not None and dict(before) == dict(after):
        return
    old, new = changes(before, after)
    session.add(
        AuditRow(
            shop_id=shop_id,
            at=acting.at,
            actor=acting.actor.label[:300],
            source=acting.actor.source.value,
            action=action[:40],
            subject=subject[:120],
            before=_json(old),
            after=_json(new),
            address=acting.address[:64] if acting.address else None,
        )
    )


async def audit_page(
    uow_factory: UnitOfWorkFactory,
    shop_id: int,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 50,
    after: tuple[datetime, int] | None = None,
) -> list[AuditEntry]:
    """A shop's rows newest first, `since` <= at < `until`, those older than `after` (the
    last row of the previous page), at most `limit` of them."""
    query = select(AuditRow).where(AuditRow.shop_id == shop_id)
    if since is not None:
        query = query.where(AuditRow.at >= since)
    if until is not None:
        query = query.where(AuditRow.at < until)
    if after is not None:
        at, row_id = after
        query = query.where(or_(AuditRow.at < at, and_(AuditRow.at == at, AuditRow.id < row_id)))
    query = query.order_by(AuditRow.at.desc(), AuditRow.id.desc()).limit(limit)
    async with uow_factory.read_only() as uow:
        rows = (await uow.session.scalars(query)).all()
        return [_entry(row) for row in rows]  # read before the unit of work expires them


def _json(values: dict[str, Any] | None) -> str | None:
    return None if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True)


def _entry(row: AuditRow) -> AuditEntry:
    return AuditEntry(
        id=row.id,
        shop_id=row.shop_id,
        at=row.at,
        actor=row.actor,
        source=row.source,
        action=row.action,
        subject=row.subject,
        before=None if row.before is None else json.loads(row.before),
        after=None if row.after is None else json.loads(row.after),
        address=row.address,
    )
