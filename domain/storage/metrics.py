"""What /metrics reads from the database at scrape time: a few cheap aggregate queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from domain.storage.tables import BookingRow, JobRow, OutboxRow
from domain.storage.uow import UnitOfWorkFactory


@dataclass(frozen=True)
class Backlog:
    """The state of the outbox, the job queue and the bookings at one moment."""

    outbox_pending: int
    oldest_pending_message: datetime | None
    oldest_due_job: datetime | None
    bookings_by_status: dict[str, int]


async def read_backlog(uow_factory: UnitOfWorkFactory, now: datetime) -> Backlog:
    """Pending messages and the oldest of them, the oldest due job, bookings per status."""
    async with uow_factory.read_only() as uow:
        session = uow.session
        # Both pending reads walk the (status, …) indexes of their tables.
        pending, oldest_message = (
            await session.execute(
                select(func.count(), func.min(OutboxRow.created_at)).where(
                    OutboxRow.status == "pending"
                )
            )
        ).one()
        oldest_job = await session.scalar(
            select(func.min(JobRow.due_at)).where(JobRow.status == "pending", JobRow.due_at <= now)
        )
        by_status = dict(
            (
                await session.execute(
                    select(BookingRow.status, func.count()).group_by(BookingRow.status)
                )
            ).all()
        )
    return Backlog(int(pending or 0), oldest_message, oldest_job, by_status)
