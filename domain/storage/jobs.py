"""Storage for due work: schedule, cancel, claim (with a lease) and close jobs.

A job is a row, so it survives restarts. A loop claims due rows for a lease (on PostgreSQL with
FOR UPDATE SKIP LOCKED, so processes claiming at once get disjoint rows; on SQLite BEGIN
IMMEDIATE makes each claim the only writer), runs them, and closes them only while it still
holds the claim. A claimer that dies leaves its rows to whoever claims after the lease. Running
is at least once: handlers make their effect idempotent (a dedupe key, a status check).
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NamedTuple

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from domain.storage.channels import _insert_ignoring_duplicates
from domain.storage.tables import JobRow
from domain.storage.uow import UnitOfWorkFactory


@dataclass(frozen=True)
class Job:
    """A claimed job, ready to run; `attempts` counts this run (1 on the first)."""

    id: int
    kind: str
    key: str
    shop_id: int | None
    booking_id: int | None
    payload: dict[str, Any]
    due_at: datetime
    attempts: int


@dataclass(frozen=True)
class NewJob:
    """A job to schedule (see `schedule` for the fields)."""

    kind: str
    key: str
    due_at: datetime
    shop_id: int | None = None
    booking_id: int | None = None
    payload: dict[str, Any] | None = None


class JobStats(NamedTuple):
    """What /readyz shows about due work."""

    pending: int
    overdue: int
    failed: int


async def schedule(
    session: AsyncSession,
    kind: str,
    key: str,
    due_at: datetime,
    *,
    shop_id: int | None = None,
    booking_id: int | None = None,
    payload: dict[str, Any] | None = None,
) -> int | None:
    """Inside a transaction: add a pending job; returns its id, None when `key` exists already."""
    values = {
        "kind": kind,
        "key": key,
        "shop_id": shop_id,
        "booking_id": booking_id,
        "payload": json.dumps(payload or {}),
        "due_at": due_at,
        "status": "pending",
        "attempts": 0,
    }
    statement = _insert_ignoring_duplicates(session, JobRow, values)
    result = await session.execute(statement.returning(JobRow.id))
    new_id: int | None = result.scalar_one_or_none()
    return new_id


async def schedule_jobs(uow_factory: UnitOfWorkFactory, jobs: Iterable[NewJob]) -> int:
    """Schedule jobs in their own transaction; returns how many were new."""
    added = 0
    async with uow_factory() as uow:
        for job in jobs:
            new_id = await schedule(
                uow.session,
                job.kind,
                job.key,
                job.due_at,
                shop_id=job.shop_id,
                booking_id=job.booking_id,
                payload=job.payload,
            )
            added += new_id is not None
        await uow.commit()
    return added


async def cancel_jobs(
    session: AsyncSession, booking_id: int, kinds: Collection[str] | None = None
) -> int:
    """Inside a transaction: drop a booking's pending jobs (of `kinds`, or all); returns how many.

    A job being run right now is cancelled too: its runner can no longer mark it done.
    """
    conditions = [JobRow.booking_id == booking_id, JobRow.status == "pending"]
    if kinds is not None:
        conditions.append(JobRow.kind.in_(list(kinds)))
    result = await session.execute(update(JobRow).where(*conditions).values(status="cancelled"))
    return int(getattr(result, "rowcount", 0))


async def move_job(uow_factory: UnitOfWorkFactory, key: str, due_at: datetime) -> bool:
    """A pending job comes due at another time; False when there is none under `key`."""
    async with uow_factory() as uow:
        result = await uow.session.execute(
            update(JobRow)
            .where(JobRow.key == key, JobRow.status == "pending")
            .values(due_at=due_at)
        )
        await uow.commit()
    return getattr(result, "rowcount", 0) == 1


async def release_claims(uow_factory: UnitOfWorkFactory) -> int:
    """Free every pending job's claim: for a single process (SQLite) starting after a crash,
    whose dead predecessor's claims would otherwise hold its jobs until the lease ends."""
    async with uow_factory() as uow:
        result = await uow.session.execute(
            update(JobRow)
            .where(JobRow.status == "pending", JobRow.claimed_until.is_not(None))
            .values(claimed_by=None, claimed_until=None)
        )
        await uow.commit()
    return int(getattr(result, "rowcount", 0) or 0)


async def claim_due_jobs(
    uow_factory: UnitOfWorkFactory,
    worker: str,
    now: datetime,
    lease: timedelta,
    limit: int = 50,
    *,
    kinds: Collection[str] | None = None,
    other_than: Collection[str] = (),
) -> list[Job]:
    """Claim up to `limit` pending jobs due by `now`, oldest due first, for `lease`; only of
    `kinds` when given, and none of `other_than`.

    Jobs claimed by someone else whose lease is still running are left alone; a lease that ran
    out (the claimer died) can be claimed again. Each claim counts as an attempt.
    """
    conditions = [
        JobRow.status == "pending",
        JobRow.due_at <= now,
        JobRow.claimed_until.is_(None) | (JobRow.claimed_until < now),
    ]
    if kinds is not None:
        conditions.append(JobRow.kind.in_(list(kinds)))
    if other_than:
        conditions.append(JobRow.kind.not_in(list(other_than)))
    async with uow_factory() as uow:
        session = uow.session
        query = select(JobRow).where(*conditions).order_by(JobRow.due_at, JobRow.id).limit(limit)
        if session.get_bind().dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = list((await session.scalars(query)).all())
        if not rows:
            return []
        jobs = [
            Job(
                r.id,
                r.kind,
                r.key,
                r.shop_id,
                r.booking_id,
                json.loads(r.payload),
                r.due_at,
                r.attempts + 1,
            )
            for r in rows
        ]
        # (after reading the rows: the ORM update also refreshes the objects in the session)
        await session.execute(
            update(JobRow)
            .where(JobRow.id.in_([r.id for r in rows]))
            .values(claimed_by=worker, claimed_until=now + lease, attempts=JobRow.attempts + 1)
        )
        await uow.commit()
    return jobs


async def finish_job(
    uow_factory: UnitOfWorkFactory, job_id: int, worker: str, now: datetime
) -> bool:
    """Mark a job done; False (and nothing changed) when `worker` no longer holds its claim."""
    return await _close(uow_factory, job_id, worker, status="done", done_at=now)


async def retry_job(
    uow_factory: UnitOfWorkFactory, job_id: int, worker: str, due_at: datetime, error: str
) -> bool:
    """Put a claimed job back to run again at `due_at`; False when `worker` lost the claim."""
    return await _close(
        uow_factory, job_id, worker, status="pending", due_at=due_at, last_error=error[:300]
    )


async def fail_job(
    uow_factory: UnitOfWorkFactory, job_id: int, worker: str, now: datetime, error: str
) -> bool:
    """Give up on a claimed job for good; False when `worker` lost the claim."""
    return await _close(
        uow_factory, job_id, worker, status="failed", done_at=now, last_error=error[:300]
    )


async def _close(uow_factory: UnitOfWorkFactory, job_id: int, worker: str, **values: Any) -> bool:
    """Update a job still pending and claimed by `worker`, releasing the claim."""
    async with uow_factory() as uow:
        result = await uow.session.execute(
            update(JobRow)
            .where(JobRow.id == job_id, JobRow.status == "pending", JobRow.claimed_by == worker)
            .values(claimed_by=None, claimed_until=None, **values)
        )
        await uow.commit()
    return getattr(result, "rowcount", 0) == 1


async def job_stats(
    uow_factory: UnitOfWorkFactory, now: datetime, grace: timedelta = timedelta(minutes=5)
) -> JobStats:
    """Pending jobs, those of them due more than `grace` ago (the loop is behind), failed ones."""
    async with uow_factory.read_only() as uow:
        counts = dict(
            (
                await uow.session.execute(
                    select(JobRow.status, func.count())
                    .where(JobRow.status.in_(["pending", "failed"]))
                    .group_by(JobRow.status)
                )
            ).all()
        )
        overdue = await uow.session.scalar(
            select(func.count()).where(JobRow.status == "pending", JobRow.due_at < now - grace)
        )
    return JobStats(counts.get("pending", 0), overdue or 0, counts.get("failed", 0))
