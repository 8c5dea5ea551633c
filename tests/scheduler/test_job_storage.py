"""Jobs as rows: scheduling is idempotent, claims exclude each other, closing needs the claim."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from domain import booking as use_cases
from domain.booking import BookingRequest, NewCustomer
from domain.storage.jobs import (
    NewJob,
    cancel_jobs,
    claim_due_jobs,
    fail_job,
    finish_job,
    job_stats,
    retry_job,
    schedule,
    schedule_jobs,
)
from domain.storage.tables import JobRow
from domain.storage.uow import UnitOfWorkFactory
from tests.conftest import T0
from tests.helpers import FixedClock, build_shop

LEASE = timedelta(minutes=2)
WED_10 = datetime(2026, 12, 2, 13, 0, tzinfo=UTC)


async def rows(uow_factory: UnitOfWorkFactory) -> list[JobRow]:
    """Every job row, detached with its values loaded."""
    async with uow_factory.read_only() as uow:
        found = list((await uow.session.scalars(select(JobRow).order_by(JobRow.id))).all())
        uow.session.expunge_all()
    return found


async def test_scheduling_the_same_key_twice_makes_one_row(uow_factory: UnitOfWorkFactory) -> None:
    job = NewJob("reminder", "reminder:1:2026-12-02T10:00", T0, payload={"offset": "24h"})

    first = await schedule_jobs(uow_factory, [job])
    again = await schedule_jobs(uow_factory, [job, job])
    async with uow_factory() as uow:
        inside = await schedule(uow.session, job.kind, job.key, job.due_at)
        await uow.commit()

    assert (first, again, inside) == (1, 0, None)
    [row] = await rows(uow_factory)
    assert (row.kind, row.status, row.attempts, row.due_at) == ("reminder", "pending", 0, T0)


async def test_claim_then_finish(uow_factory: UnitOfWorkFactory) -> None:
    await schedule_jobs(
        uow_factory,
        [
            NewJob("ping", "late", T0 - timedelta(minutes=1), payload={"n": 2}),
            NewJob("ping", "early", T0 - timedelta(hours=1), payload={"n": 1}),
            NewJob("ping", "future", T0 + timedelta(minutes=1)),
        ],
    )

    claimed = await claim_due_jobs(uow_factory, "worker-a", T0, LEASE)
    again = await claim_due_jobs(uow_factory, "worker-b", T0, LEASE)

    assert [j.key for j in claimed] == ["early", "late"]  # due ones only, oldest first
    assert [j.payload for j in claimed] == [{"n": 1}, {"n": 2}]
    assert [j.attempts for j in claimed] == [1, 1]
    assert again == []  # claimed for the lease
    row = (await rows(uow_factory))[1]
    assert (row.claimed_by, row.claimed_until) == ("worker-a", T0 + LEASE)

    assert not await finish_job(uow_factory, claimed[0].id, "worker-b", T0)  # not its claim
    assert await finish_job(uow_factory, claimed[0].id, "worker-a", T0)
    assert not await finish_job(uow_factory, claimed[0].id, "worker-a", T0)  # done already
    done = (await rows(uow_factory))[1]
    assert (done.status, done.done_at, done.claimed_by, done.claimed_until) == (
        "done",
        T0,
        None,
        None,
    )
    # The unfinished claim ran out: another worker takes the job, as its second attempt.
    retaken = await claim_due_jobs(uow_factory, "worker-b", T0 + LEASE * 2, LEASE)
    assert retaken[0] == replace(claimed[1], attempts=2)
    assert [(j.key, j.attempts) for j in retaken] == [("late", 2), ("future", 1)]


async def test_retry_and_fail_need_the_claim(uow_factory: UnitOfWorkFactory) -> None:
    await schedule_jobs(uow_factory, [NewJob("ping", "a", T0), NewJob("ping", "b", T0)])
    a, b = await claim_due_jobs(uow_factory, "w", T0, LEASE)

    assert not await retry_job(uow_factory, a.id, "other", T0, "nope")
    assert await retry_job(uow_factory, a.id, "w", T0 + timedelta(minutes=1), "Boom: x" * 100)
    assert await fail_job(uow_factory, b.id, "w", T0, "gave up")

    first, second = await rows(uow_factory)
    assert (first.status, first.due_at, first.claimed_by) == (
        "pending",
        T0 + timedelta(minutes=1),
        None,
    )
    assert first.last_error is not None
    assert len(first.last_error) == 300
    assert (second.status, second.done_at, second.last_error) == ("failed", T0, "gave up")
    assert await claim_due_jobs(uow_factory, "w", T0, LEASE) == []  # not due again yet
    assert [j.id for j in await claim_due_jobs(uow_factory, "w", T0 + LEASE, LEASE)] == [a.id]


async def test_cancelling_a_bookings_jobs(
    uow_factory: UnitOfWorkFactory, clock: FixedClock
) -> None:
    shop = await build_shop(uow_factory)
    booking = await use_cases.book(
        uow_factory,
        clock,
        BookingRequest(
            shop.shop_id, shop.services["Corte"], NewCustomer("Ana", "11 4000-0001"), WED_10
        ),
    )
    jobs = [
        NewJob(kind, f"{kind}:{booking.id}", T0, shop_id=shop.shop_id, booking_id=booking.id)
        for kind in ("reminder", "no_show", "survey")
    ]
    await schedule_jobs(uow_factory, [*jobs, NewJob("reminder", "other", T0)])
    [survey] = [j for j in await claim_due_jobs(uow_factory, "w", T0, LEASE) if j.kind == "survey"]
    await finish_job(uow_factory, survey.id, "w", T0)

    async with uow_factory() as uow:
        dropped = await cancel_jobs(uow.session, booking.id, ["reminder", "survey"])
        await uow.commit()
    async with uow_factory() as uow:
        dropped_rest = await cancel_jobs(uow.session, booking.id)
        await uow.commit()

    assert (dropped, dropped_rest) == (1, 1)  # the survey was done: it stays done
    assert {r.key: r.status for r in await rows(uow_factory)} == {
        f"reminder:{booking.id}": "cancelled",
        f"no_show:{booking.id}": "cancelled",
        f"survey:{booking.id}": "done",
        "other": "pending",
    }


async def test_stats_count_pending_overdue_and_failed(uow_factory: UnitOfWorkFactory) -> None:
    await schedule_jobs(
        uow_factory,
        [
            NewJob("ping", "hour-ago", T0 - timedelta(hours=1)),
            NewJob("ping", "just-due", T0 - timedelta(seconds=10)),
            NewJob("ping", "tomorrow", T0 + timedelta(days=1)),
            NewJob("ping", "broken", T0 - timedelta(hours=2)),
        ],
    )
    [broken] = [j for j in await claim_due_jobs(uow_factory, "w", T0, LEASE) if j.key == "broken"]
    await fail_job(uow_factory, broken.id, "w", T0, "boom")

    assert await job_stats(uow_factory, T0) == (3, 1, 1)
