"""Customers' rights at a shop (Ley 25.326), shared by the chat, the REST API and the CLI.

Erasing a customer first cancels their turnos still ahead through the normal cancel path (the
slot frees, the professional and the waitlist hear, the shop's cancellation policy applies),
then erases (domain/storage/customer_rights.py). A turno ahead that is already paid is not
cancelled behind the customer's back: erasing waits until they cancel it or it is past
(`PaidTurnoAhead`), so no money is kept or refunded without them seeing it.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import timedelta

from domain import booking as use_cases
from domain.errors import Conflict
from domain.model import CancelledBy
from domain.ports import Clock
from domain.storage import customer_rights as storage
from domain.storage.jobs import Job, NewJob, schedule_jobs
from domain.storage.uow import UnitOfWorkFactory

FORGET_CHAT = "forget_chat"
# The erasing chat's goodbye must go out before its delivery records go: they go this later.
FORGET_AFTER = timedelta(minutes=10)
FORGET_RETRY = timedelta(minutes=10)


class PaidTurnoAhead(Conflict):
    """A paid turno is still ahead: erasing now would keep or refund money unseen."""

    code = "paid_turno_ahead"


async def erase_customer(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    shop_id: int,
    shop_customer_id: int,
    keep_chat: tuple[str, str] | None = None,
) -> storage.Erased:
    """Cancel the customer's unpaid turnos ahead, then erase them (PaidTurnoAhead first)."""
    who = await storage.person(uow_factory, shop_id, shop_customer_id)
    ahead = await storage.upcoming_turnos(uow_factory, shop_id, who.person_id, clock.now())
    if any(turno.paid for turno in ahead):
        raise PaidTurnoAhead("a paid turno is still ahead; cancel it first or wait until after it")
    for turno in ahead:
        await use_cases.cancel(uow_factory, clock, turno.id, CancelledBy.CUSTOMER)
    erased = await storage.erase(uow_factory, shop_id, shop_customer_id, clock.now(), keep_chat)
    if keep_chat is not None:
        await forget_chat_later(uow_factory, clock, shop_id, keep_chat, erased.shop_customer_id)
    return replace(erased, cancelled=len(ahead))


async def forget_chat_later(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    shop_id: int,
    chat: tuple[str, str],
    shop_customer_id: int = 0,
) -> None:
    """Plan the `forget_chat` job of a chat that asked to be erased (after its goodbye)."""
    now = clock.now()
    # Unique per request (no chat id in it: the key outlives the job's blanked payload).
    key = f"forget:{shop_id}:{shop_customer_id}:{secrets.token_hex(8)}"
    payload = {"channel": chat[0], "chat_id": chat[1]}
    await schedule_jobs(
        uow_factory, [NewJob(FORGET_CHAT, key, now + FORGET_AFTER, shop_id, payload=payload)]
    )


class ChatForgetter:
    """The handler of `forget_chat` jobs: an erased chat's last traces, once its goodbye went."""

    def __init__(self, uow_factory: UnitOfWorkFactory, clock: Clock) -> None:
        self.uow_factory = uow_factory
        self.clock = clock

    async def run(self, job: Job) -> None:
        """Forget the chat (or try again later while its goodbye still waits to go out)."""
        channel, chat_id = job.payload.get("channel"), job.payload.get("chat_id")
        if job.shop_id is None or not isinstance(channel, str) or not isinstance(chat_id, str):
            return
        if not await storage.forget_chat(self.uow_factory, job.shop_id, channel, chat_id):
            raise RuntimeError("the erased chat's last messages are still going out")
        await storage.blank_job_payload(self.uow_factory, job.id)
